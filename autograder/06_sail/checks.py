"""Hidden checks of 06_sail (SAIL-DQN bonus). Not part of the student release.

Every check feeds the student's function and the reference the same inputs
(same weights, batch, episodes and seeds) through the probes in probes.py,
validates what came back (exact type, shape, dtype, finite) and compares.

Run by `course grade`; by hand: pytest autograder/06_sail/checks.py -p course.checking --submission NB
"""

from dataclasses import replace

import numpy as np
import pytest

from course.checking import CheckFailed, expect_array, expect_close, probes_beside
from course.replaychecks import (expect_falling_episodes_stored, expect_float_losses, expect_learning_schedule,
                                 expect_same_steps, expect_solves_cartpole, random_batch, random_weights)

probes = probes_beside(__file__)  # the probes of this assignment, called on both sides

points = pytest.mark.points
exercise = pytest.mark.exercise

BUFFER_KEYS = ("states", "actions", "rewards", "next_states", "terminated", "returns")


# ------------------------------------------------------------------ get_episode_returns
RETURN_CASES = ((1, 0.9, True), (7, 0.5, False), (60, 0.99, False), (30, 1.0, True), (12, 0.0, False))


def _returns(student, reference, length, gamma, as_list, seed):
    rewards = np.random.default_rng(seed).normal(size=length).round(3).tolist()
    kwargs = dict(rewards=rewards, gamma=gamma, as_list=as_list)
    got = student.call(probes.get_episode_returns, **kwargs)
    if type(got) is not dict:
        raise CheckFailed(f"get_episode_returns could not be run (got {got!r})")
    array = expect_array(got["returns"], "get_episode_returns' result", (length,), kind="ndarray",
                         dtypes=("float64", "float32"))
    expected = reference.call(probes.get_episode_returns, **kwargs)["returns"]
    return got, array, expected, rewards


@points(3)
@exercise("get_episode_returns")
def test_get_episode_returns_match_reference(student, reference):
    """get_episode_returns matches the reference for episodes of 1 to 60 steps, gamma from 0 to 1, lists and arrays."""
    for seed, (length, gamma, as_list) in enumerate(RETURN_CASES):
        _, array, expected, _ = _returns(student, reference, length, gamma, as_list, seed)
        what = f"the returns of a {length}-step episode (gamma = {gamma}, rewards as a {'list' if as_list else 'numpy array'})"
        expect_close(array, expected, what, atol=1e-5)


@points(1)
@exercise("get_episode_returns")
def test_get_episode_returns_leaves_rewards_alone(student, reference):
    """get_episode_returns does not modify the rewards it is given (they are the episode buffer's)."""
    for seed, (length, gamma, as_list) in enumerate(RETURN_CASES[1:4]):
        got, _, _, rewards = _returns(student, reference, length, gamma, as_list, seed)
        after, sent = got["rewards_after"], np.asarray(rewards, dtype=np.float64 if as_list else np.float32)
        if as_list:
            same = type(after) is list and all(type(value) is float for value in after) and after == rewards
        else:
            same = type(after) is np.ndarray and after.dtype == sent.dtype and np.array_equal(after, sent)
        if not same:
            raise CheckFailed("get_episode_returns changed the rewards passed to it (e.g. reversed or overwrote them "
                              "in place): work on a copy")


# ------------------------------------------------------------------ flush_episode
def _flush(student, reference, **kwargs):
    got = student.call(probes.flush_episode, **kwargs)
    if type(got) is not dict:
        raise CheckFailed(f"flush_episode could not be run (got {got!r})")
    return got, reference.call(probes.flush_episode, **kwargs)


def _compare_buffers(got, expected, capacity, what):
    for key in ("size", "position"):
        if got[key] != expected[key]:
            raise CheckFailed(f"{what}: the replay buffer holds {got['size']} transitions (next slot {got['position']}), "
                              f"expected {expected['size']} (next slot {expected['position']}); push each transition "
                              f"exactly once with ReplayBuffer.push")
    for key in BUFFER_KEYS:
        shape = (capacity, 3) if key in ("states", "next_states") else (capacity,)
        array = expect_array(got[key], f"the replay buffer's {key}", shape, kind="ndarray",
                             dtypes=(str(expected[key].dtype),))
        expect_close(array, expected[key].astype(np.float64), f"{what}: the stored {key}", atol=1e-5)


@points(3)
@exercise("flush_episode")
def test_flush_episode_moves_transitions_with_returns(student, reference):
    """flush_episode pushes three episodes (the last one truncated) in order, each transition with its return."""
    got, expected = _flush(student, reference, lengths=[5, 9, 4], capacity=64, gamma=0.9, seed=20)
    _compare_buffers(got["buffer"], expected["buffer"], 64, "after three episodes")


@points(1)
@exercise("flush_episode")
def test_flush_episode_empties_and_wraps(student, reference):
    """flush_episode empties the episode buffer each time, and fills the circular replay buffer past its capacity."""
    got, expected = _flush(student, reference, lengths=[7, 6, 8], capacity=10, gamma=0.99, seed=21)
    if got["episode_lengths_after"] != [0, 0, 0]:
        raise CheckFailed(f"after each flush the episode buffer should be empty, it held "
                          f"{got['episode_lengths_after']} transitions: call episode_buffer.clear()")
    _compare_buffers(got["buffer"], expected["buffer"], 10, "after 21 transitions in a buffer of 10")


# ------------------------------------------------------------------ sail_targets
def _targets(student, reference, batch, **kwargs):
    got = student.call(probes.sail_targets, batch=batch, **kwargs)
    array = expect_array(got, "sail_targets' result", (len(batch["rewards"]),))
    if got.requires_grad:
        raise CheckFailed("the targets carry gradients: compute them under torch.no_grad() (or .detach())")
    return array, reference.call(probes.sail_targets, batch=batch, **kwargs).numpy().astype(np.float64)


@points(3)
@exercise("sail_targets")
def test_sail_targets_match_reference(student, reference):
    """sail_targets matches the reference on mixed batches, for two settings of gamma, alpha and c."""
    for seed, gamma, alpha, bonus_clip in ((30, 0.99, 0.9, 1.0), (31, 0.9, 0.5, 0.3)):
        got, expected = _targets(student, reference, random_batch(seed, return_scale=0.5), weights=random_weights(reference, seed),
                                 gamma=gamma, alpha=alpha, bonus_clip=bonus_clip)
        expect_close(got, expected, f"the targets (gamma = {gamma}, alpha = {alpha}, c = {bonus_clip})")


@points(1)
@exercise("sail_targets")
def test_sail_targets_terminal_and_alpha_zero(student, reference):
    """sail_targets keeps the bonus of terminal transitions (only the bootstrap is masked), and alpha = 0 gives DQN targets."""
    got, expected = _targets(student, reference, random_batch(32, terminal_share=1.1, return_scale=0.5),
                             weights=random_weights(reference, 32), gamma=0.99, alpha=0.9, bonus_clip=1.0)
    expect_close(got, expected, "the targets of terminal transitions (reward plus bonus, no bootstrap)")
    got, expected = _targets(student, reference, random_batch(33, return_scale=3.0), weights=random_weights(reference, 33),
                             gamma=0.99, alpha=0.0, bonus_clip=1.0)
    expect_close(got, expected, "the targets with alpha = 0")


# ------------------------------------------------------------------ update_sail
def _update(student, reference, n_steps=1, **config):
    """update_sail's results for the student and the reference. Both run with a grader stand-in for sail_targets
    that returns the reference's targets for this batch: a bug in sail_targets costs its own checks only."""
    target, batch = random_weights(reference, 41, hidden=128), random_batch(42, size=128, reward_scale=3.0, return_scale=3.0)
    full = replace(reference.module.DQNConfig(), **config)
    parameters = [full.gamma, full.alpha, full.bonus_clip]
    targets = reference.call(probes.sail_targets, weights=target, batch=batch, gamma=full.gamma, alpha=full.alpha,
                             bonus_clip=full.bonus_clip)
    kwargs = dict(online_weights=random_weights(reference, 40, hidden=128), target_weights=target, batch=batch, config=config,
                  n_steps=n_steps, targets=targets)
    got = student.call(probes.update_sail, **kwargs)
    expect_float_losses(got, "update_sail")
    for call in got["target_calls"]:
        if not call["networks_right"]:
            raise CheckFailed("update_sail must pass the target network to sail_targets")
        if call["parameters"] != parameters:
            raise CheckFailed("update_sail must build its targets with config.gamma, config.alpha and config.bonus_clip")
    return got, reference.call(probes.update_sail, **kwargs)


@points(2)
@exercise("update_sail")
def test_update_sail_loss(student, reference):
    """update_sail returns the Huber loss against the SAIL targets, before the step."""
    got, expected = _update(student, reference)
    expect_close(np.array(got["losses"]), np.array(expected["losses"]), "the loss", atol=1e-5)


@points(3)
@exercise("update_sail")
def test_update_sail_step(student, reference):
    """update_sail takes the reference's gradient steps (3 steps; config's alpha, c and gradient clipping used)."""
    got, expected = _update(student, reference, n_steps=3, alpha=0.5, bonus_clip=2.0, grad_clip=0.1)
    expect_close(np.array(got["losses"][:1]), np.array(expected["losses"][:1]),
                 "the loss with alpha = 0.5 and c = 2", atol=1e-5)
    expect_same_steps(got, expected, random_weights(reference, 41, hidden=128), "update_sail", n_steps=3)


# ------------------------------------------------------------------ train_sail
def _storage(student, reference, **kwargs):
    got = student.call(probes.train_storage, cpu_seconds=100, **kwargs)
    if type(got) is not dict:
        raise CheckFailed(f"train_sail could not be run (got {got!r})")
    return got, reference.call(probes.train_storage, **kwargs)


@points(2)
@exercise("train_sail")
def test_train_sail_flushes_truncated_episodes(student, reference):
    """train_sail moves every finished episode, truncated ones included, to the replay buffer with its returns,
    stores truncation as non-terminal, keeps the real next state, and leaves the unfinished episode waiting."""
    got, expected = _storage(student, reference, total_steps=42, time_limit=5, falling=False)
    if got["size"] != 40 or got["waiting"] != 2:
        raise CheckFailed(f"after 42 steps of 5-step episodes, 40 transitions belong in the replay buffer and 2 in the "
                          f"episode buffer; found {got['size']} and {got['waiting']}. Push each step into the episode "
                          f"buffer and flush it when the episode ends, truncated or terminated")
    terminated = expect_array(got["terminated"], "the stored terminated flags", (40,), kind="ndarray")
    if terminated.any():
        raise CheckFailed("a time-limit truncation was stored as terminal: store `terminated`, not `terminated or truncated`")
    states = expect_array(got["states"], "the stored states", (40, 4), kind="ndarray")
    next_states = expect_array(got["next_states"], "the stored next states", (40, 4), kind="ndarray")
    if not np.array_equal(next_states[:, 0], states[:, 0] + 1):
        raise CheckFailed("a stored next_state is not the observation env.step returned (after the last step of "
                          "an episode, store s' before resetting)")
    returns = expect_array(got["returns"], "the stored returns", (40,), kind="ndarray")
    expect_close(returns, expected["returns"].astype(np.float64), "the stored returns (discounted with config.gamma)")


@points(1)
@exercise("train_sail")
def test_train_sail_terminations_and_episode_returns(student, reference):
    """train_sail marks real terminations as terminal, records each episode's undiscounted return, and calls
    update_sail and soft_update on their schedule."""
    got, expected = _storage(student, reference, total_steps=40, time_limit=100, falling=True)
    if got["size"] != 40:
        raise CheckFailed(f"after 40 steps of 4-step episodes the replay buffer should hold 40 transitions, it holds {got['size']}")
    expect_falling_episodes_stored(got)
    returns = expect_array(got["returns"], "the stored returns", (40,), kind="ndarray")
    expect_close(returns, expected["returns"].astype(np.float64), "the stored returns")
    expect_learning_schedule(got, expected, "update_sail")


# The notebook's schedule: unlike DQN's check, SAIL's keeps one update per step at 1e-3 (see the docstring below).
E2E_CONFIG = {"total_steps": 15_000}
E2E_SEEDS = (0, 1)
E2E_THRESHOLD = 475.0
E2E_RETRY_FROM = 100.0  # a second seed only for an agent that reached this greedy mean on the first
TRAIL_SAMPLES = (0, 300)  # update_sail calls whose inputs the grader replays outside train


@points(5)
@exercise("train_sail")
@pytest.mark.end_to_end
def test_train_sail_solves_cartpole(student, reference, artifacts):
    """End to end: the student's SAIL agent solves CartPole-v1, a greedy mean return of at least 475 over 20 episodes
    (evaluated by the grader) within 15,000 environment steps, on the first seed or, failing that, the second,
    which is tried only if the first agent reached a greedy mean of 100 (an agent below that learned nothing).

    Measured on the reference (benchmarks/bench_end_to_end.py, seeds 0-49, same budget and evaluation): 46 of 50
    seeds pass, in a median of 6,000 steps and 10.6 CPU-s of training; the 4 failures plateau near 195-225. So a
    correct solution fails one seed with probability about 8% and both with about 0.6% (8% squared, if seeds fail
    independently); a seed that never reaches 500 runs the full 15,000 steps. The cheaper schedule of 05's check
    loses too many seeds here (same seeds): one update every 2 steps passed 30 of 50 seeds at step size 1e-3 and
    41 of 50 at 2e-3.
    """
    expect_solves_cartpole(student, reference, artifacts, probes.train_cartpole, "update_sail", config=E2E_CONFIG,
                           seeds=E2E_SEEDS, threshold=E2E_THRESHOLD, retry_from=E2E_RETRY_FROM, trail_samples=TRAIL_SAMPLES)
