"""The sandbox: a student's cell or function that hangs, crashes, exits or floods output
costs only that call, and the worker comes back for the next one."""
import shutil
import tempfile
from pathlib import Path

import pytest

from course.sandbox import HIDE_ENV_VAR, REPO_DIR, Cell, can_limit_processes, StudentCrash, StudentError, StudentTimeout, Submission, use_bwrap

PROBES = '''
def run(m, name, args):
    return getattr(m, name)(*args)
'''

CELLS = [
    Cell("setup", "import os, sys\nBASE = 10", graded=False),
    Cell("add", "def add(a, b):\n    print('adding')\n    return a + b + BASE", graded=True),
    Cell("spin", "def spin():\n    while True:\n        pass", graded=True),
    Cell("leave", "def leave(code):\n    os._exit(code)", graded=True),
    Cell("shout", "def shout():\n    while True:\n        print('x' * 100_000)", graded=True),
    Cell("fail", "def fail():\n    raise ValueError('nope')", graded=True),
    Cell("hang_at_load", "while True:\n    pass", graded=True),
    Cell("exit_at_load", "sys.exit(3)", graded=True),
    Cell("read", "def read(path):\n    return open(path).read()", graded=True),
    Cell("bomb", "def bomb():\n    children = []\n    for _ in range(10_000):\n        pid = os.fork()\n"
                 "        if pid == 0:\n            import time\n            time.sleep(30)\n            os._exit(0)\n"
                 "        children.append(pid)", graded=True),
]


@pytest.fixture(scope="module")
def submission():
    sub = Submission(CELLS, PROBES, cell_timeout=3)
    yield sub
    sub.close()


def run(submission, name, *args, timeout=5.0):
    return submission.call("run", timeout=timeout, name=name, args=list(args))


def test_cells_that_hang_or_exit_at_load_are_dropped_alone(submission):
    assert run(submission, "add", 1, 2) == 13
    assert "timed out" in submission.cell_errors["hang_at_load"]
    assert "SystemExit" in submission.cell_errors["exit_at_load"]
    assert set(submission.cell_errors) == {"hang_at_load", "exit_at_load"}


def test_an_exception_reports_the_students_traceback_only(submission):
    with pytest.raises(StudentError) as error:
        run(submission, "fail")
    assert "ValueError: nope" in error.value.traceback
    assert '<cell fail>' in error.value.traceback
    assert "course/worker.py" not in error.value.traceback


def test_an_endless_loop_times_out_and_the_next_call_works(submission):
    with pytest.raises(StudentTimeout):
        run(submission, "spin", timeout=2)
    assert run(submission, "add", 0, 0) == 10


def test_os_exit_is_a_crash_of_that_call_only(submission):
    with pytest.raises(StudentCrash, match="exit code 7"):
        run(submission, "leave", 7)
    assert run(submission, "add", 1, 1) == 12


def test_flooding_output_is_cut_off_by_the_output_limit(submission):
    with pytest.raises(StudentCrash, match="printed more than 8 MiB"):
        run(submission, "shout", timeout=30)
    assert run(submission, "add", 1, 1) == 12


@pytest.mark.skipif(not use_bwrap(), reason="bubblewrap is not available on this machine")
def test_the_repository_is_hidden_from_student_code(submission):
    with pytest.raises(StudentError, match="No such file"):
        run(submission, "read", str(REPO_DIR / "solutions" / "dqn.py"))
    assert "def " in run(submission, "read", str(REPO_DIR / "course" / "wire.py"))


@pytest.mark.skipif(not use_bwrap(), reason="bubblewrap is not available on this machine")
def test_folders_named_by_the_grader_are_hidden(monkeypatch):
    """Other students' submissions and the grading output, wherever they are, are out of reach."""
    classroom = Path(tempfile.mkdtemp(prefix="course-class-", dir="/var/tmp"))  # /tmp is private anyway
    try:
        (classroom / "other_student.ipynb").write_text("secret")
        monkeypatch.setenv(HIDE_ENV_VAR, str(classroom))
        sub = Submission([cell for cell in CELLS if cell.name in ("setup", "read")], PROBES)
        try:
            with pytest.raises(StudentError, match="No such file"):
                run(sub, "read", str(classroom / "other_student.ipynb"))
        finally:
            sub.close()
    finally:
        shutil.rmtree(classroom)


@pytest.mark.skipif(not can_limit_processes(), reason="this machine gives the grader no pids cgroup")
def test_a_fork_bomb_hits_the_process_limit(submission):
    with pytest.raises(StudentError, match="Resource temporarily unavailable|Errno 11"):
        run(submission, "bomb", timeout=20)
    assert run(submission, "add", 2, 2) == 14
