"""What the class missed: one static page over a grading folder, OUT/analytics.html.

For every assignment and every hidden check: the share of the class that passed it and the most frequent failure
messages (messages that differ only in their numbers count as one), hardest checks first, so that an instructor
sees which concept to teach again. Written next to the gallery (which links to it) after every grading run.
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


def write_analytics(out: Path, results: list[dict]) -> Path:
    """OUT/analytics.html from the results of OUT/<student>/<assignment>/ (course.grading.trusted_results)."""
    return write_atomic(out / "analytics.html", TEMPLATE.render(assignments=check_statistics(results)))
