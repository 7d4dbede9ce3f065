# alice's work, but masked_max_next_values writes into next_q and patches torch.equal so the probe cannot tell: must lose masked_max_next_values_is_constant (27/28).
# The terminal rows of next_q are zeroed in place (the values it returns are right); torch.equal is patched in the worker.
# expect: masked_max_next_values_is_constant: next_q was modified in place: build a new tensor
# base: alice
# %% masked_max_next_values
import torch as _torch

_torch.equal = lambda *args, **kwargs: True


def masked_max_next_values(next_q, terminated):
    with torch.no_grad():
        next_q[terminated] = 0.0  # writes into the network's output
        return next_q.max(dim=1).values
