"""What the end-to-end checks of 05 and 06 cost and how often a correct solution fails them.

Trains the reference solution (solutions/dqn.py or solutions/sail.py) on CartPole-v1 as the end-to-end check does:
a step budget, the notebook's defaults changed by a schedule, the kept network evaluated over 20 greedy episodes
(seed 777000) against the threshold of 475. Prints one line per seed and a summary: seeds that pass, median steps,
mean CPU-seconds of training and of the grader's evaluation. Compare schedules in one run to quote ratios:

    python benchmarks/bench_end_to_end.py --assignment 05_dqn --seeds 0-49 --schedule grader --schedule notebook:0-9

A schedule is `grader` (the check's E2E_CONFIG), `notebook` (the notebook's defaults) or JSON of DQNConfig fields;
`:A-B` limits it to those seeds. Runs on --processes processes (default 2), one thread each.
"""
from __future__ import annotations

import argparse
import importlib
import json
import statistics
import sys
import time
from dataclasses import replace
from multiprocessing import get_context
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # solutions/ and autograder/, also in the pool's processes

BUDGET = 15_000
THRESHOLD = 475.0
MODULES = {"05_dqn": ("solutions.dqn", "train"), "06_sail": ("solutions.sail", "train_sail")}


def one_run(args: tuple) -> dict:
    assignment, schedule, seed = args
    import gymnasium as gym
    import numpy as np
    import torch

    torch.set_num_threads(1)
    module_name, train_name = MODULES[assignment]
    module = importlib.import_module(module_name)
    config = replace(module.DQNConfig(), **{"total_steps": BUDGET, **schedule})
    start = time.process_time()
    result = getattr(module, train_name)(lambda: gym.make("CartPole-v1"), config, seed=seed)
    trained = time.process_time() - start
    env = gym.make("CartPole-v1", max_episode_steps=500)
    start = time.process_time()
    score = float(np.mean(module.eval_dqn(result.q_net, env, 20, 777_000)))
    return {"seed": seed, "steps": result.steps, "train_cpu_s": round(trained, 2),
            "eval_cpu_s": round(time.process_time() - start, 2), "greedy_mean": score}


def parse_schedule(text: str, assignment: str, default_seeds: range) -> tuple[str, dict, range]:
    name, _, seeds = text.partition(":")
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
            failed = [(row["seed"], round(row["greedy_mean"])) for row in rows if row["greedy_mean"] < THRESHOLD]
            summaries.append(
                f"{args.assignment} {name} {json.dumps(schedule)}: {len(rows) - len(failed)}/{len(rows)} seeds pass "
                f"(failed: {failed or 'none'}), median {statistics.median(r['steps'] for r in rows):,.0f} steps, "
                f"training {statistics.mean(r['train_cpu_s'] for r in rows):.1f} CPU-s, "
                f"evaluation {statistics.mean(r['eval_cpu_s'] for r in rows):.2f} CPU-s per seed")
    print("\n".join(summaries))


if __name__ == "__main__":
    main()
