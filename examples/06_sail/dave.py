# Loops forever: a leftover test loop at the end of the sail_targets cell never ends.
# expect: sail_targets_match_reference: s of CPU time, many times what correct code needs
# expect: sail_targets_terminal_and_alpha_zero: s of CPU time, many times what correct code needs
# expect: train_sail_solves_cartpole: name 'sail_targets' is not defined
# base: alice (every other exercise cell is alice's)

# %% sail_targets
def sail_targets(batch, target_net, gamma, alpha, bonus_clip):
    with torch.no_grad():
        next_values = target_net(batch.next_states).max(dim=1).values
        q_target = target_net(batch.states)
        taken = q_target.gather(1, batch.actions.unsqueeze(1)).squeeze(1)
        bonus = (torch.maximum(batch.returns, taken) - q_target.max(dim=1).values).clamp(0.0, bonus_clip)
    return batch.rewards + gamma * (1.0 - batch.terminated) * next_values + alpha * bonus

tries = 0
while tries < 3:  # meant to retry a flaky test, but never increments
    pass
