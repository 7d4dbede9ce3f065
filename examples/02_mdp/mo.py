# Partly correct: value_iteration measures delta after overwriting V (stale bookkeeping: it compares the
# new values with themselves), so delta is 0 and it stops after one sweep. Costs value_iteration_values,
# value_iteration_sweeps and the end-to-end value_iteration_solves_frozenlake that runs it.
# expect: value_iteration_values: V on the 4x4 slippery lake (gamma = 0.95) differs
# expect: value_iteration_sweeps: value_iteration ran fewer sweeps than expected
# expect: value_iteration_solves_frozenlake: reached the goal in 0.0% of 1000 episodes
# base: alice (every other exercise cell is alice's)

# %% value_iteration
def value_iteration(P, n_states, n_actions, gamma, theta, max_sweeps=10_000):
    V = np.zeros(n_states)
    deltas = []
    for _ in range(max_sweeps):
        V_new = q_from_v(P, V, gamma).max(axis=1)
        V = V_new
        delta = float(np.max(np.abs(V_new - V)))
        deltas.append(delta)
        if delta < theta:
            break
    return V, deltas
