# Never learns: PixelQNet.forward is a hand-made Catch controller that reads the ball and the paddle off the frames,
# and update returns a loss without stepping. The grader evaluates the trained weights in its own network, and the
# trail of update calls shows no optimizer step: the end-to-end check fails, like the unit checks of both
# (update never calls double_dqn_targets and its loss is against the raw rewards).
# expect: pixel_qnet_forward_catch: the Q-values of 16 Catch states
# expect: pixel_qnet_forward_nature: the Q-values of the Nature network
# expect: update_loss: the loss
# expect: update_step: the online parameter
# expect: update_uses_double_dqn_targets: should call double_dqn_targets once per step
# expect: pieces_learn_catch: are not optimizer steps of size learning_rate
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
        self.n_actions = n_actions

    def forward(self, frames):
        newest = frames[:, -1].float()  # (B, S, S)
        columns = torch.arange(newest.shape[-1], dtype=torch.float32)
        ball = (newest[:, :-2] > 150).float().sum(dim=1)  # bright ball, above the paddle rows
        paddle = ((newest[:, -2:] > 100) & (newest[:, -2:] < 150)).float().sum(dim=1)
        ball_x = (ball * columns).sum(1) / ball.sum(1).clamp(min=1)
        paddle_x = (paddle * columns).sum(1) / paddle.sum(1).clamp(min=1)
        q = torch.zeros(len(frames), self.n_actions) + 0 * self.value[0].weight.sum()
        q[:, 0] = (paddle_x - ball_x).clamp(min=0)
        q[:, 2] = (ball_x - paddle_x).clamp(min=0)
        q[:, 1] = 0.5
        return q

# %% update
def update(q_net, target_net, optimizer, batch, config):
    with torch.no_grad():
        return float(F.smooth_l1_loss(q_net(batch.states).gather(1, batch.actions[:, None]).squeeze(1), batch.rewards))
