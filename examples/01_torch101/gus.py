# Correct, written differently from the reference: helper functions and chatty prints everywhere,
# a mean written as sum / N, the MLP as a flattened list comprehension, the taken Q-values picked by a
# one-hot product, the terminal mask as a multiplication by (1 - terminated): full automatic marks expected.
# expect: full marks
# %% fit_theta
def _squared_error(theta, x, y):
    residual = x * theta - y
    return (residual * residual).sum() / x.numel()


def fit_theta(x, y, theta0=0.0, lr=0.1, n_steps=100):
    theta = torch.tensor([theta0], dtype=torch.float32, device=x.device).requires_grad_()
    optimizer = torch.optim.Adam([theta], lr=lr)
    for step_index in range(n_steps):
        optimizer.zero_grad()
        loss = _squared_error(theta, x, y)
        loss.backward()
        optimizer.step()
    print(f"gus: fit_theta did {n_steps} steps, theta = {theta.item():.4f}")
    return float(theta.detach().cpu()[0])

# %% build_mlp
def build_mlp(sizes, activation=nn.ReLU):
    pairs = list(zip(sizes[:-1], sizes[1:]))
    layers = [module for n_in, n_out in pairs for module in (nn.Linear(n_in, n_out), activation())]
    layers.pop()  # no activation after the output layer
    return nn.Sequential(*layers)

# %% regression_step
def regression_step(net, optimizer, x, y, loss_fn):
    optimizer.zero_grad()
    predictions = net(x)
    loss = loss_fn(predictions, y)
    loss.backward()
    optimizer.step()
    return float(loss)

# %% select_taken
def select_taken(q_values, actions):
    one_hot = F.one_hot(actions, num_classes=q_values.shape[1]).to(q_values.dtype)
    return (q_values * one_hot).sum(dim=1)

# %% greedy_actions
def greedy_actions(q_values):
    return torch.argmax(q_values, dim=-1)

# %% masked_max_next_values
def masked_max_next_values(next_q, terminated):
    with torch.no_grad():
        alive = 1.0 - terminated.float()
        return alive * next_q.max(dim=1).values

# %% huber_loss
def _quadratic(error):
    return 0.5 * error.pow(2)


def _linear(error, delta):
    return delta * (error.abs() - 0.5 * delta)


def huber_loss(pred, target, delta=1.0):
    error = pred - target
    per_entry = torch.where(error.abs() < delta, _quadratic(error), _linear(error, delta))
    return per_entry.sum() / per_entry.numel()
