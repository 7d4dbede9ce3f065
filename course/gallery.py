"""The instructor's gallery: one static page over a grading folder.

OUT/gallery.html lists every student with their total automatic score, a column per
assignment (score, link to the feedback page) and the videos of their trained agents.
Clicking a column header sorts the table. The page only links files that sit beside it
(relative links, every path segment URL-encoded), so the whole folder can be zipped or
served as it is.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import jinja2

from course.feedback import relative_link
from course.files import write_atomic

TEMPLATE = jinja2.Environment(autoescape=True).from_string("""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Class gallery</title>
<style>
 body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
 table { border-collapse: collapse; } th, td { border-bottom: 1px solid #ddd; padding: .35em .6em; vertical-align: top; text-align: left; }
 th { background: #f4f4f4; cursor: pointer; user-select: none; white-space: nowrap; } th:hover { background: #e8e8e8; }
 th[aria-sort=ascending]::after { content: " ▲"; } th[aria-sort=descending]::after { content: " ▼"; }
 .num { text-align: right; font-variant-numeric: tabular-nums; } .muted { color: #777; font-size: 12px; }
 video { width: 240px; display: block; margin-top: .3em; }
</style></head><body>
<h1>Class gallery</h1>
<p class="muted">{{ students|length }} students · {{ assignments|length }} assignments · automatic scores only
(written answers are graded by hand) · click a column to sort ·
<a href="./analytics.html">what the class missed</a> (per check)</p>
<table id="gallery"><thead><tr>
 <th data-type="text">student</th><th data-type="num">total</th>
 {% for a in assignments %}<th data-type="num">{{ a }}</th>{% endfor %}
</tr></thead><tbody>
{% for s in students %}<tr>
 <td data-value="{{ s.name }}">{{ s.name }}</td>
 <td class="num" data-value="{{ s.total }}">{{ "%g"|format(s.total) }} / {{ "%g"|format(s.max_total) }}</td>
 {% for a in assignments %}{% set r = s.results.get(a) %}
 <td data-value="{{ r.score if r else -1 }}">{% if r %}
  <a href="{{ r.feedback }}">{{ "%g"|format(r.score) }} / {{ "%g"|format(r.max_score) }}</a>
  {% if r.manual %}<div class="muted">+ up to {{ "%g"|format(r.manual) }} graded by hand</div>{% endif %}
  {% if r.video %}<video src="{{ r.video }}" controls loop muted preload="metadata"></video>{% endif %}
 {% else %}<span class="muted">not submitted</span>{% endif %}</td>
 {% endfor %}
</tr>{% endfor %}
</tbody></table>
<script>
document.querySelectorAll("#gallery th").forEach((header, column) => header.addEventListener("click", () => {
  const body = document.querySelector("#gallery tbody");
  const ascending = header.getAttribute("aria-sort") !== "ascending";
  document.querySelectorAll("#gallery th").forEach(h => h.removeAttribute("aria-sort"));
  header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  const key = row => row.children[column].dataset.value;
  const numeric = header.dataset.type === "num";
  [...body.rows].sort((a, b) => {
    const order = numeric ? parseFloat(key(a)) - parseFloat(key(b)) : key(a).localeCompare(key(b));
    return ascending ? order : -order;
  }).forEach(row => body.appendChild(row));
}));
</script>
</body></html>
""")


def write_gallery(out: Path, results: list[dict]) -> Path:
    """OUT/gallery.html from the results of OUT/<student>/<assignment>/ (course.grading.trusted_results)."""
    by_student = defaultdict(dict)
    for result in results:
        by_student[result["student"]][result["assignment"]] = {
            "score": result["score"], "max_score": result["max_score"], "manual": result["manual_max_score"],
            "feedback": relative_link(result["student"], result["assignment"], "feedback.html"),
            "video": relative_link(result["student"], result["assignment"], "video.mp4") if result.get("video") else None,
        }
    assignments = sorted({name for per_student in by_student.values() for name in per_student})
    students = [{"name": name, "results": per_student,
                 "total": sum(r["score"] for r in per_student.values()),
                 "max_total": sum(r["max_score"] for r in per_student.values())}
                for name, per_student in sorted(by_student.items())]
    return write_atomic(out / "gallery.html", TEMPLATE.render(students=students, assignments=assignments))
