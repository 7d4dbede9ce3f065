# train_sail never learns: it writes a hand-made CartPole controller into the Q-network through two ReLU units and
# never calls update_sail; the loop stores transitions right. It loses the schedule part of
# train_sail_terminations_and_episode_returns and the end-to-end check, which both see that update_sail was never
# called (19/25).
# expect: train_sail_solves_cartpole: the training loop ran `update_sail` 0 times
# expect: train_sail_terminations_and_episode_returns: `update_sail` was called at environment steps []
# base: alice
# %% train_sail
SOLUTION_REGION = """
        if step == 1:
            with torch.no_grad():
                for parameter in q_net.parameters():
                    parameter.zero_()
                w = torch.tensor([0.1, 0.5, 1.0, 1.0])
                q_net.layers[0].weight[0], q_net.layers[0].weight[1] = w, -w
                q_net.layers[2].weight[0, 0], q_net.layers[2].weight[1, 1] = 1.0, 1.0
                q_net.layers[4].weight[1, 0], q_net.layers[4].weight[0, 1] = 1.0, 1.0
        action = choose_action(q_net, state, epsilon_at(step, config), n_actions, rng)
        next_state, reward, terminated, truncated, _ = env.step(action)
        episode_buffer.push(state, action, reward, next_state, terminated)
        episode_return += reward
        state = next_state
        if terminated or truncated:
            flush_episode(episode_buffer, buffer, config.gamma)
            curve.add_episode(episode_return)
            result.episode_returns.append(episode_return)
            state, _ = env.reset()
            episode_return = 0.0
"""
