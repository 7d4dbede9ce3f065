"""The student kit stands alone: a fresh virtual environment with only release/requirements.txt installed (and
PyTorch) runs a solved notebook, and cannot import the grader, nbgrader or the hidden checks."""
import os
import shutil
import subprocess
import sys

import pytest

from conftest import REPO

RUN_NOTEBOOK = """
import sys, nbformat
from nbclient import NotebookClient
notebook = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(notebook, timeout=600, kernel_name="python3").execute()
outputs = "".join(o.get("text", "") for c in notebook.cells if c.cell_type == "code" for o in c.outputs)
print("checks passed:", outputs.count("looks right"))
"""


@pytest.mark.slow
def test_release_requirements_alone_run_a_solved_notebook_without_the_grader(tmp_path):
    release = tmp_path / "release"
    shutil.copytree(REPO / "release", release)  # the folder as an instructor hands it out, away from the repository
    shutil.copy(REPO / "examples/submitted/alice/01_torch101/01_torch101.ipynb", release / "01_torch101" / "solved.ipynb")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    python = str(venv / "bin" / "python")
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": os.environ.get("HOME", str(tmp_path)), "COURSE_SCALE": "0.1"}

    def run(*args, cwd=release):
        return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=1200)

    torch = run(python, "-m", "pip", "install", "-q", os.environ.get("COURSE_TORCH", "torch==2.13.0"))
    assert torch.returncode == 0, torch.stderr[-2000:]
    installed = run(python, "-m", "pip", "install", "-q", "-r", "requirements.txt")
    assert installed.returncode == 0, installed.stderr[-3000:]
    run(python, "-m", "ipykernel", "install", "--sys-prefix", "--name", "python3")

    for module in ("course", "nbgrader", "autograder", "solutions", "pieces"):
        imported = run(python, "-c", f"import {module}", cwd=tmp_path)
        assert imported.returncode != 0 and "ModuleNotFoundError" in imported.stderr, f"{module} is importable"
    executed = run(python, "-c", RUN_NOTEBOOK, "solved.ipynb", cwd=release / "01_torch101")
    assert executed.returncode == 0, executed.stdout[-2000:] + executed.stderr[-3000:]
    assert "checks passed: 7" in executed.stdout, executed.stdout
