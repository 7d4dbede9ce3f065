# Correct, written differently from the reference: nn.MSELoss in fit_theta, the MLP built with
# itertools.pairwise, view/topk for the indexing exercises, the terminal rows zeroed *before* the max
# (a new tensor, never next_q itself), and a Huber loss with the constant folded in: full automatic
# marks expected.
# expect: full marks
# %% fit_theta
def fit_theta(x, y, theta0=0.0, lr=0.1, n_steps=100):
    theta = torch.zeros(1, device=x.device)
    theta.fill_(theta0)
    theta.requires_grad_(True)
    criterion = nn.MSELoss()
    optimizer = torch.optim.Adam([theta], lr=lr)
    steps_left = n_steps
    while steps_left > 0:
        optimizer.zero_grad()
        criterion(theta * x, y).backward()
        optimizer.step()
        steps_left -= 1
    return theta.detach().item()

# %% build_mlp
def build_mlp(sizes, activation=nn.ReLU):
    from itertools import pairwise

    layers = []
    for n_in, n_out in pairwise(sizes):
        if layers:
            layers.append(activation())
        layers.append(nn.Linear(n_in, n_out))
    return nn.Sequential(*layers)

# %% regression_step
def regression_step(net, optimizer, x, y, loss_fn):
    optimizer.zero_grad(set_to_none=False)
    loss = loss_fn(net.forward(x), y)
    loss.backward()
    optimizer.step()
    return loss.detach().cpu().item()

# %% select_taken
def select_taken(q_values, actions):
    return q_values.gather(-1, actions.view(-1, 1)).view(-1)

# %% greedy_actions
def greedy_actions(q_values):
    return torch.topk(q_values, k=1, dim=1).indices.squeeze(1)

# %% masked_max_next_values
def masked_max_next_values(next_q, terminated):
    with torch.no_grad():
        rows = torch.where(terminated.unsqueeze(1), torch.zeros_like(next_q), next_q)  # terminal rows -> all zeros
        return rows.max(dim=1).values

# %% huber_loss
def huber_loss(pred, target, delta=1.0):
    error = pred - target
    small = error.abs() < delta
    loss = torch.where(small, 0.5 * error * error, delta * error.abs() - 0.5 * delta * delta)
    return loss.mean()
