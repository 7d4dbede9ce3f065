# Partly correct: DuelingQNet.forward forgets to subtract the mean advantage; only that check should fail.
# expect: dueling_forward: Q-values differs
# base: alice (every other exercise cell is alice's)

# %% dueling
SOLUTION_REGION = """
        hidden = self.body(states)
        a = self.advantage_head(hidden)
        return a + self.value_head(hidden)
"""
