# DuelingQNet.forward returns NaN.
# base: alice
# %% dueling
SOLUTION_REGION = """
        return torch.full((states.shape[0], self.advantage_head.out_features), float("nan"))
"""
