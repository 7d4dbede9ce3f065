"""A warm process for the grader's side of the hidden checks.

Starting pytest with torch, scipy, gymnasium and matplotlib costs about 3 s per
submission, most of it imports. A ``CheckServer`` pays it once: its process
imports everything, then forks a child for each submission, and the child runs
pytest over the hidden checks exactly as a fresh ``python -m pytest`` would. The
child exits when done, so nothing one submission's checks did reaches the next.
Student code never runs here: it runs in the sandbox the checks start.

Where fork is not safe (outside Linux) each submission gets a new process instead.
"""
from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from course.environment import interpreter_env

WARM_IMPORTS = ("numpy", "torch", "torch._dynamo", "scipy.stats", "gymnasium", "pytest", "matplotlib.pyplot",
                "moviepy", "course.checking", "course.feedback", "coursekit")
FORK = sys.platform == "linux"


class CheckServer:
    """run(args, env, log, timeout): pytest ARGS in a fresh child, its output to LOG; returns the exit code
    (None after a timeout, when the child was killed). A context manager: leaving it stops the process."""

    def __init__(self):
        self.process = None
        self._pending = b""  # bytes read from the server past the last full reply

    def __enter__(self) -> CheckServer:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def run(self, args: list[str], env: dict, log: Path, timeout: float) -> int | None:
        if not FORK:
            with open(log, "w") as handle:
                try:
                    return subprocess.run([sys.executable, "-m", "pytest", *args], stdout=handle, stderr=subprocess.STDOUT,
                                          env=interpreter_env({**os.environ, **env}), timeout=timeout).returncode
                except subprocess.TimeoutExpired:
                    return None
        if self.process is None or self.process.poll() is not None:
            self.start()
        deadline = time.monotonic() + timeout
        self.process.stdin.write(json.dumps({"args": args, "env": env, "log": str(log)}) + "\n")
        self.process.stdin.flush()
        pid = self._reply(time.monotonic() + 30)["pid"]
        try:
            return self._reply(deadline)["exit"]
        except TimeoutError:
            os.kill(pid, signal.SIGKILL)
            self._reply(time.monotonic() + 30)
            return None

    def close(self) -> None:
        if self.process is not None:
            self.process.stdin.close()
            self.process.wait()
            self.process = None

    def start(self) -> None:
        """Start the warm process (run() does it when needed); returns once its imports are done."""
        self.process = subprocess.Popen([sys.executable, "-m", "course.checkserver"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                        env=interpreter_env({**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}))
        self._pending = b""  # a new process: nothing read from it yet
        self._reply(time.monotonic() + 120)  # {"ready": true} once the imports are done

    def _reply(self, deadline: float) -> dict:
        """The server's next JSON line; TimeoutError at the deadline, RuntimeError if the server died."""
        fd = self.process.stdout.fileno()
        while b"\n" not in self._pending:
            ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise TimeoutError
            chunk = os.read(fd, 65536)
            if not chunk:
                self.process.wait()
                raise RuntimeError(f"the check server stopped (exit code {self.process.returncode})")
            self._pending += chunk
        line, self._pending = self._pending.split(b"\n", 1)
        return json.loads(line)


def _serve() -> None:
    replies = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # stray prints from imports must not mix with the replies
    for name in WARM_IMPORTS:
        try:
            __import__(name)
        except Exception:  # an optional package missing costs only its warm-up
            pass
    from course.sandbox import use_bwrap

    use_bwrap()  # probing bubblewrap once here saves each submission's child the probe
    replies.write(json.dumps({"ready": True}) + "\n")
    for line in sys.stdin:
        job = json.loads(line)
        pid = os.fork()
        if pid == 0:
            replies.close()
            _child(job)
        replies.write(json.dumps({"pid": pid}) + "\n")
        _, status = os.waitpid(pid, 0)
        replies.write(json.dumps({"exit": os.waitstatus_to_exitcode(status)}) + "\n")


def _child(job: dict) -> None:
    """Become `python -m pytest ARGS` with the job's environment and output; never returns."""
    code = 70
    try:
        log = os.open(job["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.environ.update(job["env"])
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        import pytest

        code = int(pytest.main(job["args"]))
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


if __name__ == "__main__":
    _serve()
