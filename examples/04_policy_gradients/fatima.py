# Correct, written differently from the reference: the discounted returns are one matrix product
# (a triangular matrix of powers of gamma), the batch is normalised in one flat array and split back
# with np.split, the loss gathers with torch.take_along_dim, and the training loop logs every step
# as (environment, observation, action, reward) and regroups them per episode afterwards.
# Full automatic marks expected.
# expect: full marks
# %% discount_rewards
def discount_rewards(rewards, gamma):
    r = np.asarray(rewards, dtype=np.float64)
    steps = np.arange(len(r))
    offsets = steps[None, :] - steps[:, None]  # k - t
    powers = np.where(offsets >= 0, float(gamma) ** np.maximum(offsets, 0), 0.0)  # gamma^(k - t) for k >= t
    return powers @ r

# %% discount_and_normalize_rewards
def discount_and_normalize_rewards(all_rewards, gamma):
    returns = [discount_rewards(episode, gamma) for episode in all_rewards]
    flat = np.concatenate(returns)
    flat = (flat - flat.mean()) / (flat.std() + 1e-8)
    return np.split(flat, np.cumsum([len(g) for g in returns])[:-1])

# %% reinforce_loss
def reinforce_loss(logits, actions, advantages):
    log_pi = torch.log_softmax(logits, dim=-1)
    chosen = torch.take_along_dim(log_pi, actions[:, None], dim=1).squeeze(1)
    return -(chosen * advantages.detach()).mean()

# %% train_reinforce
SOLUTION_REGION = """
        log = []  # one (environment, observation, action, reward) per step of the batch
        observations = np.array([env.reset()[0] for env in envs], dtype=np.float32)
        alive = np.ones(len(envs), dtype=bool)
        while alive.any():
            playing = np.nonzero(alive)[0]
            with torch.no_grad():
                sampled = torch.distributions.Categorical(logits=policy(torch.from_numpy(observations[playing]))).sample()
            for i, action in zip(playing.tolist(), sampled.tolist()):
                next_observation, reward, terminated, truncated, _ = envs[i].step(action)
                log.append((i, observations[i].copy(), action, float(reward)))
                observations[i] = next_observation
                alive[i] = not (terminated or truncated)
        per_episode = [[entry for entry in log if entry[0] == i] for i in range(len(envs))]
        advantages = discount_and_normalize_rewards([[e[3] for e in episode] for episode in per_episode], config.gamma)
        states = torch.tensor(np.array([e[1] for episode in per_episode for e in episode]))
        taken = torch.tensor([e[2] for episode in per_episode for e in episode], dtype=torch.int64)
        weights = torch.from_numpy(np.concatenate(advantages).astype(np.float32))
        optimizer.zero_grad()
        reinforce_loss(policy(states), taken, weights).backward()
        optimizer.step()
        batch_returns = [sum(e[3] for e in episode) for episode in per_episode]
"""
