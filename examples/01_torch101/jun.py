# Partly correct: greedy_actions takes the argmax over the batch (dim 0) instead of over the actions,
# so it returns one index per action column; costs greedy_actions only.
# expect: greedy_actions: for a batch of 32 must have shape (32,), got (6,)
# base: alice (every other exercise cell is alice's)

# %% greedy_actions
def greedy_actions(q_values):
    return q_values.argmax(dim=0)
