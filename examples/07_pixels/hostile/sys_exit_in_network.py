# Correct except that the PixelQNet cell calls sys.exit() before defining the class: that cell fails to load, so
# PixelQNet's checks fail with its message and the end-to-end check, which needs the network, names it; every other
# piece keeps its points.
# expect: pixel_qnet_forward_catch: SystemExit: done here
# expect: pixel_qnet_forward_nature: SystemExit: done here
# expect: pieces_learn_catch: fix `pixel_qnet` first
# base: alice
# %% pixel_qnet
import sys

sys.exit("done here")


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
