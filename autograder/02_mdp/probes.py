"""Probes for 02_mdp: harnesses that feed a module's functions the grader's inputs.

Each probe takes the module under test (the student's submission in the sandbox,
or the reference in the grader) and plain data, and returns plain data. The
same probe runs on both sides, so the hidden checks compare like with like.
FrozenLake tables are rebuilt on each side from plain arguments (`lake`: the
keyword arguments of gym.make, e.g. {"map_name": "8x8", "is_slippery": False}).
"""
import gymnasium as gym
import numpy as np

from autograder.pieces import greedy_in, lookahead, sweep_evaluation  # answers the grader computes (course.worker.load_probes)
from course.standins import stand_ins

# Each function's check runs it with grader stand-ins for the others it may call, so that a bug in q_from_v costs
# q_from_v's check and not greedy_policy's; the end-to-end solve_lake uses the student's own pieces throughout.
PIECES = dict(q_from_v=lookahead, greedy_policy=greedy_in, policy_evaluation=sweep_evaluation)


def _others_stand_in(m, name):
    """Grader stand-ins in place of every piece but `name`, the function under test."""
    return stand_ins(m, **{piece: function for piece, function in PIECES.items() if piece != name})


def _lake(lake):
    env = gym.make("FrozenLake-v1", **lake)
    return env.unwrapped.P, int(env.observation_space.n), int(env.action_space.n)


def _pair(result, first, second):
    """A (x, y) result as {first: x, second: y}; anything else as {"returned": type name}."""
    if type(result) not in (tuple, list) or len(result) != 2:
        return {"returned": type(result).__name__}
    return {first: result[0], second: result[1]}


# ------------------------------------------------------------------ Markov chain
def simulate_chain(m, P, start, n_steps, rng_seed):
    return m.simulate_chain(P, start, n_steps, np.random.default_rng(rng_seed))


def chain_first_steps(m, P, start, n_runs, rng_seed):
    """n_runs one-step paths from `start` sharing one Generator; returns the second state of each (or -1)."""
    rng = np.random.default_rng(rng_seed)
    seconds = []
    for _ in range(n_runs):
        path = m.simulate_chain(P, start, 1, rng)
        try:
            seconds.append(int(path[1]))
        except Exception:
            seconds.append(-1)
    return seconds


# ------------------------------------------------------------------ the book's MDP
def q_value_iteration(m, T, R, possible_actions, gamma, n_iterations):
    return m.q_value_iteration(T, R, possible_actions, gamma, n_iterations)


# ------------------------------------------------------------------ FrozenLake
def q_from_v(m, lake, V, gamma):
    P, _, _ = _lake(lake)
    return m.q_from_v(P, V, gamma)


def value_iteration(m, lake, gamma, theta, max_sweeps=None):
    P, n_states, n_actions = _lake(lake)
    extra = {} if max_sweeps is None else {"max_sweeps": max_sweeps}
    with _others_stand_in(m, "value_iteration"):
        got = _pair(m.value_iteration(P, n_states, n_actions, gamma, theta, **extra), "V", "deltas")
    if "deltas" in got:
        try:
            got["deltas"] = np.array([float(d) for d in got["deltas"]], dtype=np.float64)
        except Exception:
            got["deltas"] = "not a list of numbers"
    return got


def greedy_policy(m, lake, V, gamma):
    P, _, _ = _lake(lake)
    with _others_stand_in(m, "greedy_policy"):
        return m.greedy_policy(P, V, gamma)


def policy_evaluation(m, lake, policy, gamma, theta):
    P, _, _ = _lake(lake)
    with _others_stand_in(m, "policy_evaluation"):
        return m.policy_evaluation(P, policy, gamma, theta)


def policy_iteration(m, lake, gamma, theta):
    P, n_states, n_actions = _lake(lake)
    with _others_stand_in(m, "policy_iteration"):
        return _pair(m.policy_iteration(P, n_states, n_actions, gamma, theta), "policy", "V")


def solve_lake(m, lake, gamma, theta):
    """End to end: value_iteration, then greedy_policy on its values."""
    P, n_states, n_actions = _lake(lake)
    got = _pair(m.value_iteration(P, n_states, n_actions, gamma, theta), "V", "deltas")
    if "V" not in got:
        return got
    got["policy"] = m.greedy_policy(P, got["V"], gamma)
    try:
        got["n_sweeps"] = len(got.pop("deltas"))
    except Exception:
        got["n_sweeps"] = -1
    return got


def evaluate_policy(m, lake, policy, n_episodes, seed):
    """Run by the grader on the reference: the returns of a policy over seeded episodes."""
    return m.evaluate_policy(gym.make("FrozenLake-v1", **lake), np.asarray(policy, dtype=np.int64), n_episodes, seed)


def record_policy(m, weights, path, seed=1):
    """Render one episode of a tabular policy on the default FrozenLake-v1 (slippery 4x4)."""
    from coursekit import record_video

    policy = [int(a) for a in weights["policy"]]
    return record_video(lambda state: policy[int(state)], "FrozenLake-v1", path, seed=seed, max_steps=100, fps=4)
