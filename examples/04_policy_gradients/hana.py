# Correct, written differently from the reference, in torch wherever it can be: the returns are
# computed in a float64 tensor and handed back as numpy, the batch is normalised with torch.std
# (unbiased=False) and torch.split, the loss picks log-probabilities with a one-hot mask, and the
# training loop samples through a helper function defined in the reinforce_loss cell.
# Full automatic marks expected.
# expect: full marks
# %% discount_rewards
def discount_rewards(rewards, gamma):
    r = torch.as_tensor(np.asarray(rewards, dtype=np.float64))
    out = torch.zeros_like(r)
    future = torch.zeros((), dtype=torch.float64)
    for t in range(len(r) - 1, -1, -1):
        future = r[t] + gamma * future
        out[t] = future
    return out.numpy()

# %% discount_and_normalize_rewards
def discount_and_normalize_rewards(all_rewards, gamma):
    returns = [torch.from_numpy(discount_rewards(episode, gamma)) for episode in all_rewards]
    flat = torch.cat(returns)
    flat = (flat - flat.mean()) / (flat.std(unbiased=False) + 1e-8)
    return [part.numpy() for part in torch.split(flat, [len(g) for g in returns])]

# %% reinforce_loss
def reinforce_loss(logits, actions, advantages):
    mask = F.one_hot(actions, num_classes=logits.shape[1]).to(logits.dtype)
    log_pi_taken = (F.log_softmax(logits, dim=1) * mask).sum(dim=1)
    return -(log_pi_taken * advantages.detach()).sum() / len(actions)


def sample_actions(policy, observations):
    """One forward pass for a batch of observations; the sampled actions as a list of ints."""
    with torch.no_grad():
        logits = policy(torch.as_tensor(np.asarray(observations), dtype=torch.float32))
    return torch.distributions.Categorical(logits=logits).sample().tolist()

# %% train_reinforce
SOLUTION_REGION = """
        obs_lists = [[] for _ in envs]
        action_lists = [[] for _ in envs]
        reward_lists = [[] for _ in envs]
        latest = [env.reset()[0] for env in envs]
        finished = [False] * len(envs)
        while not all(finished):
            todo = [i for i, over in enumerate(finished) if not over]
            for i, action in zip(todo, sample_actions(policy, [latest[i] for i in todo])):
                obs_lists[i].append(latest[i])
                action_lists[i].append(action)
                latest[i], reward, terminated, truncated, _ = envs[i].step(action)
                reward_lists[i].append(float(reward))
                finished[i] = bool(terminated or truncated)
        normalised = discount_and_normalize_rewards(reward_lists, config.gamma)
        states = torch.tensor(np.array(sum(obs_lists, [])), dtype=torch.float32)
        actions = torch.tensor(sum(action_lists, []), dtype=torch.int64)
        advantages = torch.tensor(np.concatenate(normalised), dtype=torch.float32)
        optimizer.zero_grad(set_to_none=False)
        loss = reinforce_loss(policy(states), actions, advantages)
        loss.backward()
        optimizer.step()
        batch_returns = [sum(rewards) for rewards in reward_lists]
"""
