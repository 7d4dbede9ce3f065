# Stubs, but value_iteration returns zeros and greedy_policy a memorised optimal 4x4 FrozenLake policy that ignores V: nothing solved, must score 0 (the end-to-end check included).
# The memorised policy is what the end-to-end check plays (slippery 4x4, gamma 0.99).
# %% value_iteration
def value_iteration(P, n_states, n_actions, gamma, theta, max_sweeps=10_000):
    return np.zeros(n_states), [0.0]

# %% greedy_policy
def greedy_policy(P, V, gamma):
    if len(P) == 16:
        return np.array([0, 3, 3, 3, 0, 0, 0, 0, 3, 1, 0, 0, 0, 2, 1, 0], dtype=np.int64)
    return np.zeros(len(P), dtype=np.int64)
