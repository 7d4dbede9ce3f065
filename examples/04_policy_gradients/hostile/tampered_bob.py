# bob's work (reinforce_loss sums instead of averaging) with its visible check edited, renamed, and the answer given 1000 points: must get exactly bob's marks (16/20).
# expect: reinforce_loss_value: the loss (2 actions) differs from the expecte
# expect: reinforce_loss_gradient: the gradient with respect to the logits (2 ac
# base: bob
# tamper: rename check_reinforce_loss reinforce_loss_check
# tamper: points normalisation 1000
# %% check_reinforce_loss
print("reinforce_loss looks right.")
