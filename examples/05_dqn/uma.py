# One bug in dqn_targets: no (1 - terminated) mask, so the targets bootstrap through terminal states. Costs
# dqn_targets_terminal and dqn_targets_match_reference, and, unavoidably, the end-to-end train_solves_cartpole
# ("fix `dqn_targets` first").
# expect: dqn_targets_terminal: the targets of terminal transitions differs
# expect: dqn_targets_match_reference: the targets (gamma = 0.99) differs
# expect: train_solves_cartpole: fix `dqn_targets` first
# base: alice (every other exercise cell is alice's)

# %% dqn_targets
def dqn_targets(rewards, next_states, terminated, target_net, gamma):
    with torch.no_grad():
        return rewards + gamma * target_net(next_states).amax(dim=1)
