# Correct, written differently from the reference, in torch wherever it can be: get_episode_returns runs
# backwards in a float64 tensor, flush_episode pushes through a helper, sail_targets picks Q(s, a) with a
# one-hot mask and writes the clip as torch.minimum(torch.maximum(...)), update_sail writes the Huber loss
# out by hand, and train_sail keeps `done` in a variable.
# Full automatic marks expected.
# expect: full marks
# %% get_episode_returns
def get_episode_returns(rewards, gamma):
    r = torch.tensor(list(map(float, rewards)), dtype=torch.float64)
    g = torch.zeros_like(r)
    running = 0.0
    for t in reversed(range(len(r))):
        running = r[t].item() + gamma * running
        g[t] = running
    return g.numpy()

# %% flush_episode
def push_transition(replay_buffer, episode_buffer, i, g):
    replay_buffer.push(episode_buffer.states[i], episode_buffer.actions[i], episode_buffer.rewards[i],
                       episode_buffer.next_states[i], episode_buffer.terminated[i], float(g))


def flush_episode(episode_buffer, replay_buffer, gamma):
    for i, g in enumerate(get_episode_returns(episode_buffer.rewards, gamma)):
        push_transition(replay_buffer, episode_buffer, i, g)
    episode_buffer.clear()

# %% sail_targets
def sail_targets(batch, target_net, gamma, alpha, bonus_clip):
    with torch.no_grad():
        q = target_net(batch.states)
        taken = (q * F.one_hot(batch.actions, q.shape[1]).to(q.dtype)).sum(dim=1)
        gap = torch.maximum(batch.returns, taken) - q.amax(dim=1)
        bonus = torch.minimum(torch.maximum(gap, torch.zeros_like(gap)), torch.full_like(gap, bonus_clip))
        alive = torch.logical_not(batch.terminated.bool()).to(q.dtype)
        return batch.rewards + gamma * alive * target_net(batch.next_states).amax(dim=1) + alpha * bonus

# %% update_sail
def update_sail(q_net, target_net, optimizer, batch, config):
    targets = sail_targets(batch, target_net, config.gamma, config.alpha, config.bonus_clip)
    q = q_net(batch.states)
    taken = (q * F.one_hot(batch.actions, q.shape[1]).to(q.dtype)).sum(dim=1)
    error = (taken - targets).abs()
    loss = torch.where(error < 1.0, 0.5 * error ** 2, error - 0.5).mean()
    optimizer.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(q_net.parameters(), config.grad_clip)
    optimizer.step()
    return loss.item()

# %% train_sail
SOLUTION_REGION = """
        action = choose_action(q_net, state, epsilon_at(step, config), n_actions, rng)
        observation, reward, terminated, truncated, _ = env.step(action)
        episode_buffer.push(state, action, reward, observation, terminated)
        episode_return += reward
        done = terminated or truncated
        if done:
            flush_episode(episode_buffer, buffer, config.gamma)
            curve.add_episode(episode_return)
            result.episode_returns.append(episode_return)
            state, episode_return = env.reset()[0], 0.0
        else:
            state = observation
        learning = step >= config.learning_starts and step % config.train_every == 0
        if learning and buffer.can_sample(config.batch_size):
            update_sail(q_net, target_net, optimizer, buffer.sample(config.batch_size, rng), config)
        if step % config.target_update_every == 0:
            soft_update(target_net, q_net, config.tau)
"""
