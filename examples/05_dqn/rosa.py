# One bug in choose_action, an off-by-one: the random action is rng.integers(n_actions - 1) (as if the upper
# bound were inclusive), so exploring never picks the last action; with 2 actions it always picks 0. Must
# cost choose_action_uniform_when_epsilon_is_one and choose_action_epsilon_mix (choose_action_uses_rng tries 4 actions, where the draw still varies with the seed).
# expect: choose_action_uniform_when_epsilon_is_one: with epsilon = 1 the actions should be uniform
# expect: choose_action_epsilon_mix: the random branch must draw among all actions
# base: alice (every other exercise cell is alice's)

# %% choose_action
def choose_action(q_net, state, epsilon, n_actions, rng):
    if rng.random() < epsilon:
        return int(rng.integers(n_actions - 1))
    return int(np.argmax(get_q(q_net, np.expand_dims(state, 0))[0]))
