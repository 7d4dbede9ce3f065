# Partly correct: huber_loss returns the sum over the entries instead of the mean, so its value and
# gradient are N times too large; costs huber_loss_values and huber_loss_gradient only (Adam is nearly
# blind to the scale of the loss, so the end-to-end curve fit still passes).
# expect: huber_loss_values: the value of huber_loss with delta = its default on shape (32,) differs
# expect: huber_loss_gradient: the gradient of huber_loss with delta = its default on shape (32,) differs
# base: alice (every other exercise cell is alice's)

# %% huber_loss
def huber_loss(pred, target, delta=1.0):
    error = pred - target
    return torch.where(error.abs() < delta, 0.5 * error**2, delta * (error.abs() - 0.5 * delta)).sum()
