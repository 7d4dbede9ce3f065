"""What a student sees before submitting: nbgrader's Validate runs the visible checks (an untouched release fails and
names the exercises still to write, a solved notebook passes), and a failed check reads as its message."""
import subprocess
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from conftest import REPO
from course import notebooks
from course.notebooks import ASSIGNMENTS

NBGRADER = str(Path(sys.executable).with_name("nbgrader"))


def validate(notebook: Path) -> subprocess.CompletedProcess:
    """`nbgrader validate`, as the Validate button runs it, from the notebook's folder."""
    return subprocess.run([NBGRADER, "validate", notebook.name], cwd=notebook.parent, capture_output=True, text=True,
                          timeout=600)


def test_validate_fails_an_untouched_release_and_names_every_exercise_to_write(tmp_path):
    assignment = ASSIGNMENTS["01_torch101"]
    notebook = tmp_path / "01_torch101.ipynb"
    notebook.write_bytes(assignment.release_notebook.read_bytes())
    run = validate(notebook)
    report = run.stdout + run.stderr
    assert "Success!" not in report
    exercises = [notebooks.grade_id(cell) for cell in notebooks.read_notebook(assignment.source_notebook).cells
                 if notebooks.is_exercise(cell)]
    assert len(exercises) == 7
    for exercise in exercises:
        assert f"Not written yet: implement `{exercise}` above" in report, exercise
    assert "Traceback" not in report


def test_validate_passes_a_solved_notebook(tmp_path):
    notebook = tmp_path / "01_torch101.ipynb"
    notebook.write_bytes((REPO / "examples/submitted/alice/01_torch101/01_torch101.ipynb").read_bytes())
    run = validate(notebook)
    assert "Success! Your notebook passes all the tests." in run.stdout, run.stdout[-3000:] + run.stderr[-3000:]


def test_under_nbgrader_warnings_go_to_standard_output(monkeypatch):
    """nbgrader fails a check cell that wrote anything to standard error: under nbgrader (NBGRADER_EXECUTION set,
    as Validate does while it runs the kernel) a warning of a correct function goes to standard output instead.
    alice's 05, which warns on purpose, failed Validate before this (measured: she validates in 60 s now)."""
    monkeypatch.setenv("NBGRADER_EXECUTION", "validate")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in (
        "from coursekit import experiment_scale, show_check_messages\nshow_check_messages()\nprint(experiment_scale())",
        "import warnings\nwarnings.warn('alice: remember to remove this debugging warning')",
    )])
    NotebookClient(notebook, timeout=60, kernel_name="python3").execute()
    setup, warned = (cell.outputs for cell in notebook.cells)
    assert setup[0].text.strip() == "0.05"  # the experiments shrink while validating
    assert [output.name for output in warned] == ["stdout"] and "remember to remove" in warned[0].text


def test_a_failed_check_shows_its_message_wrapped_and_a_stub_says_not_written_yet():
    long_message = "the returns differ from the expected ones " * 8
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in (
        "from coursekit import show_check_messages\nshow_check_messages()",
        "def eval_dqn():\n    # YOUR CODE HERE\n    raise NotImplementedError()",
        "eval_dqn()",
        f"assert 1 == 2, {long_message!r}",
        "import warnings\nwarnings.warn('a library warning')\nprint('after the warning')",
        "{}['missing']",
    )])
    NotebookClient(notebook, timeout=60, kernel_name="python3", allow_errors=True).execute()
    stub, failed, warned, other = (cell.outputs for cell in notebook.cells[2:])
    assert stub[0].output_type == "error" and stub[0].ename == "NotImplementedError"
    assert "Not written yet: implement `eval_dqn` above" in "".join(stub[0].traceback)
    shown = "\n".join(failed[0].traceback)
    assert failed[0].output_type == "error" and "Check failed:" in shown
    assert max(len(line) for line in shown.split("\n")) <= 120, shown  # wrapped, no scrolling
    assert " ".join(shown.split()).count("the returns differ") == 8
    assert any(output.get("name") == "stderr" for output in warned)  # outside nbgrader, warnings stay warnings
    assert other[0].ename == "KeyError" and len(other[0].traceback) > 1  # other errors keep their traceback
