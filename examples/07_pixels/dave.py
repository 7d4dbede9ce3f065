# Partly correct: PixelQNet.forward feeds the raw bytes (0 to 255) to the convolutions, without scaling them to [0, 1].
# Inputs 255 times too large make the first gradient steps huge: the agent does not learn Catch (greedy -2).
# update's own checks use a grader network, so they pass.
# expect: pixel_qnet_forward_catch: the Q-values of 16 Catch states
# expect: pixel_qnet_forward_nature: the Q-values of the Nature network
# expect: pieces_learn_catch: fix `pixel_qnet` first
# base: alice
# %% pixel_qnet
class PixelQNet(nn.Module):
    def __init__(self, n_actions: int, history: int = 4, frame_size: int = 84, convs=NATURE_CONVS, hidden: int = 512):
        super().__init__()
        layers, channels = [], history
        for filters, kernel, stride in convs:
            layers += [nn.Conv2d(channels, filters, kernel, stride), nn.ReLU()]
            channels = filters
        self.features = nn.Sequential(*layers, nn.Flatten())
        with torch.no_grad():
            n_features = self.features(torch.zeros(1, history, frame_size, frame_size)).shape[1]
        self.value = nn.Sequential(nn.Linear(n_features, hidden), nn.ReLU(), nn.Linear(hidden, 1))
        self.advantage = nn.Sequential(nn.Linear(n_features, hidden), nn.ReLU(), nn.Linear(hidden, n_actions))

    def forward(self, frames):
        features = self.features(frames.float())
        advantage = self.advantage(features)
        return self.value(features) + advantage - advantage.mean(dim=1, keepdim=True)
