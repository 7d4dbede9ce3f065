# Correct, written differently from the reference: epsilon-greedy as one draw from an explicit
# probability vector (eps / n everywhere, 1 - eps more on the greedy action), a shared helper for the
# two TD targets, a closure that does the learning in train, and progress prints: full automatic marks expected.
# expect: full marks
# %% learning_rate
def learning_rate(t, alpha0, decay):
    rate = alpha0 / (1 + decay * t)
    return float(rate)

# %% choose_action
def choose_action(Q, state, epsilon, rng):
    n_actions = Q.shape[1]
    probabilities = np.full(n_actions, epsilon / n_actions)
    probabilities[np.argmax(Q[state])] += 1.0 - epsilon
    return int(rng.choice(n_actions, p=probabilities))

# %% update
def _td_target(r, next_value, terminated, gamma):
    return r if terminated else r + gamma * next_value


def update(Q, s, a, r, s_next, terminated, alpha, gamma):
    target = _td_target(r, np.max(Q[s_next]), terminated, gamma)
    Q[s, a] = Q[s, a] + alpha * (target - Q[s, a])

# %% q_learning_mdp
def q_learning_mdp(n_iterations, alpha0, decay, gamma, rng):
    Q = initial_q_values()
    history = [Q.copy()]
    state = 0
    for t in range(n_iterations):
        action = exploration_policy(state, rng)
        next_state, reward = step(state, action, rng)
        update(Q, state, action, reward, next_state, False, learning_rate(t, alpha0, decay), gamma)
        history.append(Q.copy())
        state = next_state
    print(f"gus: {n_iterations} iterations, final greedy actions {np.argmax(Q, axis=1).tolist()}")
    return np.array(history)

# %% sarsa_update
def sarsa_update(Q, s, a, r, s_next, a_next, terminated, alpha, gamma):
    target = _td_target(r, Q[s_next, a_next], terminated, gamma)
    Q[s, a] = Q[s, a] + alpha * (target - Q[s, a])

# %% train
SOLUTION_REGION = """
        def learn(s, a, r, s2, term):
            # returns the action to play in s2
            if method == "sarsa":
                a2 = choose_action(Q, s2, config.epsilon, rng)
                sarsa_update(Q, s, a, r, s2, a2, term, alpha, config.gamma)
                return a2
            update(Q, s, a, r, s2, term, alpha, config.gamma)
            return choose_action(Q, s2, config.epsilon, rng)

        action = choose_action(Q, state, config.epsilon, rng)
        done = False
        while not done:
            next_state, reward, terminated, truncated, _ = env.step(action)
            episode_return += reward
            action = learn(state, action, reward, next_state, terminated)
            state = next_state
            done = terminated or truncated
        if show and episode == config.n_episodes - 1:
            print(f"gus: last training episode returned {episode_return}")
"""
