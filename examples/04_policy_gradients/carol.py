# Raises: reinforce_loss gathers with a 1-D index, so every call fails with a RuntimeError.
# base: alice (every other exercise cell is alice's)

# %% reinforce_loss
def reinforce_loss(logits, actions, advantages):
    log_probs = F.log_softmax(logits, dim=1).gather(1, actions)
    return -(log_probs * advantages).mean()
