"""JupyterHub for a class on one server: the course hub (`make hub`, or `course hub`).

SETTINGS are the class's settings; `course hub --port ... --roster ...` overrides them
for one run (through the COURSE_HUB_* variables named in course.hub.settings).
`course hub` reads SETTINGS from this file to make the accounts and the exchange,
then starts JupyterHub on it.
"""
from pathlib import Path

from course.hub.settings import HubSettings

HERE = Path(__file__).resolve().parent

SETTINGS = HubSettings.from_env(
    ip="127.0.0.1",                    # only this machine; put a TLS proxy in front for a public address
    port=8000,                         # the hub's own API and the proxy's take the next two ports
    domain="localhost",                # users at NAME.localhost:8000 (their own origin each)
    instructor="instructor",           # the account whose server grades (runs as the checkout's owner)
    roster=HERE / "roster.csv",        # the students: one Unix account each
    state=HERE.parent / ".hub",        # the hub's database, cookie secret, first passwords (git-ignored)
    exchange=Path("/srv/nbgrader/exchange"),
    grading_service=True,              # feedback on arrival for the days syllabus.toml turns on
)

if "get_config" in globals():  # loaded by JupyterHub
    from course.hub.config import configure

    configure(get_config(), SETTINGS)  # noqa: F821 (injected by traitlets)
