"""Grading submissions: find them, run the hidden checks, write results and the gradebook.

For each submission the hidden checks run in their own pytest process (the
grader's trusted side, forked from a warm course.checkserver); the student's
code runs in the sandbox that process starts. Everything a submission produces lands in
``OUT/<student>/<assignment>/``: result.json, feedback.html, and where the
student's agent trained, curve.png and video.mp4. ``OUT/grades.csv`` is
rebuilt from all result.json files, so a rerun after an interruption skips
finished submissions (same notebook bytes) and loses nothing.
"""
from __future__ import annotations

import csv
from contextlib import nullcontext
import hashlib
import json
import os
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from course import feedback, notebooks
from course.checkserver import CheckServer
from course.gallery import write_gallery
from course.notebooks import ASSIGNMENTS, Assignment, SubmissionError
from course.sandbox import HIDE_ENV_VAR

SUBMISSION_TIMEOUT = 600  # seconds for all checks of one submission


@dataclass(frozen=True)
class Job:
    student: str
    assignment: Assignment
    notebook: Path


def discover(paths: list[Path], assignment_name: str | None = None) -> list[Job]:
    """Submissions under PATHs: notebooks, folders of them, or an nbgrader submitted/ tree.

    In a tree laid out as <student>/<assignment>/<notebook>.ipynb the names come
    from the folders; a lone notebook is graded as student <file stem>.
    """
    jobs = []
    for path in paths:
        path = Path(path)
        if not path.exists():
            raise SubmissionError(f"{path}: no such file or folder")
        if path.is_file():
            if path.suffix != ".ipynb":
                raise SubmissionError(f"{path}: not a notebook (expected a .ipynb file, or a folder of them)")
            candidates = [path]
        else:
            candidates = sorted(p for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
            if not candidates:
                raise SubmissionError(f"{path}: no .ipynb files in this folder")
        for notebook in candidates:
            jobs.append(_job(notebook, assignment_name))
    seen = {}
    for job in jobs:
        key = (job.student, job.assignment.name)
        if key in seen and seen[key].notebook.resolve() != job.notebook.resolve():
            raise SubmissionError(f"two submissions of {job.assignment.name} for student {job.student}: "
                                  f"{seen[key].notebook} and {job.notebook}; grade them separately")
        seen.setdefault(key, job)
    return list({(job.student, job.assignment.name): job for job in jobs}.values())


def _job(notebook: Path, assignment_name: str | None) -> Job:
    folder = notebook.parent.name
    if assignment_name:
        assignment = notebooks.get_assignment(assignment_name)
    elif folder in ASSIGNMENTS:
        assignment = ASSIGNMENTS[folder]
    else:
        try:
            assignment = notebooks.identify_assignment(notebooks.read_notebook(notebook))
        except SubmissionError as error:
            raise SubmissionError(f"{notebook}: {error}") from None
    student = notebook.parent.parent.name if folder == assignment.name else notebook.stem
    return Job(student, assignment, notebook)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def result_dir(out: Path, job: Job) -> Path:
    return out / job.student / job.assignment.name


def is_done(out: Path, job: Job) -> bool:
    """Graded before, from the same notebook bytes."""
    path = result_dir(out, job) / "result.json"
    try:
        return json.loads(path.read_text()).get("sha256") == sha256(job.notebook)
    except (OSError, ValueError):
        return False


def grade_one(job: Job, out: Path, server: CheckServer | None = None) -> dict:
    """Run the hidden checks of one submission; write result.json, feedback.html, curve and video.

    The checks run in a child of ``server`` (a warm process, see course.checkserver), or of a
    new one when none is given."""
    folder = result_dir(out, job)
    folder.mkdir(parents=True, exist_ok=True)
    artifacts = folder / "artifacts"
    checks_json, pytest_log = folder / "checks.json", folder / "pytest.log"
    checks_json.unlink(missing_ok=True)
    started = time.perf_counter()
    args = [str(job.assignment.checks_path), "-p", "course.checking", "-p", "no:cacheprovider", "-q", "--no-header",
            "-o", "addopts=", "--rootdir", str(job.assignment.checks_path.parent),
            "--submission", str(job.notebook), "--assignment", job.assignment.name,
            "--results", str(checks_json), "--artifacts", str(artifacts)]
    class_folder = job.notebook.resolve().parents[2 if job.notebook.parent.name == job.assignment.name else 0]
    env = {"PYTHONDONTWRITEBYTECODE": "1", HIDE_ENV_VAR: os.pathsep.join([str(class_folder), str(out.resolve())])}
    with nullcontext(server) if server else CheckServer() as checks_server:
        exit_code = checks_server.run(args, env, pytest_log, timeout=SUBMISSION_TIMEOUT)
    log = pytest_log.read_text(errors="replace")[-10000:] if pytest_log.exists() else ""
    if exit_code is None:
        log += f"\nthe checks did not finish within {SUBMISSION_TIMEOUT} s"
    try:
        checks = json.loads(checks_json.read_text())
    except (OSError, ValueError):
        raise RuntimeError(f"grading {job.notebook} produced no results; pytest said:\n{log}") from None
    checks_json.unlink()
    pytest_log.unlink(missing_ok=True)

    written = _written_answers(job)
    result = {
        "student": job.student, "assignment": job.assignment.name, "title": job.assignment.title,
        "notebook": str(job.notebook), "sha256": sha256(job.notebook),
        "score": round(sum(c["points"] for c in checks["checks"]), 3),
        "max_score": round(sum(c["max_points"] for c in checks["checks"]), 3),
        "manual_max_score": sum(answer["max_points"] for answer in written),
        "checks": checks["checks"],
        "manual": [{**answer, "status": "needs manual grading"} for answer in written],
        "cell_errors": checks.get("cell_errors", {}), "missing_cells": checks.get("missing", []),
        "timing": {**checks.get("timing", {}), "checks_process": round(time.perf_counter() - started, 2)},
        "output_tail": checks.get("output_tail", ""),
        "graded_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    media_started = time.perf_counter()
    result.update(_render_media(artifacts, folder))
    result["timing"]["media"] = round(time.perf_counter() - media_started, 2)
    result["timing"]["total"] = round(time.perf_counter() - started, 2)
    feedback.write(result, folder / "feedback.html")
    _write_atomic(folder / "result.json", json.dumps(result, indent=1))
    return result


def _written_answers(job: Job) -> list[dict]:
    source = notebooks.read_notebook(job.assignment.source_notebook)
    try:
        submission = notebooks.read_notebook(job.notebook)
    except SubmissionError:
        return [{**answer, "text": ""} for answer in notebooks.written_answers(source, source)]
    return notebooks.written_answers(source, submission)


def _render_media(artifacts: Path, folder: Path) -> dict:
    """The student's training curve and a video of their trained agent, from the checks' artifacts."""
    media = {}
    training = artifacts / "training.json"
    if training.exists():
        curve = json.loads(training.read_text())
        media["greedy_return"] = curve.get("greedy_return")
        media["agent_summary"] = curve.get("summary")  # a sentence for the feedback page, if the check wrote one
    # drawn by the checks process from the student's run and weights
    for name, key in (("curve.png", "curve"), ("video.mp4", "video")):
        if (artifacts / name).exists():
            os.replace(artifacts / name, folder / name)
            media[key] = name
    return media


def render_video(assignment: Assignment, policy: Path, path: Path) -> dict:
    """Render a saved policy (weights loaded with weights_only=True) with the reference's classes."""
    import torch

    from course.checking import Reference

    weights = torch.load(policy, map_location="cpu", weights_only=True)
    reference = Reference(assignment)
    return reference.probes["record_policy"](reference.module, weights=weights, path=str(path))


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


GRADE_COLUMNS = ["student", "assignment", "score", "max_score", "manual_max_score", "needs_manual_grading", "graded_at"]


def write_gradebook(out: Path) -> Path:
    """grades.csv from every result.json under OUT (one row per student and assignment)."""
    rows = []
    for path in sorted(out.glob("*/*/result.json")):
        result = json.loads(path.read_text())
        rows.append({"student": result["student"], "assignment": result["assignment"], "score": result["score"],
                     "max_score": result["max_score"], "manual_max_score": result["manual_max_score"],
                     "needs_manual_grading": len(result["manual"]), "graded_at": result["graded_at"]})
    target = out / "grades.csv"
    tmp = target.with_name("grades.csv.tmp")
    with open(tmp, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=GRADE_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    os.replace(tmp, target)
    return target


def grade(paths: list[Path], out: Path, assignment_name: str | None = None, regrade: bool = False,
          workers: int | None = None, report=print) -> list[dict]:
    """Grade every submission under PATHs into OUT with parallel workers; return their results.

    Finished submissions (same file bytes) are skipped unless ``regrade``; grades.csv is
    rebuilt after each submission, so an interrupted run loses only the ones in flight.
    """
    from concurrent.futures import ThreadPoolExecutor, as_completed
    from queue import Queue
    from threading import Lock

    from tqdm import tqdm

    jobs = discover(paths, assignment_name)
    out.mkdir(parents=True, exist_ok=True)
    done = {job: json.loads((result_dir(out, job) / "result.json").read_text())
            for job in jobs if not regrade and is_done(out, job)}
    for job, result in done.items():
        report(f"{job.student}/{job.assignment.name}: already graded, {result['score']:g}/{result['max_score']:g}")
    todo = [job for job in jobs if job not in done]
    lock = Lock()
    n_workers = max(1, workers or os.cpu_count() or 1)
    servers: Queue[CheckServer] = Queue()
    for _ in range(min(n_workers, len(todo))):
        servers.put(CheckServer())

    def grade_with_a_server(job: Job) -> dict:
        server = servers.get()
        try:
            return grade_one(job, out, server)
        finally:
            servers.put(server)

    with tqdm(total=len(todo), desc="grading", unit="submission", disable=not todo) as bar, \
            ThreadPoolExecutor(max_workers=n_workers) as pool:
        futures = {pool.submit(grade_with_a_server, job): job for job in todo}
        try:
            for future in as_completed(futures):
                job, result = futures[future], future.result()
                done[job] = result
                with lock:
                    write_gradebook(out)
                bar.write(f"{job.student}/{job.assignment.name}: {result['score']:g}/{result['max_score']:g} "
                          f"in {result['timing']['total']:.1f} s")
                bar.update()
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        finally:
            while not servers.empty():
                servers.get().close()
    write_gradebook(out)
    write_gallery(out)
    return [done[job] for job in jobs]
