"""The nbgrader course directory ("workspace") and its configuration.

The default workspace is ``autograder/``: its ``source`` and ``release`` are
links to ``solutions/`` and ``exercises/``, and nbgrader writes ``submitted/``,
``autograded/``, ``feedback/`` and ``gradebook.db`` there. Any other folder can
serve as a workspace (tests use temporary ones); it gets a ``source`` link to
the repository's ``solutions/`` and a ``release`` folder of its own.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from pathlib import Path

from nbgrader.converters.base import NbGraderException
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from .errors import CourseError
from .syllabus import REPO_ROOT

CONFIG_DIR = REPO_ROOT / "autograder"
CONFIG_FILE = CONFIG_DIR / "nbgrader_config.py"
DEFAULT_WORKSPACE = CONFIG_DIR


def load_config(workspace: str | Path | None = None) -> Config:
    """nbgrader_config.py, with the course root replaced by ``workspace`` if given."""
    if not CONFIG_FILE.exists():
        raise CourseError(
            f"{CONFIG_FILE} not found: instructor commands run from a checkout of the course repository"
        )
    cfg = PyFileConfigLoader(CONFIG_FILE.name, path=str(CONFIG_DIR)).load_config()
    if workspace is not None:
        cfg.CourseDirectory.root = str(Path(workspace).resolve())
    return cfg


def cell_timeout() -> int:
    """Seconds one cell may run when graded (nbgrader's Execute.timeout)."""
    return int(load_config().Execute.timeout)


def prepare(workspace: str | Path | None = None) -> Path:
    """Create the workspace folder and its ``source`` link; return its path."""
    root = Path(workspace).resolve() if workspace is not None else DEFAULT_WORKSPACE
    root.mkdir(parents=True, exist_ok=True)
    source = root / "source"
    if not source.exists():
        if source.is_symlink():  # a dangling link
            source.unlink()
        source.symlink_to(REPO_ROOT / "solutions", target_is_directory=True)
    _ensure_tools_on_path()
    return root


def _ensure_tools_on_path() -> None:
    # nbgrader runs `alembic` as a command to set up the gradebook, so the
    # environment's bin/ must be on PATH even when PATH was not activated.
    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")


class LogCapture(logging.Handler):
    """Collect nbgrader's log records while one of its converters runs."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
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


def run_converter(cls, cfg, assignment_id: str, root: Path, students: list[str]) -> dict[str, str]:
    """Run an nbgrader converter for ``students`` only; return {student: reason} for failures."""
    coursedir = CourseDirectory(config=cfg)
    coursedir.assignment_id = assignment_id
    coursedir.student_id = "*"
    others = sorted(p.name for p in (root / "submitted").iterdir() if p.is_dir() and p.name not in students)
    coursedir.student_id_exclude = ",".join(others)
    converter = cls(coursedir=coursedir, config=cfg)
    capture = quiet_converter(converter)
    try:
        converter.start()
    except NbGraderException:
        pass  # per-student failures are read from the log below
    return failures_from_log(capture, students)


def failures_from_log(capture: LogCapture, students: list[str]) -> dict[str, str]:
    failures: dict[str, str] = {}
    current = None
    for rec in capture.records:
        msg = rec.getMessage()
        m = re.match(r"There was an error processing assignment: (.*)", msg)
        if m:
            path = Path(m.group(1))
            current = next((s for s in students if s in path.parts), None)
            if current:
                failures[current] = "nbgrader could not process this submission"
            continue
        if current and rec.levelname == "ERROR" and msg.startswith("Traceback"):
            last = [line for line in msg.strip().splitlines() if line.strip()][-1]
            failures[current] = f"nbgrader could not process this submission: {last}"
            current = None
    return failures
