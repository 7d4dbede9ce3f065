# One bug in discount_rewards: the returns are accumulated in place in `np.array(rewards)`, which keeps the
# rewards' dtype, so integer rewards give an integer array and every gamma * G_{t+1} is truncated.
# Float rewards (CartPole's) come out right. Must cost discount_rewards_integer_rewards only.
# expect: discount_rewards_integer_rewards: must have dtype float64 or float32, got int64
# base: alice (every other exercise cell is alice's)

# %% discount_rewards
def discount_rewards(rewards, gamma):
    returns = np.array(rewards)
    for t in reversed(range(len(returns) - 1)):
        returns[t] = returns[t] + gamma * returns[t + 1]
    return returns
