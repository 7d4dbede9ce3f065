# alice's work, but discount_and_normalize_rewards returns zeros in an always-equal list subclass: must lose its two checks and the two learning checks of train_reinforce (10/20).
# base: alice
# %% discount_and_normalize_rewards
class Agreeable(list):
    def __eq__(self, other):
        return True

    __hash__ = None


def discount_and_normalize_rewards(all_rewards, gamma):
    return Agreeable(np.zeros(len(episode)) for episode in all_rewards)
