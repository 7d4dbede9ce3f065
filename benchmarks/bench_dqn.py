"""Benchmark the reference DQN (solutions/dqn.py) on CartPole-v1 against the PyTorch tutorial's recipe.

For each seed the reference trains with its default DQNConfig; a seed passes when the
returned best checkpoint scores a greedy mean >= 475 over 20 fresh episodes and
training (periodic evaluations included) took at most 30 s of wall time.
The tutorial recipe (https://pytorch.org/tutorials/intermediate/reinforcement_q_learning.html),
re-implemented below, is timed until its greedy 20-episode evaluation first reaches 475.

    python benchmarks/bench_dqn.py [--seeds 5] [--tutorial-seeds 2] [--device cpu|cuda|auto] [--skip-tutorial]
"""
import argparse
import copy
import importlib.util
import math
import os
import sys
import time
from pathlib import Path

import gymnasium as gym
import numpy as np
import torch
import torch.nn as nn

REPO_ROOT = Path(__file__).resolve().parents[1]
ENV_ID = "CartPole-v1"
TARGET_RETURN = 475.0
TIME_LIMIT_S = 30.0
FINAL_EVAL_EPISODES = 20
FINAL_EVAL_SEED = 1_000_000  # final evaluation of seed s resets its episodes from FINAL_EVAL_SEED + s


def make_env() -> gym.Env:
    return gym.make(ENV_ID)


def load_reference(path: Path):
    """Import the reference DQN module from `path` (it needs the repo root on sys.path for `course`)."""
    if not path.is_file():
        sys.exit(f"error: reference DQN not found at {path}; pass --reference PATH")
    sys.path.insert(0, str(REPO_ROOT))
    spec = importlib.util.spec_from_file_location("dqn_reference", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def greedy_returns(q_net: nn.Module, env: gym.Env, n_episodes: int, seed: int, device: torch.device) -> np.ndarray:
    """Undiscounted returns of argmax_a Q(s, a), episode i reset with seed + i."""
    returns = np.zeros(n_episodes)
    for i in range(n_episodes):
        state, _ = env.reset(seed=seed + i)
        done = False
        while not done:
            with torch.no_grad():
                action = int(q_net(torch.as_tensor(state, device=device).unsqueeze(0)).argmax())
            state, reward, terminated, truncated, _ = env.step(action)
            returns[i] += reward
            done = terminated or truncated
    return returns


def run_reference(ref, seed: int) -> dict:
    """Train the reference with its defaults and evaluate the returned checkpoint on fresh episodes."""
    result = ref.train(make_env, ref.DQNConfig(), seed=seed)
    env = make_env()
    final = float(ref.eval_dqn(result.q_net, env, FINAL_EVAL_EPISODES, seed=FINAL_EVAL_SEED + seed).mean())
    env.close()
    return {
        "seed": seed, "steps": result.steps, "seconds": result.seconds, "best": result.best_eval_return,
        "final": final, "passed": final >= TARGET_RETURN and result.seconds <= TIME_LIMIT_S,
    }


def tutorial_mlp(obs_dim: int, n_actions: int) -> nn.Module:
    return nn.Sequential(nn.Linear(obs_dim, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, n_actions))


def run_tutorial(seed: int, device: torch.device, episodes: int = 600, eval_every: int = 20) -> dict:
    """The PyTorch DQN tutorial's recipe, timed until a greedy 20-episode evaluation first reaches 475.

    Batch 128, gamma 0.99, epsilon 0.9 -> 0.05 (exponential, time constant 1000 steps),
    soft target update tau 0.005 every step, AdamW lr 1e-4 (amsgrad), replay 10k sampled
    without replacement, SmoothL1 loss, gradient values clipped at 100, bootstrap cut only
    on termination. Evaluations run every `eval_every` episodes and count in the wall time.
    """
    batch_size, gamma, eps_start, eps_end, eps_decay, tau, capacity = 128, 0.99, 0.9, 0.05, 1000, 0.005, 10_000
    start = time.perf_counter()
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    env, eval_env = make_env(), make_env()
    obs_dim, n_actions = env.observation_space.shape[0], int(env.action_space.n)
    policy_net = tutorial_mlp(obs_dim, n_actions).to(device)
    target_net = copy.deepcopy(policy_net)
    optimizer = torch.optim.AdamW(policy_net.parameters(), lr=1e-4, amsgrad=True)
    loss_fn = nn.SmoothL1Loss()
    states = np.zeros((capacity, obs_dim), dtype=np.float32)
    next_states = np.zeros((capacity, obs_dim), dtype=np.float32)
    actions = np.zeros(capacity, dtype=np.int64)
    rewards = np.zeros(capacity, dtype=np.float32)
    terminals = np.zeros(capacity, dtype=np.float32)
    size = steps = 0
    best = -math.inf
    for episode in range(1, episodes + 1):
        state, _ = env.reset(seed=seed if episode == 1 else None)
        done = False
        while not done:
            epsilon = eps_end + (eps_start - eps_end) * math.exp(-steps / eps_decay)
            if rng.random() < epsilon:
                action = int(rng.integers(n_actions))
            else:
                with torch.no_grad():
                    action = int(policy_net(torch.as_tensor(state, device=device).unsqueeze(0)).argmax())
            next_state, reward, terminated, truncated, _ = env.step(action)
            i = steps % capacity
            states[i], actions[i], rewards[i], next_states[i], terminals[i] = state, action, reward, next_state, terminated
            size, steps = min(size + 1, capacity), steps + 1
            state, done = next_state, terminated or truncated

            if size >= batch_size:
                idx = rng.choice(size, batch_size, replace=False)
                s, a, r, s2, term = (torch.as_tensor(x[idx], device=device)
                                     for x in (states, actions, rewards, next_states, terminals))
                with torch.no_grad():
                    targets = r + gamma * (1.0 - term) * target_net(s2).max(dim=1).values
                values = policy_net(s).gather(1, a.unsqueeze(1)).squeeze(1)
                loss = loss_fn(values, targets)
                optimizer.zero_grad()
                loss.backward()
                nn.utils.clip_grad_value_(policy_net.parameters(), 100)
                optimizer.step()
            with torch.no_grad():
                for target_param, param in zip(target_net.parameters(), policy_net.parameters()):
                    target_param.lerp_(param, tau)

        if episode % eval_every == 0:
            mean_return = float(greedy_returns(policy_net, eval_env, FINAL_EVAL_EPISODES, 10_000 + episode, device).mean())
            best = max(best, mean_return)
            if mean_return >= TARGET_RETURN:
                break
    env.close()
    eval_env.close()
    return {"seed": seed, "episodes": episode, "steps": steps, "seconds": time.perf_counter() - start,
            "best": best, "reached": best >= TARGET_RETURN}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5, help="reference seeds 0..N-1 (default 5)")
    parser.add_argument("--tutorial-seeds", type=int, default=2, help="tutorial-recipe seeds 0..N-1 (default 2)")
    parser.add_argument("--device", choices=["cpu", "cuda", "auto"], default="cpu", help="default cpu")
    parser.add_argument("--skip-tutorial", action="store_true", help="only benchmark the reference")
    parser.add_argument("--reference", type=Path, default=REPO_ROOT / "solutions" / "dqn.py",
                        help="reference DQN module (default <repo>/solutions/dqn.py)")
    args = parser.parse_args()
    if args.seeds < 1:
        parser.error("--seeds must be at least 1")
    return args


def main() -> None:
    args = parse_args()
    if args.device == "cpu":
        os.environ["CUDA_VISIBLE_DEVICES"] = ""  # before CUDA initialises, so the reference's pick_device() sees no GPU
    elif args.device == "cuda" and not torch.cuda.is_available():
        sys.exit("error: --device cuda requested but CUDA is not available")
    ref = load_reference(args.reference.resolve())
    device = torch.device(ref.device)
    if args.device != "auto" and device.type != args.device:
        sys.exit(f"error: the reference picked device {device}, not {args.device}")
    torch.set_num_threads(1)
    print(f"torch {torch.__version__}, gymnasium {gym.__version__}, device {device}, "
          f"CPUs {os.cpu_count()}, torch threads {torch.get_num_threads()}")
    print(f"reference: {args.reference}")
    print(f"DQNConfig defaults: {ref.DQNConfig()}\n")

    print(f"Reference DQN on {ENV_ID} (pass: final {FINAL_EVAL_EPISODES}-episode greedy mean >= {TARGET_RETURN:.0f} "
          f"within {TIME_LIMIT_S:.0f} s)")
    print(f"{'seed':>4} {'steps':>7} {'seconds':>8} {'best eval':>10} {'final mean':>11}  result")
    ref_rows = []
    for seed in range(args.seeds):
        row = run_reference(ref, seed)
        ref_rows.append(row)
        print(f"{seed:>4} {row['steps']:>7} {row['seconds']:>8.1f} {row['best']:>10.1f} {row['final']:>11.1f}  "
              f"{'pass' if row['passed'] else 'FAIL'}", flush=True)
    ref_median = float(np.median([row["seconds"] for row in ref_rows]))
    print(f"{sum(row['passed'] for row in ref_rows)}/{args.seeds} seeds reached >= {TARGET_RETURN:.0f} "
          f"within {TIME_LIMIT_S:.0f} s (median {ref_median:.1f} s)\n")
    if args.skip_tutorial or args.tutorial_seeds < 1:
        return

    print(f"PyTorch tutorial recipe (greedy {FINAL_EVAL_EPISODES}-episode eval every 20 episodes, "
          f"stop at >= {TARGET_RETURN:.0f}, at most 600 episodes)")
    print(f"{'seed':>4} {'episodes':>8} {'steps':>7} {'seconds':>8} {'best eval':>10}  reached")
    tut_rows = []
    for seed in range(args.tutorial_seeds):
        row = run_tutorial(seed, device)
        tut_rows.append(row)
        print(f"{seed:>4} {row['episodes']:>8} {row['steps']:>7} {row['seconds']:>8.1f} {row['best']:>10.1f}  "
              f"{'yes' if row['reached'] else 'never'}", flush=True)
    tut_median = float(np.median([row["seconds"] for row in tut_rows]))
    never = not all(row["reached"] for row in tut_rows)
    print(f"tutorial_time / reference_time (medians): {tut_median:.1f} s / {ref_median:.1f} s "
          f"{'>=' if never else '='} {tut_median / ref_median:.1f}x"
          f"{' (lower bound: a seed never reached 475, its full run time counts)' if never else ''}")


if __name__ == "__main__":
    main()
