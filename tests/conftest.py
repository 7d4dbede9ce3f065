import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def pytest_sessionstart(session):
    """examples/submitted/ is built, not committed: build it from the committed release, as `course build` does
    (about 4 s), so every test grades the corpus of this checkout."""
    from course.examples import build_examples

    build_examples()


def run_course(*args, timeout=900, **kwargs) -> subprocess.CompletedProcess:
    """Run the command line as a user would: python -m course ..."""
    return subprocess.run([sys.executable, "-m", "course", *map(str, args)], cwd=kwargs.pop("cwd", REPO),
                          capture_output=True, text=True, timeout=timeout, env={**os.environ, **kwargs.pop("env", {})})


@pytest.fixture(scope="session")
def graded_examples(tmp_path_factory):
    """The bundled example submissions, graded once for the whole session."""
    out = tmp_path_factory.mktemp("graded")
    run = run_course("grade", REPO / "examples" / "submitted", "--out", out)
    assert run.returncode == 0, run.stdout + run.stderr
    return out
