"""Notebook 7 beyond Catch: the Atari wrapper, Breakout and CartPole from a screen patch trained for a few hundred
steps with the reference pieces (on the CPU; they learn only in the notebook's GPU runs), and, where PyTorch sees a
CUDA GPU, the reference trained and graded there. Catch itself is trained by the notebook test and graded by the
corpus."""
from dataclasses import replace

import gymnasium as gym
import numpy as np
import pytest
import torch

from conftest import run_course
from course.checking import Reference
from course.notebooks import ASSIGNMENTS
from coursekit import record_video
from coursekit.pixelgames import CartPoleScreen, CatchEnv, make_breakout

cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA GPU here: these run where PyTorch sees one")
NOOP, FIRE, RIGHT, LEFT = range(4)


@pytest.fixture(scope="module")
def pixels():
    """The reference module of 07 (solutions/pixels.py), on the best device there is."""
    return Reference(ASSIGNMENTS["07_pixels"]).module


def breakout_config(pixels, **changes):
    """The notebook's Breakout architecture with a budget of a few hundred steps."""
    return replace(pixels.PixelConfig(), frame_size=84, convs=pixels.NATURE_CONVS, hidden=512, buffer_capacity=2_000,
                   learning_starts=100, train_every=4, target_update_every=100, tau=1.0, total_steps=300, eval_every=300,
                   eval_episodes=1, stop_return=np.inf, **changes)


def test_max_and_skip_repeats_actions_sums_rewards_and_keeps_the_brighter_of_two_frames():
    wrapped, raw = make_breakout(sticky=0.0), gym.make("ALE/Breakout-v5", frameskip=1, repeat_action_probability=0.0)
    observation, _ = wrapped.reset(seed=4)
    raw.reset(seed=4)
    assert np.array_equal(observation, raw.step(FIRE)[0]), "reset presses FIRE once"
    lives, fired = 5, 0
    for step in range(60):
        action = (RIGHT, LEFT, NOOP)[step % 3]
        frames, total = [], 0.0
        for _ in range(4):
            frame, reward, _, _, raw_info = raw.step(action)
            frames.append(frame)
            total += reward
        if raw_info["lives"] < lives:  # a lost ball: the wrapper presses FIRE once more
            lives, fired = raw_info["lives"], fired + 1
            frame, reward, _, _, raw_info = raw.step(FIRE)
            frames.append(frame)
            total += reward
        observation, reward, terminated, truncated, info = wrapped.step(action)
        assert observation.shape == (210, 160, 3) and observation.dtype == np.uint8
        assert np.array_equal(observation, np.maximum(frames[-2], frames[-1])) and reward == total, step
        assert not (terminated or truncated) and info["lives"] == wrapped.lives == lives
    assert fired >= 1, "no ball was lost in 60 steps: the FIRE after a lost life went untested"


def test_an_agent_that_never_fires_still_plays_every_ball():
    """Without the FIRE after each lost life, a NOOP agent would wait until the 108,000-frame limit."""
    env = make_breakout(sticky=0.0)
    env.reset(seed=0)
    for steps in range(1, 3_000):
        _, _, terminated, truncated, info = env.step(NOOP)
        if terminated or truncated:
            break
    assert terminated and info["lives"] == 0 and steps < 1_500, (steps, info)


def test_breakout_trains_with_the_reference_pieces_and_stores_one_frame_per_step(pixels, tmp_path):
    config = breakout_config(pixels)
    result = pixels.train(lambda: make_breakout(max_frames=4_000), config, seed=0)
    assert result.steps == 300 and len(result.eval_returns) == 1 and result.episode_returns is not None
    assert result.buffer.size >= 300 and result.buffer.frames.shape == (2_000, 84, 84)
    assert result.buffer.bytes_per_transition == 84 * 84 + 10  # against 2 x 4 x 84 x 84 x 4 = 225,792 as float32
    batch = result.buffer.sample(32, np.random.default_rng(0))
    assert batch.states.dtype == torch.uint8 and batch.states.shape == (32, 4, 84, 84)
    torch.manual_seed(0)
    fresh = pixels.PixelQNet(4, 4, 84, pixels.NATURE_CONVS, 512)
    trained = [p.detach().cpu() for p in result.q_net.parameters()]
    assert any(not torch.equal(a, b) for a, b in zip(trained, fresh.parameters())), "50 updates moved no weight"
    video = record_video(pixels.pixel_policy(result.q_net, config),
                         lambda render_mode: make_breakout(render_mode, max_frames=4_000), tmp_path / "breakout.mp4",
                         seed=3, max_steps=60)
    assert video["steps"] == 60 and (tmp_path / "breakout.mp4").stat().st_size > 1_000


def test_cartpole_screen_patch_follows_the_cart_and_trains(pixels):
    env = CartPoleScreen()
    observation, _ = env.reset(seed=0)
    assert observation.shape == (160, 160, 3) and observation.dtype == np.uint8
    assert (observation.reshape(-1, 3) != 255).any(axis=1).mean() > 0.01, "the patch should show the cart and the pole"
    config = replace(pixels.PixelConfig(), frame_size=42, convs=((16, 5, 2), (32, 5, 2), (32, 3, 1)), hidden=128,
                     learning_starts=100, total_steps=300, eval_every=300, eval_episodes=2, clip_rewards=False,
                     stop_return=np.inf)
    result = pixels.train(CartPoleScreen, config, seed=0)
    assert result.steps == 300 and len(result.eval_returns) == 1 and sum(result.episode_returns) > 0


@cuda
@pytest.mark.slow
def test_on_cuda_the_reference_learns_catch_and_course_check_gives_full_marks(pixels, tmp_path):
    assert pixels.device.type == "cuda"
    result = pixels.train(CatchEnv, pixels.PixelConfig(), seed=0)
    assert next(result.q_net.parameters()).is_cuda
    assert pixels.eval_pixels(result.q_net, CatchEnv(), pixels.PixelConfig(), 50, seed=777_000).mean() >= 4.0
    run = run_course("check", "07_pixels", "05_dqn", "--out", tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr


@cuda
@pytest.mark.slow
def test_on_cuda_breakout_trains_the_nature_network(pixels):
    result = pixels.train(lambda: make_breakout(max_frames=20_000), breakout_config(pixels, total_steps=3_000,
                                                                                   eval_every=3_000), seed=0)
    assert result.steps == 3_000 and next(result.q_net.parameters()).is_cuda
