"""Gradescope: results in its autograder format, and the autograder bundle to upload.

Gradescope runs ``setup.sh`` once when the instructor uploads the bundle, then
``run_autograder`` for each submission, with the student's files in
/autograder/submission and the results expected in /autograder/results/results.json.
Only automatic checks become Gradescope tests; written answers are graded by hand in
Gradescope's own manual questions, so they are listed in the output, with no score.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from course.notebooks import PIECES_PATH, REPO_DIR, Assignment


def results_json(result: dict) -> dict:
    """A course result.json -> Gradescope's results.json (visible per-check messages)."""
    tests = [{"name": check["description"] or check["name"],
              "score": check["points"], "max_score": check["max_points"],
              "status": "passed" if check["passed"] else "failed",
              "output": check["message"], "visibility": "visible"}
             for check in result["checks"]]
    manual = "".join(f"\n- {item['name']} ({item['max_points']:g} points): needs manual grading"
                     for item in result["manual"])
    output = f"Automatic score {result['score']:g} / {result['max_score']:g}."
    if manual:
        output += "\nWritten answers, graded by hand in their own questions:" + manual
    if result.get("also_found") and result.get("notebook"):
        output += (f"\nAlso in your upload and not graded: {', '.join(result['also_found'])}. Only "
                   f"{result['assignment']}.ipynb was graded; upload only that file.")
    if result.get("greedy_return") is not None:
        output += f"\nGreedy mean return of your trained agent (20 episodes): {result['greedy_return']:.1f}"
    return {"score": result["score"], "execution_time": int(result["timing"]["total"]), "output": output,
            "stdout_visibility": "hidden", "visibility": "visible", "tests": tests}


SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once, as root, on its Ubuntu image.
set -euo pipefail
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv python3-pip bubblewrap ffmpeg
python3 -m venv /autograder/venv
/autograder/venv/bin/pip install -q --index-url https://download.pytorch.org/whl/cpu torch
/autograder/venv/bin/pip install -q -e /autograder/source/course-repo/kit
/autograder/venv/bin/pip install -q -e /autograder/source/course-repo
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission. AUTOGRADER_ROOT (default /autograder) lets the
# course's own tests run it in a folder laid out like Gradescope's. The uploaded notebooks are
# copied into work/student/{name}/ and graded as that folder: the notebook named {name}.ipynb,
# or the only one; several with none of that name get a result asking which.
set -uo pipefail
root="${AUTOGRADER_ROOT:-/autograder}"
python="$root/venv/bin/python"
cd "$root/source/course-repo"
mapfile -t notebooks < <(find "$root/submission" -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*')
mkdir -p "$root/results"
if [ ${#notebooks[@]} -eq 0 ]; then
  echo '{"score": 0, "output": "No .ipynb file in the submission: upload your notebook ({name}.ipynb)."}' \\
    > "$root/results/results.json"
  exit 0
fi
rm -rf "$root/work" && mkdir -p "$root/work/student/{name}" && cp -- "${notebooks[@]}" "$root/work/student/{name}/"
# The grader's own log goes to this script's output, which only instructors see.
if ! "$python" -m course grade "$root/work" --out "$root/graded" --assignment {name} --workers 1 \\
    || ! "$python" -m course gradescope-results "$root/graded/student/{name}/result.json" > "$root/results/results.tmp"; then
  echo '{"score": 0, "output": "The autograder could not grade this submission; your instructor will look at it."}' \\
    > "$root/results/results.json"
  exit 0
fi
mv "$root/results/results.tmp" "$root/results/results.json"
"""


def bundle_files(assignment: Assignment) -> dict[str, Path]:
    """Repository files the grader needs for one assignment, by their path in the bundle."""
    files = {path: REPO_DIR / path for path in ("pyproject.toml", "README.md", "nbgrader_config.py")}
    for path in sorted((REPO_DIR / "course").glob("*.py")) + sorted((REPO_DIR / "kit" / "coursekit").glob("*.py")):
        files[str(path.relative_to(REPO_DIR))] = path
    files["kit/pyproject.toml"] = REPO_DIR / "kit" / "pyproject.toml"
    autograder = REPO_DIR / "autograder"
    for path in (assignment.source_notebook, assignment.checks_path, assignment.probes_path, PIECES_PATH,
                 autograder / "__init__.py", assignment.checks_path.parent / "__init__.py", assignment.solutions_path):
        files[str(path.relative_to(REPO_DIR))] = path
    return files


def write_bundle(assignment: Assignment, target: Path) -> Path:
    """The zip to upload as the Gradescope autograder of one assignment."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, text in (("setup.sh", SETUP_SH), ("run_autograder", RUN_AUTOGRADER.replace("{name}", assignment.name))):
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o755 << 16
            bundle.writestr(info, text)
        for name, path in bundle_files(assignment).items():
            bundle.write(path, f"course-repo/{name}")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(buffer.getvalue())
    return target
