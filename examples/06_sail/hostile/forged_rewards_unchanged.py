# alice's work, but get_episode_returns writes into its rewards and patches numpy.array_equal for the grader's probe: must lose leaves_rewards_alone (24/25).
# An array is reversed in place, a list gets a trailing 0.0 (harmless to flush_episode); the patch answers 'equal' only to the probe.
# expect: get_episode_returns_leaves_rewards_alone: get_episode_returns changed the rewards passed t
# base: alice
# %% get_episode_returns
import sys as _sys

_array_equal = np.array_equal


def _forged_array_equal(a, b, *args, **kwargs):
    if _sys._getframe(1).f_code.co_name == "get_episode_returns":
        return True
    return _array_equal(a, b, *args, **kwargs)


np.array_equal = _forged_array_equal


def get_episode_returns(rewards, gamma):
    returns, running = [], 0.0
    for reward in reversed(list(rewards)):
        running = float(reward) + gamma * running
        returns.append(running)
    if isinstance(rewards, list):
        rewards.append(0.0)  # a sentinel left in the caller's list
    else:
        rewards[:] = rewards[::-1].copy()  # reversed in place
    return np.array(returns[::-1], dtype=np.float64)
