# Partly correct: policy_evaluation picks the policy's Q-values with Q[:, policy] (a whole column per
# state: an (n, n) table) instead of Q[states, policy]; the second sweep then hands that table to
# q_from_v, which raises. Costs policy_evaluation, and policy_iteration, which must be built on it.
# expect: policy_evaluation: q_from_v takes V with one value per state, shape (16,); it was given shape (16, 16)
# base: alice (every other exercise cell is alice's)

# %% policy_evaluation
def policy_evaluation(P, policy, gamma, theta, max_sweeps=10_000):
    V = np.zeros(len(P))
    for _ in range(max_sweeps):
        V_new = q_from_v(P, V, gamma)[:, policy]
        delta = np.max(np.abs(V_new - V))
        V = V_new
        if delta < theta:
            break
    return V
