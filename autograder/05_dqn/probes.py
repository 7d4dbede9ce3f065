"""Probes for 05_dqn: harnesses that feed a module's functions the grader's inputs.

Each probe takes the module under test (the student's submission in the sandbox,
or the reference in the grader) and plain data, and returns plain data. The
same probe runs on both sides, so the hidden checks compare like with like.
The sandbox seeds every RNG before each call.
"""
import numpy as np

from course import replayprobes as shared
from course.replayprobes import cpu_weights, network, to_batch


def eval_dqn(m, weights, n_episodes, seed, max_episode_steps):
    return shared.eval_dqn(m, weights, n_episodes, seed, max_episode_steps)


def choose_action_many(m, weights, states, epsilon, n_actions, rng_seed):
    """One call per state with a shared Generator; returns the actions and their type names."""
    net = network(m, weights)
    rng = np.random.default_rng(rng_seed)
    actions = [m.choose_action(net, state, epsilon, n_actions, rng) for state in states.numpy()]
    return {"actions": [a if type(a) is int else -1 for a in actions],
            "types": sorted({type(a).__name__ for a in actions})}


def choose_action_repeat(m, weights, state, epsilon, n_actions, n_calls, rng_seed):
    """n_calls actions for the same state from one Generator (for frequency tests); -1 for an action that is not a
    Python int."""
    net = network(m, weights)
    rng = np.random.default_rng(rng_seed)
    state = state.numpy()
    actions = [m.choose_action(net, state, epsilon, n_actions, rng) for _ in range(n_calls)]
    return [a if type(a) is int else -1 for a in actions]


def dqn_targets(m, weights, batch, gamma):
    b = to_batch(m, batch)
    return m.dqn_targets(b.rewards, b.next_states, b.terminated, network(m, weights), gamma)


def double_dqn_targets(m, online_weights, target_weights, batch, gamma):
    b = to_batch(m, batch)
    return m.double_dqn_targets(b.rewards, b.next_states, b.terminated,
                                network(m, online_weights), network(m, target_weights), gamma)


def update(m, online_weights, target_weights, batch, config, n_steps, targets):
    """n_steps calls of update on the same batch with a fresh Adam; returns losses and weights after.

    dqn_targets and double_dqn_targets are grader stand-ins that return the given targets ({"dqn", "double"},
    computed by the grader), so that a bug in them costs their own checks and not update's; they record
    whether they got the networks and gamma that update should pass ("target_calls")."""
    calls = []

    def target_stand_ins(online, target):
        def dqn_targets(rewards, next_states, terminated, target_net, gamma):
            calls.append({"kind": "dqn", "networks_right": target_net is target, "gamma": float(gamma)})
            return targets["dqn"].to(m.device).clone()

        def double_dqn_targets(rewards, next_states, terminated, q_net, target_net, gamma):
            calls.append({"kind": "double", "networks_right": q_net is online and target_net is target,
                          "gamma": float(gamma)})
            return targets["double"].to(m.device).clone()

        return {"dqn_targets": dqn_targets, "double_dqn_targets": double_dqn_targets}

    result = shared.repeated_updates(m, "update", online_weights, target_weights, batch, config, n_steps,
                                     target_stand_ins)
    return {**result, "target_calls": calls}


def soft_update(m, online_weights, target_weights, tau):
    online, target = network(m, online_weights), network(m, target_weights)
    returned = m.soft_update(target, online, tau)
    return {"target": cpu_weights(target), "online": cpu_weights(online), "returned_none": returned is None}


def dueling_forward(m, weights, states):
    net = network(m, weights, dueling=True)
    return net(states.to(m.device))


def train_storage(m, total_steps, time_limit, falling):
    """Train on a tiny scripted environment, with grader stand-ins for the other pieces; return what reached the
    replay buffer, and the environment steps at which update and soft_update were called."""
    result, schedule = shared.scheduled_run(m, m.train, "update", total_steps, time_limit, falling)
    buffer = result.buffer
    size = buffer.size
    return {"size": size, "states": buffer.states[:size].copy(), "next_states": buffer.next_states[:size].copy(),
            "rewards": buffer.rewards[:size].copy(), "terminated": buffer.terminated[:size].copy(),
            "episode_returns": [float(r) for r in result.episode_returns], **schedule}


def train_cartpole(m, seed, config, sample_at):
    """Train on CartPole-v1 with the notebook's defaults changed by the grader's config (see course.replayprobes)."""
    return shared.train_cartpole(m, m.train, "update", seed, config, sample_at)


def replay_update(m, sample, config):
    """One update from a recorded call's inputs, outside train (see course.replayprobes)."""
    return shared.replay_update(m, "update", sample, config)


def record_policy(m, weights, path, seed=3):
    """Render one greedy episode of a network (run by the grader on the reference's classes)."""
    return shared.record_policy(m, weights, path, seed)
