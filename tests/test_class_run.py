"""A class run that no file can stop: broken files, odd names, duplicates, a dying checks
process, two runs into one folder, forged results. Everything is graded through the command
line on 02_mdp, the cheapest notebook; the checks of single functions run without grading."""
import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, run_course
from course import grading, notebooks
from course.examples import expectations, students, unmet
from course.notebooks import ASSIGNMENTS, SubmissionError, read_notebook

MDP = ASSIGNMENTS["02_mdp"]
EXPECTED = {name: expectations(path) for name, path in students("02_mdp").items()}
VARIANTS = sorted(EXPECTED)  # the example students: their checks to fail are known


def honest(variant: str) -> bytes:
    """The bundled example student VARIANT's 02_mdp notebook."""
    return (REPO / "examples" / "submitted" / variant / "02_mdp" / "02_mdp.ipynb").read_bytes()


def put(path: Path, content: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def with_written_answer_source(source) -> bytes:
    notebook = json.loads(honest("alice"))
    cell = next(cell for cell in notebook["cells"] if notebooks.is_written_answer(cell))
    cell["source"] = source
    return json.dumps(notebook).encode()


BROKEN = {  # student -> (file content, a fragment of the message every check gets)
    "deep": (b'{"cells": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested more than 100 levels deep"),
    "number": (with_written_answer_source(["My answer is ", 3]), "is not text"),
    "listmeta": (json.dumps({**json.loads(honest("alice")), "metadata": []}).encode(), "metadata is not a JSON object"),
    "truncated": (honest("alice")[:2000], "not valid notebook JSON"),
}
ODD = ["...ipynb", "javascript:alert(document.title)%2F%2F/02_mdp/02_mdp.ipynb",
       "=cmd|'calc'!A0/02_mdp/02_mdp.ipynb", "mallory/02_mdp/extra/carol.ipynb"]


def rows_of(out: Path) -> dict[str, dict]:
    return {row["student"]: row for row in csv.DictReader((out / "grades.csv").open())}


def result_of(out: Path, student: str) -> dict:
    return json.loads((out / student / "02_mdp" / "result.json").read_text())


def failed_checks(result: dict) -> dict[str, str]:
    return {check["name"]: check["message"] for check in result["checks"] if not check["passed"]}


def assert_expected_score(result: dict, variant: str) -> None:
    """The variant's normal grading: exactly its known checks failed, and the points that leaves."""
    problem = unmet(result, EXPECTED[variant])
    assert problem is None, f"{variant}: {problem}"
    lost = sum(check["max_points"] for check in result["checks"] if not check["passed"])
    assert result["score"] == pytest.approx(result["max_score"] - lost) and result["max_score"] == 30


@pytest.fixture(scope="module")
def class_run(tmp_path_factory):
    """A class of 20 graded in one run: 15 honest students (one with a JupyterLab duplicate beside
    the notebook, one with a notebook for somebody else in a subfolder), four broken files, one
    student with two notebooks and none of the released name; and four notebooks that belong to
    no student (unsafe names, a file below an assignment folder)."""
    root = tmp_path_factory.mktemp("class")
    submitted = root / "submitted"
    honest_students = {f"{VARIANTS[i % 5]}{i}": VARIANTS[i % 5] for i in range(13)}
    honest_students.update(mallory="alice", copier="bob")
    for student, variant in honest_students.items():
        put(submitted / student / "02_mdp" / "02_mdp.ipynb", honest(variant))
    put(submitted / "copier" / "02_mdp" / "02_mdp-Copy1.ipynb", honest("erin"))
    for student, (content, _) in BROKEN.items():
        put(submitted / student / "02_mdp" / "02_mdp.ipynb", content)
    for name in ("draft.ipynb", "final.ipynb"):
        put(submitted / "undecided" / "02_mdp" / name, honest("alice"))
    for path in ODD:
        put(submitted / path, honest("alice"))
    before = {path: path.read_bytes() for path in submitted.rglob("*") if path.is_file()}

    started = time.perf_counter()
    run = run_course("grade", submitted, "--out", root / "out", "--workers", "2")
    seconds = time.perf_counter() - started
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert before == {path: path.read_bytes() for path in submitted.rglob("*") if path.is_file()}
    rows = rows_of(root / "out")
    print(f"\nclass of 20: {len(rows)} rows in grades.csv, {len(ODD)} notebooks not graded, {seconds:.1f} s "
          f"with 2 workers; scores: " + ", ".join(f"{s} {r['score']}" for s, r in sorted(rows.items())))
    return root, run, honest_students


@pytest.mark.slow
def test_every_real_student_gets_one_row_and_the_honest_their_normal_score(class_run):
    root, _, honest_students = class_run
    rows = rows_of(root / "out")
    assert set(rows) == set(honest_students) | set(BROKEN) | {"undecided"} and len(rows) == 20
    for student, variant in honest_students.items():
        assert_expected_score(result_of(root / "out", student), variant)
        assert float(rows[student]["score"]) == result_of(root / "out", student)["score"]
    assert {student: row["note"] for student, row in rows.items() if row["note"]} == {
        **{student: "not a notebook" for student in BROKEN}, "undecided": "which one?",
        "copier": "also found: 02_mdp-Copy1.ipynb"}


@pytest.mark.slow
def test_broken_files_and_undecided_students_get_zero_and_a_message(class_run):
    root, _, _ = class_run
    for student, (_, fragment) in BROKEN.items():
        result = result_of(root / "out", student)
        assert result["score"] == 0 and result["max_score"] == 30 and not result["grader_error"]
        assert all(fragment in message for message in failed_checks(result).values()), student
        assert len(failed_checks(result)) == len(result["checks"]) == 13
    undecided = result_of(root / "out", "undecided")
    assert undecided["score"] == 0 and len(failed_checks(undecided)) == 13
    assert all("(draft.ipynb, final.ipynb)" in message and "submit only 02_mdp.ipynb" in message
               for message in failed_checks(undecided).values())
    copier_page = (root / "out" / "copier" / "02_mdp" / "feedback.html").read_text()
    assert "02_mdp-Copy1.ipynb" in copier_page and "not graded" in copier_page


@pytest.mark.slow
def test_notebooks_of_no_student_are_reported_and_nothing_lands_outside_out(class_run):
    root, run, _ = class_run
    listed = {Path(row["path"]).relative_to(root / "submitted").as_posix(): row["reason"]
              for row in csv.DictReader((root / "out" / "not_graded.csv").open())}
    assert set(listed) == set(ODD)
    assert "belongs to no student" in listed["mallory/02_mdp/extra/carol.ipynb"]
    for path in ODD[:3]:
        assert "is not allowed as a student name" in listed[path]
        assert f"not graded: {root / 'submitted' / path}" in run.stdout
    assert sorted(path.name for path in root.iterdir()) == ["out", "submitted"]
    rows = rows_of(root / "out")
    assert {path.name for path in (root / "out").iterdir() if path.is_dir()} == set(rows) | {".course"}
    assert sorted(path.name for path in (root / "out").iterdir() if not path.is_dir()) == [
        "analytics.html", "canvas.csv", "gallery.html", "grades.csv", "not_graded.csv"]
    assert not {"carol", "..", Path(ODD[1]).parts[0], Path(ODD[2]).parts[0]} & set(rows)


@pytest.mark.slow
def test_the_checks_of_an_ungradable_result_are_the_assignments_checks(class_run):
    """declared_checks, read from autograder/02_mdp/checks.py, lists the checks a real grading ran."""
    root, _, _ = class_run
    keys = ("name", "exercise", "description", "max_points", "end_to_end")
    graded = [{key: check[key] for key in keys} for check in result_of(root / "out", "erin4")["checks"]]
    assert graded == [{key: check[key] for key in keys} for check in grading.declared_checks(MDP, "")]


@pytest.mark.slow
def test_a_second_run_into_the_same_folder_refuses_and_the_first_grades_everyone(tmp_path):
    """Two `course grade` runs into one folder, started 0.5 s apart: one grades all four students,
    the other exits at once with exit code 2 and one line naming the process that holds the folder."""
    for student in ("ann", "ben", "cai", "dan"):
        put(tmp_path / "submitted" / student / "02_mdp" / "02_mdp.ipynb", honest("erin"))
    command = [sys.executable, "-m", "course", "grade", str(tmp_path / "submitted"), "--out", str(tmp_path / "out"),
               "--workers", "2"]
    first = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(0.5)
    second = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    outcomes = {}
    for process in (first, second):
        _, stderr = process.communicate(timeout=300)
        outcomes[process.pid] = (process.returncode, stderr)
    assert sorted(code for code, _ in outcomes.values()) == [0, 2], outcomes
    graded_pid = next(pid for pid, (code, _) in outcomes.items() if code == 0)
    refusal = next(stderr for code, stderr in outcomes.values() if code == 2)
    assert len(refusal.strip().splitlines()) == 1, refusal
    assert f"being written by another `course grade` (process {graded_pid})" in refusal
    rows = rows_of(tmp_path / "out")
    assert set(rows) == {"ann", "ben", "cai", "dan"} and all(row["score"] == "0.0" for row in rows.values())


@pytest.mark.slow
def test_regrading_one_student_leaves_the_others_as_they_were(tmp_path):
    """`course grade submitted/ann --regrade` grades ann again (after she resubmitted a fix) and nobody else: the
    other results keep their bytes, and grades.csv still lists the whole class."""
    out = tmp_path / "out"
    for student, variant in (("ann", "erin"), ("ben", "alice")):
        put(tmp_path / "submitted" / student / "02_mdp" / "02_mdp.ipynb", honest(variant))
    assert run_course("grade", tmp_path / "submitted", "--out", out).returncode == 0
    ben_before = (out / "ben" / "02_mdp" / "result.json").read_bytes()
    put(tmp_path / "submitted" / "ann" / "02_mdp" / "02_mdp.ipynb", honest("alice"))  # ann hands in a solution
    rerun = run_course("grade", tmp_path / "submitted" / "ann", "--out", out, "--regrade")
    assert rerun.returncode == 0, rerun.stderr
    assert (out / "ben" / "02_mdp" / "result.json").read_bytes() == ben_before
    rows = rows_of(out)
    assert set(rows) == {"ann", "ben"} and rows["ann"]["score"] == rows["ben"]["score"] == "30.0"


@pytest.mark.slow
def test_a_forged_result_is_regraded_and_never_reaches_the_gradebook(tmp_path):
    out = tmp_path / "out"
    for student in ("ann", "erin"):
        put(tmp_path / "submitted" / student / "02_mdp" / "02_mdp.ipynb", honest("erin"))
    assert run_course("grade", tmp_path / "submitted", "--out", out).returncode == 0
    genuine = result_of(out, "erin")
    assert genuine["score"] == 0 and len(genuine["signature"]) == 64
    forged = {**genuine, "score": 30.0}  # the grader's signature kept, the score edited
    (out / "erin" / "02_mdp" / "result.json").write_text(json.dumps(forged))
    put(out / "ghost" / "02_mdp" / "result.json", json.dumps({**genuine, "student": "ghost", "score": 30.0,
                                                               "signature": "0" * 64}).encode())

    gallery = run_course("gallery", out)
    assert gallery.returncode == 0 and f"warning: {out / 'ghost' / '02_mdp' / 'result.json'}" in gallery.stderr
    page = (out / "gallery.html").read_text()
    assert ">ann<" in page and ">erin<" not in page and ">ghost<" not in page
    export = run_course("gradescope-results", out / "ghost" / "02_mdp" / "result.json")
    assert export.returncode == 2 and "signature does not verify" in export.stderr

    rerun = run_course("grade", tmp_path / "submitted", "--out", out)
    assert rerun.returncode == 0, rerun.stderr
    assert "ann/02_mdp: already graded" in rerun.stdout and "erin/02_mdp: already graded" not in rerun.stdout
    assert f"warning: {out / 'ghost' / '02_mdp' / 'result.json'} is left out" in rerun.stdout
    assert {student: row["score"] for student, row in rows_of(out).items()} == {"ann": "0.0", "erin": "0.0"}
    assert ">ghost<" not in (out / "gallery.html").read_text()


@pytest.mark.slow
def test_a_checks_process_that_dies_fails_only_its_submission_and_is_regraded(tmp_path):
    """The warm check server killed during one submission, a checks process killed during the next:
    both get every check failed as a grader error, the third student is graded normally, and a
    rerun grades the two again (the finished one is kept)."""
    for student, variant in (("a1", "alice"), ("c3", "erin")):
        put(tmp_path / "submitted" / student / "02_mdp" / "02_mdp.ipynb", honest(variant))
    put(tmp_path / "submitted" / "b2" / "02_mdp" / "02_mdp.ipynb", slow_to_load(honest("alice")))
    out = tmp_path / "out"
    command = [sys.executable, "-m", "course", "grade", str(tmp_path / "submitted"), "--out", str(out), "--workers", "1"]
    run = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    killed_server = wait_for_checks_child(run.pid)
    os.kill(killed_server[0], signal.SIGKILL)  # the server: its next reply never comes
    os.kill(killed_server[1], signal.SIGKILL)
    killed_child = wait_for_checks_child(run.pid, not_server=killed_server[0])
    os.kill(killed_child[1], signal.SIGKILL)  # only the checks process: the server reports its death
    stdout, _ = run.communicate(timeout=300)
    assert run.returncode == 0, stdout
    results = {student: result_of(out, student) for student in ("a1", "b2", "c3")}
    assert [student for student, result in results.items() if result["grader_error"]] == ["a1", "b2"]
    for student, fragment in (("a1", "the grader failed on this submission"),
                              ("b2", "checks process stopped without results (exit code -9)")):
        assert results[student]["score"] == 0 and rows_of(out)[student]["note"] == "grader error"
        assert len(failed_checks(results[student])) == 13, student
        assert all(fragment in message for message in failed_checks(results[student]).values()), student
        assert (out / student / "02_mdp" / "grader_error.log").exists()
    assert_expected_score(results["c3"], "erin")

    rerun = run_course("grade", tmp_path / "submitted", "--out", out, "--workers", "1")
    assert rerun.returncode == 0 and rerun.stdout.count("already graded") == 1
    assert_expected_score(result_of(out, "a1"), "alice")
    assert_expected_score(result_of(out, "b2"), "alice")
    assert not (out / "a1" / "02_mdp" / "grader_error.log").exists()


def slow_to_load(notebook: bytes, cpu_seconds: float = 3.0) -> bytes:
    """The notebook with its first exercise cell burning CPU_SECONDS when it loads (still correct work), so that
    its checks process lives long enough to be killed on a busy machine."""
    content = json.loads(notebook)
    cell = next(cell for cell in content["cells"] if notebooks.is_exercise(cell))
    cell["source"] = (f"import time as _clock\n_until = _clock.process_time() + {cpu_seconds}\n"
                      "while _clock.process_time() < _until:\n    pass\n" + notebooks.source_text(cell))
    return json.dumps(content).encode()


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def wait_for_checks_child(grader_pid: int, not_server: int | None = None, timeout: float = 120) -> tuple[int, int]:
    """(check server, its forked checks process) of the grading run GRADER_PID, once a checks process runs. Server
    and checks process are found by their command line (course.checkserver, which the fork keeps): each starts
    bubblewrap's probe at some point, a process with a child of its own that must not be taken for them. The checks
    process counts once it has started the submission's sandbox."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        parents = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(stat.parent.name)] = int(fields[1])
        servers = [pid for pid, parent in parents.items()
                   if parent == grader_pid and pid != not_server and b"course.checkserver" in _cmdline(pid)]
        working = set(parents.values())  # a checks process at work has started the submission's sandbox
        children = [(parent, pid) for pid, parent in parents.items()
                    if parent in servers and pid in working and b"course.checkserver" in _cmdline(pid)]
        if children:
            return children[0]
        time.sleep(0.05)
    raise AssertionError("no checks process started")


# ---------------------------------------------------------------- single functions, no grading
@pytest.mark.parametrize("content,fragment", [
    (b"[" * 100_000 + b"]" * 100_000, "nested more than 100 levels deep"),
    (json.dumps({"nbformat": 4, "metadata": {"x": json.loads("[" * 500 + "]" * 500)}, "cells": []}).encode(),
     "nested more than 100 levels deep"),
    (json.dumps({"nbformat": 4, "metadata": [], "cells": []}).encode(), "metadata is not a JSON object"),
    (json.dumps({"nbformat": 4, "metadata": {}, "cells": [{"cell_type": "markdown", "source": ["a", 3]}]}).encode(),
     "the source of cell 1 is not text"),
    (json.dumps({"nbformat": 4, "metadata": {}, "cells": [{"cell_type": "code", "source": {"a": 1}}]}).encode(),
     "the source of cell 1 is not text"),
    (b"\xff\xfe", "not valid notebook JSON"),
    (b'{"nbformat": 4, "metadata": {"n": ' + b"9" * 5000 + b'}, "cells": []}', "not valid notebook JSON (Exceeds the limit"),
], ids=["deep-100000", "deep-500", "list-metadata", "number-in-source", "dict-source", "not-utf8", "5000-digit-number"])
def test_read_notebook_turns_any_odd_file_into_a_submission_error(tmp_path, content, fragment):
    with pytest.raises(SubmissionError, match="re-download the notebook from JupyterLab") as error:
        read_notebook(put(tmp_path / "x.ipynb", content))
    assert fragment in str(error.value)


def test_read_notebook_refuses_files_over_100_mib_without_reading_them(tmp_path):
    path = tmp_path / "huge.ipynb"
    with open(path, "wb") as handle:
        handle.truncate(101 * 2**20)
    with pytest.raises(SubmissionError, match="101 MiB, more than the 100 MiB a notebook may have; clear the cells' outputs"):
        read_notebook(path)


def test_identify_assignment_ignores_metadata_of_the_wrong_type(tmp_path):
    notebook = json.loads(honest("alice"))
    notebook["metadata"]["course"] = ["02_mdp"]
    assert notebooks.identify_assignment(read_notebook(put(tmp_path / "x.ipynb", json.dumps(notebook).encode()))) == MDP


@pytest.mark.parametrize("name", sorted(ASSIGNMENTS))
def test_every_assignment_declares_its_checks_readably(name):
    """declared_checks reads every autograder file (a grader error must never fail on it): each
    check has points and grades an exercise cell of the source notebook."""
    assignment = ASSIGNMENTS[name]
    checks = grading.declared_checks(assignment, "why")
    exercises = {notebooks.grade_id(cell) for cell in read_notebook(assignment.source_notebook).cells
                 if notebooks.is_exercise(cell)}
    assert len(checks) >= 5 and all(check["max_points"] > 0 and check["message"] == "why" for check in checks)
    assert {check["exercise"] for check in checks} <= exercises


@pytest.mark.parametrize("training", [
    b'{"greedy_return": "lots", "eval_steps": [1, 2, 3], "eval_returns": [1]}',
    b"[1, 2]", b"{not json", b"[" * 100_000, b'{"greedy_return": NaN}', b'{"greedy_return": true}'])
def test_odd_training_records_give_no_numbers_and_no_error(tmp_path, training):
    put(tmp_path / "artifacts" / "training.json", training)
    assert grading._collect_media(tmp_path / "artifacts", tmp_path) == {}


def test_a_training_curve_with_mismatched_or_odd_lists_still_draws(tmp_path):
    from course.feedback import plot_training

    plot_training({"episode_returns": [1, "x", None, 2.5], "eval_steps": [100, 200, 300], "eval_returns": [1.0],
                   "title": 7}, tmp_path / "curve.png")
    assert (tmp_path / "curve.png").stat().st_size > 5_000


def test_the_student_comes_from_the_tree_and_odd_files_are_reported(tmp_path):
    tree = tmp_path / "submitted"
    put(tree / "ann" / "02_mdp" / "02_mdp.ipynb", honest("alice"))
    put(tree / "ann" / "02_mdp" / "notes" / "bob.ipynb", honest("alice"))
    put(tree / "ann" / "03_qlearning" / "03_qlearning.ipynb", b"")
    put(tree / "ann" / "02_mdp" / "ann" / "02_mdp" / "02_mdp.ipynb", honest("alice"))
    put(tree / "cleo.ipynb", honest("alice"))  # a folder of notebooks: student = stem
    put(tree / "-rf.ipynb", honest("alice"))
    (tree / "ann" / "02_mdp" / "link.ipynb").symlink_to(MDP.source_notebook)
    jobs, not_graded = grading.discover([tree], "02_mdp")
    assert [(job.student, job.notebook.relative_to(tree).as_posix()) for job in jobs] == [
        ("ann", "ann/02_mdp/02_mdp.ipynb"), ("cleo", "cleo.ipynb")]
    assert sorted(item.path.relative_to(tree).as_posix() for item in not_graded) == [
        "-rf.ipynb", "ann/02_mdp/ann/02_mdp/02_mdp.ipynb", "ann/02_mdp/link.ipynb", "ann/02_mdp/notes/bob.ipynb"]
    jobs, _ = grading.discover([tree / "ann"])  # one student's folder
    assert [(job.student, job.assignment.name) for job in jobs] == [("ann", "02_mdp"), ("ann", "03_qlearning")]
    assert grading.discover([tree / "ann" / "02_mdp" / "02_mdp.ipynb"])[0][0].student == "ann"


@pytest.mark.parametrize("name", ["..", ".", "=cmd", "+1", "-rf", "@x", "a b", "a/b", "a:b", "x\x07", "", "a" * 101,
                                  "javascript:alert(1)", ".hidden", "grades.csv", "gallery.html.tmp",
                                  "canvas.csv", "analytics.html"])
def test_unsafe_student_names_are_refused(name):
    assert "is not allowed as a student name" in grading.student_name_problem(name)
    with pytest.raises(SubmissionError):
        grading.Job(name, MDP, None)


@pytest.mark.parametrize("name", ["alice", "j.doe@uni.edu", "Zoë_2", "a+b-c", "_x", "s1234567"])
def test_usual_student_names_are_accepted(name):
    assert grading.student_name_problem(name) is None


def test_a_finished_result_is_kept_only_if_signed_same_bytes_same_grader(tmp_path):
    out, notebook = tmp_path / "out", put(tmp_path / "ann" / "02_mdp" / "02_mdp.ipynb", honest("erin"))
    job = grading.Job("ann", MDP, notebook)
    key = grading.result_key(out, create=True)
    assert (out / ".course").stat().st_mode & 0o777 == 0o700 and (out / ".course" / "key").stat().st_mode & 0o777 == 0o600
    honest_result = {"student": "ann", "assignment": "02_mdp", "sha256": grading.sha256(notebook),
                     "grader_version": grading.grader_version(MDP), "grader_error": False, "also_found": [], "score": 1.0}
    folder = grading.result_dir(out, job)
    folder.mkdir(parents=True)

    def kept(result: dict, sign: bool = True) -> bool:
        if sign:
            grading.write_result(folder, result, key)
        else:
            (folder / "result.json").write_text(json.dumps(result))
        return grading.finished_result(out, job, key) is not None

    assert kept(honest_result)
    assert not kept({**honest_result, "sha256": "0" * 64})
    assert not kept({**honest_result, "grader_version": "an older grader"})
    assert not kept({**honest_result, "grader_error": True})
    assert not kept({**honest_result, "also_found": ["02_mdp-Copy1.ipynb"]})
    signed = grading.write_result(folder, honest_result, key)
    assert not kept({**signed, "score": 30.0}, sign=False)
    assert kept(signed, sign=False)  # the grader's own file, as written
    assert not kept(honest_result, sign=False)
    assert grading.read_trusted_result(folder / "result.json", grading.result_key(tmp_path / "elsewhere", create=True)) is None
