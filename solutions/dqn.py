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
