# alice's work, but huber_loss calls the built-in Huber loss via torch.ops.aten, out of the grader's spy's reach: must lose huber_loss_by_hand (27/28).
# Its values and gradient are right; only the by-hand rule is broken.
# expect: huber_loss_by_hand: huber_loss calls PyTorch's own huber_loss / smoo
# base: alice
# %% huber_loss
_builtin_huber = torch.ops.aten.huber_loss


def huber_loss(pred, target, delta=1.0):
    return _builtin_huber(pred, target, 1, float(delta))  # reduction 1 = mean
