"""The class's hand-in and hand-back, thin over nbgrader's exchange: release, collect, return.

The exchange is whatever nbgrader_config.py names (on one server, nbgrader's
file-system exchange under ``Exchange.root``; on Kubernetes, ngshare): students
fetch and submit there from JupyterLab's Assignments tab, and these functions
are the instructor's side. Collected submissions land in the workspace's
``collected/`` (nbgrader's own layout, ``STUDENT/DAY/``, with its
``timestamp.txt``), which ``course grade`` reads like any submissions folder.
"""

from __future__ import annotations

import copy
from datetime import datetime, timezone
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.auth import Authenticator
from nbgrader.converters import GenerateFeedback
from nbgrader.coursedir import CourseDirectory
from nbgrader.exchange import ExchangeError, ExchangeFactory
from nbgrader.utils import parse_utc

from .. import syllabus
from ..errors import CourseError
from . import converters, roster, workspace

COLLECTED = "collected"  # the workspace folder `course collect` fills and `course grade` reads


def exchange_root(cfg) -> Path:
    """The file-system exchange's folder that ``cfg`` names."""
    from nbgrader.exchange.default.exchange import Exchange

    return Path(Exchange(config=cfg).root)


def _run(kind: str, cfg, day_id: str, **coursedir_settings) -> converters.LogCapture:
    """Run nbgrader's exchange step ``kind`` (ReleaseAssignment, Collect, ReleaseFeedback) on ``day_id``."""
    coursedir = CourseDirectory(config=cfg)
    coursedir.assignment_id = day_id
    for name, value in coursedir_settings.items():
        setattr(coursedir, name, value)
    factory = ExchangeFactory(config=cfg)
    step = getattr(factory, kind)(coursedir=coursedir, authenticator=Authenticator(config=cfg), config=cfg)
    capture = converters.quiet_converter(step)
    try:
        step.start()
    except ExchangeError as exc:
        reasons = "; ".join(capture.messages(40)) or str(exc) or "see nbgrader's log"
        raise CourseError(f"nbgrader could not {_VERB[kind]} {day_id}: {reasons}") from None
    return capture


_VERB = {"ReleaseAssignment": "release", "Collect": "collect", "ReleaseFeedback": "return the feedback of"}


def set_due_date(cfg, day_id: str, due: str) -> datetime:
    """Record ``day_id``'s due date in the gradebook (nbgrader's late-penalty settings apply from it)."""
    try:
        when = parse_utc(due)
    except Exception:  # dateutil's errors vary by input
        raise CourseError(f"due date {due!r} is not a date (for example '2026-12-12 17:00 UTC')") from None
    with Gradebook(CourseDirectory(config=cfg).db_url, CourseDirectory(config=cfg).course_id) as gb:
        gb.update_or_create_assignment(day_id, duedate=when)
    return when


def due_date_passed(cfg, day_id: str, now: datetime | None = None) -> bool:
    """Whether ``day_id`` has a due date in the gradebook and it has passed (nbgrader keeps it as naive UTC)."""
    with Gradebook(CourseDirectory(config=cfg).db_url, CourseDirectory(config=cfg).course_id) as gb:
        try:
            due = gb.find_assignment(day_id).duedate
        except MissingEntry:
            return False
    now = now or datetime.now(timezone.utc).replace(tzinfo=None)
    return due is not None and now >= due


def final_feedback(day_id: str, workspace_dir: str | Path | None = None) -> bool:
    """Whether feedback on ``day_id`` given now is the final one (its due date has passed)."""
    return due_date_passed(workspace.load_config(workspace.prepare(workspace_dir)), syllabus.get_day(day_id).id)


def release_assignment(day_id: str, due: str | None = None, workspace_dir: str | Path | None = None) -> Path:
    """Put ``day_id``'s student release (``course build``) in the exchange for students to fetch;
    return the exchange folder it went to."""
    day = syllabus.get_day(day_id)
    root = workspace.prepare(workspace_dir)
    cfg = workspace.load_config(root)
    released = root / "release" / day.id / day.notebook
    if not released.exists():
        raise CourseError(f"{released}: no release of {day.id}; run `course build {day.id}` first")
    if due is not None:
        set_due_date(cfg, day.id, due)
    _run("ReleaseAssignment", cfg, day.id, student_id="*")
    return exchange_root(cfg) / CourseDirectory(config=cfg).course_id / "outbound" / day.id


def collect(day_id: str, workspace_dir: str | Path | None = None, student: str | None = None) -> Path:
    """Copy each student's latest submission of ``day_id`` (or ``student``'s only) from the exchange
    into the workspace's ``collected/``; return that folder."""
    day = syllabus.get_day(day_id)
    root = workspace.prepare(workspace_dir)
    cfg = workspace.load_config(root)
    cfg.ExchangeCollect.update = True
    _run("Collect", cfg, day.id, submitted_directory=COLLECTED, student_id=student or "*")
    if roster.default_path().exists():  # names in the formgrader, LMS ids for the exports
        with Gradebook(CourseDirectory(config=cfg).db_url, CourseDirectory(config=cfg).course_id) as gb:
            roster.add_to_gradebook(gb, roster.read(roster.default_path()))
    (root / COLLECTED).mkdir(exist_ok=True)
    return root / COLLECTED


def list_submissions(cfg, day_id: str) -> list[dict]:
    """Every submission of ``day_id`` in the exchange (nbgrader's list for the instructor): dicts with
    ``student_id``, ``assignment_id`` and ``timestamp``."""
    coursedir = CourseDirectory(config=cfg)
    coursedir.assignment_id = day_id
    lister = ExchangeFactory(config=cfg).List(coursedir=coursedir, authenticator=Authenticator(config=cfg),
                                               config=cfg)
    lister.inbound = True
    converters.quiet_converter(lister)
    try:
        grouped = lister.start() or []  # one entry per student, their submissions inside
    except ExchangeError as exc:
        if "not found" in str(exc).lower():  # nothing released yet, so no inbound folder
            return []
        raise CourseError(f"nbgrader could not list the submissions of {day_id}: {exc}") from None
    return [sub for entry in grouped for sub in entry.get("submissions", [entry])]


def collect_into(cfg, day_id: str, student: str, folder: str | Path) -> None:
    """Collect ``student``'s newest submission of ``day_id`` into ``folder`` (relative to the workspace)."""
    cfg = copy.deepcopy(cfg)
    cfg.ExchangeCollect.update = True
    _run("Collect", cfg, day_id, submitted_directory=str(folder), student_id=student)


def collected_students(day_id: str, workspace_dir: str | Path | None = None) -> list[str]:
    root = workspace.prepare(workspace_dir)
    return sorted(p.parent.name for p in (root / COLLECTED).glob(f"*/{syllabus.get_day(day_id).id}"))


def return_feedback(day_id: str, workspace_dir: str | Path | None = None, student: str | None = None,
                    final: bool | None = None) -> list[str]:
    """Generate the feedback of every graded submission of ``day_id`` (or ``student``'s) and release it
    to the exchange, where each student's "Fetch Feedback" finds their own; return the students.

    The final feedback (``final``; by default, once the due date has passed) shows each quiz question's
    answer and why; before it, a quiz's feedback says only which answers were right."""
    day = syllabus.get_day(day_id)
    root = workspace.prepare(workspace_dir)
    cfg = workspace.load_config(root)
    cfg.RedactHiddenTests.reveal_quiz_key = due_date_passed(cfg, day.id) if final is None else final
    graded = sorted(p.parent.name for p in (root / "autograded").glob(f"{student or '*'}/{day.id}"))
    if not graded:
        raise CourseError(f"no graded submission of {day.id} in {root / 'autograded'}: run `course grade` first")
    for name in graded:
        failure = converters.run_converter(GenerateFeedback, cfg, day.id, name)
        if failure:
            raise CourseError(f"{name}/{day.id}: no feedback: {failure}")
    release_feedback(day.id, workspace_dir, student)
    return graded


def release_feedback(day_id: str, workspace_dir: str | Path | None = None, student: str | None = None) -> None:
    """Release the feedback already in the workspace's ``feedback/`` for ``day_id`` (``student``'s only)."""
    cfg = workspace.load_config(workspace.prepare(workspace_dir))
    _run("ReleaseFeedback", cfg, syllabus.get_day(day_id).id, student_id=student or "*")
