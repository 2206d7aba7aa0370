"""The nbgrader course directory ("workspace") and its configuration.

The default workspace is ``autograder/``: its ``source`` and ``release`` are
links to ``solutions/`` and ``exercises/``, and nbgrader writes ``submitted/``,
``autograded/``, ``feedback/`` and ``gradebook.db`` there. Any other folder can
serve as a workspace (tests use temporary ones); it gets a ``source`` link to
the repository's ``solutions/`` and a ``release`` folder of its own.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from ..errors import CourseError
from ..syllabus import REPO_ROOT

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


def root_of(cfg: Config) -> Path:
    """The workspace folder that ``cfg`` names."""
    return Path(CourseDirectory(config=cfg).root)


def gradebook_path(cfg: Config) -> Path:
    """The SQLite file of the gradebook that ``cfg`` names."""
    return Path(CourseDirectory(config=cfg).db_url.removeprefix("sqlite:///"))


def prepare(workspace: str | Path | None = None) -> Path:
    """Create the workspace folder and its ``source`` link; return its path."""
    workspace = workspace if workspace is not None else os.environ.get("COURSE_WORKSPACE") or None
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
