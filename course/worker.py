"""The student side of the sandbox: ``python -m course.worker``.

Runs in its own process (inside bubblewrap where available) and obeys one JSON request per
line on the file descriptor named by its second argument, answering one JSON line on the one
named by its first (standard input is /dev/null, so ``input()`` in student code fails at once):

* {"op": "exec", "name": cell, "source": code}: run a notebook cell in the
  ``submission`` module;
* {"op": "probes", "source": code, "pieces": code}: define the probe functions of a check file
  (see ``load_probes``);
* {"op": "call", "probe": name, "kwargs": {...}, "seed": n}: seed every RNG,
  run ``probe(submission, **kwargs)`` and send back its result as plain data.

Answers are {"ok": true, "value": ...} or {"ok": false, "error": one line,
"traceback": the student's frames}. Student output (fd 1 and 2) goes to a file
the grader reads; only the answer descriptor carries answers, and the grader trusts nothing in
them beyond their being data.
"""
from __future__ import annotations

import json
import os
import random
import re
import signal
import sys
import traceback
import types

from course import wire

CELL_PREFIX = "<cell "


def notebook_code(source: str) -> str:
    """Cell source -> plain Python: IPython magics and shell escapes become comments."""
    return re.sub(r"^(\s*)([%!])", r"\1# \2", source, flags=re.M)


def student_traceback(error: BaseException) -> str:
    """The traceback limited to frames from notebook cells (no grader or library frames)."""
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename.startswith(CELL_PREFIX)]
    lines = traceback.format_list(frames) + traceback.format_exception_only(type(error), error)
    return "".join(lines)[-4000:]


def load_probes(source: str, pieces: str, filename: str = "<probes>") -> dict:
    """The probe functions of an assignment's autograder/<name>/probes.py, as a namespace. `pieces` is the source
    of autograder/pieces.py (stand-ins that compute answers); the probes import it as ``autograder.pieces``, which
    exists only while they load, so student code loaded afterwards cannot import it."""
    package, module = types.ModuleType("autograder"), types.ModuleType("autograder.pieces")
    package.__path__ = []
    exec(compile(pieces, "<pieces>", "exec"), module.__dict__)
    package.pieces = module
    sys.modules.update({"autograder": package, "autograder.pieces": module})
    try:
        namespace: dict = {}
        exec(compile(source, filename, "exec"), namespace)
    finally:
        del sys.modules["autograder"], sys.modules["autograder.pieces"]
    return namespace


def seed_everything(seed: int) -> None:
    """Seed Python's, numpy's and (when the notebook uses it) torch's global RNGs."""
    import numpy as np

    random.seed(seed)
    np.random.seed(seed)
    if "torch" in sys.modules:
        sys.modules["torch"].manual_seed(seed)


def main() -> None:
    answers = os.fdopen(int(sys.argv[1]), "w", buffering=1)
    requests = os.fdopen(int(sys.argv[2]), "r")
    signal.signal(signal.SIGXFSZ, signal.SIG_DFL)  # past the output limit the process ends (Python ignores it)
    submission = types.ModuleType("submission")
    submission.__dict__["__builtins__"] = __builtins__
    sys.modules["submission"] = submission
    probes: dict = {}
    os.environ.setdefault("MPLBACKEND", "Agg")  # matplotlib draws into files: the sandbox has no display
    for line in requests:
        request = json.loads(line)
        try:
            value = None
            if request["op"] == "exec":
                code = compile(notebook_code(request["source"]), f"{CELL_PREFIX}{request['name']}>", "exec")
                exec(code, submission.__dict__)
            elif request["op"] == "probes":
                probes = load_probes(request["source"], request["pieces"])
            elif request["op"] == "call":
                seed_everything(request.get("seed", 0))
                kwargs = wire.decode(request.get("kwargs", {"$dict": {}}))
                value = probes[request["probe"]](submission, **kwargs)
            answer = {"ok": True, "value": wire.encode(value)}
        except BaseException as error:  # SystemExit and KeyboardInterrupt from student code included
            answer = {"ok": False, "error": "".join(traceback.format_exception_only(type(error), error)).strip()[-1000:],
                      "traceback": student_traceback(error)}
        answer["id"] = request.get("id")
        answers.write(json.dumps(answer, allow_nan=False) + "\n")


if __name__ == "__main__":
    main()
