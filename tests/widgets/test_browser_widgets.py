"""The convolution / pooling explorers in a real browser: JupyterLab + Chromium via Playwright.

Runs the Day 1 and Day 2 lessons in JupyterLab, moves each explorer's ``step``
slider and checks what the page shows (the ``course-state`` element of the
``course-readout``) against torch, computed here; the figure must change
between two steps.  Screenshots go to the test's tmp_path and
tests/output/browser/.  Needs /usr/bin/chromium (scripts/install_browser.sh).
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from course import syllabus
from lab_server import (CHROMIUM, chromium, lab_server, open_notebook, run_all_cells, set_slider,
                        stable_screenshot, wait_until)

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]

REPO = syllabus.REPO_ROOT
SCREENSHOTS = REPO / "tests" / "output" / "browser"
LESSONS = {"conv": "day01_conv_layers.ipynb", "pool": "day02_pooling_cnn.ipynb"}
FIGURE = ".jupyter-matplotlib, .widget-image, .widget-output"  # ipympl canvas, Image or Output fallback

# a course-state element's data- attributes (without "data-") and its arithmetic text
READ_STATE = """e => Object.fromEntries([
  ...e.getAttributeNames().filter(n => n.startsWith('data-')).map(n => [n.slice(5), e.getAttribute(n)]),
  ['arithmetic', e.querySelector('.course-arithmetic')?.textContent ?? null]])"""


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: run scripts/install_browser.sh (apt-get install chromium)")
    pytest.importorskip("playwright", reason="the Python package playwright is not installed")
    root = tmp_path_factory.mktemp("lab-root")
    for name in LESSONS.values():
        shutil.copy(REPO / "lessons" / name, root / name)
    with lab_server(root, tmp_path_factory.mktemp("lab-state")) as server:
        yield server


@pytest.fixture(scope="module")
def browser(lab, tmp_path_factory):
    with chromium(tmp_path_factory.mktemp("browser-state")) as b:
        yield b


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text[:300]))
    yield page
    context.close()


def _json(state, key):
    return json.loads(state[key])


def conv_output(state) -> torch.Tensor:
    x = torch.tensor(_json(state, "input"), dtype=torch.float64)
    w = torch.tensor(_json(state, "kernel"), dtype=torch.float64)
    bias = torch.tensor([float(state["bias"])], dtype=torch.float64)
    return F.conv2d(x[None], w[None], bias, int(state["stride"]), int(state["padding"]), int(state["dilation"]))[0, 0]


def pool_output(state) -> torch.Tensor:
    x = torch.tensor(_json(state, "input"), dtype=torch.float64)
    pool = {"max": F.max_pool2d, "avg": F.avg_pool2d}[state["mode"]]
    return pool(x[None, None], int(state["kernel-size"]), int(state["stride"]))[0, 0]


def check_conv(state) -> None:
    i, j = check_position(state, conv_output(state))
    kh, kw = torch.tensor(_json(state, "kernel")).shape[-2:]
    s, p, d = int(state["stride"]), int(state["padding"]), int(state["dilation"])
    expected = [[i * s + m * d, j * s + n * d] for m in range(kh) for n in range(kw)]
    assert sorted(_json(state, "window")) == expected, (
        f"step {state['step']}: the highlight covers padded cells {_json(state, 'window')}, but F.conv2d "
        f"(stride {s}, padding {p}, dilation {d}) uses {expected} for output {[i, j]}")


def check_pool(state) -> None:
    i, j = check_position(state, pool_output(state))
    x = _json(state, "input")
    k, s = int(state["kernel-size"]), int(state["stride"])
    window = [[i * s + m, j * s + n] for m in range(k) for n in range(k)]
    assert sorted(_json(state, "window")) == window, (
        f"step {state['step']}: the highlight covers {_json(state, 'window')}, but {state['mode']}_pool2d "
        f"(kernel {k}, stride {s}) uses {window} for output {[i, j]}")
    values = [x[r][c] for r, c in window]
    winner = window[values.index(max(values))] if state["mode"] == "max" else None  # first maximum, row-major
    assert _json(state, "winner") == winner, (
        f"step {state['step']}: the widget marks {state['winner']} as the winner of {values}, expected {winner}")


def check_position(state, out: torch.Tensor) -> tuple[int, int]:
    """data-out is divmod(step, output width); data-value and the arithmetic's result are torch's number there."""
    step, (i, j) = int(state["step"]), _json(state, "out")
    assert [i, j] == list(divmod(step, out.shape[1])), (
        f"step {step} of a {tuple(out.shape)} output is cell {list(divmod(step, out.shape[1]))}, "
        f"the widget says {[i, j]}")
    want = float(out[i, j])
    assert abs(float(state["value"]) - want) <= 1e-6, (
        f"step {step}, output {[i, j]}: data-value is {state['value']}, torch computes {want}")
    text = state["arithmetic"] or ""
    assert "=" in text, f"step {step}: no '= result' in the arithmetic text {text!r}"
    printed = float(text.rsplit("=", 1)[1].strip().replace("−", "-"))
    # the text rounds non-integers to 3 significant digits
    assert math.isclose(printed, want, rel_tol=5e-3, abs_tol=1e-6), (
        f"step {step}, output {[i, j]}: the arithmetic says {text!r}, torch computes {want}")
    return i, j


def shot(tmp_path, locator, name) -> bytes:
    """A settled screenshot of ``locator``, saved in tmp_path and tests/output/browser/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    png = stable_screenshot(locator, tmp_path / name)
    shutil.copy(tmp_path / name, SCREENSHOTS / name)
    return png


def explore(page, lab, tmp_path, kind: str, check, output) -> None:
    """Run the lesson; in every explorer of this kind, move the step slider to 1 (0 if it is at 1)
    and to the last step, checking the readout against torch and that the figure changed."""
    url, token, _ = lab
    open_notebook(page, url, token, LESSONS[kind])
    run_all_cells(page)
    explorers = page.locator(f".course-{kind}-explorer")
    explorers.first.wait_for(timeout=30_000)
    for n in range(explorers.count()):
        explorer = explorers.nth(n)
        readout = explorer.locator(".course-readout .course-state")
        readout.wait_for(state="attached", timeout=30_000)
        state = readout.evaluate(READ_STATE)
        assert state["kind"] == kind, f"data-kind is {state['kind']!r} in a .course-{kind}-explorer"
        assert explorer.locator(".course-arithmetic").is_visible(), f"{kind} explorer {n}: no visible arithmetic"
        check(state)
        figure = explorer.locator(FIGURE).first
        figures = {}
        for target in [0 if state["step"] == "1" else 1, output(state).numel() - 1]:
            set_slider(explorer, "step", target)
            try:
                state = wait_until(lambda: readout.evaluate(READ_STATE), lambda s: s["step"] == str(target))
            except TimeoutError:
                pytest.fail(f"{kind} explorer {n}: moved the step slider to {target}, "
                            f"data-step stayed {readout.get_attribute('data-step')}")
            check(state)
            shot(tmp_path, explorer, f"{kind}{n}_step{target}.png")
            box = figure.bounding_box()
            if not box or box["height"] < 50:
                pytest.fail(f"{kind} explorer {n}: the figure ({FIGURE}) is {box and (box['width'], box['height'])} px, "
                            f"nothing drawn; browser console errors: {page.console_errors}")
            figures[target] = shot(tmp_path, figure, f"{kind}{n}_step{target}_figure.png")
        if len(set(figures.values())) != 2:
            pytest.fail(f"{kind} explorer {n}: the figure looks the same at steps {list(figures)} "
                        f"(the highlight did not move; see {SCREENSHOTS})")


def test_conv_explorers_in_lab(page, lab, tmp_path):
    explore(page, lab, tmp_path, "conv", check_conv, conv_output)


def test_pool_explorers_in_lab(page, lab, tmp_path):
    explore(page, lab, tmp_path, "pool", check_pool, pool_output)
