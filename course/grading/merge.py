"""Carry one submission's autograder results from a worker's gradebook into the course gradebook.

nbgrader's SQLite gradebook takes one writer. Grading workers therefore run
nbgrader's whole ``Autograde`` (``SaveAutoGrades`` and ``AssignLatePenalties``
included) on private copies of it; the grading process then writes each
submission's results into the real gradebook through nbgrader's API, exactly
as those two preprocessors wrote them into the copy. ``read`` runs in the
worker; its ``Result`` is plain data that travels to the grading process,
where ``write`` records it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from nbgrader.api import Gradebook


@dataclass
class NotebookResult:
    late_submission_penalty: float | None = None
    grades: dict[str, tuple[float | None, bool]] = field(default_factory=dict)  # name -> (auto_score, needs manual)
    comments: dict[str, str | None] = field(default_factory=dict)  # name -> auto_comment


@dataclass
class Result:
    day_id: str  # the nbgrader assignment
    student: str
    timestamp: datetime | None
    notebooks: dict[str, NotebookResult] = field(default_factory=dict)


def read(db_url: str, day_id: str, student: str) -> Result:
    """What nbgrader recorded for ``student``'s submission of ``day_id`` in the gradebook at ``db_url``."""
    with Gradebook(db_url) as gb:
        sub = gb.find_submission(day_id, student)
        result = Result(day_id, student, sub.timestamp)
        for nb in sub.notebooks:
            result.notebooks[nb.name] = NotebookResult(
                nb.late_submission_penalty,
                {g.name: (g.auto_score, bool(g.needs_manual_grade)) for g in nb.grades},
                {c.name: c.auto_comment for c in nb.comments},
            )
    return result


def write(gb: Gradebook, result: Result) -> None:
    """Record ``result`` in ``gb`` as nbgrader's Autograde does (manual scores already there are kept)."""
    gb.update_or_create_student(result.student)
    extra = {"timestamp": result.timestamp} if result.timestamp else {}
    gb.update_or_create_submission(result.day_id, result.student, **extra)
    for name, got in result.notebooks.items():
        nb = gb.find_submission_notebook(name, result.day_id, result.student)
        for grade in nb.grades:
            if grade.name in got.grades:
                grade.auto_score, grade.needs_manual_grade = got.grades[grade.name]
        for comment in nb.comments:
            if comment.name in got.comments:
                comment.auto_comment = got.comments[comment.name]
        nb.late_submission_penalty = got.late_submission_penalty
    gb.db.commit()
