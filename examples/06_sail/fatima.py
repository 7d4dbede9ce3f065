# Correct, written differently from the reference: get_episode_returns is one matrix product (a triangular
# matrix of powers of gamma), flush_episode pushes with an index loop and clears the lists through clear(),
# sail_targets clips the bonus with F.relu and clamp(max=c) and gathers with torch.take_along_dim,
# update_sail uses nn.SmoothL1Loss, and train_sail updates the state after the reset.
# Full automatic marks expected.
# expect: full marks
# %% get_episode_returns
def get_episode_returns(rewards, gamma):
    r = np.array(rewards, dtype=np.float64)  # a copy: the episode buffer's rewards stay as they are
    steps = np.arange(len(r))
    offsets = steps[None, :] - steps[:, None]  # k - t
    powers = np.where(offsets >= 0, float(gamma) ** np.maximum(offsets, 0), 0.0)
    return powers @ r

# %% flush_episode
def flush_episode(episode_buffer, replay_buffer, gamma):
    returns = get_episode_returns(episode_buffer.rewards, gamma)
    for i in range(len(returns)):
        replay_buffer.push(episode_buffer.states[i], episode_buffer.actions[i], episode_buffer.rewards[i],
                           episode_buffer.next_states[i], episode_buffer.terminated[i], returns[i])
    episode_buffer.clear()

# %% sail_targets
def sail_targets(batch, target_net, gamma, alpha, bonus_clip):
    with torch.no_grad():
        q_now = target_net(batch.states)
        q_taken = torch.take_along_dim(q_now, batch.actions[:, None], dim=1)[:, 0]
        v_now = q_now.max(dim=1).values
        bonus = F.relu(torch.maximum(batch.returns, q_taken) - v_now).clamp(max=bonus_clip)
        bootstrap = target_net(batch.next_states).max(dim=1).values * (1.0 - batch.terminated)
        return batch.rewards + gamma * bootstrap + alpha * bonus

# %% update_sail
def update_sail(q_net, target_net, optimizer, batch, config):
    targets = sail_targets(batch, target_net, config.gamma, config.alpha, config.bonus_clip)
    q_taken = torch.take_along_dim(q_net(batch.states), batch.actions[:, None], dim=1).squeeze(1)
    loss = nn.SmoothL1Loss()(q_taken, targets)
    optimizer.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(q_net.parameters(), config.grad_clip)
    optimizer.step()
    return loss.item()

# %% train_sail
SOLUTION_REGION = """
        action = choose_action(q_net, state, epsilon_at(step, config), n_actions, rng)
        next_state, reward, terminated, truncated, _ = env.step(action)
        episode_buffer.push(state, action, reward, next_state, terminated)
        episode_return += reward
        if terminated or truncated:
            flush_episode(episode_buffer, buffer, config.gamma)
            result.episode_returns.append(episode_return)
            curve.add_episode(episode_return)
            episode_return = 0.0
            next_state, _ = env.reset()
        state = next_state
        if step >= config.learning_starts and step % config.train_every == 0 and len(buffer) >= config.batch_size:
            update_sail(q_net, target_net, optimizer, buffer.sample(config.batch_size, rng), config)
        if step % config.target_update_every == 0:
            soft_update(target_net, q_net, config.tau)
"""
