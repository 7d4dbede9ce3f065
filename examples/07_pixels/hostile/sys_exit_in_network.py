# Correct except that the PixelQNet cell ends with sys.exit(): that cell fails to load, so PixelQNet's checks fail
# with its message. The class it defined before exiting is correct, and the end-to-end check (which trains with
# every piece as the module holds it) passes: every other piece keeps its points.
# expect: pixel_qnet_forward_catch: SystemExit: done here
# expect: pixel_qnet_forward_nature: SystemExit: done here
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
        features = self.features(frames.float() / 255)
        advantage = self.advantage(features)
        return self.value(features) + advantage - advantage.mean(dim=1, keepdim=True)


import sys
sys.exit("done here")
