"""Grader-written stand-ins for the pieces a student's loop calls, where a check is about the loop's bookkeeping.

While a check runs one function, ``stand_ins`` replaces the student's other functions that it calls: with the
simple or recording ones below (choose_action, eval_dqn, update, soft_update), or with the grader-computed ones of
``autograder/pieces.py`` where the check needs them right (those compute answers, so they stay out of this package,
which student code can read in the sandbox). So a bug in ``update`` costs update's checks and not the loop's: one
bug, one deduction. The scripted environments the loops train on are the student kit's (``coursekit.scripted``),
the same ones the notebooks' visible checks use.
"""
import contextlib

import numpy as np

from coursekit.scripted import StepLog


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
        self.log, self.update_steps, self.target_steps = [], [], []

    def counted(self, env):
        return StepLog(env, self.log)

    def update(self, q_net, target_net, optimizer, batch, config):
        self.update_steps.append(len(self.log))
        return 0.0

    def soft_update(self, target_net, q_net, tau):
        self.target_steps.append(len(self.log))


POLICY_GRADIENT_STAND_INS = dict(discount_and_normalize_rewards=no_advantages, reinforce_loss=no_gradient_loss)
LOOP_STAND_INS = dict(choose_action=random_action, eval_dqn=no_returns)  # with a ScheduleRecorder's update, soft_update
