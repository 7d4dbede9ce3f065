"""The grader side of the sandbox: start a worker, talk to it, survive it.

A ``Worker`` is one ``python -m course.worker`` process. Where bubblewrap works it runs in an
allowlist sandbox (``bwrap_arguments``): an unprivileged uid and gid with no capabilities and no
way to make new user namespaces, its own PID, network, IPC and UTS namespaces, and a file system
that holds only what the interpreter needs, read-only (the system's libraries, the Python
installation, the ``course`` package), a private /dev, a private size-limited /tmp and /dev/shm,
and /proc of its own PID namespace. The repository, other checkouts, home folders, /srv, /var,
/work and the grading output do not exist there. Limits: CPU seconds, address space, file size,
open files and, through a control group where the grader may create one, processes.

Time limits count the CPU time of the worker's whole process tree (``course.cgroups``), so a
busy or slow grading machine does not change a grade; a wall-clock backstop several times
longer, which does not run while the worker waits for a CPU, stops code that sleeps or blocks.
A worker that hangs, crashes or exits is killed with everything it started, and the caller
gets an exception.

A ``Submission`` loads a notebook's cells into a worker and keeps it alive across checks: a
check that kills the worker costs only that check, the next one gets a fresh worker with the
same cells (minus any cell that broke loading).
"""
from __future__ import annotations

import functools
import json
import os
import re
import resource
import secrets
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import coursekit

from course import wire
from course.cgroups import ControlGroup, process_tree_cpu_seconds, tree_cpu_waits
from course.environment import interpreter_env

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent
KIT_DIR = Path(coursekit.__file__).resolve().parent  # the student kit the notebooks import (kit/, installed apart)
CALL_CPU_SECONDS = 20.0  # CPU seconds for one probe call (correct unit probes use under 1 s; training checks set their own)
WALL_FACTOR = 5  # the wall-clock backstop of a call: this many times its CPU limit, not counting waits for a CPU
WALL_MINIMUM = 60.0  # seconds: the least backstop, for calls with tiny CPU limits
SANDBOX_UID = 65534  # "nobody": the uid and gid student code runs as inside bubblewrap
CPU_SHARE_ENV_VAR = "COURSE_WORKER_CPU_SHARE"  # e.g. 0.5: each worker gets at most half a core (a cgroup quota)


@dataclass(frozen=True)
class Limits:
    """Resource limits of one worker process."""

    cpu_seconds: int = 1800  # RLIMIT_CPU over the worker's whole life: a last fence behind the per-call limits
    memory_bytes: int = 6 * 1024**3  # address space (torch maps ~1.5 GiB at import)
    output_bytes: int = 8 * 1024**2  # what the student may print, in all; also the largest file it may write
    open_files: int = 256
    processes: int = 64  # processes and threads of the worker and its children (a pids cgroup)
    tmp_bytes: int = 256 * 1024**2  # the private /tmp (a tmpfs in memory)
    shm_bytes: int = 64 * 1024**2  # the private /dev/shm
    start_cpu_seconds: float = 60.0  # CPU seconds for the worker to import torch and answer


class StudentError(Exception):
    """The student's code raised; ``message`` is one line, ``traceback`` only the student's frames."""

    def __init__(self, message: str, traceback: str = ""):
        super().__init__(message)
        self.message = message
        self.traceback = traceback


class StudentTimeout(StudentError):
    pass


class StudentCrash(StudentError):
    pass


# ---------------------------------------------------------------- bubblewrap
def bwrap_available() -> bool:
    """True when bubblewrap exists and can build the worker's sandbox here."""
    if shutil.which("bwrap") is None:
        return False
    with tempfile.TemporaryDirectory(prefix="course-bwrap-probe-") as private:
        _write_identity(Path(private))
        try:
            probe = subprocess.run(bwrap_arguments(Path(private), Limits()) + ["/bin/true"],
                                   capture_output=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            return False
    return probe.returncode == 0


_BWRAP: bool | None = None


def use_bwrap() -> bool:
    """Whether workers run under bubblewrap; warns once, loudly, when they cannot."""
    global _BWRAP
    if _BWRAP is None:
        wanted = os.environ.get("COURSE_SANDBOX", "auto")
        _BWRAP = wanted != "process" and bwrap_available()
        if not _BWRAP and wanted != "process":
            warnings.warn("bubblewrap (bwrap) is not available: student code runs in a separate process with "
                          "resource limits but can read this machine's files. Install the Debian package "
                          "'bubblewrap' for full isolation.", RuntimeWarning, stacklevel=2)
        elif _BWRAP and not {"--size", "--disable-userns"} <= bwrap_options():
            warnings.warn("this bubblewrap is older than 0.8: the sandbox's /tmp and /dev/shm are not size-limited "
                          "and student code may create user namespaces; install bubblewrap 0.8 or newer",
                          RuntimeWarning, stacklevel=2)
    return _BWRAP


def _inside(path: Path, folders) -> bool:
    return any(path == folder or folder in path.parents for folder in folders)


def visible_paths() -> list[Path]:
    """Host folders shown read-only to student code besides /usr: the Python installation
    (a virtual environment and its base, wherever they live: /tmp, /root, a conda env), the
    folders of the interpreter's import path outside them (not the repository), the
    ``course`` package and the student kit ``coursekit``. Nothing else of the host exists in the sandbox."""
    shown: list[Path] = [Path("/usr")]
    candidates = [sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
                  Path(os.path.realpath(sys.executable)).parent.parent]
    candidates += [entry for entry in sys.path if entry and Path(entry).is_dir()]
    # each as written (the worker starts sys.executable by that path) and with symlinks resolved
    paths = [Path(os.path.abspath(candidate)) for candidate in candidates]
    paths += [path.resolve() for path in paths]
    for path in paths:
        if path == Path("/") or _inside(path, shown) or _inside(REPO_DIR, [path]):
            continue  # "/" or a folder holding the repository would show it
        if _inside(path, [REPO_DIR]) and not _inside(path, [REPO_DIR / ".venv"]):
            continue  # pytest puts autograder/ on the import path; only a venv kept in the repo is shown
        shown = [folder for folder in shown if not _inside(folder, [path])] + [path]
    return shown + [PACKAGE_DIR, KIT_DIR]


@functools.cache
def bwrap_options() -> frozenset[str]:
    """The options this bubblewrap knows (older releases, e.g. 0.6 on Ubuntu 22.04, lack --size and
    --disable-userns: the sandbox then goes without them rather than not at all)."""
    try:
        usage = subprocess.run(["bwrap", "--help"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    return frozenset(re.findall(r"^\s*(--[a-z-]+)", usage, flags=re.M))


def _write_identity(private: Path) -> None:
    """/etc/passwd and /etc/group of the sandbox: only its own user (some libraries look it up)."""
    (private / "passwd").write_text(f"student:x:{SANDBOX_UID}:{SANDBOX_UID}:student code:/tmp/home:/usr/sbin/nologin\n")
    (private / "group").write_text(f"student:x:{SANDBOX_UID}:\n")


def bwrap_arguments(private: Path, limits: Limits) -> list[str]:
    """The bubblewrap command line of a worker (see the module docstring); PRIVATE is a grader-only
    folder holding the sandbox's passwd and group files."""
    known = bwrap_options()
    args = ["bwrap", "--unshare-user", "--uid", str(SANDBOX_UID), "--gid", str(SANDBOX_UID),
            "--cap-drop", "ALL", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
            "--unshare-cgroup-try", "--hostname", "sandbox", "--new-session", "--die-with-parent"]
    if "--disable-userns" in known:  # without it a nested namespace has capabilities, but the mounts stay locked
        args.append("--disable-userns")

    def sized(size: int) -> list[str]:  # without --size only the per-file limit (output_bytes) bounds a tmpfs
        return ["--size", str(size)] if "--size" in known else []

    # /proc read-only: the sandbox's uid maps to the grader's, so where that is root the kernel's own check
    # (sysctl files are root's) would let student code write global settings such as kernel/core_pattern
    args += ["--dev", "/dev", "--proc", "/proc", "--remount-ro", "/proc",  # first: the binds below may lie under /tmp
             *sized(limits.shm_bytes), "--tmpfs", "/dev/shm", *sized(limits.tmp_bytes), "--tmpfs", "/tmp",
             "--dir", "/tmp/home"]
    for link in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):  # merged-/usr systems link these into /usr
        host = Path("/") / link
        if host.is_symlink():
            args += ["--symlink", os.readlink(host), str(host)]
        elif host.is_dir():
            args += ["--ro-bind", str(host), str(host)]
    for folder in visible_paths():
        args += ["--ro-bind", str(folder), str(folder)]
    for name in ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime"):
        args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    args += ["--ro-bind", str(private / "passwd"), "/etc/passwd", "--ro-bind", str(private / "group"), "/etc/group"]
    gpus = sorted(str(device) for device in Path("/dev").glob("nvidia*"))
    for device in gpus:  # CUDA, where the grader has it (not exercised on machines without a GPU)
        args += ["--dev-bind-try", device, device]
    if gpus:
        args += ["--ro-bind-try", "/sys", "/sys"]
    return args + ["--chdir", "/tmp/home"]


# ---------------------------------------------------------------- a worker
class Worker:
    """One sandboxed worker process and its request channel."""

    def __init__(self, limits: Limits = Limits()):
        self.limits = limits
        share = os.environ.get(CPU_SHARE_ENV_VAR)
        self.cgroup = ControlGroup(limits.processes, cpu_share=float(share) if share else None)
        self.private = Path(tempfile.mkdtemp(prefix="course-worker-"))  # the grader's, never shown to the worker
        self.output_path = self.private / "output.txt"
        answer_read, answer_write = os.pipe()
        request_read, request_write = os.pipe()
        command = [sys.executable, "-m", "course.worker", str(answer_write), str(request_read)]
        env = interpreter_env({key: value for key, value in os.environ.items()
                               if key in ("PATH", "LANG", "LC_ALL", "CUDA_VISIBLE_DEVICES")})
        env.update(PYTHONPATH=str(REPO_DIR), MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1", OMP_NUM_THREADS="1",
                   COURSE_SCALE="1.0")
        if use_bwrap():
            _write_identity(self.private)
            command = bwrap_arguments(self.private, limits) + command
            cwd = None
            env.update(HOME="/tmp/home", TMPDIR="/tmp", MPLCONFIGDIR="/tmp/home")
        else:
            cwd = self.private / "home"
            cwd.mkdir()
            env.update(HOME=str(cwd), MPLCONFIGDIR=str(cwd))
        with open(self.output_path, "wb") as output:
            self.process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT, cwd=cwd, env=env,
                pass_fds=(answer_write, request_read), preexec_fn=self._limit, start_new_session=True,
            )
        os.close(answer_write)
        os.close(request_read)
        self.answers = os.fdopen(answer_read, "rb", buffering=0)
        self.requests = os.fdopen(request_write, "wb", buffering=0)
        self._buffer = b""
        self._waits: dict[str, int] = {}  # thread -> nanoseconds it had waited for a CPU at the last look

    def _limit(self) -> None:
        """Runs in the child before exec: resource limits and the control groups."""
        limits = self.limits
        resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.output_bytes, limits.output_bytes))
        resource.setrlimit(resource.RLIMIT_NOFILE, (limits.open_files, limits.open_files))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        self.cgroup.attach(os.getpid())

    # ------------------------------------------------------------ accounting
    def cpu_seconds(self) -> float:
        """CPU time of the worker and everything it started, so far."""
        measured = self.cgroup.cpu_seconds()
        return measured if measured is not None else process_tree_cpu_seconds(self.process.pid)

    def _cpu_wait_seconds(self) -> float:
        """How long, since the last look, the worker's busiest thread waited for a CPU: time a busy
        machine took from it, which the wall-clock backstop does not count."""
        waits = self.cgroup.cpu_waits() or tree_cpu_waits(self.process.pid)
        waited = max((wait - self._waits.get(tid, wait) for tid, wait in waits.items()), default=0)
        self._waits = waits
        return waited / 1e9

    def tasks(self) -> int | None:
        """Processes and threads running in the worker's cgroup (None without one)."""
        return self.cgroup.tasks()

    # ------------------------------------------------------------ requests
    def request(self, message: dict, cpu_seconds: float):
        """Send one request and wait for its answer; raise StudentTimeout / StudentCrash / StudentError.

        The call may use CPU_SECONDS of CPU time (its whole process tree), and WALL_FACTOR times
        that in wall-clock time not spent waiting for a CPU. Each request carries a fresh id that
        the answer must echo: lines the student's code wrote on the channel itself are skipped,
        so they cannot stand in for an answer."""
        message = {**message, "id": secrets.token_hex(8)}
        try:
            self.requests.write((json.dumps(message, allow_nan=False) + "\n").encode())
        except (BrokenPipeError, OSError):
            raise self._crashed() from None
        budget = _Budget(self, cpu_seconds)
        for _ in range(1000):
            try:
                answer = json.loads(self._read_line(budget))
            except ValueError:
                continue
            if type(answer) is dict and answer.get("id") == message["id"]:
                break
        else:
            self.kill()
            raise StudentCrash("the submission wrote garbage on the grader's channel")
        if answer.get("ok") is not True:
            raise StudentError(str(answer.get("error", "error"))[:1000], str(answer.get("traceback", ""))[:4000])
        try:
            return wire.decode(answer.get("value"))
        except (wire.WireError, ValueError, TypeError) as error:
            raise StudentError(f"the submission sent back malformed data ({error})") from None

    def _read_line(self, budget: _Budget) -> bytes:
        while b"\n" not in self._buffer:
            reason = budget.exceeded()
            if reason:
                self.kill()
                raise StudentTimeout(reason)
            ready, _, _ = select.select([self.answers], [], [], 0.25)
            if ready:
                chunk = self.answers.read(1 << 20)
                if not chunk:
                    raise self._crashed()
                self._buffer += chunk
                if len(self._buffer) > 256 * 1024**2:
                    self.kill()
                    raise StudentCrash("the answer was larger than 256 MiB")
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line

    def _crashed(self) -> StudentCrash:
        try:
            code = self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            code = self.kill()
        if code is not None and code > 128 and use_bwrap():
            code = 128 - code  # bubblewrap reports its child's death by signal N as exit code 128 + N
        if code is not None and code < 0:
            reason = {signal.SIGXCPU: "it used up its CPU time", signal.SIGKILL: "it was killed (memory or time limit)",
                      signal.SIGSEGV: "it crashed (segmentation fault)",
                      signal.SIGXFSZ: f"it printed or wrote more than {self.limits.output_bytes // 2**20} MiB"
                      }.get(-code, f"signal {-code}")
            return StudentCrash(f"the process running the submission died: {reason}")
        return StudentCrash(f"the submission ended the grader's process (exit code {code}): "
                            "remove sys.exit / os._exit / quit() calls from your cells")

    def output_tail(self, limit: int = 4000) -> str:
        try:
            with open(self.output_path, "rb") as output:
                output.seek(0, os.SEEK_END)
                output.seek(max(0, output.tell() - limit))
                return output.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def kill(self) -> int | None:
        """Kill the worker and everything it started; return its exit code."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            return self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            return None

    def close(self) -> None:
        self.kill()
        for stream in (self.requests, self.answers):
            try:
                stream.close()
            except OSError:
                pass
        shutil.rmtree(self.private, ignore_errors=True)
        self.cgroup.close()


class _Budget:
    """The limits of one request: CPU seconds of the worker's tree, and a wall-clock backstop that
    does not run while the worker waits for a CPU on a busy machine."""

    def __init__(self, worker: Worker, cpu_seconds: float):
        self.worker, self.cpu_limit = worker, cpu_seconds
        self.wall_limit = max(WALL_MINIMUM, WALL_FACTOR * cpu_seconds)
        self.cpu_start = worker.cpu_seconds()
        self.last_look = time.monotonic()
        self.own_wall = 0.0  # wall-clock seconds of this request, less the worker's waits for a CPU
        worker._cpu_wait_seconds()

    def exceeded(self) -> str | None:
        """Why the request must stop now, or None."""
        used = self.worker.cpu_seconds() - self.cpu_start
        if used > self.cpu_limit:
            return (f"used more than {self.cpu_limit:.0f} s of CPU time, many times what correct code needs here: "
                    "an endless loop, or far more work than the exercise asks for")
        now = time.monotonic()
        if now - self.last_look >= 1.0:
            self.own_wall += max(0.0, now - self.last_look - self.worker._cpu_wait_seconds())
            self.last_look = now
            if self.own_wall > self.wall_limit:
                return (f"did not finish within {self.wall_limit:.0f} s while computing for only {used:.1f} s: "
                        "the code waits (sleep, input(), a lock, a child process) instead of returning")
        return None


@dataclass
class Cell:
    name: str  # grade_id of the notebook cell
    source: str


@dataclass
class Submission:
    """A notebook's cells loaded in a worker, with probes to call on them."""

    cells: list[Cell]
    probes_source: str
    pieces_source: str = ""  # autograder/pieces.py, for the probes that import from it
    limits: Limits = Limits()
    cell_cpu_seconds: float = 20.0  # CPU seconds for one cell to define its functions
    cell_errors: dict[str, str] = field(default_factory=dict)  # cell name -> why it did not load
    startups: list[float] = field(default_factory=list)  # seconds spent starting each worker
    calls: list[tuple[str, float, float]] = field(default_factory=list)  # (probe, CPU seconds used, CPU limit)
    _worker: Worker | None = None
    _baseline_tasks: int = 0  # tasks of the freshly loaded worker

    def _start(self) -> Worker:
        started = time.perf_counter()
        while True:
            worker = Worker(self.limits)
            try:
                worker.request({"op": "probes", "source": self.probes_source, "pieces": self.pieces_source},
                               self.limits.start_cpu_seconds)
            except StudentError as error:
                output = worker.output_tail()
                worker.close()
                raise RuntimeError(f"the grader's worker did not start: {error.message}\n{output}") from None
            broken = self._load_cells(worker)
            if broken is None:
                self._baseline_tasks = worker.tasks() or 0
                break
            worker.close()  # a cell killed or hung the worker: start again without it
        self.startups.append(time.perf_counter() - started)
        return worker

    def _load_cells(self, worker: Worker) -> str | None:
        """Run every cell that has not failed before; return the name of a cell that broke the worker."""
        for cell in self.cells:
            if cell.name in self.cell_errors:
                continue
            try:
                worker.request({"op": "exec", "name": cell.name, "source": cell.source}, self.cell_cpu_seconds)
            except (StudentTimeout, StudentCrash) as error:
                self.cell_errors[cell.name] = f"running this cell failed: {error.message}"
                return cell.name
            except StudentError as error:
                self.cell_errors[cell.name] = f"running this cell raised {error.message}\n{error.traceback}".strip()
        return None

    def ensure_started(self) -> None:
        """Start the worker and load the cells (this is when cell errors become known)."""
        if self._worker is None:
            self._worker = self._start()

    def call(self, probe: str, cpu_seconds: float = CALL_CPU_SECONDS, call_seed: int = 0, **kwargs):
        """Run ``probe(submission, **kwargs)`` in the worker within CPU_SECONDS of CPU time; a failure
        restarts the worker for the next call."""
        self.ensure_started()
        message = {"op": "call", "probe": probe, "seed": call_seed, "kwargs": wire.encode(kwargs)}
        worker = self._worker
        start = worker.cpu_seconds()
        try:
            return worker.request(message, cpu_seconds)
        except (StudentTimeout, StudentCrash):
            self._worker = None  # killed: the next call starts a fresh worker
            raise
        finally:
            self.calls.append((probe, max(0.0, worker.cpu_seconds() - start), cpu_seconds))
            if self._worker is None:
                worker.close()
            elif (worker.tasks() or 0) > self._baseline_tasks + 16:
                worker.close()  # the call left processes behind: the next check starts clean
                self._worker = None

    def output_tail(self) -> str:
        return self._worker.output_tail() if self._worker else ""

    def close(self) -> None:
        if self._worker is not None:
            self._worker.close()
            self._worker = None
