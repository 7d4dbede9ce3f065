# Loops forever: the episode loop stops only when the episode is terminated, not when it is truncated,
# so on a task that only a time limit ends, train never returns.
# expect: train_methods: s of CPU time, many times what correct code needs
# expect: train_truncation_bootstraps: s of CPU time, many times what correct code needs
# base: alice (every other exercise cell is alice's)

# %% train
SOLUTION_REGION = """
        a = choose_action(Q, state, config.epsilon, rng)
        terminated = False
        while not terminated:
            next_state, reward, terminated, truncated, _ = env.step(a)
            episode_return += reward
            if method == "q_learning":
                update(Q, state, a, reward, next_state, terminated, alpha, config.gamma)
                a = choose_action(Q, next_state, config.epsilon, rng)
            else:
                next_a = choose_action(Q, next_state, config.epsilon, rng)
                sarsa_update(Q, state, a, reward, next_state, next_a, terminated, alpha, config.gamma)
                a = next_a
            state = next_state
"""
