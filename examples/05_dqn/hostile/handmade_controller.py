# train never learns: it writes a hand-made CartPole controller (push right when 0.1 x + 0.5 v + angle + angular
# velocity > 0) into the Q-network through two ReLU units and never calls update. The loop stores transitions
# right, so it keeps the storage checks; it loses the schedule part of train_stores_termination_and_returns and the
# end-to-end check, which both see that update was never called (27/33).
# expect: train_solves_cartpole: the training loop ran `update` 0 times
# expect: train_stores_termination_and_returns: `update` was called at environment steps []
# base: alice
# %% train
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
        buffer.push(state, action, reward, next_state, terminated)
        episode_return += reward
        state = next_state
        if terminated or truncated:
            curve.add_episode(episode_return)
            result.episode_returns.append(episode_return)
            state, _ = env.reset()
            episode_return = 0.0
"""
