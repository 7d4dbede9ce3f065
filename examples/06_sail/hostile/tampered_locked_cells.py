# alice's work with every locked cell deleted, cells reversed, the answer given 1000 points and renamed: must get exactly alice's marks (25/25); the answer still awaits a person.
# expect: full marks
# base: alice
# tamper: points why_max 1000
# tamper: rename why_max why_max_v2
# tamper: drop-locked
# tamper: reverse
