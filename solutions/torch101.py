"""Reference solutions of 01_torch101 (Torch 101).

Generated from source/01_torch101/01_torch101.ipynb by `python -m course build`; do not edit:
edit the notebook and regenerate. A test checks that the two agree.
"""


# --- cell setup_1 ---
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from coursekit import experiment_scale, pick_device, progress, show_check_messages

device = pick_device()
# Tiny tensors run fastest on one CPU thread; more threads only add overhead.
torch.set_num_threads(1)
EXPERIMENT_SCALE = experiment_scale()  # 1.0 = full experiments, 0.2 = quick run (env var COURSE_SCALE)
show_check_messages()  # a failed check shows its message; an exercise not written yet says so
print(f"torch {torch.__version__}, numpy {np.__version__}, device {device}, experiment scale {EXPERIMENT_SCALE}")


# --- cell fit_theta ---
def fit_theta(x: torch.Tensor, y: torch.Tensor, theta0: float = 0.0, lr: float = 0.1, n_steps: int = 100) -> float:
    """Fit the scalar theta of the model y = theta * x with Adam; return the final theta as a Python float.

    x, y: (N,) float32 tensors. Start from theta = theta0 (a float32 tensor of shape (1,) on x's
    device that requires grad), use torch.optim.Adam([theta], lr=lr) with its default settings, and take
    exactly n_steps steps on the mean squared error  mean_i (theta * x_i - y_i)^2.
    """
    theta = torch.tensor([theta0], dtype=torch.float32, device=x.device, requires_grad=True)
    optimizer = torch.optim.Adam([theta], lr=lr)
    for _ in range(n_steps):
        optimizer.zero_grad()
        loss = ((theta * x - y) ** 2).mean()
        loss.backward()
        optimizer.step()
    return theta.item()
    ### END SOLUTION


# --- cell build_mlp ---
def build_mlp(sizes: list[int], activation: type[nn.Module] = nn.ReLU) -> nn.Sequential:
    """A multilayer perceptron as an nn.Sequential.

    sizes = [n_in, h_1, ..., h_k, n_out] gives Linear(n_in, h_1), activation(), Linear(h_1, h_2),
    activation(), ..., Linear(h_k, n_out): a fresh activation module after every Linear layer
    except the last one (the output stays unbounded, as Q-values must).
    `activation` is a class such as nn.ReLU or nn.Tanh, not an instance.
    """
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(n_in, n_out))
        if i < len(sizes) - 2:
            layers.append(activation())
    return nn.Sequential(*layers)
    ### END SOLUTION


# --- cell regression_step ---
def regression_step(net: nn.Module, optimizer: torch.optim.Optimizer, x: torch.Tensor, y: torch.Tensor,
                    loss_fn) -> float:
    """One gradient step of `optimizer` on loss_fn(net(x), y); return that loss (before the step) as a float.

    x: (N, n_in), y: (N, n_out). Clear the old gradients, compute the loss, back-propagate, step.
    """
    optimizer.zero_grad()
    loss = loss_fn(net(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()
    ### END SOLUTION


# --- cell select_taken ---
def select_taken(q_values: torch.Tensor, actions: torch.Tensor) -> torch.Tensor:
    """Q(s_i, a_i) for each row: q_values (B, A) float, actions (B,) int64 -> (B,) float.

    Use `gather`; the result keeps the graph (gradients flow back to the selected entries only).
    """
    return q_values.gather(1, actions.unsqueeze(1)).squeeze(1)
    ### END SOLUTION


# --- cell greedy_actions ---
def greedy_actions(q_values: torch.Tensor) -> torch.Tensor:
    """The greedy action of each row: q_values (B, A) -> (B,) int64 tensor of argmax_a Q(s_i, a)."""
    return q_values.argmax(dim=1)
    ### END SOLUTION


# --- cell masked_max_next_values ---
def masked_max_next_values(next_q: torch.Tensor, terminated: torch.Tensor) -> torch.Tensor:
    """max_b Q(s'_i, b), replaced by 0 where s'_i is terminal: next_q (B, A), terminated (B,) bool -> (B,).

    The result is a constant for the loss: it must not carry gradients (even if next_q does),
    and next_q itself must not be modified.
    """
    with torch.no_grad():
        best = next_q.max(dim=1).values
        return torch.where(terminated, torch.zeros_like(best), best)
    ### END SOLUTION


# --- cell huber_loss ---
def huber_loss(pred: torch.Tensor, target: torch.Tensor, delta: float = 1.0) -> torch.Tensor:
    """Mean Huber loss, written by hand: a 0-dim tensor that keeps the graph.

    With e = pred - target (same shapes), each entry costs 0.5 * e^2 where |e| < delta and
    delta * (|e| - 0.5 * delta) elsewhere; return the mean over all entries.
    Do not call F.huber_loss, F.smooth_l1_loss or their nn.Module versions.
    """
    error = pred - target
    absolute = error.abs()
    quadratic = 0.5 * error**2
    linear = delta * (absolute - 0.5 * delta)
    return torch.where(absolute < delta, quadratic, linear).mean()
    ### END SOLUTION
