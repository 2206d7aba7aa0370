"""A class on the course hub, end to end, in a real browser (Playwright + Debian's Chromium).

`course hub` starts JupyterHub on a free port with a temporary state folder, exchange
and workspace, and two throwaway student accounts. The instructor releases Day 1; each
student logs in in their own browser context, fetches Day 1 in the Assignments tab,
saves answers (one correct, one with a listed mistake), validates and submits; the
instructor collects and grades; the formgrader (framed in JupyterLab, under
JupyterHub >= 4.1) shows both scores; feedback is returned and each student fetches
their own and cannot open the other's. Then the hub runs with the grading service and
a third submission gets its feedback with no instructor step. Screenshots go to
tests/output/hub/. Every account and process the hub started is removed at the end,
also when a step fails.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from course import syllabus
import class_hub as ch
import factory
from lab_server import chromium

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("hub")]

DAY = syllabus.get_day("day01")
MISTAKE = "conv_output_size__ignores_dilation"  # a listed mistake: loses conv_output_size's points
SCREENSHOTS = syllabus.REPO_ROOT / "tests" / "output" / "hub"
FEEDBACK_WAIT_S = 300


@pytest.fixture(scope="module")
def hub():
    reason = ch.why_not()
    if reason:
        pytest.skip(reason)
    if not Path(ch.CHROMIUM).exists():
        pytest.skip(f"{ch.CHROMIUM} is missing: run scripts/install_browser.sh (apt-get install chromium)")
    # not under pytest's tmp folder (mode 0700): students' servers pass through to the exchange here
    root = Path(tempfile.mkdtemp(prefix="class-hub-"))
    root.chmod(0o755)
    tag = ch.secrets.token_hex(3)
    h = None
    try:
        h = ch.ClassHub(root, students=[f"t{tag}a", f"t{tag}b"], tag=tag)
        yield h
    finally:
        leftovers = h.close() if h else []
        if h:
            shutil.copy(root / "hub.log", SCREENSHOTS / "hub.log") if (root / "hub.log").exists() else None
        shutil.rmtree(root, ignore_errors=True)
        assert not leftovers, f"the hub test left behind: {leftovers}"


@pytest.fixture(scope="module")
def browser(hub, tmp_path_factory):
    with chromium(tmp_path_factory.mktemp("browser-state")) as b:
        yield b


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def item_scores(hub: ch.ClassHub) -> dict[tuple[str, str], float]:
    with (hub.workspace / "grades_by_item.csv").open() as fh:
        return {(r["student"], r["item"]): float(r["score"]) for r in csv.DictReader(fh) if r["score"]}


def wait_for_feedback(page, home: Path, count: int, timeout: float = FEEDBACK_WAIT_S) -> float:
    """Press Fetch Feedback until ``count`` feedback files are in ``home``; the seconds it took."""
    start = time.monotonic()
    while len(ch.feedback_files(home, DAY.id)) < count:
        assert time.monotonic() - start < timeout, f"no feedback in {home} after {timeout} s"
        ch.fetch_feedback(page)
        time.sleep(3)
    return time.monotonic() - start


def test_a_class_on_the_hub(hub, browser):
    ann, bob = hub.students
    correct = factory.submission(DAY, factory.reference_answers(DAY))
    item, wrong_source = factory.variants("mutants", DAY)[MISTAKE]
    mistaken = factory.submission(DAY, {**factory.reference_answers(DAY), item: wrong_source})

    # 1. the hub, without the grading service: the instructor's own cycle
    hub.start(grading_service=False)
    released = hub.course("release", DAY.id)
    assert "released day01" in released.stdout

    pages = {}
    for name, nb in ((ann, correct), (bob, mistaken)):
        page = pages[name] = ch.log_in(browser, hub, name)
        ch.assignments_tab(page)
        ch.fetch_assignment(page, DAY.id)
        assert (hub.home(name) / DAY.id / DAY.notebook).exists(), f"{name} has no {DAY.notebook} after Fetch"
        ch.put_answers(page, name, DAY.id, nb)
        verdict = ch.validate(page, DAY.id)
        assert ("passes" in verdict) == (nb is correct), f"{name}'s validation said: {verdict}"
        assert ch.submit(page, DAY.id) == 1
        shot(page, f"1-{'correct' if nb is correct else 'mistake'}-submitted")

    collected = hub.course("collect", DAY.id)
    assert f"2 submission(s) of {DAY.id}" in collected.stdout, collected.stdout
    graded = hub.course("grade", str(hub.workspace / "collected"), "--day", DAY.id)
    scores = item_scores(hub)
    assert scores[(ann, item)] > 0 and scores[(bob, item)] == 0, (graded.stdout, scores)
    others = [i for i in DAY.items if i != item]
    assert all(scores[(bob, i)] == scores[(ann, i)] for i in others), scores
    total = {s: sum(v for (who, _), v in scores.items() if who == s) for s in (ann, bob)}

    # the formgrader, framed in the instructor's JupyterLab, shows both scores
    teacher = ch.log_in(browser, hub, hub.instructor)
    ch.menu(teacher, "Nbgrader", "Formgrader")
    frame = teacher.frame_locator("iframe").first
    frame.locator("a", has_text="Manage Students").click()
    for name in (ann, bob):
        row = frame.locator("tr", has_text=name)
        row.wait_for(timeout=60_000)
        assert f"{total[name]:g} / " in row.inner_text(), f"formgrader row of {name}: {row.inner_text()}"
    shot(teacher, "2-formgrader-scores")

    returned = hub.course("return", DAY.id)
    assert ann in returned.stdout and bob in returned.stdout, returned.stdout

    for name in (ann, bob):
        page = pages[name]
        wait_for_feedback(page, hub.home(name), 1)
        shot(page, f"3-{name[-1]}-feedback-fetched")
        (path,) = ch.feedback_files(hub.home(name), DAY.id)
        text = path.read_text()
        assert name in text or DAY.id in text
        assert f"{total[name]:g}" in text, f"{name}'s feedback does not show their score {total[name]:g}"

    # each student reads their own feedback, not the other's
    ann_feedback = ch.feedback_files(hub.home(ann), DAY.id)[0]
    where = quote(str(ann_feedback.relative_to(hub.home(ann))))
    url = f"http://{ann}.localhost:{hub.port}/user/{ann}/files/{where}"
    mine = pages[ann].context.new_page()
    opened = mine.goto(url)
    assert opened.status == 200 and ann_feedback.read_text()[:2000] in opened.text(), \
        f"{ann} cannot open their own feedback: HTTP {opened.status}"
    shot(mine, "4-own-feedback-opened")
    theirs = pages[bob].context.new_page()
    refused = theirs.goto(url)
    assert refused.status == 403 and ann_feedback.read_text()[:2000] not in theirs.content(), \
        f"{bob} opened {ann}'s feedback (HTTP {refused.status})"
    shot(theirs, "4-other-students-feedback-refused")
    as_bob = subprocess.run(["setpriv", f"--reuid={bob}", f"--regid={bob}", "--init-groups", "cat",
                             str(ann_feedback)], capture_output=True, text=True)
    assert as_bob.returncode != 0, f"{bob}'s account can read {ann_feedback}"

    # 2. the hub with the grading service: feedback with no instructor step
    hub.stop()
    hub.start(grading_service=True)
    page = pages[ann]
    ch.open_lab(page, hub, ann)
    ch.assignments_tab(page)
    ch.put_answers(page, ann, DAY.id, mistaken)
    ch.submit(page, DAY.id)
    seconds = wait_for_feedback(page, hub.home(ann), 2)
    shot(page, "5-feedback-on-arrival")
    newest = ch.feedback_files(hub.home(ann), DAY.id)[-1]
    assert f"{total[bob]:g}" in newest.read_text(), "the graded-on-arrival feedback does not show the new score"
    print(f"feedback on arrival after {seconds:.0f} s")
