"""Exports: Gradescope's results.json from a graded submission, and the autograder bundle."""
import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import REPO, run_course


@pytest.mark.slow
@pytest.mark.parametrize("student", ["alice", "carol", "erin"])
def test_gradescope_results_carry_every_check_and_keep_manual_apart(graded_examples, student):
    result_path = graded_examples / student / "05_dqn" / "result.json"
    result = json.loads(result_path.read_text())
    run = run_course("gradescope-results", result_path)
    assert run.returncode == 0, run.stderr
    exported = json.loads(run.stdout)
    assert exported["score"] == result["score"]
    assert sum(test["max_score"] for test in exported["tests"]) == result["max_score"]
    assert [test["status"] == "passed" for test in exported["tests"]] == [check["passed"] for check in result["checks"]]
    assert "needs manual grading" in exported["output"]
    assert not any("explain_dqn" in test["name"] for test in exported["tests"])


def test_gradescope_bundle_has_the_two_scripts_and_the_grader(tmp_path):
    run = run_course("gradescope-bundle", "05_dqn", "--out", tmp_path / "dqn.zip")
    assert run.returncode == 0, run.stderr
    with zipfile.ZipFile(tmp_path / "dqn.zip") as bundle:
        names = set(bundle.namelist())
        for script in ("setup.sh", "run_autograder"):
            assert stat.S_IMODE(bundle.getinfo(script).external_attr >> 16) & 0o111, f"{script} is not executable"
        run_script = bundle.read("run_autograder").decode()
    for needed in ("course-repo/course/grading.py", "course-repo/autograder/05_dqn/checks.py",
                   "course-repo/autograder/05_dqn/probes.py", "course-repo/autograder/__init__.py", "course-repo/solutions/dqn.py",
                   "course-repo/source/05_dqn/05_dqn.ipynb", "course-repo/pyproject.toml", "course-repo/autograder/pieces.py",
                   "course-repo/kit/pyproject.toml", "course-repo/kit/coursekit/__init__.py"):
        assert needed in names
    assert "--assignment 05_dqn" in run_script and "/results/results.json" in run_script
    assert run_course("gradescope-bundle", "99_nope", "--out", tmp_path / "x.zip").returncode == 2


@pytest.mark.slow
def test_gradescope_bundle_grades_in_an_autograder_layout(tmp_path):
    """The bundle unpacked as Gradescope does (/autograder/source, /autograder/submission), its
    run_autograder run for an honest submission, an empty upload and a broken file: each leaves a
    valid results.json; so does an upload of two notebooks, neither named 05_dqn.ipynb. setup.sh is
    not run (it installs with apt); the venv is this one."""
    root = tmp_path / "autograder"
    run = run_course("gradescope-bundle", "05_dqn", "--out", tmp_path / "dqn.zip")
    assert run.returncode == 0, run.stderr
    with zipfile.ZipFile(tmp_path / "dqn.zip") as bundle:  # unpacked as unzip does: with the files' modes
        for info in bundle.infolist():
            path = Path(bundle.extract(info, root / "source"))
            if info.external_attr >> 16:
                path.chmod(info.external_attr >> 16 & 0o777)
    (root / "venv").symlink_to(Path(sys.prefix))
    grader_code = subprocess.run([root / "venv/bin/python", "-c", "import course; print(course.__file__)"],
                                 cwd=root / "source/course-repo", capture_output=True, text=True).stdout
    assert grader_code.startswith(str(root / "source/course-repo/course")), f"the bundle's grader is not the one run: {grader_code}"

    def run_autograder(*uploads: tuple[Path, str]) -> dict:
        shutil.rmtree(root / "submission", ignore_errors=True)
        shutil.rmtree(root / "results", ignore_errors=True)
        shutil.rmtree(root / "graded", ignore_errors=True)
        (root / "submission").mkdir()
        for path, name in uploads:
            shutil.copy(path, root / "submission" / name)
        script = root / "source" / "run_autograder"
        assert os.access(script, os.X_OK)
        done = subprocess.run([script], capture_output=True, text=True, timeout=900,
                              env={**os.environ, "AUTOGRADER_ROOT": str(root)})
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        return json.loads((root / "results" / "results.json").read_text())

    honest = run_autograder((REPO / "examples/submitted/alice/05_dqn/05_dqn.ipynb", "05_dqn.ipynb"))
    assert honest["score"] == 33 and len(honest["tests"]) == 17
    assert all(test["status"] == "passed" for test in honest["tests"])
    assert "needs manual grading" in honest["output"]

    empty_upload = run_autograder()
    assert empty_upload["score"] == 0 and "No .ipynb file" in empty_upload["output"]

    broken = REPO / "examples/05_dqn/hostile/raw/truncated_json.ipynb"
    graded_broken = run_autograder((broken, "05_dqn.ipynb"))
    assert graded_broken["score"] == 0 and graded_broken["tests"]
    assert all(test["status"] == "failed" and test["output"] for test in graded_broken["tests"])

    stub = REPO / "examples/submitted/erin/05_dqn/05_dqn.ipynb"
    undecided = run_autograder((stub, "mine.ipynb"), (stub, "mine-Copy1.ipynb"))
    assert undecided["score"] == 0 and len(undecided["tests"]) == 17
    assert all("cannot tell which one to grade; submit only 05_dqn.ipynb" in test["output"] for test in undecided["tests"])
