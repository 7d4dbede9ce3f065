# Correct, but written differently from the reference, printing as it goes:
# full automatic marks expected.
# expect: full marks
# %% discount_rewards
def discount_rewards(rewards, gamma):
    running = 0.0
    out = []
    for reward in reversed(list(rewards)):
        running = float(reward) + gamma * running
        out.append(running)
    return np.array(out[::-1], dtype=np.float64)

# %% discount_and_normalize_rewards
def discount_and_normalize_rewards(all_rewards, gamma):
    discounted = [discount_rewards(episode, gamma) for episode in all_rewards]
    everything = np.hstack(discounted)
    centre, spread = np.mean(everything), np.std(everything)
    print(f"normalising {everything.size} returns: mean {centre:.2f}, std {spread:.2f}")  # chatty, but correct
    return [(d - centre) / (spread + 1e-8) for d in discounted]

# %% reinforce_loss
def reinforce_loss(logits, actions, advantages):
    distribution = torch.distributions.Categorical(logits=logits)
    return torch.mean(-distribution.log_prob(actions) * advantages.detach())

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
        batch_returns = [float(np.sum(t["rewards"])) for t in trajectories]
"""

# %% normalisation
# Subtracting a constant baseline does not bias the gradient because the expected score
# E[grad log pi(a|s)] is zero. On CartPole every return is positive, so without centring every
# action gets pushed up; centring makes below-average actions less likely. Dividing by the
# standard deviation keeps the step size about the same as the episodes get longer.
