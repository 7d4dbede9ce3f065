# Partly correct: reinforce_loss sums over the batch instead of averaging; only its checks should fail
# (Adam is insensitive to the scale of the loss, so training still works).
# expect: reinforce_loss_value: the loss (2 actions) differs
# expect: reinforce_loss_gradient: the gradient with respect to the logits
# base: alice (every other exercise cell is alice's)

# %% reinforce_loss
def reinforce_loss(logits, actions, advantages):
    distribution = torch.distributions.Categorical(logits=logits)
    return torch.sum(-distribution.log_prob(actions) * advantages.detach())
