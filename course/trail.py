"""The learning trail: evidence that a trained network came out of the student's own learning steps.

An end-to-end check that judges only the artefact a training run returns (weights, a Q-table) gives
points to a run that writes a hand-made controller into the network and never learns. While the
probes train, a ``Trail`` watches the learner's parameters across every learning step (a call of the
student's ``update``, or an optimizer step) and the grader then asks:

- did the steps happen, as many as the loop's schedule says (``steps``)?
- did the parameters change only inside those steps (``changed_between``: changes between two steps)?
- did the run start from the network the given code builds (``first_digest``) and is the network it
  kept one that a step produced (``kept_step``)?
- was every step an optimizer step of the configured size (``largest_change`` and ``median_change``,
  per step: the largest and the mean absolute parameter change)?
- do sampled steps (``samples``, at step indices the grader picks) give the same weights when the grader takes
  them again outside the training run (a step that behaves differently inside train is not a learning step)?

Digests are BLAKE2 hashes of the parameters' float32 bytes, so two networks match only when every
weight is identical.
"""
from __future__ import annotations

import contextlib
import hashlib

import numpy as np
import torch
from torch.optim.optimizer import register_optimizer_step_post_hook, register_optimizer_step_pre_hook


def flat_parameters(parameters) -> torch.Tensor:
    """All parameters as one float32 CPU vector (a copy)."""
    return torch.cat([p.detach().reshape(-1).to("cpu", torch.float32) for p in parameters])


def digest(flat: torch.Tensor) -> str:
    return hashlib.blake2b(flat.numpy().tobytes(), digest_size=16).hexdigest()


def cpu_state(module: torch.nn.Module) -> dict:
    """A module's state dict as CPU tensors (copies)."""
    return {key: value.detach().to("cpu").clone() for key, value in module.state_dict().items()}


def adam_moments(optimizer: torch.optim.Optimizer) -> dict:
    """An Adam optimizer's state as plain data: step count and per-parameter moments (in parameter order), lr."""
    parameters = [p for group in optimizer.param_groups for p in group["params"]]
    states = [optimizer.state.get(p, {}) for p in parameters]
    started = all("step" in state for state in states) and bool(states)
    return {"type": type(optimizer).__name__, "lr": float(optimizer.param_groups[0]["lr"]),
            "step": float(states[0]["step"]) if started else 0.0,
            "exp_avg": [state["exp_avg"].detach().cpu().clone() for state in states] if started else [],
            "exp_avg_sq": [state["exp_avg_sq"].detach().cpu().clone() for state in states] if started else []}


def replay_step(update, online: torch.nn.Module, target: torch.nn.Module, batch, config, sample: dict) -> None:
    """Take a recorded update(q_net, target_net, optimizer, batch, config) call again (see Trail.watch_update):
    online and target hold the recorded weights; the recorded gradients and Adam moments are put back first."""
    optimizer = torch.optim.Adam(online.parameters(), lr=config.learning_rate)
    moments = sample["optimizer"]
    for parameter, exp_avg, exp_avg_sq in zip(online.parameters(), moments["exp_avg"], moments["exp_avg_sq"]):
        optimizer.state[parameter] = {"step": torch.tensor(float(moments["step"])), "exp_avg": exp_avg.clone(),
                                      "exp_avg_sq": exp_avg_sq.clone()}
    for parameter, grad in zip(online.parameters(), sample["grads"]):
        parameter.grad = None if grad is None else grad.to(parameter.device).clone()
    update(online, target, optimizer, batch, config)


class Trail:
    """Watches one network's parameters across the learning steps of a run (see the module docstring)."""

    def __init__(self):
        self.steps = 0
        self.changed_between = 0
        self.first_digest = None
        self.digests = {}  # digest of the parameters after a step -> that step's index
        self.largest_change, self.mean_change = [], []
        self.samples = []
        self._last = None

    def before_step(self, parameters) -> torch.Tensor:
        flat = flat_parameters(parameters)
        if self._last is None:
            self.first_digest = digest(flat)
        elif flat.shape != self._last.shape or not torch.equal(flat, self._last):
            self.changed_between += 1
        return flat

    def after_step(self, before: torch.Tensor, parameters) -> None:
        flat = flat_parameters(parameters)
        change = (flat - before).abs() if flat.shape == before.shape else torch.full((1,), float("inf"))
        self.largest_change.append(float(change.max()))
        self.mean_change.append(float(change.mean()))
        self.digests[digest(flat)] = self.steps
        self.steps += 1
        self._last = flat

    def summary(self, kept_parameters) -> dict:
        """Plain data for the grader; kept_parameters are those of the network the run returned."""
        kept = digest(flat_parameters(kept_parameters))
        kept_step = self.digests.get(kept, -1 if kept == self.first_digest else None)
        return {"steps": self.steps, "changed_between": self.changed_between, "first_digest": self.first_digest,
                "kept_step": kept_step, "largest_change": np.array(self.largest_change, dtype=np.float64),
                "mean_change": np.array(self.mean_change, dtype=np.float64), "samples": self.samples}

    @contextlib.contextmanager
    def optimizer_steps(self, before=None):
        """Count every optimizer.step() in the block as a learning step of that optimizer's parameters;
        before(step_index, optimizer) runs first, e.g. to look at the gradients the step will use."""
        pending = []

        def parameters(optimizer):
            return [p for group in optimizer.param_groups for p in group["params"]]

        def pre_hook(optimizer, args, kwargs):
            if before is not None:
                before(self.steps, optimizer)
            pending.append(self.before_step(parameters(optimizer)))

        def post_hook(optimizer, args, kwargs):
            self.after_step(pending.pop(), parameters(optimizer))

        handles = [register_optimizer_step_pre_hook(pre_hook),
                   register_optimizer_step_post_hook(post_hook)]
        try:
            yield self
        finally:
            for handle in handles:
                handle.remove()

    def watch_update(self, update, sample_at=()):
        """Wrap a DQN-style update(q_net, target_net, optimizer, batch, config) -> loss so that each call is a step;
        the calls whose index is in sample_at keep their inputs and outputs, for the grader to replay them."""
        def watched(q_net, target_net, optimizer, batch, config):
            index = self.steps
            sample = None
            if index in sample_at:
                sample = {"step": index, "online": cpu_state(q_net), "target": cpu_state(target_net),
                          "optimizer": adam_moments(optimizer),
                          "grads": [None if p.grad is None else p.grad.detach().cpu().clone() for p in q_net.parameters()],
                          "batch": {key: value.detach().cpu().clone() for key, value in batch._asdict().items()}}
            before = self.before_step(q_net.parameters())
            loss = update(q_net, target_net, optimizer, batch, config)
            self.after_step(before, q_net.parameters())
            if sample is not None:
                sample.update(after=cpu_state(q_net), loss=loss if type(loss) is float else None)
                self.samples.append(sample)
            return loss
        return watched


def scheduled_steps(steps: int, first: int, every: int) -> int:
    """How many learning steps a loop makes in `steps` environment steps when it learns at every `every`-th step
    from step `first` on (steps are numbered from 1)."""
    return max(0, steps // every - (first - 1) // every)


def trail_problem(summary, *, expected_steps: int, learning_rate: float, fresh_digest: str, step_name: str,
                  net_name: str = "network") -> str | None:
    """What is wrong with a run's trail (see Trail.summary), as one sentence for the student, or None.

    expected_steps is the number of learning steps the loop's schedule asks for; learning_rate the Adam step size
    the run was configured with. A step counts as an optimizer step when no weight moved more than 20 x lr (Adam
    moves a weight about lr per step: at most 5.7 x lr on the reference's CartPole runs, after bias correction) and
    the median step moved the weights by at least 0.005 x lr on average (0.065 x lr on the reference's runs)."""
    if type(summary) is not dict or type(summary.get("steps")) is not int or type(summary.get("changed_between")) is not int:
        return "the training run's record of its learning steps could not be read"
    steps = summary["steps"]
    if steps < 0.95 * expected_steps - 2 or steps > 1.05 * expected_steps + 2:
        return (f"the training loop ran `{step_name}` {steps} times where its schedule asks for about {expected_steps}: "
                f"the {net_name} must learn through `{step_name}`, once per scheduled step")
    if summary["changed_between"]:
        return (f"the {net_name}'s weights changed outside `{step_name}` ({summary['changed_between']} times between two "
                f"calls): only `{step_name}` may change them")
    if summary.get("first_digest") != fresh_digest:
        return f"training did not start from the {net_name} the given code builds: leave its construction as it is"
    if summary.get("kept_step") is None:
        return f"the {net_name} the run returned is not one that `{step_name}` produced: return the trained {net_name}"
    largest, mean = summary.get("largest_change"), summary.get("mean_change")
    if not (isinstance(largest, np.ndarray) and isinstance(mean, np.ndarray) and largest.shape == mean.shape == (steps,)):
        return "the training run's record of its learning steps could not be read"
    if steps and (not np.all(largest <= 20 * learning_rate) or not np.median(mean) >= 0.005 * learning_rate):
        return (f"the steps `{step_name}` took are not optimizer steps of size learning_rate = {learning_rate:g} "
                f"(largest weight change {largest.max():.3g}, median mean change {np.median(mean):.3g})")
    return None
