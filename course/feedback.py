"""The student's feedback page and training curve.

The page shows what the result holds: the score, one row per check with its
message, the written answers waiting for manual grading, cells that failed to
load, the training curve and the video. Check messages are written by the
hidden checks for students; hidden check code and reference values never reach
a result, so they cannot reach this page.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import jinja2

from course.files import write_atomic


def relative_link(*segments: str) -> str:
    """A link to a file below the page: each segment URL-encoded, and ./ first, so that no name
    can make it a scheme (javascript:...), an absolute path or another folder."""
    for segment in segments:
        if segment in ("", ".", ".."):  # browsers resolve these (and %2E%2E) however they are encoded
            raise ValueError(f"{segment!r} cannot be a segment of a link to a file below the page")
    return "./" + "/".join(quote(segment, safe="") for segment in segments)


ENVIRONMENT = jinja2.Environment(autoescape=True)
ENVIRONMENT.filters["link"] = relative_link
TEMPLATE = ENVIRONMENT.from_string("""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{{ r.student }} · {{ r.assignment }} · feedback</title>
<style>
 body { font: 15px/1.45 system-ui, sans-serif; max-width: 980px; margin: 2em auto; padding: 0 1em; color: #222; }
 h1 { margin-bottom: .2em; } .score { font-size: 1.4em; margin: .3em 0 1em; }
 table { border-collapse: collapse; width: 100%; } th, td { border-bottom: 1px solid #ddd; padding: .4em .5em; text-align: left; vertical-align: top; }
 th { background: #f4f4f4; } .pass { color: #1a7f37; font-weight: 600; } .fail { color: #cf222e; font-weight: 600; }
 .manual { color: #9a6700; font-weight: 600; } pre { white-space: pre-wrap; background: #f6f8fa; padding: .5em; margin: .3em 0 0; font-size: 13px; }
 .muted { color: #666; font-size: 13px; } video, img { max-width: 100%; }
</style></head><body>
<h1>{{ r.title }} ({{ r.assignment }})</h1>
<div class="muted">student <b>{{ r.student }}</b> · graded {{ r.graded_at }} · {{ "%.1f"|format(r.timing.total) }} s</div>
<div class="score">Automatic score: <b>{{ "%g"|format(r.score) }} / {{ "%g"|format(r.max_score) }}</b>
{% if r.manual %} · plus up to {{ "%g"|format(r.manual_max_score) }} points graded by hand{% endif %}</div>
{% if r.also_found and r.notebook %}<p>Also in your submission and <b>not graded</b>: {{ r.also_found|join(", ") }}.
Only {{ r.assignment }}.ipynb was graded; submit only that file.</p>{% endif %}

<h2>Checks</h2>
<table><tr><th>exercise</th><th>check</th><th>points</th><th>result</th></tr>
{% for c in r.checks %}<tr>
 <td><code>{{ c.exercise }}</code></td>
 <td>{{ c.description or c.name }}{% if c.message %}<pre>{{ c.message }}</pre>{% endif %}</td>
 <td>{{ "%g"|format(c.points) }} / {{ "%g"|format(c.max_points) }}</td>
 <td class="{{ 'pass' if c.passed else 'fail' }}">{{ "passed" if c.passed else "failed" }}</td>
</tr>{% endfor %}
{% for m in r.manual %}<tr>
 <td><code>{{ m.name }}</code></td><td>Written answer{% if m.text.strip() %}<pre>{{ m.text }}</pre>{% else %} (no answer found){% endif %}</td>
 <td>? / {{ "%g"|format(m.max_points) }}</td><td class="manual">needs manual grading</td>
</tr>{% endfor %}
</table>

{% if r.cell_errors or r.missing_cells %}<h2>Cells that did not load</h2>
<p class="muted">The grader runs your exercise cells on their own. These failed, so the checks of their functions failed too.</p>
<ul>{% for name in r.missing_cells %}<li><code>{{ name }}</code>: missing from the notebook (deleted, or its metadata changed)</li>{% endfor %}
{% for name, error in r.cell_errors.items() %}<li><code>{{ name }}</code><pre>{{ error }}</pre></li>{% endfor %}</ul>{% endif %}

{% if r.curve or r.video or r.curve_error %}<h2>Your agent</h2>
{% if r.greedy_return is defined and r.greedy_return is not none %}<p>Greedy mean return of your trained agent, evaluated by the grader: <b>{{ "%.1f"|format(r.greedy_return) }}</b>.</p>{% endif %}
{% if r.curve %}<img src="{{ r.curve|link }}" alt="training curve">{% endif %}
{% if r.curve_error %}<p class="muted">{{ r.curve_error }}</p>{% endif %}
{% if r.video %}<p><video src="{{ r.video|link }}" controls loop muted width="480"></video></p>{% endif %}{% endif %}

{% if r.output_tail %}<h2>What your code printed (last lines)</h2><pre>{{ r.output_tail }}</pre>{% endif %}
</body></html>
""")


def write(result: dict, path: Path) -> None:
    """The feedback page of RESULT, written atomically (text the student wrote that is not valid
    Unicode, such as a lone surrogate, is written as an escape instead of failing)."""
    write_atomic(path, TEMPLATE.render(r=result))


def plot_training(curve: dict, path: Path) -> None:
    """The training curve of a student's run, drawn like the notebook's live curve.

    The run's lists are drawn as far as they make sense: entries that are not numbers are
    dropped, and evaluation steps and returns are paired up to the shorter list."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from coursekit import LiveCurve

    drawing = LiveCurve(str(curve.get("title") or f"Your train() on seed {curve.get('seed')}"), enabled=False,
                        eval_axis=str(curve.get("eval_axis") or "environment step"))
    drawing.episode_returns = _numbers(curve.get("episode_returns"))
    steps, returns = _numbers(curve.get("eval_steps")), _numbers(curve.get("eval_returns"))
    drawing.eval_steps, drawing.eval_returns = steps[:len(returns)], returns[:len(steps)]
    fig = drawing.figure()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def _numbers(values) -> list[float]:
    return [float(value) for value in values if type(value) in (int, float)] if isinstance(values, list) else []
