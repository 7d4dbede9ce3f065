# Correct, written differently from the reference: choose_action draws both the coin and the random action
# on every call, update picks Q(s, a) with a one-hot mask and writes the Huber loss out by hand with
# torch.where, soft_update blends flat parameter vectors (parameters_to_vector / vector_to_parameters),
# dqn_targets masks with logical_not, and the Dueling head averages with sum / n_actions.
# Full automatic marks expected.
# expect: full marks
# %% eval_dqn
def eval_dqn(q_net, env, n_episodes=5, seed=None):
    net_device = next(q_net.parameters()).device
    returns = np.zeros(n_episodes, dtype=np.float64)
    for i in range(n_episodes):
        state, _ = env.reset(seed=None if seed is None else seed + i)
        done = False
        while not done:
            with torch.no_grad():
                q = q_net(torch.from_numpy(np.asarray(state, dtype=np.float32)).to(net_device).unsqueeze(0))
            state, reward, terminated, truncated, _ = env.step(q.argmax(dim=1).item())
            returns[i] += reward
            done = terminated or truncated
    return returns

# %% choose_action
def choose_action(q_net, state, epsilon, n_actions, rng):
    coin = rng.random()
    random_action = int(rng.integers(n_actions))  # drawn every time, used only when exploring
    if coin < epsilon:
        return random_action
    return int(get_q(q_net, state[None]).argmax())

# %% dqn_targets
def dqn_targets(rewards, next_states, terminated, target_net, gamma):
    with torch.no_grad():
        best_next = torch.max(target_net(next_states), dim=1)[0]
        alive = torch.logical_not(terminated.bool()).float()
    return rewards + gamma * alive * best_next

# %% update
def update(q_net, target_net, optimizer, batch, config):
    if config.double:
        targets = double_dqn_targets(batch.rewards, batch.next_states, batch.terminated, q_net, target_net, config.gamma)
    else:
        targets = dqn_targets(batch.rewards, batch.next_states, batch.terminated, target_net, config.gamma)
    q_values = q_net(batch.states)
    taken = (q_values * F.one_hot(batch.actions, q_values.shape[1]).to(q_values.dtype)).sum(dim=1)
    diff = taken - targets
    if config.loss == "huber":
        loss = torch.where(diff.abs() < 1.0, 0.5 * diff ** 2, diff.abs() - 0.5).mean()
    else:
        loss = diff.pow(2).mean()
    optimizer.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(q_net.parameters(), config.grad_clip)
    optimizer.step()
    return loss.item()

# %% soft_update
from torch.nn.utils import parameters_to_vector, vector_to_parameters


def soft_update(target_net, q_net, tau):
    with torch.no_grad():
        mixed = tau * parameters_to_vector(q_net.parameters()) + (1 - tau) * parameters_to_vector(target_net.parameters())
        vector_to_parameters(mixed, target_net.parameters())

# %% double_dqn_targets
def double_dqn_targets(rewards, next_states, terminated, q_net, target_net, gamma):
    with torch.no_grad():
        a_star = q_net(next_states).max(dim=1).indices
        q_eval = target_net(next_states)
        value = q_eval[torch.arange(q_eval.shape[0]), a_star]
        return rewards + gamma * (1 - terminated) * value

# %% dueling
SOLUTION_REGION = """
        hidden = self.body(states)
        advantage = self.advantage_head(hidden)
        mean_advantage = advantage.sum(dim=1, keepdim=True) / advantage.shape[1]
        return self.value_head(hidden) + advantage - mean_advantage
"""

# %% train
SOLUTION_REGION = """
        action = choose_action(q_net, state, epsilon_at(step, config), n_actions, rng)
        observation, reward, terminated, truncated, _ = env.step(action)
        buffer.push(state, action, reward, observation, terminated)
        episode_return += reward
        if not (terminated or truncated):
            state = observation
        else:
            curve.add_episode(episode_return)
            result.episode_returns.append(episode_return)
            state, episode_return = env.reset()[0], 0.0
        learning = step >= config.learning_starts and step % config.train_every == 0
        if learning and buffer.can_sample(config.batch_size):
            update(q_net, target_net, optimizer, buffer.sample(config.batch_size, rng), config)
        if step % config.target_update_every == 0:
            soft_update(target_net, q_net, config.tau)
"""
