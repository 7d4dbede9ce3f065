"""The warm check server: each pytest run is a fresh child, and no run can break the next."""
import os

import pytest

from course.checkserver import FORK, CheckServer

CHECKS = '''
import os, sys, time
import course.checkserver as shared


def test_sees_the_job_environment():
    assert os.environ["CHECK_SERVER_TEST"] == "job value"


def test_leaves_state_behind():
    shared.LEFT_BY_A_PREVIOUS_RUN = True
    os.environ["LEFT_BY_A_PREVIOUS_RUN"] = "1"


def test_no_state_from_a_previous_run():
    assert not hasattr(shared, "LEFT_BY_A_PREVIOUS_RUN") and "LEFT_BY_A_PREVIOUS_RUN" not in os.environ


def test_hangs():
    time.sleep(600)


def test_exits_hard():
    os._exit(3)
'''


@pytest.fixture(scope="module")
def server():
    server = CheckServer()
    yield server
    server.close()


def run(server, tmp_path, name, timeout=60):
    checks = tmp_path / "test_checks.py"
    checks.write_text(CHECKS)
    log = tmp_path / f"{name}.log"
    code = server.run([f"{checks}::test_{name}", "-q", "-p", "no:cacheprovider"], {"CHECK_SERVER_TEST": "job value"},
                      log, timeout=timeout)
    return code, log.read_text()


def test_a_run_is_pytest_with_the_jobs_environment_and_output(server, tmp_path):
    code, log = run(server, tmp_path, "sees_the_job_environment")
    assert code == 0, log
    assert "1 passed" in log
    assert "CHECK_SERVER_TEST" not in os.environ, "the job's environment leaked into the caller"


def test_nothing_carries_over_between_runs(server, tmp_path):
    assert run(server, tmp_path, "leaves_state_behind")[0] == 0
    code, log = run(server, tmp_path, "no_state_from_a_previous_run")
    assert code == 0, log


def test_a_hung_run_is_killed_and_the_server_goes_on(server, tmp_path):
    code, _ = run(server, tmp_path, "hangs", timeout=3)
    assert code is None
    assert run(server, tmp_path, "sees_the_job_environment")[0] == 0
    if FORK:
        assert server.process.poll() is None, "the server should survive a killed run"


def test_a_run_that_exits_hard_returns_its_code(server, tmp_path):
    code, _ = run(server, tmp_path, "exits_hard")
    assert code == 3
    assert run(server, tmp_path, "sees_the_job_environment")[0] == 0
