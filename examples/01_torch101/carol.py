# Raises: masked_max_next_values hands torch.where the (values, indices) pair that max returns,
# so every call fails with a TypeError.
# expect: masked_max_next_values: torch.return_types.max
# expect: masked_max_next_values_is_constant: torch.return_types.max
# base: alice (every other exercise cell is alice's)

# %% masked_max_next_values
def masked_max_next_values(next_q, terminated):
    with torch.no_grad():
        return torch.where(terminated, 0.0, next_q.max(dim=1))
