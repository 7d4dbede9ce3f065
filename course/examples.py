"""The bundled example submissions, built from the student release.

``examples/<assignment>/<student>.py`` holds the cells a (fictional) student
wrote, as ``# %% <grade_id>`` blocks. A line ``# base: <other student>`` starts
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

from course.notebooks import ASSIGNMENTS, REPO_DIR, grade_id, is_exercise, is_written_answer, read_notebook, source_text

EXAMPLES_DIR = REPO_DIR / "examples"
STUB = re.compile(r"^([ \t]*)# YOUR CODE HERE\n[ \t]*raise NotImplementedError\(\)[ \t]*$", re.M)


def student_cells(path: Path) -> dict[str, str]:
    """grade_id -> code of one example student, following its ``# base:`` chain."""
    text = path.read_text()
    base = re.search(r"^# base: (\w+)", text, re.M)
    cells = student_cells(path.with_name(f"{base.group(1)}.py")) if base else {}
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


def build_examples() -> list[Path]:
    written = []
    for name, assignment in ASSIGNMENTS.items():
        for variant in sorted((EXAMPLES_DIR / name).glob("*.py")):
            notebook = read_notebook(assignment.release_notebook)
            cells = student_cells(variant)
            for cell in notebook.cells:
                if is_exercise(cell) and grade_id(cell) in cells:
                    cell.source = fill(source_text(cell), cells[grade_id(cell)])
                elif is_written_answer(cell) and grade_id(cell) in cells:
                    cell.source = re.sub(r"^# ?", "", cells[grade_id(cell)], flags=re.M).strip()
            target = EXAMPLES_DIR / "submitted" / variant.stem / name / f"{name}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nbformat.from_dict(notebook), target)
            written.append(target)
    return written
