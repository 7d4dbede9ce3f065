# One bug in soft_update: tau and 1 - tau are swapped, so with tau = 0.02 the target jumps 98% of the way
# to the online network at every step (and tau = 1 never moves it). Must cost soft_update and, unavoidably,
# the end-to-end train_solves_cartpole, which trains with it.
# expect: soft_update: the target parameter layers.0.weight (tau = 0.3) differs
# expect: train_solves_cartpole: fix `soft_update` first
# base: alice (every other exercise cell is alice's)

# %% soft_update
def soft_update(target_net, q_net, tau):
    online = q_net.state_dict()
    blended = {name: (1 - tau) * online[name] + tau * value for name, value in target_net.state_dict().items()}
    target_net.load_state_dict(blended)
