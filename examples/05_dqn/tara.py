# One bug in soft_update: tau is ignored and the online network is copied at every call (a hard update every
# step, so the target network never lags). Costs soft_update and, unavoidably, the end-to-end
# train_solves_cartpole ("fix `soft_update` first"): the default configuration calls soft_update at every step.
# expect: soft_update: the target parameter layers.0.weight (tau = 0.3) differs
# expect: train_solves_cartpole: fix `soft_update` first
# base: alice (every other exercise cell is alice's)

# %% soft_update
def soft_update(target_net, q_net, tau):
    target_net.load_state_dict(q_net.state_dict())
