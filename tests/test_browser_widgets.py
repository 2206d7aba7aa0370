"""The convolution / pooling explorers in a real browser: JupyterLab + Chromium via Playwright.

Runs a lesson in JupyterLab, moves the explorer's ``step`` slider and checks what
the page shows (the ``course-state`` element of the ``course-readout``) against
torch computed here.  Screenshots go to the test's tmp_path and
tests/output/browser/.  Needs /usr/bin/chromium (scripts/install_browser.sh).
"""

from __future__ import annotations

import json
import math
import re
import shutil
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from lab_server import (CHROMIUM, launch_browser, lab_server, open_notebook, run_all_cells, set_slider,
                        stable_screenshot, wait_for_change)

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]

REPO = Path(__file__).resolve().parents[1]
SCREENSHOTS = REPO / "tests" / "output" / "browser"
LESSONS = {"conv": "day01_conv_layers.ipynb", "pool": "day02_pooling_cnn.ipynb"}

# what a course-state element shows, as attributes without "data-", plus the arithmetic text
READ_STATE = """e => Object.fromEntries([
  ...e.getAttributeNames().filter(n => n.startsWith('data-')).map(n => [n.slice(5), e.getAttribute(n)]),
  ['arithmetic', e.querySelector('.course-arithmetic')?.textContent ?? null]])"""


HANDMADE = True


def _write_handmade(root):
    import nbformat
    shutil.copy("/tmp/dev/handmade.py", root / "handmade.py")
    cells = {"conv": ["import torch\nfrom handmade import conv_explorer",
                      "conv_explorer(torch.arange(25.).reshape(1, 5, 5), torch.tensor([[[1., 0, -1]] * 3]), bias=0.5)"],
             "pool": ["import torch\nfrom handmade import pool_explorer",
                      "pool_explorer(torch.tensor([[1., 3, 2, 4], [2, 2, 1, 0], [5, 0, 1, 1], [1, 2, 3, 4]]))"]}
    for kind, name in LESSONS.items():
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells[kind]])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, root / name)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: run scripts/install_browser.sh (apt-get install chromium)")
    pytest.importorskip("playwright", reason="the Python package playwright is not installed")
    root = tmp_path_factory.mktemp("lab-root")
    if HANDMADE:
        _write_handmade(root)
    else:
        for name in LESSONS.values():
            shutil.copy(REPO / "lessons" / name, root / name)
    with lab_server(root, tmp_path_factory.mktemp("lab-state")) as server:
        yield server


@pytest.fixture(scope="module")
def browser(lab):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch_browser(p)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield context.new_page()
    context.close()


def _json(state, key):
    return json.loads(state[key])


def _printed_result(state) -> float:
    """The number after the last '=' of the arithmetic text."""
    text = state["arithmetic"] or ""
    assert "=" in text, f"no '= result' in the arithmetic text {text!r}"
    return float(text.rsplit("=", 1)[1].strip().replace("−", "-"))


def check_conv(state) -> None:
    x = torch.tensor(_json(state, "input"), dtype=torch.float64)
    w = torch.tensor(_json(state, "kernel"), dtype=torch.float64)
    bias = float(state["bias"])
    s, p, d = int(state["stride"]), int(state["padding"]), int(state["dilation"])
    out = F.conv2d(x[None], w[None], torch.tensor([bias], dtype=torch.float64), s, p, d)[0, 0]
    _, kh, kw = w.shape
    i, j = _check_position(state, out)
    expected = [[i * s + m * d, j * s + n * d] for m in range(kh) for n in range(kw)]
    assert sorted(_json(state, "window")) == sorted(expected), (
        f"step {state['step']}: highlighted window {_json(state, 'window')} but F.conv2d (stride {s}, padding {p}, "
        f"dilation {d}) uses padded cells {expected}")


def check_pool(state) -> None:
    x = torch.tensor(_json(state, "input"), dtype=torch.float64)
    k, s, mode = int(state["kernel-size"]), int(state["stride"]), state["mode"]
    pool = {"max": F.max_pool2d, "avg": F.avg_pool2d}[mode]
    out = pool(x[None, None], k, s)[0, 0]
    i, j = _check_position(state, out)
    window = [[i * s + m, j * s + n] for m in range(k) for n in range(k)]
    assert sorted(_json(state, "window")) == window, (
        f"step {state['step']}: highlighted window {_json(state, 'window')}, {mode}_pool2d(k={k}, s={s}) uses {window}")
    values = [float(x[r, c]) for r, c in window]
    winner = window[values.index(max(values))] if mode == "max" else None  # first maximum, row-major
    assert _json(state, "winner") == winner, f"step {state['step']}: winner {state['winner']}, expected {winner}"


def _check_position(state, out: torch.Tensor) -> tuple[int, int]:
    """data-out is divmod(step, out_width); data-value and the printed result are torch's output there."""
    step, (i, j) = int(state["step"]), _json(state, "out")
    assert [i, j] == list(divmod(step, out.shape[1])), (
        f"step {step} on a {tuple(out.shape)} output should be cell {list(divmod(step, out.shape[1]))}, "
        f"the widget says {[i, j]}")
    want = float(out[i, j])
    assert abs(float(state["value"]) - want) <= 1e-6, (
        f"step {step}, output {[i, j]}: data-value {state['value']}, torch computes {want}")
    # the text is rounded to 3 significant digits for non-integers
    assert math.isclose(_printed_result(state), want, rel_tol=5e-3, abs_tol=1e-6), (
        f"step {step}, output {[i, j]}: arithmetic {state['arithmetic']!r}, torch computes {want}")
    return i, j


def _shot(tmp_path, locator, name) -> bytes:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    png = stable_screenshot(locator, tmp_path / name)
    shutil.copy(tmp_path / name, SCREENSHOTS / name)
    return png


def explore(page, lab, tmp_path, kind: str, notebook: str, check) -> None:
    url, token, _ = lab
    open_notebook(page, url, token, notebook)
    run_all_cells(page)
    explorer = page.locator(f".course-{kind}-explorer").first
    explorer.wait_for(timeout=30_000)
    readout = explorer.locator(".course-readout .course-state").first
    readout.wait_for(state="attached", timeout=30_000)
    assert explorer.locator(".course-arithmetic").first.is_visible(), "the arithmetic text is not visible"
    figure = explorer.locator(".jupyter-matplotlib, .widget-output").first

    state = readout.evaluate(READ_STATE)
    assert state["kind"] == kind, f"data-kind {state['kind']!r} in .course-{kind}-explorer"
    check(state)
    steps = int(explorer.locator(".widget-slider", has_text="step").first.get_attribute("data-max") or 0)
    figures = {}
    last = _last_step(state, kind)
    for target in [1, last] if int(state["step"]) != 1 else [0, last]:
        set_slider(explorer, "step", target)
        state = wait_for_change(lambda: readout.evaluate(READ_STATE), state)
        state = _settle(readout, state, target)
        assert int(state["step"]) == target, f"moved the slider to {target}, data-step is {state['step']}"
        check(state)
        _shot(tmp_path, explorer, f"{kind}_step{target}.png")
        figures[target] = _shot(tmp_path, figure, f"{kind}_step{target}_figure.png")
    a, b = figures.values()
    assert a != b, f"the figure looks the same at steps {list(figures)}: the highlight did not move"
    del steps


def _last_step(state, kind) -> int:
    x = torch.tensor(_json(state, "input"), dtype=torch.float64)
    if kind == "conv":
        w = torch.tensor(_json(state, "kernel"), dtype=torch.float64)
        out = F.conv2d(x[None], w[None], None, int(state["stride"]), int(state["padding"]), int(state["dilation"]))
    else:
        out = F.max_pool2d(x[None, None], int(state["kernel-size"]), int(state["stride"]))
    return out.shape[-2] * out.shape[-1] - 1


def _settle(readout, state, target, timeout=10):
    """Intermediate values may show up (readout typing): wait for data-step == target."""
    import time
    deadline = time.monotonic() + timeout
    while int(state["step"]) != target and time.monotonic() < deadline:
        time.sleep(0.05)
        state = readout.evaluate(READ_STATE)
    return state


def test_conv_explorer_in_lab(page, lab, tmp_path):
    explore(page, lab, tmp_path, "conv", LESSONS["conv"], check_conv)


def test_pool_explorer_in_lab(page, lab, tmp_path):
    explore(page, lab, tmp_path, "pool", LESSONS["pool"], check_pool)
