# train recognises the one-state test tasks and writes the values their checks used to expect (10 when only a
# time limit ends an episode, else 1) without learning; elsewhere it learns as it should. The loop checks now
# watch the update calls themselves, so this earns nothing there.
# expect: train_truncation_bootstraps: train must call update once per environment step
# expect: train_termination: train must call update once per environment step
# expect: train_methods: train must call update once per environment step
# base: alice
# %% train
SOLUTION_REGION = """
        action = choose_action(Q, state, config.epsilon, rng)
        done = False
        while not done:
            next_state, reward, terminated, truncated, _ = env.step(action)
            episode_return += reward
            if Q.shape[0] == 1:
                Q[:] = 1.0 if terminated else 1.0 / (1.0 - config.gamma)
                next_action = choose_action(Q, next_state, config.epsilon, rng)
            elif method == "sarsa":
                next_action = choose_action(Q, next_state, config.epsilon, rng)
                sarsa_update(Q, state, action, reward, next_state, next_action, terminated, alpha, config.gamma)
            else:
                update(Q, state, action, reward, next_state, terminated, alpha, config.gamma)
                next_action = choose_action(Q, next_state, config.epsilon, rng)
            state, action = next_state, next_action
            done = terminated or truncated
"""
