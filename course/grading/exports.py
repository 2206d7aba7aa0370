"""Grade exports: nbgrader's own CSV, this run's scores per graded item, and each day's totals from the gradebook."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.coursedir import CourseDirectory
from nbgrader.plugins.export import CsvExportPlugin

from . import workspace
from .converters import quiet_converter
from .submission import Submission


def export_csv(cfg, dest: Path) -> Path:
    """nbgrader's own CSV export (one row per student and assignment)."""
    coursedir = CourseDirectory(config=cfg)
    plugin = CsvExportPlugin(config=cfg)
    plugin.to = str(dest)
    quiet_converter(plugin)
    with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
        plugin.export(gb)
    return dest


def export_items_csv(subs: list[Submission], dest: Path) -> Path:
    """Per-item scores of this run: one row per student, day and item."""
    with dest.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["student", "day", "item", "score", "max_score", "status"])
        for sub in sorted(subs, key=lambda s: (s.day.id, s.student)):
            if sub.status != "graded":
                writer.writerow([sub.student, sub.day.id, "", "", "", f"failed: {sub.error}"])
                continue
            for item, (got, most) in sub.scores.items():
                writer.writerow([sub.student, sub.day.id, item, f"{got:g}", f"{most:g}", "graded"])
    return dest


@dataclass
class DayTotals:
    """One day's score per student in the gradebook, late penalty deducted as nbgrader's CSV export does
    (never below 0); ``max_score`` is None, and ``scores`` empty, for a day never graded."""
    day_id: str
    max_score: float | None = None
    scores: dict[str, float] = field(default_factory=dict)  # student id -> score; absent: no submission graded
    penalties: dict[str, float] = field(default_factory=dict)  # student id -> late penalty, where there was one


def day_totals(cfg, day_id: str) -> DayTotals:
    """``day_id``'s totals in the gradebook of the workspace of ``cfg``."""
    coursedir = CourseDirectory(config=cfg)
    totals = DayTotals(day_id)
    if not workspace.gradebook_path(cfg).exists():  # opening it would create an empty one
        return totals
    with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
        try:
            assignment = gb.find_assignment(day_id)
        except MissingEntry:
            return totals
        totals.max_score = float(assignment.max_score)
        for sub in assignment.submissions:
            penalty = float(sub.late_submission_penalty or 0.0)
            totals.scores[sub.student.id] = max(0.0, float(sub.score) - penalty)
            if penalty:
                totals.penalties[sub.student.id] = penalty
    return totals
