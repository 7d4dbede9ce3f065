# Buggy: train stores `terminated or truncated`, so time-limit truncations look terminal.
# base: alice

# %% train
SOLUTION_REGION = """
        action = choose_action(q_net, state, epsilon_at(step, config), n_actions, rng)
        observation, reward, terminated, truncated, info = env.step(action)
        done = terminated or truncated
        buffer.push(state, action, reward, observation, done)
        episode_return += reward
        state = observation
        if done:
            result.episode_returns.append(episode_return)
            curve.add_episode(episode_return)
            episode_return = 0.0
            state, info = env.reset()
        if step >= config.learning_starts and buffer.can_sample(config.batch_size) and step % config.train_every == 0:
            update(q_net, target_net, optimizer, buffer.sample(config.batch_size, rng), config)
        if step % config.target_update_every == 0:
            soft_update(target_net, q_net, config.tau)
"""
