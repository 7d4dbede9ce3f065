"""Command line: ``python -m course`` or ``course``.

  build      regenerate solutions/, release/ (with nbgrader) and the example submissions from source/
  grade      grade submitted notebooks into a folder of results, feedback, videos and grades.csv
  gallery    rebuild the instructor's gallery and analytics pages of a grading folder
  nbgrader   put the scores into nbgrader's gradebook, to grade the written answers in formgrader
  export     rewrite grades.csv (automatic, by hand, total) and canvas.csv
  gradescope-results / gradescope-bundle   export to Gradescope
  check      grade the reference solutions with the hidden checks (exit 0 only at full marks)
  video      render a trained policy of a graded submission or of a notebook to an mp4
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
from pathlib import Path

from course.grading import OutputFolderBusy
from course.nbgradebook import GradebookError
from course.notebooks import ASSIGNMENTS, REPO_DIR, SubmissionError


def _assignments(names: list[str]) -> list[str]:
    unknown = [name for name in names if name not in ASSIGNMENTS]
    if unknown:
        raise SubmissionError(f"unknown assignment {unknown[0]!r}; known: {', '.join(sorted(ASSIGNMENTS))}")
    return names or sorted(ASSIGNMENTS)


def cmd_build(args) -> int:
    """Everything derived from source/, in order: the reference modules (solutions/), the student release
    (release/, with nbgrader) and the example submissions (examples/submitted/, from the release)."""
    from course.examples import build_examples
    from course.release import generate_release, write_solutions

    names = _assignments(args.assignments)
    for path in [*write_solutions(names), *generate_release(names), *build_examples(assignments=names)]:
        print(f"wrote {path}")
    return 0


def cmd_grade(args) -> int:
    from course.grading import grade

    results = grade(args.paths, args.out, args.assignment, regrade=args.regrade, workers=args.workers,
                    broker=args.broker)
    print(f"\ngradebook: {args.out / 'grades.csv'} ({len(results)} submissions)")
    with open(args.out / "not_graded.csv", encoding="utf-8", newline="") as handle:
        not_graded = len(list(csv.reader(handle))) - 1
    if not_graded:
        print(f"not graded: {not_graded} notebooks, listed with the reason in {args.out / 'not_graded.csv'}")
    print(f"feedback:  {args.out}/<student>/<assignment>/feedback.html ({len(results)} pages)")
    videos = sorted(args.out.glob("*/*/video.mp4"))
    print(f"videos:    {len(videos)} under {args.out}/<student>/<assignment>/video.mp4")
    print(f"gallery:   {args.out / 'gallery.html'} (every student, sortable, with videos)")
    print(f"analytics: {args.out / 'analytics.html'} (per check: the share of the class that passed, frequent failures)")
    return 0


def cmd_worker(args) -> int:
    from course.distributed import run_worker

    run_worker(args.broker, args.concurrency, args.name)
    return 0


def _results(out: Path) -> list[dict]:
    """The results `course grade` wrote into OUT (a warning for each that does not verify)."""
    from course.grading import result_key, trusted_results

    results, rejected = trusted_results(out, result_key(out))
    for path in rejected:
        print(f"warning: {path} is left out: `course grade` did not write it into this folder (its signature does "
              "not verify)", file=sys.stderr)
    if not results:
        raise SubmissionError(f"{out}: no graded submissions here (expected OUT/<student>/<assignment>/result.json "
                              "written by `course grade`)")
    return results


def cmd_nbgrader(args) -> int:
    from course.grading import write_canvas, write_gradebook
    from course.nbgradebook import manual_points, sync

    results = _results(args.out)
    sync(args.out, results, args.course_dir)
    by_hand = manual_points(args.out)
    print(f"wrote {write_gradebook(args.out, results, by_hand)} and {write_canvas(args.out, results, by_hand)}")
    print("grade the written answers in formgrader (`jupyter lab` in the course folder, Nbgrader > Formgrader > "
          f"Manual Grading), then `course export {args.out}` for the totals")
    return 0


def cmd_export(args) -> int:
    from course.analytics import write_analytics
    from course.grading import gradebook_rows, write_canvas, write_gradebook
    from course.nbgradebook import manual_points

    results, by_hand = _results(args.out), manual_points(args.out)
    print(f"wrote {write_gradebook(args.out, results, by_hand)} (automatic, by hand, total)")
    print(f"wrote {write_canvas(args.out, results, by_hand)} (Canvas gradebook import)")
    print(f"wrote {write_analytics(args.out, results, gradebook_rows(args.out, results, by_hand))} (with the totals)")
    return 0


def cmd_gallery(args) -> int:
    from course.analytics import write_analytics
    from course.gallery import write_gallery
    from course.grading import gradebook_rows

    results = _results(args.out)
    print(f"wrote {write_gallery(args.out, results)}")
    print(f"wrote {write_analytics(args.out, results, gradebook_rows(args.out, results))}")
    return 0


def _trusted_result(path: Path) -> dict:
    """The result.json at PATH (OUT/<student>/<assignment>/result.json) if `course grade` wrote it into OUT."""
    from course.grading import read_trusted_result, result_key

    result = read_trusted_result(path, result_key(path.parent.parent.parent))
    if result is None:
        raise SubmissionError(f"{path}: not a result written by `course grade` into this folder (its signature does "
                              "not verify); grade the submission again")
    return result


def cmd_check(args) -> int:
    from course.checkserver import CheckServer
    from course.grading import Job, grade_one, locked

    out = args.out or Path(tempfile.mkdtemp(prefix="course-check-"))
    out.mkdir(parents=True, exist_ok=True)
    failures = 0
    with locked(out), CheckServer() as server:
        for name in _assignments(args.assignments):
            assignment = ASSIGNMENTS[name]
            result = grade_one(Job("reference", assignment, assignment.source_notebook), out, server)
            failed = [check for check in result["checks"] if not check["passed"]]
            failures += len(failed)
            timing = result["timing"]
            print(f"{name}: {result['score']:g}/{result['max_score']:g} in {timing['total']:.1f} s (sandbox start-up "
                  f"{timing.get('sandbox_startup', 0):.1f} s, unit checks {timing.get('unit_checks', 0):.1f} s, end-to-end "
                  f"{timing.get('end_to_end', 0):.1f} s, its curve and video included)")
            for check in failed:
                print(f"  FAILED {check['name']}: {check['message']}")
    print(f"results in {out}")
    return 1 if failures else 0


def cmd_video(args) -> int:
    from course.grading import Job, assignment_of, grade_one, render_video

    path = args.path
    if path.is_dir():
        result_path = path / "result.json"
        if not result_path.exists():
            raise SubmissionError(f"{path}: not a graded submission folder (no result.json); give a notebook "
                                  "or OUT/<student>/<assignment> written by `course grade`")
        result = _trusted_result(result_path)
        policy = path / "artifacts" / "policy.pt"
        if not policy.exists():
            raise SubmissionError(f"{path}: this submission's agent did not train, so there is no policy to render")
        info = render_video(ASSIGNMENTS[result["assignment"]], policy, args.out)
    elif path.suffix == ".ipynb":
        if not path.is_file():
            raise SubmissionError(f"{path}: no such file")
        job = Job("notebook", assignment_of(path, args.assignment), path)
        with tempfile.TemporaryDirectory(prefix="course-video-") as scratch:
            grade_one(job, Path(scratch))
            policy = Path(scratch) / job.student / job.assignment.name / "artifacts" / "policy.pt"
            if not policy.exists():
                raise SubmissionError(f"{path}: the notebook's train() did not produce a policy (see its feedback)")
            info = render_video(job.assignment, policy, args.out)
    else:
        raise SubmissionError(f"{path}: expected a notebook (.ipynb) or a graded submission folder")
    print(f"wrote {info['path']}: one greedy episode, return {info['return']:.0f} in {info['steps']} steps")
    return 0


def cmd_gradescope_results(args) -> int:
    from course.gradescope import results_json

    if not args.result.is_file():
        raise SubmissionError(f"{args.result}: no such file; give OUT/<student>/<assignment>/result.json")
    print(json.dumps(results_json(_trusted_result(args.result)), indent=1))
    return 0


def cmd_gradescope_bundle(args) -> int:
    from course.gradescope import write_bundle

    (name,) = _assignments([args.assignment])
    print(f"wrote {write_bundle(ASSIGNMENTS[name], args.out)}: upload it as the assignment's Gradescope autograder")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="course", description="Autograded reinforcement learning course.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="regenerate solutions/, release/ (nbgrader) and examples/submitted/ "
                                              "from source/, in that order")
    build.add_argument("assignments", nargs="*", metavar="ASSIGNMENT")
    build.set_defaults(func=cmd_build)

    grade = commands.add_parser("grade", help="grade notebooks, folders of them, or an nbgrader submitted/ tree")
    grade.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    grade.add_argument("--out", type=Path, required=True, metavar="DIR", help="where results, feedback and grades.csv go")
    grade.add_argument("--assignment", help="assignment of every PATH (default: from folders or notebook metadata)")
    grade.add_argument("--regrade", action="store_true", help="grade again even if a result for the same file exists")
    grade.add_argument("--workers", type=int, help="submissions graded at once (default: the number of CPU cores)")
    grade.add_argument("--broker", metavar="URL", help="queue the submissions on this Redis (redis://HOST:6379/0) for "
                       "`course worker`s on other machines instead of grading here (see course/distributed.py)")
    grade.set_defaults(func=cmd_grade)

    worker = commands.add_parser("worker", help="grade submissions queued by `course grade --broker URL`, one at a time "
                                                "per --concurrency, until stopped")
    worker.add_argument("--broker", required=True, metavar="URL", help="the Redis of the queue: redis://HOST:6379/0")
    worker.add_argument("--concurrency", type=int, default=1, help="submissions graded at once (default 1; at most "
                                                                   "the cores this worker may use)")
    worker.add_argument("--name", help="this worker's name in the logs (default: celery@HOST)")
    worker.set_defaults(func=cmd_worker)

    nbgrader = commands.add_parser("nbgrader", help="put OUT's scores into the course's nbgrader gradebook, for hand "
                                                    "grading the written answers in formgrader")
    nbgrader.add_argument("out", type=Path, metavar="OUT", help="a folder written by `course grade`")
    nbgrader.add_argument("--course-dir", type=Path, default=REPO_DIR, metavar="DIR",
                          help="the nbgrader course folder (default: this repository)")
    nbgrader.set_defaults(func=cmd_nbgrader)

    export = commands.add_parser("export", help="rewrite OUT/grades.csv (automatic, by hand, total) and "
                                                "OUT/canvas.csv from the results and nbgrader's gradebook")
    export.add_argument("out", type=Path, metavar="OUT", help="a folder written by `course grade`")
    export.set_defaults(func=cmd_export)

    gallery = commands.add_parser("gallery", help="rebuild OUT/gallery.html (every student, scores and videos) "
                                               "and OUT/analytics.html (what the class missed)")
    gallery.add_argument("out", type=Path, metavar="OUT", help="a folder written by `course grade`")
    gallery.set_defaults(func=cmd_gallery)

    gs_results = commands.add_parser("gradescope-results", help="print a result.json in Gradescope's results.json format")
    gs_results.add_argument("result", type=Path, help="OUT/<student>/<assignment>/result.json written by `course grade`")
    gs_results.set_defaults(func=cmd_gradescope_results)

    gs_bundle = commands.add_parser("gradescope-bundle", help="build the Gradescope autograder zip of an assignment")
    gs_bundle.add_argument("assignment", metavar="ASSIGNMENT")
    gs_bundle.add_argument("--out", type=Path, required=True, metavar="ZIP")
    gs_bundle.set_defaults(func=cmd_gradescope_bundle)

    check = commands.add_parser("check", help="grade the reference solutions; exit 0 only at full marks")
    check.add_argument("assignments", nargs="*", metavar="ASSIGNMENT")
    check.add_argument("--out", type=Path, help="keep the results here (default: a temporary folder)")
    check.set_defaults(func=cmd_check)

    video = commands.add_parser("video", help="render a trained policy to an mp4")
    video.add_argument("path", type=Path, help="a graded submission folder OUT/<student>/<assignment>, or a notebook to train")
    video.add_argument("--out", type=Path, default=Path("policy.mp4"), help="mp4 to write (default: policy.mp4)")
    video.add_argument("--assignment", help="assignment of the notebook (default: from its metadata)")
    video.set_defaults(func=cmd_video)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (SubmissionError, OutputFolderBusy, GradebookError) as error:
        print(f"course {args.command}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"course {args.command}: interrupted; finished results are kept, run the same command again to resume",
              file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
