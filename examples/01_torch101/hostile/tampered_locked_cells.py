# alice's work with every locked cell deleted, the answer's points raised to 1000, an exercise cell given 50 points, cells reversed: must get exactly alice's marks (28/28).
# expect: full marks
# base: alice
# tamper: points targets_and_huber 1000
# tamper: points fit_theta 50
# tamper: drop-locked
# tamper: reverse
