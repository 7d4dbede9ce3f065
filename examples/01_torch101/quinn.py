# Partly correct: huber_loss hard-codes delta = 1 in the linear branch (|e| - 0.5) while the quadratic
# zone uses delta: right for the default delta = 1, wrong (and discontinuous) for 0.5 and 2.5;
# costs huber_loss_values and huber_loss_gradient.
# expect: huber_loss_values: the value of huber_loss with delta = 0.5 on shape (32,) differs
# expect: huber_loss_gradient: the gradient of huber_loss with delta = 0.5 on shape (32,) differs
# base: alice (every other exercise cell is alice's)

# %% huber_loss
def huber_loss(pred, target, delta=1.0):
    error = pred - target
    return torch.where(error.abs() < delta, 0.5 * error**2, error.abs() - 0.5).mean()
