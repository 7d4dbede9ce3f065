"""Probe harnesses shared by the replay-based notebooks (05 DQN, 06 SAIL), written once.

A notebook's autograder/<assignment>/probes.py calls these with the names of its own functions (``"update"`` or
``"update_sail"``, ``m.train`` or ``m.train_sail``). They build networks and batches from plain data, run the
student's (or the reference's) function, and return plain data. Nothing here computes an answer: this module is
visible in the sandbox.
"""
from dataclasses import replace

import gymnasium as gym
import torch

from course.standins import LOOP_STAND_INS, ScheduleRecorder, stand_ins
from coursekit.scripted import CountingEnv
from course.trail import Trail, replay_step


def network(m, weights: dict, dueling: bool = False) -> torch.nn.Module:
    """m.QNet (or m.DuelingQNet) with the sizes and values of a state dict, on m.device."""
    first, last = ("body.0.weight", "advantage_head.weight") if dueling else ("layers.0.weight", "layers.4.weight")
    hidden, obs_dim = weights[first].shape
    net = (m.DuelingQNet if dueling else m.QNet)(obs_dim, weights[last].shape[0], hidden).to(m.device)
    net.load_state_dict(weights)
    return net


def to_batch(m, batch: dict):
    """m.Batch from a dict of CPU tensors, one per field of m.Batch, moved to m.device."""
    return m.Batch(*(batch[key].to(m.device) for key in m.Batch._fields))


def cpu_weights(net: torch.nn.Module) -> dict:
    return {key: value.detach().cpu().clone() for key, value in net.state_dict().items()}


def config_with(m, overrides: dict):
    """The notebook's DQNConfig with the grader's overrides."""
    return replace(m.DQNConfig(), **overrides)


def repeated_updates(m, step_name: str, online_weights, target_weights, batch, config, n_steps, target_stand_ins):
    """n_steps calls of m.<step_name> (update or update_sail) on the same batch with a fresh Adam, while
    target_stand_ins(online, target) -> {name: stand-in} replaces the target functions it calls.
    Returns the losses and both networks' weights after."""
    config = config_with(m, config)
    dueling = getattr(config, "dueling", False)  # notebook 6's config has no Dueling option
    online, target = network(m, online_weights, dueling), network(m, target_weights, dueling)
    optimizer = torch.optim.Adam(online.parameters(), lr=config.learning_rate)
    with stand_ins(m, **target_stand_ins(online, target)):
        losses = [getattr(m, step_name)(online, target, optimizer, to_batch(m, batch), config) for _ in range(n_steps)]
    return {"losses": losses, "online": cpu_weights(online), "target": cpu_weights(target)}


def scheduled_run(m, train, step_name: str, total_steps: int, time_limit: int, falling: bool, **other_stand_ins):
    """train(make_env, config, seed=0) on a scripted CountingEnv (terminating after 4 steps if falling, else never;
    truncated at time_limit steps) with learning_starts = 16, batch_size = 8, train_every = 2, target_update_every = 5, and
    grader stand-ins for the pieces it calls (the loop's bookkeeping alone: the pieces have checks of their own).
    Returns train's result and the environment steps at which step_name and soft_update were called."""
    config = config_with(m, dict(total_steps=total_steps, learning_starts=16, batch_size=8, train_every=2,
                                 target_update_every=5, eval_every=10**9))
    schedule = ScheduleRecorder()
    pieces = {**LOOP_STAND_INS, **other_stand_ins, step_name: schedule.update, "soft_update": schedule.soft_update}
    with stand_ins(m, **pieces):
        result = train(lambda: schedule.counted(CountingEnv(time_limit, terminate_after=4 if falling else None)),
                       config, seed=0)
    return result, {"update_steps": schedule.update_steps, "target_steps": schedule.target_steps}


def train_cartpole(m, train, step_name: str, seed: int, config: dict, sample_at) -> dict:
    """train on CartPole-v1 with the notebook's defaults changed by CONFIG (the grader's step budget and schedule);
    return the kept network, the curves and the trail of the student's own step_name calls (the calls numbered in
    sample_at keep their inputs, for a replay)."""
    config = config_with(m, config)
    trail = Trail()
    with stand_ins(m, **{step_name: trail.watch_update(getattr(m, step_name), sample_at)}):
        result = train(lambda: gym.make("CartPole-v1"), config, seed=seed)
    return {"weights": cpu_weights(result.q_net), "episode_returns": [float(r) for r in result.episode_returns],
            "eval_steps": [int(s) for s in result.eval_steps], "eval_returns": [float(r) for r in result.eval_returns],
            "steps": int(result.steps), "trail": trail.summary(result.q_net.parameters())}


def replay_update(m, step_name: str, sample: dict, config: dict) -> dict:
    """One m.<step_name> call from a recorded call's weights, gradients, optimizer state and batch (outside train,
    to compare with the call in train)."""
    online, target = network(m, sample["online"]), network(m, sample["target"])
    replay_step(getattr(m, step_name), online, target, to_batch(m, sample["batch"]), config_with(m, config), sample)
    return cpu_weights(online)


def eval_dqn(m, weights, n_episodes, seed, max_episode_steps):
    """m.eval_dqn's greedy returns of a network on CartPole-v1 cut at max_episode_steps."""
    env = gym.make("CartPole-v1", max_episode_steps=max_episode_steps)
    return m.eval_dqn(network(m, weights), env, n_episodes, seed)


def record_policy(m, weights, path, seed=3):
    """Render one greedy episode of a network (run by the grader on the reference's classes)."""
    from coursekit import record_video

    net = network(m, weights)
    return record_video(lambda observation: int(m.get_q(net, observation[None])[0].argmax()), "CartPole-v1", path, seed=seed)
