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
                             progress=progress, lms=args.lms, roster=args.roster)
    print(report.grading_table(result))
    return 1 if result.failed else 0


def _export(args) -> int:
    from .grading import lms_export

    canvas_ids = {}
    for given in args.assignment_id or []:
        day, sep, number = given.partition("=")
        if not sep:
            raise CourseError(f"--assignment-id {given}: expected DAY=ID, e.g. day01=12345")
        canvas_ids[day.strip()] = number.strip()
    result = lms_export.export(args.lms, args.days, workspace_dir=args.workspace, out=args.out,
                               roster_path=args.roster, canvas_ids=canvas_ids)
    for path in result.files:
        print(f"wrote {path}")
    for note in result.notes:
        print(f"note: {note}")
    return 0


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

    g = sub.add_parser("grade", help="autograde STUDENT/DAY/*.ipynb or an LMS download with nbgrader; "
                                     "feedback, CSV and a score table")
    g.add_argument("submissions", help="folder with one sub-folder per student, or the .zip of a Canvas or Moodle "
                                       "assignment's submissions (with --day)")
    g.add_argument("--day", help="grade only this day (default: every day found)")
    g.add_argument("--workspace", help="nbgrader course folder to grade in (default: autograder/)")
    g.add_argument("--workers", type=int, help="submissions run at once (default: one per CPU core)")
    g.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="progress bar with each submission's outcome (default: on a terminal)")
    g.add_argument("--lms", choices=["canvas", "moodle"],
                   help="the LMS that made the zip (default: read from its file names)")
    g.add_argument("--roster", help="the class roster that maps LMS students to ids (default: autograder/roster.csv)")
    g.set_defaults(run=_grade)

    e = sub.add_parser("export", help="write the grade-import file of Canvas or Moodle from the gradebook")
    e.add_argument("days", nargs="+", metavar="DAY", help="day01, 1, ...")
    e.add_argument("--lms", required=True, choices=["canvas", "moodle"], help="the LMS that imports the file")
    e.add_argument("--out", help="the file to write (Moodle, several days: a path with {day} in it; "
                                 "default: canvas_grades.csv / moodle_grades_{day}.csv in the workspace)")
    e.add_argument("--roster", help="the class roster (default: autograder/roster.csv)")
    e.add_argument("--workspace", help="nbgrader course folder whose gradebook to read (default: autograder/)")
    e.add_argument("--assignment-id", action="append", metavar="DAY=ID",
                   help="Canvas: the id of the day's Canvas assignment, to update it (repeatable; without it the "
                        "column updates the assignment of the same title, or Canvas creates one)")
    e.set_defaults(run=_export)

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
