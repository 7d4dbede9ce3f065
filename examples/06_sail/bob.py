# Partly correct: train_sail flushes the episode buffer only when an episode terminates, so a
# truncated episode never reaches the replay buffer on its own; only train_sail's storage check should fail.
# expect: train_sail_flushes_truncated_episodes: 40 transitions belong in the replay buffer
# base: alice (every other exercise cell is alice's)

# %% train_sail
SOLUTION_REGION = """
        epsilon = epsilon_at(step, config)
        action = choose_action(q_net, state, epsilon, n_actions, rng)
        observation, reward, terminated, truncated, info = env.step(action)
        episode_buffer.push(state, action, reward, observation, terminated)
        episode_return = episode_return + reward
        if terminated:
            flush_episode(episode_buffer, buffer, config.gamma)
        if terminated or truncated:
            result.episode_returns.append(episode_return)
            curve.add_episode(episode_return)
            episode_return = 0.0
            state, info = env.reset()
        else:
            state = observation
        ready = step >= config.learning_starts and buffer.can_sample(config.batch_size)
        if ready and step % config.train_every == 0:
            update_sail(q_net, target_net, optimizer, buffer.sample(config.batch_size, rng), config)
        if step % config.target_update_every == 0:
            soft_update(target_net, q_net, config.tau)
"""
