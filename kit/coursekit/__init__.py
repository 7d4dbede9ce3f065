"""Helpers the notebooks import: device choice, the experiment-scale knob, live
training curves, progress bars, spread plots and policy videos.

Everything here is boilerplate a student should not have to fight; nothing here
is graded. Each helper works both inside Jupyter (live display) and in a plain
Python process (the grader, CI), where the display calls become no-ops.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Mapping, Sequence

import numpy as np

SCALE_ENV_VAR = "COURSE_SCALE"
VALIDATION_SCALE = 0.05  # nbgrader's Validate runs the whole notebook: experiments shrink to this (see experiment_scale)


def pick_device():
    """The best available torch device: CUDA, then Apple MPS, then the CPU."""
    import torch

    if torch.cuda.is_available():
        return torch.device("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def experiment_scale() -> float:
    """The one knob that sizes long experiments: 1.0 is the full run, 0.2 a quick one.

    Read from the environment variable ``COURSE_SCALE`` so that CI and the
    instructor can shrink every notebook without editing it. Under nbgrader's
    Validate (which sets ``NBGRADER_EXECUTION=validate`` while it runs the whole
    notebook) it is at most VALIDATION_SCALE: validating checks the code, the
    experiments only need to run.
    """
    raw = os.environ.get(SCALE_ENV_VAR, "1.0")
    try:
        scale = float(raw)
    except ValueError:
        raise ValueError(f"{SCALE_ENV_VAR}={raw!r} is not a number; use e.g. 1.0 (full) or 0.2 (quick)") from None
    if not 0 < scale <= 10:
        raise ValueError(f"{SCALE_ENV_VAR}={raw!r} is out of range; use a value in (0, 10]")
    if os.environ.get("NBGRADER_EXECUTION") == "validate":
        return min(scale, VALIDATION_SCALE)
    return scale


class _CheckMessages:
    """IPython's handler for the two errors a visible check raises (see show_check_messages)."""

    def __init__(self, width: int = 100):
        self.width = width

    def __call__(self, shell, etype, value, tb, tb_offset=None):
        import textwrap
        import traceback

        frames = traceback.extract_tb(tb)
        if issubclass(etype, NotImplementedError) and frames:
            lines = [f"Not written yet: implement `{frames[-1].name}` above (replace `raise NotImplementedError()` with "
                     "your code, run that cell), then run this cell again."]
        else:
            where = f" (line {frames[-1].lineno} of `{frames[-1].name}`)" if frames and frames[-1].name != "<module>" else ""
            message = str(value) or "an assert failed"
            lines = [f"Check failed{where}:"] + [textwrap.fill(part, self.width, subsequent_indent="  ")
                                                 for part in message.splitlines()]
        red = "\x1b[0;31m"
        structured = [f"{red}{etype.__name__}\x1b[0m: " + "\n".join(lines)]
        shell._showtraceback(etype, value, structured)
        return structured


def show_check_messages(width: int = 100) -> None:
    """In a notebook, show a failed visible check as its message alone, wrapped to `width` characters (not a
    traceback with one very long line), and an exercise that is still a stub as "Not written yet: implement `f`
    above". Other errors keep their full traceback. Under nbgrader (Validate), warnings go to standard output: nbgrader
    fails a check cell that writes anything to standard error, and a warning is not a failed check. Does nothing
    outside Jupyter (the grader, scripts)."""
    if not in_notebook():
        return
    from IPython import get_ipython

    get_ipython().set_custom_exc((AssertionError, NotImplementedError), _CheckMessages(width))
    if os.environ.get("NBGRADER_EXECUTION"):
        import sys
        import warnings

        def to_stdout(message, category, filename, lineno, file=None, line=None):
            sys.stdout.write(warnings.formatwarning(message, category, filename, lineno, line))

        warnings.showwarning = to_stdout  # nbgrader counts any stderr output of a check cell as a failed check


def in_notebook() -> bool:
    """True when running inside a Jupyter kernel (live plots make sense)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and shell.__class__.__name__ == "ZMQInteractiveShell"


def progress(total: int, description: str, enabled: bool = True, notebook: bool | None = None):
    """A tqdm progress bar (the notebook widget inside Jupyter, or with notebook=True), or a silent stand-in.
    A run that stops before its budget because it is done (CartPole solved) closes as a full, green bar: stopping
    early is success, not the red bar tqdm draws for an interrupted loop."""
    if not enabled:
        return _NoProgress()
    if notebook if notebook is not None else in_notebook():
        from tqdm.notebook import tqdm
    else:
        from tqdm import tqdm

    class Progress(tqdm):
        def close(self):
            if self.total and self.n < self.total and not self.disable:
                self.total = self.n  # done early: the bar ends full
                container = getattr(self, "container", None)  # tqdm.notebook's widgets: text, bar, text
                if container is not None:
                    container.children[1].max = self.n
            super().close()

    return Progress(total=total, desc=description, leave=True)


class _NoProgress:
    def update(self, n: int = 1) -> None:
        pass

    def set_postfix(self, **kwargs) -> None:
        pass

    def close(self) -> None:
        pass


def moving_average(values: Sequence[float], window: int) -> np.ndarray:
    """Trailing mean over up to ``window`` values: same length as ``values``."""
    values = np.asarray(values, dtype=np.float64)
    if values.size == 0:
        return values
    cumulative = np.cumsum(np.insert(values, 0, 0.0))
    idx = np.arange(1, values.size + 1)
    start = np.maximum(0, idx - window)
    return (cumulative[idx] - cumulative[start]) / (idx - start)


class LiveCurve:
    """A learning curve redrawn in place while an agent trains.

    ``add_episode`` records one training episode return; ``add_eval`` records a
    greedy evaluation (mean return at a point of training counted in ``eval_axis``:
    environment steps, or training episodes). Outside a notebook it only records,
    so training code can call it unconditionally.
    """

    def __init__(self, title: str, target: float | None = None, enabled: bool = True, every: int = 10,
                 eval_axis: str = "environment step"):
        self.title = title
        self.target = target
        self.eval_axis = eval_axis
        self.enabled = enabled and in_notebook()
        self.every = every
        self.episode_returns: list[float] = []
        self.eval_steps: list[int] = []
        self.eval_returns: list[float] = []
        self._handle = None

    def add_episode(self, episode_return: float) -> None:
        self.episode_returns.append(float(episode_return))
        if len(self.episode_returns) % self.every == 0:
            self.draw()

    def add_eval(self, step: int, mean_return: float) -> None:
        self.eval_steps.append(int(step))
        self.eval_returns.append(float(mean_return))
        self.draw()

    def figure(self):
        """A matplotlib figure of the curve so far (episodes left, evaluations right)."""
        import matplotlib.pyplot as plt

        fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.2))
        episodes = np.arange(1, len(self.episode_returns) + 1)
        left.plot(episodes, self.episode_returns, color="tab:blue", alpha=0.35, label="episode return")
        left.plot(episodes, moving_average(self.episode_returns, 100), color="tab:blue", label="100-episode mean")
        left.set_xlabel("training episode")
        left.set_ylabel("return")
        right.plot(self.eval_steps, self.eval_returns, "o-", color="tab:orange", label="greedy evaluation")
        right.set_xlabel(self.eval_axis)
        if self.target is not None:
            for axis in (left, right):
                axis.axhline(self.target, color="grey", linestyle=":", label="target")
        left.legend(loc="upper left", fontsize=8)
        right.legend(loc="upper left", fontsize=8)
        fig.suptitle(self.title)
        fig.tight_layout()
        return fig

    def draw(self) -> None:
        if not self.enabled:
            return
        import matplotlib.pyplot as plt
        from IPython.display import display

        fig = self.figure()
        if self._handle is None:
            self._handle = display(fig, display_id=True)
        else:
            self._handle.update(fig)
        plt.close(fig)


def plot_spread(
    curves: Mapping[str, Sequence[tuple[Sequence[float], Sequence[float]]]],
    xlabel: str = "environment step",
    ylabel: str = "greedy return",
    title: str = "",
    ax=None,
):
    """Mean and min-max band over seeds for each labelled group of (x, y) curves.

    curves: {label: [(xs, ys) for each seed]}; runs of unequal length are cut to
    the shortest, so every point of the band averages the same number of seeds.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.5))
    for label, runs in curves.items():
        length = min(len(ys) for _, ys in runs)
        xs = np.asarray(runs[0][0][:length], dtype=np.float64)
        ys = np.stack([np.asarray(y[:length], dtype=np.float64) for _, y in runs])
        mean = ys.mean(axis=0)
        line, = ax.plot(xs, mean, label=f"{label} ({len(runs)} seeds)")
        ax.fill_between(xs, ys.min(axis=0), ys.max(axis=0), color=line.get_color(), alpha=0.2)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.legend(fontsize=8)
    return ax


def record_video(
    act: Callable[[np.ndarray], int],
    env_id: str | Callable,
    path: str | os.PathLike,
    seed: int = 0,
    max_steps: int = 500,
    fps: int = 25,
) -> dict:
    """Run one episode of ``act`` (observation -> action) and write it to an mp4.

    Frames come from ``render_mode="rgb_array"`` (no display needed) and are
    encoded by moviepy. The video plays in real time at ``fps`` frames per second:
    an environment that renders faster (CartPole, 50 steps per second) is drawn
    every few steps, which halves the cost of a CartPole video.
    ``env_id`` is a gymnasium id, or a function of ``render_mode`` that builds the environment (with wrappers).
    The episode stops after ``max_steps`` steps. Returns {"path", "return", "steps"}.
    """
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")  # render off-screen, no display needed
    import gymnasium as gym
    from moviepy import ImageSequenceClip

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if callable(env_id):
        env = env_id(render_mode="rgb_array")
    else:
        env = gym.make(env_id, render_mode="rgb_array", max_episode_steps=max_steps)
    draw_every = max(1, round(env.metadata.get("render_fps", fps) / fps))  # environment steps per video frame
    try:
        observation, _ = env.reset(seed=seed)
        frames = [env.render()]
        total, steps, done = 0.0, 0, False
        while not done:
            observation, reward, terminated, truncated, _ = env.step(act(observation))
            total += float(reward)
            steps += 1
            done = terminated or truncated or steps >= max_steps
            if steps % draw_every == 0 or done:
                frames.append(env.render())
    finally:
        env.close()
    clip = ImageSequenceClip(frames, fps=fps)
    clip.write_videofile(str(path), codec="libx264", audio=False, logger=None, preset="ultrafast")
    clip.close()
    return {"path": str(path), "return": total, "steps": steps}


def on_colab() -> bool:
    """Whether this kernel runs on Google Colab (whose kernels can import ``google.colab``)."""
    import importlib.util

    try:
        return importlib.util.find_spec("google.colab") is not None
    except ModuleNotFoundError:  # no google package at all
        return False


def show_video(path: str | os.PathLike, width: int = 480):
    """Display an mp4 in the notebook: by reference, so that the notebook stays light, except on Google Colab,
    whose browser cannot fetch the kernel's files, where the video is embedded."""
    from IPython.display import Video

    return Video(str(path), embed=on_colab(), width=width, html_attributes="controls loop autoplay muted")
