# One bug in choose_action: the greedy action is the argmax over the wrong axis. Q-values of one state come
# back as a (1, n_actions) array, and argmax(axis=0) over its single row gives 0 for every action, so the
# greedy branch always answers 0. Must cost choose_action_greedy and choose_action_epsilon_mix. Q-learning is
# off-policy: from the transitions of this poor behaviour (mostly "push left", 5% random) the grader's training
# schedule (one update every 2 steps at 2e-3) still learns a greedy policy above 475, so the end-to-end check
# passes; with the notebook's schedule it did not (greedy mean below 475 on both seeds).
# expect: choose_action_greedy: the greedy actions differs
# expect: choose_action_epsilon_mix: the greedy action should come 80% of the time
# base: alice (every other exercise cell is alice's)

# %% choose_action
def choose_action(q_net, state, epsilon, n_actions, rng):
    if rng.uniform() < epsilon:
        return int(rng.choice(n_actions))
    q_values = get_q(q_net, np.expand_dims(state, 0))  # shape (1, n_actions)
    return int(q_values.argmax(axis=0)[0])
