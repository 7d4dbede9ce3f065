"""05's experiments train their agents in stacks (`train_stacked`, given code in the notebook). These tests prove a
stacked agent follows its one-at-a-time run, and that the notebook's visible check of the stacked update can fail."""
import contextlib
import copy
import io
import json
from dataclasses import replace

import numpy as np
import pytest

from conftest import REPO
from course.checking import Reference
from course.notebooks import ASSIGNMENTS

with contextlib.redirect_stdout(io.StringIO()):
    dqn = Reference(ASSIGNMENTS["05_dqn"]).module
torch, gym = dqn.torch, dqn.gym


def make_cartpole():
    return gym.make("CartPole-v1")


def experiment_config(**changes):
    """The notebook's experiment schedule, over `total_steps`."""
    return replace(dqn.DQNConfig(), stop_return=np.inf, train_every=2, learning_rate=2e-3, eval_episodes=5, **changes)


def assert_same_runs(stacked_runs, separate_runs):
    for k, (stacked, separate) in enumerate(zip(stacked_runs, separate_runs)):
        assert stacked.eval_steps == separate.eval_steps, k
        assert stacked.eval_returns == separate.eval_returns, (k, stacked.eval_returns, separate.eval_returns)
        assert stacked.episode_returns == separate.episode_returns, k
        assert len(stacked.buffer) == len(separate.buffer) and stacked.buffer.position == separate.buffer.position, k
        assert np.array_equal(stacked.buffer.actions, separate.buffer.actions), f"agent {k} acted differently"
        for mine, theirs in zip(stacked.q_net.parameters(), separate.q_net.parameters()):
            assert torch.allclose(mine, theirs, atol=1e-3), (k, (mine - theirs).abs().max().item())


def test_stacked_agents_follow_their_separate_runs():
    """Three agents that differ in buffer capacity, target period and tau: same actions, episodes, evaluations and
    (up to float rounding) kept networks as three calls of train."""
    base = experiment_config(total_steps=2_000, eval_every=500)
    configs = [replace(base, buffer_capacity=500), replace(base, tau=1.0, target_update_every=100), base]
    seeds = [0, 1, 2]
    stacked = dqn.train_stacked(make_cartpole, configs, seeds)
    assert_same_runs(stacked, [dqn.train(make_cartpole, config, seed=seed) for config, seed in zip(configs, seeds)])
    assert [len(run.eval_returns) for run in stacked] == [4, 4, 4]


def test_stacked_double_dueling_agents_follow_their_separate_runs():
    """The student's DuelingQNet.forward and double_dqn_targets, run on stacked weights."""
    config = experiment_config(total_steps=1_500, eval_every=500, double=True, dueling=True)
    stacked = dqn.train_stacked(make_cartpole, [config, config], [3, 4])
    assert isinstance(stacked[0].q_net, dqn.DuelingQNet)
    assert_same_runs(stacked, [dqn.train(make_cartpole, config, seed=seed) for seed in (3, 4)])


def largest_drift_from_separate_updates(make_optimizer, update_config_changes):
    """Five updates of 3 small networks, separately and as one stack; the largest weight difference per agent."""
    torch.manual_seed(0)
    config = replace(dqn.DQNConfig(), batch_size=16, grad_clip=0.5)
    separate = [dqn.QNet(4, 2, 32) for _ in range(3)]
    stacked = dqn.stack_networks(separate)
    stacked_target, targets = copy.deepcopy(stacked), [copy.deepcopy(net) for net in separate]
    stacked_optimizer = make_optimizer(stacked, config)
    optimizers = [torch.optim.Adam(net.parameters(), lr=config.learning_rate) for net in separate]
    for reward_scale in (1, 30, 3, 100, 10):  # Adam's first step ignores scale; clipping shows over several steps
        batches = [dqn.Batch(torch.randn(16, 4), torch.randint(0, 2, (16,)), torch.randn(16) * reward_scale * (k + 1),
                             torch.randn(16, 4), torch.zeros(16)) for k in range(len(separate))]
        for net, target, optimizer, batch in zip(separate, targets, optimizers, batches):
            dqn.update(net, target, optimizer, batch, config)
        dqn.update(stacked, stacked_target, stacked_optimizer, dqn.concat_batches(batches),
                   replace(config, batch_size=48, **update_config_changes))
    copies = [copy.deepcopy(net) for net in separate]
    for k, net in enumerate(copies):
        dqn.copy_agent_weights(stacked, k, net)
    return [max((a - b).abs().max().item() for a, b in zip(mine.parameters(), theirs.parameters()))
            for mine, theirs in zip(copies, separate)]


def test_per_agent_clipping_is_what_makes_stacks_exact():
    """StackedAdam keeps every agent on its separate run; one Adam with the usual global clip over the stack does
    not (the agents' clipping would mix), so the equality of the tests above is not automatic."""
    exact = largest_drift_from_separate_updates(
        lambda net, config: dqn.StackedAdam(net.parameters(), config.learning_rate, 3, config.grad_clip),
        {"grad_clip": np.inf})
    mixed = largest_drift_from_separate_updates(
        lambda net, config: torch.optim.Adam(net.parameters(), lr=config.learning_rate), {})
    assert max(exact) < 1e-6, exact
    assert max(mixed) > 1e-4, mixed


def test_train_stacked_refuses_runs_that_cannot_share_a_stack():
    with pytest.raises(ValueError, match="must share learning_rate"):
        dqn.train_stacked(make_cartpole, [experiment_config(), replace(experiment_config(), learning_rate=1e-3)], [0, 1])
    with pytest.raises(ValueError, match="at least one batch of 128"):
        dqn.train_stacked(make_cartpole, [experiment_config(buffer_capacity=100)], [0])
    with pytest.raises(TypeError, match="cannot stack the LayerNorm layer"):
        dqn.stack_networks([torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.LayerNorm(8))] * 2)


def visible_check_source():
    notebook = json.loads((REPO / "source" / "05_dqn" / "05_dqn.ipynb").read_text())
    return "".join(next(cell["source"] for cell in notebook["cells"] if cell.get("id") == "stacked-check"))


def test_the_visible_check_passes_the_reference_and_fails_an_update_that_mixes_rows():
    namespace = dict(vars(dqn))
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        exec(visible_check_source(), namespace)
    assert "equals 3 separate updates" in printed.getvalue()

    def update_with_batch_normalised_errors(q_net, target_net, optimizer, batch, config):
        """Scales the TD errors by their standard deviation over the whole minibatch: fine for one agent, but in a
        stack every agent's step depends on the others' rows."""
        targets = dqn.dqn_targets(batch.rewards, batch.next_states, batch.terminated, target_net, config.gamma)
        values = q_net(batch.states).gather(1, batch.actions.unsqueeze(1)).squeeze(1)
        errors = values - targets
        loss = (errors / errors.detach().std()).square().mean()
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(q_net.parameters(), config.grad_clip)
        optimizer.step()
        return loss.item()

    namespace = dict(vars(dqn), update=update_with_batch_normalised_errors)
    with pytest.raises(AssertionError, match=r"agent \d: the stacked update moved its weights differently"):
        exec(visible_check_source(), namespace)
