"""Grader-computed stand-ins for a student's other functions, where a check needs them right (one bug, one
deduction: a check of one function runs it with these in place of the student's others).

These compute answers to exercises, so they never live in the ``course`` package, which student code can read in
the sandbox: this file is sent to the worker with the probes and is importable as ``pieces`` only while the probes
load (``course.worker.load_probes``); probe modules import what they use at their top.
"""
import numpy as np


def decayed_rate(t, alpha0, decay):
    """Stands in for learning_rate: alpha0 / (1 + t decay)."""
    return alpha0 / (1.0 + t * decay)


def q_learning_step(Q, s, a, r, s_next, terminated, alpha, gamma):
    """Stands in for update: Q[s, a] += alpha (r + gamma max_b Q[s_next, b] [not terminated] - Q[s, a]), in place."""
    target = r if terminated else r + gamma * np.max(Q[s_next])
    Q[s, a] += alpha * (target - Q[s, a])


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


def discounted_returns(rewards, gamma):
    """Stands in for get_episode_returns: the returns-to-go G_t = r_t + gamma G_{t+1}, (T,) float64."""
    returns = np.zeros(len(rewards))
    running = 0.0
    for t in reversed(range(len(rewards))):
        running = float(rewards[t]) + gamma * running
        returns[t] = running
    return returns


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


def move_episode(episode_buffer, replay_buffer, gamma):
    """Stands in for flush_episode: each transition of the episode buffer, in order, into the replay buffer
    with its discounted return; then the episode buffer is emptied."""
    returns = discounted_returns(episode_buffer.rewards, gamma)
    for i, episode_return in enumerate(returns):
        replay_buffer.push(episode_buffer.states[i], episode_buffer.actions[i], episode_buffer.rewards[i],
                           episode_buffer.next_states[i], episode_buffer.terminated[i], episode_return)
    episode_buffer.clear()
