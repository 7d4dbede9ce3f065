# Loops forever: a leftover test loop at the end of the huber_loss cell never ends, so the cell is dropped.
# expect: huber_loss_values: s of CPU time, many times what correct code needs
# expect: huber_loss_gradient: s of CPU time, many times what correct code needs
# expect: huber_loss_by_hand: s of CPU time, many times what correct code needs
# expect: pieces_fit_a_curve: the cell 'huber_loss' did not load
# base: alice (every other exercise cell is alice's)

# %% huber_loss
def huber_loss(pred, target, delta=1.0):
    error = pred - target
    return torch.where(error.abs() < delta, 0.5 * error**2, delta * (error.abs() - 0.5 * delta)).mean()

tries = 0
while tries < 3:  # meant to try three deltas, but never increments
    huber_loss(torch.zeros(3), torch.ones(3))
