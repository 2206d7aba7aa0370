"""Intake of an LMS download: a Canvas or Moodle submissions zip becomes checked submissions of one day.

nbgrader's own ``ZipCollectApp`` does the work, in the workspace's
``downloaded/DAY/`` (rebuilt on every run): the zip is copied to ``archive/``,
its ``ExtractorPlugin`` unpacks it into ``extracted/``, and a collector (a
``FileNameCollectorPlugin`` whose ``named_regexp`` reads the LMS's file names,
course.grading.lms) maps each file's LMS identity to the roster's student id,
so that ZipCollectApp copies it to ``collected/STUDENT/DAY/``. Then each
student keeps one notebook (:func:`newest_copy`), and intake
(course.grading.intake) checks them as it checks any folder.

What cannot be graded becomes a failed Submission whose reason names the file
in the zip: a student missing from the roster, several notebooks from one
student, a notebook of another day. A zip that is no zip, is damaged or empty,
or whose names follow neither LMS is a CourseError.
"""

from __future__ import annotations

import logging
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from nbgrader.apps import ZipCollectApp
from nbgrader.coursedir import CourseDirectory
from nbgrader.plugins import FileNameCollectorPlugin
from traitlets import Unicode
from traitlets.config import Config

from .. import syllabus
from ..errors import CourseError
from . import converters, intake, lms, roster, workspace
from .submission import Submission

DOWNLOADED = "downloaded"  # ZipCollectApp.downloaded_directory (nbgrader's default name)
COLLECTED = "collected"  # beside nbgrader's archive/ and extracted/: what intake reads


@dataclass
class LmsFile:
    """One file of the download, as the collector read its name."""
    member: str  # its path inside the zip
    identity: str  # who the LMS says handed it in, for messages
    label: str  # the report's name for a student who is not on the roster
    name: str  # the student's own file name (Canvas's resubmission suffix removed)
    copy: int = 0  # Canvas's resubmission suffix: day01-2.ipynb is copy 2
    file_number: int = 0  # Canvas's id of the uploaded file
    late: bool = False  # Canvas marked the submission late
    participant: str | None = None  # Moodle's participant number
    student: str | None = None  # the roster id
    problem: str | None = None  # why no roster student matches
    collected: Path | None = None  # where ZipCollectApp copied it (notebooks of roster students only)


class LmsCollector(FileNameCollectorPlugin):
    """ZipCollectApp's collector for one LMS: ``named_regexp`` reads a file's path in the zip, ``collect``
    maps the LMS identity to the roster id and gives each notebook a name of its own (ZipCollectApp
    refuses two files of one name for one student; :func:`newest_copy` decides between them)."""

    def setup(self, top: Path, students: list[roster.Student], roster_path: Path) -> None:
        self.top, self.students, self.roster_path = top, students, roster_path
        self.files: list[LmsFile] = []

    def collect(self, submitted_file: str) -> dict | None:
        member = Path(submitted_file).relative_to(self.top).as_posix()
        groups = None if lms.is_ignorable(member) else self._match(member)
        if groups is None:
            return None
        found = self.describe(member, groups)
        self.files.append(found)
        if found.student is None or PurePosixPath(member).suffix not in self.valid_ext:
            return None
        file_id = f"{len(self.files)}-{PurePosixPath(member).name}"
        found.collected = Path(self.coursedir.format_path(self.coursedir.submitted_directory, found.student,
                                                          self.coursedir.assignment_id)) / file_id
        return {"student_id": found.student, "file_id": file_id}

    @property
    def coursedir(self) -> CourseDirectory:
        return self.parent.coursedir

    def describe(self, member: str, groups: dict) -> LmsFile:
        raise NotImplementedError


class CanvasCollector(LmsCollector):
    named_regexp = Unicode(lms.CANVAS.named_regexp).tag(config=True)

    def describe(self, member: str, groups: dict) -> LmsFile:
        user_id, login = groups["student_id"], groups["name"]
        name, copy = lms.resubmitted(PurePosixPath(groups["file_id"]).name)
        found = LmsFile(member, f"{login} (Canvas user {user_id})", f"{login}_{user_id}", name, copy,
                        int(groups["file_number"] or 0), late=groups["late"] is not None)
        student = roster.by_lms_user_id(self.students).get(user_id)
        if student is None:
            found.problem = (f"Canvas user {user_id} ({login}) is not on the roster {self.roster_path}: add them "
                             f"(lms_user_id {user_id}) and grade again")
        else:
            found.student = student.id
        return found


class MoodleCollector(LmsCollector):
    named_regexp = Unicode(lms.MOODLE.named_regexp).tag(config=True)

    def describe(self, member: str, groups: dict) -> LmsFile:
        full_name, number = groups["student_id"], groups["participant"]
        found = LmsFile(member, f"{full_name} (Moodle participant {number})", f"{full_name}_{number}",
                        PurePosixPath(groups["file_id"]).name, participant=number)
        named = roster.by_full_name(self.students).get(roster.name_key(full_name), [])
        if len(named) == 1:
            found.student = named[0].id
        elif not named:
            found.problem = (f"no student on the roster {self.roster_path} is named {full_name!r} (Moodle participant "
                             f"{number}): add them, first_name and last_name as Moodle shows them, and grade again")
        else:
            found.problem = (f"{len(named)} students on the roster {self.roster_path} are named {full_name!r} "
                             f"({', '.join(s.id for s in named)}), and Moodle's download names students by full "
                             "name only: tell them apart in Moodle and the roster, then download again")
        return found


COLLECTORS = {"canvas": CanvasCollector, "moodle": MoodleCollector}


def is_download(path: str | Path, lms_name: str | None = None) -> bool:
    """Whether ``course grade`` was given an LMS download (a zip) rather than a folder of submissions."""
    path = Path(path)
    return lms_name is not None or (not path.is_dir() and (path.is_file() or path.suffix.lower() == ".zip"))


def collect_download(zip_path: str | Path, day_id: str | None, workspace_dir: str | Path | None = None,
                     lms_name: str | None = None, roster_path: str | Path | None = None) -> list[Submission]:
    """Unpack the LMS download ``zip_path`` of ``day_id`` in the workspace and check its notebooks, as
    intake.collect checks a folder (``lms_name``: canvas or moodle; default: read from the file names)."""
    zip_path = Path(zip_path)
    members = check_zip(zip_path)
    if day_id is None:
        raise CourseError(f"{zip_path}: an LMS download holds one assignment: say which day it is with --day")
    day = syllabus.get_day(day_id)
    convention = lms.detect(zip_path.name, members, lms_name)
    roster_path = Path(roster_path) if roster_path is not None else lms.DEFAULT_ROSTER
    students = roster.read(roster_path)
    root = workspace.prepare(workspace_dir)
    files = zip_collect(workspace.load_config(root), day, zip_path, convention, students, roster_path)
    if convention is lms.MOODLE:
        lms.record_participants(root, day.id, participants(files))
    return submissions(files, day, zip_path.name, root / DOWNLOADED / day.id / COLLECTED)


def check_zip(path: Path) -> list[str]:
    """The names of the files in the zip ``path``; a CourseError when it is missing, no zip, damaged or empty."""
    if not path.exists():
        raise CourseError(f"{path}: no such file")
    if path.is_dir():
        raise CourseError(f"{path}: a folder, not an LMS download (--lms reads the .zip the LMS gives)")
    if not zipfile.is_zipfile(path):
        raise CourseError(f"{path}: not a zip file (expected the .zip of Canvas's \"Download Submissions\" or "
                          "Moodle's \"Download all submissions\")")
    try:
        with zipfile.ZipFile(path) as archive:
            damaged = archive.testzip()
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
        raise CourseError(f"{path}: the zip is damaged ({exc}); download it again") from None
    if damaged is not None:
        raise CourseError(f"{path}: the zip is damaged ({damaged} fails its checksum); download it again")
    unsafe = next((n for n in names if n.startswith("/") or ".." in PurePosixPath(n).parts), None)
    if unsafe is not None:
        raise CourseError(f"{path}: {unsafe} points outside the zip's folder; an LMS never writes such a name")
    members = [n for n in names if not lms.is_ignorable(n)]
    if not members:
        raise CourseError(f"{path}: the zip holds no files (did the assignment get any submissions?)")
    return members


def zip_collect(cfg, day: syllabus.Day, zip_path: Path, convention: lms.Convention, students: list[roster.Student],
                roster_path: Path) -> list[LmsFile]:
    """Run nbgrader's ZipCollectApp on ``zip_path`` in ``downloaded/DAY/`` of the workspace of ``cfg``; return every
    file its collector read (the notebooks of roster students are then in ``collected/STUDENT/DAY/``)."""
    base = workspace.root_of(cfg) / DOWNLOADED / day.id
    if base.exists():
        shutil.rmtree(base)  # ZipCollectApp unpacks every archive it finds there: only this one
    (base / "archive").mkdir(parents=True)
    stem = zip_path.stem
    shutil.copyfile(zip_path, base / "archive" / f"{stem}.zip")  # the extractor knows archives by a lower-case .zip
    coursedir = CourseDirectory(config=cfg)
    coursedir.assignment_id = day.id
    coursedir.submitted_directory = f"{DOWNLOADED}/{day.id}/{COLLECTED}"
    app = ZipCollectApp(config=Config({"ZipCollectApp": {"force": True}, "ExtractorPlugin": {"zip_ext": [".zip"]}}))
    app.coursedir = coursedir
    app.collector_plugin = COLLECTORS[convention.name]
    capture = converters.quiet_converter(app)
    # ZipCollectApp.start() without NbGrader.start(), which sets up the exchange a download does not use;
    # the collector needs the roster before it reads the first file
    app.init_plugins()
    app.collector_plugin_inst.setup(base / "extracted" / stem, students, roster_path)
    try:
        app.extract_archive_files()
        app.process_extracted_files()
    except SystemExit:  # ZipCollectApp.fail
        reasons = "; ".join(capture.messages(logging.ERROR)) or "see nbgrader's log"
        raise CourseError(f"{zip_path}: nbgrader's zip_collect failed: {reasons}") from None
    except Exception as exc:  # an archive a student handed in inside the download, unpacked by nbgrader too
        raise CourseError(f"{zip_path}: could not unpack it ({type(exc).__name__}: {exc})") from None
    return app.collector_plugin_inst.files


def participants(files: list[LmsFile]) -> dict[str, str]:
    """Each roster student's Moodle participant number (none for a student two numbers claim)."""
    numbers: dict[str, set[str]] = {}
    for f in files:
        if f.student is not None and f.participant is not None:
            numbers.setdefault(f.student, set()).add(f.participant)
    return {student: next(iter(found)) for student, found in numbers.items() if len(found) == 1}


def newest_copy(notebooks: list[LmsFile]) -> tuple[LmsFile | None, list[LmsFile]]:
    """The notebook to grade among one student's, and the older copies left out; (None, []) when they are
    different files. Several copies are graded only as Canvas's resubmissions: one name, numbered -1, -2 ...
    by Canvas, of which the highest (the last uploaded) is graded."""
    if len({f.name for f in notebooks}) > 1 or len({f.copy for f in notebooks}) < len(notebooks):
        return None, []
    ordered = sorted(notebooks, key=lambda f: (f.copy, f.file_number))
    return ordered[-1], ordered[:-1]


@dataclass
class _Student:
    notebooks: list[LmsFile] = field(default_factory=list)
    others: list[LmsFile] = field(default_factory=list)


def submissions(files: list[LmsFile], day: syllabus.Day, zip_name: str, collected: Path) -> list[Submission]:
    """One Submission per student of the download: failed with the reason, or checked by intake."""
    failed: list[Submission] = []
    unknown: dict[str, list[LmsFile]] = {}
    by_student: dict[str, _Student] = {}
    for f in files:
        if f.student is None:
            unknown.setdefault(f.label, []).append(f)
        else:
            own = by_student.setdefault(f.student, _Student())
            (own.notebooks if f.collected is not None else own.others).append(f)
    for label, theirs in unknown.items():
        failed.append(_failed(label, day, f"{zip_name}: {_names(theirs)}: {theirs[0].problem}"))

    graded: dict[str, tuple[LmsFile, list[LmsFile], list[LmsFile]]] = {}
    for student, own in by_student.items():
        if not own.notebooks:
            failed.append(_failed(student, day, f"{zip_name}: no notebook from {own.others[0].identity}, "
                                                f"only {_names(own.others)} (expected {day.notebook})"))
            continue
        chosen, older = newest_copy(own.notebooks)
        if chosen is None:
            shutil.rmtree(collected / student)  # intake would report the folder a second time
            failed.append(_failed(student, day, f"{zip_name}: {len(own.notebooks)} notebooks from "
                                                f"{own.notebooks[0].identity} for {day.id}: {_names(own.notebooks)}; "
                                                "grading one of them would be a guess: keep one in the LMS and "
                                                "download again, or grade the right one from a folder"))
            continue
        for f in older:
            f.collected.unlink()
        chosen.collected = chosen.collected.rename(chosen.collected.with_name(chosen.name))
        graded[student] = (chosen, older, own.others)

    checked = intake.collect(collected, day.id) if graded else []
    for sub in checked:
        chosen, older, others = graded[sub.student]
        if sub.error:
            sub.error = sub.error.replace(str(chosen.collected), f"{zip_name}: {chosen.member}")
        sub.notes.extend(_notes(chosen, older, others))
    return checked + failed


def _notes(chosen: LmsFile, older: list[LmsFile], others: list[LmsFile]) -> list[str]:
    notes = []
    if older:
        notes.append(f"graded {chosen.member}, the last of Canvas's copies of {chosen.name}; left out: {_names(older)}")
    if chosen.late:
        notes.append(f"Canvas marked it late ({chosen.member}); the download has no submission time, "
                     "so nbgrader applied no late penalty")
    if others:
        notes.append(f"not a notebook, ignored: {_names(others)}")
    return notes


def _names(files: list[LmsFile]) -> str:
    return ", ".join(f.member for f in files)


def _failed(student: str, day: syllabus.Day, reason: str) -> Submission:
    sub = Submission(student, day)
    sub.fail(reason)
    return sub
