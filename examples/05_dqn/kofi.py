# One bug in dqn_targets: the terminal mask is inverted (gamma * terminated * max Q instead of
# gamma * (1 - terminated) * max Q), so the target bootstraps only from terminal states. Costs
# dqn_targets_terminal and dqn_targets_match_reference, and, unavoidably, the end-to-end
# train_solves_cartpole ("fix `dqn_targets` first"). update's checks run with grader stand-ins for the
# target functions, so they pass.
# expect: dqn_targets_terminal: the targets of terminal transitions differs
# expect: dqn_targets_match_reference: the targets (gamma = 0.99) differs
# expect: train_solves_cartpole: fix `dqn_targets` first
# base: alice (every other exercise cell is alice's)

# %% dqn_targets
def dqn_targets(rewards, next_states, terminated, target_net, gamma):
    with torch.no_grad():
        best_next = target_net(next_states).max(dim=1).values
    return rewards + gamma * terminated * best_next
