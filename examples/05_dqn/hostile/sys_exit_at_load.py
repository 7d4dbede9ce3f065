# Correct except that the dqn_targets cell ends with sys.exit(): that cell fails to load.
# expect: dqn_targets_terminal: SystemExit: done here
# expect: dqn_targets_match_reference: SystemExit: done here
# base: alice
# %% dqn_targets
def dqn_targets(rewards, next_states, terminated, target_net, gamma):
    with torch.no_grad():
        return rewards + gamma * (1 - terminated) * target_net(next_states).max(dim=1).values

import sys
sys.exit("done here")
