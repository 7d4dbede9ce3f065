# Partly correct: PixelQNet.forward feeds the raw bytes (0 to 255) to the convolutions, without scaling them to [0, 1].
# Inputs 255 times too large make the first gradient steps huge: the agent does not learn Catch (greedy -2).
# update's own checks use a grader network, so they pass.
# expect: pixel_qnet_forward_catch: the Q-values of 16 Catch states
# expect: pixel_qnet_forward_nature: the Q-values of the Nature network
# expect: pieces_learn_catch: fix `pixel_qnet` first
# base: alice
# %% pixel_qnet
SOLUTION_REGION = """
        features = self.features(frames.float())
        advantage = self.advantage(features)
        return self.value(features) + advantage - advantage.mean(dim=1, keepdim=True)
"""
