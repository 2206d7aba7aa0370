"""The course hub's settings, JupyterHub config and preparation (accounts, exchange, environment)."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest
from traitlets.config import Config

from course.errors import CourseError
from course.grading import roster
from course.hub import config, launch
from course.hub.settings import ENV, HubSettings
from course.syllabus import REPO_ROOT


def test_settings_come_from_the_config_file_and_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(ENV["port"], "9123")
    s = launch.settings(roster=tmp_path / "r.csv", grading_service=False)
    assert (s.port, s.roster, s.grading_service) == (9123, tmp_path / "r.csv", False)
    assert s.ip == "127.0.0.1" and s.instructor == "instructor", "the defaults of autograder/jupyterhub_config.py"
    assert HubSettings.from_env() == s, "what `course hub` sets is what JupyterHub's reading of the file sees"


def test_jupyterhub_config_for_a_class():
    c = Config()
    s = HubSettings(port=8300, state=Path("/tmp/state"), exchange=Path("/tmp/ex"))
    config.configure(c, s)
    students = {st.id for st in roster.read(s.roster)}
    assert c.JupyterHub.authenticator_class == "pam", "each person logs in with their own account's password"
    assert c.Authenticator.allowed_users == students | {"instructor"}
    assert c.Authenticator.admin_users == {"instructor"}
    assert c.JupyterHub.subdomain_host == "http://localhost:8300", "each user on their own origin"
    assert (c.JupyterHub.ip, c.JupyterHub.hub_bind_url) == ("127.0.0.1", "http://127.0.0.1:8301")
    assert c.JupyterHub.cookie_secret_file.startswith("/tmp/state/")
    assert [svc["name"] for svc in c.JupyterHub.services] == ["grading"]
    assert c.JupyterHub.services[0]["command"][-1] == "feedback-service"
    off = Config()
    config.configure(off, HubSettings(grading_service=False))
    assert "services" not in off.JupyterHub


def test_only_the_instructors_server_may_be_framed():
    instructor = (REPO_ROOT / "course/hub/jupyter/instructor/jupyter_server_config.py").read_text()
    assert "frame-ancestors 'self'" in instructor
    student_dir = REPO_ROOT / "course/hub/jupyter/student"
    assert "frame-ancestors" not in "".join(p.read_text() for p in student_dir.rglob("*") if p.is_file())
    assert '"nbgrader.server_extensions.formgrader": false' in (student_dir / "jupyter_server_config.json").read_text()


def test_an_exchange_nbgrader_accepts_with_a_course_folder_only_root_can_change(tmp_path):
    course = launch.prepare_exchange(tmp_path / "exchange")
    assert stat.S_IMODE((tmp_path / "exchange").stat().st_mode) == 0o1777
    assert stat.S_IMODE(course.stat().st_mode) == 0o755


def test_folders_hiding_the_python_are_named_and_opened_only_when_asked(monkeypatch, tmp_path):
    hidden = tmp_path / "home"
    env = hidden / "env"
    env.mkdir(parents=True)
    hidden.chmod(0o700)
    monkeypatch.setattr(sys, "prefix", str(env))
    with pytest.raises(CourseError) as err:
        launch.share_environment(grant=False)
    assert f"{hidden} (mode 700)" in str(err.value) and "--share-environment" in str(err.value)
    assert hidden in launch.share_environment(grant=True)
    assert hidden.stat().st_mode & stat.S_IXOTH and not hidden.stat().st_mode & stat.S_IROTH


def test_a_roster_that_cannot_be_accounts_is_refused(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("preparing the hub needs root")
    bad = tmp_path / "roster.csv"
    bad.write_text("id,first_name,last_name,email,lms_user_id\nAda.L,Ada,L,,\n")
    with pytest.raises(CourseError, match=r"Ada.L: not usable as account names"):
        launch.prepare(HubSettings(roster=bad, state=tmp_path / "state", exchange=tmp_path / "ex"), share=True)


@pytest.mark.parametrize("text, message", [
    ("name,email\nada,a@x\n", "the first line must name the columns"),
    ("id,first_name,colour\nada,Ada,red\n", "unknown column(s) colour"),
    ("id\nada\nada\n", "line 3: student 'ada' is already on line 2"),
    ("id,lms_user_id\nada,7\nben,7\n", "line 3: lms_user_id 7 is already on line 2"),
    ("id\n", "the roster has no students"),
])
def test_roster_errors_name_the_line(tmp_path, text, message):
    path = tmp_path / "roster.csv"
    path.write_text(text)
    with pytest.raises(CourseError) as err:
        roster.read(path)
    assert str(path) in str(err.value) and message in str(err.value)
