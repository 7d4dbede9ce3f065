"""Grading a class on several machines: a Celery queue with a Redis broker, and stateless workers.

One task per submission. `course grade ... --broker redis://HOST:6379/0` holds the output folder's lock, enqueues
the submissions that are not graded yet and writes the class files (grades.csv, gallery, analytics) as results
arrive; `course worker --broker redis://HOST:6379/0`, started on every grading machine, takes one submission at a
time and grades it in its own sandbox (a warm check server per worker, as in a local run), writing its signed
result into the output folder. The submissions and the output folder must be at the same path on every machine (a
shared file system: NFS on a cluster).

Why Celery with Redis: the grader is already a Python process that grades one submission at a time, so a Python
task queue adds the least; Redis is one Debian package and one process. The settings that make it safe:

* ``task_acks_late`` with ``task_reject_on_worker_lost``: a task is acknowledged only after its result is written,
  and a worker that dies mid-submission (killed, out of memory) hands it back to the queue for another worker.
* Redis's ``visibility_timeout`` just above the time limit of one submission: a task whose worker's machine went
  away is delivered again after it, and no task is delivered twice for being slow.
* ``worker_prefetch_multiplier = 1``: a worker reserves only the submission it grades, so a slow end-to-end check
  does not hold back submissions that an idle worker could take.
* Idempotent tasks: a task whose submission already has a trusted result of the same bytes and grader returns it
  without grading; a task delivered twice writes the same result.json twice (atomically), never two.

A Slurm job array suits a university cluster with no long-running services; this queue suits machines that
instructors start and stop as the class grows, and needs nothing but a reachable Redis.
"""
from __future__ import annotations

import atexit
import time
from pathlib import Path

from course.checkserver import CheckServer
from course.grading import SUBMISSION_TIMEOUT, Job, finished_result, grade_guarded, result_key
from course.notebooks import ASSIGNMENTS, SubmissionError

try:
    from celery import Celery
except ImportError as missing:
    raise SubmissionError("grading on a queue needs Celery with Redis: pip install -e '.[queue]' in the course's "
                          "environment (scripts/setup.sh --test installs it)") from missing

TASK = "course.grade_submission"
_server: CheckServer | None = None


def make_app(broker: str) -> Celery:
    """The Celery application of the grading queue on BROKER (a redis:// URL; it also keeps task results)."""
    app = Celery("course", broker=broker, backend=broker)
    app.conf.update(task_acks_late=True, task_reject_on_worker_lost=True, worker_prefetch_multiplier=1,
                    task_serializer="json", result_serializer="json", accept_content=["json"],
                    broker_connection_retry_on_startup=True, result_expires=7 * 24 * 3600,
                    worker_hijack_root_logger=False,
                    # a task not acknowledged this long after delivery (its worker's machine died) goes to another
                    # worker; no submission takes longer than SUBMISSION_TIMEOUT, so none is graded twice for being slow
                    broker_transport_options={"visibility_timeout": SUBMISSION_TIMEOUT + 600})
    app.task(name=TASK)(grade_submission)
    return app


def grade_submission(student: str, assignment: str, notebook: str | None, also_found: list[str], out: str,
                     regrade: bool = False) -> dict:
    """Grade one submission into OUT (a task; run by a worker). Returns its student, assignment, score and
    max_score, and whether it was graded now (False: a trusted result of the same notebook was already there and
    REGRADE was not asked for)."""
    global _server
    job = Job(student, ASSIGNMENTS[assignment], Path(notebook) if notebook else None,
              tuple(Path(path) for path in also_found))
    folder = Path(out)
    key = result_key(folder)
    if key is None:
        raise RuntimeError(f"{folder} has no grader key (.course/key): start grading with `course grade --out "
                           f"{folder} --broker ...`, and give every worker the same path to that folder")
    result, graded = None if regrade else finished_result(folder, job, key), False
    if result is None:
        if _server is None:
            _server = CheckServer()
            atexit.register(_server.close)
        result, graded = grade_guarded(job, folder, _server), True
    return {"student": student, "assignment": assignment, "score": result["score"],
            "max_score": result["max_score"], "graded": graded}


def run_worker(broker: str, concurrency: int = 1, name: str | None = None) -> None:
    """A worker of the grading queue in this process: CONCURRENCY submissions at a time (one per core it may use)."""
    argv = ["worker", f"--concurrency={concurrency}", "--pool=prefork", "--loglevel=INFO", "--without-gossip",
            "--without-mingle"]
    if name:
        argv.append(f"--hostname={name}")
    make_app(broker).worker_main(argv)


def grade_on_queue(jobs: list[Job], out: Path, broker: str, on_result, report=print, regrade: bool = False,
                   poll: float = 0.5) -> None:
    """Enqueue one task per job and call on_result(job) as each one's result is written, in the order they finish.
    A task that fails (the worker could not reach the files, say) is reported; its submission is left ungraded
    and a later run enqueues it again."""
    app = make_app(broker)
    pending = {app.send_task(TASK, args=[job.student, job.assignment.name, job.notebook and str(job.notebook),
                                         [str(path) for path in job.also_found], str(out.resolve()), regrade]): job
               for job in jobs}
    report(f"queued {len(pending)} submissions on {broker}; workers: `course worker --broker {broker}`")
    while pending:
        finished = [task for task in pending if task.ready()]
        if not finished:
            time.sleep(poll)
            continue
        for task in finished:
            job = pending.pop(task)
            if task.successful():
                on_result(job)
            else:
                report(f"{job.student}/{job.assignment.name}: a worker failed to grade it ({task.result!r}); "
                       "run `course grade` again to queue it again")
            task.forget()
