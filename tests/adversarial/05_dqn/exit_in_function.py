# Correct except that update calls os._exit: only update's checks and train's (which calls update) fail.
# base: alice
# %% update
def update(q_net, target_net, optimizer, batch, config):
    import os
    os._exit(0)
