# Correct, written differently from the reference: discount_rewards runs the recursion
# G_t = r_t + gamma G_{t+1} as a linear filter (scipy.signal.lfilter on the reversed rewards), the
# batch's mean and standard deviation are computed by hand, the loss is F.cross_entropy weighted by
# the advantages, and the training loop keeps per-environment dicts, prints a line per batch and
# clears the gradients after the step instead of before the backward pass.
# Full automatic marks expected.
# expect: full marks
# %% discount_rewards
from scipy.signal import lfilter


def discount_rewards(rewards, gamma):
    r = np.asarray(rewards, dtype=np.float64)
    # y[n] = x[n] + gamma * y[n - 1], run from the last reward back to the first
    return lfilter([1.0], [1.0, -gamma], r[::-1])[::-1].copy()

# %% discount_and_normalize_rewards
def discount_and_normalize_rewards(all_rewards, gamma):
    returns = [discount_rewards(episode, gamma) for episode in all_rewards]
    count = sum(len(g) for g in returns)
    mean = sum(float(g.sum()) for g in returns) / count
    variance = sum(float(((g - mean) ** 2).sum()) for g in returns) / count
    std = variance ** 0.5
    print(f"{len(returns)} episodes, {count} steps, return mean {mean:.3f} and std {std:.3f}")
    return [(g - mean) / (std + 1e-8) for g in returns]

# %% reinforce_loss
def reinforce_loss(logits, actions, advantages):
    minus_log_pi = F.cross_entropy(logits, actions, reduction="none")  # -log pi(a_i | s_i)
    return (minus_log_pi * advantages.detach()).mean()

# %% train_reinforce
SOLUTION_REGION = """
        episodes = []
        for env in envs:
            first, _ = env.reset()
            episodes.append({"env": env, "obs": [first], "actions": [], "rewards": [], "done": False})
        while not all(e["done"] for e in episodes):
            running = [e for e in episodes if not e["done"]]
            obs = torch.as_tensor(np.stack([e["obs"][-1] for e in running]), dtype=torch.float32)
            with torch.no_grad():
                actions = torch.distributions.Categorical(logits=policy(obs)).sample()
            for e, action in zip(running, actions.tolist()):
                observation, reward, terminated, truncated, _ = e["env"].step(action)
                e["actions"].append(action)
                e["rewards"].append(reward)
                e["done"] = terminated or truncated
                if not e["done"]:
                    e["obs"].append(observation)
        advantages = discount_and_normalize_rewards([e["rewards"] for e in episodes], config.gamma)
        obs = torch.as_tensor(np.concatenate([np.stack(e["obs"]) for e in episodes]), dtype=torch.float32)
        actions = torch.as_tensor(np.concatenate([e["actions"] for e in episodes]), dtype=torch.long)
        weights = torch.as_tensor(np.concatenate(advantages), dtype=torch.float32)
        loss = reinforce_loss(policy(obs), actions, weights)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()  # after the step: the next batch starts from clean gradients
        batch_returns = [float(sum(e["rewards"])) for e in episodes]
        print(f"batch {batch}: loss {loss.item():+.3f}, mean return {np.mean(batch_returns):.1f}")
"""
