# choose_action ignores its rng and reseeds numpy's global RNG on every call to fake the statistics.
# expect: choose_action_uses_rng: the same `rng` seed gave different actions: t
# base: alice
# %% choose_action
_calls = [0]


def choose_action(q_net, state, epsilon, n_actions, rng):
    _calls[0] += 1
    np.random.seed(_calls[0] % 1000)
    if np.random.rand() < epsilon:
        return int(np.random.randint(n_actions))
    return int(get_q(q_net, state[None])[0].argmax())
