# choose_action returns an object equal to everything.
# expect: choose_action_greedy: choose_action must return a Python int, got [
# expect: choose_action_uniform_when_epsilon_is_one: choose_action must return a Python int in [0, 3)
# expect: choose_action_epsilon_mix: choose_action must return a Python int in [0, 3)
# expect: choose_action_uses_rng: different `rng` seeds gave identical actions:
# expect: train_solves_cartpole:
# base: alice
# %% choose_action
class Anything(int):
    def __eq__(self, other):
        return True

    __hash__ = int.__hash__


def choose_action(q_net, state, epsilon, n_actions, rng):
    return Anything(0)
