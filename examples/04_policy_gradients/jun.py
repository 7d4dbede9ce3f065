# One bug in reinforce_loss: the sign. The student returns +mean(log pi * A), so gradient descent makes
# the actions with positive advantages LESS likely. Must cost reinforce_loss_value and
# reinforce_loss_gradient, and, unavoidably, the end-to-end train_solves_cartpole, which trains with it.
# It also costs train_learns_delayed_reward (a train_reinforce check, not marked end-to-end, that trains
# with the student's loss): a grader defect, recorded as the grader does it.
# expect: reinforce_loss_value: the loss (2 actions) differs
# expect: reinforce_loss_gradient: the gradient with respect to the logits (2 actions) differs
# expect: train_solves_cartpole: fix `reinforce_loss` first
# base: alice (every other exercise cell is alice's)

# %% reinforce_loss
def reinforce_loss(logits, actions, advantages):
    distribution = torch.distributions.Categorical(logits=logits)
    return torch.mean(distribution.log_prob(actions) * advantages.detach())
