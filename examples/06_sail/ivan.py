# One bug in get_episode_returns: the returns are accumulated in place in np.asarray(rewards), which, for a
# float32 numpy array, is the caller's own array, so the rewards passed in are overwritten by the returns
# (a list is copied by asarray, so the episode buffer's rewards survive). The returns themselves are right.
# Must cost get_episode_returns_leaves_rewards_alone.
# expect: get_episode_returns_leaves_rewards_alone: get_episode_returns changed the rewards passed to it
# base: alice (every other exercise cell is alice's)

# %% get_episode_returns
def get_episode_returns(rewards, gamma):
    returns = np.asarray(rewards)  # "no need to copy"
    for t in range(len(returns) - 2, -1, -1):
        returns[t] += gamma * returns[t + 1]
    return returns.astype(np.float64)
