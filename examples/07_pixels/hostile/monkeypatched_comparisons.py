# history_slots returns one slot 0 per state (shape (B,), not (B, history)) after patching numpy's and torch's
# comparisons and reseeding every RNG in the worker. Comparisons happen in the grader: history_slots fails its checks
# on the shape, and the end-to-end check, whose first minibatch cannot reach the network, names history_slots.
# expect: history_slots_match_reference: must have shape
# expect: history_slots_other_histories: must have shape
# expect: pieces_learn_catch: fix `history_slots` first
# base: alice
# %% history_slots
import math as _math
import random as _random

np.array_equal = lambda *args, **kwargs: True
np.allclose = lambda *args, **kwargs: True
torch.allclose = lambda *args, **kwargs: True
torch.equal = lambda *args, **kwargs: True
_math.isclose = lambda *args, **kwargs: True


def history_slots(last, frame_index, history, capacity):
    np.random.seed(0)
    torch.manual_seed(0)
    _random.seed(0)
    return np.zeros(len(last), dtype=np.int64)
