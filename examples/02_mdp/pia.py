# Partly correct: value_iteration's loop runs max_sweeps + 1 sweeps when it does not converge (an
# off-by-one in a while loop); costs value_iteration_sweeps only (its max_sweeps = 5 case).
# expect: value_iteration_sweeps: ran more sweeps than expected on the 8x8 slippery lake (gamma = 0.99, max_sweeps = 5)
# base: alice (every other exercise cell is alice's)

# %% value_iteration
def value_iteration(P, n_states, n_actions, gamma, theta, max_sweeps=10_000):
    V = np.zeros(n_states)
    deltas = []
    sweep = 0
    while sweep <= max_sweeps:
        V_new = q_from_v(P, V, gamma).max(axis=1)
        deltas.append(float(np.max(np.abs(V_new - V))))
        V = V_new
        if deltas[-1] < theta:
            break
        sweep += 1
    return V, deltas
