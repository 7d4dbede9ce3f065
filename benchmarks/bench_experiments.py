"""Time of 05's experiment section (buffer capacity, target period, grid, variants): now against a past commit.

Runs the code cells of the section "Experiments · what each ingredient is worth" of source/05_dqn/05_dqn.ipynb on
top of the reference module solutions/dqn.py, the way a student's kernel runs them, at one COURSE_SCALE. With
--before REV it then does the same for the notebook and solutions of commit REV (e.g. 51b5ca4, before the
experiments trained their agents in stacks), so that the ratio is measured in one run, each side alone on the
machine (the stacks use up to 4 threads). Prints the seconds of every cell, the section's total and the ratio:

    python benchmarks/bench_experiments.py --scale 1 --before 51b5ca4

Threads are as the notebook sets them. Figures are written with matplotlib's Agg backend and closed.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = "source/05_dqn/05_dqn.ipynb"
SOLUTIONS = "solutions/dqn.py"
SECTION = "## Experiments · what each ingredient is worth"
MARK = "@bench "  # starts the lines that carry timings; the cells' own output passes through


def section_cells(notebook: dict) -> list[str]:
    """The section's code cells a student runs, in order; exercises and setup cells are in the solutions module."""
    cells, inside = [], False
    for cell in notebook["cells"]:
        text = "".join(cell["source"])
        inside = inside or (cell["cell_type"] == "markdown" and text.startswith(SECTION))
        nbgrader = cell.get("metadata", {}).get("nbgrader", {})
        if inside and cell["cell_type"] == "code" and not nbgrader.get("solution") and "setup" not in cell["metadata"].get("tags", []):
            cells.append(text)
    return cells


def run_side(solutions: Path, notebook: Path) -> None:
    """In this process: load the solutions, define make_cartpole as the notebook does, time each section cell."""
    import importlib.util

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    spec = importlib.util.spec_from_file_location("dqn", solutions)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    namespace = dict(vars(module))
    exec("def make_cartpole():\n    return gym.make('CartPole-v1')", namespace)
    total = 0.0
    for index, code in enumerate(section_cells(json.loads(notebook.read_text()))):
        start = time.perf_counter()
        exec(compile(code, f"<cell {index}>", "exec"), namespace)
        seconds = time.perf_counter() - start
        total += seconds
        plt.close("all")
        print(MARK + json.dumps({"cell": index, "first_line": code.splitlines()[0][:70], "seconds": round(seconds, 1)}), flush=True)
    print(MARK + json.dumps({"section_seconds": round(total, 1)}), flush=True)


def start_side(label: str, revision: str | None, scale: float, workdir: Path) -> subprocess.Popen:
    side = workdir / label
    side.mkdir()
    for relative in (NOTEBOOK, SOLUTIONS):
        text = (REPO / relative).read_text() if revision is None else subprocess.run(
            ["git", "show", f"{revision}:{relative}"], cwd=REPO, check=True, capture_output=True, text=True).stdout
        (side / Path(relative).name).write_text(text)
    env = dict(os.environ, COURSE_SCALE=str(scale), PYTHONPATH=str(REPO / "kit"))
    return subprocess.Popen([sys.executable, __file__, "--side", str(side / "dqn.py"), str(side / "05_dqn.ipynb")],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=0.2, help="COURSE_SCALE of the runs (default 0.2)")
    parser.add_argument("--before", metavar="REV", help="also run the section of this commit, at the same time")
    parser.add_argument("--side", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.side:
        run_side(Path(args.side[0]), Path(args.side[1]))
        return
    sides = {"now": None} | ({args.before: args.before} if args.before else {})
    totals = {}
    with tempfile.TemporaryDirectory() as workdir:
        for label, revision in sides.items():
            process = start_side(label, revision, args.scale, Path(workdir))
            for line in process.stdout:
                if not line.startswith(MARK):
                    print(f"[{label}] {line}", end="", flush=True)
                    continue
                row = json.loads(line[len(MARK):])
                print(json.dumps({"side": label, **row}), flush=True)
                totals[label] = row.get("section_seconds", totals.get(label))
            if process.wait() != 0:
                sys.exit(f"the {label} side failed (exit {process.returncode})")
    summary = f"05 experiment section at COURSE_SCALE={args.scale}: now {totals['now']:.0f} s"
    if args.before:
        summary += f", {args.before} {totals[args.before]:.0f} s, {totals[args.before] / totals['now']:.1f}x faster now"
    print(summary)


if __name__ == "__main__":
    main()
