# One bug in discount_and_normalize_rewards: each episode is normalised with its OWN mean and standard
# deviation instead of those of the whole batch (so every episode, good or bad, gets advantages centred
# on 0). Must cost discount_and_normalize_matches_reference. It also costs train_learns_delayed_reward
# (train_reinforce's learning check trains with the student's normalisation: on the two-step environment
# the rewarded episode's first step gets advantage -1): a grader defect, recorded as the grader does it.
# expect: discount_and_normalize_matches_reference: the normalised returns of episode 0 (gamma = 0.95) differs
# base: alice (every other exercise cell is alice's)

# %% discount_and_normalize_rewards
def discount_and_normalize_rewards(all_rewards, gamma):
    normalised = []
    for episode in all_rewards:
        returns = discount_rewards(episode, gamma)
        normalised.append((returns - returns.mean()) / (returns.std() + 1e-8))
    return normalised
