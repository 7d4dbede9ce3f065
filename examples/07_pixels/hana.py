# Partly correct: update forgets optimizer.zero_grad(), so each step adds the new gradient to all the earlier ones.
# The unit steps differ from the reference's; with gradients summed over every update the agent does not learn.
# expect: update_step: the online parameter
# expect: pieces_learn_catch: fix the pieces whose checks fail first
# base: alice
# %% update
def update(q_net, target_net, optimizer, batch, config):
    targets = double_dqn_targets(batch.rewards, batch.next_states, batch.terminated, q_net, target_net, config.gamma)
    values = q_net(batch.states).gather(1, batch.actions.unsqueeze(1)).squeeze(1)
    loss = F.smooth_l1_loss(values, targets)
    loss.backward()
    nn.utils.clip_grad_norm_(q_net.parameters(), config.grad_clip)
    optimizer.step()
    return loss.item()
