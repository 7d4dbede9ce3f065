"""Probes for 01_torch101: harnesses that feed a module's functions the grader's inputs.

Each probe takes the module under test (the student's submission in the sandbox,
or the reference in the grader) and plain data, and returns plain data. The
same probe runs on both sides, so the hidden checks compare like with like.
The sandbox seeds every RNG before each call.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def _tensor_or_value(value):
    """Tensors come back detached (the wire carries data, not graphs); anything else as it is."""
    return value.detach().clone() if isinstance(value, torch.Tensor) else value


def _weights(net):
    return {key: value.detach().cpu().clone() for key, value in net.state_dict().items()}


# ------------------------------------------------------------------ fit_theta
def fit_theta(m, x, y, theta0, lr, n_steps):
    return m.fit_theta(x, y, theta0=theta0, lr=lr, n_steps=n_steps)


# ------------------------------------------------------------------ build_mlp
def build_mlp(m, sizes, activation, weights=None, inputs=None):
    """The structure of build_mlp(sizes, nn.<activation>) and, given weights, its outputs on inputs."""
    net = m.build_mlp(list(sizes), getattr(nn, activation))
    if not isinstance(net, nn.Module):
        return {"type": type(net).__name__}
    # iterating a Sequential lists every position, even one activation module reused at several
    layers = list(net) if isinstance(net, nn.Sequential) else list(net.children())
    found = {"type": type(net).__name__, "is_sequential": isinstance(net, nn.Sequential),
             "modules": [type(layer).__name__ for layer in layers],
             "linear_sizes": [[layer.in_features, layer.out_features] for layer in layers if isinstance(layer, nn.Linear)],
             "n_params": int(sum(p.numel() for p in net.parameters())),
             "keys": sorted(net.state_dict().keys())}
    if weights is not None:
        if sorted(weights) != found["keys"]:
            return found
        net.load_state_dict(weights)
        with torch.no_grad():
            found["outputs"] = _tensor_or_value(net(inputs))
    return found


# ------------------------------------------------------------------ regression_step
def _pinball_loss(pred, target):
    """The 0.9-quantile loss: asymmetric, so loss_fn(pred, target) and loss_fn(target, pred) differ."""
    error = target - pred
    return torch.maximum(0.9 * error, -0.1 * error).mean()


LOSSES = {"mse": F.mse_loss, "l1": F.l1_loss, "pinball": _pinball_loss}


def regression_step(m, weights, x, y, lr, n_steps, loss):
    """n_steps calls of regression_step with a fresh Adam on a given Tanh network; losses and weights after."""
    net = nn.Sequential(nn.Linear(x.shape[1], weights["0.weight"].shape[0]), nn.Tanh(),
                        nn.Linear(weights["2.weight"].shape[1], y.shape[1]))
    net.load_state_dict(weights)
    optimizer = torch.optim.Adam(net.parameters(), lr=lr)
    losses = [_tensor_or_value(m.regression_step(net, optimizer, x, y, LOSSES[loss])) for _ in range(n_steps)]
    return {"losses": losses, "weights": _weights(net)}


# ------------------------------------------------------------------ select_taken, greedy_actions, masks
def select_taken(m, q_values, actions, grad_weights):
    """select_taken on a leaf that requires grad; the gradient of sum(weights * result) with respect to q_values."""
    q = q_values.clone().requires_grad_(True)
    taken = m.select_taken(q, actions)
    found = {"values": _tensor_or_value(taken), "requires_grad": bool(getattr(taken, "requires_grad", False))}
    if isinstance(taken, torch.Tensor) and taken.requires_grad and taken.shape == grad_weights.shape:
        (taken * grad_weights).sum().backward()
        found["grad"] = q.grad
    return found


def greedy_actions(m, q_values, requires_grad=False):
    q = q_values.clone().requires_grad_(requires_grad)
    return _tensor_or_value(m.greedy_actions(q))


def masked_max_next_values(m, next_q, terminated):
    """Called on a network-like output (a non-leaf tensor that requires grad), as in DQN."""
    leaf = next_q.clone().requires_grad_(True)
    q = leaf * 1.0
    values = m.masked_max_next_values(q, terminated)
    return {"values": _tensor_or_value(values), "requires_grad": bool(getattr(values, "requires_grad", False)),
            "input_after": q.detach()}  # compared with next_q by the grader, not here


# ------------------------------------------------------------------ huber_loss
def huber_loss(m, pred, target, delta=None):
    """The loss (delta left to its default when None) and the gradient of the loss with respect to pred."""
    p = pred.clone().requires_grad_(True)
    loss = m.huber_loss(p, target) if delta is None else m.huber_loss(p, target, delta=delta)
    found = {"loss": _tensor_or_value(loss), "requires_grad": bool(getattr(loss, "requires_grad", False))}
    if isinstance(loss, torch.Tensor) and loss.requires_grad and loss.numel() == 1:
        loss.sum().backward()
        found["grad"] = p.grad
    return found


def huber_uses_builtin(m, pred, target, delta):
    """The PyTorch operators huber_loss dispatched, by whatever route it reached them (torch.nn.functional,
    torch._C._nn, torch.ops.aten, an nn module): every ATen call of the loss and its backward is recorded."""
    from torch.utils._python_dispatch import TorchDispatchMode

    seen = set()

    class Recorder(TorchDispatchMode):
        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            seen.add(func._schema.name.split("::")[-1])
            return func(*args, **(kwargs or {}))

    p = pred.clone().requires_grad_(True)
    with Recorder():
        loss = m.huber_loss(p, target, delta=delta)
        if isinstance(loss, torch.Tensor) and loss.requires_grad and loss.numel() == 1:
            loss.backward()
    return sorted(seen)


# ------------------------------------------------------------------ end to end
def curve_network(sizes):
    """The network of the end-to-end fit, written here rather than taken from the student's build_mlp (checked on
    its own), so that a build_mlp bug costs build_mlp's checks only: Linear layers with Tanh between them."""
    layers = []
    for index, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers += [nn.Linear(n_in, n_out)] + ([nn.Tanh()] if index < len(sizes) - 2 else [])
    return nn.Sequential(*layers)


def fit_curve(m, seed, n_steps, lr, sizes, n_samples):
    """The student's huber_loss and regression_step fit y = sin(2x) + noise with curve_network; returns the weights."""
    torch.manual_seed(seed)
    net = curve_network(list(sizes))
    optimizer = torch.optim.Adam(net.parameters(), lr=lr)
    generator = torch.Generator().manual_seed(seed)
    x = torch.rand(n_samples, 1, generator=generator) * 6 - 3
    y = torch.sin(2 * x) + 0.05 * torch.randn(n_samples, 1, generator=generator)
    for _ in range(n_steps):
        m.regression_step(net, optimizer, x, y, m.huber_loss)
    return {"weights": _weights(net)}
