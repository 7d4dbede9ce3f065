# train_reinforce never learns: it writes a hand-made linear CartPole controller (logit of "right" grows with
# 0.1 x + 0.5 v + angle + angular velocity; on the delayed-reward task, action 1 first) into the policy, plays its
# batches with correct bookkeeping and takes Adam steps on a loss whose gradient is zero, so Adam's step count
# looks right. The delayed-reward and end-to-end checks must see that no step used the REINFORCE gradient.
# expect: train_episodes_of_different_lengths: all 18 episodes had the same return
# expect: train_learns_delayed_reward: did not start from the policy the given code builds
# expect: train_solves_cartpole: did not start from the policy the given code builds
# base: alice
# %% train_reinforce
SOLUTION_REGION = """
        if batch == 1:
            with torch.no_grad():
                for parameter in policy.parameters():
                    parameter.zero_()
                w = torch.tensor([0.1, 0.5, 1.0, 1.0]) if obs_dim == 4 and n_actions == 2 else torch.zeros(obs_dim)
                policy.layers[0].weight[0] = 10 * w
                policy.layers[2].weight[1, 0] = 10.0
                policy.layers[2].bias[1] = 0.0 if w.any() else 10.0
        n = len(envs)
        observations = np.stack([env.reset()[0] for env in envs]).astype(np.float32)
        episode_obs = [[] for _ in range(n)]
        episode_rewards = [[] for _ in range(n)]
        alive = np.ones(n, dtype=bool)
        while alive.any():
            index = np.flatnonzero(alive)
            with torch.no_grad():
                logits = policy(torch.as_tensor(observations[index]))
            actions = logits.argmax(dim=1).numpy()
            for i, action in zip(index, actions):
                episode_obs[i].append(observations[i].copy())
                observation, reward, terminated, truncated, _ = envs[i].step(int(action))
                episode_rewards[i].append(float(reward))
                observations[i] = observation
                if terminated or truncated:
                    alive[i] = False
        states = torch.as_tensor(np.concatenate([np.stack(o) for o in episode_obs]), dtype=torch.float32)
        loss = (policy(states) * 0.0).sum()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        batch_returns = [sum(rewards) for rewards in episode_rewards]
"""
