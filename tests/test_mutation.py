"""benchmarks/mutation.py: the mutants it makes, the submissions it builds, and how it grades them."""
import importlib.util
import sys
from pathlib import Path

import pytest

from course.checkserver import CheckServer
from course.notebooks import ASSIGNMENTS

REPO = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("mutation", REPO / "benchmarks" / "mutation.py")
mutation = sys.modules["mutation"] = importlib.util.module_from_spec(_spec)  # dataclasses look their module up
_spec.loader.exec_module(mutation)

TOY_RELEASE = "def toy(q, a, b, done):\n    # YOUR CODE HERE\n    raise NotImplementedError()\n"
TOY = mutation.Region("toy", "    with torch.no_grad():\n"
                             "        best = q.max(dim=1).values.detach()\n"
                             "    if a < b and not done:  # a comment\n"
                             "        x = f(a, b) + 1\n"
                             "    return x * best\n", first_line=3)


def test_each_operator_makes_its_mutant_of_a_snippet():
    found = {(m.operator, m.line, m.mutated) for m in mutation.mutants_of(TOY, TOY_RELEASE)}
    assert {
        ("drop no_grad", 3, "best = q.max(dim=1).values.detach()"),
        ("axis", 4, "best = q.max(dim=0).values.detach()"),
        ("reduction", 4, "best = q.min(dim=1).values.detach()"),
        ("drop call", 4, "best = q.max(dim=1).values"),
        ("compare", 5, "if a <= b and not done:  # a comment"),
        ("boolean", 5, "if a < b or not done:  # a comment"),
        ("negation", 5, "if a < b and done:  # a comment"),
        ("arithmetic", 6, "x = f(a, b) - 1"),
        ("constant", 6, "x = f(a, b) + 0"),
        ("swap arguments", 6, "x = f(b, a) + 1"),
        ("arithmetic", 7, "return x / best"),
        ("remove statement", 7, "pass"),
    } <= found


def test_mutants_are_distinct_and_differ_from_the_reference():
    mutants = mutation.mutants_of(TOY, TOY_RELEASE)
    assert len({m.code for m in mutants}) == len(mutants)
    assert [m.operator for m in mutants if "dim=0" in m.mutated] == ["axis"]  # the constant 1 -> 0 is the same mutant
    assert all(m.code != TOY.code for m in mutants)


@pytest.mark.parametrize("name", sorted(ASSIGNMENTS))
def test_regions_map_to_the_release_stubs_and_every_mutant_compiles(name):
    assignment = ASSIGNMENTS[name]
    regions, stubs = mutation.solution_regions(assignment), mutation.stub_cells(assignment)
    assert [region.cell for region in regions] and {region.cell for region in regions} == set(stubs)
    mutants = mutation.generate(assignment, 60, seed=0)
    assert 0 < len(mutants) <= 60 and {m.cell for m in mutants} == set(stubs)
    assert all(mutation.compiles(stubs[m.cell], m.code) for m in mutants)
    assert mutation.generate(assignment, 60, seed=0) == mutants


def test_the_equivalent_list_names_mutants_the_generator_makes():
    """An entry whose notebook line changed no longer matches any mutant: update the file."""
    for (name, cell, original, mutated), reason in mutation.load_equivalent().items():
        assignment = ASSIGNMENTS[name]
        region = next(region for region in mutation.solution_regions(assignment) if region.cell == cell)
        made = {(m.original, m.mutated) for m in mutation.mutants_of(region, mutation.stub_cells(assignment)[cell])}
        assert (original, mutated) in made and reason, (name, cell, original, mutated)


def test_unit_checks_kill_a_bad_mutant_and_pass_the_reference(tmp_path):
    assignment = ASSIGNMENTS["01_torch101"]
    region = next(region for region in mutation.solution_regions(assignment) if region.cell == "greedy_actions")
    argmin = next(m for m in mutation.mutants_of(region, mutation.stub_cells(assignment)["greedy_actions"])
                  if m.mutated == "return q_values.argmin(dim=1)")
    with CheckServer() as server:
        reference = mutation.unit_checks(server, assignment, mutation.build_submission(assignment, None, "reference", tmp_path),
                                         tmp_path / "reference.json")
        bad = mutation.unit_checks(server, assignment, mutation.build_submission(assignment, argmin, "argmin", tmp_path),
                                   tmp_path / "argmin.json")
    assert reference and mutation.lost_points(reference) == []
    assert not any(check["end_to_end"] for check in reference)
    assert {check["exercise"] for check in bad if not check["passed"]} == {"greedy_actions"}
