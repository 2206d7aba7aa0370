"""``course hub``: make what the class needs on this machine, then run JupyterHub."""

from __future__ import annotations

import os
import runpy
import shutil
import stat
import sys
from pathlib import Path

from .. import syllabus
from ..errors import CourseError
from ..grading import roster
from . import accounts
from .settings import ENV, PROXY, HubSettings, proxy_command

CONFIG_FILE = syllabus.REPO_ROOT / "autograder" / "jupyterhub_config.py"


def prepare_exchange(root: Path) -> Path:
    """nbgrader's file-system exchange: root-owned, readable by all; the course folder in it is made
    here, not by the first user to get there (nbgrader's release makes inbound/outbound below it)."""
    course = root / syllabus.course_id()
    course.mkdir(parents=True, exist_ok=True)
    # nbgrader wants its root writable by all (its docs: chmod ugo+rw); the sticky bit keeps
    # anyone from renaming what others made there, and the course folder is root's
    for path, mode in ((root, 0o1777), (course, 0o755)):
        if path.stat().st_uid == os.geteuid():
            path.chmod(mode)
    return course


def blocked_folders() -> list[Path]:
    """Folders on the way to the course's Python (the environment and the interpreter it was made
    from) that other users cannot pass through: their servers could not start."""
    blocked = []
    for target in {Path(sys.prefix), Path(sys.base_prefix), Path(sys.executable).resolve().parent}:
        for folder in [*reversed(target.parents), target]:
            if not folder.stat().st_mode & stat.S_IXOTH and folder not in blocked:
                blocked.append(folder)
    return blocked


def share_environment(grant: bool) -> list[Path]:
    """Let students' servers reach the course's Python: with ``grant``, add o+x (pass through, not
    list) to the folders that block it and return them; without, say which they are."""
    blocked = blocked_folders()
    if blocked and not grant:
        raise CourseError(
            "students' servers run the course's Python as their own accounts, but "
            + ", ".join(f"{p} (mode {p.stat().st_mode & 0o777:o})" for p in blocked)
            + " lets no other user pass through; run `chmod o+x` on it, or `course hub --share-environment`"
              " (what `make hub` does), or install the environment outside it")
    for folder in blocked:
        folder.chmod(folder.stat().st_mode | stat.S_IXOTH)
    return blocked


def prepare(settings: HubSettings, share: bool = False) -> dict[str, str]:
    """The state folder, the exchange and the accounts; return the accounts created (first passwords)."""
    if os.geteuid() != 0:
        raise CourseError("the course hub runs as root: it starts each user's server as that user (sudo make hub)")
    if proxy_command() is None:
        raise CourseError(f"JupyterHub's proxy (configurable-http-proxy) is neither in {PROXY.parents[2]} nor on "
                          "PATH: run `make proxy` (needs node and npm), or install it with conda or npm")
    students = roster.read(settings.roster)
    bad = [s.id for s in students if not roster.is_account_name(s.id)]
    if bad:
        raise CourseError(f"{settings.roster}: {', '.join(bad)}: not usable as account names ({roster.ACCOUNT_NAME_RULE})")
    if settings.instructor in {s.id for s in students}:
        raise CourseError(f"{settings.roster}: the instructor account {settings.instructor!r} is also a student")
    for folder in share_environment(share):
        print(f"{folder}: others may now pass through (o+x), so students' servers can run the course's Python")
    settings.state.mkdir(parents=True, exist_ok=True)
    settings.state.chmod(stat.S_IRWXU)
    prepare_exchange(settings.exchange)
    return accounts.ensure([settings.instructor, *(s.id for s in students)], settings.state)


def settings(**overrides) -> HubSettings:
    """The class's settings (SETTINGS in autograder/jupyterhub_config.py), with ``overrides`` (None: keep)."""
    for name, value in overrides.items():
        if value is not None:
            os.environ[ENV[name]] = str(value).lower() if isinstance(value, bool) else str(value)
    return runpy.run_path(str(CONFIG_FILE))["SETTINGS"]


def run(settings: HubSettings, share: bool = False) -> None:
    """Prepare, then replace this process by JupyterHub with the course's config."""
    created = prepare(settings, share)
    if created:
        print(f"created {len(created)} account(s); first passwords in {settings.state / 'first-passwords.csv'}")
    hub = shutil.which("jupyterhub", path=str(Path(sys.executable).parent)) or "jupyterhub"
    print(f"JupyterHub for {syllabus.course_id()} at {settings.url}/ (students: {settings.roster})", flush=True)
    os.environ.update(settings.to_env())  # what JupyterHub's reading of the config file will see
    os.execv(hub, [hub, "-f", str(CONFIG_FILE)])
