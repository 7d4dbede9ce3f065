"""The same submission, graded on an idle machine and on a busy one: the results must be identical.

Grades a notebook (default: the 05_dqn reference) with `course check`-style grading three times,
in this order: on the idle machine; with N spinning processes beside it (default 4 per core,
each in its own session, as other users' jobs are); and with every sandbox worker held to a third
of a core (a cgroup CPU quota, `COURSE_WORKER_CPU_SHARE=0.33`, where the machine allows one).
Prints each run's wall time, whether its score and every check's outcome and message equal the
idle run's, and the smallest CPU margin of any check (its CPU limit divided by the CPU time the
student's side used): a machine that many times slower would still finish every check in time.

    python benchmarks/bench_load.py [--notebook NB] [--busy N]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def grade(notebook: Path, out: Path, env: dict) -> tuple[dict, float]:
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "course", "grade", str(notebook), "--out", str(out), "--workers", "1"],
                         cwd=REPO_ROOT, capture_output=True, text=True, env={**os.environ, **env})
    seconds = time.perf_counter() - started
    if run.returncode != 0:
        raise SystemExit(f"grading failed:\n{run.stdout[-2000:]}{run.stderr[-2000:]}")
    (result_path,) = out.glob("*/*/result.json")
    return json.loads(result_path.read_text()), seconds


def outcome(result: dict) -> tuple:
    return (result["score"], result.get("greedy_return"),
            tuple((check["name"], check["passed"], check["message"]) for check in result["checks"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebook", type=Path, default=REPO_ROOT / "source/05_dqn/05_dqn.ipynb")
    parser.add_argument("--busy", type=int, default=4 * os.cpu_count(), help="spinning processes in the busy run")
    args = parser.parse_args()
    print(f"CPUs {os.cpu_count()}; grading {args.notebook.relative_to(REPO_ROOT)} with one worker")
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        idle, idle_seconds = grade(args.notebook, Path(scratch) / "idle", {})
        rows.append(("idle machine", idle, idle_seconds))
        spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"], start_new_session=True)
                    for _ in range(args.busy)]
        try:
            busy, busy_seconds = grade(args.notebook, Path(scratch) / "busy", {})
        finally:
            for spinner in spinners:
                spinner.kill()
                spinner.wait()
        rows.append((f"{args.busy} busy processes beside it", busy, busy_seconds))
        slow, slow_seconds = grade(args.notebook, Path(scratch) / "slow", {"COURSE_WORKER_CPU_SHARE": "0.33"})
        rows.append(("each worker held to 1/3 of a core", slow, slow_seconds))
    print(f"{'run':<36}{'score':>9}{'wall s':>9}{'x idle':>8}  same results as idle")
    for name, result, seconds in rows:
        same = outcome(result) == outcome(idle)
        print(f"{name:<36}{result['score']:>5g}/{result['max_score']:<3g}{seconds:>9.1f}{seconds / idle_seconds:>8.1f}  "
              f"{'yes' if same else 'NO'}")
    margins = [(check["cpu_margin"], check["name"], check["cpu_seconds"]) for check in idle["checks"]
               if check.get("cpu_seconds")]
    margin, name, used = min(margins)
    print(f"smallest CPU margin (limit / CPU used by the student's side): {margin:g}x, check {name} "
          f"({used:.1f} CPU s); the checks' student side used {sum(m[2] for m in margins):.1f} CPU s in all")


if __name__ == "__main__":
    main()
