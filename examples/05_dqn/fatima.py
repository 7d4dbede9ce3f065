# Correct, written differently from the reference: eval_dqn loops `while True` with a break and numpy's
# argmax, choose_action tests the greedy branch first and picks with torch, dqn_targets detaches the target
# network's output instead of using no_grad, update gathers with torch.take_along_dim and takes its loss
# from nn.SmoothL1Loss / nn.MSELoss modules, soft_update is a copy_ loop, double_dqn_targets runs under the
# @torch.no_grad() decorator, and the dueling head broadcasts V with expand_as.
# Full automatic marks expected.
# expect: full marks
# %% eval_dqn
def eval_dqn(q_net, env, n_episodes=5, seed=None):
    returns = np.zeros(n_episodes)
    for i in range(n_episodes):
        state, _ = env.reset(seed=None if seed is None else seed + i)
        while True:
            action = int(np.argmax(get_q(q_net, [state])[0]))
            state, reward, terminated, truncated, _ = env.step(action)
            returns[i] += reward
            if terminated or truncated:
                break
    return returns

# %% choose_action
def choose_action(q_net, state, epsilon, n_actions, rng):
    if rng.random() >= epsilon:
        with torch.no_grad():
            q = q_net(torch.as_tensor(state, dtype=torch.float32, device=device)[None])
        return int(q.argmax(dim=1).item())
    return int(rng.integers(0, n_actions))

# %% dqn_targets
def dqn_targets(rewards, next_states, terminated, target_net, gamma):
    next_q = target_net(next_states).detach()
    not_done = 1.0 - terminated
    return rewards + gamma * not_done * next_q.max(dim=1)[0]

# %% update
def update(q_net, target_net, optimizer, batch, config):
    if config.double:
        targets = double_dqn_targets(batch.rewards, batch.next_states, batch.terminated, q_net, target_net, config.gamma)
    else:
        targets = dqn_targets(batch.rewards, batch.next_states, batch.terminated, target_net, config.gamma)
    q_taken = torch.take_along_dim(q_net(batch.states), batch.actions.unsqueeze(-1), dim=-1).squeeze(-1)
    criterion = nn.SmoothL1Loss() if config.loss == "huber" else nn.MSELoss()
    loss = criterion(q_taken, targets)
    optimizer.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(q_net.parameters(), config.grad_clip)
    optimizer.step()
    return loss.item()

# %% soft_update
def soft_update(target_net, q_net, tau):
    with torch.no_grad():
        for target_param, param in zip(target_net.parameters(), q_net.parameters()):
            target_param.copy_(tau * param + (1.0 - tau) * target_param)

# %% double_dqn_targets
@torch.no_grad()
def double_dqn_targets(rewards, next_states, terminated, q_net, target_net, gamma):
    best = q_net(next_states).argmax(dim=1, keepdim=True)
    value = target_net(next_states).gather(1, best).squeeze(1)
    return rewards + gamma * (1.0 - terminated) * value

# %% dueling
SOLUTION_REGION = """
        features = self.body(states)
        advantages = self.advantage_head(features)
        value = self.value_head(features).expand_as(advantages)
        return value + advantages - advantages.mean(dim=1).unsqueeze(1)
"""

# %% train
SOLUTION_REGION = """
        action = choose_action(q_net, state, epsilon_at(step, config), n_actions, rng)
        next_state, reward, terminated, truncated, _ = env.step(action)
        buffer.push(state, action, reward, next_state, terminated)
        episode_return += reward
        done = terminated or truncated
        if done:
            curve.add_episode(episode_return)
            result.episode_returns.append(episode_return)
            episode_return = 0.0
            next_state, _ = env.reset()
        state = next_state
        if step >= config.learning_starts and step % config.train_every == 0 and len(buffer) >= config.batch_size:
            update(q_net, target_net, optimizer, buffer.sample(config.batch_size, rng), config)
        if step % config.target_update_every == 0:
            soft_update(target_net, q_net, config.tau)
"""
