"""Probes for 07_pixels: harnesses that feed a module's functions the grader's inputs.

Each probe takes the module under test (the student's submission in the sandbox,
or the reference in the grader) and plain data, and returns plain data. The
same probe runs on both sides, so the hidden checks compare like with like.
The sandbox seeds every RNG before each call.
"""
from dataclasses import replace

import numpy as np
import torch

from course.replayprobes import cpu_weights, to_batch
from course.standins import stand_ins
from course.trail import Trail, replay_step
from coursekit.pixelgames import CatchEnv


def network(m, weights: dict, arch: dict) -> torch.nn.Module:
    """m.PixelQNet built with ARCH (n_actions, history, frame_size, convs, hidden), holding WEIGHTS, on m.device."""
    net = m.PixelQNet(arch["n_actions"], arch["history"], arch["frame_size"], tuple(tuple(c) for c in arch["convs"]),
                      arch["hidden"]).to(m.device)
    net.load_state_dict(weights)
    return net


def catch_arch(m) -> dict:
    """The architecture the notebook's PixelConfig gives Catch (3 actions)."""
    config = m.PixelConfig()
    return {"n_actions": 3, "history": config.history, "frame_size": config.frame_size, "convs": config.convs,
            "hidden": config.hidden}


def preprocess(m, frames, size):
    """preprocess on each frame; returns the images and the frames as they are afterwards."""
    images = [m.preprocess(frame, size) for frame in frames]
    return {"images": images, "frames_after": frames}


def frame_stack(m, frames, history, resets):
    """One FrameStack fed FRAMES in order (reset at the indices in RESETS, step elsewhere). Returns each state as it
    was when returned ("states", copied at once) and the returned objects themselves at the end ("kept")."""
    stack = m.FrameStack(history)
    kept, states = [], []
    for i, frame in enumerate(frames):
        state = stack.reset(frame) if i in resets else stack.step(frame)
        kept.append(state)
        states.append(state.copy() if isinstance(state, np.ndarray) else state)
    return {"states": states, "kept": kept}


def pixel_forward(m, weights, arch, frames):
    return network(m, weights, arch)(frames.to(m.device))


def history_slots(m, last, frame_index, history, capacity):
    return m.history_slots(last, frame_index, history, capacity)


class FlatQNet(torch.nn.Module):
    """The Q-network of update's checks: one linear layer on the scaled pixels of (B, history, S, S) uint8 frames.
    Not the student's PixelQNet, so that a bug in its forward costs PixelQNet's checks and not update's."""

    def __init__(self, n_inputs: int, n_actions: int):
        super().__init__()
        self.linear = torch.nn.Linear(n_inputs, n_actions)

    def forward(self, frames: torch.Tensor) -> torch.Tensor:
        return self.linear(frames.flatten(1).float() / 255.0)


def flat_network(m, weights: dict) -> FlatQNet:
    n_actions, n_inputs = weights["linear.weight"].shape
    net = FlatQNet(n_inputs, n_actions).to(m.device)
    net.load_state_dict(weights)
    return net


def update(m, online_weights, target_weights, batch, config, n_steps, targets):
    """n_steps calls of update on the same batch with a fresh Adam, on FlatQNet networks; returns losses and
    weights after.

    double_dqn_targets is a grader stand-in that returns the given targets (computed by the grader), so that the
    checks of update do not depend on the given function; it records the networks, gamma and batch columns it got
    ("target_calls")."""
    online, target = flat_network(m, online_weights), flat_network(m, target_weights)
    calls = []

    def double_dqn_targets(rewards, next_states, terminated, q_net, target_net, gamma):
        calls.append({"networks_right": q_net is online and target_net is target, "gamma": float(gamma),
                      **{name: torch.as_tensor(value).detach().cpu() for name, value in
                         (("rewards", rewards), ("next_states", next_states), ("terminated", terminated))}})
        return targets.to(m.device).clone()

    config = replace(m.PixelConfig(), **config)
    optimizer = torch.optim.Adam(online.parameters(), lr=config.learning_rate)
    with stand_ins(m, double_dqn_targets=double_dqn_targets):
        losses = [m.update(online, target, optimizer, to_batch(m, batch), config) for _ in range(n_steps)]
    return {"losses": losses, "online": cpu_weights(online), "target": cpu_weights(target), "target_calls": calls}


def train_catch(m, seed, config, sample_at):
    """The notebook's train on Catch with its defaults changed by CONFIG (the grader's budget); returns the kept
    network, the curves and the trail of the student's own update calls (those numbered in sample_at keep their
    inputs, for a replay)."""
    trail = Trail()
    with stand_ins(m, update=trail.watch_update(m.update, sample_at)):
        result = m.train(CatchEnv, replace(m.PixelConfig(), **config), seed=seed)
    return {"weights": cpu_weights(result.q_net), "episode_returns": [float(r) for r in result.episode_returns],
            "eval_steps": [int(s) for s in result.eval_steps], "eval_returns": [float(r) for r in result.eval_returns],
            "steps": int(result.steps), "trail": trail.summary(result.q_net.parameters())}


def replay_update(m, sample, config):
    """One update from a recorded call's inputs, outside train (see course.trail.replay_step)."""
    arch = catch_arch(m)
    online, target = network(m, sample["online"], arch), network(m, sample["target"], arch)
    replay_step(m.update, online, target, to_batch(m, sample["batch"]), replace(m.PixelConfig(), **config), sample)
    return cpu_weights(online)


def eval_catch(m, weights, n_episodes, seed):
    """m.eval_pixels's greedy returns of a Catch network (run by the grader on the reference)."""
    return m.eval_pixels(network(m, weights, catch_arch(m)), CatchEnv(), m.PixelConfig(),
                         n_episodes, seed)


def record_policy(m, weights, path, seed=3):
    """Render one greedy Catch episode of a network (run by the grader on the reference's pieces)."""
    from coursekit import record_video

    policy = m.pixel_policy(network(m, weights, catch_arch(m)), m.PixelConfig())
    return record_video(policy, "coursekit/Catch-v0", path, seed=seed, fps=8)
