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
                             progress=progress, lms=args.lms, roster=args.roster, final=args.final)
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


def _release(args) -> int:
    from .grading import exchange

    where = exchange.release_assignment(args.day, due=args.due, workspace_dir=args.workspace)
    print(f"released {args.day} to the exchange: {where}")
    return 0


def _collect(args) -> int:
    from .grading import exchange

    where = exchange.collect(args.day, workspace_dir=args.workspace, student=args.student)
    students = exchange.collected_students(args.day, args.workspace)
    print(f"{len(students)} submission(s) of {args.day} in {where}: {', '.join(students) or 'none yet'}")
    if students:
        print(f"grade them with: course grade {where} --day {args.day}")
    return 0


def _return(args) -> int:
    from .grading import exchange

    final = args.final or exchange.final_feedback(args.day, args.workspace)
    students = exchange.return_feedback(args.day, workspace_dir=args.workspace, student=args.student, final=final)
    print(f"feedback on {args.day} released to {len(students)} student(s): {', '.join(students)}")
    print("it is the final feedback: each quiz answer is shown with why" if final else
          "the quiz feedback says which answers were right, not the answers (they come with the final "
          "feedback: after the due date, or with --final)")
    return 0


def _hub(args) -> int:
    from .hub import launch

    settings = launch.settings(ip=args.ip, port=args.port, roster=args.roster, state=args.state,
                               exchange=args.exchange, grading_service=False if args.no_grading_service else None)
    launch.run(settings, share=args.share_environment)  # replaces this process by JupyterHub
    return 0


def _feedback_service(args) -> int:
    from .hub import service

    service.main()  # runs until the hub (or Kubernetes) stops it
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
    g.add_argument("--final", action="store_true",
                   help="final feedback: show each quiz answer and why (without it the feedback says only which "
                        "answers were right; `course return` decides this from the due date)")
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

    r = sub.add_parser("release", help="put a day's student release in nbgrader's exchange for students to fetch")
    r.add_argument("day", help="day01, 1, ...")
    r.add_argument("--due", help="due date (e.g. '2026-12-12 17:00 UTC'); nbgrader's late-penalty settings apply")
    r.add_argument("--workspace", help="nbgrader course folder (default: autograder/)")
    r.set_defaults(run=_release)

    co = sub.add_parser("collect", help="copy each student's latest submission of a day from the exchange into "
                                        "the workspace's collected/, for `course grade`")
    co.add_argument("day", help="day01, 1, ...")
    co.add_argument("--student", help="only this student")
    co.add_argument("--workspace", help="nbgrader course folder (default: autograder/)")
    co.set_defaults(run=_collect)

    rt = sub.add_parser("return", help="generate the feedback of a graded day and release it to the students")
    rt.add_argument("day", help="day01, 1, ...")
    rt.add_argument("--student", help="only this student")
    rt.add_argument("--final", action="store_true",
                    help="the final feedback: show each quiz answer and why (default: once the due date has passed)")
    rt.add_argument("--workspace", help="nbgrader course folder (default: autograder/)")
    rt.set_defaults(run=_return)

    h = sub.add_parser("hub", help="run JupyterHub for the class (root): accounts from the roster, nbgrader's "
                                   "exchange, the grading service (settings: autograder/jupyterhub_config.py)")
    h.add_argument("--ip", help="address to listen on (default: 127.0.0.1)")
    h.add_argument("--port", type=int, help="port (default: 8000; the hub uses the next two for its own APIs)")
    h.add_argument("--roster", help="the students (default: autograder/roster.csv)")
    h.add_argument("--state", help="the hub's own files (default: .hub/)")
    h.add_argument("--exchange", help="nbgrader's exchange folder (default: /srv/nbgrader/exchange)")
    h.add_argument("--no-grading-service", action="store_true", help="no feedback on arrival")
    h.add_argument("--share-environment", action="store_true",
                   help="let other users pass through (o+x) the folders that hide the course's Python from them")
    h.set_defaults(run=_hub)

    fs = sub.add_parser("feedback-service", help="grade submissions as they arrive in the exchange and release "
                                                 "their feedback (the hub starts it; settings from COURSE_*)")
    fs.set_defaults(run=_feedback_service)

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
