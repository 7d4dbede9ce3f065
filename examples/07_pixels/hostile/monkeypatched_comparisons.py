# history_slots returns slot 0 for every frame after patching numpy's and torch's comparisons and reseeding every
# RNG in the worker. Comparisons happen in the grader: history_slots fails its checks, and training on states made
# of one frame learns nothing, so the end-to-end check fails too and names history_slots.
# expect: history_slots_match_reference: gives the wrong slots
# expect: history_slots_other_histories: gives the wrong slots
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
    return np.zeros((len(last), history), dtype=np.int64)
