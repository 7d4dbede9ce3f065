# One bug in train_reinforce: a CartPole habit. `batch_returns` holds each episode's LENGTH instead of the
# sum of its rewards (the same thing on CartPole, where every reward is 1). Must cost
# train_episodes_of_different_lengths, whose environment pays rewards 1, 2, 0, 1, 2, 0, ...
# expect: train_episodes_of_different_lengths: some recorded episode returns are impossible
# base: alice (every other exercise cell is alice's)

# %% train_reinforce
SOLUTION_REGION = """
        trajectories = [{"obs": [], "actions": [], "rewards": []} for _ in envs]
        current = [env.reset()[0] for env in envs]
        playing = list(range(len(envs)))
        while playing:
            batch_obs = torch.tensor(np.array([current[i] for i in playing]), dtype=torch.float32)
            with torch.no_grad():
                probabilities = torch.softmax(policy(batch_obs), dim=-1)
            chosen = torch.multinomial(probabilities, 1).squeeze(1).tolist()
            still_playing = []
            for i, action in zip(playing, chosen):
                trajectories[i]["obs"].append(current[i])
                trajectories[i]["actions"].append(action)
                current[i], reward, terminated, truncated, info = envs[i].step(action)
                trajectories[i]["rewards"].append(reward)
                if not (terminated or truncated):
                    still_playing.append(i)
            playing = still_playing
        advantages = discount_and_normalize_rewards([t["rewards"] for t in trajectories], config.gamma)
        all_obs = torch.tensor(np.array([o for t in trajectories for o in t["obs"]]), dtype=torch.float32)
        all_actions = torch.tensor([a for t in trajectories for a in t["actions"]])
        all_advantages = torch.tensor(np.concatenate(advantages), dtype=torch.float32)
        optimizer.zero_grad(set_to_none=True)
        reinforce_loss(policy(all_obs), all_actions, all_advantages).backward()
        optimizer.step()
        batch_returns = [float(len(t["rewards"])) for t in trajectories]  # episode length = return on CartPole
"""
