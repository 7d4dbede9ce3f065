# One bug in choose_action: epsilon is ignored, the action is always the greedy one. Costs the three
# checks of the random branch; the end-to-end check still passes (on CartPole a greedy DQN explores enough
# through its changing Q-values, which is why it is the unit checks that catch this).
# expect: choose_action_uniform_when_epsilon_is_one: with epsilon = 1 the actions should be uniform
# expect: choose_action_epsilon_mix: with epsilon = 0.3 and 3 actions the greedy action should come 80% of the time
# expect: choose_action_uses_rng: different `rng` seeds gave identical actions
# base: alice (every other exercise cell is alice's)

# %% choose_action
def choose_action(q_net, state, epsilon, n_actions, rng):
    return int(np.argmax(get_q(q_net, state[None])[0]))
