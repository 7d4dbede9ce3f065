# Partly correct: choose_action breaks ties by adding tiny random noise to the row of Q in place, so
# every call changes the Q-table it should only read; costs choose_action_greedy and the end-to-end
# check, which sees the Q-table change outside update (with "fix `choose_action` first").
# expect: choose_action_greedy: choose_action modified Q
# expect: train_solves_cliff: fix `choose_action` first
# base: alice (every other exercise cell is alice's)

# %% choose_action
def choose_action(Q, state, epsilon, rng):
    Q[state] += 1e-9 * rng.random(Q.shape[1])  # random tie-breaking, written into Q by mistake
    if rng.random() < epsilon:
        return int(rng.integers(Q.shape[1]))
    return int(np.argmax(Q[state]))
