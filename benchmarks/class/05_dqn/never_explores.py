# Buggy: choose_action ignores epsilon and always acts greedily.
# base: alice

# %% choose_action
def choose_action(q_net, state, epsilon, n_actions, rng):
    return int(np.argmax(get_q(q_net, state[None])[0]))
