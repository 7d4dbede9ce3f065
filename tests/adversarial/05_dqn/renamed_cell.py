# alice's work with the update cell's grade_id changed: the grader cannot find `update` and says so.
# base: alice
# tamper: rename update update_v2
