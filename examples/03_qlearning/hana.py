# Correct, written differently from the reference: a numpy float64 learning rate (a float subclass),
# `uniform() >= epsilon` for the greedy branch and rng.choice over an arange for the random one, updates
# written through a row view, a history preallocated with np.repeat whose row t + 1 is the Q-table that
# update works on, and an itertools.count episode loop: full automatic marks expected.
# expect: full marks
# %% learning_rate
def learning_rate(t, alpha0, decay):
    return np.float64(alpha0) / np.add(1.0, t * decay)

# %% choose_action
def choose_action(Q, state, epsilon, rng):
    if rng.uniform() >= epsilon:
        return int(Q[state].argmax())
    return int(rng.choice(np.arange(Q.shape[1])))

# %% update
def update(Q, s, a, r, s_next, terminated, alpha, gamma):
    row = Q[s]  # a view: writing into it writes into Q
    future = 0.0 if terminated else gamma * Q[s_next].max()
    row[a] += alpha * (r + future - row[a])

# %% q_learning_mdp
def q_learning_mdp(n_iterations, alpha0, decay, gamma, rng):
    history = np.repeat(initial_q_values()[None], n_iterations + 1, axis=0)
    s = 0
    for t in range(n_iterations):
        Q = history[t + 1]  # a view of row t + 1, which starts as a copy of row t
        Q[:] = history[t]
        a = exploration_policy(s, rng)
        s_next, r = step(s, a, rng)
        update(Q, s, a, r, s_next, False, learning_rate(t, alpha0, decay), gamma)
        s = s_next
    return history

# %% sarsa_update
def sarsa_update(Q, s, a, r, s_next, a_next, terminated, alpha, gamma):
    row = Q[s]
    future = 0.0 if terminated else gamma * Q[s_next, a_next]
    row[a] += alpha * (r + future - row[a])

# %% train
SOLUTION_REGION = """
        import itertools

        action = choose_action(Q, state, config.epsilon, rng)
        for _ in itertools.count():
            next_state, reward, terminated, truncated, _ = env.step(action)
            episode_return += float(reward)
            if method == "sarsa":
                next_action = choose_action(Q, next_state, config.epsilon, rng)  # chosen before the update
                sarsa_update(Q, state, action, reward, next_state, next_action, terminated, alpha, config.gamma)
            else:
                update(Q, state, action, reward, next_state, terminated, alpha, config.gamma)
                next_action = choose_action(Q, next_state, config.epsilon, rng)
            if terminated or truncated:
                break
            state, action = next_state, next_action
"""
