# Partly correct: policy_iteration evaluates only the first policy and then keeps improving against that
# stale V (it never re-evaluates the improved policy), returning the first policy's values; costs
# policy_iteration only.
# expect: policy_iteration: the final V on the 4x4 slippery lake (gamma = 0.95) differs
# base: alice (every other exercise cell is alice's)

# %% policy_iteration
def policy_iteration(P, n_states, n_actions, gamma, theta, max_iterations=1_000):
    policy = np.zeros(n_states, dtype=np.int64)
    V = policy_evaluation(P, policy, gamma, theta)
    for _ in range(max_iterations):
        new_policy = greedy_policy(P, V, gamma)
        if np.array_equal(new_policy, policy):
            break
        policy = new_policy
    return policy, V
