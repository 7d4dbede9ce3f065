"""The environment of the processes the course starts.

Tools such as nbgrader run helper programs by name (nbgrader runs ``alembic``); in a virtual
environment those live beside the interpreter, which is not on PATH unless the environment
was activated. Every subprocess the course starts gets the running interpreter's folder first
on PATH, so it finds the tools installed with that interpreter and never a global copy.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path


def interpreter_env(base: dict | None = None) -> dict:
    """A copy of BASE (default: this process's environment) whose PATH starts with the folder of
    the running interpreter (not resolved through symlinks: a venv's bin/, not its base's)."""
    env = dict(os.environ if base is None else base)
    tools = str(Path(sys.executable).parent)
    rest = [entry for entry in env.get("PATH", os.defpath).split(os.pathsep) if entry and entry != tools]
    env["PATH"] = os.pathsep.join([tools, *rest])
    return env
