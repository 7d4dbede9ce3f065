"""The autograder's points in nbgrader's gradebook, so that formgrader grades the written answers beside them.

``course nbgrader GRADED`` (after ``course grade ... --out GRADED``), for every graded submission:

1. ``nbgrader generate_assignment`` (into a scratch folder, release/ is left alone) puts the assignment, its
   notebook and its graded cells into the course's gradebook (``.nbgrader/gradebook.db``, nbgrader_config.py);
2. the notebook the grader read (same bytes, checked by sha256) goes to ``submitted/<student>/<assignment>/``,
   where nbgrader expects it, unless it was graded from there;
3. ``nbgrader autograde --no-execute`` makes nbgrader's submission records and the ``autograded/`` notebooks that
   formgrader shows;
4. each exercise's visible check cell gets, as its automatic score, the points the hidden checks gave that
   exercise (nbgrader's own ``--no-execute`` score would trust the outputs saved in the student's file).

The written answers are then graded in formgrader (scores and comments). nbgrader never overwrites a manual grade
or comment when this runs again, so hand grading survives a regrade. GRADED/.course/nbgrader.json remembers the
course folder: from then on grades.csv carries the points given by hand and the totals (``manual_points``).
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from course.environment import interpreter_env
from course.files import write_atomic
from course.notebooks import REPO_DIR, get_assignment

LINK = "nbgrader.json"  # in GRADED/.course/: the course folder whose gradebook holds the hand grading


class GradebookError(RuntimeError):
    """nbgrader could not take the grades; the message says what to do."""


def database(course_dir: Path) -> Path:
    return course_dir / ".nbgrader" / "gradebook.db"


def open_gradebook(course_dir: Path):
    """nbgrader's Gradebook of COURSE_DIR, under the course id of its nbgrader_config.py (as formgrader opens it)."""
    from nbgrader.api import Gradebook
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(course_dir)).load_config()
    course_id = config.CourseDirectory.get("course_id", "default_course")
    return Gradebook(f"sqlite:///{database(course_dir)}", course_id)


def _nbgrader(course_dir: Path, *args: str) -> None:
    command = [sys.executable, "-m", "nbgrader", *args, f"--CourseDirectory.root={course_dir}",
               f"--CourseDirectory.db_url=sqlite:///{database(course_dir)}", "--log-level=WARN"]
    run = subprocess.run(command, cwd=course_dir, capture_output=True, text=True, env=interpreter_env())
    if run.returncode != 0:
        raise GradebookError(f"nbgrader {args[0]} failed:\n{run.stdout[-2000:]}{run.stderr[-2000:]}")


def exercise_scores(result: dict) -> dict[str, float]:
    """grade_id of each exercise's check cell -> the points the hidden checks gave that exercise."""
    scores: dict[str, float] = defaultdict(float)
    for check in result["checks"]:
        scores[f"check_{check['exercise']}"] += check["points"]
    return dict(scores)


def sync(graded: Path, results: list[dict], course_dir: Path = REPO_DIR, report=print) -> int:
    """Write RESULTS (trusted results of GRADED) into COURSE_DIR's nbgrader gradebook; return how many went in."""
    from course.grading import sha256

    course_dir = course_dir.resolve()
    if not (course_dir / "nbgrader_config.py").exists():
        raise GradebookError(f"{course_dir} has no nbgrader_config.py: give this course's folder with --course-dir")
    database(course_dir).parent.mkdir(parents=True, exist_ok=True)
    by_assignment = defaultdict(list)
    for result in results:
        source = Path(result["notebook"])
        if not source.exists() or sha256(source) != result["sha256"]:
            report(f"skipped {result['student']}/{result['assignment']}: {source} changed or went away since it "
                   "was graded; grade it again first")
            continue
        by_assignment[result["assignment"]].append(result)
    for name, graded_results in sorted(by_assignment.items()):
        assignment = get_assignment(name)
        if not (course_dir / "source" / name / f"{name}.ipynb").exists():
            raise GradebookError(f"{course_dir} has no source/{name}/{name}.ipynb: give this course's folder with "
                                 "--course-dir")
        with tempfile.TemporaryDirectory(prefix="course-gradebook-") as scratch:
            _nbgrader(course_dir, "generate_assignment", name, "--force",
                      f"--CourseDirectory.release_directory={scratch}")
        for result in graded_results:
            target = course_dir / "submitted" / result["student"] / name / f"{name}.ipynb"
            source = Path(result["notebook"]).resolve()
            if source != target.resolve():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
        for result in graded_results:
            _nbgrader(course_dir, "autograde", name, "--no-execute", "--force", f"--student={result['student']}")
        with open_gradebook(course_dir) as gradebook:
            for result in graded_results:
                for cell, score in exercise_scores(result).items():
                    grade = gradebook.find_grade(cell, assignment.name, name, result["student"])
                    grade.auto_score = score
                    grade.needs_manual_grade = grade.manual_score is not None
                gradebook.db.commit()
        report(f"{name}: {len(graded_results)} submissions in nbgrader's gradebook")
    write_atomic(graded / ".course" / LINK, json.dumps({"course_dir": str(course_dir)}))
    return sum(len(found) for found in by_assignment.values())


def manual_points(graded: Path) -> dict[tuple[str, str], dict]:
    """(student, assignment) -> {"manual_score": points given by hand so far (None before any), "total": nbgrader's
    total (hand grades take precedence over automatic ones, nbgrader's rule), "needs_manual_grading": cells still
    waiting}, from the gradebook GRADED was synced into; {} if it never was."""
    link = graded / ".course" / LINK
    if not link.exists():
        return {}
    course_dir = Path(json.loads(link.read_text())["course_dir"])
    if not database(course_dir).exists():
        return {}
    found = {}
    with open_gradebook(course_dir) as gradebook:
        for assignment in gradebook.assignments:
            for submission in assignment.submissions:
                grades = [grade for notebook in submission.notebooks for grade in notebook.grades]
                by_hand = [grade.manual_score for grade in grades if grade.cell_type == "markdown"
                           and grade.manual_score is not None]
                found[(submission.student.id, assignment.name)] = {
                    "manual_score": sum(by_hand) if by_hand else None, "total": submission.score,
                    "needs_manual_grading": sum(1 for grade in grades if grade.needs_manual_grade)}
    return found
