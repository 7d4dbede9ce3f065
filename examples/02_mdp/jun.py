# Partly correct: simulate_chain returns only the states visited after the start (n_steps states, not
# n_steps + 1: an off-by-one), so every simulate_chain check rejects the path's shape; nothing else fails.
# expect: simulate_chain_properties: must have shape (301,), got (300,)
# expect: simulate_chain_frequencies: must have shape (20001,), got (20000,)
# expect: simulate_chain_uses_rng: must have shape (201,), got (200,)
# base: alice (every other exercise cell is alice's)

# %% simulate_chain
def simulate_chain(P, start, n_steps, rng):
    states = []
    current = start
    for _ in range(n_steps):
        current = rng.choice(len(P), p=P[current])
        states.append(current)
    return np.array(states, dtype=np.int64)
