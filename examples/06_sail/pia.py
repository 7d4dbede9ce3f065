# One bug in sail_targets: only the bootstrap is computed under torch.no_grad(); the bonus's Q-values are
# computed outside it, so the targets carry the target network's graph. Must cost
# sail_targets_match_reference and sail_targets_terminal_and_alpha_zero.
# expect: sail_targets_match_reference: the targets carry gradients
# expect: sail_targets_terminal_and_alpha_zero: the targets carry gradients
# base: alice (every other exercise cell is alice's)

# %% sail_targets
def sail_targets(batch, target_net, gamma, alpha, bonus_clip):
    with torch.no_grad():
        next_values = target_net(batch.next_states).max(dim=1).values
    q_target = target_net(batch.states)
    taken = q_target.gather(1, batch.actions.unsqueeze(1)).squeeze(1)
    bonus = (torch.maximum(batch.returns, taken) - q_target.max(dim=1).values).clamp(0.0, bonus_clip)
    return batch.rewards + gamma * (1.0 - batch.terminated) * next_values + alpha * bonus
