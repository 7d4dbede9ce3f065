# alice's pieces, but train_reinforce learns nothing and torch.softmax says 'action 1 for sure' only to the delayed-reward probe: must lose all four train checks (10/20).
# expect: train_episodes_end_on_truncation_and_termination: 3 batches of 4 episodes should record 12 epis
# expect: train_episodes_of_different_lengths: 3 batches of 6 episodes should record 18 epis
# expect: train_solves_cartpole: the training loop ran `optimizer.step()` 0 times
# expect: train_learns_delayed_reward: the training loop ran `optimizer.step()` 0 times
# base: alice
# %% reinforce_loss
import sys as _sys

_softmax = torch.softmax


def _forged_softmax(input, dim=None, *args, **kwargs):
    if _sys._getframe(1).f_code.co_name == "train_delayed":
        return torch.nn.functional.one_hot(torch.ones(input.shape[:-1], dtype=torch.int64), input.shape[-1]).float()
    return _softmax(input, dim, *args, **kwargs)


torch.softmax = _forged_softmax


def reinforce_loss(logits, actions, advantages):
    distribution = torch.distributions.Categorical(logits=logits)
    return torch.mean(-distribution.log_prob(actions) * advantages.detach())

# %% train_reinforce
SOLUTION_REGION = """
        batch_returns = []
"""
