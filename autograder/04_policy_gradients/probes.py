"""Probes for 04_policy_gradients: harnesses that feed a module's functions the grader's inputs.

Each probe takes the module under test (the student's submission in the sandbox,
or the reference in the grader) and plain data, and returns plain data. The
same probe runs on both sides, so the hidden checks compare like with like.
The sandbox seeds every RNG before each call.
"""
import gymnasium as gym
import numpy as np
import torch

from autograder.pieces import discounted_returns, normalized_returns, surrogate_loss  # answers the grader computes (course.worker.load_probes)
from course.standins import POLICY_GRADIENT_STAND_INS, stand_ins
from course.trail import Trail
from coursekit.scripted import CountingEnv, DelayedRewardEnv


def _policy(m, weights):
    obs_dim, hidden = weights["layers.0.weight"].shape[1], weights["layers.0.weight"].shape[0]
    n_actions = weights["layers.2.weight"].shape[0]
    policy = m.PolicyNet(obs_dim, n_actions, hidden)
    policy.load_state_dict(weights)
    return policy


def _cpu_weights(net):
    return {key: value.detach().cpu().clone() for key, value in net.state_dict().items()}


def discount_rewards(m, rewards, gamma, as_array=False):
    """as_array: pass the rewards as a numpy array instead of a list."""
    return m.discount_rewards(np.array(rewards) if as_array else rewards, gamma)


def discount_and_normalize_rewards(m, all_rewards, gamma):
    """With a grader stand-in for discount_rewards, so that a bug there costs discount_rewards' checks only."""
    with stand_ins(m, discount_rewards=discounted_returns):
        got = m.discount_and_normalize_rewards(all_rewards, gamma)
    if type(got) is tuple:
        got = list(got)
    return got


def reinforce_loss(m, logits, actions, advantages):
    """The loss, the gradient it sends into the logits, and whether any gradient reached the advantages (which
    require grad here, as they would if they came out of a critic)."""
    logits = logits.clone().requires_grad_(True)
    advantages = advantages.clone().requires_grad_(True)
    loss = m.reinforce_loss(logits, actions, advantages)
    if type(loss) is not torch.Tensor:
        return {"loss": loss, "grad": None, "advantages_grad": False}
    if not loss.requires_grad or loss.numel() != 1:
        return {"loss": loss.detach(), "grad": None, "advantages_grad": False}
    loss.backward()
    return {"loss": loss.detach(), "grad": None if logits.grad is None else logits.grad.detach(),
            "advantages_grad": advantages.grad is not None and bool(advantages.grad.abs().sum() > 0)}


def train_bookkeeping(m, kind, batch_episodes, max_batches, time_limit):
    """Train on a scripted environment; return the recorded episode returns and the number of updates.

    kind: "endless" (only the time limit ends episodes), "falling" (terminates after 4 steps),
    "mixed" (terminates as soon as action 1 is taken: episodes of different lengths in one batch).
    """
    from dataclasses import replace

    def make_env():  # strict: stepping an episode that has ended is an error the student sees
        return CountingEnv(time_limit, terminate_after=4 if kind == "falling" else None,
                           terminate_on_action=1 if kind == "mixed" else None, observation_scale=0.1, strict=True)

    config = replace(m.PGConfig(), batch_episodes=batch_episodes, max_batches=max_batches, eval_every=10**9,
                     eval_episodes=2, stop_return=float("inf"))
    with stand_ins(m, **POLICY_GRADIENT_STAND_INS):  # the loop's bookkeeping alone: the pieces have checks of their own
        result = m.train_reinforce(make_env, config, seed=0)
    return {"episode_returns": [float(r) for r in result.episode_returns], "batches": int(result.batches),
            "updates": int(result.updates)}


def train_delayed(m, seed, sample_at, max_batches=25, batch_episodes=16, learning_rate=0.05):
    """Train on the delayed-reward environment, with grader-computed advantages and loss in place of the student's
    discount_and_normalize_rewards and reinforce_loss; return the final policy's weights (the grader computes
    pi(1 | first observation) from them with the reference's network, see first_action_probability) and the
    trail of the run (see watched_training)."""
    from dataclasses import replace

    config = replace(m.PGConfig(), batch_episodes=batch_episodes, max_batches=max_batches, eval_every=10**9,
                     eval_episodes=2, stop_return=float("inf"), learning_rate=learning_rate, hidden_size=16)
    correct_pieces = dict(discount_and_normalize_rewards=normalized_returns, reinforce_loss=surrogate_loss)
    with stand_ins(m, **correct_pieces):  # the loop alone: the pieces have checks of their own, and the end-to-end
        result, learning = watched_training(m, DelayedRewardEnv, config, seed, sample_at)  # check trains with them
    return {"weights": _cpu_weights(result.policy), "batches": int(result.batches), **learning}


def first_action_probability(m, weights):
    """pi(1 | first observation of the delayed-reward environment) of a policy given by its weights."""
    with torch.no_grad():
        logits = _policy(m, weights)(torch.eye(4)[:1])
    return float(torch.softmax(logits, dim=1)[0, 1])


class _RecordedEpisodes(gym.Wrapper):
    """Logs the rewards and actions of each finished episode of a training environment into `log`."""

    def __init__(self, env, log):
        super().__init__(env)
        self.log, self.rewards, self.actions = log, [], []

    def step(self, action):
        observation, reward, terminated, truncated, info = self.env.step(action)
        self.rewards.append(float(reward))
        self.actions.append(int(action))
        if terminated or truncated:
            self.log.append((self.rewards, self.actions))
            self.rewards, self.actions = [], []
        return observation, reward, terminated, truncated, info


class _ReinforceWatch:
    """Follows what train_reinforce feeds reinforce_loss between two optimizer steps, and the gradient each step
    should then use: that of the student's own reinforce_loss on the policy's logits (its correctness is
    reinforce_loss's own checks' business; here only where the step came from counts)."""

    def __init__(self, reinforce_loss, returns, episodes, sample_at):
        self.reinforce_loss, self.returns, self.episodes, self.sample_at = reinforce_loss, returns, episodes, sample_at
        self.forwards, self.expected, self.calls = [], None, []
        self.gradient_errors, self.gradient_scales, self.samples = [], [], []

    def forward_hook(self, module, inputs, output):
        if torch.is_grad_enabled() and isinstance(output, torch.Tensor) and output.requires_grad:
            self.forwards.append((module, output))

    def loss(self, logits, actions, advantages):
        loss = self.reinforce_loss(logits, actions, advantages)
        module = next((module for module, output in reversed(self.forwards) if output is logits), None)
        if module is not None and isinstance(loss, torch.Tensor) and loss.requires_grad and loss.numel() == 1:
            grads = torch.autograd.grad(loss, list(module.parameters()), retain_graph=True, allow_unused=True)
            grads = [torch.zeros_like(p) if g is None else g for g, p in zip(grads, module.parameters())]
            self.expected = grads if self.expected is None else [a + b for a, b in zip(self.expected, grads)]
        self.calls.append((torch.as_tensor(actions).detach().cpu().clone(), torch.as_tensor(advantages).detach().cpu().clone()))
        return loss

    def before_step(self, index, optimizer):
        parameters = [p for group in optimizer.param_groups for p in group["params"]]
        if self.expected is None or len(self.expected) != len(parameters):
            self.gradient_errors.append(float("inf"))
            self.gradient_scales.append(0.0)
        else:
            self.gradient_errors.append(max(float((-e if p.grad is None else p.grad.detach() - e).abs().max())
                                            for p, e in zip(parameters, self.expected)))
            self.gradient_scales.append(max(float(e.abs().max()) for e in self.expected))
        if index in self.sample_at:
            rewards = [list(r) for r, _ in self.episodes]
            own = self.returns(rewards) if rewards else []
            self.samples.append({"step": index, "actions": [a.numpy().astype(np.int64) for a, _ in self.calls],
                                 "advantages": [v.numpy().astype(np.float32) for _, v in self.calls],
                                 "own_advantages": [np.asarray(v, dtype=np.float64).reshape(-1) for v in own],
                                 "episode_actions": [np.array(a, dtype=np.int64) for _, a in self.episodes]})
        self.forwards, self.expected, self.calls = [], None, []
        self.episodes.clear()


def watched_training(m, make_env, config, seed, sample_at):
    """Run train_reinforce while watching it learn: the trail of the optimizer's steps (course.trail) and, per
    step, how far its gradient was from the gradient of the loss reinforce_loss returned (and that gradient's
    size); the steps numbered in sample_at keep what reached reinforce_loss, the actions of the batch's episodes
    and what the student's discount_and_normalize_rewards makes of their rewards. Returns (result, learning)."""
    episodes, made = [], []

    def recorded_env():
        made.append(None)  # the first config.batch_episodes environments train; later ones evaluate
        env = make_env()
        return _RecordedEpisodes(env, episodes) if len(made) <= config.batch_episodes else env

    watch = _ReinforceWatch(m.reinforce_loss, lambda rewards: m.discount_and_normalize_rewards(rewards, config.gamma),
                            episodes, sample_at)
    trail = Trail()
    hook = torch.nn.modules.module.register_module_forward_hook(watch.forward_hook)
    try:
        with stand_ins(m, reinforce_loss=watch.loss), trail.optimizer_steps(before=watch.before_step):
            result = m.train_reinforce(recorded_env, config, seed=seed)
    finally:
        hook.remove()
    summary = trail.summary(result.policy.parameters())
    summary["samples"] = watch.samples
    return result, {"trail": summary, "gradient_errors": np.array(watch.gradient_errors, dtype=np.float64),
                    "gradient_scales": np.array(watch.gradient_scales, dtype=np.float64)}


def train_cartpole(m, seed, max_batches, sample_at):
    """Train on CartPole-v1 with the notebook's defaults and a budget of batches; return the kept policy and the
    trail of the run (see watched_training)."""
    from dataclasses import replace

    config = replace(m.PGConfig(), max_batches=max_batches)
    result, learning = watched_training(m, lambda: gym.make("CartPole-v1"), config, seed, sample_at)
    return {"weights": _cpu_weights(result.policy), "episode_returns": [float(r) for r in result.episode_returns],
            "eval_episodes": [int(e) for e in result.eval_episodes], "eval_returns": [float(r) for r in result.eval_returns],
            "batches": int(result.batches), **learning}


def evaluate(m, weights, n_episodes, seed):
    return m.evaluate_policy(_policy(m, weights), lambda: gym.make("CartPole-v1"), n_episodes, seed)


def record_policy(m, weights, path, seed=3):
    """Render one greedy episode of a policy (run by the grader on the reference's classes)."""
    from coursekit import record_video

    policy = _policy(m, weights)
    return record_video(lambda observation: int(m.greedy_actions(policy, observation[None])[0]), "CartPole-v1", path,
                        seed=seed)
