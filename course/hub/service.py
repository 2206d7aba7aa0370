"""Feedback on arrival: a JupyterHub service that grades submissions as students submit them.

The hub starts it (``python -m course.hub.service``), restarts it if it dies and
stops it with the hub. Every few seconds it looks at the exchange's inbound
folder; for each day that syllabus.toml turns on (``feedback_on_submit``), each
student's newest ungraded submission goes through the same sandboxed pipeline as
``course grade`` (course.grading.autograde), is recorded in the gradebook (the
latest attempt is the one kept) and its feedback is released to that student, who
gets it with "Fetch Feedback". A student has ``graded_attempts`` graded attempts
per day; later submissions wait for the instructor's ``course collect`` /
``course grade``.

Nothing is lost: the exchange's submissions are only read, and the service's
record of what it graded (``.grading-service/graded.json`` in the workspace) is
written after the feedback is out, so after a crash it grades what is still
ungraded. A submission that cannot be graded gets a feedback page saying why, and
does not use up an attempt.
"""

from __future__ import annotations

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
from nbgrader.coursedir import CourseDirectory
from nbgrader.utils import parse_utc

from .. import syllabus
from ..errors import CourseError
from ..grading import autograde, exchange, report, workspace
from ..grading.submission import Submission

STATE_DIR = ".grading-service"
POLL_SECONDS = 2.0
log = logging.getLogger("course.grading-service")


@dataclass(frozen=True)
class Arrival:
    """One submission in the exchange's inbound folder (``STUDENT+DAY+TIMESTAMP+RANDOM``)."""

    name: str
    student: str
    day_id: str
    timestamp: datetime
    path: Path

    @classmethod
    def parse(cls, path: Path) -> "Arrival | None":
        parts = path.name.rsplit("+", 3)  # as nbgrader's collect reads them (user names may hold "+")
        if len(parts) < 3:
            return None
        try:
            when = parse_utc(parts[2])
        except Exception:
            return None
        return cls(path.name, parts[0], parts[1], when, path)


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


def arrivals(inbound: Path) -> list[Arrival]:
    found = [Arrival.parse(p) for p in inbound.iterdir()] if inbound.is_dir() else []
    return sorted((a for a in found if a is not None), key=lambda a: a.timestamp)


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
        if when is not None and _naive_utc(a.timestamp) <= _naive_utc(when):
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
    """Grade ``ready`` (one day at a time), release each student's feedback, record the outcome."""
    graded: list[Submission] = []
    root = workspace.prepare(workspace_dir)
    for day_id in sorted({a.day_id for a in ready}):
        batch = {a.student: a for a in ready if a.day_id == day_id}
        day = syllabus.get_day(day_id)
        stage = root / STATE_DIR / "stage" / day_id
        shutil.rmtree(stage, ignore_errors=True)
        for student, a in batch.items():
            shutil.copytree(a.path, stage / student / day_id)
        result = autograde.grade(stage, day_id=day_id, workspace_dir=workspace_dir, workers=workers)
        for sub in result.submissions:
            a = batch[sub.student]
            attempt = ledger.attempts(sub.student, day_id) + 1
            if sub.status == "graded":
                sub.attempt = f"{attempt} of {day.graded_attempts}"
                exchange.release_feedback(day_id, workspace_dir, student=sub.student)
                got, most = sub.total
                ledger.add(a, Record(sub.student, day_id, "graded", attempt, got, most))
            else:
                _return_failure(root, a, day, sub.error or "it could not be graded")
                exchange.release_feedback(day_id, workspace_dir, student=sub.student)
                ledger.add(a, Record(sub.student, day_id, "failed", reason=sub.error or ""))
        log.info("%s", report.grading_table(result))
        graded += result.submissions
    return graded


def _return_failure(root: Path, a: Arrival, day: syllabus.Day, reason: str) -> None:
    """A feedback page for a submission that could not be graded (it does not use up an attempt)."""
    dest = root / "feedback" / a.student / day.id
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    for name in autograde.EXCHANGE_RECORDS:
        if (a.path / name).is_file():
            shutil.copyfile(a.path / name, dest / name)
    page = (f"<html><body><h1>{html.escape(day.id)}: not graded</h1>"
            f"<p>Your submission of {html.escape(a.timestamp.isoformat())} could not be graded: "
            f"{html.escape(reason)}</p><p>This did not use up a graded attempt: fix it and submit again.</p>"
            "</body></html>")
    (dest / Path(day.notebook).with_suffix(".html").name).write_text(page)


def _naive_utc(when: datetime) -> datetime:
    return when.astimezone(timezone.utc).replace(tzinfo=None) if when.tzinfo else when


def run_once(exchange_inbound: Path, ledger: Ledger, workspace_dir: Path | None = None,
             workers: int | None = None) -> list[Submission]:
    cfg = workspace.load_config(workspace.prepare(workspace_dir))
    ready = due(ledger, arrivals(exchange_inbound), graded_until(cfg))
    return grade_arrivals(ready, ledger, workspace_dir, workers) if ready else []


def serve(workspace_dir: Path | None = None, poll: float = POLL_SECONDS) -> None:
    """Watch the exchange until stopped (the hub stops its services with SIGTERM)."""
    root = workspace.prepare(workspace_dir)
    cfg = workspace.load_config(root)
    inbound = exchange.exchange_root(cfg) / syllabus.course_id() / "inbound"
    ledger = Ledger(root / STATE_DIR)
    on = [d.id for d in syllabus.days() if d.feedback_on_submit]
    log.warning("grading service: watching %s for %s", inbound, ", ".join(on) or "no day (none is turned on)")
    while True:
        try:
            run_once(inbound, ledger, workspace_dir)
        except CourseError as exc:  # one bad round never stops the service; the next round retries
            log.error("grading service: %s", exc)
        time.sleep(poll)


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="[grading %(asctime)s] %(message)s", stream=sys.stdout)
    workspace_dir = os.environ.get("COURSE_WORKSPACE")
    serve(Path(workspace_dir) if workspace_dir else None)


if __name__ == "__main__":
    main()
