"""Mutation testing of the hidden checks: which bugs planted in the reference do they miss?

Every solution region of a source notebook is mutated with ``ast`` (comparison, arithmetic and
boolean operators, numeric constants, dim/axis, max/min, argmax/argmin and mean/sum, dropped
``.detach()``/``.clone()``/``.copy()``/``.squeeze()``/``float()``/``int()``/``no_grad``, swapped positional
arguments, a statement replaced by ``pass``). A mutant is one submission: the release notebook with every stub filled
by the reference region (through ``course.examples``), except the mutated one. Phase 1 runs the
unit checks of every mutant (pytest with ``-m "not end_to_end"``, as ``course grade`` runs them,
sandbox included); phase 2 grades the survivors in full with ``course grade``. A mutant is
killed when it loses points. Survivors listed in ``benchmarks/mutation_equivalent.json`` (with
why they behave as the reference) are reported as equivalent, the others as unexplained.

    python benchmarks/mutation.py                          # all notebooks, about 35 min on 2 cores
    python benchmarks/mutation.py --assignment 02_mdp --unit-only --max-mutants 20
"""
from __future__ import annotations

import argparse
import ast
import copy
import difflib
import json
import random
import re
import subprocess
import sys
import textwrap
import time
from dataclasses import asdict, dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from course.checkserver import CheckServer  # noqa: E402
from course.examples import STUB, build_notebook, fill  # noqa: E402
from course.grading import grader_version, sha256  # noqa: E402
from course.notebooks import ASSIGNMENTS, Assignment, grade_id, is_exercise, read_notebook, source_text  # noqa: E402

EQUIVALENT_PATH = REPO_ROOT / "benchmarks" / "mutation_equivalent.json"
REGION = re.compile(r"^[ \t]*### BEGIN SOLUTION[ \t]*\n(.*?)^[ \t]*### END SOLUTION[ \t]*$", re.M | re.S)
UNIT_TIMEOUT = 1800  # wall seconds for one mutant's unit checks; each call into it has its own CPU limit

COMPARE_SWAPS = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
                 ast.NotEq: ast.Eq, ast.Is: ast.IsNot, ast.IsNot: ast.Is, ast.In: ast.NotIn, ast.NotIn: ast.In}
ARITHMETIC_SWAPS = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult,
                    ast.FloorDiv: ast.Div, ast.Pow: ast.Mult}
METHOD_SWAPS = {"max": "min", "min": "max", "argmax": "argmin", "argmin": "argmax", "amax": "amin", "amin": "amax",
                "maximum": "minimum", "minimum": "maximum", "mean": "sum", "sum": "mean"}
BUILTIN_SWAPS = {"max": "min", "min": "max"}
DROPPED_METHODS = {"detach", "clone", "copy", "squeeze"}  # x.detach() -> x
DROPPED_WRAPPERS = {"float", "int"}  # float(x) -> x
AXIS_KEYWORDS = {"dim", "axis"}
NO_GRAD = {"no_grad", "inference_mode"}


# ---------------------------------------------------------------- regions and mutants
@dataclass(frozen=True)
class Region:
    """The solution region of one exercise cell of a source notebook."""

    cell: str  # grade_id, the same as the release cell whose stub it fills
    code: str  # the region's lines, indented as in the cell
    first_line: int  # the cell's line (1-based) where the region starts


@dataclass(frozen=True)
class Mutant:
    """One change to one region; ``code`` is the whole mutated region, indented as in the cell."""

    cell: str
    line: int  # of the source cell
    operator: str
    original: str  # the changed line(s), on one line
    mutated: str
    code: str

    def summary(self) -> str:
        return f"`{self.cell}` line {self.line} [{self.operator}]: `{self.original}` → `{self.mutated}`"


def solution_regions(assignment: Assignment) -> list[Region]:
    """The solution region of every exercise cell of the source notebook, in the notebook's order."""
    regions = []
    for cell in read_notebook(assignment.source_notebook).cells:
        match = REGION.search(source_text(cell)) if is_exercise(cell) else None
        if match:
            regions.append(Region(grade_id(cell), match.group(1), source_text(cell)[:match.start(1)].count("\n") + 1))
    return regions


def stub_cells(assignment: Assignment) -> dict[str, str]:
    """grade_id -> source of every release cell with a YOUR CODE HERE stub."""
    return {grade_id(cell): source_text(cell) for cell in read_notebook(assignment.release_notebook).cells
            if STUB.search(source_text(cell))}


def region_block(code: str) -> str:
    """A course.examples block that fills a cell's stub with CODE."""
    return f"SOLUTION_REGION = {code!r}\n"


def compiles(release_source: str, code: str) -> bool:
    """Whether the release cell with its stub filled by CODE compiles."""
    try:
        compile(fill(release_source, region_block(code)), "<cell>", "exec")
    except SyntaxError:
        return False
    return True


def mutants_of(region: Region, release_source: str) -> list[Mutant]:
    """Every mutant of REGION that compiles in its release cell and differs from the reference and
    from the other mutants after ast.unparse, in the order of the region's syntax tree."""
    margin = re.match(r"[ \t]*", region.code).group()
    code = textwrap.dedent(region.code)
    tree = ast.parse(code)
    seen = {ast.unparse(tree)}
    mutants = []
    for location in list(_locations(tree)):
        for operator, replacement in _replacements(location[3]):
            expected, mutated = _mutate(tree, code, location, replacement)
            indented = textwrap.indent(mutated, margin)
            if expected in seen or not compiles(release_source, indented):
                continue
            seen.add(expected)
            line, original, changed = _changed_lines(code, mutated)
            mutants.append(Mutant(region.cell, region.first_line + line - 1, operator, original, changed, indented))
    return mutants


def _locations(tree: ast.AST):
    """(parent, field, index, node) of every node below TREE; index is None for a field holding one node."""
    for parent in ast.walk(tree):
        for field, value in ast.iter_fields(parent):
            if isinstance(value, list):
                yield from ((parent, field, index, item) for index, item in enumerate(value) if isinstance(item, ast.AST))
            elif isinstance(value, ast.AST):
                yield parent, field, None, value


def _with(node: ast.AST, **changes) -> ast.AST:
    new = copy.copy(node)
    for name, value in changes.items():
        setattr(new, name, value)
    return new


def _changed_constant(value):
    if isinstance(value, bool):
        return not value
    return {0: 1, 1: 0}.get(value, value + 1) if isinstance(value, int) else {0.0: 1.0, 1.0: 0.0}.get(value, value + 1)


def _called_name(node: ast.AST) -> str | None:
    func = node.func if isinstance(node, ast.Call) else None
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None


def _replacements(node: ast.AST):
    """(operator, replacement) for each mutation of NODE; a statement's replacement is a list of statements."""
    if isinstance(node, ast.Compare):
        for index, op in enumerate(node.ops):
            if type(op) in COMPARE_SWAPS:
                ops = list(node.ops)
                ops[index] = COMPARE_SWAPS[type(op)]()
                yield "compare", _with(node, ops=ops)
    if isinstance(node, (ast.BinOp, ast.AugAssign)) and type(node.op) in ARITHMETIC_SWAPS:
        yield "arithmetic", _with(node, op=ARITHMETIC_SWAPS[type(node.op)]())
    if isinstance(node, ast.BoolOp):
        yield "boolean", _with(node, op=ast.Or() if isinstance(node.op, ast.And) else ast.And())
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Not, ast.USub)):
        yield "negation" if isinstance(node.op, ast.Not) else "sign", node.operand
    if isinstance(node, ast.Constant) and type(node.value) in (bool, int, float):
        yield "constant", _with(node, value=_changed_constant(node.value))
    if isinstance(node, ast.keyword) and node.arg in AXIS_KEYWORDS and isinstance(node.value, ast.Constant) \
            and type(node.value.value) is int and node.value.value in (0, 1):
        yield "axis", _with(node, value=ast.Constant(1 - node.value.value))
    if isinstance(node, ast.Call):
        yield from _call_replacements(node)
    if isinstance(node, ast.With) and any(_called_name(item.context_expr) in NO_GRAD for item in node.items):
        yield "drop no_grad", node.body
    if isinstance(node, ast.stmt) and not isinstance(node, ast.Pass):
        yield "remove statement", [ast.Pass()]


def _call_replacements(call: ast.Call):
    name, func = _called_name(call), call.func
    if isinstance(func, ast.Attribute) and name in METHOD_SWAPS:
        yield "reduction", _with(call, func=_with(func, attr=METHOD_SWAPS[name]))
    if isinstance(func, ast.Name) and name in BUILTIN_SWAPS:
        yield "reduction", _with(call, func=_with(func, id=BUILTIN_SWAPS[name]))
    if isinstance(func, ast.Attribute) and name in DROPPED_METHODS and not call.keywords:
        yield "drop call", func.value
    if isinstance(func, ast.Name) and name in DROPPED_WRAPPERS and len(call.args) == 1 and not call.keywords:
        yield "drop call", call.args[0]
    for index in range(len(call.args) - 1):
        pair = call.args[index:index + 2]
        if not any(isinstance(arg, ast.Starred) for arg in pair):
            args = list(call.args)
            args[index], args[index + 1] = pair[1], pair[0]
            yield "swap arguments", _with(call, args=args)


def _mutate(tree: ast.Module, code: str, location, replacement) -> tuple[str, str]:
    """(ast.unparse of the mutated tree, the mutated code). The code keeps the reference's text and
    comments, with only the node's text replaced, unless that would change the tree (precedence)."""
    parent, field, index, node = location
    new_nodes = replacement if isinstance(replacement, list) else [replacement]
    siblings = getattr(parent, field)
    if index is None:
        setattr(parent, field, replacement)
    else:
        siblings[index:index + 1] = new_nodes
    try:
        expected = ast.unparse(tree)
    finally:
        if index is None:
            setattr(parent, field, node)
        else:
            siblings[index:index + len(new_nodes)] = [node]
    text = "\n".join(ast.unparse(new) for new in new_nodes).replace("\n", "\n" + " " * node.col_offset)
    for candidate in (text, f"({text})"):
        mutated = _splice(code, node, candidate)
        try:
            if ast.unparse(ast.parse(mutated)) == expected:
                return expected, mutated
        except SyntaxError:
            pass
    return expected, expected


def _splice(code: str, node: ast.AST, text: str) -> str:
    """CODE with NODE's text replaced by TEXT (ast columns count UTF-8 bytes)."""
    lines = code.encode().splitlines(keepends=True)
    start = sum(map(len, lines[:node.lineno - 1])) + node.col_offset
    end = sum(map(len, lines[:node.end_lineno - 1])) + node.end_col_offset
    data = code.encode()
    return (data[:start] + text.encode() + data[end:]).decode()


def _changed_lines(code: str, mutated: str) -> tuple[int, str, str]:
    """The first line (1-based) that differs, and the changed lines of each text on one line, shortened
    around the first difference."""
    old, new = code.splitlines(), mutated.splitlines()
    changes = [op for op in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes() if op[0] != "equal"]
    first, last = changes[0], changes[-1]
    return (first[1] + 1, *_shorten(_one_line(old[first[1]:last[2]]), _one_line(new[first[3]:last[4]])))


def _one_line(lines: list[str]) -> str:
    return " ⏎ ".join(line.strip() for line in lines if line.strip())


def _shorten(original: str, mutated: str, width: int = 140, context: int = 40) -> tuple[str, str]:
    """Both texts cut to WIDTH characters, from CONTEXT characters before the first one where they differ."""
    same = next((i for i, (a, b) in enumerate(zip(original, mutated)) if a != b), min(len(original), len(mutated)))
    start = max(0, same - context) if max(len(original), len(mutated)) > width else 0

    def cut(text: str) -> str:
        text = ("…" if start else "") + text[start:]
        return text if len(text) <= width else text[:width - 1] + "…"
    return cut(original), cut(mutated)


def generate(assignment: Assignment, max_mutants: int, seed: int) -> list[Mutant]:
    """The mutants of every region; over MAX_MUTANTS, a seeded sample drawn in turn from each cell's
    mutants (every cell is mutated), listed in the notebook's order."""
    stubs = stub_cells(assignment)
    by_cell = [mutants_of(region, stubs[region.cell]) for region in solution_regions(assignment)]
    order = {mutant: index for index, mutant in enumerate(m for mutants in by_cell for m in mutants)}
    rng = random.Random(seed)
    queues = [rng.sample(mutants, len(mutants)) for mutants in by_cell]
    chosen = []
    while len(chosen) < max_mutants and any(queues):
        chosen.extend(queue.pop() for queue in queues if queue)
    return sorted(chosen[:max_mutants], key=order.__getitem__)


# ---------------------------------------------------------------- submissions and grading
def build_submission(assignment: Assignment, mutant: Mutant | None, name: str, folder: Path) -> Path:
    """FOLDER/submitted/<name>/<assignment>/<assignment>.ipynb: the release with every stub filled by the
    reference region, MUTANT's instead of its cell's; built by course.examples from a variant file."""
    blocks = [f"# %% {region.cell}\n" + region_block(mutant.code if mutant and mutant.cell == region.cell else region.code)
              for region in solution_regions(assignment)]
    variant = folder / "variants" / f"{name}.py"
    variant.parent.mkdir(parents=True, exist_ok=True)
    variant.write_text("".join(blocks))
    return build_notebook(assignment, variant, folder / "submitted" / name / assignment.name / f"{assignment.name}.ipynb")


def unit_checks(server: CheckServer, assignment: Assignment, notebook: Path, results: Path) -> list[dict] | None:
    """Run the checks not marked end_to_end on NOTEBOOK, as course grade runs them (same plugin, sandbox
    and options), into RESULTS (and its .log); their results, or None when the checks process left none.
    Results of the same notebook bytes and grader code (RESULTS' .key) are reused, so a rerun resumes."""
    key, stamp = results.with_suffix(".key"), f"{sha256(notebook)} {grader_version(assignment)}"
    if results.exists() and key.exists() and key.read_text() == stamp:
        return json.loads(results.read_text())["checks"]
    results.parent.mkdir(parents=True, exist_ok=True)
    results.unlink(missing_ok=True)
    args = [str(assignment.checks_path), "-p", "course.checking", "-p", "no:cacheprovider", "-q", "--no-header",
            "-o", "addopts=", "--rootdir", str(assignment.checks_path.parent), "-m", "not end_to_end",
            "--submission", str(notebook), "--assignment", assignment.name, "--results", str(results)]
    server.run(args, {"PYTHONDONTWRITEBYTECODE": "1"}, results.with_suffix(".log"), timeout=UNIT_TIMEOUT)
    if not results.exists():
        return None
    key.write_text(stamp)
    return json.loads(results.read_text())["checks"]


def lost_points(checks: list[dict] | None) -> list[str]:
    """The checks that lost points (["no results"] when none ran, as when the checks do not import): empty
    for full marks."""
    if not checks:
        return ["no results"]
    return [check["name"] for check in checks if check["points"] < check["max_points"]]


def full_grade(notebooks: list[Path], out: Path) -> dict[str, list[str]]:
    """Grade NOTEBOOKS with `course grade` (end-to-end checks included); student -> checks that lost points."""
    subprocess.run([sys.executable, "-m", "course", "grade", *map(str, notebooks), "--out", str(out), "--workers", "1"],
                   cwd=REPO_ROOT, check=True, stdout=subprocess.DEVNULL)
    lost = {}
    for notebook in notebooks:
        student = notebook.parent.parent.name
        result = json.loads((out / student / notebook.parent.name / "result.json").read_text())
        lost[student] = lost_points(result["checks"])
    return lost


@dataclass
class Outcome:
    """What became of one mutant."""

    name: str
    mutant: Mutant
    killed_by: list[str]
    phase: int | None  # 1 or 2 when killed, None for a survivor
    equivalent: str | None = None  # why, for a survivor listed in mutation_equivalent.json


def run_assignment(assignment: Assignment, args, equivalent: dict) -> list[Outcome]:
    """Both phases for one notebook. Its check server starts fresh, so it imports the grader's code as it is now."""
    folder = args.out / assignment.name
    outcomes = []
    with CheckServer() as server:
        reference = build_submission(assignment, None, "reference", folder)
        if lost_points(unit_checks(server, assignment, reference, folder / "units" / "reference.json")):
            raise SystemExit(f"{assignment.name}: the reference loses points in the unit checks; see {folder / 'units'}")
        for number, mutant in enumerate(generate(assignment, args.max_mutants, args.seed), 1):
            name = f"m{number:02d}_{mutant.cell}"
            started = time.perf_counter()
            notebook = build_submission(assignment, mutant, name, folder)
            lost = lost_points(unit_checks(server, assignment, notebook, folder / "units" / f"{name}.json"))
            outcomes.append(Outcome(name, mutant, lost, 1 if lost else None))
            print(f"{assignment.name} {name}: {'killed by ' + ', '.join(lost) if lost else 'survives the unit checks'} "
                  f"({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)
    survivors = [outcome for outcome in outcomes if outcome.phase is None]
    if survivors and not args.unit_only:
        print(f"{assignment.name}: full grade of {len(survivors)} survivors", file=sys.stderr, flush=True)
        lost = full_grade([folder / "submitted" / o.name / assignment.name / f"{assignment.name}.ipynb"
                           for o in survivors], folder / "graded")
        for outcome in survivors:
            outcome.killed_by, outcome.phase = lost[outcome.name], 2 if lost[outcome.name] else None
    for outcome in outcomes:
        if outcome.phase is None:
            outcome.equivalent = equivalent.get((assignment.name, outcome.mutant.cell, outcome.mutant.original,
                                                 outcome.mutant.mutated))
    return outcomes


# ---------------------------------------------------------------- the report
def load_equivalent(path: Path = EQUIVALENT_PATH) -> dict[tuple, str]:
    """(assignment, cell, original, mutated) -> why that mutant behaves as the reference."""
    entries = json.loads(path.read_text()) if path.exists() else {}
    return {(name, entry["cell"], entry["original"], entry["mutated"]): entry["reason"]
            for name, listed in entries.items() for entry in listed}


def report(results: dict[str, list[Outcome]], args) -> str:
    phase2 = "no phase 2 (--unit-only)" if args.unit_only else "phase 2: full grade (`course grade`) of the survivors"
    lines = [f"Mutation testing: seed {args.seed}, at most {args.max_mutants} mutants per notebook. Phase 1: unit "
             f"checks of every mutant; {phase2}.", "",
             "| notebook | mutants | killed, unit checks | killed, full grade | survivors | equivalent | unexplained "
             "| kill rate | kill rate, non-equivalent |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, outcomes in [*results.items(), ("all", [o for outcomes in results.values() for o in outcomes])]:
        counts = [len(outcomes), sum(o.phase == 1 for o in outcomes), sum(o.phase == 2 for o in outcomes),
                  sum(o.phase is None for o in outcomes), sum(o.phase is None and bool(o.equivalent) for o in outcomes)]
        counts.append(counts[3] - counts[4])
        killed = counts[1] + counts[2]
        rates = [f"{killed / max(counts[0], 1):.0%}", f"{killed / max(counts[0] - counts[4], 1):.0%}"]
        shown = [str(count) for count in counts]
        if args.unit_only:
            shown[2] = "–"
        lines.append(f"| {name} | " + " | ".join(shown + rates) + " |")
    for name, outcomes in results.items():
        survivors = [o for o in outcomes if o.phase is None]
        lines += ["", f"## {name}: {len(survivors)} survivors of {len(outcomes)}"] + (["", "none"] if not survivors else [""])
        lines += [f"- {o.name}: {o.mutant.summary()} — {'equivalent: ' + o.equivalent if o.equivalent else 'unexplained'}"
                  for o in survivors]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", action="append", choices=sorted(ASSIGNMENTS),
                        help="a notebook to mutate (repeatable; default: all)")
    parser.add_argument("--max-mutants", type=int, default=60, help="mutants per notebook, sampled above this")
    parser.add_argument("--unit-only", action="store_true", help="skip phase 2 (the full grade of the survivors)")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "benchmarks" / "results" / "mutation",
                        help="folder for the mutants, their results and report.md")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    equivalent = load_equivalent()
    results = {}
    for name in args.assignment or sorted(ASSIGNMENTS):
        results[name] = run_assignment(ASSIGNMENTS[name], args, equivalent)
    text = report(results, args)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "report.md").write_text(text)
    (args.out / "outcomes.json").write_text(json.dumps({name: [asdict(o) for o in outcomes] for name, outcomes in results.items()},
                                                       indent=1))
    print(text)


if __name__ == "__main__":
    main()
