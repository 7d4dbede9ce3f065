"""Reference solutions of 04_policy_gradients (Policy gradients).

Generated from source/04_policy_gradients/04_policy_gradients.ipynb by `python -m course build`; do not edit:
edit the notebook and regenerate. A test checks that the two agree.
"""


# --- cell setup_1 ---
import copy
import time
from dataclasses import dataclass, field, replace
from typing import Callable

import gymnasium as gym
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from coursekit import LiveCurve, experiment_scale, plot_spread, progress, record_video, show_check_messages, show_video

# Small networks run fastest on the CPU, on one thread: a GPU would only add transfer time here.
device = torch.device("cpu")
torch.set_num_threads(1)
EXPERIMENT_SCALE = experiment_scale()  # 1.0 = full experiments, 0.2 = quick run (env var COURSE_SCALE)
show_check_messages()  # a failed check shows its message; an exercise not written yet says so
print(f"torch {torch.__version__}, gymnasium {gym.__version__}, device {device}, experiment scale {EXPERIMENT_SCALE}")


# --- cell setup_2 ---
def angle_policy(observation: np.ndarray) -> int:
    """The hard-coded baseline: push the cart towards the side the pole leans to."""
    return 1 if observation[2] > 0 else 0


def run_fixed_policy(act: Callable[[np.ndarray], int], env: gym.Env, n_episodes: int, seed: int = 0) -> np.ndarray:
    """Undiscounted returns of `n_episodes` episodes of a policy observation -> action (episode i reset with seed + i)."""
    returns = np.zeros(n_episodes)
    for i in range(n_episodes):
        observation, _ = env.reset(seed=seed + i)
        done = False
        while not done:
            observation, reward, terminated, truncated, _ = env.step(act(observation))
            returns[i] += reward
            done = terminated or truncated
    return returns


# --- cell setup_3 ---
class PolicyNet(nn.Module):
    """The policy network: observations (B, obs_dim) -> action logits (B, n_actions).

    pi(a | s) = softmax(logits)[a]. One hidden layer is plenty for CartPole.
    """

    def __init__(self, obs_dim: int, n_actions: int, hidden_size: int = 32):
        super().__init__()
        self.layers = nn.Sequential(
            nn.Linear(obs_dim, hidden_size),
            nn.Tanh(),
            nn.Linear(hidden_size, n_actions),
        )

    def forward(self, observations: torch.Tensor) -> torch.Tensor:
        return self.layers(observations)


def greedy_actions(policy: nn.Module, observations: np.ndarray) -> np.ndarray:
    """argmax_a pi(a | s) for a batch of observations (N, obs_dim) -> (N,) int64."""
    with torch.no_grad():
        logits = policy(torch.as_tensor(np.asarray(observations, dtype=np.float32)))
    return logits.argmax(dim=1).numpy()


def evaluate_policy(policy: nn.Module, make_env: Callable[[], gym.Env], n_episodes: int = 20, seed: int = 0) -> np.ndarray:
    """Greedy returns of `n_episodes` episodes, run side by side with one forward pass per step.

    Environment i is reset with seed + i. Returns an (n_episodes,) float64 array.
    """
    envs = [make_env() for _ in range(n_episodes)]
    observations = np.stack([env.reset(seed=seed + i)[0] for i, env in enumerate(envs)])
    returns = np.zeros(n_episodes)
    alive = np.ones(n_episodes, dtype=bool)
    while alive.any():
        index = np.flatnonzero(alive)
        actions = greedy_actions(policy, observations[index])
        for i, action in zip(index, actions):
            observation, reward, terminated, truncated, _ = envs[i].step(int(action))
            observations[i] = observation
            returns[i] += reward
            if terminated or truncated:
                alive[i] = False
    for env in envs:
        env.close()
    return returns


# --- cell discount_rewards ---
def discount_rewards(rewards, gamma: float) -> np.ndarray:
    """Discounted return from every step of one episode: G_t = r_t + gamma * G_{t+1}, with G_T = 0.

    rewards: the T rewards r_0 ... r_{T-1}, a sequence of numbers. Returns a float64 array of shape (T,).
    """
    returns = np.array(rewards, dtype=np.float64)
    for t in range(len(returns) - 2, -1, -1):
        returns[t] += gamma * returns[t + 1]
    return returns
    ### END SOLUTION


# --- cell discount_and_normalize_rewards ---
def discount_and_normalize_rewards(all_rewards, gamma: float) -> list:
    """Discounted returns of every episode, standardised with the mean and standard deviation
    of all the returns of all the episodes together.

    all_rewards: a list of episodes, each a sequence of rewards. Returns a list of float64
    arrays, one per episode, of the same lengths. Divide by (std + 1e-8), so that a batch
    whose returns are all equal gives zeros instead of NaN.
    """
    all_returns = [discount_rewards(rewards, gamma) for rewards in all_rewards]
    flat = np.concatenate(all_returns)
    mean, std = flat.mean(), flat.std()
    return [(returns - mean) / (std + 1e-8) for returns in all_returns]
    ### END SOLUTION


# --- cell reinforce_loss ---
def reinforce_loss(logits: torch.Tensor, actions: torch.Tensor, advantages: torch.Tensor) -> torch.Tensor:
    """The REINFORCE surrogate loss: -mean_i [ log pi(a_i | s_i) * A_i ], a scalar tensor.

    logits (N, n_actions) from the policy, actions (N,) int64, advantages (N,) float32
    (the normalised returns; treated as constants, no gradient flows into them).
    Its gradient is minus the policy-gradient estimate, so gradient *descent* on it
    makes actions with positive advantages more likely.
    """
    log_probs = F.log_softmax(logits, dim=1).gather(1, actions.unsqueeze(1)).squeeze(1)
    return -(log_probs * advantages.detach()).mean()
    ### END SOLUTION


# --- cell setup_4 ---
@dataclass(frozen=True)
class PGConfig:
    """Every hyper-parameter of one REINFORCE run. Change them with `replace(config, field=value)`."""

    gamma: float = 0.99  # discount factor of the returns
    learning_rate: float = 0.02  # Adam step size
    hidden_size: int = 32  # width of the policy's hidden layer
    batch_episodes: int = 8  # episodes played (side by side) per gradient step
    max_batches: int = 120  # budget: gradient steps (so max_batches * batch_episodes episodes)
    eval_every: int = 2  # batches between greedy evaluations
    eval_episodes: int = 10  # episodes per greedy evaluation
    stop_return: float = 500.0  # stop once a greedy evaluation reaches this mean


@dataclass
class TrainResult:
    policy: nn.Module  # the policy with the best greedy evaluation
    episode_returns: list = field(default_factory=list)  # return of every training episode
    eval_episodes: list = field(default_factory=list)  # training episodes played before each greedy evaluation
    eval_returns: list = field(default_factory=list)  # mean greedy return of each evaluation
    best_eval_return: float = -np.inf
    batches: int = 0  # batches played
    updates: int = 0  # optimizer steps taken (read from Adam's state)
    seconds: float = 0.0  # wall time


# --- cell train_reinforce ---
def train_reinforce(make_env: Callable[[], gym.Env], config: PGConfig, seed: int = 0, show: bool = False) -> TrainResult:
    """REINFORCE with batches of episodes; keeps the policy with the best greedy evaluation.

    make_env() builds one environment; config.batch_episodes of them play side by side.
    show=True draws a progress bar and a live learning curve.
    """
    start = time.perf_counter()
    torch.manual_seed(seed)
    envs = [make_env() for _ in range(config.batch_episodes)]
    obs_dim, n_actions = envs[0].observation_space.shape[0], int(envs[0].action_space.n)
    policy = PolicyNet(obs_dim, n_actions, config.hidden_size)
    optimizer = torch.optim.Adam(policy.parameters(), lr=config.learning_rate)
    result = TrainResult(policy=copy.deepcopy(policy))
    spec = envs[0].spec
    curve = LiveCurve(f"REINFORCE on {spec.id if spec else 'env'}", target=config.stop_return, enabled=show,
                      every=4 * config.batch_episodes, eval_axis="training episode")
    bar = progress(config.max_batches, "REINFORCE", enabled=show)
    for i, env in enumerate(envs):
        env.reset(seed=seed * 1_000 + i)  # seeds each environment once; later resets continue its own RNG

    for batch in range(1, config.max_batches + 1):
        # YOUR TASK, once per batch:
        # 1. Play one episode in each of the environments of `envs`, side by side: reset them all,
        #    then at every step run the policy ONCE on the observations of the environments that
        #    are still playing, sample their actions from Categorical(logits=...), and step those
        #    environments. An episode ends when it is terminated or truncated; keep, per episode,
        #    its observations, actions and rewards.
        # 2. Compute the normalised discounted returns of the batch (discount_and_normalize_rewards).
        # 3. Take ONE optimizer step on reinforce_loss over all the steps of all the episodes.
        # 4. Put the undiscounted return of each episode of the batch in `batch_returns`.
        n = len(envs)
        observations = np.stack([env.reset()[0] for env in envs]).astype(np.float32)
        episode_obs = [[] for _ in range(n)]
        episode_actions = [[] for _ in range(n)]
        episode_rewards = [[] for _ in range(n)]
        alive = np.ones(n, dtype=bool)
        while alive.any():
            index = np.flatnonzero(alive)
            with torch.no_grad():
                logits = policy(torch.as_tensor(observations[index]))
            actions = torch.distributions.Categorical(logits=logits).sample().numpy()
            for i, action in zip(index, actions):
                episode_obs[i].append(observations[i].copy())
                episode_actions[i].append(int(action))
                observation, reward, terminated, truncated, _ = envs[i].step(int(action))
                episode_rewards[i].append(float(reward))
                observations[i] = observation
                if terminated or truncated:
                    alive[i] = False
        advantages = discount_and_normalize_rewards(episode_rewards, config.gamma)
        states = torch.as_tensor(np.concatenate([np.stack(o) for o in episode_obs]), dtype=torch.float32)
        taken = torch.as_tensor(np.concatenate(episode_actions), dtype=torch.int64)
        weights = torch.as_tensor(np.concatenate(advantages), dtype=torch.float32)
        loss = reinforce_loss(policy(states), taken, weights)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        batch_returns = [sum(rewards) for rewards in episode_rewards]
        for episode_return in batch_returns:
            result.episode_returns.append(float(episode_return))
            curve.add_episode(episode_return)
        result.batches = batch
        bar.update()
        if batch % config.eval_every == 0 or batch == config.max_batches:
            mean_return = float(evaluate_policy(policy, make_env, config.eval_episodes, seed=10_000 + batch).mean())
            result.eval_episodes.append(len(result.episode_returns))
            result.eval_returns.append(mean_return)
            curve.add_eval(len(result.episode_returns), mean_return)
            bar.set_postfix(greedy=f"{mean_return:.0f}")
            if mean_return > result.best_eval_return:
                result.best_eval_return = mean_return
                result.policy = copy.deepcopy(policy)
            if mean_return >= config.stop_return:
                break
    bar.close()
    for env in envs:
        env.close()
    adam_state = optimizer.state_dict()["state"]
    result.updates = int(adam_state[0]["step"]) if adam_state else 0
    result.seconds = time.perf_counter() - start
    return result
