# Partly correct: masked_max_next_values forgets torch.no_grad()/detach, so the target keeps the
# network's graph (a target with gradient); the values are right. Costs masked_max_next_values_is_constant only.
# expect: masked_max_next_values_is_constant: the result carries gradients
# base: alice (every other exercise cell is alice's)

# %% masked_max_next_values
def masked_max_next_values(next_q, terminated):
    best = next_q.max(dim=1).values
    return torch.where(terminated, torch.zeros_like(best), best)
