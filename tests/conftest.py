import os
import shutil
import socket
import subprocess
import sys
import time
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


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium driven by Selenium, as the instructor's and the student's pages are tested."""
    from selenium import webdriver as selenium

    if not (CHROMIUM and DRIVER):
        pytest.fail("Chromium and chromedriver are needed (Debian packages chromium, chromium-driver; "
                    "scripts/test.sh installs them)")
    options = selenium.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--autoplay-policy=no-user-gesture-required", "--window-size=1400,1000"):
        options.add_argument(flag)
    driver = selenium.Chrome(options=options, service=selenium.ChromeService(executable_path=DRIVER))
    yield driver
    driver.quit()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now, for a server a test starts."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, seconds: float = 60) -> None:
    """Return once something accepts connections on 127.0.0.1:PORT; fail the test after SECONDS."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                pytest.fail(f"nothing listens on port {port} after {seconds} s")
            time.sleep(0.1)
