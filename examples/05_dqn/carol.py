# Raises: update gathers with a 1-D index, so every call fails with a RuntimeError.
# expect: update_loss: Index tensor must have the same number of dimensions
# expect: update_step: Index tensor
# expect: update_mse_option: Index tensor
# expect: update_double_option: Index tensor
# expect: train_solves_cartpole: <cell update>
# base: alice (every other exercise cell is alice's)

# %% update
def update(q_net, target_net, optimizer, batch, config):
    make_targets = double_dqn_targets if config.double else None
    if make_targets is None:
        y = dqn_targets(batch.rewards, batch.next_states, batch.terminated, target_net, config.gamma)
    else:
        y = make_targets(batch.rewards, batch.next_states, batch.terminated, q_net, target_net, config.gamma)
    taken = q_net(batch.states).gather(1, batch.actions)
    if config.loss == "huber":
        loss = F.huber_loss(taken, y, delta=1.0)
    else:
        loss = ((taken - y) ** 2).mean()
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(q_net.parameters(), max_norm=config.grad_clip)
    optimizer.step()
    return float(loss.detach())

