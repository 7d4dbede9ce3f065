"""Reference solutions of 02_mdp (MDPs and value iteration).

Generated from source/02_mdp/02_mdp.ipynb by `python -m course build`; do not edit:
edit the notebook and regenerate. A test checks that the two agree.
"""


# --- cell setup_1 ---
import numpy as np
import gymnasium as gym

from coursekit import experiment_scale, record_video, show_check_messages, show_video

EXPERIMENT_SCALE = experiment_scale()  # 1.0 = full experiments, 0.2 = quick run (env var COURSE_SCALE)
show_check_messages()  # a failed check shows its message; an exercise not written yet says so
print(f"numpy {np.__version__}, gymnasium {gym.__version__}, experiment scale {EXPERIMENT_SCALE}")


# --- cell setup_2 ---
# The Markov chain of Hands-On ML, figure 18-7: BOOK_CHAIN[s, s2] = P(next state = s2 | state = s).
# State 3 is absorbing (terminal): once there, the chain stays there forever.
BOOK_CHAIN = np.array([
    [0.7, 0.2, 0.0, 0.1],  # from s0 to s0, s1, s2, s3
    [0.0, 0.0, 0.9, 0.1],  # from s1
    [0.0, 1.0, 0.0, 0.0],  # from s2
    [0.0, 0.0, 0.0, 1.0],  # from s3
])


# --- cell simulate_chain ---
def simulate_chain(P, start, n_steps, rng):
    """Simulate n_steps transitions of the Markov chain with transition matrix P.

    P: numpy array (n, n), P[s, s2] = probability of moving from s to s2 (rows sum to 1).
    start: the initial state. rng: a numpy Generator, the only source of randomness.
    Returns a numpy int64 array of shape (n_steps + 1,): start, then each visited state.
    An absorbing state simply repeats.
    """
    n_states = len(P)
    states = np.empty(n_steps + 1, dtype=np.int64)
    states[0] = start
    for t in range(n_steps):
        states[t + 1] = rng.choice(n_states, p=P[states[t]])
    return states
    ### END SOLUTION


# --- cell setup_3 ---
# The MDP of Hands-On ML, figure 18-8, exactly as the book writes it.
# transition_probabilities[s][a][s2] = P(s2 | s, a); None where action a is impossible in state s.
transition_probabilities = [  # shape [s, a, s2]
    [[0.7, 0.3, 0.0], [1.0, 0.0, 0.0], [0.8, 0.2, 0.0]],
    [[0.0, 1.0, 0.0], None, [0.0, 0.0, 1.0]],
    [None, [0.8, 0.1, 0.1], None],
]
# rewards[s][a][s2] = reward for the transition s --a--> s2.
rewards = [  # shape [s, a, s2]
    [[+10, 0, 0], [0, 0, 0], [0, 0, 0]],
    [[0, 0, 0], [0, 0, 0], [0, 0, -50]],
    [[0, 0, 0], [+40, 0, 0], [0, 0, 0]],
]
possible_actions = [[0, 1, 2], [0, 2], [1]]


# --- cell q_value_iteration ---
def q_value_iteration(T, R, possible_actions, gamma, n_iterations):
    """Q-value iteration on a small MDP given as nested lists (the book's format).

    T[s][a][s2]: transition probability (T[s][a] is None when a is impossible in s);
    R[s][a][s2]: reward; possible_actions[s]: the actions allowed in s.
    Start from Q = 0 for possible actions and -inf for impossible ones, then apply
    n_iterations synchronous sweeps of the Bellman optimality update (every update of
    a sweep uses the previous sweep's Q).
    Returns Q: numpy float64 array (n_states, n_actions), -inf for impossible actions.
    """
    n_states, n_actions = len(T), len(T[0])
    Q = np.full((n_states, n_actions), -np.inf)
    for s, actions in enumerate(possible_actions):
        Q[s, actions] = 0.0
    for _ in range(n_iterations):
        Q_prev = Q.copy()
        for s in range(n_states):
            for a in possible_actions[s]:
                Q[s, a] = sum(T[s][a][s2] * (R[s][a][s2] + gamma * Q_prev[s2].max()) for s2 in range(n_states))
    return Q
    ### END SOLUTION


# --- cell setup_4 ---
ACTION_NAMES = ["left", "down", "right", "up"]  # FrozenLake's actions 0, 1, 2, 3


def lake_model(env):
    """The transition table of a FrozenLake (or any toy-text) environment, and its sizes.

    P[s][a] is a list of (probability, next_state, reward, terminated) tuples: the
    environment's own model of itself, read from env.unwrapped.P.
    """
    return env.unwrapped.P, int(env.observation_space.n), int(env.action_space.n)


def evaluate_policy(env, policy, n_episodes, seed):
    """Run a deterministic policy (policy[s] = action) for n_episodes episodes; return their returns.

    Episode i is reset with seed + i, so a run is reproducible. An episode ends when it is
    terminated (goal or hole) or truncated (FrozenLake-v1 stops after 100 steps unless
    gym.make is given another max_episode_steps).
    """
    returns = np.zeros(n_episodes)
    for episode in range(n_episodes):
        state, _ = env.reset(seed=seed + episode)
        done = False
        while not done:
            state, reward, terminated, truncated, _ = env.step(int(policy[state]))
            returns[episode] += reward
            done = terminated or truncated
    return returns


# --- cell q_from_v ---
def q_from_v(P, V, gamma):
    """One-step lookahead: Q[s, a] = sum over (p, s2, r, done) in P[s][a] of p * (r + gamma * V[s2] * (1 - done)).

    P: a gymnasium toy-text transition table (P[s][a] = list of (p, s2, r, terminated)).
    V: numpy array (n_states,). Returns a numpy float64 array (n_states, n_actions).
    """
    n_states, n_actions = len(P), len(P[0])
    Q = np.zeros((n_states, n_actions))
    for s in range(n_states):
        for a in range(n_actions):
            for p, s2, r, terminated in P[s][a]:
                Q[s, a] += p * (r + (0.0 if terminated else gamma * V[s2]))
    return Q
    ### END SOLUTION


# --- cell value_iteration ---
def value_iteration(P, n_states, n_actions, gamma, theta, max_sweeps=10_000):
    """Value iteration from V = 0 with synchronous sweeps V <- max_a Q(s, a).

    After each sweep record delta = max_s |V_new(s) - V(s)|; stop after the first sweep
    whose delta is below theta (or after max_sweeps sweeps).
    Returns (V, deltas): V a numpy float64 array (n_states,), the values after the last
    sweep; deltas a list of floats, one per sweep.
    """
    V = np.zeros(n_states)
    deltas = []
    for _ in range(max_sweeps):
        V_new = q_from_v(P, V, gamma).max(axis=1)
        delta = float(np.max(np.abs(V_new - V)))
        deltas.append(delta)
        V = V_new
        if delta < theta:
            break
    return V, deltas
    ### END SOLUTION


# --- cell greedy_policy ---
def greedy_policy(P, V, gamma):
    """The policy that is greedy with respect to V: policy[s] = argmax_a Q(s, a).

    Returns a numpy int64 array (n_states,). Ties may be broken any way.
    """
    return np.argmax(q_from_v(P, V, gamma), axis=1).astype(np.int64)
    ### END SOLUTION


# --- cell policy_evaluation ---
def policy_evaluation(P, policy, gamma, theta, max_sweeps=10_000):
    """Iterative policy evaluation of a deterministic policy (policy[s] = action).

    Synchronous sweeps V(s) <- Q(s, policy[s]) from V = 0, until a sweep changes no value
    by theta or more (or max_sweeps). Returns V: numpy float64 array (n_states,).
    """
    n_states = len(P)
    states = np.arange(n_states)
    V = np.zeros(n_states)
    for _ in range(max_sweeps):
        V_new = q_from_v(P, V, gamma)[states, policy]
        delta = np.max(np.abs(V_new - V))
        V = V_new
        if delta < theta:
            break
    return V
    ### END SOLUTION


# --- cell policy_iteration ---
def policy_iteration(P, n_states, n_actions, gamma, theta, max_iterations=1_000):
    """Policy iteration from the policy "always action 0".

    Repeat: evaluate the policy (policy_evaluation), improve it (greedy_policy). Stop when the
    improved policy equals the current one, or when the evaluation of the new policy changed
    no value by theta or more (ties could otherwise make it switch forever between equally
    good policies), or after max_iterations.
    Returns (policy, V): numpy int64 (n_states,) and its value, numpy float64 (n_states,).
    """
    policy = np.zeros(n_states, dtype=np.int64)
    V = policy_evaluation(P, policy, gamma, theta)
    for _ in range(max_iterations):
        new_policy = greedy_policy(P, V, gamma)
        if np.array_equal(new_policy, policy):
            break
        policy = new_policy
        V_new = policy_evaluation(P, policy, gamma, theta)
        stalled = np.max(np.abs(V_new - V)) < theta
        V = V_new
        if stalled:
            break
    return policy, V
    ### END SOLUTION
