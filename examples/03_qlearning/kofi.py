# Partly correct: update ignores `terminated` and always bootstraps from max Q(s', .) (a missing
# terminal mask); costs update_terminal, and also train_termination, which runs train with the
# student's own update (a cascade into another exercise: a grader defect, train's loop is right).
# base: alice (every other exercise cell is alice's)

# %% update
def update(Q, s, a, r, s_next, terminated, alpha, gamma):
    Q[s, a] += alpha * (r + gamma * np.max(Q[s_next]) - Q[s, a])
