# alice's work with the written answer's points raised to 1000 in the notebook: points come from the grader.
# expect: full marks
# base: alice
# tamper: points explain_dqn 1000
