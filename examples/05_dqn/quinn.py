# One bug in update: optimizer.zero_grad() is missing, so every call adds its gradient to those of all the
# calls before it. Costs update_step (3 steps on the same batch) and the end-to-end check, which names update
# as the piece to fix: with the grader's schedule (step size 2e-3) the summed gradients keep the agent near a
# greedy mean of 150 (with the notebook's 1e-3 it still learned). The end-to-end check's replay restores the
# gradients a step started from, so the replayed steps themselves agree.
# expect: update_step: after 3 steps (zero_grad, backward, clip the gradient norm
# expect: train_solves_cartpole: fix `update` first
# base: alice (every other exercise cell is alice's)

# %% update
def update(q_net, target_net, optimizer, batch, config):
    if config.double:
        y = double_dqn_targets(batch.rewards, batch.next_states, batch.terminated, q_net, target_net, config.gamma)
    else:
        y = dqn_targets(batch.rewards, batch.next_states, batch.terminated, target_net, config.gamma)
    taken = q_net(batch.states)[torch.arange(len(batch.actions)), batch.actions]
    if config.loss == "huber":
        loss = F.huber_loss(taken, y, delta=1.0)
    else:
        loss = ((taken - y) ** 2).mean()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(q_net.parameters(), max_norm=config.grad_clip)
    optimizer.step()
    return float(loss.detach())
