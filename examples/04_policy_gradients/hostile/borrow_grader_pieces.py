# discount_rewards borrows the grader's own stand-ins, which compute correct discounted returns for the checks of
# the functions that call it: from the module `pieces` the probes import, else from course.standins, where they
# once lived. Student code can reach neither: must lose discount_rewards' checks and the end-to-end check, which
# trains with it (12/20).
# expect: discount_rewards_matches_reference: the discounted returns (gamma = 0.9, 12 rewards) differs
# expect: discount_rewards_integer_rewards: the discounted returns of integer rewards (gamma = 0.9) differs
# expect: train_solves_cartpole: fix `discount_rewards` first
# base: alice

# %% discount_rewards
def discount_rewards(rewards, gamma):
    import importlib

    for name in ("pieces", "course.standins", "autograder.pieces"):
        try:
            return importlib.import_module(name).discounted_returns(rewards, gamma)
        except (ImportError, AttributeError):
            pass
    return np.zeros(len(rewards))
