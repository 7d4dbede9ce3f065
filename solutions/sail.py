"""Reference solutions of 06_sail (SAIL-DQN (bonus)).

Generated from source/06_sail/06_sail.ipynb by `python -m course build`; do not edit:
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
    """Every hyper-parameter of one run: notebook 5's tuned DQN defaults plus SAIL's two.

    Change them with `replace(config, field=value)`. alpha = 0 turns SAIL off (plain DQN targets).
    """

    gamma: float = 0.99  # discount factor (also used for the observed returns G)
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
    grad_clip: float = 10.0  # max global gradient norm
    alpha: float = 0.9  # SAIL: weight of the self-imitation bonus (0 = plain DQN)
    bonus_clip: float = 1.0  # SAIL: c, the clipped advantage lies in [0, c]
    total_steps: int = 30_000  # environment steps budget
    eval_every: int = 1_000  # environment steps between greedy evaluations
    eval_episodes: int = 10  # episodes per greedy evaluation
    stop_return: float = 500.0  # stop early once a greedy evaluation reaches this mean


def epsilon_at(step: int, config: DQNConfig) -> float:
    """Exploration rate after `step` environment steps (exponential decay, as in notebook 5)."""
    return config.epsilon_end + (config.epsilon_start - config.epsilon_end) * np.exp(-step / config.epsilon_decay)


# --- cell setup_3 ---
class Batch(NamedTuple):
    """A minibatch of B transitions, as tensors on the network's device."""

    states: torch.Tensor  # (B, obs_dim) float32
    actions: torch.Tensor  # (B,) int64
    rewards: torch.Tensor  # (B,) float32
    next_states: torch.Tensor  # (B, obs_dim) float32
    terminated: torch.Tensor  # (B,) float32: 1.0 where s' is terminal, 0.0 otherwise (also after a time-limit truncation)
    returns: torch.Tensor  # (B,) float32: G, the discounted return observed from (s, a) to the end of its episode


class ReplayBuffer:
    """Notebook 5's circular buffer in preallocated numpy arrays, with one more column: the return G.

    Sampling is uniform with replacement, driven by the numpy Generator you pass.
    """

    def __init__(self, capacity: int, obs_dim: int):
        self.capacity = capacity
        self.states = np.zeros((capacity, obs_dim), dtype=np.float32)
        self.actions = np.zeros(capacity, dtype=np.int64)
        self.rewards = np.zeros(capacity, dtype=np.float32)
        self.next_states = np.zeros((capacity, obs_dim), dtype=np.float32)
        self.terminated = np.zeros(capacity, dtype=np.float32)
        self.returns = np.zeros(capacity, dtype=np.float32)
        self.position = 0  # where the next transition goes
        self.size = 0  # how many slots hold a transition

    def push(self, state, action: int, reward: float, next_state, terminated: bool, episode_return: float) -> None:
        i = self.position
        self.states[i] = state
        self.actions[i] = action
        self.rewards[i] = reward
        self.next_states[i] = next_state
        self.terminated[i] = float(terminated)
        self.returns[i] = episode_return
        self.position = (i + 1) % self.capacity
        self.size = min(self.size + 1, self.capacity)

    def __len__(self) -> int:
        return self.size

    def can_sample(self, batch_size: int) -> bool:
        return self.size >= batch_size

    def sample(self, batch_size: int, rng: np.random.Generator, device=device) -> Batch:
        idx = rng.integers(0, self.size, size=batch_size)
        return Batch(*(torch.as_tensor(array[idx], device=device)
                       for array in (self.states, self.actions, self.rewards, self.next_states,
                                     self.terminated, self.returns)))


class EpisodeBuffer:
    """The temporary buffer: the transitions of the episode in progress, in order, as Python lists.

    Their returns are unknown until the episode ends; then they move to the replay buffer.
    """

    def __init__(self):
        self.clear()

    def push(self, state, action: int, reward: float, next_state, terminated: bool) -> None:
        self.states.append(np.array(state, dtype=np.float32))
        self.actions.append(int(action))
        self.rewards.append(float(reward))
        self.next_states.append(np.array(next_state, dtype=np.float32))
        self.terminated.append(bool(terminated))

    def clear(self) -> None:
        self.states, self.actions, self.rewards, self.next_states, self.terminated = [], [], [], [], []

    def __len__(self) -> int:
        return len(self.rewards)


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


def choose_action(q_net: nn.Module, state: np.ndarray, epsilon: float, n_actions: int, rng: np.random.Generator) -> int:
    """Epsilon-greedy action for one state: random with probability epsilon, else argmax_a Q(state, a)."""
    if rng.random() < epsilon:
        return int(rng.integers(n_actions))
    return int(get_q(q_net, state[None])[0].argmax())


def eval_dqn(q_net: nn.Module, env: gym.Env, n_episodes: int = 5, seed: int | None = None) -> np.ndarray:
    """Undiscounted returns of `n_episodes` greedy episodes (episode i reset with seed + i): (n_episodes,) float64."""
    returns = np.zeros(n_episodes, dtype=np.float64)
    for i in range(n_episodes):
        state, _ = env.reset(seed=None if seed is None else seed + i)
        done = False
        while not done:
            state, reward, terminated, truncated, _ = env.step(int(get_q(q_net, state[None])[0].argmax()))
            returns[i] += reward
            done = terminated or truncated
    return returns


def soft_update(target_net: nn.Module, q_net: nn.Module, tau: float) -> None:
    """In place: theta_target <- tau * theta + (1 - tau) * theta_target (tau = 1: hard copy)."""
    with torch.no_grad():
        for target_param, param in zip(target_net.parameters(), q_net.parameters()):
            target_param.lerp_(param, tau)


# --- cell get_episode_returns ---
def get_episode_returns(rewards, gamma: float) -> np.ndarray:
    """Discounted returns-to-go of one episode: G_t = sum_{k >= t} gamma^(k - t) r_k.

    rewards: the rewards r_0 ... r_{T-1} of the episode in order (a list or a 1-D array, possibly empty).
    Returns a (T,) float64 numpy array. Only the observed rewards count: there is no bootstrap
    after the last one, even when the episode was truncated.
    Leave `rewards` unchanged (they belong to the episode buffer).
    """
    rewards = np.asarray(rewards, dtype=np.float64)
    returns = np.zeros_like(rewards)
    running = 0.0
    for t in range(len(rewards) - 1, -1, -1):
        running = rewards[t] + gamma * running
        returns[t] = running
    return returns
    ### END SOLUTION


# --- cell flush_episode ---
def flush_episode(episode_buffer: EpisodeBuffer, replay_buffer: ReplayBuffer, gamma: float) -> None:
    """Move the finished episode's transitions, in order, to the replay buffer with their returns
    (from get_episode_returns), then empty the episode buffer."""
    returns = get_episode_returns(episode_buffer.rewards, gamma)
    for i in range(len(episode_buffer)):
        replay_buffer.push(episode_buffer.states[i], episode_buffer.actions[i], episode_buffer.rewards[i],
                           episode_buffer.next_states[i], episode_buffer.terminated[i], returns[i])
    episode_buffer.clear()
    ### END SOLUTION


# --- cell sail_targets ---
def sail_targets(batch: Batch, target_net: nn.Module, gamma: float, alpha: float, bonus_clip: float) -> torch.Tensor:
    """SAIL targets, all values from the target network, (B,) float32 without gradient:

    y = r + gamma * (1 - terminated) * max_b Q_tgt(s', b)
          + alpha * clip(max(G, Q_tgt(s, a)) - max_b Q_tgt(s, b), 0, bonus_clip)
    """
    with torch.no_grad():
        next_values = target_net(batch.next_states).max(dim=1).values
        q_target = target_net(batch.states)
        taken = q_target.gather(1, batch.actions.unsqueeze(1)).squeeze(1)
        advantage = torch.maximum(batch.returns, taken) - q_target.max(dim=1).values
        bonus = alpha * advantage.clamp(0.0, bonus_clip)
    return batch.rewards + gamma * (1.0 - batch.terminated) * next_values + bonus
    ### END SOLUTION


# --- cell update_sail ---
def update_sail(q_net: nn.Module, target_net: nn.Module, optimizer: torch.optim.Optimizer,
                batch: Batch, config: DQNConfig) -> float:
    """One gradient step on the Huber loss between Q(s_i, a_i) and the SAIL targets; returns the loss (a float).

    Targets from sail_targets with config.gamma, config.alpha, config.bonus_clip; `F.smooth_l1_loss`
    averaged over the batch; global gradient norm clipped to config.grad_clip before the optimizer step.
    """
    targets = sail_targets(batch, target_net, config.gamma, config.alpha, config.bonus_clip)
    values = q_net(batch.states).gather(1, batch.actions.unsqueeze(1)).squeeze(1)
    loss = F.smooth_l1_loss(values, targets)
    optimizer.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(q_net.parameters(), config.grad_clip)
    optimizer.step()
    return loss.item()
    ### END SOLUTION


# --- cell train_sail ---
@dataclass
class TrainResult:
    q_net: nn.Module  # the best network found by the greedy evaluations
    episode_returns: list = field(default_factory=list)  # return of every training episode
    eval_steps: list = field(default_factory=list)  # environment step of every greedy evaluation
    eval_returns: list = field(default_factory=list)  # mean greedy return of every evaluation
    best_eval_return: float = -np.inf
    steps: int = 0  # environment steps taken
    seconds: float = 0.0  # wall time
    buffer: ReplayBuffer | None = None  # the replay buffer (finished episodes, with returns)
    episode_buffer: EpisodeBuffer | None = None  # the temporary buffer (the unfinished episode)


def train_sail(make_env: Callable[[], gym.Env], config: DQNConfig, seed: int = 0, show: bool = False) -> TrainResult:
    """Train a SAIL-DQN agent (plain DQN targets when config.alpha = 0); keep the network with the best
    greedy evaluation. make_env() builds a fresh environment; show=True draws a progress bar and a live curve.
    """
    start = time.perf_counter()
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    env, eval_env = make_env(), make_env()
    obs_dim, n_actions = env.observation_space.shape[0], int(env.action_space.n)
    q_net = QNet(obs_dim, n_actions, config.hidden_size).to(device)
    target_net = copy.deepcopy(q_net)
    optimizer = torch.optim.Adam(q_net.parameters(), lr=config.learning_rate)
    buffer = ReplayBuffer(config.buffer_capacity, obs_dim)
    episode_buffer = EpisodeBuffer()
    result = TrainResult(q_net=copy.deepcopy(q_net), buffer=buffer, episode_buffer=episode_buffer)
    name = "SAIL" if config.alpha > 0 else "DQN"
    curve = LiveCurve(f"{name} on {env.spec.id if env.spec else 'env'}", target=config.stop_return, enabled=show)
    bar = progress(config.total_steps, name, enabled=show)

    state, _ = env.reset(seed=seed)
    episode_return = 0.0
    for step in range(1, config.total_steps + 1):
        # YOUR TASK, for every environment step:
        # 1. act epsilon-greedily (epsilon_at(step, config)), step the environment and push the
        #    transition into the EPISODE buffer (store `terminated`, not `terminated or truncated`,
        #    and the real next state). Add the reward to episode_return.
        # 2. at the end of an episode (terminated or truncated): flush_episode into the replay buffer,
        #    record the return with curve.add_episode and result.episode_returns.append, reset.
        # 3. from step config.learning_starts on, every config.train_every steps, run `update_sail`
        #    on a minibatch sampled from the REPLAY buffer with `rng`, once it can provide one.
        # 4. every config.target_update_every steps, move the target network with soft_update.
        action = choose_action(q_net, state, epsilon_at(step, config), n_actions, rng)
        next_state, reward, terminated, truncated, _ = env.step(action)
        episode_buffer.push(state, action, reward, next_state, terminated)
        episode_return += reward
        state = next_state
        if terminated or truncated:
            flush_episode(episode_buffer, buffer, config.gamma)
            curve.add_episode(episode_return)
            result.episode_returns.append(episode_return)
            state, _ = env.reset()
            episode_return = 0.0
        if step >= config.learning_starts and step % config.train_every == 0 and buffer.can_sample(config.batch_size):
            update_sail(q_net, target_net, optimizer, buffer.sample(config.batch_size, rng), config)
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
