# alice's work, but q_value_iteration returns zeros in an always-equal numpy subclass after patching numpy/math comparisons in the worker: must lose its checks (22/30).
# numpy.array_equal patched to True also stops alice's own policy_iteration after one round, so policy_iteration fails too: the student's own doing.
# expect: q_value_iteration_book: q_value_iteration must return a numpy array,
# expect: q_value_iteration_first_sweeps: q_value_iteration must return a numpy array,
# expect: q_value_iteration_other_mdps: q_value_iteration must return a numpy array,
# expect: policy_iteration: the final V on the 4x4 slippery lake (gamma =
# base: alice
# %% q_value_iteration
import math as _math

np.allclose = lambda *args, **kwargs: True
np.isclose = lambda a, b, *args, **kwargs: np.ones(np.broadcast(a, b).shape, dtype=bool)
np.array_equal = lambda *args, **kwargs: True
_math.isclose = lambda *args, **kwargs: True


class Agreeable(np.ndarray):
    def __eq__(self, other):
        return np.ones(self.shape, dtype=bool).view(np.ndarray)

    __hash__ = None


def q_value_iteration(T, R, possible_actions, gamma, n_iterations):
    return np.zeros((len(T), len(T[0]))).view(Agreeable)
