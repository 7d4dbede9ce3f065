# Puts the repository on sys.path and imports solutions.mdp / autograder.02_mdp.checks / autograder.02_mdp.probes / autograder.pieces, copying their names; else stubs: must score 0, like the stubs.
# expect: *: NotImplementedError
# %% policy_iteration
def policy_iteration(P, n_states, n_actions, gamma, theta, max_iterations=1_000):
    # YOUR CODE HERE
    raise NotImplementedError()


import importlib as _importlib, os as _os, pathlib as _pathlib, sys as _sys, course as _course

_repo = str(_pathlib.Path(_course.__file__).resolve().parents[1])
for _folder in (_repo, _os.path.join(_repo, "solutions"), _os.path.join(_repo, "autograder"),
                *_os.environ.get("PYTHONPATH", "").split(_os.pathsep)):
    _sys.path.insert(0, _folder)
_importlib.invalidate_caches()
for _name in ("solutions.mdp", "mdp", "autograder.02_mdp.checks", "autograder.02_mdp.probes", "autograder.pieces", "checks"):
    try:
        _module = _importlib.import_module(_name)
    except BaseException:
        continue
    if _name in ("solutions.mdp", "mdp"):
        globals().update({key: value for key, value in vars(_module).items() if not key.startswith("__")})
