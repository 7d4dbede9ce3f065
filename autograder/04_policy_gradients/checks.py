"""Hidden checks of 04_policy_gradients (REINFORCE). Not part of the student release.

Every check feeds the student's function and the reference the same inputs through
the probes in probes.py, validates what came back (exact type,
shape, dtype, finite) and compares. The training loop samples actions, so it is
checked through scripted environments (exact bookkeeping), a seeded learning test
and an end-to-end run, each with its false-failure rate stated in its docstring.

Run by `course grade`; by hand: pytest autograder/04_policy_gradients/checks.py -p course.checking --submission NB
"""

import numpy as np
import pytest
import torch

from course.checking import (CheckFailed, best_of_seeds, expect_array, expect_close, expect_weights, probes_beside,
                             save_agent)
from course.trail import digest, flat_parameters, trail_problem

probes = probes_beside(__file__)  # the probes of this assignment, called on both sides

points = pytest.mark.points
exercise = pytest.mark.exercise

FLOATS = ("float64", "float32")


# ------------------------------------------------------------------ discount_rewards
def _discounted(student, reference, rewards, gamma, as_array=False):
    kwargs = dict(rewards=rewards, gamma=gamma, as_array=as_array)
    got = expect_array(student.call(probes.discount_rewards, **kwargs), "discount_rewards's result", (len(rewards),),
                       kind="ndarray", dtypes=FLOATS)
    return got, reference.call(probes.discount_rewards, **kwargs)


@points(2)
@exercise("discount_rewards")
def test_discount_rewards_matches_reference(student, reference):
    """discount_rewards matches the reference on float rewards, for several discount factors and lengths."""
    rng = np.random.default_rng(0)
    for length, gamma in ((12, 0.9), (30, 0.99), (5, 0.0), (7, 1.0), (1, 0.5)):
        rewards = [float(r) for r in rng.normal(size=length).round(3)]
        got, expected = _discounted(student, reference, rewards, gamma)
        expect_close(got, expected, f"the discounted returns (gamma = {gamma}, {length} rewards)")


@points(1)
@exercise("discount_rewards")
def test_discount_rewards_integer_rewards(student, reference):
    """discount_rewards works on integer rewards and on numpy arrays without rounding the returns."""
    for as_array in (False, True):
        got, expected = _discounted(student, reference, [1, 0, 2, 0, 0, 5], 0.9, as_array=as_array)
        expect_close(got, expected, "the discounted returns of integer rewards (gamma = 0.9)"
                     + (" given as a numpy array" if as_array else ""))


# ------------------------------------------------------------------ discount_and_normalize_rewards
def _normalized(student, reference, all_rewards, gamma):
    got = student.call(probes.discount_and_normalize_rewards, all_rewards=all_rewards, gamma=gamma)
    if type(got) is not list or len(got) != len(all_rewards):
        raise CheckFailed(f"discount_and_normalize_rewards must return a list with one array per episode "
                          f"({len(all_rewards)} here)")
    expected = reference.call(probes.discount_and_normalize_rewards, all_rewards=all_rewards, gamma=gamma)
    for i, (episode, want) in enumerate(zip(got, expected)):
        array = expect_array(episode, f"the normalised returns of episode {i}", (len(all_rewards[i]),), kind="ndarray",
                             dtypes=FLOATS)
        expect_close(array, want, f"the normalised returns of episode {i} (gamma = {gamma})")


@points(2)
@exercise("discount_and_normalize_rewards")
def test_discount_and_normalize_matches_reference(student, reference):
    """discount_and_normalize_rewards matches the reference: one mean and one standard deviation over the whole batch."""
    rng = np.random.default_rng(1)
    batch = [[float(r) for r in rng.normal(size=n).round(3)] for n in (5, 17, 1, 9)]
    _normalized(student, reference, batch, 0.95)
    _normalized(student, reference, [[1.0] * 20, [1.0] * 3, [1.0] * 11], 0.99)  # CartPole-like rewards


@points(1)
@exercise("discount_and_normalize_rewards")
def test_discount_and_normalize_equal_returns(student, reference):
    """discount_and_normalize_rewards gives zeros, not NaN, when every return of the batch is the same."""
    got = student.call(probes.discount_and_normalize_rewards, all_rewards=[[2.0], [2.0], [2.0]], gamma=0.9)
    if type(got) is list and len(got) == 3 and all(type(a) is np.ndarray for a in got):
        if not all(np.all(np.isfinite(a)) for a in got):
            raise CheckFailed("a batch whose returns are all equal has standard deviation 0: divide by (std + 1e-8) "
                              "so that the result is 0, not NaN")
    _normalized(student, reference, [[2.0], [2.0], [2.0]], 0.9)


# ------------------------------------------------------------------ reinforce_loss
def _loss_inputs(seed, size, n_actions):
    generator = torch.Generator().manual_seed(seed)
    return dict(logits=torch.randn(size, n_actions, generator=generator) * 2,
                actions=torch.randint(0, n_actions, (size,), generator=generator),
                advantages=torch.randn(size, generator=generator))


def _loss(student, reference, **kwargs):
    got = student.call(probes.reinforce_loss, **kwargs)
    if type(got) is not dict:
        raise CheckFailed(f"reinforce_loss could not be run (got {got!r})")
    loss = got["loss"]
    if type(loss) is not torch.Tensor:
        raise CheckFailed(f"reinforce_loss must return a torch.Tensor, got {type(loss).__name__}")
    if loss.numel() != 1 or loss.dim() != 0:
        raise CheckFailed(f"reinforce_loss must return a scalar (shape ()), got shape {tuple(loss.shape)}: "
                          "take the mean over the batch")
    expected = reference.call(probes.reinforce_loss, **kwargs)
    return got, expected


@points(2)
@exercise("reinforce_loss")
def test_reinforce_loss_value(student, reference):
    """reinforce_loss matches the reference's value, for 2 and 4 actions."""
    for seed, size, n_actions in ((0, 64, 2), (1, 33, 4)):
        got, expected = _loss(student, reference, **_loss_inputs(seed, size, n_actions))
        value = expect_array(got["loss"], "the loss", (), dtypes=("float32",))
        expect_close(value, expected["loss"].numpy().astype(np.float64), f"the loss ({n_actions} actions)")


@points(2)
@exercise("reinforce_loss")
def test_reinforce_loss_gradient(student, reference):
    """reinforce_loss sends the reference's gradient into the logits (and none through the advantages)."""
    for seed, size, n_actions in ((2, 50, 2), (3, 20, 3)):
        got, expected = _loss(student, reference, **_loss_inputs(seed, size, n_actions))
        if got["grad"] is None:
            raise CheckFailed("no gradient reached the logits: build the loss from the logits with torch operations "
                              "(no .item(), .numpy() or torch.no_grad())")
        if got.get("advantages_grad") is not False:
            raise CheckFailed("a gradient flows into the advantages: treat them as constants (advantages.detach())")
        grad = expect_array(got["grad"], "the gradient of the loss with respect to the logits", (size, n_actions))
        expect_close(grad, expected["grad"].numpy().astype(np.float64), f"the gradient with respect to the logits "
                     f"({n_actions} actions)", atol=1e-6)


# ------------------------------------------------------------------ train_reinforce
def _bookkeeping(student, kind, batch_episodes, max_batches, time_limit):
    got = student.call(probes.train_bookkeeping, kind=kind, batch_episodes=batch_episodes, max_batches=max_batches,
                       time_limit=time_limit, cpu_seconds=100)
    if type(got) is not dict:
        raise CheckFailed(f"train_reinforce could not be run on a test environment (got {got!r})")
    returns = got["episode_returns"]
    n = batch_episodes * max_batches
    if len(returns) != n:
        raise CheckFailed(f"{max_batches} batches of {batch_episodes} episodes should record {n} episode returns in "
                          f"`batch_returns`, got {len(returns)}")
    if got["updates"] != max_batches:
        raise CheckFailed(f"{max_batches} batches should take {max_batches} optimizer steps (one per batch), "
                          f"Adam counted {got['updates']}")
    return returns


@points(2)
@exercise("train_reinforce")
def test_train_episodes_end_on_truncation_and_termination(student):
    """train_reinforce plays whole episodes, ended by a time limit or by termination, one update per batch."""
    returns = _bookkeeping(student, "endless", batch_episodes=4, max_batches=3, time_limit=7)
    if returns != [7.0] * 12:  # rewards 1, 2, 0, 1, 2, 0, 1 then truncation
        raise CheckFailed("on an environment whose episodes are truncated after 7 steps, every episode return should "
                          "be the sum of its 7 rewards: does an episode end when `truncated` is True?")
    returns = _bookkeeping(student, "falling", batch_episodes=3, max_batches=2, time_limit=100)
    if returns != [4.0] * 6:  # rewards 1, 2, 0, 1 then termination
        raise CheckFailed("on an environment that terminates after 4 steps, every episode return should be the sum "
                          "of its 4 rewards (undiscounted)")


@points(1)
@exercise("train_reinforce")
def test_train_episodes_of_different_lengths(student):
    """train_reinforce handles a batch whose episodes end at different steps (never steps a finished one)."""
    returns = _bookkeeping(student, "mixed", batch_episodes=6, max_batches=3, time_limit=9)
    valid = set(np.cumsum([1.0, 2.0, 0.0] * 3).tolist())  # the return of an episode of 1..9 steps
    if not set(returns) <= valid:
        raise CheckFailed("some recorded episode returns are impossible on a test environment whose episodes end at "
                          "different steps: is each return the sum of the rewards of its own episode?")
    if len(set(returns)) == 1:
        raise CheckFailed("on a test environment whose episode lengths depend on the random actions, all 18 episodes "
                          "had the same return: are actions sampled from the policy, one per environment?")


TRAIL_SAMPLES = (0, 10)  # optimizer steps whose advantages and actions the grader checks against their episodes


def expect_reinforce_learning(reference, got: dict, seed: int, hidden: int, learning_rate: float, batches: int) -> None:
    """The run's policy learned through one optimizer step per batch, from the policy the given code builds, each
    step with the gradient of the loss the student's reinforce_loss returned on the policy's logits; in sampled
    steps reinforce_loss got the actions the batch's episodes took and the advantages the student's own
    discount_and_normalize_rewards gives for their rewards (course.trail). The pieces' correctness is for their
    own checks: this only asks where the learning came from."""
    torch.manual_seed(seed)
    fresh = reference.module.PolicyNet(4, 2, hidden)
    trail = got.get("trail")
    problem = trail_problem(trail, expected_steps=batches, learning_rate=learning_rate,
                            fresh_digest=digest(flat_parameters(fresh.parameters())), step_name="optimizer.step()",
                            net_name="policy")
    if problem:
        raise CheckFailed(problem)
    errors, scales = got.get("gradient_errors"), got.get("gradient_scales")
    if not all(isinstance(a, np.ndarray) and a.shape == (trail["steps"],) for a in (errors, scales)):
        raise CheckFailed("the training run's record of its learning steps could not be read")
    wrong = ~(errors <= 1e-3 * scales + 1e-6)
    if wrong.any():
        raise CheckFailed(f"optimizer step {int(np.argmax(wrong))} did not use the gradient of the loss reinforce_loss "
                          "returned for the policy's logits (call optimizer.zero_grad(), then loss.backward() on "
                          "reinforce_loss's result, once per batch)")
    samples = trail.get("samples")
    if type(samples) is not list or not samples:
        raise CheckFailed("the training run's record of its learning steps could not be read")
    for sample in samples:
        parts = [sample.get(key) if type(sample) is dict else None
                 for key in ("advantages", "actions", "own_advantages", "episode_actions")]
        if not all(type(part) is list and part and all(isinstance(a, np.ndarray) and a.ndim == 1 for a in part)
                   for part in parts):
            raise CheckFailed("the training run's record of its learning steps could not be read")
        advantages, actions, own_advantages, episode_actions = (np.concatenate(part) for part in parts)
        if np.sort(actions).tolist() != np.sort(episode_actions).tolist():
            raise CheckFailed(f"at optimizer step {sample['step']}, the actions reinforce_loss received are not the "
                              "actions the batch's episodes took")
        if advantages.shape != own_advantages.shape or not np.allclose(np.sort(advantages), np.sort(own_advantages),
                                                                       atol=1e-4):
            raise CheckFailed(f"at optimizer step {sample['step']}, the advantages reinforce_loss received are not what "
                              "discount_and_normalize_rewards gives for the rewards of the batch's episodes")


DELAYED_SEEDS = (0, 1)
DELAYED_THRESHOLD = 0.9


@points(2)
@exercise("train_reinforce")
def test_train_learns_delayed_reward(student, reference):
    """train_reinforce learns which first action earns a reward paid one step later: after 25 batches of 16
    two-step episodes, pi(first action = 1) > 0.9, on both of two seeds.

    The loop runs with grader-computed advantages and loss in place of discount_and_normalize_rewards and
    reinforce_loss (their bugs cost their own checks): what counts here is that each episode's rewards, states and
    actions reach them together and in order. Measured on the reference: pi >= 0.993 on 30 of 30 seeds
    (false-failure rate below 1/30 per seed; no failure observed); rewards of all episodes discounted as one
    sequence, or advantages out of line with their states, leave it to chance.
    """
    for seed in DELAYED_SEEDS:
        got = student.call(probes.train_delayed, seed=seed, sample_at=TRAIL_SAMPLES, cpu_seconds=100)
        if type(got) is not dict:
            raise CheckFailed(f"train_reinforce could not be run on a test environment (got {got!r})")
        expect_reinforce_learning(reference, got, seed, hidden=16, learning_rate=0.05, batches=25)
        template = dict(reference.module.PolicyNet(4, 2, 16).state_dict())
        policy = {key: torch.from_numpy(value.astype(np.float32))
                  for key, value in expect_weights(got["weights"], template, "the trained policy").items()}
        p_first = reference.call(probes.first_action_probability, weights=policy)  # computed here, not in the sandbox
        if not p_first >= DELAYED_THRESHOLD:
            raise CheckFailed(f"on a two-step test environment where only the first action decides the reward (paid at "
                              f"the second step), the trained policy picks the rewarded first action with probability "
                              f"{p_first:.2f}, below {DELAYED_THRESHOLD} (with the grader's own advantages and loss): check "
                              f"that each episode's rewards are passed as one list per episode, and that states, "
                              f"actions and advantages are concatenated in the same order")


E2E_BATCHES = 50
E2E_SEEDS = (0, 1)
E2E_THRESHOLD = 475.0


@points(5)
@exercise("train_reinforce")
@pytest.mark.end_to_end
def test_train_solves_cartpole(student, reference, artifacts):
    """End to end: the student's pieces train CartPole-v1 to a greedy mean return of at least 475 over 20 episodes
    (evaluated by the grader on the returned weights) within 50 batches of 8 episodes (400 episodes), on the
    first seed or, failing that, the second.

    Measured on the reference over 20 seeds: every seed reaches a greedy mean of 500 (training's own evaluation)
    within 44 batches; on the grader's 20 evaluation episodes 19 of 20 score >= 475 (one 472). A correct solution
    thus fails both seeds with probability about 0.25% (5% squared, if seeds fail independently).
    """
    template = dict(reference.module.PolicyNet(4, 2, reference.module.PGConfig().hidden_size).state_dict())

    def run(seed):
        got = student.call(probes.train_cartpole, seed=seed, max_batches=E2E_BATCHES, sample_at=TRAIL_SAMPLES, cpu_seconds=200)
        if type(got) is not dict:
            raise CheckFailed(f"train_reinforce returned {got!r}")
        policy = {key: torch.from_numpy(value.astype(np.float32))
                  for key, value in expect_weights(got["weights"], template, "the trained policy").items()}
        return float(np.mean(reference.call(probes.evaluate, weights=policy, n_episodes=20, seed=777_000))), policy, got

    score, seed, policy, got = best_of_seeds(E2E_SEEDS, E2E_THRESHOLD, run)
    save_agent(artifacts, reference, policy, {"episode_returns": got.get("episode_returns"),
                                              "eval_steps": got.get("eval_episodes"), "eval_axis": "training episode",
                                              "eval_returns": got.get("eval_returns"),
                                              "seed": seed, "greedy_return": score, "batches": got.get("batches")})
    batches = got.get("batches")
    if type(batches) is not int or not 1 <= batches <= E2E_BATCHES:
        raise CheckFailed(f"the training result's `batches` must count the batches played, got {batches!r}")
    config = reference.module.PGConfig()
    expect_reinforce_learning(reference, got, seed, config.hidden_size, config.learning_rate, batches)
    if score < E2E_THRESHOLD:
        raise CheckFailed(f"the trained agent's greedy mean return was {score:.0f} (best of {len(E2E_SEEDS)} seeds), "
                          f"below {E2E_THRESHOLD:.0f}")
