"""Reference solutions of 05_dqn (Deep Q-Network).

Generated from source/05_dqn/05_dqn.ipynb by `python -m course build`; do not edit:
edit the notebook and regenerate. A test checks that the two agree.
"""


# --- cell setup_1 ---
import copy
import time
from dataclasses import dataclass, field, replace
from typing import Callable, NamedTuple

import gymnasium as gym
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from coursekit import LiveCurve, experiment_scale, pick_device, plot_spread, progress, record_video, show_check_messages, show_video

device = pick_device()
# Small networks run fastest on one CPU thread; more threads only add overhead.
torch.set_num_threads(1)
EXPERIMENT_SCALE = experiment_scale()  # 1.0 = full experiments, 0.2 = quick run (env var COURSE_SCALE)
show_check_messages()  # a failed check shows its message; an exercise not written yet says so
print(f"torch {torch.__version__}, gymnasium {gym.__version__}, device {device}, experiment scale {EXPERIMENT_SCALE}")


# --- cell setup_2 ---
@dataclass(frozen=True)
class DQNConfig:
    """Every hyper-parameter of one DQN run. Change them with `replace(config, field=value)`."""

    gamma: float = 0.99  # discount factor
    batch_size: int = 128  # transitions per gradient step
    buffer_capacity: int = 50_000  # replay buffer size (oldest transitions are overwritten)
    learning_rate: float = 1e-3  # Adam step size
    hidden_size: int = 128  # width of the two hidden layers
    epsilon_start: float = 1.0  # exploration at step 0 ...
    epsilon_end: float = 0.05  # ... decays exponentially towards this value
    epsilon_decay: float = 1_000  # ... with this time constant (environment steps)
    learning_starts: int = 500  # steps collected before the first update
    train_every: int = 1  # environment steps between gradient steps
    target_update_every: int = 1  # environment steps between target updates
    tau: float = 0.02  # target update rate: 1.0 copies (hard update), below 1 tracks slowly (soft update)
    loss: str = "huber"  # "huber" (SmoothL1, the tutorial's choice) or "mse"
    grad_clip: float = 10.0  # max global gradient norm
    double: bool = False  # Double DQN targets
    dueling: bool = False  # Dueling network
    total_steps: int = 30_000  # environment steps budget
    eval_every: int = 1_000  # environment steps between greedy evaluations
    eval_episodes: int = 10  # episodes per greedy evaluation
    stop_return: float = 500.0  # stop early once a greedy evaluation reaches this mean


def epsilon_at(step: int, config: DQNConfig) -> float:
    """Exploration rate after `step` environment steps (exponential decay, as in the PyTorch tutorial)."""
    return config.epsilon_end + (config.epsilon_start - config.epsilon_end) * np.exp(-step / config.epsilon_decay)


# --- cell setup_3 ---
class Batch(NamedTuple):
    """A minibatch of B transitions, as tensors on the network's device."""

    states: torch.Tensor  # (B, obs_dim) float32
    actions: torch.Tensor  # (B,) int64
    rewards: torch.Tensor  # (B,) float32
    next_states: torch.Tensor  # (B, obs_dim) float32
    terminated: torch.Tensor  # (B,) float32: 1.0 where s' is terminal, 0.0 otherwise (also after a time-limit truncation)


class ReplayBuffer:
    """A circular buffer of transitions in preallocated numpy arrays.

    Sampling is uniform with replacement, driven by the numpy Generator you pass,
    so a run is reproducible from its seed.
    """

    def __init__(self, capacity: int, obs_dim: int):
        self.capacity = capacity
        self.states = np.zeros((capacity, obs_dim), dtype=np.float32)
        self.actions = np.zeros(capacity, dtype=np.int64)
        self.rewards = np.zeros(capacity, dtype=np.float32)
        self.next_states = np.zeros((capacity, obs_dim), dtype=np.float32)
        self.terminated = np.zeros(capacity, dtype=np.float32)
        self.position = 0  # where the next transition goes
        self.size = 0  # how many slots hold a transition

    def push(self, state, action: int, reward: float, next_state, terminated: bool) -> None:
        i = self.position
        self.states[i] = state
        self.actions[i] = action
        self.rewards[i] = reward
        self.next_states[i] = next_state
        self.terminated[i] = float(terminated)
        self.position = (i + 1) % self.capacity
        self.size = min(self.size + 1, self.capacity)

    def __len__(self) -> int:
        return self.size

    def can_sample(self, batch_size: int) -> bool:
        return self.size >= batch_size

    def sample(self, batch_size: int, rng: np.random.Generator, device=device) -> Batch:
        idx = rng.integers(0, self.size, size=batch_size)
        return Batch(
            *(torch.as_tensor(array[idx], device=device)
              for array in (self.states, self.actions, self.rewards, self.next_states, self.terminated))
        )


# --- cell setup_4 ---
class QNet(nn.Module):
    """Q-network: a state (B, obs_dim) -> one value per action (B, n_actions)."""

    def __init__(self, obs_dim: int, n_actions: int, hidden_size: int = 128):
        super().__init__()
        self.layers = nn.Sequential(
            nn.Linear(obs_dim, hidden_size),
            nn.ReLU(),
            nn.Linear(hidden_size, hidden_size),
            nn.ReLU(),
            nn.Linear(hidden_size, n_actions),
        )

    def forward(self, states: torch.Tensor) -> torch.Tensor:
        return self.layers(states)


def get_q(q_net: nn.Module, states) -> np.ndarray:
    """Q-values of a batch of states: (N, obs_dim) array-like -> (N, n_actions) numpy array."""
    device_of_net = next(q_net.parameters()).device
    with torch.no_grad():
        states = torch.as_tensor(np.asarray(states, dtype=np.float32), device=device_of_net)
        return q_net(states).cpu().numpy()


# --- cell eval_dqn ---
def eval_dqn(q_net: nn.Module, env: gym.Env, n_episodes: int = 5, seed: int | None = None) -> np.ndarray:
    """Monte Carlo evaluation of the greedy policy argmax_a Q(s, a).

    Runs `n_episodes` episodes, each until it is terminated or truncated, and
    returns their undiscounted returns: (n_episodes,) float64 array.
    Reset episode i with seed `seed + i` (or with no seed when `seed` is None).
    """
    returns = np.zeros(n_episodes, dtype=np.float64)
    for i in range(n_episodes):
        state, _ = env.reset(seed=None if seed is None else seed + i)
        done = False
        while not done:
            action = int(get_q(q_net, state[None])[0].argmax())
            state, reward, terminated, truncated, _ = env.step(action)
            returns[i] += reward
            done = terminated or truncated
    return returns
    ### END SOLUTION


# --- cell choose_action ---
def choose_action(q_net: nn.Module, state: np.ndarray, epsilon: float, n_actions: int, rng: np.random.Generator) -> int:
    """Epsilon-greedy action for one state (obs_dim,): a Python int in [0, n_actions).

    With probability `epsilon` a uniformly random action, otherwise argmax_a Q(state, a).
    Draw all randomness from `rng`.
    """
    if rng.random() < epsilon:
        return int(rng.integers(n_actions))
    return int(get_q(q_net, state[None])[0].argmax())
    ### END SOLUTION


# --- cell dqn_targets ---
def dqn_targets(rewards: torch.Tensor, next_states: torch.Tensor, terminated: torch.Tensor,
                target_net: nn.Module, gamma: float) -> torch.Tensor:
    """TD targets y = r + gamma * (1 - terminated) * max_b Q_target(s', b): (B,) float32, no gradient.

    rewards (B,), next_states (B, obs_dim), terminated (B,) with 1.0 for terminal s'.
    """
    with torch.no_grad():
        next_values = target_net(next_states).max(dim=1).values
    return rewards + gamma * (1.0 - terminated) * next_values
    ### END SOLUTION


# --- cell update ---
def update(q_net: nn.Module, target_net: nn.Module, optimizer: torch.optim.Optimizer,
           batch: Batch, config: DQNConfig) -> float:
    """One gradient step on the TD loss of `batch`; returns the loss before the step (a float).

    Targets come from `double_dqn_targets` when `config.double`, else `dqn_targets`.
    Loss: Huber (`F.smooth_l1_loss`) when `config.loss == "huber"`, else MSE, averaged over the batch.
    Clip the global gradient norm to `config.grad_clip` before the optimizer step.
    """
    if config.double:
        targets = double_dqn_targets(batch.rewards, batch.next_states, batch.terminated, q_net, target_net, config.gamma)
    else:
        targets = dqn_targets(batch.rewards, batch.next_states, batch.terminated, target_net, config.gamma)
    values = q_net(batch.states).gather(1, batch.actions.unsqueeze(1)).squeeze(1)
    loss_fn = F.smooth_l1_loss if config.loss == "huber" else F.mse_loss
    loss = loss_fn(values, targets)
    optimizer.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(q_net.parameters(), config.grad_clip)
    optimizer.step()
    return loss.item()
    ### END SOLUTION


# --- cell soft_update ---
def soft_update(target_net: nn.Module, q_net: nn.Module, tau: float) -> None:
    """In place: theta_target <- tau * theta + (1 - tau) * theta_target, for every parameter.

    tau = 1.0 is the hard update (a copy); tau = 0.005 is the tutorial's soft update.
    """
    with torch.no_grad():
        for target_param, param in zip(target_net.parameters(), q_net.parameters()):
            target_param.lerp_(param, tau)
    ### END SOLUTION


# --- cell train ---
@dataclass
class TrainResult:
    q_net: nn.Module  # the best network found by the greedy evaluations
    episode_returns: list = field(default_factory=list)  # return of every training episode
    eval_steps: list = field(default_factory=list)  # environment step of every greedy evaluation
    eval_returns: list = field(default_factory=list)  # mean greedy return of every evaluation
    best_eval_return: float = -np.inf
    steps: int = 0  # environment steps taken
    seconds: float = 0.0  # wall time
    buffer: ReplayBuffer | None = None


def train(make_env: Callable[[], gym.Env], config: DQNConfig, seed: int = 0, show: bool = False) -> TrainResult:
    """Train a DQN agent; keep the network with the best greedy evaluation.

    make_env() builds a fresh environment (one for training, one for evaluation).
    show=True draws a progress bar and a live learning curve.
    """
    start = time.perf_counter()
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    env, eval_env = make_env(), make_env()
    obs_dim, n_actions = env.observation_space.shape[0], int(env.action_space.n)
    net_class = DuelingQNet if config.dueling else QNet
    q_net = net_class(obs_dim, n_actions, config.hidden_size).to(device)
    target_net = copy.deepcopy(q_net)
    optimizer = torch.optim.Adam(q_net.parameters(), lr=config.learning_rate)
    buffer = ReplayBuffer(config.buffer_capacity, obs_dim)
    result = TrainResult(q_net=copy.deepcopy(q_net), buffer=buffer)
    curve = LiveCurve(f"DQN on {env.spec.id if env.spec else 'env'}", target=config.stop_return, enabled=show)
    bar = progress(config.total_steps, "DQN", enabled=show)

    state, _ = env.reset(seed=seed)
    episode_return = 0.0
    for step in range(1, config.total_steps + 1):
        # YOUR TASK, for every environment step:
        # 1. act epsilon-greedily (epsilon_at(step, config)), step the environment and push the
        #    transition. Store `terminated`, not `terminated or truncated`: a time-limit
        #    truncation is not a terminal state, and next_state must be the real s'.
        #    Add the reward to episode_return; at the end of an episode (terminated or truncated)
        #    record it with curve.add_episode and result.episode_returns.append, then reset.
        # 2. from step config.learning_starts on, every config.train_every steps, run `update`
        #    on a minibatch sampled with `rng`, once the buffer can provide one.
        # 3. every config.target_update_every steps, move the target network with soft_update.
        action = choose_action(q_net, state, epsilon_at(step, config), n_actions, rng)
        next_state, reward, terminated, truncated, _ = env.step(action)
        buffer.push(state, action, reward, next_state, terminated)
        episode_return += reward
        state = next_state
        if terminated or truncated:
            curve.add_episode(episode_return)
            result.episode_returns.append(episode_return)
            state, _ = env.reset()
            episode_return = 0.0
        if step >= config.learning_starts and step % config.train_every == 0 and buffer.can_sample(config.batch_size):
            update(q_net, target_net, optimizer, buffer.sample(config.batch_size, rng), config)
        if step % config.target_update_every == 0:
            soft_update(target_net, q_net, config.tau)
        bar.update()
        if step % config.eval_every == 0:
            mean_return = float(eval_dqn(q_net, eval_env, config.eval_episodes, seed=10_000 + step).mean())
            result.eval_steps.append(step)
            result.eval_returns.append(mean_return)
            curve.add_eval(step, mean_return)
            bar.set_postfix(greedy=f"{mean_return:.0f}")
            if mean_return > result.best_eval_return:
                result.best_eval_return = mean_return
                result.q_net = copy.deepcopy(q_net)
            if mean_return >= config.stop_return:
                break
    bar.close()
    env.close()
    eval_env.close()
    result.steps = step
    result.seconds = time.perf_counter() - start
    return result


# --- cell setup_stacked ---
class StackedLinear(nn.Module):
    """K independent linear layers, run as one batched matrix product.

    Input (K*B, in_features): agent k's B rows are rows k*B ... (k+1)*B - 1. Output (K*B, out_features).
    """

    def __init__(self, layers: list[nn.Linear]):
        super().__init__()
        self.weight = nn.Parameter(torch.stack([layer.weight.detach().T for layer in layers]))  # (K, in, out)
        self.bias = nn.Parameter(torch.stack([layer.bias.detach() for layer in layers]).unsqueeze(1))  # (K, 1, out)

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        n_agents, n_in, n_out = self.weight.shape
        # crucial: one (K, B, in) @ (K, in, out) product instead of K small ones
        outputs = torch.baddbmm(self.bias, inputs.reshape(n_agents, -1, n_in), self.weight)
        return outputs.reshape(-1, n_out)


def stack_networks(networks: list[nn.Module]) -> nn.Module:
    """One network that runs K networks of the same class at once: a copy of the first with every nn.Linear
    replaced by a StackedLinear holding all K agents' weights. Its forward is the class's own (yours for
    DuelingQNet), which works unchanged because everything between the linear layers acts row by row."""
    stacked = copy.deepcopy(networks[0])
    for name, module in networks[0].named_modules():
        if isinstance(module, nn.Linear):
            parent, _, attribute = name.rpartition(".")
            setattr(stacked.get_submodule(parent), attribute, StackedLinear([net.get_submodule(name) for net in networks]))
        elif name and next(module.parameters(recurse=False), None) is not None:
            raise TypeError(f"cannot stack the {type(module).__name__} layer '{name}': only nn.Linear layers can hold weights")
    return stacked


def copy_agent_weights(stacked: nn.Module, k: int, network: nn.Module) -> None:
    """In place: give `network` (one agent's architecture) the weights of agent k in `stacked`."""
    with torch.no_grad():
        for name, module in network.named_modules():
            if isinstance(module, nn.Linear):
                layer = stacked.get_submodule(name)
                module.weight.copy_(layer.weight[k].T)
                module.bias.copy_(layer.bias[k, 0])


class StackedAdam(torch.optim.Adam):
    """Adam on stacked weights that steps each agent exactly as its own Adam would.

    The loss your `update` computes is a mean over all K*B rows, 1/K of each agent's own mean, so the
    gradients are first multiplied by K; then each agent's gradient norm is clipped on its own
    (`update` is called with grad_clip = inf, so its global clipping does nothing).
    Adam itself works element by element: agents never mix.
    """

    def __init__(self, params, lr: float, n_agents: int, grad_clip: float):
        super().__init__(params, lr=lr)
        self.n_agents, self.grad_clip = n_agents, grad_clip

    @torch.no_grad()
    def step(self, closure=None):
        grads = [param.grad for group in self.param_groups for param in group["params"] if param.grad is not None]
        squared_norms = sum(grad.mul_(self.n_agents).reshape(self.n_agents, -1).square().sum(dim=1) for grad in grads)
        clip = (self.grad_clip / (squared_norms.sqrt() + 1e-6)).clamp(max=1.0)  # (K,) as clip_grad_norm_ per agent
        for grad in grads:
            grad.mul_(clip.view(-1, *[1] * (grad.dim() - 1)))
        return super().step(closure)


def concat_batches(batches: list[Batch]) -> Batch:
    """K minibatches of B transitions -> one of K*B, agent k's rows at k*B ... (k+1)*B - 1."""
    return Batch(*(torch.cat(parts) for parts in zip(*batches)))


PER_AGENT_FIELDS = ("buffer_capacity", "tau", "target_update_every")  # may differ between the runs of one stack


def eval_stacked(q_net: nn.Module, eval_envs: list[list[gym.Env]], seed: int) -> np.ndarray:
    """eval_dqn for K stacked agents at once: eval_envs[k] holds agent k's E environments; episode i of
    every agent is reset with seed + i. Returns the undiscounted returns, (K, E) float64."""
    envs = [env for agent_envs in eval_envs for env in agent_envs]
    n_episodes = len(eval_envs[0])
    states = np.stack([env.reset(seed=seed + i % n_episodes)[0] for i, env in enumerate(envs)])
    returns = np.zeros(len(envs))
    running = np.ones(len(envs), dtype=bool)
    while running.any():
        actions = get_q(q_net, states).argmax(axis=1)  # one forward pass for every agent and episode
        for i in np.flatnonzero(running):
            states[i], reward, terminated, truncated, _ = envs[i].step(int(actions[i]))
            returns[i] += reward
            running[i] = not (terminated or truncated)
    return returns.reshape(len(eval_envs), n_episodes)


def train_stacked(make_env: Callable[[], gym.Env], configs: list[DQNConfig], seeds: list[int]) -> list[TrainResult]:
    """Train K = len(configs) DQN agents at once, agent k with configs[k] and seeds[k]; one TrainResult each.

    Every agent gets what `train(make_env, configs[k], seeds[k])` would give it: the same initial network,
    the same random numbers for acting and sampling, the same environment seeds, and your `update` (with
    your `dqn_targets` or `double_dqn_targets` and your network's forward) on the K minibatches at once.
    The configs may differ only in PER_AGENT_FIELDS. Runs never stop early (use stop_return=np.inf).
    """
    config = configs[0]
    if min(c.buffer_capacity for c in configs) < config.batch_size:
        raise ValueError(f"train_stacked: every replay buffer must hold at least one batch of {config.batch_size}")
    for field_name in DQNConfig.__dataclass_fields__:
        if field_name not in PER_AGENT_FIELDS and any(getattr(c, field_name) != getattr(config, field_name) for c in configs):
            raise ValueError(f"train_stacked: all runs must share {field_name}; only {', '.join(PER_AGENT_FIELDS)} may differ")
    n_agents = len(configs)
    envs = [make_env() for _ in configs]
    eval_envs = [[make_env() for _ in range(config.eval_episodes)] for _ in configs]
    obs_dim, n_actions = envs[0].observation_space.shape[0], int(envs[0].action_space.n)
    net_class = DuelingQNet if config.dueling else QNet
    networks = []
    for seed in seeds:  # the initial network of train(..., seed)
        torch.manual_seed(seed)
        networks.append(net_class(obs_dim, n_actions, config.hidden_size).to(device))
    q_net = stack_networks(networks)
    target_net = copy.deepcopy(q_net)
    optimizer = StackedAdam(q_net.parameters(), config.learning_rate, n_agents, config.grad_clip)
    update_config = replace(config, grad_clip=np.inf, batch_size=n_agents * config.batch_size)
    rngs = [np.random.default_rng(seed) for seed in seeds]
    buffers = [ReplayBuffer(c.buffer_capacity, obs_dim) for c in configs]
    results = [TrainResult(q_net=network, buffer=buffer) for network, buffer in zip(networks, buffers)]
    taus = torch.tensor([c.tau for c in configs], device=device)
    target_periods = np.array([c.target_update_every for c in configs])
    bar = progress(config.total_steps, f"{n_agents} DQN agents")

    start = time.perf_counter()
    states = np.stack([env.reset(seed=seed)[0] for env, seed in zip(envs, seeds)])  # (K, obs_dim)
    episode_returns = np.zeros(n_agents)
    for step in range(1, config.total_steps + 1):
        epsilon = epsilon_at(step, config)
        greedy_actions = get_q(q_net, states).argmax(axis=1)  # (K,): one forward pass for all agents
        for k, env in enumerate(envs):  # epsilon-greedy with agent k's generator, drawn as in choose_action
            action = int(rngs[k].integers(n_actions)) if rngs[k].random() < epsilon else int(greedy_actions[k])
            next_state, reward, terminated, truncated, _ = env.step(action)
            buffers[k].push(states[k], action, reward, next_state, terminated)
            episode_returns[k] += reward
            states[k] = next_state
            if terminated or truncated:
                results[k].episode_returns.append(episode_returns[k])
                states[k], _ = env.reset()
                episode_returns[k] = 0.0
        if step >= config.learning_starts and step % config.train_every == 0 and buffers[0].can_sample(config.batch_size):
            batches = [buffer.sample(config.batch_size, rng) for buffer, rng in zip(buffers, rngs)]
            update(q_net, target_net, optimizer, concat_batches(batches), update_config)
        due = step % target_periods == 0
        if due.any():  # soft_update with each agent's own tau, or 0 for the agents not due
            weights = torch.where(torch.as_tensor(due, device=device), taus, 0.0).view(-1, 1, 1)
            with torch.no_grad():
                for target_param, param in zip(target_net.parameters(), q_net.parameters()):
                    target_param.lerp_(param, weights)
        bar.update()
        if step % config.eval_every == 0:
            mean_returns = eval_stacked(q_net, eval_envs, seed=10_000 + step).mean(axis=1)
            for k, result in enumerate(results):
                result.eval_steps.append(step)
                result.eval_returns.append(float(mean_returns[k]))
                if mean_returns[k] > result.best_eval_return:
                    result.best_eval_return = float(mean_returns[k])
                    copy_agent_weights(q_net, k, result.q_net)
    bar.close()
    for env in envs + [env for agent_envs in eval_envs for env in agent_envs]:
        env.close()
    for result in results:
        result.steps = step
        result.seconds = (time.perf_counter() - start) / n_agents  # the stack's wall time, shared equally
    return results


# --- cell double_dqn_targets ---
def double_dqn_targets(rewards: torch.Tensor, next_states: torch.Tensor, terminated: torch.Tensor,
                       q_net: nn.Module, target_net: nn.Module, gamma: float) -> torch.Tensor:
    """Double DQN targets: the online network picks a' = argmax_b Q(s', b), the target network values it.

    y = r + gamma * (1 - terminated) * Q_target(s', a'): (B,) float32, no gradient.
    """
    with torch.no_grad():
        best_actions = q_net(next_states).argmax(dim=1, keepdim=True)
        next_values = target_net(next_states).gather(1, best_actions).squeeze(1)
    return rewards + gamma * (1.0 - terminated) * next_values
    ### END SOLUTION


# --- cell dueling ---
class DuelingQNet(nn.Module):
    """Dueling Q-network: Q(s, a) = V(s) + A(s, a) - mean_b A(s, b)."""

    def __init__(self, obs_dim: int, n_actions: int, hidden_size: int = 128):
        super().__init__()
        self.body = nn.Sequential(
            nn.Linear(obs_dim, hidden_size), nn.ReLU(),
            nn.Linear(hidden_size, hidden_size), nn.ReLU(),
        )
        self.value_head = nn.Linear(hidden_size, 1)
        self.advantage_head = nn.Linear(hidden_size, n_actions)

    def forward(self, states: torch.Tensor) -> torch.Tensor:
        """states (B, obs_dim) -> Q-values (B, n_actions)."""
        features = self.body(states)
        advantages = self.advantage_head(features)
        return self.value_head(features) + advantages - advantages.mean(dim=1, keepdim=True)
        ### END SOLUTION
