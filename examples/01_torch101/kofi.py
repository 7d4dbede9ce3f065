# Partly correct: select_taken gathers along dim 0 (the batch) instead of dim 1 (the actions), so row i
# gets q_values[actions[i], 0], or an index error when an action number exceeds the batch size;
# costs the select_taken checks only.
# expect: select_taken_values: the selected Q-values (batch of 16, 5 actions) differs
# expect: select_taken_gradient: the gradient with respect to q_values differs
# base: alice (every other exercise cell is alice's)

# %% select_taken
def select_taken(q_values, actions):
    return q_values.gather(0, actions.unsqueeze(1)).squeeze(1)
