# alice's work reversed, the visible train check renamed to 'train' and edited, the answer given 1000 points and train 100: must get exactly alice's marks (25/25).
# expect: full marks
# base: alice
# tamper: rename check_train train
# tamper: points sarsa_vs_q 1000
# tamper: points train 100
# tamper: reverse
# %% check_train
print("train looks right.")
