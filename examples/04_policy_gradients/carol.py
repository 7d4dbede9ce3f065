# Raises: reinforce_loss gathers with a 1-D index, so every call fails with a RuntimeError: its own checks, the
# learning checks and the end-to-end check fail; the bookkeeping checks run with grader stand-ins and pass.
# expect: reinforce_loss_value: Index tensor must have the same number of dimensions
# expect: reinforce_loss_gradient: Index tensor
# expect: train_solves_cartpole: Index tensor
# base: alice (every other exercise cell is alice's)

# %% reinforce_loss
def reinforce_loss(logits, actions, advantages):
    log_probs = F.log_softmax(logits, dim=1).gather(1, actions)
    return -(log_probs * advantages).mean()
