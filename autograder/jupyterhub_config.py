"""JupyterHub for a class on one server: the course hub (`make hub`, or `course hub`).

The defaults below are the class's settings; `course hub --port ... --roster ...`
overrides them for one run (through the COURSE_HUB_* variables of course.hub.settings).
"""
from pathlib import Path

from course.hub.config import configure
from course.hub.settings import HubSettings

HERE = Path(__file__).resolve().parent

c = get_config()  # noqa: F821 (injected by traitlets)
configure(c, HubSettings.from_env(
    ip="127.0.0.1",                    # only this machine; put a TLS proxy in front for a public address
    port=8000,
    domain="localhost",                # users at NAME.localhost:8000 (their own origin each)
    instructor="instructor",           # the account whose server grades (runs as the checkout's owner)
    roster=HERE / "roster.csv",        # the students: one Unix account each
    state=HERE.parent / ".hub",        # the hub's database, cookie secret, first passwords (git-ignored)
    exchange=Path("/srv/nbgrader/exchange"),
    grading_service=True,              # feedback on arrival for the days syllabus.toml turns on
))
