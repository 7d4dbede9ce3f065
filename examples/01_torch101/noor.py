# Partly correct: regression_step never calls zero_grad, so gradients accumulate over calls. The first
# returned loss is right, the later ones and the weights are not: costs both regression_step checks
# and, since the curve is fitted with regression_step, the end-to-end pieces_fit_a_curve.
# expect: regression_step_returns_loss: the returned losses (mse loss_fn) differs
# expect: regression_step_updates: after 3 steps (clear the gradients before each backward
# expect: pieces_fit_a_curve: check huber_loss and regression_step
# base: alice (every other exercise cell is alice's)

# %% regression_step
def regression_step(net, optimizer, x, y, loss_fn):
    loss = loss_fn(net(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()
