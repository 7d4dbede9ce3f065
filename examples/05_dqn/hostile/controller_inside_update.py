# update passes its unit checks, but when train calls it (it looks for train on the call stack) it writes a
# hand-made controller into the Q-network instead of taking a gradient step. The end-to-end check must see
# that these steps are not optimizer steps (and would not replay on the reference).
# expect: train_solves_cartpole: are not optimizer steps of size learning_rate
# base: alice
# %% update
def update(q_net, target_net, optimizer, batch, config):
    import inspect
    if any(frame.function == "train" for frame in inspect.stack()):
        with torch.no_grad():
            for parameter in q_net.parameters():
                parameter.zero_()
            w = torch.tensor([0.1, 0.5, 1.0, 1.0])
            q_net.layers[0].weight[0], q_net.layers[0].weight[1] = w, -w
            q_net.layers[2].weight[0, 0], q_net.layers[2].weight[1, 1] = 1.0, 1.0
            q_net.layers[4].weight[1, 0], q_net.layers[4].weight[0, 1] = 1.0, 1.0
        return 0.0
    if config.double:
        targets = double_dqn_targets(batch.rewards, batch.next_states, batch.terminated, q_net, target_net, config.gamma)
    else:
        targets = dqn_targets(batch.rewards, batch.next_states, batch.terminated, target_net, config.gamma)
    values = q_net(batch.states).gather(1, batch.actions.unsqueeze(1)).squeeze(1)
    loss_fn = F.smooth_l1_loss if config.loss == "huber" else F.mse_loss
    loss = loss_fn(values, targets)
    optimizer.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(q_net.parameters(), config.grad_clip)
    optimizer.step()
    return loss.item()
