# One bug in discount_rewards: the wrong power of gamma. The student sums gamma^k r_k from k = t on, with
# the absolute step k instead of k - t, so G_t is gamma^t times too small. Must cost
# discount_rewards_matches_reference and discount_rewards_integer_rewards. It also costs
# discount_and_normalize_matches_reference, whose check runs the student's discount_rewards inside the
# student's (correct) discount_and_normalize_rewards: a grader defect, recorded as the grader does it.
# expect: discount_rewards_matches_reference: the discounted returns (gamma = 0.9, 12 rewards) differs
# expect: discount_rewards_integer_rewards: the discounted returns of integer rewards (gamma = 0.9) differs
# base: alice (every other exercise cell is alice's)

# %% discount_rewards
def discount_rewards(rewards, gamma):
    rewards = [float(r) for r in rewards]
    returns = [sum(gamma ** k * rewards[k] for k in range(t, len(rewards))) for t in range(len(rewards))]
    return np.array(returns, dtype=np.float64)
