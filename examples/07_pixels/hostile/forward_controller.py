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
SOLUTION_REGION = """
        newest = frames[:, -1].float()  # (B, S, S)
        columns = torch.arange(newest.shape[-1], dtype=torch.float32)
        ball = (newest[:, :-2] > 150).float().sum(dim=1)  # bright ball, above the paddle rows
        paddle = ((newest[:, -2:] > 100) & (newest[:, -2:] < 150)).float().sum(dim=1)
        ball_x = (ball * columns).sum(1) / ball.sum(1).clamp(min=1)
        paddle_x = (paddle * columns).sum(1) / paddle.sum(1).clamp(min=1)
        q = torch.zeros(len(frames), self.advantage[-1].out_features) + 0 * self.value[0].weight.sum()
        q[:, 0] = (paddle_x - ball_x).clamp(min=0)
        q[:, 2] = (ball_x - paddle_x).clamp(min=0)
        q[:, 1] = 0.5
        return q
"""

# %% update
def update(q_net, target_net, optimizer, batch, config):
    with torch.no_grad():
        return float(F.smooth_l1_loss(q_net(batch.states).gather(1, batch.actions[:, None]).squeeze(1), batch.rewards))
