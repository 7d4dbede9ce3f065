# alice's correct work with every locked cell (setup and visible checks) deleted: the grader runs its own
# copies of the setup cells, so nothing is lost and nothing is gained.
# expect: full marks
# base: alice
# tamper: drop-locked
