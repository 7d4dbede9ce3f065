# Partly correct: simulate_chain draws the next state with np.random.choice instead of the given rng,
# so the same rng seed does not give the same path; the frequencies are right. Costs
# simulate_chain_uses_rng only.
# expect: simulate_chain_uses_rng: the same `rng` seed gave different paths
# base: alice (every other exercise cell is alice's)

# %% simulate_chain
def simulate_chain(P, start, n_steps, rng):
    path = [start]
    for _ in range(n_steps):
        path.append(np.random.choice(len(P), p=P[path[-1]]))
    return np.array(path, dtype=np.int64)
