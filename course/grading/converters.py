"""Running nbgrader's converters quietly, one student at a time, and reading what failed from their log."""

from __future__ import annotations

import logging

from nbgrader.converters.base import NbGraderException
from nbgrader.coursedir import CourseDirectory

NBGRADER_FAILED = "There was an error processing assignment"  # how nbgrader's converters log a failed submission


class LogCapture(logging.Handler):
    """Collect nbgrader's log records while one of its converters runs."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        # format now: nbgrader logs gradebook rows whose repr needs the session it closes right after
        # (a late submission's "is late" message would fail when read later)
        try:
            record.msg, record.args = record.getMessage(), None
        except Exception as exc:  # noqa: BLE001 (a log line never stops grading)
            record.msg, record.args = f"{record.msg} (unformattable: {type(exc).__name__})", None
        self.records.append(record)

    def messages(self, level: int = logging.WARNING) -> list[str]:
        return [r.getMessage() for r in self.records if r.levelno >= level]


def quiet_converter(converter) -> LogCapture:
    """Route a converter's log into a capture (printed selectively by the caller)."""
    capture = LogCapture()
    log = logging.getLogger(f"course.nbgrader.{type(converter).__name__}")
    log.handlers[:] = [capture]
    log.propagate = False
    log.setLevel(logging.INFO)
    converter.log = log
    return capture


def start(cls, cfg, day_id: str, **coursedir_settings) -> tuple[bool, LogCapture]:
    """Run the nbgrader converter ``cls`` on ``day_id`` (``coursedir_settings``: other CourseDirectory
    settings, such as ``student_id``); return whether it finished, and its log."""
    coursedir = CourseDirectory(config=cfg)
    coursedir.assignment_id = day_id
    for name, value in coursedir_settings.items():
        setattr(coursedir, name, value)
    converter = cls(coursedir=coursedir, config=cfg)
    capture = quiet_converter(converter)
    try:
        converter.start()
    except NbGraderException:
        return False, capture
    return True, capture


def run_converter(cls, cfg, day_id: str, student: str) -> str | None:
    """Run the nbgrader converter ``cls`` (Autograde, GenerateFeedback) on ``student``'s
    submission of ``day_id``; return why it failed, or None."""
    _finished, capture = start(cls, cfg, day_id, student_id=student)
    return failure_from_log(capture.records)  # a failed submission does not always stop the converter


def failure_from_log(records: list[logging.LogRecord]) -> str | None:
    """Why nbgrader could not process the submission, from its log: the last line of the
    traceback it logged after saying so, or None when it said nothing of the kind."""
    failure = None
    for rec in records:
        msg = rec.getMessage()
        if msg.startswith(NBGRADER_FAILED):
            failure = "nbgrader could not process this submission"
        elif failure and rec.levelname == "ERROR" and msg.startswith("Traceback"):
            last = [line for line in msg.strip().splitlines() if line.strip()][-1]
            return f"{failure}: {last}"
    return failure
