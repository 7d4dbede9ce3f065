# As root in the old sandbox, unmounting the tmpfs that hid the repository showed solutions/dqn.py. Tries
# every mount it can see, then reads and runs the reference; everything else left as stubs. Must score 0.
# %% eval_dqn
import ctypes, pathlib, course
libc = ctypes.CDLL(None, use_errno=True)
repo = pathlib.Path(course.__file__).resolve().parents[1]
for line in open("/proc/self/mounts").read().splitlines()[::-1]:
    libc.umount2(line.split()[1].encode(), 2)  # MNT_DETACH
for path in (repo / "solutions" / "dqn.py", pathlib.Path("/work/main/solutions/dqn.py")):
    try:
        exec(path.read_text())
        break
    except OSError:
        pass
