# Ignores `truncated`: an episode only ends when the pole falls, so environments are stepped past
# their time limit (a classic bug). Every other exercise cell is alice's.
# expect: train_episodes_end_on_truncation_and_termination: stepped after its episode had ended
# base: alice

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
                if not terminated:
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
