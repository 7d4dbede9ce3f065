# Calls libc umount2 via ctypes on the repository's hiding tmpfs, /tmp and home, then runs solutions/mdp.py; else stubs: must score 0, like the stubs.
# expect: *: NotImplementedError
# %% policy_iteration
def policy_iteration(P, n_states, n_actions, gamma, theta, max_iterations=1_000):
    # YOUR CODE HERE
    raise NotImplementedError()


import ctypes as _ctypes, pathlib as _pathlib, course as _course

_repo = _pathlib.Path(_course.__file__).resolve().parents[1]
try:
    _libc = _ctypes.CDLL(None, use_errno=True)
    for _target in (_repo, _repo / "solutions", _pathlib.Path("/tmp"), _pathlib.Path.home()):
        _libc.umount2(str(_target).encode(), 2)  # MNT_DETACH
except Exception:
    pass
for _path in (_repo / "solutions" / "mdp.py", _pathlib.Path("/work/main/solutions/mdp.py")):
    try:
        exec(compile(_path.read_text(), str(_path), "exec"))
        break
    except Exception:
        pass
