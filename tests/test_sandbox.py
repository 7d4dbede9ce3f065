"""The sandbox: a student's cell or function that hangs, crashes, exits or floods output
costs only that call, and the worker comes back for the next one; time limits count CPU time,
so a busy machine changes no result. The properties of the bubblewrap sandbox are in
tests/test_sandbox_inside.py."""
import os
import subprocess
import sys
import time

import pytest

from course import sandbox
from course.cgroups import can_limit_processes
from course.sandbox import Cell, StudentCrash, StudentError, StudentTimeout, Submission

PROBES = '''
def run(m, name, args):
    return getattr(m, name)(*args)
'''

CELLS = [
    Cell("setup", "import os, sys\nBASE = 10"),
    Cell("add", "def add(a, b):\n    print('adding')\n    return a + b + BASE"),
    Cell("spin", "def spin():\n    while True:\n        pass"),
    Cell("leave", "def leave(code):\n    os._exit(code)"),
    Cell("shout", "def shout():\n    while True:\n        print('x' * 100_000)"),
    Cell("fail", "def fail():\n    raise ValueError('nope')"),
    Cell("hang_at_load", "while True:\n    pass"),
    Cell("exit_at_load", "sys.exit(3)"),
    Cell("work", "import time\ndef work(seconds):\n    start = time.process_time()\n"
                 "    while time.process_time() - start < seconds:\n        pass\n    return True"),
    Cell("doze", "def doze():\n    import time\n    time.sleep(600)"),
    Cell("ask", "def ask():\n    return input('your name? ')"),
    Cell("bomb", "def bomb():\n    children = []\n    for _ in range(10_000):\n        pid = os.fork()\n"
                 "        if pid == 0:\n            import time\n            time.sleep(30)\n            os._exit(0)\n"
                 "        children.append(pid)"),
]


@pytest.fixture(scope="module")
def submission():
    sub = Submission(CELLS, PROBES, cell_cpu_seconds=3)
    yield sub
    sub.close()


def run(submission, name, *args, cpu_seconds=5.0):
    return submission.call("run", cpu_seconds=cpu_seconds, name=name, args=list(args))


def test_cells_that_hang_or_exit_at_load_are_dropped_alone(submission):
    assert run(submission, "add", 1, 2) == 13
    assert "s of CPU time" in submission.cell_errors["hang_at_load"]
    assert "SystemExit" in submission.cell_errors["exit_at_load"]
    assert set(submission.cell_errors) == {"hang_at_load", "exit_at_load"}


def test_an_exception_reports_the_students_traceback_only(submission):
    with pytest.raises(StudentError) as error:
        run(submission, "fail")
    assert "ValueError: nope" in error.value.traceback
    assert '<cell fail>' in error.value.traceback
    assert "course/worker.py" not in error.value.traceback


def test_an_endless_loop_uses_up_its_cpu_time_and_the_next_call_works(submission):
    with pytest.raises(StudentTimeout, match="used more than 2 s of CPU time"):
        run(submission, "spin", cpu_seconds=2)
    assert run(submission, "add", 0, 0) == 10
    assert submission.calls[-2][0] == "run" and 2 <= submission.calls[-2][1] < 4, submission.calls[-2]


def test_code_that_sleeps_is_stopped_by_the_wall_clock_backstop(submission, monkeypatch):
    monkeypatch.setattr(sandbox, "WALL_MINIMUM", 0.0)
    monkeypatch.setattr(sandbox, "WALL_FACTOR", 1.0)
    with pytest.raises(StudentTimeout, match="did not finish within 3 s while computing for only 0.0 s"):
        run(submission, "doze", cpu_seconds=3)
    assert run(submission, "add", 0, 1) == 11


def test_input_fails_at_once_instead_of_waiting(submission):
    with pytest.raises(StudentError, match="EOFError"):
        run(submission, "ask")


@pytest.fixture
def busy_machine():
    """Four spinning processes per core, each in its own session (as other users' jobs are)."""
    spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"], start_new_session=True)
                for _ in range(4 * os.cpu_count())]
    yield
    for spinner in spinners:
        spinner.kill()
        spinner.wait()


def test_a_busy_machine_does_not_time_out_code_that_computes(submission, busy_machine, monkeypatch):
    """2 s of work on a machine oversubscribed 4 times takes far more than 3 s of wall time; with a
    CPU limit of 3 s and a backstop of 3 s it still passes, because waits for a CPU are not counted."""
    monkeypatch.setattr(sandbox, "WALL_MINIMUM", 0.0)
    monkeypatch.setattr(sandbox, "WALL_FACTOR", 1.0)
    started = time.monotonic()
    assert run(submission, "work", 2.0, cpu_seconds=3) is True
    assert time.monotonic() - started > 3, "the machine was not busy enough for a wall clock to have stopped it"


def test_os_exit_is_a_crash_of_that_call_only(submission):
    with pytest.raises(StudentCrash, match="exit code 7"):
        run(submission, "leave", 7)
    assert run(submission, "add", 1, 1) == 12


def test_flooding_output_is_cut_off_by_the_output_limit(submission):
    with pytest.raises(StudentCrash, match="printed or wrote more than 8 MiB"):
        run(submission, "shout", cpu_seconds=30)
    assert run(submission, "add", 1, 1) == 12


@pytest.mark.skipif(not can_limit_processes(), reason="this machine gives the grader no pids cgroup")
def test_a_fork_bomb_hits_the_process_limit(submission):
    with pytest.raises(StudentError, match="Resource temporarily unavailable|Errno 11"):
        run(submission, "bomb", cpu_seconds=20)
    assert run(submission, "add", 2, 2) == 14


@pytest.mark.skipif(not sandbox.use_bwrap(), reason="bubblewrap cannot run here")
def test_an_older_bubblewrap_without_size_or_disable_userns_still_sandboxes(monkeypatch, tmp_path):
    """bubblewrap 0.6 (Ubuntu 22.04, Gradescope's image) lacks --size and --disable-userns: the worker still
    runs under bubblewrap as the unprivileged user, without those two."""
    monkeypatch.setattr(sandbox, "bwrap_options", lambda: frozenset({"--unshare-user", "--cap-drop", "--tmpfs"}))
    args = sandbox.bwrap_arguments(tmp_path, sandbox.Limits())
    assert "--size" not in args and "--disable-userns" not in args and "--cap-drop" in args
    older = Submission([Cell("who", "import os\ndef who():\n    return os.getuid()")], PROBES)
    try:
        assert run(older, "who") == sandbox.SANDBOX_UID
    finally:
        older.close()
