# double_dqn_targets returns a numpy array (the right numbers, the wrong type).
# expect: double_dqn_targets: double_dqn_targets's result must be a torch.T
# base: alice
# %% double_dqn_targets
def double_dqn_targets(rewards, next_states, terminated, q_net, target_net, gamma):
    with torch.no_grad():
        chosen = q_net(next_states).argmax(dim=1, keepdim=True)
        values = target_net(next_states).gather(1, chosen).squeeze(1)
    return (rewards + gamma * (1 - terminated) * values).cpu().numpy()
