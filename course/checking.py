"""The pytest side of grading: fixtures, markers, validation helpers, result collection.

Loaded with ``pytest -p course.checking --submission NB --results JSON``. Hidden
checks in ``autograder/<assignment>/checks.py`` use:

* ``student`` / ``reference``: ``.call(probes.f, **kwargs)`` runs the probe ``f``
  of ``autograder/<assignment>/probes.py`` (imported by the checks as a module,
  so a renamed probe fails when the checks load) on the student's cells in the
  sandbox, or on ``solutions/`` in this process. Both results went through the
  wire format.
* ``@pytest.mark.points(n)`` and ``@pytest.mark.exercise("grade_id")``: what
  the check is worth and which cell it grades (a check of a missing or broken
  cell fails at once with that cell's error).
* ``CheckFailed(message)``: the only message a student sees for a failed check
  besides their own traceback. Assertion details, hidden check code and
  reference values never reach the feedback.
"""
from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import random
import sys
from pathlib import Path

import numpy as np
import pytest

from course import notebooks, wire
from course.files import write_atomic
from course.sandbox import CALL_CPU_SECONDS, Cell, StudentError, Submission


class CheckFailed(AssertionError):
    """A check failed; the message is shown to the student as it is."""


# ---------------------------------------------------------------- validation helpers
def describe(value) -> str:
    if isinstance(value, wire.Opaque):
        return value.type_name
    if isinstance(value, np.ndarray):
        return f"numpy array {value.dtype} {tuple(value.shape)}"
    if type(value).__module__ == "torch":
        return f"tensor {str(value.dtype).replace('torch.', '')} {tuple(value.shape)}"
    return type(value).__name__


def expect_array(value, what: str, shape: tuple, kind: str = "tensor", dtypes=("float32",)):
    """Validate exact type, shape, dtype and finiteness; return a float64 numpy copy."""
    if kind == "tensor":
        import torch

        expected_type = torch.Tensor
    else:
        expected_type = np.ndarray
    if type(value) is not expected_type:
        raise CheckFailed(f"{what} must be a {'torch.Tensor' if kind == 'tensor' else 'numpy array'}, got {describe(value)}")
    if tuple(value.shape) != tuple(shape):
        raise CheckFailed(f"{what} must have shape {tuple(shape)}, got {tuple(value.shape)}")
    dtype = str(value.dtype).replace("torch.", "")
    if dtype not in dtypes:
        raise CheckFailed(f"{what} must have dtype {' or '.join(dtypes)}, got {dtype}")
    array = (value.detach().numpy() if kind == "tensor" else value).astype(np.float64)
    if not np.all(np.isfinite(array)):
        raise CheckFailed(f"{what} contains NaN or infinite values")
    return array


def expect_close(actual: np.ndarray, expected: np.ndarray, what: str, atol: float = 1e-5, rtol: float = 1e-4) -> None:
    """Compare with the reference without revealing it."""
    if actual.shape != expected.shape:
        raise CheckFailed(f"{what} has shape {actual.shape}, expected {expected.shape}")
    if not np.allclose(actual, expected, atol=atol, rtol=rtol):
        wrong = ~np.isclose(actual, expected, atol=atol, rtol=rtol)
        raise CheckFailed(f"{what} differs from the expected values in {int(wrong.sum())} of {wrong.size} entries")


def expect_weights(value, reference: dict, what: str) -> dict:
    """A state dict: exactly the reference's keys, float32 tensors of the same shapes, finite."""
    if type(value) is not dict or set(value) != set(reference):
        raise CheckFailed(f"{what} does not have the network's parameters (got {describe(value)})")
    return {key: expect_array(value[key], f"{what}[{key!r}]", tuple(reference[key].shape)) for key in reference}


def expect_uniform_actions(counts: np.ndarray) -> None:
    """counts[a]: how often action a came from many calls of an epsilon-greedy choose_action with epsilon = 1.
    They must look uniform (chi-square test, false-failure rate 0.1%)."""
    from scipy import stats

    if stats.chisquare(counts).pvalue < 1e-3:
        raise CheckFailed(f"with epsilon = 1 the actions should be uniform; counts per action were {counts.tolist()}")


def expect_epsilon_greedy_actions(counts: np.ndarray, greedy: int, epsilon: float) -> None:
    """counts[a]: how often action a came from many calls with epsilon, greedy: the greedy action. The greedy action
    must come with probability 1 - epsilon + epsilon / n_actions (the random branch draws among all actions; two-sided
    binomial test) and the others equally often (chi-square test): false-failure rate 0.1% each, 0.2% together."""
    from scipy import stats

    n_calls, n_actions = int(counts.sum()), len(counts)
    expected = 1 - epsilon + epsilon / n_actions
    if stats.binomtest(int(counts[greedy]), n_calls, expected).pvalue < 1e-3:
        share = counts[greedy] / n_calls
        hint = (" (the random branch must draw among all actions, the greedy one included)"
                if abs(share - (1 - epsilon)) < 0.02 else "")
        raise CheckFailed(f"with epsilon = {epsilon:g} and {n_actions} actions the greedy action should come "
                          f"{expected * 100:.3g}% of the time, got {share:.1%}{hint}")
    others = np.delete(counts, greedy)
    if stats.chisquare(others).pvalue < 1e-3:
        raise CheckFailed(f"the non-greedy actions should be equally likely; their counts were {others.tolist()}")


def expect_actions_from_rng(same_seed: list, same_seed_other_global_seed: list, other_seed: list, others: str) -> None:
    """Three runs of choose_action calls: with the same rng seed under two different global seeds, and with another
    rng seed. The randomness must come from `rng` alone (`others`: the RNGs it must not use, for the message)."""
    if same_seed != same_seed_other_global_seed:
        raise CheckFailed(f"the same `rng` seed gave different actions: take every random number from `rng`, not from "
                          f"{others}")
    if same_seed == other_seed:
        raise CheckFailed("different `rng` seeds gave identical actions: is the random branch using `rng`?")


def expect_trail(summary, template: dict, replay, batch_shapes: dict, batch_dtypes=("float32", "int64"),
                 **expectations) -> None:
    """The run learned through its own steps (see course.trail): the trail is sound and every sampled step
    replays to the same weights. template: the network's state dict; replay(sample) -> the weights after the
    same step taken again from the recorded inputs (a state dict); batch_shapes: key -> shape of a sampled batch,
    batch_dtypes: the dtypes its tensors may have (pixel states are uint8)."""
    from course.trail import trail_problem

    problem = trail_problem(summary, **expectations)
    if problem:
        raise CheckFailed(problem)
    samples = summary.get("samples")
    if type(samples) is not list or not samples:
        raise CheckFailed("the training run's record of its learning steps could not be read")
    step_name = expectations["step_name"]
    for sample in samples:
        if type(sample) is not dict or type(sample.get("step")) is not int or type(sample.get("batch")) is not dict:
            raise CheckFailed("the training run's record of its learning steps could not be read")
        what = f"in training, the weights after `{step_name}` call {sample['step']}"
        after = expect_weights(sample.get("after"), template, what)
        for key in ("online", "target"):
            expect_weights(sample.get(key), template, what)
        _expect_adam_moments(sample.get("optimizer"), template)
        grads = sample.get("grads")
        if type(grads) is not list or len(grads) != len(template):
            raise CheckFailed("the training run's record of its learning steps could not be read")
        for grad, shape in zip(grads, [tuple(value.shape) for value in template.values()]):
            if grad is not None:
                expect_array(grad, "the gradients before a recorded step", shape)
        for key, shape in batch_shapes.items():
            expect_array(sample["batch"].get(key), f"the batch of `{step_name}` call {sample['step']}", shape,
                         dtypes=batch_dtypes)
        replayed = expect_weights(replay(sample), template, f"the weights after `{step_name}` replayed")
        for key in template:
            expect_close(after[key], replayed[key], f"{what} (taken again by the grader outside train, from the same "
                         "weights, gradients, batch and optimizer state: a step must not depend on where it is "
                         "called)", atol=1e-6)


def _expect_adam_moments(moments, template: dict) -> dict:
    shapes = [tuple(value.shape) for value in template.values()]
    if (type(moments) is not dict or moments.get("type") != "Adam" or type(moments.get("lr")) is not float
            or type(moments.get("step")) is not float or type(moments.get("exp_avg")) is not list
            or type(moments.get("exp_avg_sq")) is not list or len(moments["exp_avg"]) != len(moments["exp_avg_sq"])
            or len(moments["exp_avg"]) not in (0, len(shapes))):
        raise CheckFailed("the training loop's optimizer is not the torch.optim.Adam the given code builds")
    for values in (moments["exp_avg"], moments["exp_avg_sq"]):
        for value, shape in zip(values, shapes):
            expect_array(value, "the optimizer's state", shape)


def best_of_seeds(seeds, threshold: float, run, retry_from: float = 0.0):
    """Train on each seed in turn until one reaches ``threshold``.

    run(seed) -> (score, policy, details). Returns (score, seed, policy, details) of the best seed,
    so that the feedback shows the student's best agent whether or not it passed. A further seed
    is tried only after a score of at least ``retry_from``: an agent that learned nothing on one
    seed will not pass on the next, and another full training run would only cost grading time."""
    best = None
    for seed in seeds:
        score, policy, details = run(seed)
        if best is None or score > best[0]:
            best = (score, seed, policy, details)
        if score >= threshold or score < retry_from:
            break
    return best


def save_agent(artifacts: Path | None, reference, policy: dict, curve: dict, **video_kwargs) -> None:
    """Keep what the feedback page shows of a student's trained agent: its weights (policy.pt, a dict
    of tensors), its curve (training.json) and a video recorded by the reference's record_policy probe."""
    if artifacts is None:
        return
    import torch

    torch.save(policy, artifacts / "policy.pt")
    (artifacts / "training.json").write_text(json.dumps(curve))
    reference.call(reference.probes.record_policy, weights=policy, path=str(artifacts / "video.mp4"), **video_kwargs)


# ---------------------------------------------------------------- the two sides
class Reference:
    """The reference solutions, run in this (trusted) process through the same probes."""

    def __init__(self, assignment: notebooks.Assignment):
        spec = importlib.util.spec_from_file_location(f"reference_{assignment.name}", assignment.solutions_path)
        self.module = importlib.util.module_from_spec(spec)
        with contextlib.redirect_stdout(io.StringIO()):  # the setup cells print versions for students
            spec.loader.exec_module(self.module)
        self.probes = assignment.autograder_module("probes")

    def call(self, probe, call_seed: int = 0, **kwargs):
        """probe: a function of the assignment's probes module, run on the reference module."""
        probe_name(probe, self.probes)
        random.seed(call_seed)
        np.random.seed(call_seed)
        if "torch" in sys.modules:
            sys.modules["torch"].manual_seed(call_seed)
        kwargs = wire.decode(wire.encode(kwargs))
        return wire.decode(wire.encode(probe(self.module, **kwargs)))


class Student:
    """The submission's cells in a sandboxed worker."""

    def __init__(self, submission: Submission, probes):
        self.submission = submission
        self.probes = probes

    def call(self, probe, cpu_seconds: float = CALL_CPU_SECONDS, call_seed: int = 0, **kwargs):
        """Run a probe (a function of the assignment's probes module) on the student's cells within CPU_SECONDS of
        CPU time (the worker's whole process tree; a busy or slow machine changes the wall time, not this). The
        worker holds its own copy of the probes, loaded from their source: the call names the function."""
        return self.submission.call(probe_name(probe, self.probes), cpu_seconds=cpu_seconds, call_seed=call_seed,
                                    **kwargs)


def probes_beside(checks_file: str):
    """The probes module of the checks in CHECKS_FILE, autograder/<assignment>/probes.py, imported as
    autograder.<assignment>.probes (the module the Reference holds). A folder name such as 05_dqn is not an
    identifier, so a relative import cannot reach it; a test checks that every probes.<name> used by the checks
    exists (tests/test_sync.py)."""
    return notebooks.get_assignment(Path(checks_file).parent.name).autograder_module("probes")


def probe_name(probe, probes) -> str:
    """The name of PROBE, which must be a function defined in the probes module PROBES (a check that passes anything
    else is a grader bug, reported at once rather than as a student's failure)."""
    name = getattr(probe, "__name__", None)
    if not callable(probe) or getattr(probes, name or "", None) is not probe:
        raise TypeError(f"{probe!r} is not a function of {probes.__name__}: call probes by their function object")
    return name


# ---------------------------------------------------------------- pytest plugin
def pytest_addoption(parser):
    group = parser.getgroup("course")
    group.addoption("--submission", help="notebook to grade")
    group.addoption("--assignment", help="assignment name (default: from the notebook)")
    group.addoption("--results", help="write check results as JSON here")
    group.addoption("--artifacts", help="folder for the training curve and policy weights")


def pytest_configure(config):
    config.addinivalue_line("markers", "points(n): points of a hidden check")
    config.addinivalue_line("markers", "exercise(grade_id): the notebook cell a check grades")
    config.addinivalue_line("markers", "end_to_end: a check that trains an agent (timed apart from unit checks)")
    config._course_results = []


class _Context:
    def __init__(self, config):
        path = config.getoption("--submission")
        if not path:
            raise pytest.UsageError("--submission NOTEBOOK is required to run the hidden checks")
        notebook = notebooks.read_notebook(Path(path))
        name = config.getoption("--assignment")
        self.assignment = notebooks.get_assignment(name) if name else notebooks.identify_assignment(notebook)
        source = notebooks.read_notebook(self.assignment.source_notebook)
        self.missing = set(notebooks.missing_exercises(source, notebook))
        cells = [Cell(name, code) for name, code in notebooks.module_cells(source, notebook)]
        self.reference = Reference(self.assignment)
        self.submission = Submission(cells, self.assignment.probes_path.read_text(),
                                     notebooks.PIECES_PATH.read_text())
        self.student = Student(self.submission, self.reference.probes)
        artifacts = config.getoption("--artifacts")
        self.artifacts = Path(artifacts) if artifacts else None


@pytest.fixture(scope="session")
def _course(request):
    context = _Context(request.config)
    request.config._course_context = context
    yield context
    context.output_tail = context.submission.output_tail()
    context.submission.close()


@pytest.fixture(scope="session")
def student(_course) -> Student:
    return _course.student


@pytest.fixture(scope="session")
def reference(_course) -> Reference:
    return _course.reference


@pytest.fixture(scope="session")
def artifacts(_course) -> Path | None:
    if _course.artifacts is not None:
        _course.artifacts.mkdir(parents=True, exist_ok=True)
    return _course.artifacts


@pytest.fixture(autouse=True)
def _exercise_present(request, _course):
    """A check of a missing or broken exercise cell fails at once, with the cell's own error."""
    marker = request.node.get_closest_marker("exercise")
    if marker is None:
        return
    for name in marker.args:
        if name in _course.missing:
            raise CheckFailed(f"the exercise cell '{name}' is missing from the notebook (was it deleted, or its "
                              "metadata edited?); restore it from the release")
    _course.submission.ensure_started()
    for name in marker.args:
        if name in _course.submission.cell_errors:
            raise CheckFailed(f"the cell '{name}' did not load: {_course.submission.cell_errors[name]}")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    """Note which sandbox calls belong to this check (their CPU time goes into its result)."""
    context = getattr(item.config, "_course_context", None)
    item._course_first_call = len(context.submission.calls) if context else 0
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "setup" and report.passed:
        return
    if report.when == "teardown" and report.passed:
        return
    if report.when == "call" or report.failed:
        item.config._course_results.append(_result_of(item, report, call))


def _result_of(item, report, call) -> dict:
    points_marker = item.get_closest_marker("points")
    max_points = float(points_marker.args[0]) if points_marker else 0.0
    exercise_marker = item.get_closest_marker("exercise")
    exercise = exercise_marker.args[0] if exercise_marker else ""
    message = ""
    end_to_end = item.get_closest_marker("end_to_end") is not None
    if report.failed:
        message = _message(call.excinfo.value if call.excinfo else None)
        broken = sorted({r["exercise"] for r in item.config._course_results
                         if not r["passed"] and not r["end_to_end"] and r["exercise"] != exercise})
        if end_to_end and broken:  # the end-to-end checks run last: the pieces' own checks are in already
            names = ", ".join(f"`{name}`" for name in broken)
            message = (f"fix {names} first: {'it fails its' if len(broken) == 1 else 'they fail their'} own checks "
                       f"above, and this check trains with every piece.\n{message}")
    context = getattr(item.config, "_course_context", None)
    calls = context.submission.calls[getattr(item, "_course_first_call", 0):] if context and report.when == "call" else []
    return {"name": item.name.removeprefix("test_"), "exercise": exercise,
            "description": (item.function.__doc__ or "").strip().splitlines()[0] if item.function.__doc__ else "",
            "points": max_points if report.passed else 0.0, "max_points": max_points,
            "passed": bool(report.passed), "message": message,
            "end_to_end": end_to_end, "seconds": round(report.duration, 3),
            "cpu_seconds": round(sum(used for _, used, _ in calls), 3),  # the student's side, all calls of this check
            "cpu_margin": round(min((limit / max(used, 1e-3) for _, used, limit in calls), default=0.0), 1)}


def _message(error) -> str:
    if isinstance(error, CheckFailed):
        return str(error)
    if isinstance(error, StudentError):
        return error.traceback or error.message  # the traceback ends with the error line
    if isinstance(error, notebooks.SubmissionError):
        return str(error)
    return f"internal grader error ({type(error).__name__}); please report it to your instructor"


def pytest_sessionfinish(session, exitstatus):
    path = session.config.getoption("--results")
    if not path:
        return
    context = getattr(session.config, "_course_context", None)
    checks = session.config._course_results
    payload = {"checks": checks}
    artifacts = session.config.getoption("--artifacts")
    if artifacts and (Path(artifacts) / "training.json").exists():
        from course.feedback import plot_training

        try:  # the curve is the student's data: whatever it holds, the results are written
            plot_training(json.loads((Path(artifacts) / "training.json").read_text()), Path(artifacts) / "curve.png")
        except Exception as error:
            payload["curve_error"] = f"the training curve could not be drawn from what train() recorded: {error}"[:500]
    if context is not None:
        payload.update(
            assignment=context.assignment.name,
            cell_errors=context.submission.cell_errors,
            missing=sorted(context.missing),
            timing={"sandbox_startup": round(sum(context.submission.startups), 2),
                    "unit_checks": round(sum(c["seconds"] for c in checks if not c["end_to_end"]), 2),
                    "end_to_end": round(sum(c["seconds"] for c in checks if c["end_to_end"]), 2)},
            output_tail=getattr(context, "output_tail", "")[-2000:],
        )
    write_atomic(Path(path), json.dumps(payload, indent=1))
