"""The bundled example submissions, built from the student release.

``examples/<assignment>/<student>.py`` holds the cells a (fictional) student
wrote, as ``# %% <grade_id>`` blocks (a locked cell's grade_id edits that cell;
``# tamper:`` lines delete, reorder or relabel cells, see ``tamper``). A line ``# base: <other student>`` starts
from that student's cells. A block that assigns ``SOLUTION_REGION = \"\"\"...\"\"\"``
fills only the ``YOUR CODE HERE`` stub inside a given cell (as in ``train``);
any other block replaces the whole exercise cell; a written answer's block
is its markdown, each line commented with ``# ``. The notebooks are written to
``examples/submitted/<student>/<assignment>/<assignment>.ipynb``, an nbgrader
submitted/ tree, and ``examples/<assignment>/expected.json`` says which checks each must fail (and with what message).
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat

from course.notebooks import ASSIGNMENTS, REPO_DIR, grade_id, is_written_answer, read_notebook, source_text

EXAMPLES_DIR = REPO_DIR / "examples"
STUB = re.compile(r"^([ \t]*)# YOUR CODE HERE\n[ \t]*raise NotImplementedError\(\)[ \t]*$", re.M)


def student_cells(path: Path) -> dict[str, str]:
    """grade_id -> code of one example student, following its ``# base:`` chain (a base is looked
    up beside the file, then among the bundled examples of the same assignment)."""
    text = path.read_text()
    base = re.search(r"^# base: (\w+)", text, re.M)
    cells = {}
    if base:
        beside = path.with_name(f"{base.group(1)}.py")
        cells = student_cells(beside if beside.exists() else EXAMPLES_DIR / path.parent.name / beside.name)
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
        for variant in sorted((variants_root / name).glob("*.py")):
            written.append(build_notebook(assignment, variant, out / variant.stem / name / f"{name}.ipynb"))
    return written
