# Partly correct: train passes `terminated or truncated` to the updates, so a time-limit truncation is
# treated as terminal and does not bootstrap; costs train_truncation_bootstraps and the end-to-end check,
# whose cliff run has a truncated episode.
# expect: train_solves_cliff: update was not given the step's `terminated`
# expect: train_truncation_bootstraps: a time-limit truncation was passed to the update as terminal
# base: alice (every other exercise cell is alice's)

# %% train
SOLUTION_REGION = """
        action = choose_action(Q, state, config.epsilon, rng)
        done = False
        while not done:
            next_state, reward, terminated, truncated, _ = env.step(action)
            episode_return += reward
            done = terminated or truncated
            if method == "sarsa":
                next_action = choose_action(Q, next_state, config.epsilon, rng)
                sarsa_update(Q, state, action, reward, next_state, next_action, done, alpha, config.gamma)
            else:
                update(Q, state, action, reward, next_state, done, alpha, config.gamma)
                next_action = choose_action(Q, next_state, config.epsilon, rng)
            state, action = next_state, next_action
"""
