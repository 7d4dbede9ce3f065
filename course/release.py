"""Generating the student release with nbgrader, and the reference modules from the source."""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import nbformat

from course.environment import interpreter_env
from course.grading import declared_checks
from course.notebooks import (ASSIGNMENTS, REPO_DIR, Assignment, grade_id, is_exercise, solutions_text,
                              written_answers)


def generate_release(assignments=None, release_dir: Path | None = None) -> list[Path]:
    """Run ``nbgrader generate_assignment`` for each assignment (after ``write_points``); return the student
    notebooks and the student kit's files.

    release_dir defaults to the repository's release/. nbgrader writes into a temporary folder
    (with a temporary gradebook, so releasing leaves no state behind), and each assignment's
    folder replaces the old one only once nbgrader succeeded: a failed release keeps the old one.
    nbgrader runs with this interpreter's tools first on PATH (it starts ``alembic`` by name).
    """
    release_dir = Path(release_dir or REPO_DIR / "release").resolve()
    written = []
    with tempfile.TemporaryDirectory(prefix="course-release-") as scratch:
        for name in assignments or sorted(ASSIGNMENTS):
            write_points(ASSIGNMENTS[name])
            write_colab_setup(ASSIGNMENTS[name])
            staging = Path(scratch) / "release"
            command = [sys.executable, "-m", "nbgrader", "generate_assignment", name, "--force",
                       f"--CourseDirectory.root={REPO_DIR}", f"--CourseDirectory.release_directory={staging}",
                       f"--CourseDirectory.db_url=sqlite:///{scratch}/gradebook.db", "--log-level=WARN"]
            run = subprocess.run(command, cwd=REPO_DIR, capture_output=True, text=True, env=interpreter_env())
            if run.returncode != 0:
                raise RuntimeError(f"nbgrader could not release {name}:\n{run.stdout}{run.stderr}")
            shutil.rmtree(staging / name / ".ipynb_checkpoints", ignore_errors=True)
            release_dir.mkdir(parents=True, exist_ok=True)
            shutil.rmtree(release_dir / name, ignore_errors=True)
            shutil.move(staging / name, release_dir / name)
            _record_kernel_language(release_dir / name / f"{name}.ipynb")
            written.append(release_dir / name / f"{name}.ipynb")
    return written + write_student_kit(release_dir)


def _record_kernel_language(path: Path) -> None:
    """Write the full ``language_info`` that the Python kernel reports into a release notebook. JupyterLab
    replaces the notebook's language_info with the kernel's as soon as it opens the notebook; anything less than
    an exact copy (nbgrader keeps only ``{"name": "python"}``) marks a notebook the student has not touched as
    modified. The version is the one of the Python that built the release."""
    from ipykernel.ipkernel import IPythonKernel

    notebook = nbformat.read(path, as_version=4)
    notebook.metadata["language_info"] = dict(IPythonKernel.language_info)
    nbformat.write(notebook, path)


# Where students open the release on Google Colab: the public GitHub repository (owner/name) and branch into
# which the instructor publishes the contents of release/ (at its root: 05_dqn/05_dqn.ipynb, kit/, requirements.txt).
# This repository itself holds the solutions and the hidden checks, so it is not the one students see.
# Change these two and run `course build` to point every badge and Colab set-up cell at your copy.
STUDENT_REPOSITORY = "rl-with-pytorch/notebooks"
STUDENT_BRANCH = "main"
COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"
COLAB_SETUP_ID = "colab_setup"
COLAB_PACKAGES = '"gymnasium[classic-control,toy-text]>=1.0"'  # the environments' extras; the kit brings the rest


def colab_url(name: str) -> str:
    return f"https://colab.research.google.com/github/{STUDENT_REPOSITORY}/blob/{STUDENT_BRANCH}/{name}/{name}.ipynb"


def colab_badge(name: str) -> str:
    return f"[![Open in Colab]({COLAB_BADGE})]({colab_url(name)})"


def colab_setup_source() -> str:
    """The first code cell of every notebook: on Google Colab it installs the student kit from the published
    release and the packages Colab lacks (COURSE_KIT, when set, names another place to install the kit from);
    anywhere else it does nothing, since the kit comes from release/requirements.txt."""
    kit = f"git+https://github.com/{STUDENT_REPOSITORY}@{STUDENT_BRANCH}#subdirectory=kit"
    return ("# On Google Colab: install the course kit and what Colab lacks (about a minute). Elsewhere this does nothing.\n"
            "import os\n"
            "try:\n"
            "    import google.colab  # noqa: F401  (importable on Colab only)\n"
            "except ImportError:\n"
            "    pass\n"
            "else:\n"
            f'    KIT = os.environ.get("COURSE_KIT", "{kit}")\n'
            f'    %pip install --quiet {COLAB_PACKAGES} "rl-course-kit @ {{KIT}}"')


def write_colab_setup(assignment: Assignment) -> bool:
    """Put the "Open in Colab" badge under the source notebook's title and the Colab set-up cell first among its
    code cells (a locked nbgrader cell, not a setup cell: the grader never runs it). Returns whether it changed."""
    notebook = nbformat.read(assignment.source_notebook, as_version=4)
    before = nbformat.writes(notebook)
    intro = notebook.cells[0]
    lines = [line for line in intro.source.split("\n") if "colab-badge.svg" not in line]
    if not lines[0].startswith("# "):
        raise RuntimeError(f"{assignment.name}: the first cell must start with the notebook's '# title'")
    title, rest = lines[0], lines[1:]
    while rest and not rest[0].strip():
        rest.pop(0)
    intro.source = "\n".join([title, "", colab_badge(assignment.name), ""] + rest)
    cell = next((cell for cell in notebook.cells if grade_id(cell) == COLAB_SETUP_ID), None)
    if cell is None:
        cell = nbformat.v4.new_code_cell(id="colab-setup")
        notebook.cells.insert(1, cell)
    cell.source = colab_setup_source()
    cell.metadata = {"nbgrader": {"grade": False, "grade_id": COLAB_SETUP_ID, "locked": True, "schema_version": 3,
                                  "solution": False}}
    if nbformat.writes(notebook) == before:
        return False
    nbformat.write(notebook, assignment.source_notebook)
    return True


def exercise_points(assignment: Assignment) -> Counter:
    """Points per exercise: the sum of the @points of its hidden checks, the one place points are declared."""
    points = Counter()
    for check in declared_checks(assignment, ""):
        points[check["exercise"]] += check["max_points"]
    return points


def write_points(assignment: Assignment) -> bool:
    """Show the hidden checks' points in the source notebook, where students and nbgrader see them: each
    exercise's visible check cell becomes an nbgrader autograded cell worth its exercise's points, and the table
    of exercises in the first cell gets a points column (written answers: their nbgrader points, by hand).
    Returns whether the notebook changed."""
    notebook = nbformat.read(assignment.source_notebook, as_version=4)
    points = exercise_points(assignment)
    exercises = [grade_id(cell) for cell in notebook.cells if is_exercise(cell)]
    checks = {grade_id(cell): cell for cell in notebook.cells if (grade_id(cell) or "").startswith("check_")}
    if set(points) != set(exercises) or any(f"check_{name}" not in checks for name in exercises):
        raise RuntimeError(f"{assignment.name}: the exercise cells ({', '.join(exercises)}), their check_<name> "
                           f"cells and the @exercise marks of the hidden checks ({', '.join(points)}) must name the "
                           "same exercises")
    before = nbformat.writes(notebook)
    for name in exercises:
        meta = checks[f"check_{name}"].metadata["nbgrader"]
        meta.update(grade=True, points=points[name])
    by_hand = [answer["max_points"] for answer in written_answers(notebook, notebook)]
    intro = notebook.cells[0]
    intro.source = _table_with_points(intro.source, [points[name] for name in exercises], by_hand, assignment.name)
    if nbformat.writes(notebook) == before:
        return False
    nbformat.write(notebook, assignment.source_notebook)
    return True


def _table_with_points(markdown: str, automatic: list[float], by_hand: list[float], name: str) -> str:
    """The table of exercises ("| # | function | ... |") with its last column "points": the function rows take
    AUTOMATIC in order, the "written answer" rows BY_HAND in order."""
    lines = markdown.split("\n")
    start = next((i for i, line in enumerate(lines) if line.startswith("| # | function |")), None)
    if start is None:
        raise RuntimeError(f"{name}: the first cell has no table of exercises ('| # | function | ... |')")
    end = next((i for i in range(start, len(lines)) if not lines[i].startswith("|")), len(lines))
    rows = [line.strip().strip("|").split("|") for line in lines[start:end]]
    has_points = rows[0][-1].strip() == "points"
    rows = [row[:-1] if has_points else row for row in rows]
    function_rows = [row for row in rows[2:] if row[1].strip() != "written answer"]
    if len(function_rows) != len(automatic) or len(rows) - 2 - len(function_rows) != len(by_hand):
        raise RuntimeError(f"{name}: the table of exercises lists {len(function_rows)} functions and "
                           f"{len(rows) - 2 - len(function_rows)} written answers; the notebook has {len(automatic)} "
                           f"exercise cells and {len(by_hand)} written answers")
    automatic, by_hand = iter(automatic), iter(by_hand)
    cells = [" points", "---:"] + [f" {next(by_hand):g} (by hand)" if row[1].strip() == "written answer"
                                   else f" {next(automatic):g}" for row in rows[2:]]
    lines[start:end] = ["|" + "|".join(row + [cell + (" " if cell != "---:" else "")]) + "|"
                        for row, cell in zip(rows, cells)]
    return "\n".join(lines)


def write_student_kit(release_dir: Path) -> list[Path]:
    """Copy the student kit into the release, so that the folder stands alone: release/kit/ (kit/'s package, what
    the notebooks import) and release/requirements.txt (kit/requirements.txt: all a student installs besides Python)."""
    kit = REPO_DIR / "kit"
    files = {Path("kit/pyproject.toml"): kit / "pyproject.toml", Path("requirements.txt"): kit / "requirements.txt"}
    files.update({Path("kit/coursekit") / path.name: path for path in sorted((kit / "coursekit").glob("*.py"))})
    shutil.rmtree(release_dir / "kit", ignore_errors=True)
    for target, path in files.items():
        (release_dir / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, release_dir / target)
    return [release_dir / target for target in files]


def write_solutions(assignments=None) -> list[Path]:
    """Regenerate solutions/<module>.py from each source notebook."""
    written = []
    for name in assignments or sorted(ASSIGNMENTS):
        assignment = ASSIGNMENTS[name]
        assignment.solutions_path.parent.mkdir(exist_ok=True)
        assignment.solutions_path.write_text(solutions_text(assignment))
        written.append(assignment.solutions_path)
    return written
