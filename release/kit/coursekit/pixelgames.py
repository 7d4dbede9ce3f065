"""Pixel environments for notebook 7: Catch, a small game that a convolutional DQN learns from its screen on a
laptop CPU in seconds; Atari Breakout with the DQN recipe's frame skipping (``make_breakout``); CartPole seen
through a patch of its screen (``CartPoleScreen``).

**Catch.** Balls fall one at a time from the top of a 10 x 10 board, moving one row down and one column sideways
per step and bouncing off the side walls. The agent moves a 3-cell paddle along the bottom row (0 = left,
1 = stay, 2 = right). A ball that reaches the bottom row scores +1 if it lands on the paddle and -1 otherwise, and
the next ball starts at the top. An episode is ``balls`` balls (5 by default, 9 steps each), so returns lie in
[-5, 5]; a random policy scores about -2 (it catches 30% of the balls), a perfect one 5.

The observation is the rendered screen, an RGB image (40, 40, 3) uint8 (4 x 4 pixels per cell), the same array
``render()`` returns. One frame shows where the ball is but not which way it moves: that takes two frames, which is
why pixel agents stack their last few frames. Registered with gymnasium as ``coursekit/Catch-v0``.
"""
from __future__ import annotations

import gymnasium as gym
import numpy as np

BACKGROUND = (20, 24, 64)
BALL = (250, 200, 60)
PADDLE = (80, 200, 255)


class CatchEnv(gym.Env):
    metadata = {"render_modes": ["rgb_array"], "render_fps": 8}

    def __init__(self, balls: int = 5, board: int = 10, cell_pixels: int = 4, render_mode: str | None = "rgb_array"):
        self.balls, self.board, self.cell_pixels, self.render_mode = balls, board, cell_pixels, render_mode
        side = board * cell_pixels
        self.observation_space = gym.spaces.Box(0, 255, (side, side, 3), np.uint8)
        self.action_space = gym.spaces.Discrete(3)
        self._ball = self._paddle = None

    def _new_ball(self) -> None:
        self._ball = [0, int(self.np_random.integers(self.board)), int(self.np_random.choice([-1, 1]))]  # row, col, dx

    def reset(self, seed=None, options=None):
        super().reset(seed=seed)
        self._paddle = self.board // 2
        self._dropped = 0
        self._new_ball()
        return self.render(), {}

    def step(self, action):
        if not self.action_space.contains(action):
            raise ValueError(f"Catch takes an action in {{0, 1, 2}} (left, stay, right), got {action!r}")
        self._paddle = int(np.clip(self._paddle + int(action) - 1, 1, self.board - 2))
        row, col, dx = self._ball
        if not 0 <= col + dx < self.board:
            dx = -dx
        row, col = row + 1, col + dx
        self._ball = [row, col, dx]
        reward, terminated = 0.0, False
        if row == self.board - 1:
            reward = 1.0 if abs(col - self._paddle) <= 1 else -1.0
            self._dropped += 1
            terminated = self._dropped == self.balls
            if not terminated:
                self._new_ball()
        return self.render(), reward, terminated, False, {}

    def render(self) -> np.ndarray:
        cells = np.empty((self.board, self.board, 3), dtype=np.uint8)
        cells[:] = BACKGROUND
        cells[self.board - 1, self._paddle - 1:self._paddle + 2] = PADDLE
        row, col, _ = self._ball
        cells[row, col] = BALL
        return np.repeat(np.repeat(cells, self.cell_pixels, axis=0), self.cell_pixels, axis=1)


if "coursekit/Catch-v0" not in gym.registry:
    gym.register("coursekit/Catch-v0", entry_point=CatchEnv)


class MaxAndSkip(gym.Wrapper):
    """The DQN recipe's Atari steps: repeat each action `skip` emulator frames, sum their rewards, and return the
    pixel-wise max of the last two frames (Atari sprites flicker: some are drawn every other frame only).

    It also presses FIRE, which launches the ball in Breakout, at the start and after each lost life: an agent that
    has not learned to fire would otherwise wait, ball in hand, until the time limit."""

    FIRE = 1

    def __init__(self, env: gym.Env, skip: int = 4):
        super().__init__(env)
        self.skip = skip
        self.lives = 0

    def reset(self, **kwargs):
        self.env.reset(**kwargs)
        observation, _, _, _, info = self.env.step(self.FIRE)
        self.lives = info.get("lives", 0)
        return observation, info

    def step(self, action):
        total, last_two = 0.0, []
        for _ in range(self.skip):
            observation, reward, terminated, truncated, info = self.env.step(action)
            last_two = [*last_two[-1:], observation]
            total += float(reward)
            if terminated or truncated:
                break
        if not (terminated or truncated) and info.get("lives", 0) < self.lives:
            self.lives = info["lives"]
            observation, reward, terminated, truncated, info = self.env.step(self.FIRE)
            last_two = [*last_two[-1:], observation]
            total += float(reward)
        return np.max(np.stack(last_two), axis=0), total, terminated, truncated, info


def make_breakout(render_mode: str | None = None, max_frames: int = 108_000, sticky: float = 0.25) -> gym.Env:
    """Atari Breakout as the DQN recipe sees it: every emulator frame (frameskip=1; MaxAndSkip does the skipping),
    sticky actions (the v5 default: with probability `sticky` the emulator repeats the previous action), at most
    `max_frames` emulator frames per game (108,000 = 30 minutes of play). Observations: RGB screens (210, 160, 3)."""
    import ale_py

    gym.register_envs(ale_py)
    env = gym.make("ALE/Breakout-v5", frameskip=1, repeat_action_probability=sticky, max_episode_steps=max_frames,
                   render_mode=render_mode)
    return MaxAndSkip(env, skip=4)


class CartPoleScreen(gym.ObservationWrapper):
    """CartPole-v1 observed through its screen, as in the original PyTorch DQN tutorial: the 160 x 160 RGB patch of
    the 600 x 400 rendering centred on the cart (rows 160-319, which hold the cart and the pole)."""

    PATCH = 160

    def __init__(self, render_mode: str | None = "rgb_array", max_episode_steps: int = 500):
        super().__init__(gym.make("CartPole-v1", render_mode="rgb_array", max_episode_steps=max_episode_steps))
        self.observation_space = gym.spaces.Box(0, 255, (self.PATCH, self.PATCH, 3), np.uint8)

    def observation(self, observation: np.ndarray) -> np.ndarray:
        screen = self.env.render()  # (400, 600, 3)
        width = screen.shape[1]
        cart = int(observation[0] / 4.8 * width + width / 2)  # the track is 4.8 units wide, drawn across the screen
        left = int(np.clip(cart - self.PATCH // 2, 0, width - self.PATCH))
        return screen[160:160 + self.PATCH, left:left + self.PATCH].copy()

    def render(self) -> np.ndarray:
        return self.env.render()
