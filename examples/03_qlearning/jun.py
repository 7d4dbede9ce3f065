# Partly correct: choose_action's random branch draws among the non-greedy actions only, so the greedy
# action comes with probability 1 - epsilon instead of 1 - epsilon + epsilon / n; costs
# choose_action_uniform_when_epsilon_is_one and choose_action_epsilon_mix.
# expect: choose_action_epsilon_mix: the random branch must draw among all actions, the greedy one included
# expect: choose_action_uniform_when_epsilon_is_one: with epsilon = 1 the actions should be uniform
# base: alice (every other exercise cell is alice's)

# %% choose_action
def choose_action(Q, state, epsilon, rng):
    greedy = int(np.argmax(Q[state]))
    if rng.random() < epsilon:
        others = [a for a in range(Q.shape[1]) if a != greedy]
        return int(rng.choice(others))
    return greedy
