# Buggy: update never clears the gradients, so they pile up from step to step.
# base: alice

# %% update
def update(q_net, target_net, optimizer, batch, config):
    if config.double:
        y = double_dqn_targets(batch.rewards, batch.next_states, batch.terminated, q_net, target_net, config.gamma)
    else:
        y = dqn_targets(batch.rewards, batch.next_states, batch.terminated, target_net, config.gamma)
    taken = q_net(batch.states).gather(1, batch.actions.long().unsqueeze(1)).squeeze(1)
    loss = F.huber_loss(taken, y) if config.loss == "huber" else F.mse_loss(taken, y)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(q_net.parameters(), config.grad_clip)
    optimizer.step()
    return loss.item()
