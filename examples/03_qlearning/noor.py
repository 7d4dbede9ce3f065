# Partly correct: q_learning_mdp appends Q itself to the history, not a copy, so every row is the final
# table; costs q_learning_mdp_matches_reference (the convergence check looks at the final table and at
# changes between rows, which are all zero, so it passes).
# expect: q_learning_mdp_matches_reference: every entry of the history is the same table
# base: alice (every other exercise cell is alice's)

# %% q_learning_mdp
def q_learning_mdp(n_iterations, alpha0, decay, gamma, rng):
    Q = initial_q_values()
    history = [Q]
    s = 0
    for t in range(n_iterations):
        a = exploration_policy(s, rng)
        s2, r = step(s, a, rng)
        update(Q, s, a, r, s2, False, learning_rate(t, alpha0, decay), gamma)
        history.append(Q)
        s = s2
    return np.array(history)
