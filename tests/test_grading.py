"""Grading end to end, through the command line: the bundled examples get the scores they
should, with messages; grading is deterministic and resumable; the reference gets full marks."""
import csv
import json
import shutil
from pathlib import Path

import pytest

from conftest import REPO, run_course
from course.examples import expectations, students, unmet
from course.notebooks import ASSIGNMENTS

EXPECTED = {assignment: {name: expectations(path) for name, path in students(assignment).items()}
            for assignment in sorted(ASSIGNMENTS)}
FIRST_FIVE = ("alice", "bob", "carol", "dave", "erin")  # the original class: one of each kind of result
KILLED = "04_policy_gradients"  # the assignment the kill -9 test interrupts
CASES = [(assignment, student, fails) for assignment, students in EXPECTED.items() for student, fails in students.items()]


def result_of(out, student, assignment):
    return json.loads((out / student / assignment / "result.json").read_text())


@pytest.mark.slow
@pytest.mark.parametrize("assignment,student,fails", CASES, ids=[f"{a}-{s}" for a, s, _ in CASES])
def test_example_loses_exactly_the_expected_checks(graded_examples, assignment, student, fails):
    result = result_of(graded_examples, student, assignment)
    problem = unmet(result, fails)
    assert problem is None, f"{student}: {problem}"
    lost = sum(check["max_points"] for check in result["checks"] if not check["passed"])
    assert result["score"] == pytest.approx(result["max_score"] - lost)
    assert result["max_score"] > 0
    assert all(item["status"] == "needs manual grading" for item in result["manual"])


@pytest.mark.slow
def test_gradebook_has_one_row_per_submission(graded_examples):
    rows = list(csv.DictReader((graded_examples / "grades.csv").open()))
    expected = {(student, assignment) for assignment, student, _ in CASES}
    assert {(row["student"], row["assignment"]) for row in rows} == expected
    for row in rows:
        result = result_of(graded_examples, row["student"], row["assignment"])
        assert float(row["score"]) == result["score"] and float(row["max_score"]) == result["max_score"]


@pytest.mark.slow
def test_feedback_shows_scores_curve_and_video_but_no_hidden_code(graded_examples):
    folder = graded_examples / "alice" / "05_dqn"
    page = (folder / "feedback.html").read_text()
    result = result_of(graded_examples, "alice", "05_dqn")
    assert f"{result['score']:g} / {result['max_score']:g}" in page
    assert 'src="./video.mp4"' in page and 'src="./curve.png"' in page and "needs manual grading" in page
    assert (folder / "video.mp4").stat().st_size > 10_000 and (folder / "curve.png").stat().st_size > 10_000
    hidden = (REPO / "autograder" / "05_dqn" / "checks.py").read_text()
    for secret in ("E2E_THRESHOLD", "def test_", "probes_beside", "weights(reference"):
        assert secret in hidden and secret not in page
    broken = (graded_examples / "carol" / "05_dqn" / "feedback.html").read_text()
    assert "Index tensor" in broken and "autograder" not in broken and "solutions" not in broken


@pytest.mark.slow
def test_grading_twice_gives_identical_results(graded_examples, tmp_path):
    again = tmp_path / "again"
    submissions = tmp_path / "submitted"
    for student in ("alice", "dave"):  # the two DQN runs are what could vary: seeds, threads, timing
        shutil.copytree(REPO / "examples" / "submitted" / student / "05_dqn", submissions / student / "05_dqn")
    run = run_course("grade", submissions, "--out", again)
    assert run.returncode == 0, run.stderr
    for student in ("alice", "dave"):
        first, second = result_of(graded_examples, student, "05_dqn"), result_of(again, student, "05_dqn")
        for key in ("score", "max_score", "cell_errors", "greedy_return"):
            assert first.get(key) == second.get(key), f"{student}: {key} differs between two gradings"
        measured = ("seconds", "cpu_seconds", "cpu_margin")  # how long a check took varies; what it found must not
        outcome = [[{k: v for k, v in check.items() if k not in measured} for check in result["checks"]]
                   for result in (first, second)]
        assert outcome[0] == outcome[1], f"{student}: check outcomes differ between two gradings"


@pytest.mark.slow
def test_a_rerun_resumes_without_regrading(graded_examples):
    before = {path: path.stat().st_mtime_ns for path in graded_examples.glob("*/*/result.json")}
    run = run_course("grade", REPO / "examples" / "submitted", "--out", graded_examples)
    assert run.returncode == 0, run.stderr
    assert run.stdout.count("already graded") == len(CASES)
    assert before == {path: path.stat().st_mtime_ns for path in graded_examples.glob("*/*/result.json")}


@pytest.mark.slow
def test_an_unreadable_submission_costs_only_its_own_points(tmp_path):
    tree = tmp_path / "submitted"
    for student, content in (("zed", b"{not json"), ("yan", b"")):
        path = tree / student / "05_dqn" / "05_dqn.ipynb"
        path.parent.mkdir(parents=True)
        path.write_bytes(content)
    run = run_course("grade", tree, "--out", tmp_path / "out")
    assert run.returncode == 0, run.stderr
    for student, fragment in (("zed", "not valid notebook JSON"), ("yan", "the file is empty")):
        result = result_of(tmp_path / "out", student, "05_dqn")
        assert result["score"] == 0 and result["max_score"] > 0
        assert all(fragment in check["message"] for check in result["checks"])


@pytest.mark.slow
def test_course_check_gives_the_reference_full_marks(tmp_path):
    run = run_course("check", "--out", tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    result = result_of(tmp_path, "reference", "05_dqn")
    assert result["score"] == result["max_score"] > 0


@pytest.mark.parametrize("args,message", [
    (["grade", "missing.ipynb", "--out", "x"], "no such file"),
    (["grade", "README.md", "--out", "x"], "not a notebook"),
    (["grade", "examples/submitted", "--out", "x", "--assignment", "99_nope"], "unknown assignment"),
    (["build", "99_nope"], "unknown assignment"),
    (["video", "README.md"], "expected a notebook"),
])
def test_bad_arguments_get_a_one_line_error(args, message, tmp_path):
    run = run_course(*args)
    assert run.returncode == 2
    assert message in run.stderr and len(run.stderr.strip().splitlines()) == 1, run.stderr


def test_help_lists_the_commands():
    run = run_course("--help")
    assert run.returncode == 0
    for command in ("build", "grade", "check", "video", "gallery", "gradescope-bundle"):
        assert command in run.stdout


@pytest.mark.slow
def test_video_renders_a_graded_students_agent(graded_examples, tmp_path):
    run = run_course("video", graded_examples / "alice" / "05_dqn", "--out", tmp_path / "alice.mp4")
    assert run.returncode == 0, run.stderr
    assert "one greedy episode" in run.stdout and (tmp_path / "alice.mp4").stat().st_size > 10_000
    no_agent = run_course("video", graded_examples / "erin" / "05_dqn", "--out", tmp_path / "erin.mp4")
    assert no_agent.returncode == 2 and "did not train" in no_agent.stderr


@pytest.mark.slow
def test_kill_9_then_rerun_gives_the_same_gradebook(graded_examples, tmp_path):
    """Interrupted at a bad moment (kill -9 of the whole grading run), a rerun resumes: finished
    submissions are kept as they are, the others graded, and grades.csv matches a clean run."""
    import os
    import signal
    import subprocess
    import sys
    import time

    out, submissions = tmp_path / "out", tmp_path / "submitted"
    for student in FIRST_FIVE:  # 04: a few seconds each, so the kill lands among finished and unfinished ones
        shutil.copytree(REPO / "examples" / "submitted" / student / KILLED, submissions / student / KILLED)
    command = [sys.executable, "-m", "course", "grade", str(submissions), "--out", str(out), "--workers", "2"]
    run = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 600
    while not list(out.glob("*/*/result.json")) and time.time() < deadline and run.poll() is None:
        time.sleep(0.2)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    finished = {path: path.read_bytes() for path in out.glob("*/*/result.json")}
    assert 0 < len(finished) < len(FIRST_FIVE), "the kill should land in the middle of the run"

    rerun = run_course("grade", submissions, "--out", out, "--workers", "2")
    assert rerun.returncode == 0, rerun.stderr
    assert all(path.read_bytes() == data for path, data in finished.items()), "a finished result was redone"
    assert rerun.stdout.count("already graded") == len(finished)

    def scores(folder):
        return sorted((row["student"], row["assignment"], row["score"], row["max_score"])
                      for row in csv.DictReader((folder / "grades.csv").open()) if row["assignment"] == KILLED)
    assert scores(out) == [row for row in scores(graded_examples) if row[0] in FIRST_FIVE]


def test_build_finds_nbgrader_tools_without_an_activated_environment(tmp_path):
    """nbgrader starts `alembic` by name; with PATH reduced to the system's folders (a fresh machine, the venv
    not activated) `course build` must still work, and leave release/ and solutions/ as committed (but for the
    version of the Python that built them)."""
    committed = [REPO / "release" / "02_mdp" / "02_mdp.ipynb", ASSIGNMENTS["02_mdp"].solutions_path]
    before = [without_python_version(path) for path in committed]
    run = run_course("build", "02_mdp", env={"PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stdout + run.stderr
    for path in committed + [REPO / "examples" / "submitted" / "alice" / "02_mdp" / "02_mdp.ipynb"]:
        assert f"wrote {path}" in run.stdout
    assert [without_python_version(path) for path in committed] == before


def without_python_version(path: Path):
    """A built file's content, except the version of the Python that built it, which a release notebook records in
    its language_info (course.release._record_kernel_language) and which differs between machines."""
    if path.suffix != ".ipynb":
        return path.read_bytes()
    notebook = json.loads(path.read_bytes())
    notebook["metadata"]["language_info"].pop("version")
    return notebook