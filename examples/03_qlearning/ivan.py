# Partly correct: choose_action explores with np.random instead of the given rng, so the same rng seed
# does not give the same actions; the distribution is right. Costs choose_action_uses_rng only.
# expect: choose_action_uses_rng: the same `rng` seed gave different actions
# base: alice (every other exercise cell is alice's)

# %% choose_action
def choose_action(Q, state, epsilon, rng):
    if np.random.random() < epsilon:
        return int(np.random.randint(Q.shape[1]))
    return int(np.argmax(Q[state]))
