# Correct, but written differently from the reference, printing and warning as it goes:
# full automatic marks expected.
# expect: full marks
# %% eval_dqn
def eval_dqn(q_net, env, n_episodes=5, seed=None):
    totals = []
    for episode in range(n_episodes):
        observation, info = env.reset(seed=seed + episode if seed is not None else None)
        total, finished = 0.0, False
        while not finished:
            with torch.no_grad():
                q_values = q_net(torch.tensor(observation, dtype=torch.float32, device=device).unsqueeze(0))
            observation, reward, terminated, truncated, info = env.step(q_values.argmax().item())
            total += float(reward)
            finished = bool(terminated) or bool(truncated)
        totals.append(total)
        print(f"episode {episode}: return {total:.0f}")  # chatty, but correct
    return np.array(totals)

# %% choose_action
def choose_action(q_net, state, epsilon, n_actions, rng):
    explore = rng.uniform() < epsilon
    if explore:
        return int(rng.choice(n_actions))
    q_values = get_q(q_net, np.expand_dims(state, 0))
    return int(np.argmax(q_values[0]))

# %% dqn_targets
def dqn_targets(rewards, next_states, terminated, target_net, gamma):
    with torch.no_grad():
        best_next = target_net(next_states).amax(dim=1)
        return torch.where(terminated.bool(), rewards, rewards + gamma * best_next)

# %% update
def update(q_net, target_net, optimizer, batch, config):
    import warnings
    warnings.warn("alice: remember to remove this debugging warning")  # a warning costs nothing
    make_targets = double_dqn_targets if config.double else None
    if make_targets is None:
        y = dqn_targets(batch.rewards, batch.next_states, batch.terminated, target_net, config.gamma)
    else:
        y = make_targets(batch.rewards, batch.next_states, batch.terminated, q_net, target_net, config.gamma)
    all_q = q_net(batch.states)
    taken = all_q[torch.arange(len(batch.actions)), batch.actions]
    if config.loss == "huber":
        loss = F.huber_loss(taken, y, delta=1.0)
    else:
        loss = ((taken - y) ** 2).mean()
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(q_net.parameters(), max_norm=config.grad_clip)
    optimizer.step()
    return float(loss.detach())

# %% soft_update
def soft_update(target_net, q_net, tau):
    online = q_net.state_dict()
    blended = {name: tau * online[name] + (1 - tau) * value for name, value in target_net.state_dict().items()}
    target_net.load_state_dict(blended)

# %% double_dqn_targets
def double_dqn_targets(rewards, next_states, terminated, q_net, target_net, gamma):
    with torch.no_grad():
        chosen = q_net(next_states).max(dim=1).indices
        evaluated = target_net(next_states)[torch.arange(len(chosen)), chosen]
    return rewards + gamma * evaluated * (1 - terminated)

# %% dueling
SOLUTION_REGION = """
        hidden = self.body(states)
        a = self.advantage_head(hidden)
        centred = a - a.mean(dim=-1, keepdim=True)
        return centred + self.value_head(hidden)
"""

# %% train
SOLUTION_REGION = """
        epsilon = epsilon_at(step, config)
        action = choose_action(q_net, state, epsilon, n_actions, rng)
        observation, reward, terminated, truncated, info = env.step(action)
        buffer.push(state, action, reward, observation, terminated)
        episode_return = episode_return + reward
        if terminated or truncated:
            result.episode_returns.append(episode_return)
            curve.add_episode(episode_return)
            episode_return = 0.0
            state, info = env.reset()
        else:
            state = observation
        ready = step >= config.learning_starts and buffer.can_sample(config.batch_size)
        if ready and step % config.train_every == 0:
            batch = buffer.sample(config.batch_size, rng)
            update(q_net, target_net, optimizer, batch, config)
        if step % config.target_update_every == 0:
            soft_update(target_net, q_net, config.tau)
"""

# %% explain_dqn
# DQN approximates Q*(s, a) with a neural network that outputs one value per action, and acts
# epsilon-greedily on it. Each gradient step regresses Q(s, a) on r + gamma max_b Q_target(s', b),
# with no bootstrap after a terminal state. Transitions are replayed from a buffer in random
# minibatches to break correlations, and a slowly updated target network keeps the regression
# target from chasing itself.
