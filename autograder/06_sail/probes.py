"""Probes for 06_sail: harnesses that feed a module's functions the grader's inputs.

Each probe takes the module under test (the student's submission in the sandbox,
or the reference in the grader) and plain data, and returns plain data. The
same probe runs on both sides, so the hidden checks compare like with like.
The sandbox seeds every RNG before each call.
"""
import numpy as np

from autograder.pieces import discounted_returns, move_episode  # answers the grader computes (course.worker.load_probes)
from course import replayprobes as shared
from course.replayprobes import network, to_batch
from course.standins import stand_ins


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
    return m.sail_targets(to_batch(m, batch), network(m, weights), gamma, alpha, bonus_clip)


def update_sail(m, online_weights, target_weights, batch, config, n_steps, targets):
    """n_steps calls of update_sail on the same batch with a fresh Adam; returns losses and weights after.

    sail_targets is a grader stand-in that returns the given targets (computed by the grader), so that a bug in it
    costs its own checks and not update_sail's; it records the network and parameters it got ("target_calls")."""
    calls = []

    def target_stand_ins(online, target):
        def sail_targets(batch, target_net, gamma, alpha, bonus_clip):
            calls.append({"networks_right": target_net is target,
                          "parameters": [float(gamma), float(alpha), float(bonus_clip)]})
            return targets.to(m.device).clone()

        return {"sail_targets": sail_targets}

    result = shared.repeated_updates(m, "update_sail", online_weights, target_weights, batch, config, n_steps,
                                     target_stand_ins)
    return {**result, "target_calls": calls}


def train_storage(m, total_steps, time_limit, falling):
    """Train on a tiny scripted environment, with grader stand-ins for the other pieces (flush_episode included:
    the stand-in moves the episode with its discounted returns); return what reached the replay buffer, what still
    waits, and the environment steps at which update_sail and soft_update were called."""
    result, schedule = shared.scheduled_run(m, m.train_sail, "update_sail", total_steps, time_limit, falling,
                                            flush_episode=move_episode, get_episode_returns=discounted_returns)
    size = result.buffer.size
    contents = _buffer_contents(result.buffer)
    for key in ("states", "actions", "rewards", "next_states", "terminated", "returns"):
        contents[key] = contents[key][:size]
    contents["episode_returns"] = [float(r) for r in result.episode_returns]
    contents["waiting"] = len(result.episode_buffer) if result.episode_buffer is not None else -1
    return {**contents, **schedule}


def train_cartpole(m, seed, config, sample_at):
    """Train SAIL on CartPole-v1 with the notebook's defaults changed by the grader's config (see course.replayprobes)."""
    return shared.train_cartpole(m, m.train_sail, "update_sail", seed, config, sample_at)


def replay_update(m, sample, config):
    """One update_sail from a recorded call's inputs, outside train (see course.replayprobes)."""
    return shared.replay_update(m, "update_sail", sample, config)


def eval_dqn(m, weights, n_episodes, seed, max_episode_steps):
    """Greedy returns of a network (run by the grader on the reference's classes)."""
    return shared.eval_dqn(m, weights, n_episodes, seed, max_episode_steps)


def record_policy(m, weights, path, seed=3):
    """Render one greedy episode of a network (run by the grader on the reference's classes)."""
    return shared.record_policy(m, weights, path, seed)
