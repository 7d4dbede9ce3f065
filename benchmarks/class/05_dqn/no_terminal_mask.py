# Buggy: the targets bootstrap through terminal states (no (1 - terminated) mask).
# base: alice

# %% dqn_targets
def dqn_targets(rewards, next_states, terminated, target_net, gamma):
    with torch.no_grad():
        return rewards + gamma * target_net(next_states).amax(dim=1)
