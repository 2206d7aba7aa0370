"""A throwaway course hub for tests and benchmarks: its own port, state, exchange, workspace and accounts.

``ClassHub`` starts ``course hub`` (the real command) with every folder in a temporary
directory and a roster of throwaway accounts, and ``close()`` removes every account and
process it started, also after a failure. The browser steps a student or the instructor
takes in JupyterLab (log in, the Assignments tab, the formgrader) are functions here too.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import pwd
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from course.grading import release
from course.hub import accounts
from course.hub.settings import ENV, PROXY, proxy_command

COURSE = str(Path(sys.executable).with_name("course"))
CHROMIUM = "/usr/bin/chromium"
START_TIMEOUT_S = 180


def why_not() -> str | None:
    """Why a hub cannot run on this machine (None: it can)."""
    if os.geteuid() != 0:
        return "the course hub needs root (it creates Unix accounts and starts servers as them)"
    if proxy_command() is None:
        return f"{PROXY} is missing and no configurable-http-proxy is on PATH: node/npm are needed (make proxy)"
    return None


def free_ports(count: int = 3) -> int:
    """A port whose next ``count - 1`` ports are free too (the hub takes three in a row)."""
    for _ in range(200):
        base = 20000 + secrets.randbelow(30000)
        socks = []
        try:
            for k in range(count):
                s = socket.socket()
                socks.append(s)
                s.bind(("127.0.0.1", base + k))
            return base
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise RuntimeError("no three free ports in a row")


@dataclass
class ClassHub:
    """A course hub of ``students`` (throwaway accounts) and an instructor, under ``root``."""

    root: Path
    students: list[str]
    days: tuple[str, ...] = ("day01",)
    tag: str = field(default_factory=lambda: secrets.token_hex(3))
    proc: subprocess.Popen | None = None
    passwords: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.instructor = f"t{self.tag}i"
        self.port = free_ports()
        self.url = f"http://localhost:{self.port}"
        for name in ("state", "exchange", "workspace"):
            (self.root / name).mkdir(parents=True, exist_ok=True)
        self.workspace = self.root / "workspace"
        self.roster = self.root / "roster.csv"
        with self.roster.open("w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["id", "first_name", "last_name", "email", "lms_user_id"])
            for k, s in enumerate(self.students):
                w.writerow([s, s.title(), "Tester", f"{s}@example.edu", str(50000 + k)])
        self.env = {**os.environ, ENV["port"]: str(self.port), ENV["state"]: str(self.root / "state"),
                    ENV["exchange"]: str(self.root / "exchange"), ENV["roster"]: str(self.roster),
                    ENV["workspace"]: str(self.workspace), ENV["instructor"]: self.instructor,
                    "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
        for day in self.days:
            release.build(day, self.workspace)

    # -- the hub process ---------------------------------------------------------------------
    def start(self, grading_service: bool) -> None:
        cmd = [COURSE, "hub", "--share-environment"] + ([] if grading_service else ["--no-grading-service"])
        self.log = (self.root / "hub.log").open("ab")
        self.proc = subprocess.Popen(cmd, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"course hub exited with {self.proc.returncode}:\n{self.log_tail()}")
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(f"{self.url}/hub/login", timeout=5) as r:
                    if r.status == 200:
                        break
            time.sleep(1)
        else:
            raise TimeoutError(f"the hub did not answer in {START_TIMEOUT_S} s:\n{self.log_tail()}")
        if not self.passwords:
            with (self.root / "state" / "first-passwords.csv").open() as fh:
                self.passwords = {r["account"]: r["first_password"] for r in csv.DictReader(fh)}

    def stop(self) -> None:
        """SIGTERM (JupyterHub then stops the servers, the service and the proxy), then SIGKILL what is left."""
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            pass
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)
        self.proc = None
        self.log.close()

    def close(self) -> list[str]:
        """Stop the hub, end every process of its accounts, delete the accounts; return what was left over."""
        self.stop()
        names = [self.instructor, *self.students]
        leftovers = []
        for pid_file in ("jupyterhub.pid", "proxy.pid"):
            path = self.root / "state" / pid_file
            if path.exists() and _alive(int(path.read_text().strip() or 0)):
                leftovers.append(f"{pid_file} process still running")
                with contextlib.suppress(ProcessLookupError, ValueError):
                    os.kill(int(path.read_text()), signal.SIGKILL)
        ours = _pids_matching(f"COURSE_HUB_PORT={self.port}", f"JUPYTERHUB_USER={self.instructor}")
        leftovers += [f"process {pid} of this hub" for pid in ours]
        for pid in ours:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        accounts.remove(names)
        leftovers += [f"account {n}" for n in names if accounts.exists(n)]
        return leftovers

    def log_tail(self, lines: int = 40) -> str:
        path = self.root / "hub.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    # -- the instructor's commands -------------------------------------------------------------
    def course(self, *args: str, timeout: float = 900) -> subprocess.CompletedProcess:
        run = subprocess.run([COURSE, *args], env=self.env, capture_output=True, text=True, timeout=timeout)
        assert run.returncode in (0, 1), f"course {' '.join(args)} failed ({run.returncode}):\n{run.stdout}\n{run.stderr}"
        return run

    def home(self, name: str) -> Path:
        return Path(pwd.getpwnam(name).pw_dir)


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _pids_matching(*env_entries: str) -> list[int]:
    """Processes whose environment holds one of ``env_entries`` (what this hub started, wherever it went)."""
    wanted = {e.encode() for e in env_entries}
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        with contextlib.suppress(OSError):
            if wanted & set((proc / "environ").read_bytes().split(b"\0")):
                found.append(int(proc.name))
    return found


# -- browser steps (Playwright, one context per person) ------------------------------------------
PUT_NOTEBOOK = """async ([path, content]) => {
  const xsrf = document.cookie.split('; ').find(c => c.startsWith('_xsrf='))?.split('=')[1];
  const r = await fetch(path, {method: 'PUT', headers: {'Content-Type': 'application/json', 'X-XSRFToken': xsrf},
                               body: JSON.stringify({type: 'notebook', format: 'json', content})});
  return r.status; }"""
GET_TEXT = "async (path) => { const r = await fetch(path); return [r.status, await r.text()]; }"


def log_in(browser, hub: ClassHub, name: str):
    """A new browser context for ``name``, logged in, on their JupyterLab."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(f"{hub.url}/hub/login")
    page.fill("#username_input", name)
    page.fill("#password_input", hub.passwords[name])
    page.click("#login_submit")
    open_lab(page, hub, name)
    return page


def open_lab(page, hub: ClassHub, name: str) -> None:
    page.goto(f"{hub.url}/hub/spawn")  # starts the server if the hub stopped it
    page.wait_for_url(re.compile(rf"{re.escape(name)}\.localhost:{hub.port}/user/{re.escape(name)}/lab"),
                      timeout=START_TIMEOUT_S * 1000)
    page.wait_for_selector("#jp-main-dock-panel", timeout=START_TIMEOUT_S * 1000)


def menu(page, top: str, item: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(rf"^{top}$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(rf"^{re.escape(item)}$")).click()


def assignments_tab(page) -> None:
    menu(page, "Nbgrader", "Assignment List")
    page.wait_for_selector("#released_assignments_list", timeout=60_000)


def fetch_assignment(page, day_id: str) -> None:
    page.locator("#released_assignments_list .list_item", has_text=day_id).locator("button",
                                                                                  has_text="Fetch").click()
    page.wait_for_selector(f"#fetched_assignments_list .list_item >> text={day_id}", timeout=60_000)


def put_answers(page, name: str, day_id: str, nb) -> None:
    """Save ``nb`` as the student's copy of the assignment (what typing the answers and saving does)."""
    status = page.evaluate(PUT_NOTEBOOK, [f"/user/{name}/api/contents/{day_id}/{day_id}.ipynb",
                                          json.loads(nbformat.writes(nb))])
    assert status == 200, f"saving {name}'s notebook answered HTTP {status}"


def validate(page, day_id: str) -> str:
    """Validate in the Assignments tab; the dialog's text."""
    item = page.locator("#fetched_assignments_list .list_item", has_text=day_id).first
    button = page.locator("#fetched_assignments_list button", has_text="Validate").first
    if not button.is_visible():  # the notebooks of an assignment show when its name is clicked
        item.locator("a", has_text=day_id).first.click()
    button.click()
    dialog = page.locator(".jp-Dialog")
    dialog.wait_for(timeout=600_000)
    text = dialog.inner_text()
    dialog.locator("button").last.click()
    dialog.wait_for(state="detached")
    return text


SUBMITTED_AT = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ UTC")


def submissions_listed(page) -> int:
    """How many submissions (each shown with its time) the Assignments tab lists."""
    return len(SUBMITTED_AT.findall(page.locator("#submitted_assignments_list").inner_text()))


def submit(page, day_id: str) -> int:
    """Submit in the Assignments tab; the number of submissions listed afterwards."""
    before = submissions_listed(page)
    page.locator("#fetched_assignments_list .list_item", has_text=day_id).locator("button",
                                                                                 has_text="Submit").first.click()
    deadline = time.monotonic() + 120
    while submissions_listed(page) <= before:
        assert time.monotonic() < deadline, f"no new submission listed after Submit: {before} before"
        time.sleep(0.5)
    return submissions_listed(page)


def fetch_feedback(page) -> None:
    page.locator("#submitted_assignments_list button", has_text="Fetch Feedback").first.click()


def feedback_files(home: Path, day_id: str) -> list[Path]:
    return sorted((home / day_id / "feedback").glob("*/*.html"))
