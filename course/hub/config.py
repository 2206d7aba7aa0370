"""JupyterHub's settings for the course hub (``autograder/jupyterhub_config.py`` calls ``configure``)."""

from __future__ import annotations

import sys
from pathlib import Path

from .. import syllabus
from ..grading import roster
from .settings import HubSettings, proxy_command
from .spawner import CourseSpawner

SERVICE = "grading"


def configure(c, settings: HubSettings) -> None:
    """Fill JupyterHub's config ``c`` for ``settings``."""
    state = settings.state
    students = [s.id for s in roster.read(settings.roster)]

    c.JupyterHub.ip = settings.ip
    c.JupyterHub.port = settings.port
    # the hub's and the proxy's own APIs on the next two ports (loopback only)
    c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{settings.port + 1}"
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings.port + 2}"
    # Every user on their own origin (NAME.DOMAIN): what makes framing the formgrader safe.
    c.JupyterHub.subdomain_host = settings.url
    c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
    c.JupyterHub.pid_file = str(state / "jupyterhub.pid")
    c.ConfigurableHTTPProxy.command = [str(proxy_command() or "configurable-http-proxy")]
    c.ConfigurableHTTPProxy.pid_file = str(state / "proxy.pid")

    # PAM: the class's own Unix accounts (course.hub.accounts), each password known to one person.
    c.JupyterHub.authenticator_class = "pam"
    c.PAMAuthenticator.open_sessions = False
    c.Authenticator.allowed_users = set(students) | {settings.instructor}
    c.Authenticator.admin_users = {settings.instructor}

    c.JupyterHub.spawner_class = CourseSpawner
    c.CourseSpawner.instructor = settings.instructor
    c.CourseSpawner.exchange = str(settings.exchange)
    c.CourseSpawner.workspace = str(settings.workspace or "")
    c.Spawner.cmd = [str(Path(sys.executable).with_name("jupyterhub-singleuser"))]
    c.Spawner.default_url = "/lab"
    c.Spawner.http_timeout = 120
    c.Spawner.start_timeout = 120

    if settings.grading_service and any(d.feedback_on_submit for d in syllabus.days()):
        c.JupyterHub.services = [{
            "name": SERVICE,
            "command": [str(Path(sys.executable).with_name("course")), "feedback-service"],
            "environment": settings.to_env(),
        }]
