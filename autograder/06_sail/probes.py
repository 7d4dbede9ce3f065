"""Probes for 06_sail: harnesses that feed a module's functions the grader's inputs.

Each probe takes the module under test (the student's submission in the sandbox,
or the reference in the grader) and plain data, and returns plain data. The
same probe runs on both sides, so the hidden checks compare like with like.
The sandbox seeds every RNG before each call.
"""
import gymnasium as gym
import numpy as np
import torch

from course.testenvs import LOOP_STAND_INS, EndlessEnv, FallingEnv, ScheduleRecorder, stand_ins
from pieces import discounted_returns, move_episode  # autograder/pieces.py (course.worker.load_probes)
from course.trail import Trail, replay_step


def _net(m, weights):
    obs_dim, hidden = weights["layers.0.weight"].shape[1], weights["layers.0.weight"].shape[0]
    net = m.QNet(obs_dim, weights["layers.4.weight"].shape[0], hidden).to(m.device)
    net.load_state_dict(weights)
    return net


def _batch(m, batch):
    keys = ("states", "actions", "rewards", "next_states", "terminated", "returns")
    return m.Batch(*(batch[key].to(m.device) for key in keys))


def _cpu_weights(net):
    return {key: value.detach().cpu().clone() for key, value in net.state_dict().items()}


def _buffer_contents(buffer):
    return {"size": int(buffer.size), "position": int(buffer.position),
            **{key: getattr(buffer, key).copy()
               for key in ("states", "actions", "rewards", "next_states", "terminated", "returns")}}


def get_episode_returns(m, rewards, gamma, as_list):
    """Returns of one episode; rewards given as a list of floats or a float32 array."""
    rewards = [float(r) for r in rewards] if as_list else np.asarray(rewards, dtype=np.float32)
    returns = m.get_episode_returns(rewards, gamma)
    return {"returns": returns, "rewards_after": rewards}  # compared with the rewards sent by the grader


def flush_episode(m, lengths, capacity, gamma, seed):
    """Episodes of the given lengths (the last step of each terminates, except the last episode's,
    which is truncated), each pushed step by step into an EpisodeBuffer and flushed; returns the
    replay buffer's arrays and the episode buffer's length after each flush.

    get_episode_returns is a grader stand-in (the discounted returns), so that a bug in it costs its own checks
    and not flush_episode's."""
    rng = np.random.default_rng(seed)
    replay, episode = m.ReplayBuffer(capacity, 3), m.EpisodeBuffer()
    lengths_after = []
    with stand_ins(m, get_episode_returns=discounted_returns):
        for i, length in enumerate(lengths):
            for t in range(length):
                terminated = t == length - 1 and i < len(lengths) - 1
                episode.push(rng.normal(size=3).astype(np.float32), int(rng.integers(3)), float(rng.normal()),
                             rng.normal(size=3).astype(np.float32), terminated)
            m.flush_episode(episode, replay, gamma)
            lengths_after.append(len(episode))
    return {"buffer": _buffer_contents(replay), "episode_lengths_after": lengths_after}


def sail_targets(m, weights, batch, gamma, alpha, bonus_clip):
    return m.sail_targets(_batch(m, batch), _net(m, weights), gamma, alpha, bonus_clip)


def update_sail(m, online_weights, target_weights, batch, config, n_steps, targets):
    """n_steps calls of update_sail on the same batch with a fresh Adam; returns losses and weights after.

    sail_targets is a grader stand-in that returns the given targets (computed by the grader), so that a bug in it
    costs its own checks and not update_sail's; it records the network and parameters it got ("target_calls")."""
    from dataclasses import replace

    config = replace(m.DQNConfig(), **config)
    online, target = _net(m, online_weights), _net(m, target_weights)
    optimizer = torch.optim.Adam(online.parameters(), lr=config.learning_rate)
    calls = []

    def sail_targets(batch, target_net, gamma, alpha, bonus_clip):
        calls.append({"networks_right": target_net is target, "parameters": [float(gamma), float(alpha), float(bonus_clip)]})
        return targets.to(m.device).clone()

    with stand_ins(m, sail_targets=sail_targets):
        losses = [m.update_sail(online, target, optimizer, _batch(m, batch), config) for _ in range(n_steps)]
    return {"losses": losses, "online": _cpu_weights(online), "target": _cpu_weights(target), "target_calls": calls}


def train_storage(m, total_steps, time_limit, falling):
    """Train on a tiny scripted environment, with grader stand-ins for the other pieces (flush_episode included:
    the stand-in moves the episode with its discounted returns); return what reached the replay buffer, what still
    waits, and the environment steps at which update_sail and soft_update were called."""
    from dataclasses import replace

    env_class = FallingEnv if falling else EndlessEnv
    config = replace(m.DQNConfig(), total_steps=total_steps, learning_starts=16, batch_size=8, train_every=2,
                     target_update_every=5, eval_every=10**9)
    schedule = ScheduleRecorder()
    pieces = dict(LOOP_STAND_INS, flush_episode=move_episode, get_episode_returns=discounted_returns,
                  update_sail=schedule.update, soft_update=schedule.soft_update)
    with stand_ins(m, **pieces):  # the loop's bookkeeping alone: the other pieces have checks of their own
        result = m.train_sail(lambda: schedule.counted(gym.wrappers.TimeLimit(env_class(), max_episode_steps=time_limit)),
                              config, seed=0)
    size = result.buffer.size
    contents = _buffer_contents(result.buffer)
    for key in ("states", "actions", "rewards", "next_states", "terminated", "returns"):
        contents[key] = contents[key][:size]
    contents["episode_returns"] = [float(r) for r in result.episode_returns]
    contents["waiting"] = len(result.episode_buffer) if result.episode_buffer is not None else -1
    contents["update_steps"], contents["target_steps"] = schedule.update_steps, schedule.target_steps
    return contents


def train_cartpole(m, seed, total_steps, sample_at):
    """Train SAIL on CartPole-v1 with the notebook's defaults and a step budget; return the kept network and the
    trail of the student's own update_sail calls (the calls numbered in sample_at keep their inputs, for a replay)."""
    from dataclasses import replace

    config = replace(m.DQNConfig(), total_steps=total_steps)
    trail = Trail()
    with stand_ins(m, update_sail=trail.watch_update(m.update_sail, sample_at)):
        result = m.train_sail(lambda: gym.make("CartPole-v1"), config, seed=seed)
    return {"weights": _cpu_weights(result.q_net), "episode_returns": [float(r) for r in result.episode_returns],
            "eval_steps": [int(s) for s in result.eval_steps], "eval_returns": [float(r) for r in result.eval_returns],
            "steps": int(result.steps), "trail": trail.summary(result.q_net.parameters())}


def replay_update(m, sample, config):
    """One update_sail from a recorded call's weights, gradients, optimizer state and batch (outside train,
    to compare with the call in train)."""
    from dataclasses import replace

    config = replace(m.DQNConfig(), **config)
    online, target = _net(m, sample["online"]), _net(m, sample["target"])
    replay_step(m.update_sail, online, target, _batch(m, sample["batch"]), config, sample)
    return _cpu_weights(online)


def eval_dqn(m, weights, n_episodes, seed, max_episode_steps):
    """Greedy returns of a network (run by the grader on the reference's classes)."""
    env = gym.make("CartPole-v1", max_episode_steps=max_episode_steps)
    return m.eval_dqn(_net(m, weights), env, n_episodes, seed)


def record_policy(m, weights, path, seed=3):
    """Render one greedy episode of a network (run by the grader on the reference's classes)."""
    from coursekit import record_video

    net = _net(m, weights)
    return record_video(lambda observation: int(m.get_q(net, observation[None])[0].argmax()), "CartPole-v1", path, seed=seed)
