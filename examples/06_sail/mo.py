# One bug in update_sail: the gradient norm is never clipped to config.grad_clip. Must cost
# update_sail_step (which clips at 0.1).
# expect: update_sail_step: after 3 steps (zero_grad, backward, clip the gradient norm
# base: alice (every other exercise cell is alice's)

# %% update_sail
def update_sail(q_net, target_net, optimizer, batch, config):
    y = sail_targets(batch, target_net, config.gamma, config.alpha, config.bonus_clip)
    taken = q_net(batch.states)[torch.arange(len(batch.actions)), batch.actions]
    loss = F.huber_loss(taken, y, delta=1.0)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    return float(loss.detach())

