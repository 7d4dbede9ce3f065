# One bug in train: the transition is stored with `terminated or truncated` as its terminal flag, so a
# time-limit cut is treated as a terminal state and the target never bootstraps through it. Must cost
# train_stores_truncation_as_non_terminal.
# expect: train_stores_truncation_as_non_terminal: a time-limit truncation was stored as terminal
# base: alice (every other exercise cell is alice's)

# %% train
SOLUTION_REGION = """
        epsilon = epsilon_at(step, config)
        action = choose_action(q_net, state, epsilon, n_actions, rng)
        observation, reward, terminated, truncated, info = env.step(action)
        buffer.push(state, action, reward, observation, terminated or truncated)
        episode_return = episode_return + reward
        if terminated or truncated:
            result.episode_returns.append(episode_return)
            curve.add_episode(episode_return)
            episode_return = 0.0
            state, info = env.reset()
        else:
            state = observation
        ready = step >= config.learning_starts and buffer.can_sample(config.batch_size)
        if ready and step % config.train_every == 0:
            batch = buffer.sample(config.batch_size, rng)
            update(q_net, target_net, optimizer, batch, config)
        if step % config.target_update_every == 0:
            soft_update(target_net, q_net, config.tau)
"""

