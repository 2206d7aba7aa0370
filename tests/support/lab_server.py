"""Helpers for driving JupyterLab + ipywidgets in a real browser (see test_browser_widgets.py).

* :func:`lab_server` starts ``jupyter lab`` on 127.0.0.1 with a random token and
  throwaway runtime / config / settings / workspace folders, and tears it (and
  its kernels) down afterwards.
* :func:`open_notebook`, :func:`run_all_cells`: open a notebook and run it,
  waiting for the kernel to be idle and no cell to show ``[*]``.
* :func:`slider`, :func:`set_slider`: find an ipywidgets 8 IntSlider by its
  description and set its value by typing into its editable readout.
* :func:`wait_until`, :func:`wait_for_change`, :func:`stable_screenshot`: wait for the DOM / the
  rendered pixels to settle.

How a slider is moved: the readout next to an ipywidgets 8 slider
(``.widget-readout``) is ``contenteditable``; clicking it, selecting its text,
typing a number and pressing Enter sets the model's value as a user would:
one value change, straight to any value (clamped to min..max by the widget).
Keys on the focused handle (``.noUi-handle``) work as well (ArrowRight +1,
PageUp +5, Home / End = min / max) and so does a click on the track, but
those reach an arbitrary value only by counting key presses or pixels.

Playwright's own browser download does not work here: the browser is
Debian's ``/usr/bin/chromium`` (``scripts/install_browser.sh``).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
KERNEL_TIMEOUT_S = 60
# JupyterLab settings for a quiet, deterministic UI: no news / update toasts,
# every cell in the DOM (no windowing), no autosave writes into the copies
SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


@contextlib.contextmanager
def lab_server(root_dir: Path, state_dir: Path, timeout: float = 60):
    """Start JupyterLab serving ``root_dir``; yield ``(url, token, root_dir)``.

    ``url`` ends with ``/``.  Everything JupyterLab writes (runtime files,
    config, user settings, workspaces) goes under ``state_dir``; the log is
    ``state_dir / "lab.log"``.  On exit the server, its kernels and its
    process group are terminated (then killed).
    """
    import psutil

    root_dir, state_dir = Path(root_dir), Path(state_dir)
    settings_dir = state_dir / "settings"
    for name, values in SETTINGS.items():
        path = settings_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    env = {**os.environ,
           "JUPYTER_RUNTIME_DIR": str(state_dir / "runtime"),
           "JUPYTER_CONFIG_DIR": str(state_dir / "config"),
           "JUPYTER_DATA_DIR": str(state_dir / "data"),
           "JUPYTERLAB_SETTINGS_DIR": str(settings_dir),
           "JUPYTERLAB_WORKSPACES_DIR": str(state_dir / "workspaces"),
           "JUPYTER_PLATFORM_DIRS": "1"}
    env.pop("MPLBACKEND", None)  # the notebooks choose their own backend
    token, port = secrets.token_hex(16), _free_port()
    jupyter = Path(sys.executable).with_name("jupyter")
    cmd = [str(jupyter), "lab", "--allow-root", "--no-browser",
           "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root_dir}",
           "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
           f"--LabApp.user_settings_dir={settings_dir}", f"--LabApp.workspaces_dir={state_dir / 'workspaces'}",
           "--LabApp.expose_app_in_browser=True"]
    log = open(state_dir / "lab.log", "wb")
    proc = subprocess.Popen(cmd, cwd=root_dir, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + timeout
        while not _answers(f"{url}api/status?token={token}"):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"JupyterLab did not start (exit code {proc.poll()}); log:\n"
                                   + (state_dir / "lab.log").read_text(errors="replace")[-3000:])
            time.sleep(0.2)
        yield url, token, root_dir
    finally:
        # kernels run in their own sessions: collect them before the server goes
        children = []
        with contextlib.suppress(psutil.Error):
            children = psutil.Process(proc.pid).children(recursive=True)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)
        for child in children:
            with contextlib.suppress(psutil.Error):
                child.kill()
        log.close()


@contextlib.contextmanager
def chromium(state_dir: Path):
    """Playwright driving Debian's headless Chromium, closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_browser(p, state_dir)
        try:
            yield browser
        finally:
            browser.close()


def launch_browser(playwright, state_dir: Path):
    """Headless Debian Chromium (we may be root, hence --no-sandbox); its crash reports and
    caches go under ``state_dir``, not ~/.config/chromium."""
    env = {**os.environ, "XDG_CONFIG_HOME": str(state_dir / "config"), "XDG_CACHE_HOME": str(state_dir / "cache")}
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"], env=env)


# JS: the current notebook's kernel status ('idle', 'busy', ...), or null while it has no connected kernel.
# (The toolbar's .jp-Notebook-ExecutionIndicator already says "idle" before the kernel is connected.)
_KERNEL_STATUS = """() => {
  const ctx = window.jupyterapp.shell.currentWidget?.sessionContext;
  const kernel = ctx?.session?.kernel;
  return ctx?.isReady && kernel?.connectionStatus === 'connected' ? kernel.status : null;
}"""


def wait_kernel_idle(page, timeout: float = KERNEL_TIMEOUT_S) -> None:
    """Wait until the current notebook has a connected kernel whose status is idle."""
    page.wait_for_function(f"({_KERNEL_STATUS})() === 'idle'", timeout=timeout * 1000, polling=100)


def open_notebook(page, url: str, token: str, name: str, timeout: float = KERNEL_TIMEOUT_S) -> None:
    """Open ``name`` (relative to the root dir) in JupyterLab and wait for its kernel to be idle."""
    page.goto(f"{url}lab/tree/{name}?token={token}&reset", timeout=timeout * 1000)
    page.locator(".jp-Notebook").first.wait_for(timeout=timeout * 1000)
    wait_kernel_idle(page, timeout)


# JS, on the current notebook: its non-empty code cells (an empty one never gets a number), how many
# prompts show [*] and how many a number, and the text of any error output
_CELL_STATE = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const cells = panel.content.widgets.filter(c => c.model.type === 'code' && c.model.sharedModel.getSource().trim());
  const prompts = cells.map(c => c.node.querySelector('.jp-InputArea-prompt')?.textContent.trim() ?? '');
  return {cells: cells.length, running: prompts.filter(p => p.includes('*')).length,
          done: prompts.filter(p => /\\[\\d+\\]/.test(p)).length,
          errors: [...panel.node.querySelectorAll('[data-mime-type="application/vnd.jupyter.error"]')]
                    .map(e => e.textContent.slice(-2000))};
}"""


def run_all_cells(page, timeout: float = KERNEL_TIMEOUT_S) -> None:
    """Run > Run All Cells, then wait until every code cell ran (or one failed) and the kernel is idle.

    The command is run through JupyterLab's command registry (``window.jupyterapp``,
    exposed by ``--LabApp.expose_app_in_browser``): the same command the menu item
    calls, without depending on menu layout.  Raises AssertionError with the
    traceback text if a cell fails.
    """
    # not awaited: the command's promise settles only when the last cell has run
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    deadline = time.monotonic() + timeout
    while True:
        state = page.evaluate(_CELL_STATE)
        if state["errors"]:
            raise AssertionError("a cell failed while running all cells:\n" + "\n---\n".join(state["errors"]))
        if state["running"] == 0 and state["done"] == state["cells"]:
            break
        if time.monotonic() > deadline:
            raise TimeoutError(f"cells still running after {timeout} s: {state}")
        time.sleep(0.25)
    wait_kernel_idle(page, max(1.0, deadline - time.monotonic()))


def slider(scope, description: str):
    """The ipywidgets 8 slider (``.widget-slider``) inside ``scope`` (a page or a locator)
    whose description label (``.widget-label``) is exactly ``description``."""
    page = getattr(scope, "page", scope)
    label = page.locator(".widget-label", has_text=re.compile(rf"^\s*{re.escape(description)}\s*$"))
    return scope.locator(".widget-slider", has=label).first


def set_slider(scope, description: str, value: int, timeout: float = 10) -> None:
    """Set an IntSlider by typing ``value`` into its editable readout and pressing Enter.

    Waits until the readout shows the value (the widget clamps out-of-range values,
    so ask only for values in min..max).
    """
    readout = slider(scope, description).locator(".widget-readout")
    readout.click()
    readout.press("Control+A")
    readout.press_sequentially(str(value))
    readout.press("Enter")
    deadline = time.monotonic() + timeout
    while readout.inner_text().strip() != str(value):
        if time.monotonic() > deadline:
            raise TimeoutError(f"slider {description!r} shows {readout.inner_text()!r}, not {value}")
        time.sleep(0.05)


def wait_until(read, done, timeout: float = 10, interval: float = 0.05):
    """Call ``read()`` until ``done(value)`` is true; return that value (TimeoutError with the last one)."""
    deadline = time.monotonic() + timeout
    while not done(value := read()):
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up after {timeout} s; last value: {value!r}")
        time.sleep(interval)
    return value


def wait_for_change(read, old, timeout: float = 10):
    """Call ``read()`` (e.g. a locator's inner_text) until it returns something other than ``old``."""
    return wait_until(read, lambda value: value != old, timeout)


def stable_screenshot(locator, path: Path, timeout: float = 10) -> bytes:
    """Screenshot ``locator`` until two shots in a row are identical (images decoded, redraws done)."""
    deadline = time.monotonic() + timeout
    shot = locator.screenshot()
    while True:
        time.sleep(0.2)
        again = locator.screenshot()
        if again == shot or time.monotonic() > deadline:
            break
        shot = again
    Path(path).write_bytes(again)
    return again
