# One bug in update_sail: the loss is the mean squared error instead of the Huber loss the exercise asks for.
# Must cost update_sail_loss and update_sail_step (whose message then blames config.alpha / bonus_clip).
# expect: update_sail_loss: the loss differs
# expect: update_sail_step: the loss with alpha = 0.5 and c = 2
# base: alice (every other exercise cell is alice's)

# %% update_sail
def update_sail(q_net, target_net, optimizer, batch, config):
    y = sail_targets(batch, target_net, config.gamma, config.alpha, config.bonus_clip)
    taken = q_net(batch.states)[torch.arange(len(batch.actions)), batch.actions]
    loss = F.mse_loss(taken, y)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(q_net.parameters(), max_norm=config.grad_clip)
    optimizer.step()
    return float(loss.detach())

