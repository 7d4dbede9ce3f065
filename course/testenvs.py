"""Scripted environments the hidden checks train on, where every step's outcome is known.

Used by the probes of the DQN-style notebooks to see what a student's training loop stores:
``EndlessEnv`` only ever ends by a time limit (truncation), ``FallingEnv`` terminates itself.
"""
import gymnasium as gym
import numpy as np


class EndlessEnv(gym.Env):
    """Never terminates; its observation counts the steps of the episode, its rewards cycle 1, 2, 0."""

    observation_space = gym.spaces.Box(-np.inf, np.inf, (4,), np.float32)
    action_space = gym.spaces.Discrete(2)

    def reset(self, seed=None, options=None):
        super().reset(seed=seed)
        self.t = 0
        return np.zeros(4, np.float32), {}

    def step(self, action):
        self.t += 1
        return np.full(4, self.t, np.float32), float(self.t % 3), False, False, {}


class FallingEnv(EndlessEnv):
    """Terminates after 4 steps (before any time limit)."""

    def step(self, action):
        observation, reward, _, truncated, info = super().step(action)
        return observation, reward, self.t >= 4, truncated, info
