# One bug in double_dqn_targets: the networks' roles are swapped, the target network picks the next action
# and the online network values it. Costs double_dqn_targets only (update's checks run with grader
# stand-ins for the target functions).
# expect: double_dqn_targets: the Double DQN targets differs
# base: alice (every other exercise cell is alice's)

# %% double_dqn_targets
def double_dqn_targets(rewards, next_states, terminated, q_net, target_net, gamma):
    with torch.no_grad():
        chosen = target_net(next_states).max(dim=1).indices
        evaluated = q_net(next_states)[torch.arange(len(chosen)), chosen]
    return rewards + gamma * evaluated * (1 - terminated)
