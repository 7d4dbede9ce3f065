# alice's correct work with the cells in reverse order: the grader follows the source's order.
# expect: full marks
# base: alice
# tamper: reverse
