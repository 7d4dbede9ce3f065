"""Reading notebooks: the assignments, their cells, and what a submission contains.

Roles of cells in a source notebook (nbgrader metadata plus one tag):

* ``setup`` tag: given code the graded functions rely on (imports, config,
  replay buffer, network). The grader always runs the *instructor's* copy, so
  editing or deleting it in a submission changes nothing.
* nbgrader ``solution`` code cell: a student's exercise, matched by grade_id.
* nbgrader ``solution`` + ``grade`` markdown cell: a written answer, graded by hand.
* everything else (visible checks, experiments, plots) is not run by the grader.
"""
from __future__ import annotations

import importlib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path


REPO_DIR = Path(__file__).resolve().parent.parent
SOLUTION_MARKER = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n", re.M)


class SubmissionError(ValueError):
    """A file that cannot be graded as a notebook; the message says what to do."""


@dataclass(frozen=True)
class Assignment:
    """One notebook of the course. Its files follow from its name, e.g. 05_dqn:
    source/05_dqn/05_dqn.ipynb, release/05_dqn/05_dqn.ipynb, solutions/dqn.py,
    autograder/05_dqn/ (checks.py, probes.py), examples/05_dqn/."""

    name: str  # nbgrader assignment id: NN_topic
    title: str  # from the source notebook's metadata course.title

    @property
    def topic(self) -> str:
        return self.name.split("_", 1)[1]

    @property
    def source_notebook(self) -> Path:
        return REPO_DIR / "source" / self.name / f"{self.name}.ipynb"

    @property
    def release_notebook(self) -> Path:
        return REPO_DIR / "release" / self.name / f"{self.name}.ipynb"

    @property
    def solutions_path(self) -> Path:
        return REPO_DIR / "solutions" / f"{self.topic}.py"

    @property
    def checks_path(self) -> Path:
        return REPO_DIR / "autograder" / self.name / "checks.py"

    @property
    def probes_path(self) -> Path:
        return REPO_DIR / "autograder" / self.name / "probes.py"

    def autograder_module(self, part: str):
        """autograder/<name>/<part>.py imported as the module autograder.<name>.<part> (grader side only: the
        sandbox never sees autograder/; it gets the probes' source, see course.worker.load_probes)."""
        if str(REPO_DIR) not in sys.path:
            sys.path.insert(0, str(REPO_DIR))
        return importlib.import_module(f"autograder.{self.name}.{part}")


PIECES_PATH = REPO_DIR / "autograder" / "pieces.py"  # grader-computed stand-ins the probes import (course.worker.load_probes)


def _discover() -> dict[str, Assignment]:
    """Every source/NN_topic/NN_topic.ipynb is an assignment."""
    found = {}
    for path in sorted((REPO_DIR / "source").glob("[0-9][0-9]_*/[0-9][0-9]_*.ipynb")):
        if path.stem == path.parent.name:
            title = json.loads(path.read_text()).get("metadata", {}).get("course", {}).get("title", path.stem)
            found[path.stem] = Assignment(path.stem, title)
    return found


ASSIGNMENTS = _discover()


def get_assignment(name: str) -> Assignment:
    if name not in ASSIGNMENTS:
        raise SubmissionError(f"unknown assignment {name!r}; known assignments: {', '.join(sorted(ASSIGNMENTS))}")
    return ASSIGNMENTS[name]


class Node(dict):
    """A dict with attribute access, like nbformat's NotebookNode (without nbformat's second of imports)."""

    def __getattr__(self, key):
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None

    def __setattr__(self, key, value):
        self[key] = value


def _node(value):
    if isinstance(value, dict):
        return Node({key: _node(item) for key, item in value.items()})
    if isinstance(value, list):
        return [_node(item) for item in value]
    return value


MAX_NOTEBOOK_BYTES = 100 * 2**20  # far above any notebook JupyterLab saves for this course
MAX_NESTING = 100  # levels of JSON lists and objects; JupyterLab's notebooks use about ten


def read_notebook(path: Path) -> Node:
    """Read a notebook file, or raise SubmissionError saying why it is not one.

    Whatever the file holds, the only error raised is SubmissionError: too large, not UTF-8
    JSON, nested too deep, not notebook format 4, or a cell or metadata of the wrong type."""
    path = Path(path)
    if not path.is_file():
        raise SubmissionError(f"{path}: no such file")
    redownload = "re-download the notebook from JupyterLab (File > Download) and submit that file"
    size = path.stat().st_size
    if size > MAX_NOTEBOOK_BYTES:
        raise SubmissionError(f"{path.name}: the file is {size / 2**20:.0f} MiB, more than the "
                              f"{MAX_NOTEBOOK_BYTES // 2**20} MiB a notebook may have; clear the cells' outputs "
                              "(Edit > Clear Outputs of All Cells), save, and submit it again")
    raw = path.read_bytes()
    if not raw.strip():
        raise SubmissionError(f"{path.name}: the file is empty; submit the .ipynb saved from JupyterLab")
    try:
        data = json.loads(raw)
        too_deep = _nesting_exceeds(data, MAX_NESTING)
    except RecursionError:  # json's parser stops at about 1000 levels
        too_deep = True
    except ValueError as error:  # not UTF-8, not JSON, or a number too long to convert
        raise SubmissionError(f"{path.name}: not valid notebook JSON ({str(error)[:200]}); {redownload}") from None
    if too_deep:
        raise SubmissionError(f"{path.name}: its JSON is nested more than {MAX_NESTING} levels deep, which no "
                              f"notebook is; {redownload}")
    if type(data) is not dict or type(data.get("cells")) is not list:
        raise SubmissionError(f"{path.name}: JSON but not a Jupyter notebook (no list of cells)")
    if data.get("nbformat") != 4:
        raise SubmissionError(f"{path.name}: notebook format {data.get('nbformat')!r} is not supported; "
                              "open and save it with JupyterLab (format 4)")
    if type(data.get("metadata", {})) is not dict:
        raise SubmissionError(f"{path.name}: the notebook's metadata is not a JSON object; {redownload}")
    for index, cell in enumerate(data["cells"]):
        if type(cell) is not dict or cell.get("cell_type") not in ("code", "markdown", "raw") \
                or type(cell.get("metadata", {})) is not dict:
            raise SubmissionError(f"{path.name}: cell {index + 1} is malformed; {redownload}")
        source = cell.get("source", "")
        if type(source) is not str and not (type(source) is list and all(type(line) is str for line in source)):
            raise SubmissionError(f"{path.name}: the source of cell {index + 1} is not text (a string or a list of "
                                  f"strings); {redownload}")
    return _node(data)


def _nesting_exceeds(data, limit: int) -> bool:
    """Whether lists and objects in DATA nest deeper than LIMIT (walked without recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        for child in children:
            if isinstance(child, (dict, list)):
                if depth + 1 > limit:
                    return True
                stack.append((child, depth + 1))
    return False


def grade_id(cell) -> str | None:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta.get("grade_id") if isinstance(meta, dict) and isinstance(meta.get("grade_id"), str) else None


def is_setup(cell) -> bool:
    tags = cell.get("metadata", {}).get("tags", [])
    return cell.get("cell_type") == "code" and isinstance(tags, list) and "setup" in tags


def is_exercise(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "code" and isinstance(meta, dict) and meta.get("solution") is True


def is_written_answer(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return (cell.get("cell_type") == "markdown" and isinstance(meta, dict)
            and meta.get("solution") is True and meta.get("grade") is True)


def source_text(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def identify_assignment(notebook) -> Assignment:
    """The assignment a notebook belongs to: from its metadata, else from its cell ids."""
    course = notebook.get("metadata", {}).get("course")
    name = course.get("assignment") if isinstance(course, dict) else None
    if isinstance(name, str) and name in ASSIGNMENTS:
        return ASSIGNMENTS[name]
    ids = {grade_id(cell) for cell in notebook.cells} - {None}
    for assignment in ASSIGNMENTS.values():
        source_ids = {grade_id(cell) for cell in read_notebook(assignment.source_notebook).cells if is_exercise(cell)}
        if source_ids and len(ids & source_ids) >= len(source_ids) / 2:
            return assignment
    raise SubmissionError("cannot tell which assignment this notebook belongs to (its metadata and cell ids "
                          "match none); pass --assignment NAME")


def module_cells(source, submission) -> list[tuple[str, str]]:
    """The code the grader runs for a submission, as (cell name, code): the source's setup cells and the
    submission's exercise cells, in the source's order. Missing exercises are skipped."""
    submitted = {}
    for cell in submission.cells:
        if is_exercise(cell) and grade_id(cell):
            submitted.setdefault(grade_id(cell), source_text(cell))
    cells = []
    for index, cell in enumerate(source.cells):
        if is_setup(cell):
            cells.append((grade_id(cell) or f"setup_{index}", source_text(cell)))
        elif is_exercise(cell) and grade_id(cell) in submitted:
            cells.append((grade_id(cell), submitted[grade_id(cell)]))
    return cells


def missing_exercises(source, submission) -> list[str]:
    present = {grade_id(cell) for cell in submission.cells if is_exercise(cell)}
    return [grade_id(cell) for cell in source.cells if is_exercise(cell) and grade_id(cell) not in present]


def written_answers(source, submission) -> list[dict]:
    """Each manually graded answer: id, points, and the student's text (empty if the cell is gone)."""
    answers = {grade_id(cell): source_text(cell) for cell in submission.cells if is_written_answer(cell)}
    return [{"name": grade_id(cell), "max_points": float(cell["metadata"]["nbgrader"].get("points", 0)),
             "text": answers.get(grade_id(cell), "")}
            for cell in source.cells if is_written_answer(cell)]


def solutions_text(assignment: Assignment) -> str:
    """The reference module generated from the source notebook: setup and solution cells, in order."""
    source = read_notebook(assignment.source_notebook)
    parts = [f'"""Reference solutions of {assignment.name} ({assignment.title}).\n\n'
             f"Generated from source/{assignment.name}/{assignment.name}.ipynb by `python -m course build`;"
             " do not edit:\nedit the notebook and regenerate. A test checks that the two agree.\n\"\"\"\n"]
    for name, code in module_cells(source, source):
        parts.append(f"# --- cell {name} ---\n" + SOLUTION_MARKER.sub("", code).rstrip() + "\n")
    return "\n\n".join(parts)
