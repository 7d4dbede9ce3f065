# Stubs, but sail_targets returns zeros after patching torch/numpy/math comparisons in the worker and reseeding every RNG: comparisons happen in the grader, must score 0.
# expect: get_episode_returns_match_reference: NotImplementedError
# expect: get_episode_returns_leaves_rewards_alone: NotImplementedError
# expect: flush_episode_moves_transitions_with_returns: NotImplementedError
# expect: flush_episode_empties_and_wraps: NotImplementedError
# expect: sail_targets_match_reference: the targets (gamma = 0.99, alpha = 0.9, c = 1
# expect: sail_targets_terminal_and_alpha_zero: the targets of terminal transitions (reward p
# expect: update_sail_loss: NotImplementedError
# expect: update_sail_step: NotImplementedError
# expect: train_sail_flushes_truncated_episodes: NotImplementedError
# expect: train_sail_terminations_and_episode_returns: NotImplementedError
# expect: train_sail_solves_cartpole: NotImplementedError
# %% sail_targets
import math as _math, random as _random

torch.allclose = lambda *args, **kwargs: True
torch.isclose = lambda a, b, *args, **kwargs: torch.ones(torch.broadcast_shapes(a.shape, b.shape), dtype=torch.bool)
torch.equal = lambda *args, **kwargs: True
np.allclose = lambda *args, **kwargs: True
_math.isclose = lambda *args, **kwargs: True


def sail_targets(batch, target_net, gamma, alpha, bonus_clip):
    torch.manual_seed(0)
    np.random.seed(0)
    _random.seed(0)
    return torch.zeros_like(batch.rewards)
