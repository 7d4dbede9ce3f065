"""Check helpers shared by the replay-based notebooks (05 DQN, 06 SAIL), written once: grader-side, beside the
probe harnesses of course.replayprobes. A notebook's autograder/<assignment>/checks.py passes its own probes and
names (``probes.update`` / ``"update"``, ``probes.update_sail`` / ``"update_sail"``).
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import torch

from course.checking import CheckFailed, best_of_seeds, expect_array, expect_close, expect_trail, expect_weights, save_agent
from course.trail import digest, flat_parameters, scheduled_steps


def random_weights(reference, seed: int, n_actions: int = 2, hidden: int = 32, dueling: bool = False) -> dict:
    """Random network weights (4 inputs), made by the reference's own classes."""
    torch.manual_seed(seed)
    net_class = reference.module.DuelingQNet if dueling else reference.module.QNet
    return {key: value.clone() for key, value in net_class(4, n_actions, hidden).state_dict().items()}


def random_batch(seed: int, size: int = 64, terminal_share: float = 0.2, reward_scale: float = 1.0,
                 return_scale: float | None = None) -> dict:
    """A batch of random transitions of a 4-dimensional, 2-action task (states: (size, 4) float32, actions: (size,)
    int64, rewards, terminated: (size,) float32); with return_scale, also SAIL's observed returns (size,)."""
    generator = torch.Generator().manual_seed(seed)
    batch = {"states": torch.randn(size, 4, generator=generator),
             "actions": torch.randint(0, 2, (size,), generator=generator),
             "rewards": reward_scale * torch.randn(size, generator=generator),
             "next_states": torch.randn(size, 4, generator=generator),
             "terminated": (torch.rand(size, generator=generator) < terminal_share).float()}
    if return_scale is not None:
        batch["returns"] = return_scale * torch.randn(size, generator=generator)
    return batch


def expect_float_losses(got, step_name: str) -> list:
    """The losses a repeated_updates probe returned: one Python float per call."""
    if type(got) is not dict:
        raise CheckFailed(f"{step_name} could not be run (got {got!r})")
    losses = got["losses"]
    if type(losses) is not list or not all(type(loss) is float for loss in losses):
        raise CheckFailed(f"{step_name} must return the loss as a Python float (loss.item())")
    return losses


def expect_same_steps(got: dict, expected: dict, start_target: dict, step_name: str, n_steps: int) -> None:
    """After n_steps calls of step_name, the online network has the reference's weights and the target network is
    still start_target."""
    online = expect_weights(got["online"], expected["online"], f"the online network after {step_name}")
    for key, value in online.items():
        expect_close(value, expected["online"][key].numpy().astype(np.float64),
                     f"the online parameter {key} after {n_steps} steps (zero_grad, backward, clip the gradient norm "
                     "to config.grad_clip, step)", atol=1e-5)
    target = expect_weights(got["target"], expected["target"], "the target network")
    if any(not np.array_equal(target[key], start_target[key].numpy()) for key in target):
        raise CheckFailed(f"{step_name} changed the target network: only the online network may be trained")


def expect_falling_episodes_stored(got: dict) -> None:
    """What a DQN-style loop stored from 40 steps of the scripted CountingEnv that terminates every 4th step
    (scheduled_run with falling=True): terminated = 1 on exactly those transitions, and one undiscounted return
    of 4 (rewards 1, 2, 0, 1) per finished episode."""
    terminated = expect_array(got["terminated"], "the stored terminated flags", (40,), kind="ndarray")
    if not np.array_equal(terminated, np.tile([0, 0, 0, 1], 10)):
        raise CheckFailed("every 4th step of this environment terminates: those transitions must be stored with "
                          "terminated = 1, the others with 0")
    if got["episode_returns"] != [4.0] * 10:
        raise CheckFailed("result.episode_returns should hold the undiscounted return of each finished episode")


def expect_learning_schedule(got: dict, expected: dict, update_name: str) -> None:
    """A DQN-style loop (run on a scripted environment with learning_starts = 16, train_every = 2 and
    target_update_every = 5) called update_name and soft_update at the environment steps the reference did."""
    rules = (("update_steps", update_name, "from step config.learning_starts on, every config.train_every-th step, "
                                           "once the replay buffer can give a batch"),
             ("target_steps", "soft_update", "every config.target_update_every-th step"))
    for key, name, rule in rules:
        steps = got.get(key) if type(got) is dict else None
        if type(steps) is not list or steps != expected[key]:
            raise CheckFailed(f"with learning_starts = 16, train_every = 2 and target_update_every = 5, `{name}` was "
                              f"called at environment steps {_first_few(steps)}, expected {_first_few(expected[key])}: "
                              f"call it {rule}")


def _first_few(steps, shown: int = 8) -> str:
    if type(steps) is not list:
        return repr(steps)
    return str(steps[:shown])[:-1] + (", ...]" if len(steps) > shown else "]")


def expect_replay_learning(student, reference, got: dict, fresh: dict, config_overrides: dict, step_name: str) -> None:
    """A DQN-style run (notebooks 5 and 6) learned through the student's own `step_name` calls, from the network its
    given code builds (`fresh`, a state dict), with a replay buffer's batches: see course.trail and expect_trail.
    got: what the train_cartpole probe returned (its "steps" and "trail"). Sampled calls are replayed by the
    replay_update probe on the student's own function, outside train: a step must be the same there as in
    training (whether it is right is for that function's own checks)."""
    config = replace(reference.module.DQNConfig(), **config_overrides)
    steps = got.get("steps")
    if type(steps) is not int or not 0 <= steps <= config.total_steps:
        raise CheckFailed(f"the training result's `steps` must be the number of environment steps taken, got {steps!r}")
    size = config.batch_size
    batch_shapes = {key: (size, 4) if key.endswith("states") else (size,) for key in reference.module.Batch._fields}
    expect_trail(got.get("trail"), fresh, lambda sample: student.call(student.probes.replay_update, sample=sample, config=config_overrides),
                 batch_shapes, expected_steps=scheduled_steps(steps, max(config.learning_starts, size), config.train_every),
                 learning_rate=config.learning_rate, fresh_digest=digest(flat_parameters(fresh.values())),
                 step_name=step_name, net_name="Q-network")


def expect_solves_cartpole(student, reference, artifacts, train_probe, step_name: str, *, config: dict,
                           seeds: tuple, threshold: float, retry_from: float, trail_samples: tuple) -> None:
    """End to end: the student's train (run by train_probe, see course.replayprobes.train_cartpole, with the
    notebook's defaults changed by config) reaches a greedy mean return of at least threshold over 20 CartPole-v1
    episodes, evaluated by the grader with the reference's eval_dqn, on the first of seeds or a later one (tried only
    after a score of retry_from); the best agent is kept for the feedback (curve and video), and its run must have
    learned through its own step_name calls."""
    hidden = reference.module.DQNConfig().hidden_size
    template = random_weights(reference, 0, hidden=hidden)

    def run(seed):
        got = student.call(train_probe, seed=seed, config=config, sample_at=trail_samples, cpu_seconds=300)
        if type(got) is not dict:
            raise CheckFailed(f"the training run returned {got!r}")
        policy = {key: torch.from_numpy(value.astype(np.float32))
                  for key, value in expect_weights(got["weights"], template, "the trained network").items()}
        returns = reference.call(reference.probes.eval_dqn, weights=policy, n_episodes=20, seed=777_000,
                                 max_episode_steps=500)
        return float(np.mean(returns)), policy, got

    score, seed, policy, got = best_of_seeds(seeds, threshold, run, retry_from=retry_from)
    curve = {key: got.get(key) for key in ("episode_returns", "eval_steps", "eval_returns")}
    save_agent(artifacts, reference, policy, {**curve, "seed": seed, "greedy_return": score, "steps": got.get("steps")})
    expect_replay_learning(student, reference, got, random_weights(reference, seed, hidden=hidden),
                           config, step_name=step_name)
    if score < retry_from:
        raise CheckFailed(f"the trained agent's greedy mean return was {score:.0f} on seed {seed}, below "
                          f"{threshold:.0f} (and below {retry_from:.0f}, so no second seed was tried)")
    if score < threshold:
        raise CheckFailed(f"the trained agent's greedy mean return was {score:.0f} (best of {len(seeds)} seeds), "
                          f"below {threshold:.0f}")
