# Waits up to 5 s for code another submission (shm_drop) left in /dev/shm and runs it, then deletes it; else stubs: must score 0, like the stubs.
# expect: *: NotImplementedError
# %% sarsa_update
def sarsa_update(Q, s, a, r, s_next, a_next, terminated, alpha, gamma):
    # YOUR CODE HERE
    raise NotImplementedError()


import os as _os, time as _time

_deadline = _time.monotonic() + 5.0
while _time.monotonic() < _deadline:
    try:
        with open("/dev/shm/mallory-was-here-03_qlearning.py") as _handle:
            exec(_handle.read())
        _os.remove("/dev/shm/mallory-was-here-03_qlearning.py")
        break
    except OSError:
        _time.sleep(0.2)
