"""Probes for 05_dqn: harnesses that feed a module's functions the grader's inputs.

Each probe takes the module under test (the student's submission in the sandbox,
or the reference in the grader) and plain data, and returns plain data. The
same probe runs on both sides, so the hidden checks compare like with like.
The sandbox seeds every RNG before each call.
"""
import gymnasium as gym
import numpy as np
import torch

from course.testenvs import LOOP_STAND_INS, EndlessEnv, FallingEnv, ScheduleRecorder, stand_ins
from course.trail import Trail, replay_step


def _net(m, weights, dueling=False):
    obs_dim = weights["layers.0.weight" if not dueling else "body.0.weight"].shape[1]
    n_actions = weights["layers.4.weight" if not dueling else "advantage_head.weight"].shape[0]
    hidden = weights["layers.0.weight" if not dueling else "body.0.weight"].shape[0]
    net = (m.DuelingQNet if dueling else m.QNet)(obs_dim, n_actions, hidden).to(m.device)
    net.load_state_dict(weights)
    return net


def _batch(m, batch):
    return m.Batch(*(batch[key].to(m.device) for key in ("states", "actions", "rewards", "next_states", "terminated")))


def _cpu_weights(net):
    return {key: value.detach().cpu().clone() for key, value in net.state_dict().items()}


def eval_dqn(m, weights, n_episodes, seed, max_episode_steps):
    env = gym.make("CartPole-v1", max_episode_steps=max_episode_steps)
    return m.eval_dqn(_net(m, weights), env, n_episodes, seed)


def choose_action_many(m, weights, states, epsilon, n_actions, rng_seed):
    """One call per state with a shared Generator; returns the actions and their type names."""
    net = _net(m, weights)
    rng = np.random.default_rng(rng_seed)
    actions = [m.choose_action(net, state, epsilon, n_actions, rng) for state in states.numpy()]
    return {"actions": [a if type(a) is int else -1 for a in actions],
            "types": sorted({type(a).__name__ for a in actions})}


def choose_action_repeat(m, weights, state, epsilon, n_actions, n_calls, rng_seed):
    """n_calls actions for the same state from one Generator (for frequency tests); -1 for an action that is not a
    Python int."""
    net = _net(m, weights)
    rng = np.random.default_rng(rng_seed)
    state = state.numpy()
    actions = [m.choose_action(net, state, epsilon, n_actions, rng) for _ in range(n_calls)]
    return [a if type(a) is int else -1 for a in actions]


def dqn_targets(m, weights, batch, gamma):
    b = _batch(m, batch)
    return m.dqn_targets(b.rewards, b.next_states, b.terminated, _net(m, weights), gamma)


def double_dqn_targets(m, online_weights, target_weights, batch, gamma):
    b = _batch(m, batch)
    return m.double_dqn_targets(b.rewards, b.next_states, b.terminated,
                                _net(m, online_weights), _net(m, target_weights), gamma)


def update(m, online_weights, target_weights, batch, config, n_steps, targets):
    """n_steps calls of update on the same batch with a fresh Adam; returns losses and weights after.

    dqn_targets and double_dqn_targets are grader stand-ins that return the given targets ({"dqn", "double"},
    computed by the grader), so that a bug in them costs their own checks and not update's; they record
    whether they got the networks and gamma that update should pass ("target_calls")."""
    from dataclasses import replace

    config = replace(m.DQNConfig(), **config)
    online, target = _net(m, online_weights, config.dueling), _net(m, target_weights, config.dueling)
    optimizer = torch.optim.Adam(online.parameters(), lr=config.learning_rate)
    calls = []

    def dqn_targets(rewards, next_states, terminated, target_net, gamma):
        calls.append({"kind": "dqn", "networks_right": target_net is target, "gamma": float(gamma)})
        return targets["dqn"].to(m.device).clone()

    def double_dqn_targets(rewards, next_states, terminated, q_net, target_net, gamma):
        calls.append({"kind": "double", "networks_right": q_net is online and target_net is target, "gamma": float(gamma)})
        return targets["double"].to(m.device).clone()

    with stand_ins(m, dqn_targets=dqn_targets, double_dqn_targets=double_dqn_targets):
        losses = [m.update(online, target, optimizer, _batch(m, batch), config) for _ in range(n_steps)]
    return {"losses": losses, "online": _cpu_weights(online), "target": _cpu_weights(target), "target_calls": calls}


def soft_update(m, online_weights, target_weights, tau):
    online, target = _net(m, online_weights), _net(m, target_weights)
    returned = m.soft_update(target, online, tau)
    return {"target": _cpu_weights(target), "online": _cpu_weights(online), "returned_none": returned is None}


def dueling_forward(m, weights, states):
    net = _net(m, weights, dueling=True)
    return net(states.to(m.device))


def train_storage(m, total_steps, time_limit, falling):
    """Train on a tiny scripted environment, with grader stand-ins for the other pieces; return what reached the
    replay buffer, and the environment steps at which update and soft_update were called."""
    from dataclasses import replace

    env_class = FallingEnv if falling else EndlessEnv
    config = replace(m.DQNConfig(), total_steps=total_steps, learning_starts=16, batch_size=8, train_every=2,
                     target_update_every=5, eval_every=10**9)
    schedule = ScheduleRecorder()
    pieces = dict(LOOP_STAND_INS, update=schedule.update, soft_update=schedule.soft_update)
    with stand_ins(m, **pieces):  # the loop's bookkeeping alone: the other pieces have checks of their own
        result = m.train(lambda: schedule.counted(gym.wrappers.TimeLimit(env_class(), max_episode_steps=time_limit)),
                         config, seed=0)
    buffer = result.buffer
    size = buffer.size
    return {"size": size, "states": buffer.states[:size].copy(), "next_states": buffer.next_states[:size].copy(),
            "rewards": buffer.rewards[:size].copy(), "terminated": buffer.terminated[:size].copy(),
            "episode_returns": [float(r) for r in result.episode_returns],
            "update_steps": schedule.update_steps, "target_steps": schedule.target_steps}


def train_cartpole(m, seed, total_steps, sample_at):
    """Train on CartPole-v1 with the notebook's defaults and a step budget; return the kept network and the trail
    of the student's own update calls (the calls numbered in sample_at keep their inputs, for a replay)."""
    from dataclasses import replace

    config = replace(m.DQNConfig(), total_steps=total_steps)
    trail = Trail()
    with stand_ins(m, update=trail.watch_update(m.update, sample_at)):
        result = m.train(lambda: gym.make("CartPole-v1"), config, seed=seed)
    return {"weights": _cpu_weights(result.q_net), "episode_returns": [float(r) for r in result.episode_returns],
            "eval_steps": [int(s) for s in result.eval_steps], "eval_returns": [float(r) for r in result.eval_returns],
            "steps": int(result.steps), "trail": trail.summary(result.q_net.parameters())}


def replay_update(m, sample, config):
    """One update from a recorded call's weights, gradients, optimizer state and batch (outside train,
    to compare with the call in train)."""
    from dataclasses import replace

    config = replace(m.DQNConfig(), **config)
    online, target = _net(m, sample["online"]), _net(m, sample["target"])
    replay_step(m.update, online, target, _batch(m, sample["batch"]), config, sample)
    return _cpu_weights(online)


def record_policy(m, weights, path, seed=3):
    """Render one greedy episode of a network (run by the grader on the reference's classes)."""
    from coursekit import record_video

    net = _net(m, weights)
    return record_video(lambda observation: int(m.get_q(net, observation[None])[0].argmax()), "CartPole-v1", path, seed=seed)
