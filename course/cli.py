"""The ``course`` command: a thin layer over the library API."""

from __future__ import annotations

import argparse
import sys

from .errors import CourseError


def _build(args) -> int:
    from .grading import release

    for path in release.build(args.day):
        print(f"released {path}")
    return 0


def _grade(args) -> int:
    from .grading import autograde, report

    progress = sys.stderr.isatty() if args.progress is None else args.progress
    result = autograde.grade(args.submissions, day_id=args.day, workspace_dir=args.workspace, workers=args.workers,
                             progress=progress)
    print(report.grading_table(result))
    return 1 if result.failed else 0


def _check(args) -> int:
    from .check_report import format_report
    from .selfcheck import run_checks

    result = run_checks(args.notebook, timeout=args.timeout)
    print(format_report(result))
    return 0 if result.ok else 1


def _colab(args) -> int:
    from . import colab, syllabus

    stale = colab.sync(check=args.check)
    for path in stale:
        shown = path.relative_to(syllabus.REPO_ROOT) if path.is_relative_to(syllabus.REPO_ROOT) else path
        print(f"{'out of date' if args.check else 'updated'}: {shown}")
    if not stale:
        print(f"Colab cells up to date in all {len(colab.notebooks())} notebooks")
    elif args.check:
        print("run `course colab`, then `course build` to update exercises/", file=sys.stderr)
        return 1
    else:
        print("run `course build` to update exercises/")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="course", description="Build, grade and self-check the CNN course's exercises.")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="generate the student release (exercises/) from solutions/ with nbgrader")
    b.add_argument("day", nargs="?", help="day01, 1, ... (default: every day)")
    b.set_defaults(run=_build)

    g = sub.add_parser("grade", help="autograde STUDENT/DAY/*.ipynb with nbgrader; feedback, CSV and a score table")
    g.add_argument("submissions", help="folder with one sub-folder per student")
    g.add_argument("--day", help="grade only this day (default: every day found)")
    g.add_argument("--workspace", help="nbgrader course folder to grade in (default: autograder/)")
    g.add_argument("--workers", type=int, help="submissions run at once (default: one per CPU core)")
    g.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="progress bar with each submission's outcome (default: on a terminal)")
    g.set_defaults(run=_grade)

    c = sub.add_parser("check", help="run a notebook's visible tests and print a table per graded item")
    c.add_argument("notebook", help="the exercise notebook, e.g. exercises/day01/day01.ipynb")
    c.add_argument("--timeout", type=int, default=600, help="seconds one cell may run (default: 600)")
    c.set_defaults(run=_check)

    o = sub.add_parser("colab", help="put the Open-in-Colab badge and the bootstrap cell at the top of every notebook")
    o.add_argument("--check", action="store_true", help="change nothing; exit 1 naming the notebooks out of date")
    o.set_defaults(run=_colab)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except CourseError as exc:
        print(f"course {args.command}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
