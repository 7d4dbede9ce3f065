"""What the end-to-end checks of 05, 06 and 07 cost and how often a correct solution fails them.

Trains the reference solution (solutions/dqn.py, sail.py or pixels.py) as the end-to-end check does: on
CartPole-v1 (05, 06) or on Catch from its screen (07), with the check's step budget (E2E_CONFIG["total_steps"]) and
the notebook's defaults changed by a schedule; the kept network is evaluated as the grader does (CartPole: 20 greedy
episodes; Catch: 50, with the reference's preprocessing and frame stack; seed 777000) against the check's
E2E_THRESHOLD. Prints one line per seed and a summary: seeds that pass, median steps, mean CPU-seconds of training
and of the grader's evaluation, and the largest peak memory (RSS) of a training process. Compare schedules in one
run to quote ratios:

    python benchmarks/bench_end_to_end.py --assignment 05_dqn --seeds 0-49 --schedule grader --schedule notebook:0-9
    python benchmarks/bench_end_to_end.py --assignment 07_pixels --seeds 0-49 --schedule grader

A schedule is `grader` (the check's E2E_CONFIG), `notebook` (the notebook's defaults) or JSON of the config's
fields; `:A-B` limits it to those seeds. Runs on --processes processes (default 2), one thread each.
"""
from __future__ import annotations

import argparse
import importlib
import json
import re
import statistics
import sys
import time
from dataclasses import replace
from multiprocessing import get_context
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # solutions/ and autograder/, also in the pool's processes

MODULES = {"05_dqn": ("solutions.dqn", "train", "DQNConfig"), "06_sail": ("solutions.sail", "train_sail", "DQNConfig"),
           "07_pixels": ("solutions.pixels", "train", "PixelConfig")}


def check_constants(assignment: str) -> tuple[int, float]:
    """The end-to-end check's step budget and threshold."""
    checks = importlib.import_module(f"autograder.{assignment}.checks")
    return checks.E2E_CONFIG["total_steps"], checks.E2E_THRESHOLD


def one_run(args: tuple) -> dict:
    assignment, schedule, seed = args
    import resource

    import gymnasium as gym
    import numpy as np
    import torch

    from coursekit.pixelgames import CatchEnv

    torch.set_num_threads(1)
    module_name, train_name, config_name = MODULES[assignment]
    module = importlib.import_module(module_name)
    budget, _ = check_constants(assignment)
    config = replace(getattr(module, config_name)(), **{"total_steps": budget, **schedule})
    pixels = assignment == "07_pixels"
    start = time.process_time()
    result = getattr(module, train_name)(CatchEnv if pixels else lambda: gym.make("CartPole-v1"), config, seed=seed)
    trained = time.process_time() - start
    start = time.process_time()
    if pixels:
        score = float(np.mean(module.eval_pixels(result.q_net, CatchEnv(), module.PixelConfig(), 50, 777_000)))
    else:
        score = float(np.mean(module.eval_dqn(result.q_net, gym.make("CartPole-v1", max_episode_steps=500), 20, 777_000)))
    return {"seed": seed, "steps": result.steps, "train_cpu_s": round(trained, 2),
            "eval_cpu_s": round(time.process_time() - start, 2), "greedy_mean": score,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def parse_schedule(text: str, assignment: str, default_seeds: range) -> tuple[str, dict, range]:
    name, _, seeds = text.rpartition(":")
    if not re.fullmatch(r"\d+-\d+", seeds):  # no seed range (a JSON schedule holds colons of its own)
        name, seeds = text, ""
    if name == "grader":
        checks = importlib.import_module(f"autograder.{assignment}.checks")
        schedule = {key: value for key, value in checks.E2E_CONFIG.items() if key != "total_steps"}
    elif name == "notebook":
        schedule = {}
    else:
        schedule = json.loads(name)
    if seeds:
        first, last = map(int, seeds.split("-"))
        default_seeds = range(first, last + 1)
    return name, schedule, default_seeds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assignment", choices=sorted(MODULES), default="05_dqn")
    parser.add_argument("--seeds", default="0-9", help="A-B, inclusive (default 0-9)")
    parser.add_argument("--schedule", action="append", help="grader, notebook or JSON, optionally :A-B (repeatable)")
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    first, last = map(int, args.seeds.split("-"))
    schedules = [parse_schedule(text, args.assignment, range(first, last + 1))
                 for text in args.schedule or ["grader", "notebook"]]
    summaries = []
    with get_context("spawn").Pool(args.processes) as pool:
        for name, schedule, seeds in schedules:
            rows = pool.map(one_run, [(args.assignment, schedule, seed) for seed in seeds])
            for row in rows:
                print(json.dumps({"schedule": name, **row}))
            threshold = check_constants(args.assignment)[1]
            failed = [(row["seed"], round(row["greedy_mean"], 2)) for row in rows if row["greedy_mean"] < threshold]
            summaries.append(
                f"{args.assignment} {name} {json.dumps(schedule)}: {len(rows) - len(failed)}/{len(rows)} seeds pass "
                f"(failed: {failed or 'none'}), median {statistics.median(r['steps'] for r in rows):,.0f} steps, "
                f"training {statistics.mean(r['train_cpu_s'] for r in rows):.1f} CPU-s, "
                f"evaluation {statistics.mean(r['eval_cpu_s'] for r in rows):.2f} CPU-s per seed, "
                f"peak memory {max(r['peak_rss_mb'] for r in rows)} MB")
    print("\n".join(summaries))


if __name__ == "__main__":
    main()
