# Partly correct: simulate_chain returns only the states visited after the start (n_steps states, not
# n_steps + 1: an off-by-one), so every simulate_chain check rejects the path's shape; nothing else fails.
# base: alice (every other exercise cell is alice's)

# %% simulate_chain
def simulate_chain(P, start, n_steps, rng):
    states = []
    current = start
    for _ in range(n_steps):
        current = rng.choice(len(P), p=P[current])
        states.append(current)
    return np.array(states, dtype=np.int64)
