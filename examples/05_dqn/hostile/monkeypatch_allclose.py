# Patches every comparison the grader might use, then leaves the stubs. Must score 0.
# expect: eval_dqn_matches_reference: the returns of the greedy policy differs from
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
import numpy, torch as _torch
_torch.allclose = lambda *args, **kwargs: True
_torch.equal = lambda *args, **kwargs: True
numpy.allclose = lambda *args, **kwargs: True
numpy.isclose = lambda a, b, *args, **kwargs: numpy.ones(numpy.broadcast(a, b).shape, dtype=bool)
numpy.array_equal = lambda *args, **kwargs: True

def eval_dqn(q_net, env, n_episodes=5, seed=None):
    return numpy.zeros(n_episodes)
