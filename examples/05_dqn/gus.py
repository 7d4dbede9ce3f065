# Correct, written differently from the reference, printing as it goes: dqn_targets zeroes the terminal
# bootstraps with a boolean mask, update gathers with a (B, 1) view and uses F.huber_loss / F.mse_loss and
# q_net.zero_grad(), soft_update is mul_ then add_, double_dqn_targets picks terminal targets with
# torch.where, and train prints a line every 50 episodes.
# Full automatic marks expected.
# expect: full marks
# %% eval_dqn
def eval_dqn(q_net, env, n_episodes=5, seed=None):
    returns = []
    for i in range(n_episodes):
        observation, _ = env.reset(seed=(seed + i) if seed is not None else None)
        done, total = False, 0.0
        while not done:
            action = int(get_q(q_net, observation.reshape(1, -1)).argmax(axis=1)[0])
            observation, reward, terminated, truncated, _ = env.step(action)
            total += reward
            done = terminated or truncated
        returns.append(total)
    print(f"greedy returns: {returns}")
    return np.asarray(returns, dtype=np.float64)

# %% choose_action
def choose_action(q_net, state, epsilon, n_actions, rng):
    if rng.uniform(0.0, 1.0) < epsilon:
        return int(rng.integers(n_actions))
    return int(get_q(q_net, state.reshape(1, -1)).argmax(axis=1)[0])

# %% dqn_targets
def dqn_targets(rewards, next_states, terminated, target_net, gamma):
    with torch.no_grad():
        next_values = target_net(next_states).max(dim=1).values
        next_values[terminated == 1] = 0.0  # no bootstrap from a terminal state
        return rewards + gamma * next_values

# %% update
def update(q_net, target_net, optimizer, batch, config):
    targets = (double_dqn_targets(batch.rewards, batch.next_states, batch.terminated, q_net, target_net, config.gamma)
               if config.double else
               dqn_targets(batch.rewards, batch.next_states, batch.terminated, target_net, config.gamma))
    predictions = q_net(batch.states).gather(1, batch.actions.view(-1, 1)).view(-1)
    if config.loss == "huber":
        loss = F.huber_loss(predictions, targets)
    else:
        loss = F.mse_loss(predictions, targets)
    q_net.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(q_net.parameters(), max_norm=config.grad_clip)
    optimizer.step()
    return float(loss)

# %% soft_update
def soft_update(target_net, q_net, tau):
    with torch.no_grad():
        for target_param, param in zip(target_net.parameters(), q_net.parameters()):
            target_param.mul_(1.0 - tau).add_(param, alpha=tau)

# %% double_dqn_targets
def double_dqn_targets(rewards, next_states, terminated, q_net, target_net, gamma):
    with torch.no_grad():
        best = q_net(next_states).argmax(dim=1)
        value = target_net(next_states).gather(1, best.unsqueeze(1)).squeeze(1)
        return torch.where(terminated > 0.5, rewards, rewards + gamma * value)

# %% dueling
SOLUTION_REGION = """
        h = self.body(states)
        v, a = self.value_head(h), self.advantage_head(h)
        return v + (a - a.mean(dim=1, keepdim=True))
"""

# %% train
SOLUTION_REGION = """
        eps = epsilon_at(step, config)
        action = choose_action(q_net, state, eps, n_actions, rng)
        next_state, reward, terminated, truncated, _ = env.step(action)
        buffer.push(state, action, reward, next_state, terminated)
        state = next_state
        episode_return += reward
        if terminated or truncated:
            result.episode_returns.append(episode_return)
            curve.add_episode(episode_return)
            if len(result.episode_returns) % 50 == 0:
                print(f"step {step}: episode {len(result.episode_returns)}, return {episode_return:.0f}, epsilon {eps:.2f}")
            state, _ = env.reset()
            episode_return = 0.0
        if step >= config.learning_starts and step % config.train_every == 0:
            if buffer.can_sample(config.batch_size):
                update(q_net, target_net, optimizer, buffer.sample(config.batch_size, rng), config)
        if step % config.target_update_every == 0:
            soft_update(target_net, q_net, config.tau)
"""
