# Correct, written differently from the reference: theta is an nn.Parameter and zero_grad comes after
# each step, the MLP is assembled with add_module, take_along_dim instead of gather, max(...)[1] for the
# argmax, masked_fill for the terminal mask, and the Huber loss as "quadratic part + linear rest":
# full automatic marks expected.
# expect: full marks
# %% fit_theta
def fit_theta(x, y, theta0=0.0, lr=0.1, n_steps=100):
    theta = nn.Parameter(torch.full((1,), float(theta0), device=x.device))
    optimizer = torch.optim.Adam([theta], lr=lr)
    for _ in range(n_steps):
        loss = torch.mean(torch.square(x * theta - y))
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()  # cleared after the step instead of before: the next backward starts from zero
    return theta.item()

# %% build_mlp
def build_mlp(sizes, activation=nn.ReLU):
    net = nn.Sequential()
    position = 0
    for i in range(len(sizes) - 1):
        net.add_module(str(position), nn.Linear(sizes[i], sizes[i + 1]))
        position += 1
        if i != len(sizes) - 2:
            net.add_module(str(position), activation())
            position += 1
    return net

# %% regression_step
def regression_step(net, optimizer, x, y, loss_fn):
    net.zero_grad()  # the optimiser holds exactly the net's parameters, so this clears the same gradients
    loss = loss_fn(net(x), y)
    value = loss.item()
    loss.backward()
    optimizer.step()
    return value

# %% select_taken
def select_taken(q_values, actions):
    return torch.take_along_dim(q_values, actions[:, None], dim=1)[:, 0]

# %% greedy_actions
def greedy_actions(q_values):
    return q_values.max(1)[1]

# %% masked_max_next_values
def masked_max_next_values(next_q, terminated):
    return next_q.detach().max(dim=1).values.masked_fill(terminated, 0.0)

# %% huber_loss
def huber_loss(pred, target, delta=1.0):
    absolute = (pred - target).abs()
    quadratic = torch.clamp(absolute, max=delta)  # the part of |e| inside the quadratic zone
    linear = absolute - quadratic  # whatever lies beyond delta
    return (0.5 * quadratic**2 + delta * linear).mean()
