# alice's work with the update cell's grade_id changed: the grader cannot find `update` and says so.
# expect: update_loss: the exercise cell 'update' is missing from th
# expect: update_step: the exercise cell 'update' is missing from th
# expect: update_mse_option: the exercise cell 'update' is missing from th
# expect: update_double_option: the exercise cell 'update' is missing from th
# expect: train_solves_cartpole: has no attribute 'update'
# base: alice
# tamper: rename update update_v2
