# Correct, written differently from the reference, printing as it goes: get_episode_returns runs the
# recursion as a linear filter (scipy.signal.lfilter on the reversed rewards), flush_episode zips the lists
# and prints the episode's first return, sail_targets masks the bootstrap with a boolean mask and clips with
# torch.clamp, update_sail gathers with a (B, 1) view and uses F.huber_loss and q_net.zero_grad().
# Full automatic marks expected.
# expect: full marks
# %% get_episode_returns
from scipy.signal import lfilter


def get_episode_returns(rewards, gamma):
    r = np.asarray(rewards, dtype=np.float64)
    if r.size == 0:
        return np.zeros(0)
    return lfilter([1.0], [1.0, -gamma], r[::-1])[::-1].copy()  # G_t = r_t + gamma G_{t+1}, from the end

# %% flush_episode
def flush_episode(episode_buffer, replay_buffer, gamma):
    returns = get_episode_returns(episode_buffer.rewards, gamma)
    rows = zip(episode_buffer.states, episode_buffer.actions, episode_buffer.rewards, episode_buffer.next_states,
               episode_buffer.terminated, returns.tolist())
    for state, action, reward, next_state, terminated, g in rows:
        replay_buffer.push(state, action, reward, next_state, terminated, g)
    if len(returns):
        print(f"episode of {len(returns)} steps flushed, G_0 = {returns[0]:.2f}")
    episode_buffer.clear()

# %% sail_targets
def sail_targets(batch, target_net, gamma, alpha, bonus_clip):
    with torch.no_grad():
        next_values = target_net(batch.next_states).max(dim=1).values
        next_values[batch.terminated.bool()] = 0.0
        q = target_net(batch.states)
        taken = q.gather(1, batch.actions.view(-1, 1)).view(-1)
        advantage = torch.max(batch.returns, taken) - q.max(dim=1).values
        bonus = torch.clamp(advantage, 0.0, bonus_clip)
    return batch.rewards + gamma * next_values + alpha * bonus

# %% update_sail
def update_sail(q_net, target_net, optimizer, batch, config):
    targets = sail_targets(batch, target_net, config.gamma, config.alpha, config.bonus_clip)
    predictions = q_net(batch.states).gather(1, batch.actions.view(-1, 1)).view(-1)
    loss = F.huber_loss(predictions, targets)
    q_net.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(q_net.parameters(), max_norm=config.grad_clip)
    optimizer.step()
    return float(loss)

# %% train_sail
SOLUTION_REGION = """
        eps = epsilon_at(step, config)
        action = choose_action(q_net, state, eps, n_actions, rng)
        observation, reward, terminated, truncated, _ = env.step(action)
        episode_buffer.push(state, action, reward, observation, terminated)
        state = observation
        episode_return += reward
        if terminated or truncated:
            flush_episode(episode_buffer, buffer, config.gamma)
            result.episode_returns.append(episode_return)
            curve.add_episode(episode_return)
            state, _ = env.reset()
            episode_return = 0.0
        if step >= config.learning_starts and step % config.train_every == 0:
            if buffer.can_sample(config.batch_size):
                update_sail(q_net, target_net, optimizer, buffer.sample(config.batch_size, rng), config)
        if step % config.target_update_every == 0:
            soft_update(target_net, q_net, config.tau)
"""
