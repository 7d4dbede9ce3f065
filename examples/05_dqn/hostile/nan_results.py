# DuelingQNet.forward returns NaN.
# expect: dueling_forward: DuelingQNet's output contains NaN or infinite
# base: alice
# %% dueling
SOLUTION_REGION = """
        return torch.full((states.shape[0], self.advantage_head.out_features), float("nan"))
"""
