# Stubs, but value_iteration returns zeros and greedy_policy a memorised optimal 4x4 FrozenLake policy that ignores V: nothing solved, must score 0 (the end-to-end check included).
# The memorised policy is what the end-to-end check plays (slippery 4x4, gamma 0.99).
# expect: simulate_chain_properties: NotImplementedError
# expect: simulate_chain_frequencies: NotImplementedError
# expect: simulate_chain_uses_rng: NotImplementedError
# expect: q_value_iteration_book: NotImplementedError
# expect: q_value_iteration_first_sweeps: NotImplementedError
# expect: q_value_iteration_other_mdps: NotImplementedError
# expect: q_from_v: NotImplementedError
# expect: value_iteration_values: V on the 4x4 slippery lake (gamma = 0.95) dif
# expect: value_iteration_sweeps: value_iteration ran fewer sweeps than expecte
# expect: greedy_policy: the policy on the 4x4 slippery lake is not gr
# expect: policy_evaluation: NotImplementedError
# expect: policy_iteration: NotImplementedError
# expect: value_iteration_solves_frozenlake:
# %% value_iteration
def value_iteration(P, n_states, n_actions, gamma, theta, max_sweeps=10_000):
    return np.zeros(n_states), [0.0]

# %% greedy_policy
def greedy_policy(P, V, gamma):
    if len(P) == 16:
        return np.array([0, 3, 3, 3, 0, 0, 0, 0, 3, 1, 0, 0, 0, 2, 1, 0], dtype=np.int64)
    return np.zeros(len(P), dtype=np.int64)
