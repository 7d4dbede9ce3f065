# Partly correct: regression_step never calls zero_grad, so gradients accumulate over calls. The first
# returned loss is right, the later ones and the weights are not: costs both regression_step checks
# and, since the curve is fitted with regression_step, the end-to-end pieces_fit_a_curve.
# base: alice (every other exercise cell is alice's)

# %% regression_step
def regression_step(net, optimizer, x, y, loss_fn):
    loss = loss_fn(net(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()
