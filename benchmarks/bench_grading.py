"""Time the grading of one submission, split into its parts.

Grades the given notebooks (default: the bundled correct example and the reference) with
one worker and one warm check server (its start-up is timed apart), from scratch, and prints
for each: total wall time, sandbox start-up, unit checks, and the end-to-end training check (with
the curve and video it draws).

    python benchmarks/bench_grading.py [NOTEBOOK ...]
"""
import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from course.checkserver import CheckServer  # noqa: E402
from course.grading import discover, grade_one  # noqa: E402
from course.sandbox import use_bwrap  # noqa: E402

DEFAULT = [REPO_ROOT / "examples/submitted/alice/05_dqn/05_dqn.ipynb", REPO_ROOT / "source/05_dqn/05_dqn.ipynb"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, default=DEFAULT)
    args = parser.parse_args()
    print(f"CPUs {os.cpu_count()}, sandbox {'bubblewrap' if use_bwrap() else 'separate process'}")
    with CheckServer() as server, tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        server.start()
        print(f"check server warm-up (imports, once per worker): {time.perf_counter() - started:.1f} s")
        print(f"{'submission':<28}{'score':>9}{'total s':>9}{'start-up':>10}{'units':>8}{'end-to-end':>12}")
        for job in discover(args.notebooks)[0]:
            started = time.perf_counter()
            result = grade_one(job, Path(out), server)
            timing = result["timing"]
            name = f"{job.student}/{job.assignment.name}"
            print(f"{name:<28}{result['score']:>4g}/{result['max_score']:<4g}{time.perf_counter() - started:>9.1f}"
                  f"{timing['sandbox_startup']:>10.1f}{timing['unit_checks']:>8.1f}{timing['end_to_end']:>12.1f}")

if __name__ == "__main__":
    main()
