"""Scripted environments the hidden checks train on, where every step's outcome is known, and
grader-written stand-ins for the pieces a student's function calls.

Used by the probes of the DQN-style notebooks to see what a student's training loop stores:
``EndlessEnv`` only ever ends by a time limit (truncation), ``FallingEnv`` terminates itself.
While a check runs one function, ``stand_ins`` replaces the student's other functions that it calls
with the ones below: recording or do-nothing ones (choose_action, update, soft_update, eval_dqn) where
the check is about a loop's bookkeeping, grader-computed ones (a learning rate, a Q-learning update, returns,
advantages, the REINFORCE loss, a one-step lookahead, a greedy policy, an evaluation) where it needs them right. So a bug in ``update``
costs update's checks and not the loop's: one bug, one deduction.
"""
import contextlib

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


@contextlib.contextmanager
def stand_ins(module, **replacements):
    """Put REPLACEMENTS in place of MODULE's functions of those names while the block runs, then restore them."""
    missing = object()
    saved = {name: module.__dict__.get(name, missing) for name in replacements}
    module.__dict__.update(replacements)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is missing:
                module.__dict__.pop(name, None)
            else:
                module.__dict__[name] = value


def random_action(q_net, state, epsilon, n_actions, rng):
    """Stands in for choose_action: an action drawn uniformly from rng."""
    return int(rng.integers(n_actions))


def no_update(q_net, target_net, optimizer, batch, config):
    """Stands in for update / update_sail: no gradient step, a loss of 0."""
    return 0.0


def no_soft_update(target_net, q_net, tau):
    """Stands in for soft_update: the target network stays as it is."""


def no_returns(q_net, env, n_episodes=5, seed=None):
    """Stands in for eval_dqn: returns of 0, without running episodes."""
    return np.zeros(n_episodes)


def no_advantages(all_rewards, gamma):
    """Stands in for discount_and_normalize_rewards: an advantage of 0 for every step."""
    return [np.zeros(len(rewards), dtype=np.float32) for rewards in all_rewards]


def no_gradient_loss(logits, actions, advantages):
    """Stands in for reinforce_loss: a loss of 0 that still reaches the policy (its gradient is 0)."""
    return (logits * 0.0).sum()


class ScheduleRecorder:
    """Stand-ins for a DQN-style loop's update (or update_sail) and soft_update that record the environment step at
    which each call came; wrap the training environments with ``counted`` so that the steps are counted."""

    def __init__(self):
        self.steps, self.update_steps, self.target_steps = 0, [], []

    def counted(self, env):
        return _CountedSteps(env, self)

    def update(self, q_net, target_net, optimizer, batch, config):
        self.update_steps.append(self.steps)
        return 0.0

    def soft_update(self, target_net, q_net, tau):
        self.target_steps.append(self.steps)


class _CountedSteps(gym.Wrapper):
    def __init__(self, env, recorder):
        super().__init__(env)
        self.recorder = recorder

    def step(self, action):
        self.recorder.steps += 1
        return self.env.step(action)


def decayed_rate(t, alpha0, decay):
    """Stands in for learning_rate: alpha0 / (1 + t decay)."""
    return alpha0 / (1.0 + t * decay)


def q_learning_step(Q, s, a, r, s_next, terminated, alpha, gamma):
    """Stands in for update: Q[s, a] += alpha (r + gamma max_b Q[s_next, b] [not terminated] - Q[s, a]), in place."""
    target = r if terminated else r + gamma * np.max(Q[s_next])
    Q[s, a] += alpha * (target - Q[s, a])


def discounted_returns(rewards, gamma):
    """Stands in for get_episode_returns: the returns-to-go G_t = r_t + gamma G_{t+1}, (T,) float64."""
    returns = np.zeros(len(rewards))
    running = 0.0
    for t in reversed(range(len(rewards))):
        running = float(rewards[t]) + gamma * running
        returns[t] = running
    return returns


def move_episode(episode_buffer, replay_buffer, gamma):
    """Stands in for flush_episode: each transition of the episode buffer, in order, into the replay buffer
    with its discounted return; then the episode buffer is emptied."""
    returns = discounted_returns(episode_buffer.rewards, gamma)
    for i, episode_return in enumerate(returns):
        replay_buffer.push(episode_buffer.states[i], episode_buffer.actions[i], episode_buffer.rewards[i],
                           episode_buffer.next_states[i], episode_buffer.terminated[i], episode_return)
    episode_buffer.clear()


def normalized_returns(all_rewards, gamma):
    """Stands in for discount_and_normalize_rewards: each episode's returns-to-go, standardised over all of them."""
    returns = [discounted_returns(rewards, gamma) for rewards in all_rewards]
    flat = np.concatenate(returns)
    return [(episode - flat.mean()) / (flat.std() + 1e-8) for episode in returns]


def surrogate_loss(logits, actions, advantages):
    """Stands in for reinforce_loss: -mean_i log pi(a_i | s_i) A_i, the advantages taken as constants."""
    import torch

    log_pi = torch.log_softmax(logits, dim=1).gather(1, torch.as_tensor(actions, device=logits.device).long()[:, None])
    return -(log_pi[:, 0] * torch.as_tensor(advantages, dtype=logits.dtype, device=logits.device).detach()).mean()


def lookahead(P, V, gamma):
    """Stands in for q_from_v: Q[s, a] = sum over (p, s', r, terminated) in P[s][a] of p (r + gamma V[s'] [not
    terminated]), (n_states, n_actions) float64."""
    V = np.asarray(V, dtype=np.float64)
    if V.shape != (len(P),):
        raise ValueError(f"q_from_v takes V with one value per state, shape ({len(P)},); it was given shape {V.shape}")
    Q = np.zeros((len(P), len(P[0])))
    for s, actions in P.items():
        for a, outcomes in actions.items():
            Q[s, a] = sum(p * (r + (0.0 if done else gamma * V[s2])) for p, s2, r, done in outcomes)
    return Q


def greedy_in(P, V, gamma):
    """Stands in for greedy_policy: argmax_a of the one-step lookahead, (n_states,) int64."""
    return lookahead(P, V, gamma).argmax(axis=1).astype(np.int64)


def sweep_evaluation(P, policy, gamma, theta, max_sweeps=10_000):
    """Stands in for policy_evaluation: synchronous sweeps V(s) <- Q(s, policy[s]) from 0 until no value moves by
    theta, (n_states,) float64."""
    states, V = np.arange(len(P)), np.zeros(len(P))
    for _ in range(max_sweeps):
        V_new = lookahead(P, V, gamma)[states, np.asarray(policy)]
        done = np.max(np.abs(V_new - V)) < theta
        V = V_new
        if done:
            break
    return V


POLICY_GRADIENT_STAND_INS = dict(discount_and_normalize_rewards=no_advantages, reinforce_loss=no_gradient_loss)
LOOP_STAND_INS = dict(choose_action=random_action, update=no_update, update_sail=no_update,
                      soft_update=no_soft_update, eval_dqn=no_returns)
