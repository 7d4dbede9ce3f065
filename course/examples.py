"""The corpus of each assignment: example students and hostile submissions, each carrying what grading it must give.

``examples/<assignment>/<student>.py`` holds the cells a (fictional) student wrote, as ``# %% <grade_id>``
blocks (a locked cell's grade_id edits that cell; ``# tamper:`` lines delete, reorder or relabel cells, see
``tamper``). A line ``# base: <other student>`` starts from that student's cells. A block that assigns
``SOLUTION_REGION = \"\"\"...\"\"\"`` fills only the ``YOUR CODE HERE`` stub inside a given cell (as in
``train``); any other block replaces the whole exercise cell; a written answer's block is its markdown, each line
commented with ``# ``. ``examples/<assignment>/hostile/`` holds the adversarial cases in the same format, and
``hostile/raw/`` files that are not notebooks at all (``.ipynb``, or ``.ipynb.gz`` when too large to commit
as they are), each with a ``<name>.expect`` beside it.

Every case states its expected grading in header lines (see ``expectations``)::

    # expect: full marks
    # expect: update_loss: Index tensor        (this check fails, its message contains the text)
    # expect: *: NotImplementedError           (every check fails with that text)

The students are built into ``examples/submitted/<student>/<assignment>/<assignment>.ipynb`` (an nbgrader
submitted/ tree: the README's example class) by ``course build``; the tests grade them and the hostile cases,
and ``benchmarks/bench_class.py`` builds its class from both.
"""
from __future__ import annotations

import ast
import gzip
import re
from pathlib import Path

import nbformat

from course.notebooks import ASSIGNMENTS, REPO_DIR, grade_id, is_written_answer, read_notebook, source_text

EXAMPLES_DIR = REPO_DIR / "examples"
STUB = re.compile(r"^([ \t]*)# YOUR CODE HERE\n[ \t]*raise NotImplementedError\(\)[ \t]*$", re.M)


EXPECT = re.compile(r"^# expect: (?:(full marks)|(\*|\w+):(?: (.*))?)$")


def expectations(path: Path) -> dict[str, str]:
    """What grading the case at PATH must give, from its ``# expect:`` lines: check name (or "*" for every check)
    -> a fragment of its failure message; {} for full marks. A case without any expect line is an error."""
    lines = [line for line in path.read_text(errors="replace").splitlines() if line.startswith("# expect:")]
    if not lines:
        raise ValueError(f"{path} has no '# expect:' line: say what grading it must give (see course/examples.py)")
    fails = {}
    for line in lines:
        match = EXPECT.match(line)
        if match is None:
            raise ValueError(f"{path}: cannot read {line!r}; write '# expect: full marks' or '# expect: CHECK: TEXT'")
        if not match.group(1):
            fails[match.group(2)] = match.group(3) or ""
    if fails and len(lines) != len(fails):
        raise ValueError(f"{path} expects full marks and failures at once")
    return fails


def unmet(result: dict, fails: dict[str, str]) -> str | None:
    """Why a graded result (result.json) does not give what a case expects (see expectations), or None."""
    checks = {check["name"]: check for check in result["checks"]}
    failed = {name: check["message"] for name, check in checks.items() if not check["passed"]}
    if "*" in fails:
        if set(failed) != set(checks):
            return f"passed {sorted(set(checks) - set(failed))}, expected every check to fail"
        wrong = {name: message for name, message in failed.items() if fails["*"] not in message}
        return f"messages without {fails['*']!r}: {wrong}" if wrong else None
    if set(failed) != set(fails):
        return f"failed {sorted(failed)}, expected {sorted(fails)}"
    wrong = {name: failed[name] for name, fragment in fails.items() if fragment not in failed[name]}
    return f"messages without the expected text: {wrong}" if wrong else None


def students(assignment: str, root: Path = EXAMPLES_DIR) -> dict[str, Path]:
    """The example students of an assignment: name -> their .py file."""
    return {path.stem: path for path in sorted((root / assignment).glob("*.py"))}


def hostile_cases(assignment: str, root: Path = EXAMPLES_DIR) -> dict[str, tuple[Path, Path]]:
    """The adversarial cases of an assignment: name -> (the file to submit, the file holding its expectations).
    A .py case is built like a student; a raw file is submitted as it is (see raw_bytes)."""
    folder = root / assignment / "hostile"
    cases = {path.stem: (path, path) for path in sorted(folder.glob("*.py"))}
    for path in sorted((folder / "raw").glob("*.ipynb*")):
        name = path.name.split(".ipynb")[0]
        cases[name] = (path, path.with_name(f"{name}.expect"))
    return cases


def raw_bytes(path: Path) -> bytes:
    """The bytes of a raw hostile file (gunzipped when it ends in .gz)."""
    return gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()


def student_cells(path: Path) -> dict[str, str]:
    """grade_id -> code of one example student, following its ``# base:`` chain (a base is looked
    up beside the file, then among the students of the same assignment)."""
    text = path.read_text()
    base = re.search(r"^# base: (\w+)", text, re.M)
    cells = {}
    if base:
        beside = path.with_name(f"{base.group(1)}.py")
        assignment_folder = path.parent.parent if path.parent.name == "hostile" else path.parent
        cells = student_cells(beside if beside.exists() else assignment_folder / beside.name)
    for block in re.split(r"^# %% ", text, flags=re.M)[1:]:
        name, code = block.split("\n", 1)
        cells[name.strip()] = code.strip("\n") + "\n"
    return cells


def fill(release_source: str, code: str) -> str:
    """The student's version of a cell: the whole cell, or the release cell with its stub filled."""
    if "SOLUTION_REGION" not in code:
        return code.rstrip("\n")
    region = next(node.value.value for node in ast.parse(code).body
                  if isinstance(node, ast.Assign) and node.targets[0].id == "SOLUTION_REGION")
    match = STUB.search(release_source)
    if match is None:
        raise ValueError("the release cell has no YOUR CODE HERE stub to fill")
    return release_source[:match.start()] + region.strip("\n") + release_source[match.end():]


def tamper(notebook, directives: list[str]) -> None:
    """What a student may do to a notebook besides writing code (``# tamper: ...`` lines):
    ``drop-locked`` deletes every locked cell, ``reverse`` reverses the cell order,
    ``rename OLD NEW`` changes a cell's grade_id, ``points ID N`` rewrites a cell's points."""
    for directive in directives:
        op, *args = directive.split()
        if op == "drop-locked":
            notebook.cells = [c for c in notebook.cells if not c.get("metadata", {}).get("nbgrader", {}).get("locked")]
        elif op == "reverse":
            notebook.cells.reverse()
        elif op in ("rename", "points"):
            cell = next(c for c in notebook.cells if grade_id(c) == args[0])
            key, value = ("grade_id", args[1]) if op == "rename" else ("points", float(args[1]))
            cell["metadata"]["nbgrader"][key] = value
        else:
            raise ValueError(f"unknown tamper directive {directive!r}")


def build_notebook(assignment, variant: Path, target: Path) -> Path:
    """One example student's notebook: the release with their cells filled in (or edited)."""
    notebook = read_notebook(assignment.release_notebook)
    cells = student_cells(variant)
    for cell in notebook.cells:
        if grade_id(cell) not in cells:
            continue
        if is_written_answer(cell):
            cell.source = re.sub(r"^# ?", "", cells[grade_id(cell)], flags=re.M).strip()
        else:  # an exercise, or a locked cell the student edited
            cell.source = fill(source_text(cell), cells[grade_id(cell)])
    tamper(notebook, re.findall(r"^# tamper: (.+)$", variant.read_text(), re.M))
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nbformat.from_dict(notebook), target)
    return target


def build_examples(variants_root: Path = EXAMPLES_DIR, out: Path | None = None, assignments=None) -> list[Path]:
    """Build every variants_root/<assignment>/<student>.py (of ASSIGNMENTS, default all) into an nbgrader
    submitted/ tree (default variants_root/submitted, which git ignores: `course build` and the tests make it)."""
    out = out or variants_root / "submitted"
    written = []
    for name in assignments or sorted(ASSIGNMENTS):
        assignment = ASSIGNMENTS[name]
        for student, variant in students(name, variants_root).items():
            written.append(build_notebook(assignment, variant, out / student / name / f"{name}.ipynb"))
    return written
