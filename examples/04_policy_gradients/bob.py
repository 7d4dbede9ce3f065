# Partly correct: reinforce_loss sums over the batch instead of averaging; only its checks should fail
# (Adam is insensitive to the scale of the loss, so training still works).
# base: alice (every other exercise cell is alice's)

# %% reinforce_loss
def reinforce_loss(logits, actions, advantages):
    distribution = torch.distributions.Categorical(logits=logits)
    return torch.sum(-distribution.log_prob(actions) * advantages.detach())
