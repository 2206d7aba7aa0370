"""Grade exports: nbgrader's own CSV, and this run's scores per graded item."""

from __future__ import annotations

import csv
from pathlib import Path

from nbgrader.api import Gradebook
from nbgrader.coursedir import CourseDirectory
from nbgrader.plugins.export import CsvExportPlugin

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
