# Partly correct: sarsa_update bootstraps from the max over next actions (that is Q-learning, not SARSA);
# only that check should fail (the all-terminal check and the training checks cannot tell).
# expect: sarsa_update_matches_reference: SARSA updates
# base: alice (every other exercise cell is alice's)

# %% sarsa_update
def sarsa_update(Q, s, a, r, s_next, a_next, terminated, alpha, gamma):
    target = r if terminated else r + gamma * Q[s_next].max()
    Q[s, a] += alpha * (target - Q[s, a])
