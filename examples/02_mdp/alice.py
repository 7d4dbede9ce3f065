# Correct, but written differently from the reference (other random draws, vectorised tables,
# a linear solve for policy evaluation, ties broken towards the last action), printing and
# warning as it goes: full automatic marks expected.
# expect: full marks
# %% simulate_chain
def simulate_chain(P, start, n_steps, rng):
    cumulative = np.cumsum(np.asarray(P, dtype=float), axis=1)
    path = [int(start)]
    for u in rng.random(n_steps):  # one uniform number per step, inverted through the row's CDF
        row = cumulative[path[-1]]
        path.append(int(min(np.searchsorted(row, u * row[-1], side="right"), len(row) - 1)))
    return np.array(path, dtype=np.int64)

# %% q_value_iteration
def q_value_iteration(T, R, possible_actions, gamma, n_iterations):
    n_states, n_actions = len(T), len(T[0])
    probs = np.zeros((n_states, n_actions, n_states))
    for s in range(n_states):
        for a in range(n_actions):
            if T[s][a] is not None:
                probs[s, a] = T[s][a]
    rewards_array = np.array(R, dtype=float)
    allowed = np.zeros((n_states, n_actions), dtype=bool)
    for s, actions in enumerate(possible_actions):
        allowed[s, actions] = True
    expected_reward = (probs * rewards_array).sum(axis=2)
    Q = np.where(allowed, 0.0, -np.inf)
    for iteration in range(n_iterations):
        Q = np.where(allowed, expected_reward + gamma * probs @ Q.max(axis=1), -np.inf)
    print(f"q_value_iteration: {n_iterations} iterations done")  # chatty, but correct
    return Q

# %% q_from_v
def q_from_v(P, V, gamma):
    rows = []
    for s in sorted(P):
        row = []
        for a in sorted(P[s]):
            total = 0.0
            for probability, next_state, reward, terminated in P[s][a]:
                future = 0.0 if terminated else gamma * V[next_state]
                total += probability * (reward + future)
            row.append(total)
        rows.append(row)
    return np.array(rows, dtype=np.float64)

# %% value_iteration
def value_iteration(P, n_states, n_actions, gamma, theta, max_sweeps=10_000):
    import warnings
    warnings.warn("alice: remember to remove this debugging warning")  # a warning costs nothing
    values = np.zeros(n_states)
    history = []
    while len(history) < max_sweeps:
        updated = np.max(q_from_v(P, values, gamma), axis=1)
        history.append(float(np.abs(updated - values).max()))
        values = updated
        if history[-1] < theta:
            break
    return values, history

# %% greedy_policy
def greedy_policy(P, V, gamma):
    Q = q_from_v(P, V, gamma)
    last_best = Q.shape[1] - 1 - np.argmax(Q[:, ::-1], axis=1)  # ties go to the highest action index
    return last_best.astype(np.int64)

# %% policy_evaluation
def policy_evaluation(P, policy, gamma, theta, max_sweeps=10_000):
    # Exact solution of V = r_pi + gamma * P_pi V (no sweeps needed).
    n = len(P)
    transition = np.zeros((n, n))
    reward = np.zeros(n)
    for s in range(n):
        for probability, next_state, r, terminated in P[s][int(policy[s])]:
            reward[s] += probability * r
            if not terminated:
                transition[s, next_state] += probability
    return np.linalg.solve(np.eye(n) - gamma * transition, reward)

# %% policy_iteration
def policy_iteration(P, n_states, n_actions, gamma, theta, max_iterations=1_000):
    policy = np.zeros(n_states, dtype=np.int64)
    values = policy_evaluation(P, policy, gamma, theta)
    for improvement in range(max_iterations):
        candidate = greedy_policy(P, values, gamma)
        candidate_values = policy_evaluation(P, candidate, gamma, theta)
        if np.array_equal(candidate, policy) or np.max(np.abs(candidate_values - values)) < theta:
            return candidate, candidate_values
        policy, values = candidate, candidate_values
    return policy, values

# %% gamma_policy_change
# Staying in s1 with a0 earns nothing, so Q*(s1, a0) = 0 whatever gamma is. Action a2 costs -50
# now and only pays back later (+40 from s2, then the +10 stream of s0), so its value depends on
# how much the future counts. With gamma = 0.90 the discounted pay-back is smaller than 50 and
# Q*(s1, a2) < 0; with gamma = 0.95 it is slightly larger, so a2 becomes the better action.
# In s0, a0 gives +10 immediately and keeps the agent there most of the time: best for both.
