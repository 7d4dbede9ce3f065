# Raises: update takes the max along axis 1 of a 1-D row, so every call fails with an AxisError;
# update's checks and the end-to-end check fail with that error (train's loop checks run with grader
# stand-ins for update, so they pass).
# expect: train_solves_cliff: out of bounds
# expect: update_matches_reference: out of bounds
# expect: update_terminal: out of bounds
# base: alice (every other exercise cell is alice's)

# %% update
def update(Q, s, a, r, s_next, terminated, alpha, gamma):
    best_next = Q[s_next].max(axis=1)
    target = r if terminated else r + gamma * best_next
    Q[s, a] += alpha * (target - Q[s, a])
