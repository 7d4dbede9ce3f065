# Partly correct: q_value_iteration updates Q in place (later updates of a sweep already see this
# sweep's values), so its results differ before convergence; only its checks should fail.
# expect: q_value_iteration_book: differs from the expected values
# expect: q_value_iteration_first_sweeps: previous sweep's Q
# expect: q_value_iteration_other_mdps: differs from the expected values
# base: alice (every other exercise cell is alice's)

# %% q_value_iteration
def q_value_iteration(T, R, possible_actions, gamma, n_iterations):
    n_states, n_actions = len(T), len(T[0])
    Q = np.full((n_states, n_actions), -np.inf)
    for s, actions in enumerate(possible_actions):
        Q[s, actions] = 0.0
    for _ in range(n_iterations):
        for s in range(n_states):
            for a in possible_actions[s]:
                Q[s, a] = sum(T[s][a][s2] * (R[s][a][s2] + gamma * Q[s2].max()) for s2 in range(n_states))
    return Q
