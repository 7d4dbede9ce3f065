"""Every output escapes for its medium: HTML pages (text escaped, links URL-encoded and relative),
CSV files (no cell a spreadsheet reads as a formula). The writers get hostile values directly,
since the student-name rule keeps them out of a real grading run; that rule is proven end to end."""
import csv
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import pytest

from conftest import REPO, run_course
from course import feedback, grading
from course.analytics import write_analytics
from course.gallery import write_gallery

HOSTILE = ["javascript:alert(document.title)//", "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>",
           "=cmd|' /C calc'!A0", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "a/../../b", "%2e%2e"]


class Page(HTMLParser):
    """The tags and link targets of an HTML page."""

    def __init__(self, text: str):
        super().__init__()
        self.tags, self.links = [], []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.links += [value for name, value in attrs if name in ("href", "src")]


def hostile_result(student: str) -> dict:
    check = {"name": "x", "exercise": "<b>ex</b>", "description": "<i>d</i>", "points": 0.0, "max_points": 1.0,
             "passed": False, "message": "</pre><script>alert(2)</script>", "end_to_end": False, "seconds": 0.0}
    return {"student": student, "assignment": "02_mdp", "title": "<script>t</script>", "score": 0.0, "max_score": 1.0,
            "manual_max_score": 2.0, "checks": [check], "graded_at": "=now()", "note": "=HYPERLINK(\"http://x\")",
            "manual": [{"name": "<a>", "max_points": 2.0, "text": "<script>alert(3)</script>\ud800",
                        "status": "needs manual grading"}],
            "cell_errors": {"<c>": "<script>alert(4)</script>"}, "missing_cells": ["<script>"],
            "timing": {"total": 1.0}, "output_tail": "<script>alert(5)</script>", "notebook": "x.ipynb",
            "also_found": ["<img src=y onerror=alert(6)>.ipynb"],
            "curve": "javascript:alert(8)", "video": "//evil.example/v.mp4"}


def assert_safe_page(text: str, allowed_tags: set[str]) -> Page:
    page = Page(text)
    assert set(page.tags) <= allowed_tags, set(page.tags) - allowed_tags
    for link in page.links:
        assert link.startswith("./") and not urlsplit(link).scheme and not urlsplit(link).netloc, link
        assert ".." not in link.split("/") and "%2E%2E" not in link.upper().split("/"), link
    return page


FEEDBACK_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "div", "b", "p", "table", "tr", "th", "td",
                 "code", "pre", "ul", "li", "img", "video"}


@pytest.mark.parametrize("student", HOSTILE)
def test_feedback_page_escapes_everything_a_student_wrote(tmp_path, student):
    feedback.write(hostile_result(student), tmp_path / "feedback.html")
    text = (tmp_path / "feedback.html").read_text()
    page = assert_safe_page(text, FEEDBACK_TAGS)
    assert sorted(page.links) == ["./%2F%2Fevil.example%2Fv.mp4", "./javascript%3Aalert%288%29"]
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in text and "\\ud800" in text


def test_gallery_links_encode_each_name_and_stay_below_the_page(tmp_path):
    results = [{**hostile_result(student), "video": "video.mp4"} for student in HOSTILE]
    text = write_gallery(tmp_path, results).read_text()
    page = assert_safe_page(text, {"html", "head", "meta", "title", "style", "body", "h1", "p", "table", "thead",
                                   "tbody", "tr", "th", "td", "a", "div", "video", "span", "script"})
    assert page.tags.count("script") == 1  # the page's own sorting script, nothing else
    for student in HOSTILE:  # one path segment per name: unquoting the link gives the student's folder back
        assert f"./{student}/02_mdp/feedback.html" in {unquote(link) for link in page.links}
        assert f"./{student}/02_mdp/video.mp4" in {unquote(link) for link in page.links}
    with pytest.raises(ValueError, match="cannot be a segment of a link"):
        write_gallery(tmp_path, [hostile_result("..")])


def test_analytics_page_escapes_the_failure_messages_students_caused(tmp_path):
    results = [hostile_result(student) for student in HOSTILE]
    text = write_analytics(tmp_path, results, grading.gradebook_rows(tmp_path, results, by_hand={})).read_text()
    page = assert_safe_page(text, {"html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "a", "span",
                                   "table", "thead", "tbody", "tr", "th", "td", "code", "div", "ul", "li", "b"})
    assert page.links == ["./gallery.html"]
    assert "&lt;/pre&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in text and "&lt;b&gt;ex&lt;/b&gt;" in text


def test_no_csv_cell_starts_like_a_formula(tmp_path):
    grading.write_gradebook(tmp_path, [hostile_result(student) for student in HOSTILE])
    grading.write_canvas(tmp_path, [hostile_result(student) for student in HOSTILE])
    grading.write_not_graded(tmp_path, [grading.NotGraded(tmp_path / "x.ipynb", "=1+1"),
                                        grading.NotGraded("=HYPERLINK(\"x\").ipynb", "-2")])
    for name in ("grades.csv", "not_graded.csv", "canvas.csv"):
        rows = list(csv.reader((tmp_path / name).open(newline="")))
        for row in rows[1:]:
            for cell in row:
                assert not cell.startswith(grading.FORMULA_START), f"{name}: {cell!r}"
    students = [row[0] for row in csv.reader((tmp_path / "grades.csv").open(newline=""))][1:]
    assert sorted(students) == sorted("'" + name if name.startswith(grading.FORMULA_START) else name for name in HOSTILE)
    assert [row[2] for row in csv.reader((tmp_path / "grades.csv").open(newline=""))][1:] == ["0.0"] * len(HOSTILE)


@pytest.mark.parametrize("name", ["...ipynb", "javascript:alert(document.title)%2F%2F.ipynb", "=cmd.ipynb", "-x.ipynb"])
def test_a_notebook_with_an_unsafe_name_is_refused_before_anything_is_written(tmp_path, name):
    notebook = tmp_path / name
    notebook.write_bytes((REPO / "examples/submitted/erin/02_mdp/02_mdp.ipynb").read_bytes())
    run = run_course("grade", notebook, "--out", tmp_path / "out")
    assert run.returncode == 2 and len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert "is not allowed as a student name (allowed: 1 to 100 letters, digits and _ . @ + -" in run.stderr
    assert not (tmp_path / "out").exists() and sorted(p.name for p in tmp_path.iterdir()) == [name]

