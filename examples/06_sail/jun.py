# One bug in sail_targets: the bonus is only clipped from below (clamp(min=0)), never at bonus_clip, so a
# large observed return G gives an unbounded bonus. Costs sail_targets_match_reference and
# sail_targets_terminal_and_alpha_zero only (update_sail's checks run with a grader stand-in for sail_targets).
# expect: sail_targets_match_reference: the targets (gamma = 0.9, alpha = 0.5, c = 0.3) differs
# expect: sail_targets_terminal_and_alpha_zero: the targets of terminal transitions (reward plus bonus, no bootstrap) differs
# base: alice (every other exercise cell is alice's)

# %% sail_targets
def sail_targets(batch, target_net, gamma, alpha, bonus_clip):
    n = batch.states.shape[0]
    with torch.no_grad():
        q_all = target_net(torch.cat([batch.states, batch.next_states]))
        q_now, q_next = q_all[:n], q_all[n:]
        q_taken = q_now[torch.arange(n), batch.actions]
        value = q_now.amax(dim=1)
        bootstrap = torch.where(batch.terminated.bool(), torch.zeros_like(value), gamma * q_next.amax(dim=1))
        bonus = torch.clamp(torch.max(batch.returns, q_taken) - value, min=0.0)
        return batch.rewards + bootstrap + alpha * bonus
