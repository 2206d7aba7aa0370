"""Feedback on arrival: a JupyterHub service that grades submissions as students submit them.

The hub starts it (``course feedback-service``), restarts it if it dies and
stops it with the hub. Every few seconds it lists the exchange's submissions
(through nbgrader's exchange, so the file-system one and ngshare alike); for each day that syllabus.toml turns on (``feedback_on_submit``), each
student's newest ungraded submission goes through the same sandboxed pipeline as
``course grade`` (course.grading.autograde), is recorded in the gradebook (the
latest attempt is the one kept) and its feedback is released to that student, who
gets it with "Fetch Feedback". A student has ``graded_attempts`` graded attempts
per day; later submissions wait for the instructor's ``course collect`` /
``course grade``.

Nothing is lost: the exchange's submissions are only read (collected), and the service's
record of what it graded (``.grading-service/graded.json`` in the workspace) is
written after the feedback is out, so after a crash it grades what is still
ungraded. A submission that cannot be graded gets a feedback page saying why, and
does not use up an attempt.
"""

from __future__ import annotations

import copy
import html
import json
import logging
import os
import shutil
import sys
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from typing import Callable

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.converters import GenerateFeedback
from nbgrader.coursedir import CourseDirectory
from nbgrader.utils import parse_utc

from .. import syllabus
from ..errors import CourseError
from ..grading import autograde, converters, exchange, report, workspace
from ..grading.submission import Submission

STATE_DIR = ".grading-service"
POLL_SECONDS = 2.0
log = logging.getLogger("course.grading-service")


@dataclass(frozen=True)
class Arrival:
    """One submission in the exchange, as nbgrader's exchange lists it for the instructor."""

    student: str
    day_id: str
    timestamp: str  # as the exchange writes it (and timestamp.txt holds it)

    @property
    def name(self) -> str:
        return f"{self.student}+{self.day_id}+{self.timestamp}"

    @property
    def when(self) -> datetime:
        return parse_utc(self.timestamp)


@dataclass
class Record:
    """What the service did with one arrival."""

    student: str
    day_id: str
    outcome: str            # "graded", "failed", "superseded" (a newer one came), "over limit",
                            # "graded by the instructor"
    attempt: int = 0        # the graded attempt this was (graded only)
    score: float | None = None
    max_score: float | None = None
    reason: str = ""
    at: str = ""


class Ledger:
    """The service's record of every arrival it has dealt with, by inbound folder name."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "graded.json"
        folder.mkdir(parents=True, exist_ok=True)
        self.records: dict[str, Record] = {}
        if self.path.exists():
            self.records = {k: Record(**v) for k, v in json.loads(self.path.read_text()).items()}

    def attempts(self, student: str, day_id: str) -> int:
        return sum(1 for r in self.records.values()
                   if (r.student, r.day_id, r.outcome) == (student, day_id, "graded"))

    def add(self, arrival: Arrival, record: Record) -> None:
        record.at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        self.records[arrival.name] = record
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({k: asdict(v) for k, v in self.records.items()}, indent=1))
        os.replace(tmp, self.path)  # a crash leaves the old record or the new one, never half of one


def arrivals(cfg, day_ids: list[str]) -> list[Arrival]:
    """Every submission of ``day_ids`` in the exchange (nbgrader's list, so any exchange: the
    file-system one or ngshare), oldest first."""
    found = []
    for day_id in day_ids:
        for info in exchange.list_submissions(cfg, day_id):
            a = Arrival(info["student_id"], info["assignment_id"], info["timestamp"])
            try:
                a.when
            except Exception:  # noqa: BLE001 (a time nbgrader cannot read: not a submission)
                continue
            found.append(a)
    return sorted(found, key=lambda a: a.when)


def graded_until(cfg) -> Callable[[str, str], datetime | None]:
    """``(student, day_id) ->`` the submission time of what the gradebook holds (None: nothing)."""
    def lookup(student: str, day_id: str) -> datetime | None:
        if not workspace.gradebook_path(cfg).exists():
            return None
        with Gradebook(CourseDirectory(config=cfg).db_url) as gb:
            try:
                return gb.find_submission(day_id, student).timestamp
            except MissingEntry:
                return None
    return lookup


def due(ledger: Ledger, found: list[Arrival], graded: Callable[[str, str], datetime | None] = lambda s, d: None
        ) -> list[Arrival]:
    """The arrivals to grade now: each student's newest ungraded one per day that is graded on
    arrival; older ungraded ones are superseded, those past the attempt limit wait, and those the
    instructor has graded already (``graded``: the gradebook's submission time) are left alone."""
    days = {d.id: d for d in syllabus.days() if d.feedback_on_submit}
    newest: dict[tuple[str, str], Arrival] = {}
    for a in found:
        if a.name in ledger.records or a.day_id not in days:
            continue
        when = graded(a.student, a.day_id)
        if when is not None and _naive_utc(a.when) <= _naive_utc(when):
            ledger.add(a, Record(a.student, a.day_id, "graded by the instructor"))
            continue
        key = (a.student, a.day_id)
        if key in newest:
            ledger.add(newest[key], Record(a.student, a.day_id, "superseded", reason=f"{a.name} came later"))
        newest[key] = a
    ready = []
    for a in newest.values():
        limit = days[a.day_id].graded_attempts
        if ledger.attempts(a.student, a.day_id) >= limit:
            ledger.add(a, Record(a.student, a.day_id, "over limit",
                                 reason=f"all {limit} graded attempts used; the instructor grades this one"))
        else:
            ready.append(a)
    return ready


def grade_arrivals(ready: list[Arrival], ledger: Ledger, workspace_dir: Path | None = None,
                   workers: int | None = None) -> list[Submission]:
    """Collect ``ready`` from the exchange, grade them (one day at a time), release each student's
    feedback and record the outcome."""
    graded: list[Submission] = []
    root = workspace.prepare(workspace_dir)
    cfg = workspace.load_config(root)
    for day_id in sorted({a.day_id for a in ready}):
        day = syllabus.get_day(day_id)
        stage = Path(STATE_DIR) / "stage" / day_id
        shutil.rmtree(root / stage, ignore_errors=True)
        batch = {}
        for a in (a for a in ready if a.day_id == day_id):
            exchange.collect_into(cfg, day_id, a.student, stage)  # the newest, which may have come since
            stamp = root / stage / a.student / day_id / "timestamp.txt"
            got = stamp.read_text().strip() if stamp.exists() else a.timestamp
            if got != a.timestamp:
                ledger.add(a, Record(a.student, day_id, "superseded", reason=f"the submission of {got} came later"))
            batch[a.student] = Arrival(a.student, day_id, got)
        result = autograde.grade(root / stage, day_id=day_id, workspace_dir=workspace_dir, workers=workers)
        for sub in result.submissions:
            a = batch[sub.student]
            attempt = ledger.attempts(sub.student, day_id) + 1
            if sub.status == "graded":
                sub.attempt = f"{attempt} of {day.graded_attempts}"
                final = attempt >= day.graded_attempts or exchange.due_date_passed(cfg, day_id)
                _withhold_messages(cfg, day_id, sub, final)
                exchange.release_feedback(day_id, workspace_dir, student=sub.student)
                got, most = sub.total
                ledger.add(a, Record(sub.student, day_id, "graded", attempt, got, most))
            else:
                _return_failure(root, root / stage / sub.student / day_id, a, day, sub.error or "it could not be graded")
                exchange.release_feedback(day_id, workspace_dir, student=sub.student)
                ledger.add(a, Record(sub.student, day_id, "failed", reason=sub.error or ""))
        log.info("%s", report.grading_table(result))
        graded += result.submissions
    return graded


def _withhold_messages(cfg, day_id: str, sub: Submission, final: bool) -> None:
    """Feedback that allows another attempt carries no text of the student's choosing after the first
    hidden test (a visible test's message could carry what their code read of a hidden test): it is
    generated again with the messages withheld. The instructor's `course return` shows them. The quiz's
    answers and why are shown only in the ``final`` feedback (the last graded attempt, or past the due date)."""
    strict = copy.deepcopy(cfg)
    strict.RedactHiddenTests.message_chars = 0
    strict.RedactHiddenTests.error_chars = 0
    strict.RedactHiddenTests.reveal_quiz_key = final
    failure = converters.run_converter(GenerateFeedback, strict, day_id, sub.student)
    if failure:
        sub.notes.append(f"feedback: {failure}")


def _return_failure(root: Path, submitted: Path, a: Arrival, day: syllabus.Day, reason: str) -> None:
    """A feedback page for a submission that could not be graded (it does not use up an attempt)."""
    dest = root / "feedback" / a.student / day.id
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    for name in autograde.EXCHANGE_RECORDS:
        if (submitted / name).is_file():
            shutil.copyfile(submitted / name, dest / name)
    page = (f"<html><body><h1>{html.escape(day.id)}: not graded</h1>"
            f"<p>Your submission of {html.escape(a.timestamp)} could not be graded: "
            f"{html.escape(reason)}</p><p>This did not use up a graded attempt: fix it and submit again.</p>"
            "</body></html>")
    (dest / Path(day.notebook).with_suffix(".html").name).write_text(page)


def _naive_utc(when: datetime) -> datetime:
    return when.astimezone(timezone.utc).replace(tzinfo=None) if when.tzinfo else when


def run_once(ledger: Ledger, workspace_dir: Path | None = None, workers: int | None = None) -> list[Submission]:
    """One round: grade what has arrived since the last one."""
    cfg = workspace.load_config(workspace.prepare(workspace_dir))
    on = [d.id for d in syllabus.days() if d.feedback_on_submit]
    ready = due(ledger, arrivals(cfg, on), graded_until(cfg))
    return grade_arrivals(ready, ledger, workspace_dir, workers) if ready else []


def serve(workspace_dir: Path | None = None, poll: float = POLL_SECONDS, workers: int | None = None) -> None:
    """Watch the exchange until stopped (the hub stops its services with SIGTERM)."""
    root = workspace.prepare(workspace_dir)
    ledger = Ledger(root / STATE_DIR)
    on = [d.id for d in syllabus.days() if d.feedback_on_submit]
    log.warning("grading service: watching the exchange for %s", ", ".join(on) or "no day (none is turned on)")
    while True:
        try:
            run_once(ledger, workspace_dir, workers)
        except CourseError as exc:  # one bad round never stops the service; the next round retries
            log.error("grading service: %s", exc)
        time.sleep(poll)


def main() -> None:
    """``course feedback-service``: settings from the environment the hub (or Kubernetes) gives it:
    COURSE_WORKSPACE (default autograder/), COURSE_GRADING_WORKERS (default one per core; set it in a
    container, where the machine's core count is not the container's share)."""
    logging.basicConfig(level=logging.INFO, format="[grading %(asctime)s] %(message)s", stream=sys.stdout)
    workspace_dir = os.environ.get("COURSE_WORKSPACE")
    workers = os.environ.get("COURSE_GRADING_WORKERS")
    serve(Path(workspace_dir) if workspace_dir else None, workers=int(workers) if workers else None)


if __name__ == "__main__":
    main()
