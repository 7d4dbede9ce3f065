"""The adversarial corpus: hostile and broken submissions, graded together with an honest one.

tests/adversarial/<assignment>/*.py are submissions in the examples' format (see
course/examples.py), raw/*.ipynb are files that are not valid notebooks (raw/*.ipynb.gz: the same,
gzipped, for files too large to commit as they are), and expected.json says which checks each must
fail and with what message ("*": every check). None may score above its honest part, none may
change another submission's result, all get a message.
"""
import gzip
import json
import shutil
import tempfile
from pathlib import Path

import pytest

from conftest import REPO, run_course
from course.examples import build_notebook
from course.notebooks import ASSIGNMENTS, read_notebook, written_answers

CORPUS = REPO / "tests" / "adversarial"
EXPECTED = {path.parent.name: json.loads(path.read_text()) for path in sorted(CORPUS.glob("*/expected.json"))}
CASES = [(assignment, name, fails) for assignment, cases in EXPECTED.items() for name, fails in cases.items()]


def raw_files(assignment):
    """The broken files of an assignment's corpus: name -> bytes."""
    found = {}
    for path in sorted((CORPUS / assignment / "raw").glob("*.ipynb*")):
        if path.name.endswith(".ipynb"):
            found[path.name.removesuffix(".ipynb")] = path.read_bytes()
        elif path.name.endswith(".ipynb.gz"):
            found[path.name.removesuffix(".ipynb.gz")] = gzip.decompress(path.read_bytes())
    return found


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
    for assignment in EXPECTED:
        for variant in sorted((CORPUS / assignment).glob("*.py")):
            build_notebook(ASSIGNMENTS[assignment], variant, root / "submitted" / variant.stem / assignment / f"{assignment}.ipynb")
        for name, data in raw_files(assignment).items():
            target = root / "submitted" / name / assignment / f"{assignment}.ipynb"
            target.parent.mkdir(parents=True)
            target.write_bytes(data)
        honest = REPO / "examples" / "submitted" / "alice" / assignment
        shutil.copytree(honest, root / "submitted" / "honest_alice" / assignment)
    run = run_course("grade", root / "submitted", "--out", root / "graded", "--workers", "2", timeout=3600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return root / "graded"


def test_corpus_is_large_enough():
    assert len(CASES) >= 25
    for assignment, cases in EXPECTED.items():
        files = {p.stem for p in (CORPUS / assignment).glob("*.py")} | set(raw_files(assignment))
        assert files == set(cases), f"{assignment}: expected.json and the corpus files differ: {files ^ set(cases)}"


@pytest.mark.slow
@pytest.mark.parametrize("assignment,name,fails", CASES, ids=[f"{a}-{n}" for a, n, _ in CASES])
def test_hostile_submission_gets_its_honest_score_and_a_message(graded_corpus, assignment, name, fails):
    result = json.loads((graded_corpus / name / assignment / "result.json").read_text())
    failed = {check["name"]: check["message"] for check in result["checks"] if not check["passed"]}
    if "*" in fails:
        assert set(failed) == {check["name"] for check in result["checks"]}, f"{name} passed {set(c['name'] for c in result['checks']) - set(failed)}"
        assert all(fails["*"] in message for message in failed.values()), f"{name}: {set(failed.values())}"
    else:
        assert set(failed) == set(fails), f"{name}: failed {sorted(failed)}"
        for check, fragment in fails.items():
            assert fragment in failed[check], f"{name}/{check}: message was {failed[check]!r}"
    assert all(message.strip() for message in failed.values())
    assert result["manual_max_score"] == manual_max_score(assignment)
    assert all(item["status"] == "needs manual grading" for item in result["manual"])


@pytest.mark.slow
def test_the_honest_submission_graded_among_them_keeps_full_marks(graded_corpus):
    for assignment in EXPECTED:
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
