# train's loop is right (update at every step), but after the last episode it writes an optimal cliff Q-table
# (up, eleven steps right, down) over what it learned. Only the end-to-end check may fail: the table it returns
# did not come out of update.
# expect: train_solves_cliff: the Q-table changed outside update
# base: alice
# %% train
SOLUTION_REGION = """
        action = choose_action(Q, state, config.epsilon, rng)
        done = False
        while not done:
            next_state, reward, terminated, truncated, _ = env.step(action)
            episode_return += reward
            if method == "sarsa":
                next_action = choose_action(Q, next_state, config.epsilon, rng)
                sarsa_update(Q, state, action, reward, next_state, next_action, terminated, alpha, config.gamma)
            else:
                update(Q, state, action, reward, next_state, terminated, alpha, config.gamma)
                next_action = choose_action(Q, next_state, config.epsilon, rng)
            state, action = next_state, next_action
            done = terminated or truncated
        if episode == config.n_episodes - 1 and Q.shape == (48, 4):
            Q[:] = 0.0
            Q[36, 0] = 1.0
            Q[24:35, 1] = 1.0
            Q[35, 2] = 1.0
"""
