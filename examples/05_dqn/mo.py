# One bug in update: Q(s, a) is gathered along dim 0 (the batch) instead of dim 1 (the actions), so it
# reads Q(s_{a_i}, 0) rather than Q(s_i, a_i); no error is raised. Must cost update_loss, update_step,
# update_mse_option and update_double_option, and, unavoidably, the end-to-end train_solves_cartpole.
# expect: update_loss: the loss differs
# expect: update_step: after 3 steps (zero_grad, backward, clip the gradient norm
# expect: update_mse_option: the MSE loss differs
# expect: update_double_option: the loss with Double DQN targets differs
# expect: train_solves_cartpole: fix `update` first
# base: alice (every other exercise cell is alice's)

# %% update
def update(q_net, target_net, optimizer, batch, config):
    if config.double:
        y = double_dqn_targets(batch.rewards, batch.next_states, batch.terminated, q_net, target_net, config.gamma)
    else:
        y = dqn_targets(batch.rewards, batch.next_states, batch.terminated, target_net, config.gamma)
    taken = q_net(batch.states).gather(0, batch.actions.unsqueeze(1)).squeeze(1)
    if config.loss == "huber":
        loss = F.huber_loss(taken, y, delta=1.0)
    else:
        loss = ((taken - y) ** 2).mean()
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(q_net.parameters(), max_norm=config.grad_clip)
    optimizer.step()
    return float(loss.detach())
