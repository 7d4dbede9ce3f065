# Correct, but written differently from the reference (numpy for the grey levels, a list for the stack,
# index arithmetic spelled out), printing as it goes: full automatic marks expected.
# expect: full marks
# %% preprocess
def preprocess(frame, size=84):
    r, g, b = (np.asarray(frame)[..., c].astype(np.float32) for c in range(3))
    grey = torch.from_numpy(0.299 * r + 0.587 * g + 0.114 * b)
    resized = F.interpolate(grey.unsqueeze(0).unsqueeze(0), size=(size, size), mode="area").squeeze()
    return np.rint(resized.numpy()).clip(0, 255).astype(np.uint8)

# %% frame_stack
class FrameStack:
    """The last `history` frames, oldest first."""

    def __init__(self, history: int = 4):
        self.history = history
        self.frames = deque(maxlen=history)

    def reset(self, frame):
        self.frames = deque([frame] * self.history, maxlen=self.history)
        return np.array(list(self.frames))

    def step(self, frame):
        self.frames.append(frame)
        return np.array(list(self.frames))

# %% pixel_qnet
SOLUTION_REGION = """
        x = self.features(frames.to(torch.float32).div(255))
        a = self.advantage(x)
        v = self.value(x)
        return v + (a - a.mean(1, keepdim=True))
"""

# %% history_slots
def history_slots(last, frame_index, history, capacity):
    offsets = np.arange(-(history - 1), 1)  # -3, -2, -1, 0
    reach = -frame_index[last].astype(np.int64)[:, None]
    return np.mod(last[:, None] + np.maximum(offsets[None, :], reach), capacity)

# %% update
def update(q_net, target_net, optimizer, batch, config):
    y = double_dqn_targets(batch.rewards, batch.next_states, batch.terminated, q_net, target_net, config.gamma)
    q_taken = q_net(batch.states)[torch.arange(len(batch.actions)), batch.actions]
    loss = F.smooth_l1_loss(q_taken, y)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(q_net.parameters(), max_norm=config.grad_clip)
    optimizer.step()
    if np.random.default_rng().random() < 0.001:
        print(f"loss {loss.item():.4f}")
    return float(loss.item())
