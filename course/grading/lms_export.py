"""Grade-import files for the LMS, from the gradebook: Canvas's gradebook CSV and Moodle's grading worksheet.

Both carry each day's total as nbgrader scores it (late penalty deducted,
course.grading.exports.day_totals); a student without a graded submission, or a
day never graded, gets an empty grade, which both LMSs read as "leave this grade
alone", never a 0.

Canvas (Grades > Import; canvas-lms ``app/models/gradebook_importer.rb``): one
file for all the days given. The header row is ``Student,ID,SIS User ID,SIS Login
ID,Section`` and a column per day. ``Day 1: Convolution layers (12345)`` updates
the Canvas assignment 12345; a title without an id updates the assignment of
exactly that title, or else Canvas creates a new assignment of that name, with
the points of the ``Points Possible`` row. Canvas finds a student by ``ID`` (the
roster's ``lms_user_id``), else by SIS ids (left empty: the roster has none), else
by name (``Student``: "Last, First", Canvas's sortable name).

Moodle: the assignment's grading worksheet (feedback type "Offline grading
worksheet"; Grading action "Upload grading worksheet"; ``mod/assign/feedback/offline``),
one file per day because one worksheet is one assignment. It is chosen over the
gradebook's CSV import because it updates the assignment's own grade (which
then reaches the gradebook) instead of overriding it in the gradebook, and it
matches students by ``Identifier`` = ``Participant N``, the number the
download gave each student (course.grading.lms), not by an email the roster may
spell differently. Moodle reads ``Identifier``, ``Grade``, ``Last modified
(grade)`` and ``Feedback comments``: it skips an empty grade, and changes a row
only if its grade in Moodle is not newer than ``Last modified (grade)``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .. import syllabus
from ..errors import CourseError
from . import lms, roster, workspace
from .exports import DayTotals, day_totals

CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
CANVAS_POINTS_ROW = "    Points Possible"  # as Canvas's own export writes it; the import looks for "Points Possible"
MOODLE_COLUMNS = ("Identifier", "Full name", "Email address", "Status", "Grade", "Maximum grade",
                  "Grade can be changed", "Last modified (submission)", "Last modified (grade)", "Feedback comments")
MOODLE_IDENTIFIER = "Participant {}"
MOODLE_SUBMITTED = "Submitted for grading"
MOODLE_NO_DATE = "-"  # what the worksheet shows for no date; Moodle reads it as the distant past


@dataclass
class Export:
    files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the instructor should know before importing


def export(lms_name: str, day_ids: list[str], workspace_dir: str | Path | None = None, out: str | Path | None = None,
           roster_path: str | Path | None = None, canvas_ids: dict[str, str] | None = None,
           now: datetime | None = None) -> Export:
    """Write ``lms_name``'s grade-import file(s) for ``day_ids`` from the gradebook of the workspace.

    ``out``: the file (Moodle, several days: a path with ``{day}`` in it; default: in the
    workspace); ``canvas_ids``: day -> Canvas assignment id; ``now``: the time the
    Moodle worksheet gives its grades (default: now)."""
    if lms_name not in lms.CONVENTIONS:
        raise CourseError(f"unknown LMS {lms_name!r}: expected {' or '.join(lms.CONVENTIONS)}")
    days = [syllabus.get_day(d) for d in day_ids]
    if not days:
        raise CourseError("name the day(s) to export, e.g. day01")
    if canvas_ids and lms_name != "canvas":
        raise CourseError("Canvas assignment ids are for --lms canvas")
    canvas_ids = {syllabus.get_day(d).id: i for d, i in (canvas_ids or {}).items()}
    root = workspace.prepare(workspace_dir)
    cfg = workspace.load_config(root)
    students = roster.read(roster_path if roster_path is not None else lms.DEFAULT_ROSTER)
    totals = [day_totals(cfg, d.id) for d in days]
    result = Export(notes=_never_graded(totals) + _not_on_roster(totals, students))
    if lms_name == "canvas":
        dest = Path(out) if out is not None else root / "canvas_grades.csv"
        result.notes += canvas_csv(days, totals, students, dest, canvas_ids)
        result.files.append(dest)
        return result
    pattern = str(out) if out is not None else str(root / "moodle_grades_{day}.csv")
    if len(days) > 1 and "{day}" not in pattern:
        raise CourseError(f"{pattern}: Moodle takes one worksheet per assignment, so {len(days)} days make "
                          f"{len(days)} files: put {{day}} in --out (e.g. moodle_{{day}}.csv)")
    recorded = lms.read_participants(root)
    when = (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")
    for day, day_total in zip(days, totals):
        if not recorded.get(day.id):
            raise CourseError(f"{root / lms.PARTICIPANTS_FILE}: no Moodle participant numbers for {day.id}, and "
                              f"Moodle's worksheet matches rows by them: grade {day.id}'s Moodle download first "
                              f"(course grade ZIP --day {day.id})")
        dest = Path(pattern.replace("{day}", day.id))
        result.notes += moodle_worksheet(day_total, students, recorded[day.id], dest, when)
        result.files.append(dest)
    return result


def canvas_column(day: syllabus.Day, assignment_id: str | None = None) -> str:
    """``Day 1: Convolution layers``, with `` (ID)`` when the Canvas assignment's id is known."""
    number = int(re.sub(r"\D", "", day.id))
    title = f"Day {number}: {day.title}"
    return f"{title} ({assignment_id})" if assignment_id else title


def canvas_csv(days: list[syllabus.Day], totals: list[DayTotals], students: list[roster.Student], dest: Path,
               canvas_ids: dict[str, str]) -> list[str]:
    """Write Canvas's gradebook import for ``days``: a row per roster student; return notes."""
    unknown = sorted(set(canvas_ids) - {d.id for d in days})
    if unknown:
        raise CourseError(f"Canvas assignment ids given for {', '.join(unknown)}, which is not being exported")
    bad = {d: i for d, i in canvas_ids.items() if not i.isdigit()}
    if bad:
        raise CourseError("Canvas assignment ids are numbers (in the assignment's address): got "
                          + ", ".join(f"{d}={i}" for d, i in bad.items()))
    dest.parent.mkdir(parents=True, exist_ok=True)
    with dest.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow([*CANVAS_COLUMNS, *(canvas_column(d, canvas_ids.get(d.id)) for d in days)])
        writer.writerow([CANVAS_POINTS_ROW, "", "", "", "", *(_points(t.max_score) for t in totals)])
        for s in sorted(students, key=by_last_name):
            writer.writerow([sortable_name(s), s.lms_user_id, "", "", "",
                             *(_points(t.scores.get(s.id)) for t in totals)])
    without = [s.id for s in students if not s.lms_user_id]
    if not without:
        return []
    return [f"no lms_user_id on the roster for {', '.join(without)}: Canvas will look them up by name"]


def by_last_name(s: roster.Student) -> tuple[str, str, str]:
    return (s.last_name.casefold(), s.first_name.casefold(), s.id)


def sortable_name(s: roster.Student) -> str:
    """Canvas's sortable name: "Last, First"."""
    return ", ".join(p for p in (s.last_name, s.first_name) if p) or s.id


def moodle_worksheet(totals: DayTotals, students: list[roster.Student], participants: dict[str, str], dest: Path,
                     when: str) -> list[str]:
    """Write the grading worksheet of ``totals``' day: a row per roster student with a participant number;
    return notes."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    with dest.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(MOODLE_COLUMNS)
        for s in sorted(students, key=by_last_name):
            if s.id not in participants:
                continue
            score = totals.scores.get(s.id)
            graded = score is not None
            writer.writerow([
                MOODLE_IDENTIFIER.format(participants[s.id]), s.full_name, s.email, MOODLE_SUBMITTED,
                f"{score:.2f}" if graded else "",
                f"{totals.max_score:.2f}" if totals.max_score is not None else "",
                "Yes", MOODLE_NO_DATE,
                # no date on an empty grade: Moodle then leaves the row's feedback alone too
                when if graded else MOODLE_NO_DATE,
                _feedback(totals, s.id) if graded else "",
            ])
    notes = []
    missing = [s.id for s in students if s.id not in participants]
    if missing:
        notes.append(f"{totals.day_id}: not in its Moodle download, so no row (Moodle matches rows by participant "
                     f"number): {', '.join(missing)}")
    gone = sorted(set(participants) - {s.id for s in students})
    if gone:
        notes.append(f"{totals.day_id}: participants no longer on the roster, left out: {', '.join(gone)}")
    return notes


def _feedback(totals: DayTotals, student: str) -> str:
    text = f"Autograded: {_points(totals.scores[student])} of {_points(totals.max_score)} points"
    if student in totals.penalties:
        text += f" (late penalty: {_points(totals.penalties[student])})"
    return text


def _points(x: float | None) -> str:
    """Points as the LMS shows them: at most 2 decimals, no trailing zeros; empty for none."""
    return "" if x is None else f"{x:.2f}".rstrip("0").rstrip(".")


def _never_graded(totals: list[DayTotals]) -> list[str]:
    never = [t.day_id for t in totals if t.max_score is None]
    return [f"never graded, so its grades are empty: {', '.join(never)}"] if never else []


def _not_on_roster(totals: list[DayTotals], students: list[roster.Student]) -> list[str]:
    known = {s.id for s in students}
    extra = sorted({sid for t in totals for sid in t.scores} - known)
    return [f"graded but not on the roster, so not exported: {', '.join(extra)}"] if extra else []
