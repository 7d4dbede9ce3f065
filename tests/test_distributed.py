"""A class graded on the queue (course/distributed.py): a Redis server and two workers started the way an instructor
starts them (`redis-server`, `course worker --broker URL`), `course grade --broker URL` enqueuing one task per
submission. The scores must be those of the corpus's expectations, each submission graded once, and a worker whose
grading process dies mid-submission must not lose it."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from conftest import REPO, free_port, run_course, wait_for_port
from course.examples import expectations, students, unmet

STUDENTS = ("alice", "bob", "carol", "dave")  # alice correct; bob, carol and dave with one bug each (dave loops)


@pytest.fixture
def broker(tmp_path):
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail("redis-server is needed (Debian package redis-server; scripts/test.sh installs it)")
    port = free_port()
    process = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
    wait_for_port(port)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=30)


def start_worker(broker: str, name: str, log) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "course", "worker", "--broker", broker, "--name", f"{name}@%h"],
                            cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def pool_child(worker: subprocess.Popen) -> int | None:
    """The pid of the worker's grading process (Celery's pool child), once it has one."""
    for status in os.listdir("/proc"):
        if status.isdigit():
            try:
                with open(f"/proc/{status}/stat") as handle:
                    ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if ppid == worker.pid:
                return int(status)
    return None


@pytest.mark.slow
def test_two_workers_grade_a_class_once_each_and_a_killed_grading_process_loses_nothing(tmp_path, broker):
    submitted = tmp_path / "submitted"
    corpus = dict(students("02_mdp"))
    for student in STUDENTS:
        shutil.copytree(REPO / "examples" / "submitted" / student / "02_mdp", submitted / student / "02_mdp")
    logs = [open(tmp_path / f"worker{i}.log", "w") for i in (1, 2)]
    workers = [start_worker(broker, f"w{i}", log) for i, log in zip((1, 2), logs)]
    try:
        # kill the first worker's grading process once it has one: its task must go back to the queue
        grading = subprocess.Popen([sys.executable, "-m", "course", "grade", submitted, "--out", tmp_path / "graded",
                                    "--broker", broker], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True)
        deadline = time.monotonic() + 120
        while "received" not in (tmp_path / "worker1.log").read_text():
            assert time.monotonic() < deadline and grading.poll() is None, "worker 1 never received a submission"
            time.sleep(0.2)
        child = pool_child(workers[0])
        assert child is not None
        os.kill(child, signal.SIGKILL)
        output, _ = grading.communicate(timeout=600)
        assert grading.returncode == 0, output[-3000:]
    finally:
        for worker in workers:
            os.killpg(worker.pid, signal.SIGTERM)
        for worker in workers:
            worker.wait(timeout=60)
        for log in logs:
            log.close()
    worker_logs = "".join(path.read_text() for path in tmp_path.glob("worker*.log"))
    assert "WorkerLostError" in worker_logs or "lost" in worker_logs.lower(), worker_logs[-3000:]
    graded = tmp_path / "graded"
    for student in STUDENTS:
        result = json.loads((graded / student / "02_mdp" / "result.json").read_text())
        assert not unmet(result, expectations(corpus[student])), (student, result["score"])
    succeeded = worker_logs.count("succeeded in")
    assert succeeded == len(STUDENTS), f"{succeeded} tasks succeeded for {len(STUDENTS)} submissions"
    rows = (graded / "grades.csv").read_text().splitlines()
    assert len(rows) == 1 + len(STUDENTS)
    again = run_course("grade", submitted, "--out", graded, "--broker", broker)
    assert again.returncode == 0 and again.stdout.count("already graded") == len(STUDENTS), again.stdout[-2000:]
