"""Exports: Gradescope's results.json from a graded submission, and the autograder bundle."""
import json
import stat
import zipfile

import pytest

from conftest import run_course


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
    for needed in ("course-repo/course/grading.py", "course-repo/autograder/test_dqn.py",
                   "course-repo/autograder/probes_dqn.py", "course-repo/solutions/dqn.py",
                   "course-repo/source/05_dqn/05_dqn.ipynb", "course-repo/pyproject.toml"):
        assert needed in names
    assert "--assignment 05_dqn" in run_script and "/autograder/results/results.json" in run_script
    assert run_course("gradescope-bundle", "99_nope", "--out", tmp_path / "x.zip").returncode == 2
