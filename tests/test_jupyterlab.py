"""A release notebook as a student first sees it: opened in JupyterLab (the server started the way students start
it, the page in headless Chromium). Its screenshot is kept in test-artifacts/jupyterlab.png."""
import subprocess
import sys
import time

import pytest

from conftest import REPO, free_port, wait_for_port
from course.release import generate_release


@pytest.fixture
def jupyterlab(tmp_path):
    """`jupyter lab` serving a release of 05 built by this Python (as on a JupyterHub, where the instructor's build
    and the students' kernels share one image), as a student runs it; yields its base URL, token and folder."""
    generate_release(["05_dqn"], release_dir=tmp_path / "release")
    port, token = free_port(), "course-test"
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1", "--allow-root",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={tmp_path / 'release'}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port)
        yield f"http://127.0.0.1:{port}", token, tmp_path / "release"
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.slow
def test_a_release_notebook_opens_unmodified_with_its_colab_badge(jupyterlab, browser):
    """JupyterLab rewrites a notebook's language_info with its kernel's on opening: the release carries the full
    record of the Python that built it, so a notebook the student has not touched is not marked modified when their
    kernel runs that Python (before: it was marked modified at once, whatever the Python)."""
    url, token, release = jupyterlab
    before = (release / "05_dqn" / "05_dqn.ipynb").read_bytes()
    browser.get(f"{url}/lab/tree/05_dqn/05_dqn.ipynb?token={token}")
    deadline = time.monotonic() + 120
    while "Idle" not in browser.execute_script(
            "return document.querySelector('.jp-StatusBar-Widget, #jp-main-statusbar')?.textContent || ''"):
        assert time.monotonic() < deadline, "the notebook's kernel never became idle"
        time.sleep(1)
    time.sleep(2)  # the kernel's language_info arrives with its first idle status; let the model apply it
    tab = browser.find_element("css selector", ".lm-TabBar-tab.jp-mod-current")
    assert "05_dqn.ipynb" in tab.text
    assert "jp-mod-dirty" not in tab.get_attribute("class"), "the untouched notebook is marked modified"
    badge = browser.find_element("css selector", ".jp-Notebook a[href*='colab.research.google.com/github/']")
    assert badge.get_attribute("href").endswith("/05_dqn/05_dqn.ipynb")
    artifacts = REPO / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    browser.save_screenshot(str(artifacts / "jupyterlab.png"))
    assert (release / "05_dqn" / "05_dqn.ipynb").read_bytes() == before
