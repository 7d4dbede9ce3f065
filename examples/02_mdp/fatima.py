# Correct, written differently from the reference: one multinomial draw per step of the chain, a fresh
# table per Q-iteration sweep (max over the possible actions only), q_from_v on columns of arrays, a
# while loop with a counter for value iteration, and policy evaluation with P_pi and r_pi built once:
# full automatic marks expected.
# expect: full marks
# %% simulate_chain
def simulate_chain(P, start, n_steps, rng):
    P = np.asarray(P, dtype=float)
    path = np.zeros(n_steps + 1, dtype=np.int64)
    path[0] = start
    for t in range(1, n_steps + 1):
        path[t] = np.argmax(rng.multinomial(1, P[path[t - 1]]))  # a one-hot draw of the next state
    return path

# %% q_value_iteration
def q_value_iteration(T, R, possible_actions, gamma, n_iterations):
    n_states, n_actions = len(T), len(T[0])
    Q = np.full((n_states, n_actions), -np.inf)
    for s in range(n_states):
        for a in possible_actions[s]:
            Q[s, a] = 0.0
    for _ in range(n_iterations):
        V = [max(Q[s2, b] for b in possible_actions[s2]) for s2 in range(n_states)]
        new_Q = np.full_like(Q, -np.inf)
        for s in range(n_states):
            for a in possible_actions[s]:
                new_Q[s, a] = sum(p * (R[s][a][s2] + gamma * V[s2]) for s2, p in enumerate(T[s][a]))
        Q = new_Q
    return Q

# %% q_from_v
def q_from_v(P, V, gamma):
    V = np.asarray(V, dtype=np.float64)
    Q = np.empty((len(P), len(P[0])))
    for s, actions in P.items():
        for a, outcomes in actions.items():
            p, s2, r, done = (np.array(column, dtype=float) for column in zip(*outcomes))
            Q[s, a] = np.sum(p * (r + gamma * V[s2.astype(int)] * (1.0 - done)))
    return Q

# %% value_iteration
def value_iteration(P, n_states, n_actions, gamma, theta, max_sweeps=10_000):
    V = np.zeros(n_states)
    deltas = []
    sweeps = 0
    while sweeps < max_sweeps:
        sweeps += 1
        V_next = q_from_v(P, V, gamma).max(axis=1)
        deltas.append(np.abs(V_next - V).max().item())
        V = V_next
        if deltas[-1] < theta:
            break
    return V, deltas

# %% greedy_policy
def greedy_policy(P, V, gamma):
    Q = q_from_v(P, V, gamma)
    return np.array([int(row.argmax()) for row in Q], dtype=np.int64)

# %% policy_evaluation
def policy_evaluation(P, policy, gamma, theta, max_sweeps=10_000):
    n = len(P)
    P_pi, r_pi = np.zeros((n, n)), np.zeros(n)
    for s in range(n):
        for p, s2, r, done in P[s][int(policy[s])]:
            r_pi[s] += p * r
            if not done:
                P_pi[s, s2] += p
    V = np.zeros(n)
    for _ in range(max_sweeps):
        V_new = r_pi + gamma * P_pi @ V  # one synchronous sweep, as a matrix product
        converged = np.all(np.abs(V_new - V) < theta)
        V = V_new
        if converged:
            break
    return V

# %% policy_iteration
def policy_iteration(P, n_states, n_actions, gamma, theta, max_iterations=1_000):
    policy = np.zeros(n_states, dtype=np.int64)
    V = policy_evaluation(P, policy, gamma, theta)
    iterations = 0
    while iterations < max_iterations:
        iterations += 1
        improved = greedy_policy(P, V, gamma)
        if (improved == policy).all():
            break
        policy = improved
        V_old, V = V, policy_evaluation(P, policy, gamma, theta)
        if np.abs(V - V_old).max() < theta:
            break
    return policy, V
