# Partly correct: q_value_iteration starts from Q = 0 everywhere, impossible actions included, so they
# stay at 0 instead of -inf (and a state whose possible actions are all negative gets max 0); costs the
# three q_value_iteration checks only.
# expect: q_value_iteration_book: impossible actions must have Q = -inf
# expect: q_value_iteration_first_sweeps: impossible actions must have Q = -inf
# expect: q_value_iteration_other_mdps: impossible actions must have Q = -inf
# base: alice (every other exercise cell is alice's)

# %% q_value_iteration
def q_value_iteration(T, R, possible_actions, gamma, n_iterations):
    n_states, n_actions = len(T), len(T[0])
    Q = np.zeros((n_states, n_actions))
    for _ in range(n_iterations):
        Q_prev = Q.copy()
        for s in range(n_states):
            for a in possible_actions[s]:
                Q[s, a] = sum(T[s][a][s2] * (R[s][a][s2] + gamma * Q_prev[s2].max()) for s2 in range(n_states))
    return Q
