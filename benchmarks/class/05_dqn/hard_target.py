# Buggy: soft_update ignores tau and copies the online network every call.
# base: alice

# %% soft_update
def soft_update(target_net, q_net, tau):
    target_net.load_state_dict(q_net.state_dict())
