"""Intake: find the submitted notebooks, check each one before nbgrader sees it, copy the good ones in.

A submission folder is laid out as nbgrader's ``submitted/`` is
(``STUDENT/day01/day01.ipynb``). Every problem becomes a failed
:class:`Submission` with its reason (the others are graded all the same), and
what the student left unanswered or changed is noted. Each day's release is
read once (:func:`released_cells`), however many submissions it checks.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import nbformat

from .. import syllabus
from ..errors import CourseError
from ..notebooks import cells_by_grade_id, grade_id, is_answer_cell, is_test_cell, nbgrader_meta, read_notebook
from .submission import STUDENT_ID, Submission



def released_cells(day: syllabus.Day) -> dict | None:
    """The cells of ``day``'s student release by grade id (None where it has not been built);
    read again only when the file changes."""
    path = day.exercise_path
    if not path.exists():
        return None
    return _cells_of(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=16)
def _cells_of(path: Path, _mtime_ns: int) -> dict:
    return cells_by_grade_id(read_notebook(path))


def collect(submissions_dir: str | Path, day_id: str | None = None) -> list[Submission]:
    """Find ``STUDENT/DAY/*.ipynb`` under ``submissions_dir`` (``day_id``'s only, if given); check each notebook."""
    top = Path(submissions_dir)
    if not top.exists():
        raise CourseError(f"{top}: no such folder")
    if not top.is_dir():
        raise CourseError(f"{top}: not a folder (expected STUDENT/DAY/NOTEBOOK.ipynb inside it)")
    only = syllabus.get_day(day_id) if day_id is not None else None
    students = sorted(p for p in top.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not students:
        raise CourseError(f"{top}: no student folders (expected {top}/STUDENT/day01/day01.ipynb)")
    subs: list[Submission] = []
    for sdir in students:
        day_dirs = {}
        for ddir in sorted(p for p in sdir.iterdir() if p.is_dir() and not p.name.startswith(".")):
            try:
                d = syllabus.get_day(ddir.name)
            except CourseError:
                if only is None:
                    sub = Submission(sdir.name, syllabus.days()[0])
                    sub.fail(f"{ddir}: folder is not a course day (expected names like day01)")
                    subs.append(sub)
                continue
            if only is None or d == only:
                day_dirs[d.id] = (d, ddir)
        if only is not None and only.id not in day_dirs:
            sub = Submission(sdir.name, only)
            sub.fail(f"{sdir}: no {only.id}/ folder, so no submission for {only.id}")
            subs.append(sub)
        for d, ddir in day_dirs.values():
            subs.append(check_submission(Submission(sdir.name, d), ddir))
    return subs


def check_submission(sub: Submission, ddir: Path) -> Submission:
    """Find and read the notebook in ``ddir``; fail ``sub`` with the reason, or note what nbgrader will undo."""
    if not STUDENT_ID.match(sub.student):
        sub.fail(f"student folder name {sub.student!r} is not a valid id (letters, digits, _ . @ -)")
        return sub
    expected = ddir / sub.day.notebook
    candidates = sorted(ddir.glob("*.ipynb"))
    if expected.exists():
        path = expected
    elif len(candidates) == 1:
        path = candidates[0]
        sub.notes.append(f"graded {path.name} as {sub.day.notebook}")
    elif not candidates:
        sub.fail(f"{ddir}: no notebook (expected {sub.day.notebook})")
        return sub
    else:
        sub.fail(f"{ddir}: {len(candidates)} notebooks and none named {sub.day.notebook}")
        return sub
    try:
        nb = read_notebook(path)
    except CourseError as exc:
        sub.fail(str(exc))
        return sub
    other = other_days_exercise(nb, sub.day)
    if other is not None:
        sub.fail(f"{path}: this is the {other.id} exercise ({other.title}), not {sub.day.id}'s: "
                 f"hand it in as {sub.student}/{other.id}/{other.notebook}")
        return sub
    sub.notebook = path
    released = released_cells(sub.day)
    if released is not None:
        sub.notes.extend(submission_notes(nb, released))
    return sub


def other_days_exercise(nb, day: syllabus.Day) -> syllabus.Day | None:
    """The other course day whose exercise ``nb`` is, when it answers none of ``day``'s items but
    another day's (a notebook handed in under the wrong day); None otherwise."""
    answered = {grade_id(c) for c in nb.cells if is_answer_cell(c)}
    if answered & set(day.items):
        return None
    found = [d for d in syllabus.days() if d != day and answered & set(d.items)]
    return found[0] if len(found) == 1 else None


def submission_notes(nb, released: dict) -> list[str]:
    """What the student left unanswered or changed that nbgrader will undo (``released``: the release's cells by grade id)."""
    submitted = cells_by_grade_id(nb)
    notes, unanswered = [], []
    for gid, cell in released.items():
        meta = nbgrader_meta(cell)
        if gid not in submitted:
            if is_test_cell(cell):
                notes.append(f"test cell {gid} was deleted; the original was restored")
            elif meta.get("solution"):
                notes.append(f"answer cell {gid} was deleted")
        elif meta.get("solution") and not meta.get("grade"):
            if submitted[gid].source.strip() == cell.source.strip():
                unanswered.append(gid)
        elif meta.get("locked") and submitted[gid].source.strip() != cell.source.strip():
            notes.append(f"locked cell {gid} was edited; the original was used")
    if unanswered:
        notes.insert(0, "not answered: " + ", ".join(unanswered))
    return notes


def copy_submission(sub: Submission, dest: Path) -> None:
    """Copy the notebook for nbgrader. A cell that claims to be graded but is not part of the
    assignment becomes an ordinary cell, and the report says so."""
    released = released_cells(sub.day)
    nb = read_notebook(sub.notebook)
    seen: set[str] = set()
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader")
        if not meta or released is None:
            continue
        gid = meta.get("grade_id")
        claims = any(meta.get(key) for key in ("grade", "solution", "locked", "task"))
        if gid in released and gid not in seen and claims:
            seen.add(gid)
            continue
        if gid in seen:
            sub.notes.append(f"a second copy of cell {gid} was graded as an ordinary cell")
        elif claims:
            what = f"cell {gid!r}" if gid else "a cell without a grade id"
            sub.flags.append(f"tampering: {what} claims to be graded but is not part of the assignment "
                             f"({meta.get('points', 0)} points claimed); graded as an ordinary cell")
        del cell.metadata["nbgrader"]
    dest.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(dest))
