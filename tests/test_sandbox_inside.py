"""The bubblewrap sandbox, proved from inside: student code runs as an unprivileged user with no
capabilities, cannot undo or change its mounts, sees only the interpreter, its libraries and the
course package (no repository, no other copy of the course anywhere on the machine), and has a
private, bounded /tmp and /dev/shm, a /proc of its own and no network.

Each test runs code in a real worker, as a student's cell would, whoever runs the tests (root here,
as on this machine, Docker and Gradescope)."""
import errno
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from course.sandbox import KIT_DIR, REPO_DIR, SANDBOX_UID, Cell, Limits, StudentError, Submission, use_bwrap

pytestmark = pytest.mark.skipif(not use_bwrap(), reason="bubblewrap cannot run here: the sandbox is a plain process")

PROBES = '''
def run(m, name, args):
    return getattr(m, name)(*args)
'''

INSIDE = '''
import ctypes, errno, os, socket
libc = ctypes.CDLL(None, use_errno=True)

def identity():
    status = dict(line.split(":", 1) for line in open("/proc/self/status").read().splitlines() if ":" in line)
    return {"uid": os.getuid(), "gid": os.getgid(), "euid": os.geteuid(), "groups": os.getgroups(),
            "CapEff": status["CapEff"].strip(), "CapPrm": status["CapPrm"].strip(), "CapBnd": status["CapBnd"].strip(),
            "NoNewPrivs": status["NoNewPrivs"].strip()}

def umount(path):
    return libc.umount2(path.encode(), 2), ctypes.get_errno()  # MNT_DETACH

def remount_writable(path):
    MS_REMOUNT, MS_BIND = 32, 4096
    return libc.mount(None, path.encode(), None, MS_REMOUNT | MS_BIND, None), ctypes.get_errno()

def new_user_namespace():
    CLONE_NEWUSER, CLONE_NEWNS = 0x10000000, 0x00020000
    return libc.unshare(CLONE_NEWUSER | CLONE_NEWNS), ctypes.get_errno()

def rewrite(path):
    """Write PATH's own content back to it (harmless wherever it succeeds); the error name, or "written"."""
    try:
        content = open(path).read()
        with open(path, "w") as handle:
            handle.write(content)
        return "written"
    except OSError as error:
        return errno.errorcode[error.errno]

def write(path, size):
    try:
        with open(path, "wb") as handle:
            handle.write(b"x" * size)
        return "written"
    except OSError as error:
        return errno.errorcode[error.errno]

def fill(folder, chunk):
    written = 0
    while written < 2 ** 31:
        try:
            with open(f"{folder}/fill{written}", "wb") as handle:
                handle.write(b"x" * chunk)
        except OSError as error:
            return written, errno.errorcode[error.errno]
        written += chunk
    return written, "no limit"

def exists(path):
    return os.path.exists(path)

def listing(path):
    return sorted(os.listdir(path))

def find(names, limit=300000):
    """Every file or folder on the visible file system whose name is one of NAMES (bounded walk)."""
    found, seen = [], 0
    for root, folders, files in os.walk("/"):
        if root.startswith(("/proc", "/sys", "/dev")):
            folders[:] = []
            continue
        seen += len(files)
        found += [os.path.join(root, name) for name in files + folders if name in names]
        if seen > limit:
            break
    return found, seen

def processes():
    return sorted(int(entry) for entry in os.listdir("/proc") if entry.isdigit())

def connect(host, port):
    try:
        socket.create_connection((host, port), timeout=2)
        return "connected"
    except OSError as error:
        return type(error).__name__
'''


@pytest.fixture(scope="module")
def outside_copy():
    """A second checkout of the course's secrets elsewhere on the machine, as another course folder would be."""
    folder = Path(tempfile.mkdtemp(prefix="course-other-checkout-", dir="/var/tmp"))
    shutil.copytree(REPO_DIR / "solutions", folder / "solutions")
    shutil.copytree(REPO_DIR / "autograder", folder / "autograder")
    yield folder
    shutil.rmtree(folder)


@pytest.fixture(scope="module")
def inside(outside_copy):
    submission = Submission([Cell("inside", INSIDE)], PROBES)
    yield lambda name, *args: submission.call("run", name=name, args=list(args))
    submission.close()


def test_runs_as_an_unprivileged_user_with_no_capabilities(inside):
    me = inside("identity")
    assert me["uid"] == me["euid"] == me["gid"] == SANDBOX_UID and me["groups"] in ([], [SANDBOX_UID])
    assert me["CapEff"] == me["CapPrm"] == me["CapBnd"] == "0000000000000000"
    assert me["NoNewPrivs"] == "1"


def test_mounts_cannot_be_undone_or_made_writable(inside):
    for path in ("/usr", "/tmp", "/", str(REPO_DIR / "course")):
        code, error = inside("umount", path)
        assert code == -1 and error in (errno.EPERM, errno.EINVAL), (path, code, error)
    for path in ("/", "/usr", str(REPO_DIR / "course")):
        code, error = inside("remount_writable", path)
        assert code == -1 and error == errno.EPERM, (path, code, error)
    assert inside("new_user_namespace")[0] == -1, "a new user namespace would give back every capability in it"


def test_kernel_settings_cannot_be_written(inside):
    """The sandbox's uid maps to the grader's: run as root, the kernel would let it write global sysctls
    (kernel/core_pattern runs a program as root on the next crash) unless /proc is read-only."""
    for path in ("/proc/sys/kernel/core_pattern", "/proc/sys/vm/overcommit_memory", "/proc/sys/kernel/hostname"):
        assert inside("rewrite", path) in ("EROFS", "EACCES", "EPERM", "ENOENT"), path


def test_the_host_file_system_is_read_only(inside):
    for path in ("/usr/course-was-here", str(REPO_DIR / "course" / "was_here.py"), f"{os.__file__}.was_here"):
        assert inside("write", path, 10) in ("EROFS", "EACCES", "EPERM", "ENOENT"), path
        assert not Path(path).exists()


def test_the_repository_and_every_other_copy_of_the_answers_are_out_of_reach(inside, outside_copy):
    for secret in (REPO_DIR / "solutions" / "dqn.py", REPO_DIR / "source" / "05_dqn" / "05_dqn.ipynb",
                   REPO_DIR / "autograder" / "05_dqn" / "checks.py", outside_copy / "solutions" / "dqn.py"):
        assert secret.exists() and not inside("exists", str(secret)), secret
    shown = (REPO_DIR / "course", REPO_DIR / ".venv", KIT_DIR.parent)  # the grader, the venv, the kit's folder
    assert inside("listing", str(REPO_DIR)) == sorted(path.name for path in shown
                                                     if path.exists() and path.resolve().parent == REPO_DIR)
    if KIT_DIR.parent.parent == REPO_DIR:
        assert inside("listing", str(KIT_DIR.parent)) == [KIT_DIR.name]  # the package, nothing else of kit/
    found, seen = inside("find", ["dqn.py", "autograder", "05_dqn", "pieces.py", "probes.py", "05_dqn.ipynb", "sail.py", "mdp.py",
                                  "pixels.py", "07_pixels"])
    assert seen > 1000, "the walk saw too little of the file system to mean anything"
    assert found == [], found


def test_no_home_folder_srv_var_or_work(inside):
    top = inside("listing", "/")
    assert not {"home", "srv", "var", "opt", "mnt", "media", "boot"} & set(top), top
    home = Path.home()
    marker = home / f".course-sandbox-probe-{os.getpid()}"
    marker.write_text("private")
    try:
        assert not inside("exists", str(marker))
    finally:
        marker.unlink()


def test_tmp_and_dev_shm_are_private_and_bounded(inside):
    host_file = Path("/dev/shm") / f"course-host-{os.getpid()}"
    host_file.write_text("host")
    try:
        assert not inside("exists", str(host_file)), "the host's /dev/shm is visible"
    finally:
        host_file.unlink()
    limits = Limits()
    for folder, size in (("/dev/shm", limits.shm_bytes), ("/tmp", limits.tmp_bytes)):
        written, error = inside("fill", folder, 4 * 1024**2)
        assert error == "ENOSPC" and written <= size, (folder, written, error)
    assert not any(Path("/dev/shm").glob("fill*")) and not any(Path("/tmp").glob("fill*"))


def test_proc_shows_only_the_sandbox_and_there_is_no_network(inside):
    pids = inside("processes")
    assert len(pids) < 10 and os.getpid() not in pids, pids
    assert inside("connect", "127.0.0.1", 22) != "connected"


def test_a_cell_that_reads_a_secret_gets_a_plain_file_not_found(inside):
    with pytest.raises(StudentError, match="No such file"):
        inside("listing", str(REPO_DIR / "solutions"))
