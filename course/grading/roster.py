"""The class roster: who the students are, read from a CSV in nbgrader's own student format.

``autograder/roster.csv`` has the columns ``nbgrader db student import`` reads:
``id,first_name,last_name,email,lms_user_id``. ``id`` is the student id everywhere in
the course (the Unix account on the hub, the folder under ``submitted/``, the
gradebook); ``lms_user_id`` is the student's user id in the LMS (Canvas's numeric
``ID``), used to read LMS downloads and to write the LMS's grade-import file.
"""

from __future__ import annotations

import csv
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import CourseError
from .submission import STUDENT_ID

COLUMNS = ("id", "first_name", "last_name", "email", "lms_user_id")
# Unix account names are stricter than nbgrader ids: lower case, start with a letter.
ACCOUNT_NAME_RULE = "lower-case letters, digits, _ and -, starting with a letter, at most 32 characters"


@dataclass(frozen=True)
class Student:
    id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    lms_user_id: str = ""

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p)


def is_account_name(name: str) -> bool:
    return re.fullmatch(r"[a-z][a-z0-9_-]{0,31}", name) is not None


def read(path: str | Path) -> list[Student]:
    """The students of ``path``; a CourseError names the file, the line and what is wrong."""
    path = Path(path)
    if not path.is_file():
        raise CourseError(f"{path}: no roster file (a CSV with columns {','.join(COLUMNS)})")
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        header = [h.strip() for h in (reader.fieldnames or [])]
        if "id" not in header:
            raise CourseError(f"{path}: the first line must name the columns, with at least 'id' "
                              f"(expected {','.join(COLUMNS)}; found {','.join(header) or 'nothing'})")
        unknown = [h for h in header if h not in COLUMNS]
        if unknown:
            raise CourseError(f"{path}: unknown column(s) {', '.join(unknown)} (known: {','.join(COLUMNS)})")
        students: list[Student] = []
        seen: dict[str, int] = {}
        lms_seen: dict[str, int] = {}
        for line, row in enumerate(reader, start=2):
            values = {k.strip(): (v or "").strip() for k, v in row.items() if k is not None}
            sid = values.get("id", "")
            if not sid:
                raise CourseError(f"{path}, line {line}: no student id")
            if not STUDENT_ID.match(sid):
                raise CourseError(f"{path}, line {line}: {sid!r} is not a valid student id (letters, digits, _ . @ -)")
            if sid in seen:
                raise CourseError(f"{path}, line {line}: student {sid!r} is already on line {seen[sid]}")
            seen[sid] = line
            lms = values.get("lms_user_id", "")
            if lms:
                if lms in lms_seen:
                    raise CourseError(f"{path}, line {line}: lms_user_id {lms} is already on line {lms_seen[lms]}")
                lms_seen[lms] = line
            students.append(Student(**{k: values.get(k, "") for k in COLUMNS}))
    if not students:
        raise CourseError(f"{path}: the roster has no students")
    return students


def default_path() -> Path:
    """The class's roster: COURSE_ROSTER (set by the course hub) or autograder/roster.csv."""
    return Path(os.environ.get("COURSE_ROSTER") or Path(__file__).resolve().parents[2] / "autograder" / "roster.csv")


def add_to_gradebook(gb, students: list[Student]) -> None:
    """Record the students' names, emails and LMS ids in an nbgrader gradebook (the formgrader shows them)."""
    for s in students:
        gb.update_or_create_student(s.id, first_name=s.first_name or None, last_name=s.last_name or None,
                                    email=s.email or None, lms_user_id=s.lms_user_id or None)


def by_id(students: list[Student]) -> dict[str, Student]:
    return {s.id: s for s in students}


def by_lms_user_id(students: list[Student]) -> dict[str, Student]:
    """The students who have an LMS user id (Canvas's numeric ``ID``), by that id."""
    return {s.lms_user_id: s for s in students if s.lms_user_id}


def name_key(name: str) -> str:
    """A full name as two systems may both write it: case, spacing, underscores and Unicode forms ignored."""
    return " ".join(unicodedata.normalize("NFC", name).replace("_", " ").split()).casefold()


def by_full_name(students: list[Student]) -> dict[str, list[Student]]:
    """The students by :func:`name_key` of their full name, first-last and last-first (an LMS may show either)."""
    found: dict[str, list[Student]] = {}
    for s in students:
        for key in {name_key(f"{s.first_name} {s.last_name}"), name_key(f"{s.last_name} {s.first_name}")}:
            if key:
                found.setdefault(key, []).append(s)
    return found
