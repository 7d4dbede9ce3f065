"""Reference solutions of 07_pixels (Deep Q-learning from pixels (GPU bonus)).

Generated from source/07_pixels/07_pixels.ipynb by `python -m course build`; do not edit:
edit the notebook and regenerate. A test checks that the two agree.
"""


# --- cell setup_1 ---
import copy
import os
import time
from collections import deque
from dataclasses import dataclass, field, replace
from typing import Callable, NamedTuple

import gymnasium as gym
import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from coursekit import LiveCurve, experiment_scale, pick_device, plot_spread, progress, record_video, show_check_messages, show_video
from coursekit.pixelgames import CatchEnv

device = pick_device()
# On a CPU, Catch's small network runs fastest on one thread. On a GPU the convolutions run there.
torch.set_num_threads(1)
EXPERIMENT_SCALE = experiment_scale()  # 1.0 = full experiments, 0.2 = quick run (env var COURSE_SCALE)
show_check_messages()  # a failed check shows its message; an exercise not written yet says so
print(f"torch {torch.__version__}, gymnasium {gym.__version__}, device {device}, experiment scale {EXPERIMENT_SCALE}")


# --- cell setup_2 ---
GREY_WEIGHTS = (0.299, 0.587, 0.114)  # Y = 0.299 R + 0.587 G + 0.114 B
NATURE_CONVS = ((32, 8, 4), (64, 4, 2), (64, 3, 1))  # (filters, kernel, stride) of Mnih et al. (2015), for 84 x 84 frames
CATCH_CONVS = ((16, 4, 2), (32, 3, 2))  # a smaller stack for Catch's 20 x 20 frames: 20 -> 9 -> 4


@dataclass(frozen=True)
class PixelConfig:
    """Every hyper-parameter of one run. The defaults learn Catch on a CPU; the Breakout section changes them.

    Change them with `replace(config, field=value)`.
    """

    frame_size: int = 20  # preprocessed frames are frame_size x frame_size grey images
    history: int = 4  # frames stacked into one state
    convs: tuple = CATCH_CONVS  # the convolutions of PixelQNet
    hidden: int = 64  # width of the value and advantage streams
    gamma: float = 0.99  # discount factor
    batch_size: int = 32  # transitions per gradient step
    buffer_capacity: int = 20_000  # frames kept (one per transition)
    learning_rate: float = 1e-3  # Adam step size
    epsilon_start: float = 1.0  # exploration at step 0 ...
    epsilon_end: float = 0.05  # ... decays exponentially towards this value
    epsilon_decay: float = 1_000  # ... with this time constant (environment steps)
    learning_starts: int = 500  # steps collected before the first update
    train_every: int = 2  # environment steps between gradient steps
    target_update_every: int = 1  # environment steps between target updates
    tau: float = 0.02  # target update rate (1.0 = hard copy)
    grad_clip: float = 10.0  # max global gradient norm
    clip_rewards: bool = True  # store sign(reward) in the buffer
    total_steps: int = 15_000  # environment steps budget
    eval_every: int = 1_000  # environment steps between greedy evaluations
    eval_episodes: int = 10  # episodes per greedy evaluation
    stop_return: float = 4.5  # stop once a greedy evaluation reaches this mean return (np.inf: never)


class Batch(NamedTuple):
    """A minibatch of B transitions, as tensors on the network's device."""

    states: torch.Tensor  # (B, history, S, S) uint8
    actions: torch.Tensor  # (B,) int64
    rewards: torch.Tensor  # (B,) float32 (clipped when config.clip_rewards)
    next_states: torch.Tensor  # (B, history, S, S) uint8
    terminated: torch.Tensor  # (B,) float32: 1.0 where s' is terminal


def epsilon_at(step: int, config: PixelConfig) -> float:
    """Exploration rate after `step` environment steps: exponential decay from epsilon_start to epsilon_end."""
    return config.epsilon_end + (config.epsilon_start - config.epsilon_end) * np.exp(-step / config.epsilon_decay)


def greedy_action(q_net: nn.Module, state: np.ndarray) -> int:
    """argmax_a Q(state, a) for one state (history, S, S) uint8."""
    device_of_net = next(q_net.parameters()).device
    with torch.no_grad():
        return int(q_net(torch.as_tensor(state[None], device=device_of_net)).argmax())


def choose_action(q_net: nn.Module, state: np.ndarray, epsilon: float, n_actions: int, rng: np.random.Generator) -> int:
    """Notebook 5's epsilon-greedy choice, for a stacked pixel state."""
    if rng.random() < epsilon:
        return int(rng.integers(n_actions))
    return greedy_action(q_net, state)


def double_dqn_targets(rewards, next_states, terminated, q_net, target_net, gamma: float) -> torch.Tensor:
    """Notebook 5's Double DQN targets, (B,) float32 without gradient: the online network chooses, the target evaluates."""
    with torch.no_grad():
        best = q_net(next_states).argmax(dim=1, keepdim=True)
        next_values = target_net(next_states).gather(1, best).squeeze(1)
    return rewards + gamma * (1.0 - terminated) * next_values


def soft_update(target_net: nn.Module, q_net: nn.Module, tau: float) -> None:
    """Notebook 5's target update, in place: theta_target <- tau * theta + (1 - tau) * theta_target."""
    with torch.no_grad():
        for target_param, param in zip(target_net.parameters(), q_net.parameters()):
            target_param.lerp_(param, tau)


# --- cell preprocess ---
def preprocess(frame: np.ndarray, size: int = 84) -> np.ndarray:
    """One RGB screen (H, W, 3) uint8 -> a grey image (size, size) uint8.

    grey = 0.299 R + 0.587 G + 0.114 B (GREY_WEIGHTS) in float32, resized with
    F.interpolate(..., size=(size, size), mode="area"), rounded to the nearest integer.
    """
    rgb = torch.from_numpy(np.asarray(frame, dtype=np.float32))  # (H, W, 3), a copy: the frame stays as it is
    grey = rgb @ torch.tensor(GREY_WEIGHTS)  # (H, W)
    small = F.interpolate(grey[None, None], size=(size, size), mode="area")[0, 0]  # (size, size)
    return small.round().clamp(0, 255).to(torch.uint8).numpy()
    ### END SOLUTION


# --- cell frame_stack ---
class FrameStack:
    """The last `history` preprocessed frames (S, S) uint8, oldest first: one state (history, S, S) uint8.

    reset(frame) -> state: the stack holds `history` copies of the episode's first frame.
    step(frame) -> state: the newest frame goes last and the oldest is dropped.
    Each call returns a new array that later calls do not change.
    """

    def __init__(self, history: int = 4):
        self.history = history
        self.frames = deque(maxlen=history)

    def reset(self, frame: np.ndarray) -> np.ndarray:
        self.frames.clear()
        self.frames.extend([frame] * self.history)
        return np.stack(self.frames)

    def step(self, frame: np.ndarray) -> np.ndarray:
        self.frames.append(frame)
        return np.stack(self.frames)
    ### END SOLUTION


# --- cell pixel_qnet ---
class PixelQNet(nn.Module):
    """Dueling convolutional Q-network: frames (B, history, S, S) uint8 -> Q-values (B, n_actions) float32."""

    def __init__(self, n_actions: int, history: int = 4, frame_size: int = 84, convs=NATURE_CONVS, hidden: int = 512):
        super().__init__()
        layers, channels = [], history
        for filters, kernel, stride in convs:
            layers += [nn.Conv2d(channels, filters, kernel, stride), nn.ReLU()]
            channels = filters
        self.features = nn.Sequential(*layers, nn.Flatten())
        with torch.no_grad():  # the number of features: run the convolutions once on a blank input
            n_features = self.features(torch.zeros(1, history, frame_size, frame_size)).shape[1]
        self.value = nn.Sequential(nn.Linear(n_features, hidden), nn.ReLU(), nn.Linear(hidden, 1))
        self.advantage = nn.Sequential(nn.Linear(n_features, hidden), nn.ReLU(), nn.Linear(hidden, n_actions))

    def forward(self, frames: torch.Tensor) -> torch.Tensor:
        features = self.features(frames.float() / 255.0)
        advantage = self.advantage(features)
        return self.value(features) + advantage - advantage.mean(dim=1, keepdim=True)
        ### END SOLUTION


# --- cell setup_3 ---
class FrameReplayBuffer:
    """A circular buffer of preprocessed frames, each stored once, with the steps that produced them.

    add_first(frame): the first frame of an episode. add(action, reward, frame, terminated): the frame env.step
    returned after `action`. sample(n, rng) -> Batch of n transitions drawn uniformly (with replacement) by the numpy
    Generator you pass, their states rebuilt from the frames with history_slots.
    """

    def __init__(self, capacity: int, frame_size: int, history: int = 4):
        self.capacity, self.history = capacity, history
        self.frames = np.zeros((capacity, frame_size, frame_size), dtype=np.uint8)
        self.actions = np.zeros(capacity, dtype=np.uint8)  # Atari has at most 18 actions
        self.rewards = np.zeros(capacity, dtype=np.float32)
        self.terminated = np.zeros(capacity, dtype=np.bool_)
        self.frame_index = np.zeros(capacity, dtype=np.int32)  # position of the frame in its episode (0 = first)
        self.position = 0  # where the next frame goes
        self.size = 0  # how many slots hold a frame
        self.transitions = 0  # how many of them end a transition (frame_index >= 1)

    @property
    def bytes_per_transition(self) -> float:
        """Memory of the whole buffer divided by its capacity."""
        arrays = (self.frames, self.actions, self.rewards, self.terminated, self.frame_index)
        return sum(array.nbytes for array in arrays) / self.capacity

    def _write(self, frame, action: int, reward: float, terminated: bool, index: int) -> None:
        i = self.position
        if self.size == self.capacity and self.frame_index[i] >= 1:
            self.transitions -= 1  # the transition ending here is overwritten
        self.frames[i], self.actions[i], self.rewards[i] = frame, action, reward
        self.terminated[i], self.frame_index[i] = terminated, index
        self.transitions += index >= 1
        self.position = (i + 1) % self.capacity
        self.size = min(self.size + 1, self.capacity)

    def add_first(self, frame: np.ndarray) -> None:
        self._write(frame, 0, 0.0, False, 0)

    def add(self, action: int, reward: float, frame: np.ndarray, terminated: bool) -> None:
        previous = self.frame_index[(self.position - 1) % self.capacity]
        self._write(frame, action, reward, terminated, previous + 1)

    def can_sample(self, n: int) -> bool:
        return self.transitions >= n

    def complete(self, slots: np.ndarray) -> np.ndarray:
        """Whether each slot ends a transition whose frames are all still stored: (n,) bool. The frames of s and s'
        reach back min(history, frame_index) slots, and those must be older than the slot itself (age counts the
        slots written since the oldest frame in the buffer)."""
        index = self.frame_index[slots]
        age = (slots - self.position) % self.capacity if self.size == self.capacity else slots
        return (index >= 1) & (age >= np.minimum(self.history, index))

    def sample(self, n: int, rng: np.random.Generator) -> Batch:
        ends = np.zeros(0, dtype=np.int64)
        while len(ends) < n:  # draw, keep the complete transitions, draw again for the rest
            candidates = rng.integers(self.size, size=n - len(ends))
            ends = np.concatenate([ends, candidates[self.complete(candidates)]])
        starts = (ends - 1) % self.capacity
        on_device = lambda array: torch.as_tensor(array, device=device)  # noqa: E731
        states = self.frames[history_slots(starts, self.frame_index, self.history, self.capacity)]
        next_states = self.frames[history_slots(ends, self.frame_index, self.history, self.capacity)]
        return Batch(on_device(states), on_device(self.actions[ends].astype(np.int64)), on_device(self.rewards[ends]),
                     on_device(next_states), on_device(self.terminated[ends].astype(np.float32)))


# --- cell history_slots ---
def history_slots(last: np.ndarray, frame_index: np.ndarray, history: int, capacity: int) -> np.ndarray:
    """Slots of the frames of the states that end at slots `last`, oldest first.

    last: (B,) int64, the slot of each state's newest frame. frame_index: (capacity,) integers, each stored frame's
    position in its episode (0 = the episode's first frame). Returns (B, history) int64 slots in [0, capacity).
    """
    back = np.arange(history - 1, -1, -1)  # (history,): how many slots before `last` each frame lies
    back = np.minimum(back[None, :], frame_index[last][:, None])  # (B, history): never before the episode's first frame
    return (last[:, None] - back) % capacity
    ### END SOLUTION


# --- cell update ---
def update(q_net: nn.Module, target_net: nn.Module, optimizer: torch.optim.Optimizer, batch: Batch,
           config: PixelConfig) -> float:
    """One Double DQN gradient step on the Huber loss between Q(s_i, a_i) and the targets; returns the loss (a float)."""
    targets = double_dqn_targets(batch.rewards, batch.next_states, batch.terminated, q_net, target_net, config.gamma)
    values = q_net(batch.states).gather(1, batch.actions.unsqueeze(1)).squeeze(1)
    loss = F.smooth_l1_loss(values, targets)
    optimizer.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(q_net.parameters(), config.grad_clip)
    optimizer.step()
    return loss.item()
    ### END SOLUTION


# --- cell setup_4 ---
def eval_pixels(q_net: nn.Module, env: gym.Env, config: PixelConfig, n_episodes: int = 10, seed: int | None = None) -> np.ndarray:
    """Undiscounted returns of n_episodes greedy episodes (episode i reset with seed + i): (n_episodes,) float64."""
    returns = np.zeros(n_episodes, dtype=np.float64)
    for i in range(n_episodes):
        act = pixel_policy(q_net, config)
        observation, _ = env.reset(seed=None if seed is None else seed + i)
        done = False
        while not done:
            observation, reward, terminated, truncated, _ = env.step(act(observation))
            returns[i] += reward
            done = terminated or truncated
    return returns


def pixel_policy(q_net: nn.Module, config: PixelConfig) -> Callable[[np.ndarray], int]:
    """A greedy policy for ONE episode: screen -> action, preprocessing and stacking the frames as in training."""
    stack, started = FrameStack(config.history), False

    def act(observation: np.ndarray) -> int:
        nonlocal started
        frame = preprocess(observation, config.frame_size)
        state = stack.step(frame) if started else stack.reset(frame)
        started = True
        return greedy_action(q_net, state)
    return act


@dataclass
class TrainResult:
    q_net: nn.Module  # the best network found by the greedy evaluations
    episode_returns: list = field(default_factory=list)  # return of every training episode (unclipped rewards)
    eval_steps: list = field(default_factory=list)  # environment step of every greedy evaluation
    eval_returns: list = field(default_factory=list)  # mean greedy return of every evaluation
    best_eval_return: float = -np.inf
    steps: int = 0  # environment steps taken
    seconds: float = 0.0  # wall time
    buffer: FrameReplayBuffer | None = None


def train(make_env: Callable[[], gym.Env], config: PixelConfig, seed: int = 0, show: bool = False) -> TrainResult:
    """Train a pixel Double Dueling DQN; keep the network with the best greedy evaluation.
    make_env() builds a fresh environment whose observations are RGB screens; show=True draws a progress bar and a live curve."""
    start = time.perf_counter()
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    env, eval_env = make_env(), make_env()
    n_actions = int(env.action_space.n)
    q_net = PixelQNet(n_actions, config.history, config.frame_size, config.convs, config.hidden).to(device)
    target_net = copy.deepcopy(q_net)
    optimizer = torch.optim.Adam(q_net.parameters(), lr=config.learning_rate)
    buffer = FrameReplayBuffer(config.buffer_capacity, config.frame_size, config.history)
    stack = FrameStack(config.history)
    result = TrainResult(q_net=copy.deepcopy(q_net), buffer=buffer)
    curve = LiveCurve(f"pixel DQN on {env.spec.id if env.spec else 'env'}", target=config.stop_return if np.isfinite(config.stop_return) else None, enabled=show)
    bar = progress(config.total_steps, "steps", enabled=show)

    def start_episode(observation):
        frame = preprocess(observation, config.frame_size)
        buffer.add_first(frame)
        return stack.reset(frame)

    state, episode_return = start_episode(env.reset(seed=seed)[0]), 0.0
    for step in range(1, config.total_steps + 1):
        action = choose_action(q_net, state, epsilon_at(step, config), n_actions, rng)
        observation, reward, terminated, truncated, _ = env.step(action)
        frame = preprocess(observation, config.frame_size)
        buffer.add(action, float(np.sign(reward)) if config.clip_rewards else float(reward), frame, terminated)
        state = stack.step(frame)
        episode_return += reward
        if terminated or truncated:
            curve.add_episode(episode_return)
            result.episode_returns.append(float(episode_return))
            state, episode_return = start_episode(env.reset()[0]), 0.0
        if step >= config.learning_starts and step % config.train_every == 0 and buffer.can_sample(config.batch_size):
            update(q_net, target_net, optimizer, buffer.sample(config.batch_size, rng), config)
        if step % config.target_update_every == 0:
            soft_update(target_net, q_net, config.tau)
        bar.update()
        if step % config.eval_every == 0:
            mean_return = float(eval_pixels(q_net, eval_env, config, config.eval_episodes, seed=10_000 + step).mean())
            result.eval_steps.append(step)
            result.eval_returns.append(mean_return)
            curve.add_eval(step, mean_return)
            bar.set_postfix(greedy=f"{mean_return:.1f}")
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
