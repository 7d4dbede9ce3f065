# One bug in double_dqn_targets: the networks' roles are swapped, the target network picks the next action
# and the online network values it. Must cost double_dqn_targets. It also costs update_double_option, which
# runs the student's (correct) update with the student's double_dqn_targets: a grader defect, recorded as
# the grader does it.
# base: alice (every other exercise cell is alice's)

# %% double_dqn_targets
def double_dqn_targets(rewards, next_states, terminated, q_net, target_net, gamma):
    with torch.no_grad():
        chosen = target_net(next_states).max(dim=1).indices
        evaluated = q_net(next_states)[torch.arange(len(chosen)), chosen]
    return rewards + gamma * evaluated * (1 - terminated)
