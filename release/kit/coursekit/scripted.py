"""Scripted environments, whose every step is known in advance, and a wrapper that records steps.

The notebooks' visible checks and the grader's hidden checks train on these to see what a training loop does
(what it stores, when an episode ends, what it learns from a delayed reward), not how well it plays.

* ``CountingEnv``: 4 observations that count the steps of the episode, rewards 1, 2, 0, 1, 2, 0, ...; ends only
  when told to (a time limit, a number of steps, or an action).
* ``OneStateEnv``: one state, two actions, reward 1 per step (tabular loops).
* ``DelayedRewardEnv``: two steps; the reward at the second depends only on the first action.
* ``StepLog``: records every step of the environment it wraps.
"""
from __future__ import annotations

import gymnasium as gym
import numpy as np


class CountingEnv(gym.Env):
    """Observation (4,) float32: observation_scale times the number of steps taken in the episode (0 after reset).
    Rewards 1, 2, 0, 1, 2, 0, ... (step t earns t % 3), so an episode of 5 steps returns 6.

    time_limit: the episode is truncated at that many steps (as gymnasium's TimeLimit would do).
    terminate_after: the episode terminates at that many steps. terminate_on_action: it terminates as soon as that
    action is taken. strict: stepping an episode that has ended raises an error that says so."""

    observation_space = gym.spaces.Box(-np.inf, np.inf, (4,), np.float32)
    action_space = gym.spaces.Discrete(2)

    def __init__(self, time_limit: int | None = None, terminate_after: int | None = None,
                 terminate_on_action: int | None = None, observation_scale: float = 1.0, strict: bool = False):
        self.time_limit, self.terminate_after, self.terminate_on_action = time_limit, terminate_after, terminate_on_action
        self.observation_scale, self.strict = observation_scale, strict
        self.t, self.over = 0, False

    def reset(self, seed=None, options=None):
        super().reset(seed=seed)
        self.t, self.over = 0, False
        return np.zeros(4, np.float32), {}

    def step(self, action):
        if self.strict and self.over:
            raise RuntimeError("an environment was stepped after its episode had ended (terminated or truncated); "
                               "step only the environments that are still playing, and reset before the next episode")
        self.t += 1
        terminated = ((self.terminate_after is not None and self.t >= self.terminate_after)
                      or (self.terminate_on_action is not None and int(action) == self.terminate_on_action))
        truncated = self.time_limit is not None and self.t >= self.time_limit
        self.over = terminated or truncated
        return np.full(4, self.t * self.observation_scale, np.float32), float(self.t % 3), terminated, truncated, {}


class OneStateEnv(gym.Env):
    """One state (0), two actions, reward 1 per step. terminal: every step terminates the episode; otherwise only
    time_limit ends it (truncation), so the state's true value is 1 / (1 - gamma)."""

    observation_space = gym.spaces.Discrete(1)
    action_space = gym.spaces.Discrete(2)

    def __init__(self, time_limit: int | None = None, terminal: bool = False):
        self.time_limit, self.terminal, self.t = time_limit, terminal, 0

    def reset(self, seed=None, options=None):
        super().reset(seed=seed)
        self.t = 0
        return 0, {}

    def step(self, action):
        self.t += 1
        return 0, 1.0, self.terminal, self.time_limit is not None and self.t >= self.time_limit, {}


class DelayedRewardEnv(gym.Env):
    """Two steps. The reward (1 or 0) comes at the second step and depends only on the FIRST action (1 pays).
    Observations are one-hot step indicators (4,) float32: learning to take action 1 at the first step needs
    returns that carry the later reward back to the earlier action."""

    observation_space = gym.spaces.Box(0, 1, (4,), np.float32)
    action_space = gym.spaces.Discrete(2)

    def reset(self, seed=None, options=None):
        super().reset(seed=seed)
        self.t, self.first_action = 0, None
        return np.eye(4, dtype=np.float32)[0], {}

    def step(self, action):
        self.t += 1
        if self.t == 1:
            self.first_action = int(action)
            return np.eye(4, dtype=np.float32)[1], 0.0, False, False, {}
        return np.eye(4, dtype=np.float32)[2], float(self.first_action == 1), True, False, {}


class StepLog(gym.Wrapper):
    """Appends every step of the wrapped environment to `log` (a list, shared by the caller) as
    (observation, action, reward, next observation, terminated, truncated)."""

    def __init__(self, env: gym.Env, log: list):
        super().__init__(env)
        self.log, self.observation = log, None

    def reset(self, **kwargs):
        self.observation, info = self.env.reset(**kwargs)
        return self.observation, info

    def step(self, action):
        next_observation, reward, terminated, truncated, info = self.env.step(action)
        self.log.append((self.observation, action, reward, next_observation, terminated, truncated))
        self.observation = next_observation
        return next_observation, reward, terminated, truncated, info

