"""The grader side of the sandbox: start a worker, talk to it, survive it.

A ``Worker`` is one ``python -m course.worker`` process with resource limits
(CPU seconds, address space, file size, open files, and where the machine lets the
grader create a pids cgroup, the number of processes), its own session, and,
where bubblewrap is installed, its own mount, PID, network and IPC namespaces
in which the repository is hidden except for the ``course`` package.
Every request has a wall-clock timeout; a worker that hangs, crashes or exits
is killed with its whole process group and the caller gets an exception.

A ``Submission`` loads a notebook's cells into a worker and keeps it alive
across checks: a check that kills the worker costs only that check, the next
one gets a fresh worker with the same cells (minus any cell that broke loading).
"""
from __future__ import annotations

import json
import os
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

from course import wire

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent
CALL_TIMEOUT = 10.0  # seconds for one probe call (correct unit probes take under 1 s; training checks set their own)
HIDE_ENV_VAR = "COURSE_SANDBOX_HIDE"  # more folders to hide from student code, separated by os.pathsep


@dataclass(frozen=True)
class Limits:
    """Resource limits of one worker process."""

    cpu_seconds: int = 240  # CPU time over the worker's whole life
    memory_bytes: int = 6 * 1024**3  # address space (torch maps ~1.5 GiB at import)
    output_bytes: int = 8 * 1024**2  # what the student may print, in all
    open_files: int = 256
    processes: int = 64  # processes and threads of the worker and its children (a pids cgroup)
    start_timeout: float = 60.0  # seconds for the worker to import torch and answer


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


def bwrap_available() -> bool:
    """True when bubblewrap exists and can create namespaces here."""
    path = shutil.which("bwrap")
    if path is None:
        return False
    probe = subprocess.run([path, "--ro-bind", "/", "/", "--unshare-all", "--die-with-parent", "true"],
                           capture_output=True, timeout=20)
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
    return _BWRAP


def bwrap_prefix(scratch: Path) -> list[str]:
    """bubblewrap arguments: the whole file system read-only, the repository (source, solutions,
    hidden checks, results) and the home folder hidden, only ``course/`` and the Python
    installation shown again (also one kept under /tmp); a private /tmp, no network, fresh PID/IPC/UTS namespaces.
    /dev stays visible so that GPU checks still reach the GPU."""
    hidden = [REPO_DIR]
    home = Path.home()
    if home != Path("/") and home not in REPO_DIR.parents:
        hidden.append(home)
    for extra in os.environ.get(HIDE_ENV_VAR, "").split(os.pathsep):
        folder = Path(extra).resolve() if extra else None
        if folder and folder.is_dir() and folder != Path("/") and Path("/tmp") not in folder.parents and folder not in hidden:
            hidden.append(folder)  # e.g. the class's submissions and the grading output
    args = ["bwrap", "--ro-bind", "/", "/", "--dev-bind", "/dev", "/dev", "--proc", "/proc",
            "--tmpfs", "/tmp", "--bind", str(scratch), "/tmp/work"]
    for folder in hidden:
        args += ["--tmpfs", str(folder)]
    args += ["--ro-bind", str(PACKAGE_DIR), str(PACKAGE_DIR)]
    masked = hidden + [Path("/tmp")]  # the private /tmp masks a Python environment kept there too
    for prefix in sorted({sys.prefix, sys.base_prefix, sys.exec_prefix}):
        if any(folder == Path(prefix) or folder in Path(prefix).parents for folder in masked):
            args += ["--ro-bind", prefix, prefix]
    return args + ["--unshare-all", "--die-with-parent", "--new-session", "--chdir", "/tmp/work",
                   "--setenv", "HOME", "/tmp/work", "--setenv", "TMPDIR", "/tmp"]


def pids_cgroup(limit: int) -> Path | None:
    """A new cgroup capping the number of tasks (fork bombs stop there), or None where this
    process may not create one (then only the other limits apply)."""
    for root in (Path("/sys/fs/cgroup/pids"), Path("/sys/fs/cgroup")):
        try:
            if not (root / "cgroup.procs").exists() or not os.access(root, os.W_OK):
                continue
            if root.name != "pids" and "pids" not in (root / "cgroup.subtree_control").read_text().split():
                continue
            for stale in root.glob("course-worker-*"):  # left by workers whose tasks outlived close()
                try:
                    if time.time() - stale.stat().st_mtime > 600:  # never one a starting worker is about to join
                        stale.rmdir()
                except OSError:
                    pass  # still in use
            group = Path(tempfile.mkdtemp(prefix="course-worker-", dir=root))
            (group / "pids.max").write_text(str(limit))
            return group
        except OSError:
            continue
    return None


def can_limit_processes() -> bool:
    group = pids_cgroup(1)
    if group is not None:
        group.rmdir()
    return group is not None


class Worker:
    """One sandboxed worker process and its request channel."""

    def __init__(self, limits: Limits = Limits()):
        self.limits = limits
        self.cgroup = pids_cgroup(limits.processes)
        self.scratch = Path(tempfile.mkdtemp(prefix="course-worker-"))
        self.output_path = self.scratch / "output.txt"
        read_fd, write_fd = os.pipe()
        command = [sys.executable, "-m", "course.worker", str(write_fd)]
        if use_bwrap():
            command = bwrap_prefix(self.scratch) + command
            cwd = None
        else:
            cwd = self.scratch
        env = {key: value for key, value in os.environ.items() if key in ("PATH", "LANG", "LC_ALL", "CUDA_VISIBLE_DEVICES")}
        env.update(PYTHONPATH=str(REPO_DIR), MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1", OMP_NUM_THREADS="1",
                   HOME=str(self.scratch), COURSE_SCALE="1.0")
        with open(self.output_path, "wb") as output:
            self.process = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=output, stderr=subprocess.STDOUT, cwd=cwd, env=env,
                pass_fds=(write_fd,), preexec_fn=self._limit, start_new_session=True,
            )
        os.close(write_fd)
        self.answers = os.fdopen(read_fd, "rb", buffering=0)
        self._buffer = b""

    def _limit(self) -> None:
        """Runs in the child before exec: resource limits."""
        limits = self.limits
        resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.output_bytes, limits.output_bytes))
        resource.setrlimit(resource.RLIMIT_NOFILE, (limits.open_files, limits.open_files))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if self.cgroup is not None:
            (self.cgroup / "cgroup.procs").write_text(str(os.getpid()))

    def request(self, message: dict, timeout: float):
        """Send one request and wait for its answer; raise StudentTimeout / StudentCrash / StudentError.

        Each request carries a fresh id that the answer must echo: lines the student's code
        wrote on the channel itself are skipped, so they cannot stand in for an answer."""
        message = {**message, "id": secrets.token_hex(8)}
        try:
            self.process.stdin.write((json.dumps(message, allow_nan=False) + "\n").encode())
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            raise self._crashed() from None
        deadline = time.monotonic() + timeout
        for _ in range(1000):
            try:
                answer = json.loads(self._read_line(deadline, timeout))
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

    def tasks(self) -> int | None:
        """Processes and threads running in the worker's cgroup (None without one)."""
        try:
            return int((self.cgroup / "pids.current").read_text()) if self.cgroup else None
        except (OSError, ValueError):
            return None

    def _read_line(self, deadline: float, timeout: float) -> bytes:
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.kill()
                raise StudentTimeout(f"timed out after {timeout:.0f} s (an endless loop, or far too slow)")
            ready, _, _ = select.select([self.answers], [], [], min(remaining, 1.0))
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
                      signal.SIGXFSZ: f"it printed more than {self.limits.output_bytes // 2**20} MiB of output"
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
        for stream in (self.process.stdin, self.answers):
            try:
                stream.close()
            except OSError:
                pass
        shutil.rmtree(self.scratch, ignore_errors=True)
        if self.cgroup is not None:
            for _ in range(50):  # the kernel frees the cgroup once its last task is reaped
                try:
                    self.cgroup.rmdir()
                    break
                except OSError:
                    time.sleep(0.1)


@dataclass
class Cell:
    name: str  # grade_id of the notebook cell
    source: str
    graded: bool  # a student solution cell (True) or the instructor's setup cell (False)


@dataclass
class Submission:
    """A notebook's cells loaded in a worker, with probes to call on them."""

    cells: list[Cell]
    probes_source: str
    limits: Limits = Limits()
    cell_timeout: float = 10.0  # seconds for one cell to define its functions
    cell_errors: dict[str, str] = field(default_factory=dict)  # cell name -> why it did not load
    startups: list[float] = field(default_factory=list)  # seconds spent starting each worker
    _worker: Worker | None = None
    _baseline_tasks: int = 0  # tasks of the freshly loaded worker

    def _start(self) -> Worker:
        started = time.perf_counter()
        while True:
            worker = Worker(self.limits)
            try:
                worker.request({"op": "probes", "source": self.probes_source}, self.limits.start_timeout)
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
                worker.request({"op": "exec", "name": cell.name, "source": cell.source}, self.cell_timeout)
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

    def call(self, probe: str, timeout: float = CALL_TIMEOUT, call_seed: int = 0, **kwargs):
        """Run ``probe(submission, **kwargs)`` in the worker; a failure restarts it for the next call."""
        self.ensure_started()
        message = {"op": "call", "probe": probe, "seed": call_seed, "kwargs": wire.encode(kwargs)}
        try:
            return self._worker.request(message, timeout)
        except (StudentTimeout, StudentCrash):
            self._worker.close()
            self._worker = None
            raise
        finally:
            if self._worker is not None and (self._worker.tasks() or 0) > self._baseline_tasks + 16:
                self._worker.close()  # the call left processes behind: the next check starts clean
                self._worker = None

    def output_tail(self) -> str:
        return self._worker.output_tail() if self._worker else ""

    def close(self) -> None:
        if self._worker is not None:
            self._worker.close()
            self._worker = None
