# Partly correct: value_iteration updates V in place state by state (Gauss-Seidel), so later states of a
# sweep already see this sweep's values: it still converges to V*, but its per-sweep deltas (and number
# of sweeps) are not those of synchronous sweeps; costs value_iteration_sweeps only.
# expect: value_iteration_sweeps: value_iteration ran fewer sweeps than expected on the 4x4 slippery lake
# base: alice (every other exercise cell is alice's)

# %% value_iteration
def value_iteration(P, n_states, n_actions, gamma, theta, max_sweeps=10_000):
    V = np.zeros(n_states)
    deltas = []
    for _ in range(max_sweeps):
        delta = 0.0
        for s in range(n_states):
            best = max(sum(p * (r + (0.0 if done else gamma * V[s2])) for p, s2, r, done in P[s][a])
                       for a in range(n_actions))
            delta = max(delta, abs(best - V[s]))
            V[s] = best
        deltas.append(delta)
        if delta < theta:
            break
    return V, deltas
