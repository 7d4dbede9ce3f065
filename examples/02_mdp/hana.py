# Correct, written differently from the reference: inverse-CDF sampling by hand in a helper, Q-value
# iteration that updates the table in place but from V of the previous sweep saved first (so it is
# still synchronous), a nested-comprehension q_from_v, first-maximum tie breaking by a comparison mask,
# np.allclose as the stopping test, and a guard against policies seen before: full automatic marks expected.
# expect: full marks
# %% simulate_chain
def _draw(row, rng):
    u = rng.random()
    cumulative = 0.0
    for next_state, probability in enumerate(row):
        cumulative += probability
        if u < cumulative:
            return next_state
    return int(np.flatnonzero(np.asarray(row) > 0)[-1])  # rounding left u above the total: the last possible state


def simulate_chain(P, start, n_steps, rng):
    path = np.empty(n_steps + 1, dtype=np.int64)
    path[0] = start
    for t in range(n_steps):
        path[t + 1] = _draw(P[path[t]], rng)
    return path

# %% q_value_iteration
def q_value_iteration(T, R, possible_actions, gamma, n_iterations):
    n_states, n_actions = len(T), len(T[0])
    Q = np.full((n_states, n_actions), -np.inf)
    for s, actions in enumerate(possible_actions):
        Q[s, actions] = 0.0
    for _ in range(n_iterations):
        V_previous = Q.max(axis=1)  # saved before any entry of this sweep changes
        for s in range(n_states):
            for a in possible_actions[s]:
                Q[s, a] = np.dot(T[s][a], np.asarray(R[s][a], dtype=float) + gamma * V_previous)
    return Q

# %% q_from_v
def _lookahead(outcomes, V, gamma):
    return sum(p * (r + gamma * V[s2] * (not done)) for p, s2, r, done in outcomes)


def q_from_v(P, V, gamma):
    return np.array([[_lookahead(P[s][a], V, gamma) for a in range(len(P[s]))] for s in range(len(P))],
                    dtype=np.float64)

# %% value_iteration
def value_iteration(P, n_states, n_actions, gamma, theta, max_sweeps=10_000):
    V = np.zeros(n_states)
    deltas = []
    for _ in range(max_sweeps):
        previous, V = V, q_from_v(P, V, gamma).max(axis=1)
        deltas.append(np.max(np.abs(V - previous)))
        if deltas[-1] < theta:
            break
    return V, [float(d) for d in deltas]

# %% greedy_policy
def greedy_policy(P, V, gamma):
    Q = q_from_v(P, V, gamma)
    is_best = Q == Q.max(axis=1, keepdims=True)
    return is_best.argmax(axis=1).astype(np.int64)  # the first True of each row: lowest best action

# %% policy_evaluation
def policy_evaluation(P, policy, gamma, theta, max_sweeps=10_000):
    rows = np.arange(len(P))
    V = np.zeros(len(P))
    sweeps = 0
    while sweeps < max_sweeps:
        V_new = q_from_v(P, V, gamma)[rows, policy]
        sweeps += 1
        if np.allclose(V_new, V, rtol=0.0, atol=theta):
            V = V_new
            break
        V = V_new
    return V

# %% policy_iteration
def policy_iteration(P, n_states, n_actions, gamma, theta, max_iterations=1_000):
    policy = np.zeros(n_states, dtype=np.int64)
    V = policy_evaluation(P, policy, gamma, theta)
    seen = {tuple(policy)}
    for _ in range(max_iterations):
        candidate = greedy_policy(P, V, gamma)
        if np.array_equal(candidate, policy):
            break
        V_candidate = policy_evaluation(P, candidate, gamma, theta)
        stalled = np.max(np.abs(V_candidate - V)) < theta or tuple(candidate) in seen
        policy, V = candidate, V_candidate
        seen.add(tuple(policy))
        if stalled:
            break
    return policy, V
