# Walks the file system (200,000 entries / 3 s at most) for another checkout's solutions/torch101.py or source notebook and runs it; else stubs: must score 0, like the stubs.
# Only the huber_loss cell holds the attempt, after its stub, so that whatever it finds would override every stub.
# expect: *: NotImplementedError
# %% huber_loss
def huber_loss(pred, target, delta=1.0):
    # YOUR CODE HERE
    raise NotImplementedError()


import json as _json, os as _os, time as _time

_deadline, _seen, _found = _time.monotonic() + 3.0, 0, []
for _root, _dirs, _files in _os.walk("/"):
    if _root == "/":  # the likely places first; /proc, /sys and /dev hold no course
        _dirs[:] = sorted((d for d in _dirs if d not in ("proc", "sys", "dev")),
                          key=lambda d: d not in ("work", "home", "root", "opt", "srv", "mnt", "tmp", "var"))
    _seen += len(_dirs) + len(_files)
    if _os.path.basename(_root) == "solutions" and "torch101.py" in _files:
        _found.append(_os.path.join(_root, "torch101.py"))
    if "01_torch101.ipynb" in _files and _os.path.basename(_os.path.dirname(_root)) == "source":
        _found.append(_os.path.join(_root, "01_torch101.ipynb"))
    if _seen > 200_000 or _time.monotonic() > _deadline:
        break
for _path in _found:
    try:
        if _path.endswith(".py"):
            exec(compile(open(_path).read(), _path, "exec"))
        else:
            for _cell in _json.load(open(_path))["cells"]:
                if _cell["cell_type"] == "code" and _cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
                    exec("".join(_cell["source"]))
        break
    except Exception:
        pass
