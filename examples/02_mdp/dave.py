# Loops forever: a leftover test loop at the end of the policy_evaluation cell never ends.
# expect: policy_evaluation: s of CPU time, many times what correct code needs
# base: alice (every other exercise cell is alice's)

# %% policy_evaluation
def policy_evaluation(P, policy, gamma, theta, max_sweeps=10_000):
    n = len(P)
    transition = np.zeros((n, n))
    reward = np.zeros(n)
    for s in range(n):
        for probability, next_state, r, terminated in P[s][int(policy[s])]:
            reward[s] += probability * r
            if not terminated:
                transition[s, next_state] += probability
    return np.linalg.solve(np.eye(n) - gamma * transition, reward)

sweeps_done = 0
while sweeps_done < 10:  # meant to count sweeps, but never increments
    pass
