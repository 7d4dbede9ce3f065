# alice's work, but discount_and_normalize_rewards returns zeros in an always-equal list subclass: must lose its two checks and the end-to-end check, which trains with it (12/20; the delayed-reward check of train_reinforce uses the grader's own advantages).
# expect: discount_and_normalize_matches_reference: discount_and_normalize_rewards must return a
# expect: discount_and_normalize_equal_returns: discount_and_normalize_rewards must return a
# expect: train_solves_cartpole: are not optimizer steps of size learning_rate
# base: alice
# %% discount_and_normalize_rewards
class Agreeable(list):
    def __eq__(self, other):
        return True

    __hash__ = None


def discount_and_normalize_rewards(all_rewards, gamma):
    return Agreeable(np.zeros(len(episode)) for episode in all_rewards)
