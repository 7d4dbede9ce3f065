# train learns honestly through update, then overwrites the network it keeps with a hand-made controller
# before every evaluation, so the evaluations (and the network returned) are the controller's.
# The end-to-end check must see that the returned network is not one that update produced.
# expect: train_solves_cartpole: is not one that `update` produced
# base: alice
# %% train
SOLUTION_REGION = """
        action = choose_action(q_net, state, epsilon_at(step, config), n_actions, rng)
        next_state, reward, terminated, truncated, _ = env.step(action)
        buffer.push(state, action, reward, next_state, terminated)
        episode_return += reward
        state = next_state
        if terminated or truncated:
            curve.add_episode(episode_return)
            result.episode_returns.append(episode_return)
            state, _ = env.reset()
            episode_return = 0.0
        if step >= config.learning_starts and step % config.train_every == 0 and buffer.can_sample(config.batch_size):
            update(q_net, target_net, optimizer, buffer.sample(config.batch_size, rng), config)
        if step % config.target_update_every == 0:
            soft_update(target_net, q_net, config.tau)
        if step % config.eval_every == 0:
            with torch.no_grad():
                for parameter in q_net.parameters():
                    parameter.zero_()
                w = torch.tensor([0.1, 0.5, 1.0, 1.0])
                q_net.layers[0].weight[0], q_net.layers[0].weight[1] = w, -w
                q_net.layers[2].weight[0, 0], q_net.layers[2].weight[1, 1] = 1.0, 1.0
                q_net.layers[4].weight[1, 0], q_net.layers[4].weight[0, 1] = 1.0, 1.0
"""
