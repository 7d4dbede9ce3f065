"""Grade a generated class of DQN submissions, as an instructor would, and time it.

Builds N submissions of 05_dqn (default 200) into an nbgrader submitted/ tree from the assignment's corpus
(course/examples.py): correct ones (the example students expected at full marks), buggy ones (the other example
students) and hostile ones (examples/05_dqn/hostile/), each made unique by a comment with its number. Then, in
one run:

1. ``course grade`` over the whole class (run A): wall time, and per-submission times by kind;
2. ``nbgrader autograde`` on a sample of the same notebooks (a correct, a buggy and a hostile
   one by default): its time and score per submission next to ours;
3. ``course grade`` again into a fresh folder (run B), killed with SIGKILL once half the class
   is graded, then rerun: the resumed gradebook must equal run A's, check by check.

    python benchmarks/bench_class.py [--students 200] [--workers 2] [--nbgrader-sample 3] [--keep DIR]

Prints figures only; exits 1 if run B's gradebook differs from run A's.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

import nbformat  # noqa: E402

from course.examples import build_notebook, expectations, hostile_cases, raw_bytes, students, unmet  # noqa: E402
from course.notebooks import ASSIGNMENTS  # noqa: E402
from course.environment import interpreter_env  # noqa: E402
from course.sandbox import use_bwrap  # noqa: E402

ASSIGNMENT = ASSIGNMENTS["05_dqn"]
CASES = {name: (path, expectations(path)) for name, path in students(ASSIGNMENT.name).items()}
CORRECT = [(path, fails) for path, fails in CASES.values() if not fails]
BUGGY = [(path, fails) for path, fails in CASES.values() if fails]
HOSTILE = [(path, expectations(expect)) for path, expect in hostile_cases(ASSIGNMENT.name).values()]
SHARES = {"correct": 0.5, "buggy": 0.3, "hostile": 0.2}
NBGRADER_CELL_TIMEOUT = 600  # seconds per cell for nbgrader autograde (its own default, 30 s, stops training cells)


def build_class(n_students: int, submitted: Path) -> dict[str, dict]:
    """student -> {kind, variant}; the notebooks go to submitted/<student>/05_dqn/05_dqn.ipynb."""
    counts = {kind: round(share * n_students) for kind, share in SHARES.items()}
    counts["correct"] += n_students - sum(counts.values())
    pools = {"correct": CORRECT, "buggy": BUGGY, "hostile": HOSTILE}
    roster = {}
    for kind, count in counts.items():
        for i in range(count):
            variant, fails = pools[kind][i % len(pools[kind])]
            name = variant.name.split(".")[0]
            student = f"s{len(roster):03d}_{kind}_{name}"
            target = submitted / student / ASSIGNMENT.name / f"{ASSIGNMENT.name}.ipynb"
            if variant.suffix != ".py":  # a broken file, copied as it is
                target.parent.mkdir(parents=True)
                target.write_bytes(raw_bytes(variant))
            else:
                build_notebook(ASSIGNMENT, variant, target)
                notebook = nbformat.read(target, as_version=4)
                first_code = next(cell for cell in notebook.cells if cell.cell_type == "code")
                first_code.source += f"\n# submission {len(roster)}"
                nbformat.write(notebook, target)
            roster[student] = {"kind": kind, "variant": name, "expect": fails}
    return roster


def course_grade(submitted: Path, out: Path, workers: int) -> subprocess.Popen:
    command = [sys.executable, "-m", "course", "grade", str(submitted), "--out", str(out), "--workers", str(workers)]
    return subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def finished(out: Path) -> list[Path]:
    return sorted(out.glob(f"*/{ASSIGNMENT.name}/result.json"))


def outcome(out: Path) -> dict[str, tuple]:
    """student -> (score, ((check, passed), ...)): what must not change between runs."""
    results = {}
    for path in finished(out):
        result = json.loads(path.read_text())
        results[result["student"]] = (result["score"], tuple((c["name"], c["passed"]) for c in result["checks"]))
    return results


def run_a(submitted: Path, out: Path, workers: int, roster: dict) -> float:
    started = time.perf_counter()
    process = course_grade(submitted, out, workers)
    _, errors = process.communicate()
    wall = time.perf_counter() - started
    if process.returncode != 0:
        sys.exit(f"course grade failed:\n{errors[-3000:]}")
    print(f"\nRun A: {len(roster)} submissions graded in {wall:.0f} s ({wall / 60:.1f} min) with {workers} workers, "
          f"{wall / len(roster):.1f} s of wall time per submission")
    by_kind: dict[str, list] = {}
    for path in finished(out):
        result = json.loads(path.read_text())
        by_kind.setdefault(roster[result["student"]]["kind"], []).append(result)
    print(f"{'kind':<10}{'n':>5}{'median s':>10}{'max s':>8}{'e2e s':>8}{'mean score':>12}")
    for kind, results in sorted(by_kind.items()):
        totals = [r["timing"]["total"] for r in results]
        e2e = [r["timing"].get("end_to_end", 0.0) for r in results]
        print(f"{kind:<10}{len(results):>5}{statistics.median(totals):>10.1f}{max(totals):>8.1f}"
              f"{statistics.median(e2e):>8.1f}{statistics.mean(r['score'] for r in results):>9.1f}/{results[0]['max_score']:g}")
    unexpected = {student: problem for student, entry in roster.items()
                  if (problem := unmet(json.loads((out / student / ASSIGNMENT.name / "result.json").read_text()),
                                       entry["expect"]))}
    print(f"{len(roster) - len(unexpected)} of {len(roster)} results as their corpus case expects"
          + "".join(f"\n  {student}: {problem}" for student, problem in sorted(unexpected.items())))
    return wall


def run_b(submitted: Path, out: Path, workers: int, n_students: int) -> tuple[int, float]:
    """Kill -9 the whole grading run once half the class is graded, then rerun it to the end."""
    started = time.perf_counter()
    process = course_grade(submitted, out, workers)
    while len(finished(out)) < n_students // 2 and process.poll() is None:
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    at_kill = len(finished(out))
    rerun = course_grade(submitted, out, workers)
    _, errors = rerun.communicate()
    if rerun.returncode != 0:
        sys.exit(f"the rerun after kill -9 failed:\n{errors[-3000:]}")
    return at_kill, time.perf_counter() - started


def nbgrader_sample(submitted: Path, sample: list[str], results_a: Path, scale: str) -> None:
    """nbgrader autograde on the same notebooks, in a course folder of its own; the notebooks' experiments
    run at COURSE_SCALE=scale (below 1 they train for fewer steps, so nbgrader's time is a lower bound)."""
    root = Path(tempfile.mkdtemp(prefix="bench-nbgrader-"))
    shutil.copytree(ASSIGNMENT.source_notebook.parent, root / "source" / ASSIGNMENT.name)
    db = f"sqlite:///{root}/gradebook.db"
    nbgrader = [sys.executable, "-m", "nbgrader"]
    common = [f"--CourseDirectory.root={root}", f"--CourseDirectory.db_url={db}", "--log-level=ERROR"]
    subprocess.run(nbgrader + ["generate_assignment", ASSIGNMENT.name, "--force"] + common, cwd=root, check=True,
                   capture_output=True, env=interpreter_env())
    from nbgrader.api import Gradebook

    print(f"\nnbgrader autograde on {len(sample)} of the same submissions (COURSE_SCALE={scale}, cell timeout "
          f"{NBGRADER_CELL_TIMEOUT} s; nbgrader scores only the visible test cells, our grade the hidden checks):")
    print(f"{'student':<44}{'nbgrader s':>11}{'score':>9}{'course s':>10}{'score':>9}")
    for student in sample:
        shutil.copytree(submitted / student, root / "submitted" / student)
        subprocess.run(nbgrader + ["db", "student", "add", student] + common, cwd=root, capture_output=True, check=True,
                       env=interpreter_env())
        started = time.perf_counter()
        run = subprocess.run(nbgrader + ["autograde", ASSIGNMENT.name, f"--student={student}", "--force",
                                         f"--Execute.timeout={NBGRADER_CELL_TIMEOUT}"] + common,
                             cwd=root, capture_output=True, text=True, env=interpreter_env({**os.environ, "COURSE_SCALE": scale}))
        seconds = time.perf_counter() - started
        with Gradebook(db) as gradebook:
            try:
                submission = gradebook.find_submission(ASSIGNMENT.name, student)
                score = f"{submission.score:g}/{submission.max_score:g}"
            except Exception:  # nbgrader refused the file (e.g. not a notebook)
                score = "error" if run.returncode else "none"
        ours = json.loads((results_a / student / ASSIGNMENT.name / "result.json").read_text())
        print(f"{student:<44}{seconds:>11.1f}{score:>9}{ours['timing']['total']:>10.1f}"
              f"{ours['score']:>5g}/{ours['max_score']:g}")
    shutil.rmtree(root, ignore_errors=True)



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument("--nbgrader-sample", type=int, default=3, help="submissions also graded by nbgrader autograde")
    parser.add_argument("--nbgrader-scale", default="0.2", help="COURSE_SCALE of the notebooks nbgrader runs")
    parser.add_argument("--keep", type=Path, help="build the class and grade into this folder, and keep it")
    parser.add_argument("--skip-rerun", action="store_true", help="skip run B (the kill -9 and resume)")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-class-"))
    root.mkdir(parents=True, exist_ok=True)
    submitted = root / "submitted"
    shutil.rmtree(submitted, ignore_errors=True)
    roster = build_class(args.students, submitted)
    kinds = {kind: sum(1 for r in roster.values() if r["kind"] == kind) for kind in SHARES}
    print(f"CPUs {os.cpu_count()}, sandbox {'bubblewrap' if use_bwrap() else 'separate process'}; class of "
          f"{len(roster)}: " + ", ".join(f"{n} {kind}" for kind, n in kinds.items())
          + f" ({len({r['variant'] for r in roster.values()})} distinct variants)")

    out_a, out_b = root / "graded_a", root / "graded_b"
    for out in (out_a, out_b):
        shutil.rmtree(out, ignore_errors=True)
    run_a(submitted, out_a, args.workers, roster)

    if args.nbgrader_sample:
        picks = {"correct": "alice", "hostile": "monkeypatch_allclose", "buggy": "bob"}
        sample = [next(s for s, r in roster.items() if r["kind"] == kind and r["variant"] == variant)
                  for kind, variant in picks.items() if any(r["variant"] == variant for r in roster.values())]
        nbgrader_sample(submitted, sample[:args.nbgrader_sample], out_a, args.nbgrader_scale)

    if not args.skip_rerun:
        at_kill, seconds = run_b(submitted, out_b, args.workers, len(roster))
        a, b = outcome(out_a), outcome(out_b)
        differ = sorted(s for s in set(a) | set(b) if a.get(s) != b.get(s))
        print(f"\nRun B: killed with SIGKILL after {at_kill} of {len(roster)} results, rerun to the end "
              f"({seconds:.0f} s in all): {len(b)} results, {len(roster) - len(differ)} identical to run A "
              f"(score and every check), {len(differ)} differ{': ' + ', '.join(differ) if differ else ''}")
        if differ:
            sys.exit(1)
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
