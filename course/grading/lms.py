"""What Canvas and Moodle call things: the file names in their submission downloads, and Moodle's participant numbers.

Canvas ("Download Submissions" on an assignment) names every file
``LASTFIRST[_LATE]_USERID_FILEID_FILENAME`` (``lib/content_zipper.rb`` in canvas-lms:
the user's sortable name, lower case without spaces or punctuation; ``LATE`` when
Canvas counts the submission late; the Canvas user id; the id of the uploaded file;
the file's own name). A file a student uploads again under the same name is
renamed by Canvas with a ``-1``, ``-2`` ... suffix (``day01-1.ipynb``).

Moodle ("Download all submissions", Moodle 3.1 and later) puts each student's files
in a folder ``FULL NAME_PARTICIPANT_assignsubmission_file_/`` (``mod/assign``'s
``download_submissions``; older versions, or "download submissions in folders" off,
prefix the file name instead of making a folder). ``PARTICIPANT`` is the
student's participant number in that assignment, the number the grading
worksheet's ``Identifier`` column holds (``Participant 123456``): grading a Moodle
download records it per day and student (:func:`record_participants`) for the
export.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import CourseError
from . import workspace

DEFAULT_ROSTER = workspace.CONFIG_DIR / "roster.csv"
PARTICIPANTS_FILE = "moodle_participants.json"  # in the grading workspace: {day: {student id: participant number}}


@dataclass(frozen=True)
class Convention:
    """One LMS's way of naming the files of a submissions download."""
    name: str  # as --lms takes it
    title: str
    # nbgrader's FileNameCollectorPlugin.named_regexp, applied to a file's path inside the zip:
    # student_id is the LMS's identity of the student, file_id the student's own file name
    named_regexp: str
    pattern: str
    example: str

    def expected(self) -> str:
        return f"{self.title}: {self.pattern} (e.g. {self.example})"


CANVAS = Convention(
    "canvas", "Canvas",
    # the user's id and the file's id are digits; Canvas's text and URL entries have no file id (..._41001_text.html)
    r"^(?!(?:LATE_|late_)?anon_)(?P<name>[^/]*?)(?:_(?P<late>LATE|late))?_(?P<student_id>\d+)"
    r"(?:_(?P<file_number>\d+))?_(?P<file_id>[^/].*)$",
    "LASTFIRST[_LATE]_USERID_FILEID_FILENAME", "lovelaceada_41001_67890_day01.ipynb")
MOODLE = Convention(
    "moodle", "Moodle",
    r"^(?P<student_id>[^/]+?)_(?P<participant>\d+)_assignsubmission_(?P<plugin>[a-z]+)_/?(?P<file_id>[^/].*)$",
    "FULL NAME_PARTICIPANT_assignsubmission_file_/FILENAME", "Ada Lovelace_123456_assignsubmission_file_/day01.ipynb")
CONVENTIONS = {c.name: c for c in (CANVAS, MOODLE)}

CANVAS_ANONYMOUS = re.compile(r"^(?:LATE_|late_)?anon_")
MOODLE_HIDDEN_NAME = "Participant"  # the name Moodle writes while blind marking hides identities
RESUBMITTED = re.compile(r"^(?P<stem>.+)-(?P<copy>\d+)(?P<ext>\.[^./]+)$")


def is_ignorable(member: str) -> bool:
    """Folders, and what an operating system adds when someone re-zips a download (__MACOSX/, .DS_Store)."""
    return member.endswith("/") or member.startswith("__MACOSX/") or Path(member).name.startswith(".")


def matches(convention: Convention, member: str) -> re.Match | None:
    return re.match(convention.named_regexp, member)


def detect(zip_name: str, members: list[str], lms: str | None = None) -> Convention:
    """The convention every file in the zip follows (``lms``: the one they must follow); a CourseError
    names the first file that follows none, or a download whose names hide who the students are."""
    if lms is not None and lms not in CONVENTIONS:
        raise CourseError(f"unknown LMS {lms!r}: expected {' or '.join(CONVENTIONS)}")
    wanted = [CONVENTIONS[lms]] if lms else [CANVAS, MOODLE]
    found: dict[str, str] = {}  # convention name -> its first file
    for member in members:
        if CANVAS_ANONYMOUS.match(member):
            raise CourseError(f"{zip_name}: {member}: Canvas anonymized this download (anonymous grading is on), so "
                              "its files cannot be matched to the roster; download it after grades are posted")
        # Moodle's names would also pass for Canvas's: Moodle's are tried first
        convention = next((c for c in (MOODLE, CANVAS) if matches(c, member)), None)
        if convention not in wanted:
            whose = " or ".join(f"{c.title}'s" for c in wanted)
            expected = "\n  ".join(c.expected() for c in wanted)
            raise CourseError(f"{zip_name}: {member} does not follow {whose} naming of submission downloads; "
                              f"expected\n  {expected}")
        if convention is MOODLE and matches(MOODLE, member)["student_id"] == MOODLE_HIDDEN_NAME:
            raise CourseError(f"{zip_name}: {member}: Moodle hid the students' names (blind marking); "
                              "reveal student identities in the assignment, then download again")
        found.setdefault(convention.name, member)
    if len(found) > 1:
        raise CourseError(f"{zip_name}: mixes Canvas and Moodle names ({found['canvas']} and {found['moodle']}); "
                          "grade one LMS download at a time")
    return CONVENTIONS[next(iter(found))]


def resubmitted(file_name: str) -> tuple[str, int]:
    """A file name without Canvas's resubmission suffix, and the suffix's number:
    ``day01-2.ipynb`` -> ``("day01.ipynb", 2)``; ``day01.ipynb`` -> ``("day01.ipynb", 0)``."""
    m = RESUBMITTED.match(file_name)
    return (m["stem"] + m["ext"], int(m["copy"])) if m else (file_name, 0)


def read_participants(root: Path) -> dict[str, dict[str, str]]:
    """Moodle participant numbers recorded in the workspace ``root``: ``{day: {student id: number}}``."""
    path = root / PARTICIPANTS_FILE
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        raise CourseError(f"{path}: not valid JSON ({exc.msg}); delete it and grade the Moodle downloads again") \
            from None


def record_participants(root: Path, day_id: str, numbers: dict[str, str]) -> None:
    """Add ``numbers`` (student id -> participant number) to ``day_id``'s; the others stay (Moodle keeps
    them per assignment)."""
    known = read_participants(root)
    known.setdefault(day_id, {}).update(numbers)
    (root / PARTICIPANTS_FILE).write_text(json.dumps(known, indent=1, sort_keys=True) + "\n")
