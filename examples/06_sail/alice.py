# Correct, but written differently from the reference, printing and warning as it goes:
# full automatic marks expected.
# expect: full marks
# %% get_episode_returns
from itertools import accumulate


def get_episode_returns(rewards, gamma):
    backwards = accumulate(reversed(list(rewards)), lambda later, r: float(r) + gamma * later)
    return np.fromiter(backwards, dtype=np.float64)[::-1].copy()

# %% flush_episode
def flush_episode(episode_buffer, replay_buffer, gamma):
    returns = get_episode_returns(episode_buffer.rewards, gamma)
    transitions = zip(episode_buffer.states, episode_buffer.actions, episode_buffer.rewards,
                      episode_buffer.next_states, episode_buffer.terminated, returns)
    for s, a, r, s2, done, g in transitions:
        replay_buffer.push(s, a, r, s2, done, float(g))
    print(f"flushed {len(episode_buffer)} transitions")  # chatty, but correct
    episode_buffer.clear()

# %% sail_targets
def sail_targets(batch, target_net, gamma, alpha, bonus_clip):
    n = batch.states.shape[0]
    with torch.no_grad():
        q_all = target_net(torch.cat([batch.states, batch.next_states]))
        q_now, q_next = q_all[:n], q_all[n:]
        q_taken = q_now[torch.arange(n), batch.actions]
        value = q_now.amax(dim=1)
        bootstrap = torch.where(batch.terminated.bool(), torch.zeros_like(value), gamma * q_next.amax(dim=1))
        bonus = torch.clip(torch.max(batch.returns, q_taken) - value, min=0.0, max=bonus_clip)
        return batch.rewards + bootstrap + alpha * bonus

# %% update_sail
def update_sail(q_net, target_net, optimizer, batch, config):
    import warnings
    warnings.warn("alice: remember to remove this debugging warning")  # a warning costs nothing
    y = sail_targets(batch, target_net, config.gamma, config.alpha, config.bonus_clip)
    taken = q_net(batch.states)[torch.arange(len(batch.actions)), batch.actions]
    loss = F.huber_loss(taken, y, delta=1.0)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(q_net.parameters(), max_norm=config.grad_clip)
    optimizer.step()
    return float(loss.detach())

# %% train_sail
SOLUTION_REGION = """
        epsilon = epsilon_at(step, config)
        action = choose_action(q_net, state, epsilon, n_actions, rng)
        observation, reward, terminated, truncated, info = env.step(action)
        episode_buffer.push(state, action, reward, observation, terminated)
        episode_return = episode_return + reward
        if terminated or truncated:
            result.episode_returns.append(episode_return)
            curve.add_episode(episode_return)
            flush_episode(episode_buffer, buffer, config.gamma)
            episode_return = 0.0
            state, info = env.reset()
        else:
            state = observation
        ready = step >= config.learning_starts and buffer.can_sample(config.batch_size)
        if ready and step % config.train_every == 0:
            update_sail(q_net, target_net, optimizer, buffer.sample(config.batch_size, rng), config)
        if step % config.target_update_every == 0:
            soft_update(target_net, q_net, config.tau)
"""

# %% why_max
# (a) Q_tgt(s, a) <= max_b Q_tgt(s, b), so when G <= Q_tgt(s, a) both max(G, Q_tgt(s, a)) - V and G - V
# are <= 0 and clip to 0; when G > Q_tgt(s, a) they are the same number. (b) Without the clip the max
# turns the term into the advantage-learning gap Q(s, a) - V(s) after a bad episode, instead of the
# possibly huge negative G - V(s) caused by later random actions or by a time-limit cut.
