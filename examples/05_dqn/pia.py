# One bug in DuelingQNet.forward: the mean advantage is taken over dim 0 (the batch) instead of over the
# actions. Must cost dueling_forward.
# expect: dueling_forward: the Q-values differs
# base: alice (every other exercise cell is alice's)

# %% dueling
SOLUTION_REGION = """
        hidden = self.body(states)
        a = self.advantage_head(hidden)
        return self.value_head(hidden) + a - a.mean(dim=0, keepdim=True)
"""
