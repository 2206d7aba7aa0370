"""Where the course hub listens, who teaches, who studies, and where it keeps its state.

The defaults are written once, in ``autograder/jupyterhub_config.py``; ``course hub``'s
options (and tests) override them through the environment variables named below,
because JupyterHub reads its config file in a fresh process.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, fields
from pathlib import Path

from ..syllabus import REPO_ROOT

ENV = {  # setting -> environment variable that overrides it
    "ip": "COURSE_HUB_IP",
    "port": "COURSE_HUB_PORT",
    "domain": "COURSE_HUB_DOMAIN",
    "instructor": "COURSE_HUB_INSTRUCTOR",
    "roster": "COURSE_ROSTER",
    "state": "COURSE_HUB_STATE",
    "exchange": "COURSE_EXCHANGE",
    "grading_service": "COURSE_GRADING_SERVICE",
    "workspace": "COURSE_WORKSPACE",
}
PROXY = REPO_ROOT / ".hub" / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"  # `make hub` installs it


def proxy_command() -> Path | None:
    """JupyterHub's proxy: the one `make proxy` installed, else one on PATH (conda-forge has it)."""
    found = shutil.which("configurable-http-proxy")
    return PROXY if PROXY.exists() else Path(found) if found else None


@dataclass(frozen=True)
class HubSettings:
    ip: str = "127.0.0.1"
    port: int = 8000
    domain: str = "localhost"          # users get NAME.DOMAIN (JupyterHub subdomains); *.localhost is loopback
    instructor: str = "instructor"
    roster: Path = REPO_ROOT / "autograder" / "roster.csv"
    state: Path = REPO_ROOT / ".hub"   # the hub's database, cookie secret, first passwords (git-ignored)
    exchange: Path = Path("/srv/nbgrader/exchange")
    grading_service: bool = True       # feedback on arrival, for the days syllabus.toml turns it on
    workspace: Path | None = None      # the grading workspace (None: autograder/)

    @classmethod
    def from_env(cls, **defaults) -> "HubSettings":
        values = dict(defaults)
        for f in fields(cls):
            raw = os.environ.get(ENV[f.name])
            if raw is None:
                continue
            if f.name == "port":
                values[f.name] = int(raw)
            elif f.name == "grading_service":
                values[f.name] = raw.lower() not in ("0", "false", "no", "off")
            elif f.name in ("roster", "state", "exchange", "workspace"):
                values[f.name] = Path(raw)
            else:
                values[f.name] = raw
        return cls(**values)

    def to_env(self) -> dict[str, str]:
        env = {ENV[f.name]: str(getattr(self, f.name)) for f in fields(self) if getattr(self, f.name) is not None}
        env[ENV["grading_service"]] = str(self.grading_service).lower()
        return env

    @property
    def url(self) -> str:
        return f"http://{self.domain}:{self.port}"
