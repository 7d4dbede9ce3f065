"""Probes for 03_qlearning: harnesses that feed a module's functions the grader's inputs.

Each probe takes the module under test (the student's submission in the sandbox,
or the reference in the grader) and plain data, and returns plain data. The
same probe runs on both sides, so the hidden checks compare like with like.
The sandbox seeds every RNG before each call.
"""
import numpy as np

from autograder.pieces import decayed_rate, q_learning_step  # answers the grader computes (course.worker.load_probes)
from course.standins import stand_ins
from coursekit.scripted import OneStateEnv, StepLog


def _type_name(value) -> str:
    return type(value).__name__


# ------------------------------------------------------------------ learning_rate
def learning_rate(m, cases):
    """[(t, alpha0, decay)] -> {"values": [float or None], "types": [type names]}."""
    values, types = [], []
    for t, alpha0, decay in cases:
        value = m.learning_rate(t, alpha0, decay)
        types.append(_type_name(value))
        values.append(float(value) if isinstance(value, (int, float, np.floating, np.integer)) else None)
    return {"values": values, "types": sorted(set(types))}


# ------------------------------------------------------------------ choose_action
def choose_action_many(m, Q, epsilon, rng_seed):
    """One call per state of Q with a shared Generator; the actions, their types, and Q after the calls (the
    grader compares it with the Q it sent)."""
    rng = np.random.default_rng(rng_seed)
    actions = [m.choose_action(Q, state, epsilon, rng) for state in range(Q.shape[0])]
    return {"actions": [a if type(a) is int else -1 for a in actions],
            "types": sorted({_type_name(a) for a in actions}), "Q_after": Q}


def choose_action_repeat(m, Q, state, epsilon, n_calls, rng_seed):
    """n_calls actions for the same state from one Generator (for frequency tests); -1 for a non-int."""
    rng = np.random.default_rng(rng_seed)
    actions = [m.choose_action(Q, state, epsilon, rng) for _ in range(n_calls)]
    return [a if type(a) is int else -1 for a in actions]


# ------------------------------------------------------------------ update, sarsa_update
def update(m, Q, transitions, alpha, gamma):
    """Apply the transitions [(s, a, r, s_next, terminated)] in order; Q after, and what came back."""
    Q = Q.copy()
    before = Q.copy()
    returned = None
    for s, a, r, s_next, terminated in transitions:
        returned = m.update(Q, s, a, r, s_next, terminated, alpha, gamma)
    return {"Q": Q, "changed": not np.array_equal(before, Q), "returned_array": isinstance(returned, np.ndarray)}


def sarsa_update(m, Q, transitions, alpha, gamma):
    """Apply the transitions [(s, a, r, s_next, a_next, terminated)] in order; Q after, and what came back."""
    Q = Q.copy()
    before = Q.copy()
    returned = None
    for s, a, r, s_next, a_next, terminated in transitions:
        returned = m.sarsa_update(Q, s, a, r, s_next, a_next, terminated, alpha, gamma)
    return {"Q": Q, "changed": not np.array_equal(before, Q), "returned_array": isinstance(returned, np.ndarray)}


# ------------------------------------------------------------------ q_learning_mdp
def q_learning_mdp(m, n_iterations, alpha0, decay, gamma, rng_seed, keep=None):
    """Run the student's loop; the history's shape, where it is infinite, and its entries (-inf as 0).

    keep: only return these rows of the history (to keep the answer small). learning_rate and update are grader
    stand-ins, so that a bug in them costs their own checks and not the loop's."""
    with stand_ins(m, learning_rate=decayed_rate, update=q_learning_step):
        history = m.q_learning_mdp(n_iterations, alpha0, decay, gamma, np.random.default_rng(rng_seed))
    if not isinstance(history, np.ndarray) or history.dtype.kind != "f":
        return {"type": f"{_type_name(history)} {getattr(history, 'dtype', '')}".strip()}
    if history.shape != (n_iterations + 1, 3, 3):
        return {"type": "ndarray", "shape": list(history.shape)}
    rows = history if keep is None else history[keep]
    return {"type": "ndarray", "shape": list(history.shape), "neg_inf": np.isneginf(rows),
            "nan_or_pos_inf": bool(np.any(np.isnan(rows) | np.isposinf(rows))),
            "values": np.where(np.isinf(rows), 0.0, np.nan_to_num(rows)).astype(np.float64)}


def q_value_iteration(m, gamma, n_iterations):
    return m.q_value_iteration(gamma, n_iterations)


# ------------------------------------------------------------------ train
def _step_table(log: list) -> np.ndarray:
    """A StepLog's steps as rows (state, action, reward, next state, terminated, truncated), float64 (N, 6)."""
    return np.array([[float(value) for value in step] for step in log], dtype=np.float64).reshape(-1, 6)


def train_calls(m, env, method, n_episodes, time_limit=3):
    """Train on a scripted one-state environment (alpha 0.5, gamma 0.9, epsilon 1) with grader stand-ins for
    choose_action (it records state and epsilon, and draws a random action from rng), update and sarsa_update (they
    record their arguments and leave Q alone): what the loop alone did. Returns the steps the environment saw, the calls, the episode returns."""
    from dataclasses import replace

    config = replace(m.TabularConfig(), n_episodes=n_episodes, gamma=0.9, alpha0=0.5, lr_decay=0.0, epsilon=1.0,
                     eval_every=10**9)
    steps, calls = [], {"update": [], "sarsa_update": [], "choose_action": []}

    def make_env():
        return StepLog(OneStateEnv(time_limit) if env == "forever" else OneStateEnv(terminal=True), steps)

    def random_action(Q, state, epsilon, rng):
        calls["choose_action"].append([float(state), float(epsilon)])
        return int(rng.integers(np.shape(Q)[1]))

    def update(Q, s, a, r, s_next, terminated, alpha, gamma):
        calls["update"].append([float(s), float(a), float(r), float(s_next), float(bool(terminated)), -1.0,
                                float(alpha), float(gamma)])

    def sarsa_update(Q, s, a, r, s_next, a_next, terminated, alpha, gamma):
        calls["sarsa_update"].append([float(s), float(a), float(r), float(s_next), float(bool(terminated)), float(a_next),
                                      float(alpha), float(gamma)])

    with stand_ins(m, choose_action=random_action, update=update, sarsa_update=sarsa_update):
        result = m.train(make_env, config, seed=0, method=method)
    return {"steps": _step_table(steps),
            "calls": {name: np.array(rows, dtype=np.float64).reshape(-1, 2 if name == "choose_action" else 8)
                      for name, rows in calls.items()},
            "episode_returns": [float(r) for r in result.episode_returns]}


def train_cliff(m, seed, n_episodes, method="q_learning"):
    """Train on CliffWalking with the notebook's defaults and an episode budget; return the final Q-table, the curves, and the trail of the student's own update calls: per call, the transition and the
    values it read and wrote, and whether Q changed anywhere else (see the end-to-end check)."""
    from dataclasses import replace

    config = replace(m.TabularConfig(), n_episodes=n_episodes)
    steps, made, trail = [], [], {"calls": [], "changed_between": 0, "first": None, "last": None}
    student_update = m.update

    def make_env():  # the first environment trains, the second evaluates
        made.append(None)
        return StepLog(m.make_cliff(), steps) if len(made) == 1 else m.make_cliff()

    def update(Q, s, a, r, s_next, terminated, alpha, gamma):
        before = np.array(Q, dtype=np.float64)
        if trail["last"] is None:
            trail["first"] = before
        elif not np.array_equal(before, trail["last"]):
            trail["changed_between"] += 1
        student_update(Q, s, a, r, s_next, terminated, alpha, gamma)
        after = np.array(Q, dtype=np.float64)
        elsewhere = after != before
        elsewhere[s, a] = False
        trail["calls"].append([s, a, r, s_next, float(bool(terminated)), alpha, gamma, before[s, a],
                               before[s_next].max(), after[s, a], float(elsewhere.sum())])
        trail["last"] = after

    with stand_ins(m, update=update):
        result = m.train(make_env, config, seed=seed, method=method)
    Q = np.asarray(result.Q)
    return {"Q": Q, "episode_returns": [float(r) for r in result.episode_returns],
            "eval_steps": [int(s) for s in result.eval_steps], "eval_returns": [float(r) for r in result.eval_returns],
            "steps": _step_table(steps),
            "trail": {"calls": np.array(trail["calls"], dtype=np.float64).reshape(-1, 11),
                      "changed_between": trail["changed_between"],
                      "starts_at_zero": trail["first"] is not None and not trail["first"].any(),
                      "final_is_last": trail["last"] is not None and np.array_equal(np.asarray(Q, np.float64), trail["last"])}}


def greedy_return(m, Q, seed=0):
    """The greedy return of a Q-table on the cliff (run by the grader on the reference)."""
    return m.greedy_return(Q, m.make_cliff(), seed=seed, max_steps=100)


def record_policy(m, weights, path, seed=0):
    """Render one greedy episode of a Q-table (run by the grader on the reference's code)."""
    from coursekit import record_video

    Q = weights["Q"].numpy() if hasattr(weights["Q"], "numpy") else np.asarray(weights["Q"])
    return record_video(lambda observation: int(np.argmax(Q[observation])), m.CLIFF_ID, path, seed=seed, max_steps=100,
                        fps=4)
