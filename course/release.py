"""Generating the student release with nbgrader, and the reference modules from the source."""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from course.notebooks import ASSIGNMENTS, REPO_DIR, solutions_text


def generate_release(assignments=None, release_dir: Path | None = None) -> list[Path]:
    """Run ``nbgrader generate_assignment`` for each assignment; return the student notebooks.

    release_dir defaults to the repository's release/; the gradebook nbgrader
    needs for this goes to a temporary file, so releasing leaves no state behind.
    """
    release_dir = Path(release_dir or REPO_DIR / "release").resolve()
    written = []
    with tempfile.TemporaryDirectory(prefix="course-release-") as scratch:
        for name in assignments or sorted(ASSIGNMENTS):
            command = [sys.executable, "-m", "nbgrader", "generate_assignment", name, "--force",
                       f"--CourseDirectory.root={REPO_DIR}", f"--CourseDirectory.release_directory={release_dir}",
                       f"--CourseDirectory.db_url=sqlite:///{scratch}/gradebook.db", "--log-level=WARN"]
            run = subprocess.run(command, cwd=REPO_DIR, capture_output=True, text=True)
            if run.returncode != 0:
                raise RuntimeError(f"nbgrader could not release {name}:\n{run.stdout}{run.stderr}")
            notebook = release_dir / name / f"{name}.ipynb"
            shutil.rmtree(release_dir / name / ".ipynb_checkpoints", ignore_errors=True)
            written.append(notebook)
    return written


def write_solutions(assignments=None) -> list[Path]:
    """Regenerate solutions/<module>.py from each source notebook."""
    written = []
    for name in assignments or sorted(ASSIGNMENTS):
        assignment = ASSIGNMENTS[name]
        assignment.solutions_path.parent.mkdir(exist_ok=True)
        assignment.solutions_path.write_text(solutions_text(assignment))
        written.append(assignment.solutions_path)
    return written
