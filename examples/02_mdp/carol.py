# Raises: q_from_v unpacks the transitions as (probability, next_state, reward), forgetting the
# terminated flag, so every call fails with a ValueError, and so does everything built on it.
# expect: q_from_v: too many values to unpack
# expect: value_iteration_solves_frozenlake: too many values to unpack
# base: alice (every other exercise cell is alice's)

# %% q_from_v
def q_from_v(P, V, gamma):
    Q = np.zeros((len(P), len(P[0])))
    for s in range(len(P)):
        for a in range(len(P[s])):
            for probability, next_state, reward in P[s][a]:
                Q[s, a] += probability * (reward + gamma * V[next_state])
    return Q
