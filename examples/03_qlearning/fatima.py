# Correct, written differently from the reference: a negative power for the learning rate, an
# epsilon-greedy that draws its random action first and then decides (another valid use of rng: the
# notebook only asks that every random number come from rng), a (1 - terminated) mask in the targets,
# and a Q-learning loop that picks each action at the top of the step: full automatic marks expected.
# expect: full marks
# %% learning_rate
def learning_rate(t, alpha0, decay):
    return float(alpha0 * (1.0 + t * decay) ** -1)

# %% choose_action
def choose_action(Q, state, epsilon, rng):
    random_action = int(rng.integers(Q.shape[1]))  # drawn every time, used only when exploring
    if rng.random() < epsilon:
        return random_action
    return int(np.argmax(Q[state]))

# %% update
def update(Q, s, a, r, s_next, terminated, alpha, gamma):
    target = r + gamma * Q[s_next].max() * (1.0 - float(terminated))
    Q[s, a] += alpha * (target - Q[s, a])

# %% q_learning_mdp
def q_learning_mdp(n_iterations, alpha0, decay, gamma, rng):
    Q = initial_q_values()
    snapshots = [Q.copy()]
    s, t = 0, 0
    while t < n_iterations:
        a = exploration_policy(s, rng)
        s_next, r = step(s, a, rng)
        update(Q, s, a, r, s_next, False, learning_rate(t, alpha0, decay), gamma)
        snapshots.append(Q.copy())
        s, t = s_next, t + 1
    return np.stack(snapshots)

# %% sarsa_update
def sarsa_update(Q, s, a, r, s_next, a_next, terminated, alpha, gamma):
    Q[s][a] = Q[s][a] + alpha * (r + gamma * Q[s_next][a_next] * (not terminated) - Q[s][a])

# %% train
SOLUTION_REGION = """
        action = choose_action(Q, state, config.epsilon, rng) if method == "sarsa" else None
        while True:
            if method == "q_learning":  # off-policy: the action is chosen afresh at each step
                action = choose_action(Q, state, config.epsilon, rng)
            next_state, reward, terminated, truncated, _ = env.step(action)
            episode_return += reward
            if method == "q_learning":
                update(Q, state, action, reward, next_state, terminated, alpha, config.gamma)
            else:
                next_action = choose_action(Q, next_state, config.epsilon, rng)
                sarsa_update(Q, state, action, reward, next_state, next_action, terminated, alpha, config.gamma)
                action = next_action
            state = next_state
            if terminated or truncated:
                break
"""
