# Correct except that DuelingQNet.forward prints a gigabyte: the output limit stops it.
# expect: dueling_forward: the process running the submission died: it p
# base: alice
# %% dueling
SOLUTION_REGION = """
        for _ in range(100_000):
            print("x" * 10_000)
        hidden = self.body(states)
        a = self.advantage_head(hidden)
        return a - a.mean(dim=-1, keepdim=True) + self.value_head(hidden)
"""
