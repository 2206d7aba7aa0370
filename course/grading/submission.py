"""One student's submission of one day as it goes through grading, and the report of a grading run."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import syllabus


STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]*$")  # what nbgrader accepts as a student id


@dataclass
class Submission:
    student: str
    day: syllabus.Day
    notebook: Path | None = None
    status: str = "pending"  # "graded" or "failed"
    error: str | None = None
    notes: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)  # what the grader detected: tampering, limits, a dead kernel
    scores: dict[str, tuple[float, float]] = field(default_factory=dict)  # item -> (score, max)
    attempt: str = ""  # "2 of 3" when graded on arrival (course.hub.service)

    def fail(self, reason: str) -> None:
        self.status, self.error = "failed", reason

    @property
    def total(self) -> tuple[float, float]:
        return (sum(s for s, _ in self.scores.values()), sum(m for _, m in self.scores.values()))


@dataclass
class GradingReport:
    workspace: Path
    submissions: list[Submission]
    grades_csv: Path | None = None
    items_csv: Path | None = None
    sandbox: str = ""

    @property
    def failed(self) -> list[Submission]:
        return [s for s in self.submissions if s.status != "graded"]

    def get(self, student: str, day_id: str | None = None) -> Submission:
        """The submission of ``student`` (for ``day_id``; any day when the report holds one only)."""
        found = [s for s in self.submissions if s.student == student and day_id in (None, s.day.id)]
        if len(found) != 1:
            raise KeyError(f"{len(found)} submissions of {student!r}" + (f" for {day_id}" if day_id else "")
                           + ": name the day" * (len(found) > 1))
        return found[0]
