# Stubs, but the setup cells are edited so that everything would look solved (gamma 0, a network that
# outputs the rewards...). The grader runs its own setup cells: must score 0.
# expect: *: NotImplementedError
# %% setup_2
class DQNConfig:
    pass
