"""The grading run's score table for the terminal: per day, a row per student and a column per item."""

from __future__ import annotations

from ..tables import table
from .submission import GradingReport


def _fmt(x: float) -> str:
    return f"{x:g}"


def grading_table(report: GradingReport) -> str:
    """One table per day: a row per student, a column per graded item, then notes."""
    out = [report.sandbox, ""] if report.sandbox else []
    for day_id in sorted({s.day.id for s in report.submissions}):
        subs = sorted((s for s in report.submissions if s.day.id == day_id), key=lambda s: s.student)
        day = subs[0].day
        header = ["student", *day.items, "total", "status"]
        attempts = any(s.attempt for s in subs)
        if attempts:
            header.append("attempt")
        rows = []
        for s in subs:
            if s.status == "graded":
                got, most = s.total
                cells = [f"{_fmt(s.scores[i][0])}/{_fmt(s.scores[i][1])}" if i in s.scores else "-" for i in day.items]
                rows.append([s.student, *cells, f"{_fmt(got)}/{_fmt(most)}", "graded"])
            else:
                rows.append([s.student, *["-"] * len(day.items), "-", "FAILED"])
            if attempts:
                rows[-1].append(s.attempt or "-")
        out.append(f"{day.id}: {day.title}")
        out.append(table(header, rows))
        details = []
        for s in subs:
            if s.status != "graded":
                details.append(f"  {s.student}: FAILED: {s.error}")
            details += [f"  {s.student}: {n}" for n in s.notes]
            details += [f"  {s.student}: FLAG {f}" for f in s.flags]
        if details:
            out.append("notes:")
            out += details
        out.append("")
    if report.grades_csv:
        out.append(f"grades (nbgrader export): {report.grades_csv}")
        out.append(f"grades per item:          {report.items_csv}")
        out.append(f"feedback:                 {report.workspace / 'feedback'}/STUDENT/DAY/*.html")
    if report.failed:
        out.append(f"{len(report.failed)} submission(s) could not be graded: "
                   + ", ".join(f"{s.student}/{s.day.id}" for s in report.failed))
    return "\n".join(out)
