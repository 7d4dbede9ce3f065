"""Every source notebook runs top to bottom in a real Jupyter kernel, at a quick scale: 0.05 (the scale nbgrader's
Validate runs at, see coursekit.VALIDATION_SCALE), or COURSE_TEST_SCALE (the README's table of times was measured
with COURSE_TEST_SCALE=0.2 and -s, which prints them)."""
import os
import time

import nbformat
import pytest
from nbclient import NotebookClient

from course.notebooks import ASSIGNMENTS


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(ASSIGNMENTS))
def test_source_notebook_executes_end_to_end(name, tmp_path, monkeypatch):
    scale = os.environ.get("COURSE_TEST_SCALE", "0.05")
    monkeypatch.setenv("COURSE_SCALE", scale)
    # 07's GPU showcases (Breakout, CartPole from a screen patch) would train for hours on a GPU even at this scale:
    # off here (tests/test_pixels.py trains both for a few hundred steps, and on CUDA where there is one).
    for showcase in ("COURSE_BREAKOUT_STEPS", "COURSE_CARTPOLE_SCREEN_STEPS"):
        monkeypatch.setenv(showcase, "0")
    notebook = nbformat.read(ASSIGNMENTS[name].source_notebook, as_version=4)
    started = time.perf_counter()
    NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    seconds = time.perf_counter() - started
    print(f"{name}: executed in {seconds:.0f} s at COURSE_SCALE={scale}")
    outputs = "".join(output.get("text", "") for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs)
    checks = [cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade_id", "").startswith("check_")]
    assert checks and outputs.count("looks right") + outputs.count("stores transitions correctly") == len(checks)
    assert f"experiment scale {float(scale)}" in outputs
    if name == "07_pixels":  # Catch trained; the showcases say where they train
        assert "steps in" in outputs and outputs.count("set COURSE_") == 2, outputs[-3000:]
    records_video = any("record_video(" in cell.source for cell in notebook.cells if cell.cell_type == "code")
    if records_video:
        assert list(tmp_path.glob("videos/*.mp4")), "the notebook's video cell wrote no mp4 under videos/"
