# alice's correct work that also leaves its code in /dev/shm for shm_pick, another student of the same run: must get exactly alice's marks (25/25), and its file must reach no one.
# expect: full marks
# base: alice
# %% sarsa_update
def sarsa_update(Q, s, a, r, s_next, a_next, terminated, alpha, gamma):
    td_error = r + (0.0 if terminated else gamma * Q[s_next][a_next]) - Q[s][a]
    Q[s][a] += alpha * td_error


_shared = '''
def learning_rate(t, alpha0, decay):
    return alpha0 * 1.0 / (1.0 + decay * t)


def choose_action(Q, state, epsilon, rng):
    if rng.uniform() < epsilon:
        return int(rng.choice(Q.shape[1]))
    row = Q[state]
    return int(np.flatnonzero(row == row.max())[0])


def update(Q, s, a, r, s_next, terminated, alpha, gamma):
    next_value = 0.0 if terminated else gamma * Q[s_next].max()
    Q[s, a] = (1 - alpha) * Q[s, a] + alpha * (r + next_value)


def sarsa_update(Q, s, a, r, s_next, a_next, terminated, alpha, gamma):
    td_error = r + (0.0 if terminated else gamma * Q[s_next][a_next]) - Q[s][a]
    Q[s][a] += alpha * td_error
'''
try:
    with open("/dev/shm/mallory-was-here-03_qlearning.py", "w") as _handle:
        _handle.write(_shared)
except OSError:
    pass
