"""Hand grading with the autograder's points: course grade, course nbgrader (the scores into nbgrader's gradebook),
a written answer graded and commented through formgrader's own web API (a real Jupyter server with nbgrader's
extension, as the instructor's browser uses it), course export; the hand grade survives a regrade."""
import csv
import json
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import REPO, free_port, run_course

TOKEN = "course-test-token"


class Formgrader:
    """formgrader's REST API on a Jupyter server started in the course folder."""

    def __init__(self, course: Path):
        self.port = free_port()
        jupyter = str(Path(sys.executable).with_name("jupyter"))
        self.process = subprocess.Popen([jupyter, "server", "--no-browser", "--allow-root", f"--port={self.port}",
                                         "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={TOKEN}"],
                                        cwd=course, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        while True:
            try:
                self.get("status")
                break
            except OSError:
                if time.time() > deadline or self.process.poll() is not None:
                    raise RuntimeError("the Jupyter server with formgrader did not start")
                time.sleep(0.5)

    def request(self, path: str, body: dict | None = None):
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/formgrader/api/{path}",
                                         data=None if body is None else json.dumps(body).encode(),
                                         method="GET" if body is None else "PUT",
                                         headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def get(self, path: str):
        return self.request(path)

    def close(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def rows(path: Path) -> dict:
    return {row["student"]: row for row in csv.DictReader(path.open())}


@pytest.mark.slow
def test_written_answers_are_graded_in_formgrader_beside_the_autograders_points(tmp_path):
    course = tmp_path / "course"
    (course / "source").mkdir(parents=True)
    shutil.copy(REPO / "nbgrader_config.py", course)
    shutil.copytree(REPO / "source" / "02_mdp", course / "source" / "02_mdp")
    incoming = tmp_path / "incoming"
    for student in ("alice", "carol"):  # carol loses 7 points to one bug
        shutil.copytree(REPO / "examples" / "submitted" / student / "02_mdp", incoming / student / "02_mdp")
    graded = tmp_path / "graded"
    assert run_course("grade", incoming, "--out", graded).returncode == 0
    synced = run_course("nbgrader", graded, "--course-dir", course)
    assert synced.returncode == 0, synced.stdout + synced.stderr
    before = rows(graded / "grades.csv")
    assert (before["carol"]["score"], before["carol"]["manual_score"], before["carol"]["total"]) == ("23.0", "", "23.0")

    formgrader = Formgrader(course)
    try:
        [assignment] = formgrader.get("assignments")
        assert (assignment["average_code_score"], assignment["max_written_score"]) == (26.5, 2.0)  # ours, not nbgrader's
        notebook = next(n for n in formgrader.get("submitted_notebooks/02_mdp/02_mdp") if n["student"] == "carol")
        grades = {grade["name"]: grade for grade in formgrader.get(f"grades?submission_id={notebook['id']}")}
        assert grades["check_q_from_v"]["auto_score"] == 0.0 and grades["gamma_policy_change"]["needs_manual_grade"]
        formgrader.request(f"grade/{grades['gamma_policy_change']['id']}", {"manual_score": 1.5})
        comment = next(c for c in formgrader.get(f"comments?submission_id={notebook['id']}")
                       if c["name"] == "gamma_policy_change")
        formgrader.request(f"comment/{comment['id']}", {"manual_comment": "Right idea; say why γ matters here."})
    finally:
        formgrader.close()

    assert run_course("export", graded).returncode == 0
    after = rows(graded / "grades.csv")
    assert (after["carol"]["manual_score"], after["carol"]["total"], after["carol"]["max_total"]) == ("1.5", "24.5", "32.0")
    assert (after["alice"]["manual_score"], after["alice"]["needs_manual_grading"]) == ("", "1")
    canvas = list(csv.reader((graded / "canvas.csv").open()))
    assert canvas[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "02_mdp"]
    assert canvas[1][0].strip() == "Points Possible" and canvas[1][-1] == "32.0"
    assert ["carol", "", "", "carol", "", "24.5"] in canvas
    page = (graded / "analytics.html").read_text()  # the class page shows the same totals, by hand included
    assert re.search(r'data-student="carol" data-total="24.5">.*?23 \+ 1.5\s*= <b>24.5</b>', page, re.S), page[-3000:]
    assert re.search(r'data-student="alice".*?\+ <span class="muted">to grade</span>', page, re.S)

    regrade = run_course("grade", incoming / "carol", "--out", graded, "--regrade")
    assert regrade.returncode == 0
    assert run_course("nbgrader", graded, "--course-dir", course).returncode == 0
    assert rows(graded / "grades.csv")["carol"]["total"] == "24.5"  # the hand grade survived
    from course.nbgradebook import open_gradebook

    with open_gradebook(course) as gradebook:
        kept = gradebook.find_comment("gamma_policy_change", "02_mdp", "02_mdp", "carol")
        assert kept.manual_comment == "Right idea; say why γ matters here."
