# alice's work, but choose_action writes into Q and patches numpy.array_equal when the grader's probe compares Q: must lose choose_action_greedy (23/25).
# The nudge (1e-12 on the chosen entry) never changes an action; the patch answers 'equal' only to the probe choose_action_many.
# expect: choose_action_greedy: choose_action modified Q: it must only read the
# expect: train_solves_cliff: the Q-table changed outside update
# base: alice
# %% choose_action
import sys as _sys

_array_equal = np.array_equal


def _forged_array_equal(a, b, *args, **kwargs):
    if _sys._getframe(1).f_code.co_name == "choose_action_many":
        return True
    return _array_equal(a, b, *args, **kwargs)


np.array_equal = _forged_array_equal


def choose_action(Q, state, epsilon, rng):
    if rng.uniform() < epsilon:
        action = int(rng.choice(Q.shape[1]))
    else:
        row = Q[state]
        action = int(np.flatnonzero(row == row.max())[0])
    Q[state, action] += 1e-12  # a visit counter hidden in the table
    return action
