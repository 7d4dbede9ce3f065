# Partly correct: masked_max_next_values zeroes the terminal rows of next_q in place (under no_grad,
# so no error) before taking the max: the values are right, but the network's output is modified;
# costs masked_max_next_values_is_constant only.
# expect: masked_max_next_values_is_constant: next_q was modified in place
# base: alice (every other exercise cell is alice's)

# %% masked_max_next_values
def masked_max_next_values(next_q, terminated):
    with torch.no_grad():
        next_q[terminated] = 0.0
        return next_q.max(dim=1).values
