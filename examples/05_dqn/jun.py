# One bug in dqn_targets: no torch.no_grad() (nor .detach()), so the targets carry the target network's
# graph. Must cost dqn_targets_terminal and dqn_targets_match_reference.
# expect: dqn_targets_terminal: the targets carry gradients
# expect: dqn_targets_match_reference: the targets carry gradients
# base: alice (every other exercise cell is alice's)

# %% dqn_targets
def dqn_targets(rewards, next_states, terminated, target_net, gamma):
    best_next = target_net(next_states).max(dim=1).values
    return rewards + gamma * (1.0 - terminated) * best_next
