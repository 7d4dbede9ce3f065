# alice's work with dqn_targets wrong and the visible check edited to pass: the hidden checks still fail.
# expect: dqn_targets_match_reference: the targets (gamma = 0.99) differs from the e
# expect: train_solves_cartpole: the trained agent's greedy mean return was
# base: alice
# %% dqn_targets
def dqn_targets(rewards, next_states, terminated, target_net, gamma):
    return rewards.clone()

# %% check_dqn_targets
print("dqn_targets looks right.")
