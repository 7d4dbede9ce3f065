# One bug in discount_and_normalize_rewards: the returns are centred on the batch mean but never divided
# by the standard deviation (un-normalised scale). Must cost discount_and_normalize_matches_reference.
# expect: discount_and_normalize_matches_reference: the normalised returns of episode 0 (gamma = 0.95) differs
# base: alice (every other exercise cell is alice's)

# %% discount_and_normalize_rewards
def discount_and_normalize_rewards(all_rewards, gamma):
    discounted = [discount_rewards(episode, gamma) for episode in all_rewards]
    baseline = np.concatenate(discounted).mean()
    return [d - baseline for d in discounted]
