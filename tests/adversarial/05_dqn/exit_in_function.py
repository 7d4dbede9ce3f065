# Correct except that update calls os._exit: only update's checks and the end-to-end training fail (the loop's own checks run with a stand-in update).
# base: alice
# %% update
def update(q_net, target_net, optimizer, batch, config):
    import os
    os._exit(0)
