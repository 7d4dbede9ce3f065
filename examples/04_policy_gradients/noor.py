# One bug in train_reinforce: the actions are the policy's argmax instead of samples from it, so the agent
# never explores (and every environment of a batch plays the same episode). Must cost
# train_episodes_of_different_lengths, train_learns_delayed_reward and train_solves_cartpole.
# expect: train_episodes_of_different_lengths: all 18 episodes had the same return
# expect: train_learns_delayed_reward: picks the rewarded first action with probability
# expect: train_solves_cartpole: the trained agent's greedy mean return was
# base: alice (every other exercise cell is alice's)

# %% train_reinforce
SOLUTION_REGION = """
        trajectories = [{"obs": [], "actions": [], "rewards": []} for _ in envs]
        current = [env.reset()[0] for env in envs]
        playing = list(range(len(envs)))
        while playing:
            batch_obs = torch.tensor(np.array([current[i] for i in playing]), dtype=torch.float32)
            with torch.no_grad():
                chosen = policy(batch_obs).argmax(dim=1).tolist()
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
        batch_returns = [float(np.sum(t["rewards"])) for t in trajectories]
"""
