"""What the class missed: one static page over a grading folder, OUT/analytics.html.

For every assignment and every hidden check: the share of the class that passed it and the most frequent failure
messages (messages that differ only in their numbers count as one), hardest checks first, so that an instructor
sees which concept to teach again; then per student, the points of every assignment: automatic, by hand (from
nbgrader's gradebook, once written answers are graded there) and total. Written next to the gallery (which links to
it) after every grading run and by `course export`.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

import jinja2

from course.files import write_atomic

SHOWN_MESSAGES = 3  # most frequent failure messages per check
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")

TEMPLATE = jinja2.Environment(autoescape=True).from_string("""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>What the class missed</title>
<style>
 body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
 table { border-collapse: collapse; width: 100%; margin-bottom: 2em; }
 th, td { border-bottom: 1px solid #ddd; padding: .35em .6em; vertical-align: top; text-align: left; }
 th { background: #f4f4f4; white-space: nowrap; } td:first-child { width: 28%; } td:last-child { width: 42%; } .num { text-align: right; font-variant-numeric: tabular-nums; }
 .bar { background: #e6e6e6; width: 8em; height: .8em; display: inline-block; vertical-align: middle; }
 .bar span { background: #2e7d32; height: 100%; display: block; } .muted { color: #777; font-size: 12px; }
 ul { margin: 0; padding-left: 1.1em; } code { font-size: 12px; }
</style></head><body>
<h1>What the class missed</h1>
<p class="muted">Per hidden check: the share of the class that passed it and its most frequent failure messages
(messages that differ only in numbers are counted together), hardest first. <a href="./gallery.html">Class gallery</a></p>
{% for a in assignments %}
<h2 id="{{ a.name }}">{{ a.name }} <span class="muted">{{ a.students }} submissions · mean {{ "%.1f"|format(a.mean) }} / {{ "%g"|format(a.max_score) }}</span></h2>
<table class="checks" data-assignment="{{ a.name }}"><thead><tr>
 <th>check</th><th>exercise</th><th class="num">points</th><th>passed</th><th>most frequent failures</th>
</tr></thead><tbody>
{% for c in a.checks %}<tr data-check="{{ c.name }}" data-passed="{{ c.passed }}" data-total="{{ c.total }}">
 <td><code>{{ c.name }}</code><div class="muted">{{ c.description }}</div></td>
 <td><code>{{ c.exercise }}</code></td>
 <td class="num">{{ "%g"|format(c.points) }}</td>
 <td class="num" style="white-space: nowrap">{{ c.passed }} / {{ c.total }} ({{ "%.0f"|format(100 * c.share) }}%)
  <span class="bar"><span style="width: {{ "%.0f"|format(100 * c.share) }}%"></span></span></td>
 <td>{% if c.failures %}<ul>{% for message, count in c.failures %}<li><b>{{ count }}×</b> {{ message }}</li>{% endfor %}</ul>
 {% else %}<span class="muted">none</span>{% endif %}</td>
</tr>{% endfor %}
</tbody></table>
{% endfor %}
<h2 id="students">Students <span class="muted">automatic + by hand = total; "to grade" where written answers await
formgrader</span></h2>
<table class="students"><thead><tr><th>student</th>
{% for name in names %}<th class="num">{{ name }}</th>{% endfor %}<th class="num">total</th></tr></thead><tbody>
{% for s in students %}<tr data-student="{{ s.name }}" data-total="{{ "%g"|format(s.total) }}">
 <td>{{ s.name }}</td>
 {% for row in s.rows %}<td class="num" data-assignment="{{ row.assignment if row else "" }}">{% if row %}
  {{ "%g"|format(row.score) }} + {% if row.manual_score == "" %}<span class="muted">to grade</span>{% else %}{{ "%g"|format(row.manual_score) }}{% endif %}
  = <b>{{ "%g"|format(row.total) }}</b> <span class="muted">/ {{ "%g"|format(row.max_total) }}</span>
 {% else %}<span class="muted">none</span>{% endif %}</td>{% endfor %}
 <td class="num"><b>{{ "%g"|format(s.total) }}</b> <span class="muted">/ {{ "%g"|format(s.max_total) }}</span></td>
</tr>{% endfor %}
</tbody></table>
</body></html>
""")


def summary(message: str) -> str:
    """A failure message without the traceback frames a student error carries (``File "<cell f>", line 3, in f``
    and the code line under it): what went wrong, on one line."""
    kept, skip_code = [], False
    for line in message.splitlines():
        if line.lstrip().startswith('File "'):
            skip_code = True
            continue
        if skip_code and line.startswith(" "):
            skip_code = False
            continue
        skip_code = False
        kept.append(line.strip())
    return " ".join(" ".join(kept).split())[:300]


def message_kind(summary_text: str) -> str:
    """A summary with its numbers blanked: failures that differ only in counts, values or seeds are one kind."""
    return NUMBER.sub("#", summary_text)


def check_statistics(results: list[dict]) -> list[dict]:
    """Per assignment (sorted): its checks, hardest first, each with how many passed and its most frequent failure
    messages [(an example of the kind, count)]. results: the trusted results of a grading folder."""
    by_assignment = defaultdict(list)
    for result in results:
        by_assignment[result["assignment"]].append(result)
    assignments = []
    for name, graded in sorted(by_assignment.items()):
        checks: dict[str, dict] = {}
        for result in graded:
            for check in result["checks"]:
                entry = checks.setdefault(check["name"], {
                    "name": check["name"], "exercise": check.get("exercise", ""),
                    "description": check.get("description", ""), "points": check["max_points"],
                    "passed": 0, "total": 0, "kinds": Counter(), "examples": {}})
                entry["total"] += 1
                if check["passed"]:
                    entry["passed"] += 1
                else:
                    text = summary(check["message"])
                    kind = message_kind(text)
                    entry["kinds"][kind] += 1
                    entry["examples"].setdefault(kind, text)
        for entry in checks.values():
            entry["share"] = entry["passed"] / entry["total"]
            entry["failures"] = [(entry["examples"][kind], count)
                                 for kind, count in entry.pop("kinds").most_common(SHOWN_MESSAGES)]
            del entry["examples"]
        assignments.append({"name": name, "students": len(graded),
                            "mean": sum(r["score"] for r in graded) / len(graded),
                            "max_score": max(r["max_score"] for r in graded),
                            "checks": sorted(checks.values(), key=lambda c: (c["share"], c["name"]))})
    return assignments


def student_totals(rows: list[dict]) -> tuple[list[str], list[dict]]:
    """The assignments (sorted) and, per student (sorted), their gradebook rows in that order (None where a student
    handed nothing in) with the sums of total and max_total. rows: course.grading.gradebook_rows."""
    names = sorted({row["assignment"] for row in rows})
    possible = {row["assignment"]: row["max_total"] for row in rows}
    students = []
    for student in sorted({row["student"] for row in rows}):
        mine = {row["assignment"]: row for row in rows if row["student"] == student}
        students.append({"name": student, "rows": [mine.get(name) for name in names],
                         "total": sum(row["total"] for row in mine.values()), "max_total": sum(possible.values())})
    return names, students


def write_analytics(out: Path, results: list[dict], rows: list[dict]) -> Path:
    """OUT/analytics.html from the results of OUT/<student>/<assignment>/ (course.grading.trusted_results) and their
    gradebook rows (course.grading.gradebook_rows: automatic, by hand, total)."""
    names, students = student_totals(rows)
    page = TEMPLATE.render(assignments=check_statistics(results), names=names, students=students)
    return write_atomic(out / "analytics.html", page)
