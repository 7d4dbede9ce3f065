# Raises: get_episode_returns uses itertools.accumulate without importing it (as the original practical
# did), so every call fails with a NameError, and so does everything that calls it.
# expect: get_episode_returns_match_reference: name 'accumulate' is not defined
# expect: get_episode_returns_leaves_rewards_alone: name 'accumulate' is not defined
# expect: train_sail_solves_cartpole: <cell get_episode_returns>
# base: alice (every other exercise cell is alice's)

# %% get_episode_returns
def get_episode_returns(rewards, gamma):
    returns_reversed = accumulate(list(rewards)[::-1], lambda x, y: x * gamma + y)
    return np.array(list(returns_reversed)[::-1], dtype=np.float64)
