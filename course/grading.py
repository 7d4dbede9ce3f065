"""Grading submissions: find them, run the hidden checks, write results and the gradebook.

For each submission the hidden checks run in their own pytest process (the
grader's trusted side, forked from a warm course.checkserver); the student's
code runs in the sandbox that process starts. Everything a submission produces lands in
``OUT/<student>/<assignment>/``: result.json, feedback.html, and where the
student's agent trained, curve.png and video.mp4. ``OUT/grades.csv`` is
rebuilt from all result.json files, so a rerun after an interruption skips
finished submissions (same notebook bytes) and loses nothing.

No submission can stop the class: each is graded inside its own guard, and whatever its
file holds it gets a result (at worst every check failed, with a message saying why) and
a row in grades.csv. A result counts only if this grader wrote it: each carries an
HMAC-SHA256 signature made with a key kept in ``OUT/.course/key``. One ``course grade``
at a time may write into OUT (``OUT/.course/lock``).
"""
from __future__ import annotations

import ast
import contextlib
import csv
import fcntl
import functools
import hashlib
import hmac
import io
import json
import math
import os
import re
import secrets
import time
import traceback
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from course import feedback, notebooks
from course.files import write_atomic
from course.checkserver import CheckServer
from course.analytics import write_analytics
from course.nbgradebook import manual_points
from course.gallery import write_gallery
from course.notebooks import ASSIGNMENTS, PIECES_PATH, Assignment, SubmissionError
from course.sandbox import use_bwrap

SUBMISSION_TIMEOUT = 3600  # wall seconds for all checks of one submission: only a backstop for a grader that hangs
# (each call into the student's code has its own CPU-time limit; correct work takes 2-30 s of it per submission)
STUDENT_NAME = re.compile(r"\w[\w.@+-]{0,99}")
STUDENT_NAME_RULE = "1 to 100 letters, digits and _ . @ + -, the first a letter, digit or _"
COURSE_DIR = ".course"  # inside OUT: the signing key and the lock, for the grader only
GRADEBOOK, NOT_GRADED, CANVAS = "grades.csv", "not_graded.csv", "canvas.csv"
CLASS_FILES = (GRADEBOOK, NOT_GRADED, CANVAS, "gallery.html", "analytics.html")  # what grade writes in OUT besides the students' folders


class OutputFolderBusy(Exception):
    """Another ``course grade`` is writing into the same OUT folder."""


def student_name_problem(name: str) -> str | None:
    """Why NAME cannot be a student's name (it becomes a folder, a link, a CSV cell), or None if it can."""
    if name in CLASS_FILES or name.removesuffix(".tmp") in CLASS_FILES:
        return f"'{name}' is not allowed as a student name: the class's own {name.removesuffix('.tmp')} is written there"
    if STUDENT_NAME.fullmatch(name):
        return None
    return f"'{printable(name)}' is not allowed as a student name (allowed: {STUDENT_NAME_RULE})"


def printable(text: str) -> str:
    """TEXT with control and other unprintable characters escaped, safe to print on a terminal."""
    return "".join(char if char.isprintable() else ascii(char)[1:-1] for char in text)


@dataclass(frozen=True)
class Job:
    """One student's submission of one assignment. ``notebook`` is None when the student's
    folder holds several notebooks and none has the released name: nothing is graded then."""

    student: str
    assignment: Assignment
    notebook: Path | None
    also_found: tuple[Path, ...] = ()  # the student's other notebooks of this assignment, not graded

    def __post_init__(self):
        problem = student_name_problem(self.student)
        if problem:
            raise SubmissionError(problem)


@dataclass(frozen=True)
class NotGraded:
    """A notebook found under the given folders that is not any student's submission."""

    path: Path
    reason: str


# ---------------------------------------------------------------- finding the submissions
def discover(paths: list[Path], assignment_name: str | None = None) -> tuple[list[Job], list[NotGraded]]:
    """Submissions under PATHs, and the notebooks found there that are not graded (with why).

    A PATH is a notebook or a folder. In a folder, a notebook is graded only where the tree
    names its student: ``<student>/<assignment>/<file>.ipynb`` (an nbgrader submitted/ tree;
    the student is the folder under PATH), ``<assignment>/<file>.ipynb`` (PATH is one
    student's folder) or ``<file>.ipynb`` directly in PATH (the student is its stem). A
    notebook named as a PATH is graded as the student above its assignment folder, else as
    its stem. Several notebooks of one student and assignment: the one named
    ``<assignment>.ipynb`` is graded and the others noted; without one, none is graded and
    the student's result asks which. An argument that cannot be graded stops the run before
    anything is written; a file inside a folder never does.
    """
    if assignment_name:
        notebooks.get_assignment(assignment_name)  # an unknown name stops the run with the list of known ones
    found: dict[tuple[str, str], list[Path]] = {}
    not_graded = []
    for path in map(Path, paths):
        if not path.exists():
            raise SubmissionError(f"{path}: no such file or folder")
        if path.is_file():
            if path.suffix != ".ipynb":
                raise SubmissionError(f"{path}: not a notebook (expected a .ipynb file, or a folder of them)")
            student, assignment = _named_notebook(path, assignment_name)
            found.setdefault((student, assignment.name), []).append(path)
            continue
        candidates = sorted(p for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.relative_to(path).parts)
        if not candidates:
            raise SubmissionError(f"{path}: no .ipynb files in this folder")
        for notebook in candidates:
            try:
                place = _place_in_tree(path, notebook, assignment_name)
            except SubmissionError as error:
                not_graded.append(NotGraded(notebook, str(error)))
                continue
            if place is not None:
                found.setdefault(place, []).append(notebook)
    jobs = [_job(student, ASSIGNMENTS[name], files) for (student, name), files in sorted(found.items())]
    return jobs, not_graded


def _named_notebook(notebook: Path, assignment_name: str | None) -> tuple[str, Assignment]:
    """Student and assignment of a notebook given by name on the command line."""
    assignment = assignment_of(notebook, assignment_name)
    folder = notebook.resolve().parent
    student = folder.parent.name if folder.name == assignment.name else notebook.stem
    problem = student_name_problem(student)
    if problem:
        raise SubmissionError(f"{notebook}: {problem}; rename the file, or put it in <student>/{assignment.name}/")
    return student, assignment


def assignment_of(notebook: Path, assignment_name: str | None) -> Assignment:
    """--assignment if given, else the notebook's folder if it is named after an assignment, else its content."""
    if assignment_name:
        return notebooks.get_assignment(assignment_name)
    if notebook.parent.name in ASSIGNMENTS:
        return ASSIGNMENTS[notebook.parent.name]
    try:
        return notebooks.identify_assignment(notebooks.read_notebook(notebook))
    except SubmissionError as error:
        raise SubmissionError(f"{notebook}: {error}") from None


def _place_in_tree(root: Path, notebook: Path, assignment_name: str | None) -> tuple[str, str] | None:
    """(student, assignment) of a notebook found under ROOT; None for another assignment than the
    one asked for; SubmissionError (the reason) for a notebook that is not a submission."""
    if notebook.is_symlink() or not notebook.is_file():
        raise SubmissionError("a link or special file, not a notebook file; copy the notebook itself here")
    parts = notebook.relative_to(root).parts
    lone = len(parts) == 1 and root.resolve().name not in ASSIGNMENTS
    if not lone and not (len(parts) <= 3 and notebook.parent.name in ASSIGNMENTS):
        raise SubmissionError(f"a submission must be <student>/<assignment>/<notebook>.ipynb under {root} "
                              f"(assignments: {', '.join(ASSIGNMENTS)}); this file is not, so it belongs to no student")
    if not lone and assignment_name and notebook.parent.name != assignment_name:
        return None
    student = notebook.stem if lone else {1: root.resolve().parent.name, 2: root.resolve().name, 3: parts[0]}[len(parts)]
    problem = student_name_problem(student)
    if problem:
        raise SubmissionError(f"{problem}; rename the folder or file and grade again")
    return student, assignment_of(notebook, assignment_name).name if lone else notebook.parent.name


def _job(student: str, assignment: Assignment, files: list[Path]) -> Job:
    """The job of one student and assignment from the notebooks found for them (see discover)."""
    unique = list({path.resolve(): path for path in files}.values())
    if len(unique) == 1:
        return Job(student, assignment, unique[0])
    released = [path for path in unique if path.name == f"{assignment.name}.ipynb"]
    if len(released) == 1:
        return Job(student, assignment, released[0], tuple(path for path in unique if path != released[0]))
    return Job(student, assignment, None, tuple(unique))


# ---------------------------------------------------------------- trusting results
def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@functools.cache
def grader_version(assignment: Assignment) -> str:
    """A digest of the code that grades ASSIGNMENT: course/*.py, its hidden checks, probes,
    reference and source notebook. A result from other code is graded again."""
    digest = hashlib.sha256()
    files = sorted(Path(__file__).parent.glob("*.py")) + [assignment.checks_path, assignment.probes_path, PIECES_PATH,
                                                           assignment.solutions_path, assignment.source_notebook]
    for path in files:
        digest.update(f"{path.name}\0{path.stat().st_size}\0".encode() + path.read_bytes())
    return digest.hexdigest()


def _course_dir(out: Path) -> Path:
    folder = out / COURSE_DIR
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    return folder


def result_key(out: Path, create: bool = False) -> bytes | None:
    """The key that signs OUT's results (OUT/.course/key, mode 0600), made on first use if CREATE."""
    path = out / COURSE_DIR / "key"
    if not path.exists():
        if not create:
            return None
        descriptor = os.open(_course_dir(out) / "key", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_bytes().strip()


def _signature(result: dict, key: bytes) -> str:
    unsigned = {name: value for name, value in result.items() if name != "signature"}
    canonical = json.dumps(json.loads(json.dumps(unsigned)), sort_keys=True, separators=(",", ":"))
    return hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()


def write_result(folder: Path, result: dict, key: bytes) -> dict:
    """Sign RESULT and write it as FOLDER/result.json (atomically); return the signed result."""
    signed = {**result, "signature": _signature(result, key)}
    write_atomic(folder / "result.json", json.dumps(signed, indent=1))
    return signed


def read_trusted_result(path: Path, key: bytes | None) -> dict | None:
    """The result at PATH if its signature verifies with KEY; None if unreadable, unsigned or edited."""
    try:
        result = json.loads(path.read_text())
    except (OSError, ValueError, RecursionError):
        return None
    if key is None or not isinstance(result, dict) or not isinstance(result.get("signature"), str):
        return None
    return result if hmac.compare_digest(result["signature"], _signature(result, key)) else None


def trusted_results(out: Path, key: bytes | None) -> tuple[list[dict], list[Path]]:
    """Every OUT/<student>/<assignment>/result.json this grader wrote, and the paths of the others."""
    trusted, rejected = [], []
    for path in sorted(out.glob("*/*/result.json")):
        result = read_trusted_result(path, key)
        if result is None:
            rejected.append(path)
        else:
            trusted.append(result)
    return trusted, rejected


def result_dir(out: Path, job: Job) -> Path:
    return out / job.student / job.assignment.name


def finished_result(out: Path, job: Job, key: bytes) -> dict | None:
    """The result of an earlier grading of JOB if it still holds: signed by this grader, of the
    same notebook bytes, by the same grader code, with the same other files, and no grader error."""
    if job.notebook is None:
        return None
    result = read_trusted_result(result_dir(out, job) / "result.json", key)
    if result is None or result.get("grader_error") or result.get("grader_version") != grader_version(job.assignment):
        return None
    if result.get("also_found") != [path.name for path in job.also_found]:
        return None
    try:
        return result if result.get("sha256") == sha256(job.notebook) else None
    except OSError:
        return None


@contextlib.contextmanager
def locked(out: Path):
    """Hold OUT/.course/lock while grading into OUT; another holder makes this raise OutputFolderBusy at once."""
    handle = open(_course_dir(out) / "lock", "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "starting"
        handle.close()
        raise OutputFolderBusy(f"{out} is being written by another `course grade` (process {holder}); wait for it "
                               "to finish, or grade into another --out folder") from None
    handle.truncate(0)
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    try:
        yield
    finally:
        handle.close()  # releases the lock


# ---------------------------------------------------------------- grading one submission
def declared_checks(assignment: Assignment, message: str) -> list[dict]:
    """Every hidden check of ASSIGNMENT, failed with MESSAGE: what a result holds when the checks
    could not run. Read from autograder/<assignment>/checks.py (names, docstrings, @points, @exercise,
    end_to_end) without running it."""
    checks = []
    for node in ast.parse(assignment.checks_path.read_text()).body:
        if not (isinstance(node, ast.FunctionDef) and node.name.startswith("test_")):
            continue
        marks = {}  # decorator name -> its arguments: points(3), exercise("train"), pytest.mark.end_to_end
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
            marks[name] = decorator.args if isinstance(decorator, ast.Call) else []
        points = ast.literal_eval(marks["points"][0]) if marks.get("points") else 0
        exercise = ast.literal_eval(marks["exercise"][0]) if marks.get("exercise") else ""
        docstring = (ast.get_docstring(node, clean=False) or "").strip()
        checks.append({"name": node.name.removeprefix("test_"), "exercise": exercise,
                       "description": docstring.splitlines()[0] if docstring else "", "points": 0.0,
                       "max_points": float(points), "passed": False, "message": message,
                       "end_to_end": "end_to_end" in marks, "seconds": 0.0})
    return checks


def grade_one(job: Job, out: Path, server: CheckServer | None = None) -> dict:
    """Run the hidden checks of one submission; write result.json, feedback.html, and the curve and video the
    end-to-end check drew.

    The checks run in a child of ``server`` (a warm process, see course.checkserver), or of a
    new one when none is given. A checks process that leaves no results (it died, or ran past
    SUBMISSION_TIMEOUT) gives a result with every check failed and ``grader_error`` set, which a
    rerun grades again; its log is kept as grader_error.log for the instructor."""
    folder = result_dir(out, job)
    folder.mkdir(parents=True, exist_ok=True)
    artifacts = folder / "artifacts"
    checks_json, pytest_log, error_log = folder / "checks.json", folder / "pytest.log", folder / "grader_error.log"
    checks_json.unlink(missing_ok=True)
    started = time.perf_counter()
    digest = sha256(job.notebook)  # of the bytes the checks read
    args = [str(job.assignment.checks_path), "-p", "course.checking", "-p", "no:cacheprovider", "-q", "--no-header",
            "-o", "addopts=", "--rootdir", str(job.assignment.checks_path.parent),
            "--submission", str(job.notebook), "--assignment", job.assignment.name,
            "--results", str(checks_json), "--artifacts", str(artifacts)]
    with contextlib.nullcontext(server) if server else CheckServer() as checks_server:
        exit_code = checks_server.run(args, {"PYTHONDONTWRITEBYTECODE": "1"}, pytest_log, timeout=SUBMISSION_TIMEOUT)
    try:
        checks = json.loads(checks_json.read_text())
    except (OSError, ValueError):
        checks = None
    checks_json.unlink(missing_ok=True)
    submission, unreadable = _read_submission(job.notebook)
    result = _new_result(job, _written_answers(job.assignment, submission), sha256=digest)
    if checks is None:
        why = (f"the checks did not finish within {SUBMISSION_TIMEOUT} s, the time limit of a whole submission"
               if exit_code is None else f"the grader's checks process stopped without results (exit code {exit_code})")
        result.update(checks=declared_checks(job.assignment, f"{why}; no check could be scored, and your instructor "
                                                             "will look at it"), grader_error=True)
        if pytest_log.exists():
            os.replace(pytest_log, error_log)
    else:
        result.update(checks=checks["checks"], cell_errors=checks.get("cell_errors", {}),
                      missing_cells=checks.get("missing", []), output_tail=checks.get("output_tail", ""))
        if checks.get("curve_error"):
            result["curve_error"] = checks["curve_error"]
        result["timing"].update(checks.get("timing", {}))
        pytest_log.unlink(missing_ok=True)
        error_log.unlink(missing_ok=True)
    result["timing"]["checks_process"] = round(time.perf_counter() - started, 2)
    result.update(_collect_media(artifacts, folder))
    result["timing"]["total"] = round(time.perf_counter() - started, 2)
    return _finish(job, out, result, unreadable=bool(unreadable))


def grade_guarded(job: Job, out: Path, server: CheckServer | None = None) -> dict:
    """grade_one inside a guard: whatever the submission holds, it gets a result and a row.

    A student with several notebooks and none of the released name gets every check failed
    with a message asking which; an error of the grader itself on this submission (a broken
    check server, a file that vanished...) gets every check failed, ``grader_error`` set, and
    the traceback in grader_error.log."""
    if job.notebook is None:
        names = ", ".join(path.name for path in job.also_found)
        message = (f"the grader found {len(job.also_found)} notebooks of {job.assignment.name} for you ({names}) and "
                   f"cannot tell which one to grade; submit only {job.assignment.name}.ipynb")
        result = _new_result(job, _written_answers(job.assignment, None), checks=declared_checks(job.assignment, message))
        return _finish(job, out, result)
    try:
        return grade_one(job, out, server)
    except Exception:
        folder = result_dir(out, job)
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(folder / "grader_error.log", traceback.format_exc())
        if server is not None:
            _discard(server)
        message = "the grader failed on this submission; no check could be scored, and your instructor will look at it"
        result = _new_result(job, _written_answers(job.assignment, _read_submission(job.notebook)[0]),
                             checks=declared_checks(job.assignment, message), grader_error=True)
        return _finish(job, out, result)


def _discard(server: CheckServer) -> None:
    """Stop a check server that failed mid-submission; its next run starts a fresh process."""
    if server.process is not None:
        server.process.kill()
    with contextlib.suppress(OSError):
        server.close()


def _new_result(job: Job, written: list[dict], **fields) -> dict:
    """A result with no checks yet; FIELDS override its defaults."""
    return {
        "student": job.student, "assignment": job.assignment.name, "title": job.assignment.title,
        "notebook": str(job.notebook.absolute()) if job.notebook else None, "sha256": None,
        "grader_version": grader_version(job.assignment), "checks": [],
        "manual_max_score": sum(answer["max_points"] for answer in written),
        "manual": [{**answer, "status": "needs manual grading"} for answer in written],
        "cell_errors": {}, "missing_cells": [], "timing": {}, "output_tail": "",
        "also_found": [path.name for path in job.also_found], "grader_error": False,
        "graded_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), **fields,
    }


def _finish(job: Job, out: Path, result: dict, unreadable: bool = False) -> dict:
    """Score RESULT, note what the instructor should know, write feedback.html and the signed result.json."""
    folder = result_dir(out, job)
    folder.mkdir(parents=True, exist_ok=True)
    result["score"] = round(sum(check["points"] for check in result["checks"]), 3)
    result["max_score"] = round(sum(check["max_points"] for check in result["checks"]), 3)
    result["timing"].setdefault("total", 0.0)
    notes = ["grader error" if result["grader_error"] else "which one?" if job.notebook is None
             else "not a notebook" if unreadable else ""]
    if job.notebook is not None and job.also_found:
        notes.append("also found: " + ", ".join(result["also_found"]))
    result["note"] = "; ".join(note for note in notes if note)
    feedback.write(result, folder / "feedback.html")
    return write_result(folder, result, result_key(out, create=True))


def _read_submission(notebook: Path) -> tuple[notebooks.Node | None, str]:
    """The submission's notebook, or None and why it cannot be read."""
    try:
        return notebooks.read_notebook(notebook), ""
    except Exception as error:  # read_notebook raises SubmissionError; this also runs inside grade_guarded's guard
        return None, str(error)


def _written_answers(assignment: Assignment, submission) -> list[dict]:
    """The assignment's written answers with the submission's text (empty when there is none)."""
    source = notebooks.read_notebook(assignment.source_notebook)
    if submission is None:
        return [{**answer, "text": ""} for answer in notebooks.written_answers(source, source)]
    return notebooks.written_answers(source, submission)


def _collect_media(artifacts: Path, folder: Path) -> dict:
    """The student's training curve and the video of their trained agent, which the end-to-end check drew from the
    student's run and weights, moved next to result.json; and the greedy return the grader measured.

    training.json holds what the student's run recorded; only a finite number (greedy_return) is taken from it,
    so no content of it can break the feedback."""
    media = {}
    try:
        curve = json.loads((artifacts / "training.json").read_text())
    except (OSError, ValueError, RecursionError):
        curve = {}
    if isinstance(curve, dict):
        greedy = curve.get("greedy_return")
        if type(greedy) in (int, float) and math.isfinite(greedy):
            media["greedy_return"] = greedy
    for name, key in (("curve.png", "curve"), ("video.mp4", "video")):
        if (artifacts / name).is_file():
            os.replace(artifacts / name, folder / name)
            media[key] = name
    return media


def render_video(assignment: Assignment, policy: Path, path: Path) -> dict:
    """Render a saved policy (weights loaded with weights_only=True) with the reference's classes."""
    import torch

    from course.checking import Reference

    weights = torch.load(policy, map_location="cpu", weights_only=True)
    reference = Reference(assignment)
    return reference.probes.record_policy(reference.module, weights=weights, path=str(path))


# ---------------------------------------------------------------- the class's files
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A CSV cell that spreadsheets show as text: a string that starts like a formula gets a
    leading ' (OWASP's advice on CSV injection); numbers are kept."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> Path:
    """Write ROWS atomically, every cell made spreadsheet-safe."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    writer.writerows({column: spreadsheet_safe(row[column]) for column in columns} for row in rows)
    return write_atomic(path, buffer.getvalue())


GRADE_COLUMNS = ["student", "assignment", "score", "max_score", "manual_score", "manual_max_score", "total",
                 "max_total", "needs_manual_grading", "graded_at", "note"]


def gradebook_rows(out: Path, results: list[dict], by_hand: dict | None = None) -> list[dict]:
    """One row per result (trusted_results gives them), by student and assignment. score is the autograder's;
    manual_score, the points given by hand in nbgrader's formgrader once OUT was synced into its gradebook
    (course nbgrader; empty until then); total, nbgrader's total (hand grades take precedence) or score.
    by_hand: course.nbgradebook.manual_points(out), read here when not given."""
    if by_hand is None:
        by_hand = manual_points(out)
    rows = []
    for result in sorted(results, key=lambda result: (result["student"], result["assignment"])):
        hand = by_hand.get((result["student"], result["assignment"]), {})
        rows.append({"student": result["student"], "assignment": result["assignment"], "score": result["score"],
                     "max_score": result["max_score"], "manual_score": "" if hand.get("manual_score") is None
                     else hand["manual_score"], "manual_max_score": result["manual_max_score"],
                     "total": hand.get("total", result["score"]),
                     "max_total": result["max_score"] + result["manual_max_score"],
                     "needs_manual_grading": hand.get("needs_manual_grading", len(result["manual"])),
                     "graded_at": result["graded_at"], "note": result.get("note", "")})
    return rows


def write_gradebook(out: Path, results: list[dict], by_hand: dict | None = None) -> Path:
    """OUT/grades.csv: the rows of gradebook_rows."""
    return write_csv(out / GRADEBOOK, GRADE_COLUMNS, gradebook_rows(out, results, by_hand))


def write_canvas(out: Path, results: list[dict], by_hand: dict | None = None) -> Path:
    """OUT/canvas.csv, for Canvas's gradebook import: a row per student (SIS Login ID: the student's folder name),
    a column per assignment with its total (automatic + by hand, see gradebook_rows), the points possible second."""
    rows = gradebook_rows(out, results, by_hand)
    assignments = sorted({row["assignment"] for row in rows})
    possible = {row["assignment"]: row["max_total"] for row in rows}
    header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *assignments]
    blank = dict.fromkeys(header, "")
    lines = [{**blank, "Student": "    Points Possible", **possible}]
    for student in sorted({row["student"] for row in rows}):
        totals = {row["assignment"]: row["total"] for row in rows if row["student"] == student}
        lines.append({**blank, "Student": student, "SIS Login ID": student, **totals})
    return write_csv(out / CANVAS, header, lines)


def write_not_graded(out: Path, not_graded: list[NotGraded]) -> Path:
    """OUT/not_graded.csv: the notebooks found that are no student's submission, and why."""
    rows = [{"path": printable(str(item.path)), "reason": item.reason} for item in not_graded]
    return write_csv(out / NOT_GRADED, ["path", "reason"], rows)


def grade(paths: list[Path], out: Path, assignment_name: str | None = None, regrade: bool = False,
          workers: int | None = None, report=print, broker: str | None = None) -> list[dict]:
    """Grade every submission under PATHs into OUT with parallel workers; return their results.

    Finished submissions (see finished_result) are skipped unless ``regrade``; grades.csv is
    rebuilt after each submission, so an interrupted run loses only the ones in flight.
    With ``broker`` (a redis:// URL), the workers of course.distributed's queue grade them instead of this process.
    Raises OutputFolderBusy, before writing anything, if another run holds OUT.
    """
    from threading import Lock

    from tqdm import tqdm

    jobs, not_graded = discover(paths, assignment_name)
    out.mkdir(parents=True, exist_ok=True)
    if not broker and not use_bwrap():
        report("warning: bubblewrap is not available here, so student code runs as a plain process that can read "
               "this machine's files; install the Debian package 'bubblewrap' (see README)")
    with locked(out):
        key = result_key(out, create=True)
        by_hand = manual_points(out)  # hand grades do not change while this run grades: read them once
        for item in not_graded:
            report(f"not graded: {printable(str(item.path))}: {item.reason}")
        write_not_graded(out, not_graded)
        done = {}
        for job in jobs:
            result = None if regrade else finished_result(out, job, key)
            if result is not None:
                done[job] = result
                report(f"{job.student}/{job.assignment.name}: already graded, {result['score']:g}/{result['max_score']:g}")
        todo = [job for job in jobs if job not in done]
        lock = Lock()
        with tqdm(total=len(todo), desc="grading", unit="submission", disable=not todo) as bar:
            def record(job: Job, result: dict) -> None:
                done[job] = result
                with lock:
                    write_gradebook(out, trusted_results(out, key)[0], by_hand)
                    note = f" ({printable(result['note'])})" if result["note"] else ""
                    bar.write(f"{job.student}/{job.assignment.name}: {result['score']:g}/{result['max_score']:g} "
                              f"in {result['timing']['total']:.1f} s{note}")
                    bar.update()

            if broker:
                from course.distributed import grade_on_queue

                def record_written(job: Job) -> None:
                    result = read_trusted_result(result_dir(out, job) / "result.json", key)
                    if result is None:
                        raise RuntimeError(f"{job.student}/{job.assignment.name}: a worker reported a result that "
                                           f"is not in {out} (do the workers see the same folder?)")
                    record(job, result)

                grade_on_queue(todo, out, broker, record_written, report=bar.write, regrade=regrade)
            else:
                _grade_here(todo, out, max(1, workers or os.cpu_count() or 1), record)
        results, rejected = trusted_results(out, key)
        for path in rejected:
            report(f"warning: {printable(str(path))} is left out of grades.csv and the gallery: this grader did not "
                   "write it (its signature does not verify); grade that submission again to replace it")
        write_gradebook(out, results, by_hand)
        write_canvas(out, results, by_hand)
        write_gallery(out, results)
        write_analytics(out, results, gradebook_rows(out, results, by_hand))
    return [done[job] for job in jobs if job in done]


def _grade_here(jobs: list[Job], out: Path, n_workers: int, record) -> None:
    """Grade JOBS in this process, n_workers at a time, each worker with its own warm check server; call
    record(job, result) as each finishes."""
    from concurrent.futures import ThreadPoolExecutor, as_completed
    from queue import Queue

    servers: Queue[CheckServer] = Queue()
    for _ in range(min(n_workers, sum(job.notebook is not None for job in jobs))):
        servers.put(CheckServer())

    def grade_with_a_server(job: Job) -> dict:
        if job.notebook is None:
            return grade_guarded(job, out)
        server = servers.get()
        try:
            return grade_guarded(job, out, server)
        finally:
            servers.put(server)

    with ThreadPoolExecutor(max_workers=n_workers) as pool:
        futures = {pool.submit(grade_with_a_server, job): job for job in jobs}
        try:
            for future in as_completed(futures):
                record(futures[future], future.result())
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        finally:
            while not servers.empty():
                servers.get().close()
