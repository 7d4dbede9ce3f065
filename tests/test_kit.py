"""The student kit stands alone: a fresh virtual environment with only release/requirements.txt installed (and
PyTorch) runs a solved notebook, and cannot import the grader, nbgrader or the hidden checks; and an environment
like Google Colab's, where only the notebook's first cell installs anything, runs a solved notebook too."""
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
html = "".join(str(o.get("data", {}).get("text/html", "")) for c in notebook.cells if c.cell_type == "code" for o in c.outputs)
print("videos:", html.count("<video"), "embedded:", html.count("data:video/mp4;base64,"))
"""


def fresh_venv(tmp_path, *packages):
    """A new virtual environment with PyTorch (the CPU wheel, as in CI) and PACKAGES; returns its python and a
    runner that uses only that environment."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    python = str(venv / "bin" / "python")
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": os.environ.get("HOME", str(tmp_path)), "COURSE_SCALE": "0.1"}

    def run(*args, cwd, **extra_env):
        return subprocess.run(args, cwd=cwd, env={**env, **extra_env}, capture_output=True, text=True, timeout=1200)

    installed = run(python, "-m", "pip", "install", "-q", os.environ.get("COURSE_TORCH", "torch==2.13.0"), *packages,
                    cwd=tmp_path)
    assert installed.returncode == 0, installed.stderr[-2000:]
    return python, run


@pytest.mark.slow
def test_release_requirements_alone_run_a_solved_notebook_without_the_grader(tmp_path):
    release = tmp_path / "release"
    shutil.copytree(REPO / "release", release)  # the folder as an instructor hands it out, away from the repository
    shutil.copy(REPO / "examples/submitted/alice/01_torch101/01_torch101.ipynb", release / "01_torch101" / "solved.ipynb")
    python, run = fresh_venv(tmp_path)
    installed = run(python, "-m", "pip", "install", "-q", "-r", "requirements.txt", cwd=release)
    assert installed.returncode == 0, installed.stderr[-3000:]
    run(python, "-m", "ipykernel", "install", "--sys-prefix", "--name", "python3", cwd=release)

    for module in ("course", "nbgrader", "autograder", "solutions", "pieces"):
        imported = run(python, "-c", f"import {module}", cwd=tmp_path)
        assert imported.returncode != 0 and "ModuleNotFoundError" in imported.stderr, f"{module} is importable"
    executed = run(python, "-c", RUN_NOTEBOOK, "solved.ipynb", cwd=release / "01_torch101")
    assert executed.returncode == 0, executed.stdout[-2000:] + executed.stderr[-3000:]
    assert "checks passed: 7" in executed.stdout, executed.stdout


# What a Colab kernel has that matters here, besides PyTorch: IPython's kernel, numpy, matplotlib, tqdm, widgets.
COLAB_BASE = ("ipykernel", "nbclient", "nbformat", "numpy", "matplotlib", "tqdm", "ipywidgets")


@pytest.mark.slow
def test_on_a_colab_like_machine_the_first_cell_installs_what_a_solved_notebook_needs(tmp_path):
    """A fresh environment with Colab's base packages only, a `google.colab` module (Colab's kernels can import it)
    and the kit from this checkout instead of GitHub: the notebook's first cell installs the kit and the
    environments, every visible check passes and the agent's video is embedded (Colab cannot serve a file by
    reference)."""
    python, run = fresh_venv(tmp_path, *COLAB_BASE)
    assert run(python, "-c", "import coursekit", cwd=tmp_path).returncode != 0
    colab = tmp_path / "colab" / "google" / "colab"
    colab.mkdir(parents=True)
    (colab / "__init__.py").write_text('"""Stands in for Colab\'s module of the same name."""\n')
    (colab.parent / "__init__.py").write_text("")
    kit = shutil.copytree(REPO / "release" / "kit", tmp_path / "kit")  # pip builds in it: keep release/ clean
    work = tmp_path / "content"  # Colab's working folder holds the one notebook it opened
    work.mkdir()
    shutil.copy(REPO / "examples/submitted/alice/02_mdp/02_mdp.ipynb", work / "02_mdp.ipynb")
    run(python, "-m", "ipykernel", "install", "--sys-prefix", "--name", "python3", cwd=tmp_path)
    executed = run(python, "-c", RUN_NOTEBOOK, "02_mdp.ipynb", cwd=work, PYTHONPATH=str(tmp_path / "colab"),
                   COURSE_KIT=kit.as_uri())
    assert executed.returncode == 0, executed.stdout[-2000:] + executed.stderr[-3000:]
    assert "checks passed: 7" in executed.stdout, executed.stdout
    assert "videos: 2 embedded: 2" in executed.stdout, executed.stdout  # the optimal policy's and the γ experiment's
    for module in ("course", "nbgrader", "autograder"):
        assert run(python, "-c", f"import {module}", cwd=tmp_path).returncode != 0, f"{module} is importable"
