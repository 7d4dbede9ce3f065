"""The adversarial corpus: hostile and broken submissions, graded together with an honest one.

examples/<assignment>/hostile/*.py are submissions in the examples' format, hostile/raw/ holds files that are
not valid notebooks, and each case's `# expect:` lines say which checks it must fail and with what message (see
course/examples.py). None may score above its honest part, none may change another submission's result, all
get a message.
"""
import json
import shutil
import tempfile
from pathlib import Path

import pytest

from conftest import REPO, run_course
from course.examples import build_notebook, expectations, hostile_cases, raw_bytes, unmet
from course.notebooks import ASSIGNMENTS, read_notebook, written_answers

CORPUS = {assignment: hostile_cases(assignment) for assignment in sorted(ASSIGNMENTS)}
CASES = [(assignment, name, expectations(expect)) for assignment, cases in CORPUS.items()
         for name, (_, expect) in cases.items()]


def manual_max_score(assignment):
    source = read_notebook(ASSIGNMENTS[assignment].source_notebook)
    return sum(answer["max_points"] for answer in written_answers(source, source))


@pytest.fixture(scope="module")
def other_checkout():
    """A second copy of the answers elsewhere on the machine (another course folder), for the cases that search."""
    folder = Path(tempfile.mkdtemp(prefix="course-other-checkout-", dir="/var/tmp"))
    for name in ("solutions", "source"):
        shutil.copytree(REPO / name, folder / name)
    yield folder
    shutil.rmtree(folder)


@pytest.fixture(scope="module")
def graded_corpus(tmp_path_factory, other_checkout):
    root = tmp_path_factory.mktemp("corpus")
    for assignment, cases in CORPUS.items():
        for name, (path, _) in cases.items():
            target = root / "submitted" / name / assignment / f"{assignment}.ipynb"
            if path.suffix == ".py":
                build_notebook(ASSIGNMENTS[assignment], path, target)
            else:
                target.parent.mkdir(parents=True)
                target.write_bytes(raw_bytes(path))
        honest = REPO / "examples" / "submitted" / "alice" / assignment
        shutil.copytree(honest, root / "submitted" / "honest_alice" / assignment)
    run = run_course("grade", root / "submitted", "--out", root / "graded", "--workers", "2", timeout=3600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return root / "graded"


def test_corpus_is_large_enough_and_every_case_says_what_it_expects():
    assert len(CASES) >= 25
    for assignment, cases in CORPUS.items():
        assert len(cases) >= 5, assignment
        for name, (path, expect) in cases.items():
            assert expect.exists(), f"{path} has no {expect.name} beside it"


@pytest.mark.slow
@pytest.mark.parametrize("assignment,name,fails", CASES, ids=[f"{a}-{n}" for a, n, _ in CASES])
def test_hostile_submission_gets_its_honest_score_and_a_message(graded_corpus, assignment, name, fails):
    result = json.loads((graded_corpus / name / assignment / "result.json").read_text())
    problem = unmet(result, fails)
    assert problem is None, f"{name}: {problem}"
    failed = {check["name"]: check["message"] for check in result["checks"] if not check["passed"]}
    assert all(message.strip() for message in failed.values())
    assert result["manual_max_score"] == manual_max_score(assignment)
    assert all(item["status"] == "needs manual grading" for item in result["manual"])


@pytest.mark.slow
def test_the_honest_submission_graded_among_them_keeps_full_marks(graded_corpus):
    for assignment in CORPUS:
        result = json.loads((graded_corpus / "honest_alice" / assignment / "result.json").read_text())
        assert result["score"] == result["max_score"] > 0


@pytest.mark.slow
def test_nothing_outside_the_sandbox_was_written(graded_corpus, other_checkout):
    """The escape attempts (unmount, remount, forged results, filling /dev/shm, a process left behind) change
    nothing of the host: no forged line or marker file anywhere they aimed, no process still running."""
    for path in (REPO / ".nbgrader" / "gradebook.db", REPO / "graded" / "grades.csv", graded_corpus / "grades.csv"):
        if path.exists():
            assert "mallory" not in path.read_bytes().decode("utf-8", "replace")
    assert "mallory" not in (REPO / "course" / "checking.py").read_text()
    assert not list((graded_corpus.parent / "submitted").rglob("mallory-was-here*")), "a submission wrote into the class's folders"
    for result in graded_corpus.glob("*/*/result.json"):
        assert json.loads(result.read_text())["student"] != "mallory", result
    for folder in (Path("/dev/shm"), Path("/tmp"), Path("/var/tmp"), REPO, REPO / "course", graded_corpus, other_checkout):
        assert not list(folder.glob("mallory-was-here*")), folder
    leftovers = [cmdline.parent.name for cmdline in Path("/proc").glob("[0-9]*/cmdline")
                 if _read(cmdline) == b"/bin/sleep\x003600\x00"]
    assert not leftovers, f"processes started by a submission outlived its grading: {leftovers}"


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""
