# alice's work, but simulate_chain ignores its rng and reseeds numpy's global RNG on each call: must lose simulate_chain's frequency and rng checks (27/30).
# expect: simulate_chain_frequencies: the transition frequencies on the first step
# expect: simulate_chain_uses_rng: different `rng` seeds gave identical paths: i
# base: alice
# %% simulate_chain
def simulate_chain(P, start, n_steps, rng):
    np.random.seed(2024)
    path = [start]
    for _ in range(n_steps):
        path.append(int(np.random.choice(len(P), p=P[path[-1]])))
    return np.array(path, dtype=np.int64)
