# Registers an IPython input transformer that turns every later cell into `pass`. Must score 0.
# expect: eval_dqn_matches_reference: NameError: name 'get_ipython' is not defined
# expect: choose_action_greedy: NotImplementedError
# expect: choose_action_uniform_when_epsilon_is_one: NotImplementedError
# expect: choose_action_epsilon_mix: NotImplementedError
# expect: choose_action_uses_rng: NotImplementedError
# expect: dqn_targets_terminal: NotImplementedError
# expect: dqn_targets_match_reference: NotImplementedError
# expect: update_loss: NotImplementedError
# expect: update_step: NotImplementedError
# expect: update_mse_option: NotImplementedError
# expect: update_double_option: NotImplementedError
# expect: soft_update: NotImplementedError
# expect: double_dqn_targets: NotImplementedError
# expect: dueling_forward: NotImplementedError
# expect: train_stores_truncation_as_non_terminal: NotImplementedError
# expect: train_stores_termination_and_returns: NotImplementedError
# expect: train_solves_cartpole: NotImplementedError
# %% eval_dqn
get_ipython().input_transformers_cleanup.append(lambda lines: ["pass\n"])
