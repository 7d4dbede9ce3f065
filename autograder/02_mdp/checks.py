"""Hidden checks of 02_mdp (Markov chains, MDPs, dynamic programming on FrozenLake). Not part of the student release.

Every check feeds the student's function and the reference the same inputs through
the probes in probes.py (the FrozenLake tables are the environment's own
env.unwrapped.P, rebuilt on each side), validates what came back (exact type,
shape, dtype, finite) and compares. The one stochastic function, simulate_chain,
is checked through properties and seeded statistical tests whose false-failure
rate for a correct implementation is stated in the docstring.

Run by `course grade`; by hand: pytest autograder/02_mdp/checks.py -p course.checking --submission NB
"""

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.envs.toy_text.frozen_lake import generate_random_map
from scipy.special import chdtrc

from course.checking import CheckFailed, describe, expect_array, expect_close, probes_beside, save_agent

probes = probes_beside(__file__)  # the probes of this assignment, called on both sides

points = pytest.mark.points
exercise = pytest.mark.exercise

INTEGER_DTYPES = ("int64", "int32", "int16", "int8", "uint8")

BOOK_CHAIN = np.array([[0.7, 0.2, 0.0, 0.1], [0.0, 0.0, 0.9, 0.1], [0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 1.0]])
# An ergodic chain with forbidden transitions, for the frequency tests.
MIXING_CHAIN = np.array([[0.1, 0.6, 0.0, 0.3, 0.0],
                         [0.0, 0.2, 0.5, 0.0, 0.3],
                         [0.4, 0.0, 0.0, 0.6, 0.0],
                         [0.25, 0.25, 0.25, 0.0, 0.25],
                         [0.0, 0.0, 0.9, 0.1, 0.0]])

BOOK_T = [[[0.7, 0.3, 0.0], [1.0, 0.0, 0.0], [0.8, 0.2, 0.0]],
          [[0.0, 1.0, 0.0], None, [0.0, 0.0, 1.0]],
          [None, [0.8, 0.1, 0.1], None]]
BOOK_R = [[[10, 0, 0], [0, 0, 0], [0, 0, 0]], [[0, 0, 0], [0, 0, 0], [0, 0, -50]], [[0, 0, 0], [40, 0, 0], [0, 0, 0]]]
BOOK_ACTIONS = [[0, 1, 2], [0, 2], [1]]

SLIPPERY_4 = {"map_name": "4x4"}
SLIPPERY_8 = {"map_name": "8x8"}
STILL_4 = {"map_name": "4x4", "is_slippery": False}
STILL_8 = {"map_name": "8x8", "is_slippery": False}
RANDOM_5 = {"desc": generate_random_map(size=5, p=0.75, seed=7)}
RANDOM_6 = {"desc": generate_random_map(size=6, p=0.8, seed=11)}
# (lake, gamma) pairs for the dynamic-programming checks: kept small so that grading stays fast.
LAKES = [(SLIPPERY_4, 0.95), (SLIPPERY_8, 0.9), (STILL_4, 0.9), (RANDOM_5, 0.9)]


def chisquare_pvalue(observed, expected):
    """Pearson's chi-square goodness-of-fit p-value (scipy.stats.chisquare without importing scipy.stats)."""
    statistic = float(np.sum((observed - expected) ** 2 / expected))
    return float(chdtrc(len(observed) - 1, statistic))


def lake_name(lake):
    if "desc" in lake:
        return f"a random {len(lake['desc'])}x{len(lake['desc'])} lake"
    return f"the {lake['map_name']} {'non-slippery' if lake.get('is_slippery') is False else 'slippery'} lake"


def lake_sizes(lake):
    env = gym.make("FrozenLake-v1", **lake)
    return int(env.observation_space.n), int(env.action_space.n)


_cache: dict = {}


def cached(side, probe, **kwargs):
    """The same probe call on the same side is made once per grading run (several checks share it)."""
    key = (id(side), probe, repr(sorted((k, repr(v)) for k, v in kwargs.items())))
    if key not in _cache:
        _cache[key] = side.call(probe, **kwargs)
    return _cache[key]


def expect_states(value, what, shape, n_states):
    """An integer numpy array of states or actions, each in [0, n_states)."""
    array = expect_array(value, what, shape, kind="ndarray", dtypes=INTEGER_DTYPES).astype(np.int64)
    if np.any((array < 0) | (array >= n_states)):
        raise CheckFailed(f"{what} holds values outside 0..{n_states - 1}")
    return array


def expect_pair(got, first, second, function):
    if type(got) is not dict or first not in got or second not in got:
        returned = got.get("returned") if type(got) is dict else describe(got)
        raise CheckFailed(f"{function} must return a pair ({first}, {second}), got {returned}")
    return got[first], got[second]


# ------------------------------------------------------------------ simulate_chain
def _chain(student, P, start, n_steps, rng_seed, call_seed=0):
    got = student.call(probes.simulate_chain, P=P, start=start, n_steps=n_steps, rng_seed=rng_seed, call_seed=call_seed)
    path = expect_states(got, "simulate_chain's result", (n_steps + 1,), len(P))
    if path[0] != start:
        raise CheckFailed("the path must begin with the start state")
    impossible = P[path[:-1], path[1:]] == 0
    if impossible.any():
        raise CheckFailed(f"the path takes {int(impossible.sum())} transitions of probability 0: draw the next state "
                          "from the row P[current state] (rows are 'from', columns are 'to')")
    return path


@points(2)
@exercise("simulate_chain")
def test_simulate_chain_properties(student):
    """simulate_chain returns n_steps + 1 integer states, starts at start, takes only possible transitions."""
    for start, n_steps, seed in ((0, 300, 1), (1, 50, 2), (2, 1, 3), (0, 0, 4)):
        _chain(student, BOOK_CHAIN, start, n_steps, seed)
    if not np.all(_chain(student, BOOK_CHAIN, 3, 30, 5) == 3):
        raise CheckFailed("state 3 is absorbing: a path started there must stay there")
    _chain(student, MIXING_CHAIN, 4, 500, 6)


@points(2)
@exercise("simulate_chain")
def test_simulate_chain_frequencies(student):
    """simulate_chain's transition frequencies follow P: chi-square tests per row of a 5-state chain (20,000 steps)
    and on the first step of 3,000 runs from s0 of the book's chain, Bonferroni-corrected so that a correct
    implementation fails with probability at most 0.1% (fixed seeds: the same submission always gets the same result)."""
    tests = []
    path = _chain(student, MIXING_CHAIN, 0, 20_000, rng_seed=2024)
    counts = np.zeros_like(MIXING_CHAIN)
    np.add.at(counts, (path[:-1], path[1:]), 1)
    for row, probabilities in enumerate(MIXING_CHAIN):
        allowed = probabilities > 0
        observed = counts[row, allowed]
        tests.append((f"from state {row} of a 5-state chain", observed, probabilities[allowed] * observed.sum()))
    seconds = student.call(probes.chain_first_steps, P=BOOK_CHAIN, start=0, n_runs=3_000, rng_seed=77)
    if type(seconds) is not list or len(seconds) != 3_000 or any(s not in (0, 1, 3) for s in seconds):
        raise CheckFailed("a one-step path from s0 of the book's chain must end in s0, s1 or s3")
    observed = np.bincount(seconds, minlength=4)[[0, 1, 3]]
    tests.append(("on the first step from s0 of the book's chain", observed, np.array([0.7, 0.2, 0.1]) * 3_000))
    alpha = 1e-3 / len(tests)
    for where, observed, expected in tests:
        if chisquare_pvalue(observed, expected) < alpha:
            share = (observed / observed.sum()).round(3).tolist()
            raise CheckFailed(f"the transition frequencies {where} do not follow P (observed shares {share}): "
                              "draw each next state with the probabilities of the row P[current state]")


@points(1)
@exercise("simulate_chain")
def test_simulate_chain_uses_rng(student):
    """simulate_chain draws its randomness from `rng`: same seed, same path; other seed, other path."""
    runs = [_chain(student, MIXING_CHAIN, 0, 200, rng_seed=seed, call_seed=call_seed)
            for seed, call_seed in ((5, 0), (5, 1), (6, 0))]
    if not np.array_equal(runs[0], runs[1]):
        raise CheckFailed("the same `rng` seed gave different paths: take every random number from `rng`, "
                          "not from `random` or `np.random`")
    if np.array_equal(runs[0], runs[2]):
        raise CheckFailed("different `rng` seeds gave identical paths: is the next state drawn with `rng`?")


# ------------------------------------------------------------------ q_value_iteration
def random_mdp(seed, n_states, n_actions):
    """A random MDP in the book's format: nested lists, None for impossible actions."""
    rng = np.random.default_rng(seed)
    possible = [sorted(rng.choice(n_actions, size=rng.integers(1, n_actions + 1), replace=False).tolist())
                for _ in range(n_states)]
    T, R = [], []
    for s in range(n_states):
        row_t, row_r = [], []
        for a in range(n_actions):
            if a in possible[s]:
                p = rng.dirichlet(np.ones(n_states)) * (rng.random(n_states) < 0.7)
                p[rng.integers(n_states)] += 0.1
                row_t.append((p / p.sum()).tolist())
            else:
                row_t.append(None)
            row_r.append(rng.integers(-20, 21, n_states).tolist())
        T.append(row_t)
        R.append(row_r)
    return T, R, possible


def _q_table(student, reference, what, T, R, possible_actions, gamma, n_iterations):
    kwargs = dict(T=T, R=R, possible_actions=possible_actions, gamma=gamma, n_iterations=n_iterations)
    got = student.call(probes.q_value_iteration, **kwargs)
    shape = (len(T), len(T[0]))
    if type(got) is not np.ndarray:
        raise CheckFailed(f"q_value_iteration must return a numpy array, got {describe(got)}")
    if got.shape != shape or got.dtype != np.float64:
        raise CheckFailed(f"q_value_iteration must return a float64 array of shape {shape}, got {got.dtype} {got.shape}")
    possible = np.zeros(shape, dtype=bool)
    for s, actions in enumerate(possible_actions):
        possible[s, actions] = True
    if not np.all(np.isneginf(got[~possible])):
        raise CheckFailed("impossible actions must have Q = -inf (so that max over actions ignores them)")
    if not np.all(np.isfinite(got[possible])):
        raise CheckFailed("the Q-values of possible actions contain NaN or infinite values")
    expected = reference.call(probes.q_value_iteration, **kwargs)
    expect_close(got[possible], expected[possible], what, atol=1e-8, rtol=1e-8)


@points(2)
@exercise("q_value_iteration")
def test_q_value_iteration_book(student, reference):
    """q_value_iteration matches the reference on the book's MDP after 50 iterations, gamma = 0.90 and 0.95."""
    for gamma in (0.90, 0.95):
        _q_table(student, reference, f"Q after 50 iterations (the book's MDP, gamma = {gamma})",
                 BOOK_T, BOOK_R, BOOK_ACTIONS, gamma, 50)


@points(1)
@exercise("q_value_iteration")
def test_q_value_iteration_first_sweeps(student, reference):
    """q_value_iteration starts from Q = 0 and runs exactly n_iterations synchronous sweeps (0 to 3 checked)."""
    for n_iterations in (0, 1, 2, 3):
        _q_table(student, reference, f"Q after {n_iterations} iteration(s) of the book's MDP (each sweep must use "
                 "the previous sweep's Q for every update)", BOOK_T, BOOK_R, BOOK_ACTIONS, 0.9, n_iterations)


@points(2)
@exercise("q_value_iteration")
def test_q_value_iteration_other_mdps(student, reference):
    """q_value_iteration works on other MDPs in the same format (4 states x 2 actions, 5 states x 4 actions)."""
    for seed, n_states, n_actions, gamma in ((1, 4, 2, 0.8), (2, 5, 4, 0.95)):
        T, R, possible = random_mdp(seed, n_states, n_actions)
        _q_table(student, reference, f"Q on a random MDP with {n_states} states and {n_actions} actions",
                 T, R, possible, gamma, 30)


# ------------------------------------------------------------------ q_from_v
def q_without_terminal_mask(lake, V, gamma):
    """The common mistake: bootstrapping from V(s') after terminal transitions too (used only for a hint)."""
    P = gym.make("FrozenLake-v1", **lake).unwrapped.P
    return np.array([[sum(p * (r + gamma * V[s2]) for p, s2, r, _ in P[s][a]) for a in range(len(P[s]))]
                     for s in range(len(P))])


@points(3)
@exercise("q_from_v")
def test_q_from_v(student, reference):
    """q_from_v matches the reference on four lakes (4x4 and 8x8 slippery, non-slippery, random map) and random V."""
    for index, (lake, gamma) in enumerate([(SLIPPERY_4, 0.9), (STILL_4, 0.5), (SLIPPERY_8, 0.95), (RANDOM_5, 0.9)]):
        n_states, n_actions = lake_sizes(lake)
        V = np.random.default_rng(100 + index).uniform(-1.0, 1.0, n_states)
        got = expect_array(student.call(probes.q_from_v, lake=lake, V=V, gamma=gamma), "q_from_v's result",
                           (n_states, n_actions), kind="ndarray", dtypes=("float64",))
        expected = reference.call(probes.q_from_v, lake=lake, V=V, gamma=gamma)
        if not np.allclose(got, expected, atol=1e-9, rtol=1e-9) and np.allclose(got, q_without_terminal_mask(lake, V, gamma)):
            raise CheckFailed("a transition with terminated = True must add no gamma * V(s'): the episode ends there")
        expect_close(got, expected, f"Q on {lake_name(lake)} (gamma = {gamma})", atol=1e-9, rtol=1e-9)


# ------------------------------------------------------------------ value_iteration
def _value_iteration(student, reference, lake, gamma, theta=1e-10, max_sweeps=None):
    kwargs = dict(lake=lake, gamma=gamma, theta=theta, max_sweeps=max_sweeps)
    V, deltas = expect_pair(cached(student, probes.value_iteration, **kwargs), "V", "deltas", "value_iteration")
    n_states, _ = lake_sizes(lake)
    V = expect_array(V, "the V returned by value_iteration", (n_states,), kind="ndarray", dtypes=("float64",))
    if type(deltas) is not np.ndarray:
        raise CheckFailed("the deltas returned by value_iteration must be a list of numbers, one per sweep")
    expected = cached(reference, probes.value_iteration, **kwargs)
    return V, deltas, expected["V"], expected["deltas"]


@points(3)
@exercise("value_iteration")
def test_value_iteration_values(student, reference):
    """value_iteration finds the reference's V* on four lakes (theta = 1e-10)."""
    for lake, gamma in LAKES:
        V, _, expected, _ = _value_iteration(student, reference, lake, gamma)
        expect_close(V, expected, f"V on {lake_name(lake)} (gamma = {gamma})", atol=1e-8, rtol=1e-8)


@points(2)
@exercise("value_iteration")
def test_value_iteration_sweeps(student, reference):
    """value_iteration records max |delta V| of each synchronous sweep, stops after the first one below theta,
    and respects max_sweeps."""
    for lake, gamma, max_sweeps in [(lake, gamma, None) for lake, gamma in LAKES] + [(SLIPPERY_8, 0.99, 5)]:
        V, deltas, expected_V, expected = _value_iteration(student, reference, lake, gamma, max_sweeps=max_sweeps)
        where = f"on {lake_name(lake)} (gamma = {gamma}{f', max_sweeps = {max_sweeps}' if max_sweeps else ''})"
        if deltas.shape != expected.shape:
            more = "more" if deltas.size > expected.size else "fewer"
            raise CheckFailed(f"value_iteration ran {more} sweeps than expected {where}: one delta per sweep, stop right "
                              "after the first sweep whose delta is below theta, and after at most max_sweeps sweeps")
        expect_close(deltas, expected, f"the deltas {where} (synchronous sweeps from V = 0: every update of a sweep "
                     "uses the previous sweep's V)", atol=1e-12, rtol=1e-6)
        expect_close(V, expected_V, f"V after the last sweep {where}", atol=1e-10, rtol=1e-8)


# ------------------------------------------------------------------ greedy_policy
def _expect_greedy(policy, Q, what):
    taken = Q[np.arange(len(Q)), policy]
    wrong = taken < Q.max(axis=1) - 1e-9
    if wrong.any():
        raise CheckFailed(f"{what} is not greedy in {int(wrong.sum())} of {len(Q)} states: policy[s] must be an "
                          "action with the largest Q(s, a)")


@points(2)
@exercise("greedy_policy")
def test_greedy_policy(student, reference):
    """greedy_policy picks an action of largest one-step lookahead value (ties may go either way), on four lakes."""
    for index, (lake, gamma) in enumerate(LAKES):
        n_states, n_actions = lake_sizes(lake)
        for V in (np.random.default_rng(200 + index).uniform(0.0, 1.0, n_states),
                  cached(reference, probes.value_iteration, lake=lake, gamma=gamma, theta=1e-10, max_sweeps=None)["V"]):
            got = expect_states(student.call(probes.greedy_policy, lake=lake, V=V, gamma=gamma),
                                "greedy_policy's result", (n_states,), n_actions)
            Q = reference.call(probes.q_from_v, lake=lake, V=V, gamma=gamma)
            _expect_greedy(got, Q, f"the policy on {lake_name(lake)}")


# ------------------------------------------------------------------ policy_evaluation
@points(3)
@exercise("policy_evaluation")
def test_policy_evaluation(student, reference):
    """policy_evaluation matches the reference's V^pi (to 1e-6) for random and optimal policies on four lakes."""
    for index, (lake, gamma) in enumerate(LAKES):
        n_states, n_actions = lake_sizes(lake)
        optimal = reference.call(probes.greedy_policy, lake=lake, gamma=gamma,
                                 V=cached(reference, probes.value_iteration, lake=lake, gamma=gamma, theta=1e-10, max_sweeps=None)["V"])
        for kind, policy in (("a random policy", np.random.default_rng(300 + index).integers(0, n_actions, n_states)),
                             ("the optimal policy", optimal.astype(np.int64))):
            kwargs = dict(lake=lake, policy=policy, gamma=gamma, theta=1e-10)
            got = expect_array(student.call(probes.policy_evaluation, **kwargs), "policy_evaluation's result", (n_states,),
                               kind="ndarray", dtypes=("float64",))
            expect_close(got, reference.call(probes.policy_evaluation, **kwargs),
                         f"the value of {kind} on {lake_name(lake)} (gamma = {gamma})", atol=1e-6, rtol=1e-6)


# ------------------------------------------------------------------ policy_iteration
@points(3)
@exercise("policy_iteration")
def test_policy_iteration(student, reference):
    """policy_iteration ends with V* (to 1e-6) and a policy greedy on it, on four lakes."""
    for lake, gamma in [(SLIPPERY_4, 0.95), (RANDOM_6, 0.8), (STILL_8, 0.9), (RANDOM_5, 0.9)]:
        n_states, n_actions = lake_sizes(lake)
        policy, V = expect_pair(student.call(probes.policy_iteration, lake=lake, gamma=gamma, theta=1e-10),
                                "policy", "V", "policy_iteration")
        policy = expect_states(policy, "the policy returned by policy_iteration", (n_states,), n_actions)
        V = expect_array(V, "the V returned by policy_iteration", (n_states,), kind="ndarray", dtypes=("float64",))
        expected = reference.call(probes.policy_iteration, lake=lake, gamma=gamma, theta=1e-10)["V"]
        expect_close(V, expected, f"the final V on {lake_name(lake)} (gamma = {gamma})", atol=1e-6, rtol=1e-6)
        _expect_greedy(policy, reference.call(probes.q_from_v, lake=lake, V=expected, gamma=gamma),
                       f"the final policy on {lake_name(lake)}")


# ------------------------------------------------------------------ end to end
E2E_GAMMA = 0.99
E2E_THETA = 1e-8
E2E_EPISODES = 1_000
E2E_SEED = 10_000
E2E_THRESHOLD = 0.65


@points(4)
@exercise("value_iteration", "greedy_policy")
@pytest.mark.end_to_end
def test_value_iteration_solves_frozenlake(student, reference, artifacts):
    """End to end: value_iteration + greedy_policy (gamma = 0.99) on the slippery FrozenLake-v1 4x4 reach the goal in
    at least 65% of 1,000 seeded episodes, run by the grader. The policy played is the one the grader reads off
    the student's V (the greedy action, ties to the lowest), so the points come from value_iteration's values, not
    from a policy that ignores them; the student's greedy_policy must return a policy greedy for that same V.

    Measured on the reference: its greedy policy succeeds in 72.9% of these 1,000 episodes, and in 71.7-76.4%
    (mean 74.6%) of twenty other blocks of 1,000 seeds. State 6 has two equally good actions, so a correct
    submission may return another optimal policy (breaking that tie the other way gives 73.7% here). Any optimal
    policy fails only if a Binomial(1000, 0.74) draw falls below 650 (z = -6.5): false-failure rate below 1e-9;
    the seeds are fixed, so the same submission always gets the same result.
    """
    got = student.call(probes.solve_lake, lake={}, gamma=E2E_GAMMA, theta=E2E_THETA)
    if type(got) is not dict or "policy" not in got:
        raise CheckFailed(f"value_iteration must return a pair (V, deltas), got {got.get('returned') if type(got) is dict else got}")
    V = expect_array(got["V"], "value_iteration's V", (16,), kind="ndarray", dtypes=("float64", "float32"))
    Q = reference.call(probes.q_from_v, lake={}, V=V, gamma=E2E_GAMMA)
    students_policy = expect_states(got["policy"], "greedy_policy's result", (16,), 4)
    if np.any(Q[np.arange(16), students_policy] < Q.max(axis=1) - 1e-9 - 1e-6 * np.abs(Q.max(axis=1))):
        raise CheckFailed("greedy_policy's result is not greedy for the V that value_iteration returned: "
                          "fix greedy_policy first (see its own check)")
    policy = np.argmax(Q, axis=1)
    returns = reference.call(probes.evaluate_policy, lake={}, policy=policy, n_episodes=E2E_EPISODES, seed=E2E_SEED)
    rate = float(np.mean(returns))
    if artifacts is not None:
        import torch

        first_success = int(np.argmax(returns > 0)) if rate > 0 else 0
        save_agent(artifacts, reference, {"policy": torch.from_numpy(policy)},
                   {"episode_returns": [float(r) for r in returns], "eval_steps": [int(got.get("n_sweeps", 0))],
                    "eval_returns": [rate], "seed": E2E_SEED, "greedy_return": rate},
                   seed=E2E_SEED + first_success)
    if rate < E2E_THRESHOLD:
        raise CheckFailed(f"the greedy policy of your V reached the goal in {rate:.1%} of {E2E_EPISODES} episodes, "
                          f"below {E2E_THRESHOLD:.0%}")
