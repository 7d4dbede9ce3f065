# Partly correct: in SARSA, train updates with a next action a' but then plays another, freshly drawn
# action in s' (it calls choose_action again at the top of every step), so the update does not use the
# action actually taken. Costs train_methods, which compares the a' passed to sarsa_update with the next
# action played.
# expect: train_methods: the very action a' it passed to sarsa_update
# base: alice (every other exercise cell is alice's)

# %% train
SOLUTION_REGION = """
        done = False
        while not done:
            action = choose_action(Q, state, config.epsilon, rng)
            next_state, reward, terminated, truncated, _ = env.step(action)
            episode_return += reward
            if method == "sarsa":
                next_action = choose_action(Q, next_state, config.epsilon, rng)
                sarsa_update(Q, state, action, reward, next_state, next_action, terminated, alpha, config.gamma)
            else:
                update(Q, state, action, reward, next_state, terminated, alpha, config.gamma)
            state = next_state
            done = terminated or truncated
"""
