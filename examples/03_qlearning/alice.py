# Correct, but written differently from the reference (the book's form of the update, a preallocated
# history, a differently shaped episode loop), printing as it goes: full automatic marks expected.
# expect: full marks
# %% learning_rate
def learning_rate(t, alpha0, decay):
    return alpha0 * 1.0 / (1.0 + decay * t)

# %% choose_action
def choose_action(Q, state, epsilon, rng):
    explore = rng.uniform() < epsilon
    if explore:
        return int(rng.choice(Q.shape[1]))
    row = Q[state]
    return int(np.flatnonzero(row == row.max())[0])

# %% update
def update(Q, s, a, r, s_next, terminated, alpha, gamma):
    next_value = 0.0 if terminated else gamma * Q[s_next].max()
    Q[s, a] = (1 - alpha) * Q[s, a] + alpha * (r + next_value)

# %% q_learning_mdp
def q_learning_mdp(n_iterations, alpha0, decay, gamma, rng):
    Q = initial_q_values()
    history = np.empty((n_iterations + 1,) + Q.shape)
    history[0] = Q
    s = 0
    for t in range(n_iterations):
        a = exploration_policy(s, rng)
        s2, r = step(s, a, rng)
        update(Q, s, a, r, s2, False, learning_rate(t, alpha0, decay), gamma)
        history[t + 1] = Q
        s = s2
    print(f"alice: {n_iterations} Q-learning steps done")  # chatty, but correct
    return history

# %% sarsa_update
def sarsa_update(Q, s, a, r, s_next, a_next, terminated, alpha, gamma):
    td_error = r + (0.0 if terminated else gamma * Q[s_next][a_next]) - Q[s][a]
    Q[s][a] += alpha * td_error

# %% train
SOLUTION_REGION = """
        s, a = state, choose_action(Q, state, config.epsilon, rng)
        while True:
            s2, r, term, trunc, info = env.step(a)
            episode_return = episode_return + r
            if method == "q_learning":
                update(Q, s, a, r, s2, term, alpha, config.gamma)
                a2 = choose_action(Q, s2, config.epsilon, rng)
            else:
                a2 = choose_action(Q, s2, config.epsilon, rng)
                sarsa_update(Q, s, a, r, s2, a2, term, alpha, config.gamma)
            s, a = s2, a2
            if term or trunc:
                break
"""

# %% sarsa_vs_q
# Q-learning bootstraps from the best next action, so it learns the values of the greedy policy,
# for which the edge of the cliff is perfectly safe: its greedy path is the shortest one (-13).
# But it explores with epsilon = 0.1 while walking that edge and falls now and then, so its
# training returns are poor. SARSA bootstraps from the action it really takes, exploration
# included, so the cells along the cliff look dangerous to it and it learns a path further up:
# longer (-17) but it rarely falls, hence better returns during training. Keep exploring: SARSA;
# no more exploration: Q-learning's policy is the optimal one.
