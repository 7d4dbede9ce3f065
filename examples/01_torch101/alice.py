# Correct, but written differently from the reference (float64 theta, fancy indexing, clamp-based Huber),
# printing as it goes: full automatic marks expected.
# expect: full marks
# %% fit_theta
def fit_theta(x, y, theta0=0.0, lr=0.1, n_steps=100):
    theta = torch.tensor(float(theta0), dtype=torch.float64, requires_grad=True)
    adam = torch.optim.Adam(params=[theta], lr=lr)
    x, y = x.double(), y.double()
    step = 0
    while step < n_steps:
        adam.zero_grad(set_to_none=True)
        F.mse_loss(theta * x, y).backward()
        adam.step()
        step += 1
    return float(theta.detach())

# %% build_mlp
def build_mlp(sizes, activation=nn.ReLU):
    modules = []
    for n_in, n_out in zip(sizes, sizes[1:]):
        modules += [nn.Linear(n_in, n_out), activation()]
    print(f"built an MLP with {len(sizes) - 1} linear layers")  # chatty, but correct
    return nn.Sequential(*modules[:-1])

# %% regression_step
def regression_step(net, optimizer, x, y, loss_fn):
    prediction = net(x)
    loss = loss_fn(prediction, y)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    return float(loss.detach())

# %% select_taken
def select_taken(q_values, actions):
    rows = torch.arange(q_values.shape[0], device=q_values.device)
    return q_values[rows, actions]

# %% greedy_actions
def greedy_actions(q_values):
    return q_values.max(dim=-1).indices

# %% masked_max_next_values
def masked_max_next_values(next_q, terminated):
    best = next_q.detach().amax(dim=1)
    return best * (~terminated).to(best.dtype)

# %% huber_loss
def huber_loss(pred, target, delta=1.0):
    size = (pred - target).abs()
    capped = size.clamp(max=delta)
    return (capped * (size - 0.5 * capped)).mean()

# %% targets_and_huber
# (a) The target plays the role of a label: the step should move Q(s, a) towards it, not move the
# target towards Q(s, a). If it kept its graph, backward() would also change the weights through the
# target, so the update would partly chase itself. Under no_grad it is a plain number.
# (b) MSE's gradient grows with the error, so a few far-away points dominate; Huber's gradient is
# capped at delta, so outliers pull no harder than any point slightly off the line.
