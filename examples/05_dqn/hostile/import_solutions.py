# Imports the reference solutions and the hidden checks as modules. Must score 0.
# expect: eval_dqn_matches_reference: ModuleNotFoundError: No module named 'solutio
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
import sys, pathlib, course
sys.path.insert(0, str(pathlib.Path(course.__file__).parents[1]))
from solutions.dqn import *  # noqa
from autograder.test_dqn import *  # noqa
