"""The Unix accounts of a class: the instructor and every student of the roster.

Each is a real account with its own home (mode 0700), created once with a generated
first password; the passwords are written to ``first-passwords.csv`` in the hub's
state folder (readable by root only) for the instructor to hand out. Students log in
with PAM (JupyterHub's default authenticator) and change it with ``passwd`` in a
terminal. Accounts made here carry a marker in their comment field; ``remove`` never
touches any other account.
"""

from __future__ import annotations

import csv
import os
import pwd
import secrets
import subprocess
from pathlib import Path

from ..errors import CourseError

MARKER = "cnn-pytorch course account"


def exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def is_ours(name: str) -> bool:
    try:
        return pwd.getpwnam(name).pw_gecos == MARKER
    except KeyError:
        return False


def ensure(names: list[str], state: Path) -> dict[str, str]:
    """Create the accounts of ``names`` that do not exist yet; return their first passwords."""
    if os.geteuid() != 0:
        raise CourseError("creating the class's Unix accounts needs root (run `sudo make hub`)")
    created = {}
    for name in names:
        if exists(name):
            continue
        _run(["useradd", "--create-home", "--shell", "/bin/bash", "--comment", MARKER, "-K", "UMASK=0077", name])
        password = secrets.token_urlsafe(12)
        _run(["chpasswd"], input=f"{name}:{password}\n")
        created[name] = password
    if created:
        _record(state / "first-passwords.csv", created)
    return created


def remove(names: list[str]) -> None:
    """Delete the accounts of ``names`` that this module made, with their homes."""
    for name in names:
        if is_ours(name):
            subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)
            _run(["userdel", "--remove", name], ok=(0, 12))  # 12: home already gone


def _record(path: Path, created: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    new = not path.exists()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", newline="") as fh:
        writer = csv.writer(fh)
        if new:
            writer.writerow(["account", "first_password"])
        writer.writerows(created.items())


def _run(cmd: list[str], input: str | None = None, ok=(0,)) -> None:
    done = subprocess.run(cmd, input=input, capture_output=True, text=True)
    if done.returncode not in ok:
        raise CourseError(f"{' '.join(cmd[:1] + cmd[-1:])} failed: {done.stderr.strip() or done.returncode}")
