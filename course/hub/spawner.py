"""Each user's JupyterLab on the course hub, with the course's environment.

Students run as their own account in their home, with nbgrader's Assignments tab
(fetch, validate, submit, fetch feedback) and without the instructor's extensions.
The instructor's server runs as the account that owns the course checkout, in the
checkout, with the formgrader: grading, the gradebook and the release are that
account's files (``course grade`` runs there too).
"""

from __future__ import annotations

import os
import pwd
import sys
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid
from traitlets import Unicode

from ..syllabus import REPO_ROOT

JUPYTER_CONFIG = Path(__file__).parent / "jupyter"
AUTOGRADER = REPO_ROOT / "autograder"


def checkout_owner() -> str:
    return pwd.getpwuid(REPO_ROOT.stat().st_uid).pw_name


class CourseSpawner(LocalProcessSpawner):
    instructor = Unicode("instructor", help="the hub account whose server grades").tag(config=True)
    exchange = Unicode(help="nbgrader's exchange folder").tag(config=True)
    workspace = Unicode("", help="the grading workspace, if not autograder/").tag(config=True)

    @property
    def is_instructor(self) -> bool:
        return self.user.name == self.instructor

    def _account(self) -> str:
        return checkout_owner() if self.is_instructor else self.user.name

    def make_preexec_fn(self, name):
        return set_user_setuid(self._account())

    def user_env(self, env):
        account = pwd.getpwnam(self._account())
        env.update(USER=account.pw_name, HOME=account.pw_dir, SHELL=account.pw_shell or "/bin/bash")
        return env

    def get_env(self):
        env = super().get_env()
        bindir = str(Path(sys.executable).parent)
        env["PATH"] = bindir + os.pathsep + env.get("PATH", os.defpath)
        env["COURSE_EXCHANGE"] = self.exchange
        if self.is_instructor:
            if self.workspace:
                env["COURSE_WORKSPACE"] = self.workspace
            env["JUPYTER_CONFIG_PATH"] = os.pathsep.join([str(JUPYTER_CONFIG / "instructor"), str(AUTOGRADER)])
        else:
            env["JUPYTER_CONFIG_PATH"] = str(JUPYTER_CONFIG / "student")
        return env

    def get_args(self):
        args = super().get_args()
        if self.is_instructor:
            # the formgrader needs the workspace inside the server's root folder
            workspace = Path(self.workspace) if self.workspace else REPO_ROOT
            args.append(f"--ServerApp.root_dir={REPO_ROOT if workspace.is_relative_to(REPO_ROOT) else workspace}")
            if self._account() == "root":
                args.append("--allow-root")
        return args
