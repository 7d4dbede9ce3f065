"""Generating the student release with nbgrader, and the reference modules from the source."""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from course.environment import interpreter_env
from course.notebooks import ASSIGNMENTS, REPO_DIR, solutions_text


def generate_release(assignments=None, release_dir: Path | None = None) -> list[Path]:
    """Run ``nbgrader generate_assignment`` for each assignment; return the student notebooks.

    release_dir defaults to the repository's release/. nbgrader writes into a temporary folder
    (with a temporary gradebook, so releasing leaves no state behind), and each assignment's
    folder replaces the old one only once nbgrader succeeded: a failed release keeps the old one.
    nbgrader runs with this interpreter's tools first on PATH (it starts ``alembic`` by name).
    """
    release_dir = Path(release_dir or REPO_DIR / "release").resolve()
    written = []
    with tempfile.TemporaryDirectory(prefix="course-release-") as scratch:
        for name in assignments or sorted(ASSIGNMENTS):
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
            written.append(release_dir / name / f"{name}.ipynb")
    return written + write_student_kit(release_dir)


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
