# Correct, written differently from the reference: Q-value iteration in torch (float64, einsum, masks)
# converted back to numpy, helper functions, a Python max() for the greedy action, take_along_axis in
# policy evaluation, and progress prints all over: full automatic marks expected.
# expect: full marks
# %% simulate_chain
def simulate_chain(P, start, n_steps, rng):
    n_states = len(P)
    visited = [start]
    for _ in range(n_steps):
        row = np.asarray(P[visited[-1]], dtype=float)
        visited.append(int(rng.choice(n_states, p=row / row.sum())))
    print(f"gus: simulated {n_steps} steps from state {start}")
    return np.asarray(visited, dtype=np.int64)

# %% q_value_iteration
def q_value_iteration(T, R, possible_actions, gamma, n_iterations):
    import torch

    n_states, n_actions = len(T), len(T[0])
    nothing = [0.0] * n_states
    probs = torch.tensor([[nothing if T[s][a] is None else T[s][a] for a in range(n_actions)]
                          for s in range(n_states)], dtype=torch.float64)
    rewards_t = torch.tensor(R, dtype=torch.float64)
    allowed = torch.zeros(n_states, n_actions, dtype=torch.bool)
    for s, actions in enumerate(possible_actions):
        allowed[s, actions] = True
    Q = torch.zeros(n_states, n_actions, dtype=torch.float64).masked_fill(~allowed, float("-inf"))
    for _ in range(n_iterations):
        V = Q.max(dim=1).values  # from the previous sweep only
        Q = torch.einsum("sat,sat->sa", probs, rewards_t + gamma * V).masked_fill(~allowed, float("-inf"))
    print(f"gus: Q-value iteration, gamma = {gamma}, {n_iterations} sweeps")
    return Q.numpy()

# %% q_from_v
def _expected_return(outcomes, V, gamma):
    total = 0.0
    for probability, next_state, reward, terminated in outcomes:
        total += probability * reward
        if not terminated:
            total += probability * gamma * V[next_state]
    return total


def q_from_v(P, V, gamma):
    n_states, n_actions = len(P), len(P[0])
    Q = np.zeros((n_states, n_actions), dtype=np.float64)
    for s in range(n_states):
        for a in range(n_actions):
            Q[s, a] = _expected_return(P[s][a], V, gamma)
    return Q

# %% value_iteration
def value_iteration(P, n_states, n_actions, gamma, theta, max_sweeps=10_000):
    V = np.zeros(n_states)
    deltas = []
    for sweep in range(1, max_sweeps + 1):
        new_V = np.max(q_from_v(P, V, gamma), axis=1)
        deltas.append(float(np.linalg.norm(new_V - V, ord=np.inf)))
        V = new_V
        if deltas[-1] < theta:
            print(f"gus: value iteration converged after {sweep} sweeps")
            break
    return V, deltas

# %% greedy_policy
def greedy_policy(P, V, gamma):
    Q = q_from_v(P, V, gamma)
    n_actions = Q.shape[1]
    return np.array([max(range(n_actions), key=lambda a: Q[s, a]) for s in range(len(Q))], dtype=np.int64)

# %% policy_evaluation
def policy_evaluation(P, policy, gamma, theta, max_sweeps=10_000):
    policy = np.asarray(policy, dtype=np.int64)
    V = np.zeros(len(P))
    for _ in range(max_sweeps):
        Q = q_from_v(P, V, gamma)
        V_new = np.take_along_axis(Q, policy[:, None], axis=1)[:, 0]
        done = np.max(np.abs(V_new - V)) < theta
        V = V_new
        if done:
            break
    return V

# %% policy_iteration
def policy_iteration(P, n_states, n_actions, gamma, theta, max_iterations=1_000):
    policy = np.zeros(n_states, dtype=np.int64)
    V = policy_evaluation(P, policy, gamma, theta)
    for iteration in range(max_iterations):
        new_policy = greedy_policy(P, V, gamma)
        changed = int(np.sum(new_policy != policy))
        print(f"gus: improvement {iteration}: {changed} states changed action")
        if changed == 0:
            break
        policy = new_policy
        V_new = policy_evaluation(P, policy, gamma, theta)
        if np.max(np.abs(V_new - V)) < theta:
            V = V_new
            break
        V = V_new
    return policy, V
