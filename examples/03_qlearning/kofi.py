# Partly correct: update ignores `terminated` and always bootstraps from max Q(s', .) (a missing
# terminal mask); costs update_terminal only (train's loop checks run with grader stand-ins for update).
# expect: update_terminal: the Q-table after terminated transitions (the target is the reward alone) differs
# base: alice (every other exercise cell is alice's)

# %% update
def update(Q, s, a, r, s_next, terminated, alpha, gamma):
    Q[s, a] += alpha * (r + gamma * np.max(Q[s_next]) - Q[s, a])
