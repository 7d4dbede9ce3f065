"""One source of truth: release/ and solutions/ are generated from source/ by `course build` and committed, and
these tests prove the committed copies agree. examples/submitted/ is built, never committed (see conftest)."""
import ast
import json

import nbformat
import pytest

from course import examples, grading, notebooks
from course.notebooks import ASSIGNMENTS, SOLUTION_MARKER
from conftest import REPO
from course.release import generate_release, write_points

NAMES = sorted(ASSIGNMENTS)


def comparable(path):
    """A notebook's cells and metadata, without volatile fields."""
    notebook = nbformat.read(path, as_version=4)
    return [(cell.cell_type, cell.source, json.dumps(cell.metadata, sort_keys=True)) for cell in notebook.cells]


@pytest.fixture(scope="module")
def fresh_release(tmp_path_factory):
    out = tmp_path_factory.mktemp("release")
    generate_release(release_dir=out)
    return out


@pytest.mark.parametrize("name", NAMES)
def test_release_is_in_sync_with_source(name, fresh_release):
    committed = ASSIGNMENTS[name].release_notebook
    assert comparable(fresh_release / name / f"{name}.ipynb") == comparable(committed), \
        f"release/{name} is stale: run `python -m course build` and commit the result"


def test_release_carries_the_student_kit_as_it_is_in_kit(fresh_release):
    generated = sorted(path.relative_to(fresh_release) for path in fresh_release.rglob("*")
                       if path.is_file() and path.suffix != ".ipynb")
    committed = sorted(path.relative_to(REPO / "release") for path in (REPO / "release").rglob("*")
                       if path.is_file() and path.suffix != ".ipynb" and "__pycache__" not in path.parts)
    assert generated == committed and {"requirements.txt", "kit/pyproject.toml"} <= set(map(str, generated))
    for path in generated:
        assert (fresh_release / path).read_bytes() == (REPO / "release" / path).read_bytes(), \
            f"release/{path} is stale: run `python -m course build` and commit the result"


@pytest.mark.parametrize("name", NAMES)
def test_points_are_declared_once_and_shown_where_students_and_nbgrader_look(name):
    """The hidden checks' @points are the one declaration; the source notebook shows them (course release writes
    them), each exercise's visible check cell carries them for nbgrader, and nbgrader's total for the released
    notebook is the grader's automatic maximum plus the written answers' points."""
    assignment = ASSIGNMENTS[name]
    source_before = assignment.source_notebook.read_bytes()
    assert not write_points(assignment), f"source/{name} does not show the hidden checks' points: run `python -m course build`"
    assert assignment.source_notebook.read_bytes() == source_before
    checks = grading.declared_checks(assignment, "")
    automatic = sum(check["max_points"] for check in checks)
    release = nbformat.read(assignment.release_notebook, as_version=4)
    graded = {notebooks.grade_id(cell): float(cell.metadata["nbgrader"]["points"]) for cell in release.cells
              if cell.metadata.get("nbgrader", {}).get("grade")}
    by_hand = {answer["name"]: answer["max_points"] for answer in notebooks.written_answers(release, release)}
    assert sum(graded.values()) == automatic + sum(by_hand.values())
    for exercise in {check["exercise"] for check in checks}:
        assert graded[f"check_{exercise}"] == sum(c["max_points"] for c in checks if c["exercise"] == exercise)
    rows = [row.strip(" |").split("|") for row in release.cells[0].source.splitlines() if row.startswith("| ")]
    assert rows[0][-1].strip() == "points"
    shown = [row[-1].split()[0] for row in rows[1:]]  # "3", or "4 (by hand)"
    assert sum(float(points) for points in shown) == automatic + sum(by_hand.values()), shown


@pytest.mark.parametrize("name", NAMES)
def test_release_has_no_solutions_and_keeps_every_exercise(name):
    source = notebooks.read_notebook(ASSIGNMENTS[name].source_notebook)
    release = notebooks.read_notebook(ASSIGNMENTS[name].release_notebook)
    text = json.dumps(release)
    assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text
    assert notebooks.missing_exercises(source, release) == []
    for cell in release.cells:
        if notebooks.is_exercise(cell):
            assert "raise NotImplementedError()" in notebooks.source_text(cell), notebooks.grade_id(cell)


@pytest.mark.parametrize("name", NAMES)
def test_committed_solutions_are_generated_from_the_source(name):
    assignment = ASSIGNMENTS[name]
    assert assignment.solutions_path.read_text() == notebooks.solutions_text(assignment), \
        f"solutions/{assignment.solutions_path.name} is stale: run `python -m course build`"


@pytest.mark.parametrize("name", NAMES)
def test_every_solution_cell_definition_is_in_the_solutions_module(name):
    """The same functions and classes, statement for statement (compared as syntax trees)."""
    assignment = ASSIGNMENTS[name]
    module = {node.name: ast.dump(node) for node in ast.parse(assignment.solutions_path.read_text()).body
              if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
    source = notebooks.read_notebook(assignment.source_notebook)
    for cell in source.cells:
        if notebooks.is_exercise(cell):
            for node in ast.parse(SOLUTION_MARKER.sub("", notebooks.source_text(cell))).body:
                if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                    assert module.get(node.name) == ast.dump(node), f"{node.name} differs from solutions/"


def test_example_submissions_are_built_the_same_every_time(tmp_path):
    """The session's examples/submitted/ (built by conftest from the committed release) is what a second build gives:
    the corpus is a function of examples/<assignment>/*.py and the release, so its grades are reproducible."""
    for name in NAMES:
        if (examples.EXAMPLES_DIR / name).is_dir():
            (tmp_path / name).symlink_to(examples.EXAMPLES_DIR / name)
    built = examples.build_examples(tmp_path)
    assert built, "no example submissions"
    for path in built:
        committed = examples.REPO_DIR / "examples" / path.relative_to(tmp_path)
        assert comparable(path) == comparable(committed), f"{committed} differs from a second build"


@pytest.mark.parametrize("name", NAMES)
def test_the_checks_call_only_probes_that_exist(name):
    """Checks name their probes as attributes of the probes module (`student.call(probes.update, ...)`): a probe that
    was renamed or removed fails here, not when a class is graded."""
    assignment = ASSIGNMENTS[name]
    probes = assignment.autograder_module("probes")
    used = {node.attr for node in ast.walk(ast.parse(assignment.checks_path.read_text()))
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "probes"}
    assert used, f"{assignment.checks_path} calls no probe"
    missing = sorted(attr for attr in used if not callable(getattr(probes, attr, None)))
    assert not missing, f"{assignment.checks_path} calls probes that {assignment.probes_path} does not define: {missing}"


@pytest.mark.parametrize("name", NAMES)
def test_every_notebook_has_the_same_sections(name):
    """One rhythm (Spinning Up's): Background, Key equations and Pseudocode before the first exercise; at least one
    Experiment; Going further after every exercise, experiment and question; References last."""
    source = notebooks.read_notebook(ASSIGNMENTS[name].source_notebook)
    headings = [line.lstrip("#").strip() for cell in source.cells if cell.cell_type == "markdown"
                for line in notebooks.source_text(cell).splitlines() if line.startswith(("## ", "### "))]

    def first(prefix):
        found = [i for i, heading in enumerate(headings) if heading.startswith(prefix)]
        assert found, f"{name} has no section '{prefix}'"
        return found[0]

    work = [i for i, heading in enumerate(headings) if heading.startswith(("Exercise", "Experiment", "Question"))]
    assert first("Background") < first("Key equations") < first("Pseudocode") < first("Exercise"), headings
    assert first("Experiment") and max(work) < first("Going further"), headings
    assert headings[-1] == "References", headings


def test_every_notebook_and_the_readme_open_it_on_colab_and_install_what_colab_lacks():
    from course.release import COLAB_SETUP_ID, colab_setup_source, colab_url

    readme = (REPO / "README.md").read_text()
    for name, assignment in ASSIGNMENTS.items():
        cells = nbformat.read(assignment.release_notebook, as_version=4).cells
        assert colab_url(name) in cells[0].source and colab_url(name) in readme, name
        first_code = next(cell for cell in cells if cell.cell_type == "code")
        assert notebooks.grade_id(first_code) == COLAB_SETUP_ID and first_code.source == colab_setup_source(), name
        assert "setup" not in first_code.metadata.get("tags", []), f"{name}: the grader must never run the Colab cell"
