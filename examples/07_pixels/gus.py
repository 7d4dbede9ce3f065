# Partly correct: update computes plain DQN targets itself (max over the target network) instead of calling
# double_dqn_targets, so its loss and steps differ from the reference's.
# expect: update_loss: the loss
# expect: update_step: the online parameter
# expect: update_uses_double_dqn_targets: should call double_dqn_targets once per step
# base: alice
# %% update
def update(q_net, target_net, optimizer, batch, config):
    with torch.no_grad():
        next_values = target_net(batch.next_states).max(dim=1).values
        targets = batch.rewards + config.gamma * (1 - batch.terminated) * next_values
    values = q_net(batch.states).gather(1, batch.actions[:, None]).squeeze(1)
    loss = F.smooth_l1_loss(values, targets)
    optimizer.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(q_net.parameters(), config.grad_clip)
    optimizer.step()
    return loss.item()
