# Partly correct: select_taken squeezes every size-1 dimension, so a batch of one state loses its batch
# dimension; only the select_taken_values check should fail.
# expect: select_taken_values: must have shape (1,), got ()
# base: alice (every other exercise cell is alice's)

# %% select_taken
def select_taken(q_values, actions):
    return q_values.gather(1, actions.unsqueeze(1)).squeeze()
