# Correct except that update calls os._exit: only update's checks and the end-to-end training fail (the loop's own checks run with a stand-in update).
# expect: update_loss: the submission ended the grader's process (ex
# expect: update_step: the submission ended the grader's process (ex
# expect: update_mse_option: the submission ended the grader's process (ex
# expect: update_double_option: the submission ended the grader's process (ex
# expect: train_solves_cartpole: the submission ended the grader's process (ex
# base: alice
# %% update
def update(q_net, target_net, optimizer, batch, config):
    import os
    os._exit(0)
