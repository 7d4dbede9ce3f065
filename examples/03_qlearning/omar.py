# Partly correct: q_learning_mdp counts iterations from 1 in the learning rate (learning_rate(t + 1, ...)),
# an off-by-one in the schedule; it still converges but no longer follows the documented run: costs
# q_learning_mdp_matches_reference only.
# expect: q_learning_mdp_matches_reference: with the same rng your history differs from the expected one
# base: alice (every other exercise cell is alice's)

# %% q_learning_mdp
def q_learning_mdp(n_iterations, alpha0, decay, gamma, rng):
    Q = initial_q_values()
    history = [Q.copy()]
    s = 0
    for t in range(n_iterations):
        a = exploration_policy(s, rng)
        s2, r = step(s, a, rng)
        update(Q, s, a, r, s2, False, learning_rate(t + 1, alpha0, decay), gamma)
        history.append(Q.copy())
        s = s2
    return np.array(history)
