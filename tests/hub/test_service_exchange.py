"""The grading service on a real nbgrader exchange (no hub): submissions in, feedback out, nothing lost."""

from __future__ import annotations

import json

import nbformat
import pytest
from nbgrader.auth import Authenticator
from nbgrader.coursedir import CourseDirectory
from nbgrader.exchange import ExchangeFactory
from nbgrader.utils import notebook_hash

from course import syllabus
from course.grading import exchange, feedback, release, workspace
from course.notebooks import grade_id
from course.hub import service
from factory import reference_answers, submission, variants

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("service-exchange")]

DAY = syllabus.get_day("day01")
LATE_MISTAKE = "vertical_edge_conv__flipped_sign"  # its visible test runs after earlier items' hidden tests


def submit(cfg, home, student: str, nb_text: str) -> None:
    """What the Assignments tab's Submit does, for ``student`` (nbgrader's own submit)."""
    (home / DAY.id).mkdir(parents=True, exist_ok=True)
    (home / DAY.id / DAY.notebook).write_text(nb_text)
    coursedir = CourseDirectory(config=cfg)
    coursedir.assignment_id, coursedir.student_id = DAY.id, student
    step = ExchangeFactory(config=cfg).Submit(coursedir=coursedir, authenticator=Authenticator(config=cfg),
                                               config=cfg)
    step.assignment_dir = str(home)
    step.start()


def released_feedback(cfg, student: str) -> list[str]:
    """The feedback pages the exchange holds for ``student``'s submissions (as Fetch Feedback finds them)."""
    root = exchange.exchange_root(cfg) / syllabus.course_id()
    pages = []
    for entry in sorted((root / "inbound").glob(f"{student}+{DAY.id}+*")):
        secret = (entry / "submission_secret.txt").read_text()
        page = root / "feedback" / f"{notebook_hash(secret=secret, notebook_id='day01')}.html"
        if page.exists():
            pages.append(page.read_text())
    return pages


def test_service_grades_arrivals_and_returns_feedback_without_losing_any(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_EXCHANGE", str(tmp_path / "exchange"))
    ws = tmp_path / "workspace"
    release.build(DAY.id, ws)
    exchange.release_assignment(DAY.id, workspace_dir=ws)
    cfg = workspace.load_config(workspace.prepare(ws))
    good = nbformat.writes(submission(DAY, reference_answers(DAY)))
    submit(cfg, tmp_path / "ann", "ann", "{ this is not a notebook")
    submit(cfg, tmp_path / "bob", "bob", good)
    item, wrong = variants("mutants", DAY)[LATE_MISTAKE]
    submit(cfg, tmp_path / "cem", "cem", nbformat.writes(submission(DAY, {**reference_answers(DAY), item: wrong})))

    ledger = service.Ledger(ws / service.STATE_DIR)
    graded = {s.student: s for s in service.run_once(ledger, ws, workers=1)}
    assert graded["bob"].status == "graded" and graded["bob"].total[0] == graded["bob"].total[1] > 0
    assert graded["bob"].attempt == f"1 of {DAY.graded_attempts}"
    assert graded["ann"].status == "failed"
    (bob_page,) = released_feedback(cfg, "bob")
    assert f"{graded['bob'].total[0]:g}" in bob_page
    # feedback that allows another attempt says which quiz answers were right, never the answers
    assert "q1: right" in bob_page and "the answer is" not in bob_page
    (ann_page,) = released_feedback(cfg, "ann")
    assert "could not be graded" in ann_page and "did not use up a graded attempt" in ann_page
    assert ledger.attempts("ann", DAY.id) == 0 and ledger.attempts("bob", DAY.id) == 1

    # feedback that allows another attempt shows a visible test's failure after the first hidden test
    # by its exception name only: no text of the student's choosing
    (cem_page,) = released_feedback(cfg, "cem")
    assert graded["cem"].scores[item][0] == 0 and feedback.WITHHELD in cem_page
    nb = nbformat.read(ws / "autograded" / "cem" / DAY.id / DAY.notebook, as_version=4)
    shown = [o.evalue for c in nb.cells if c.cell_type == "code" and grade_id(c) == f"test_{item}_visible"
             for o in c.outputs if o.output_type == "error"]
    assert shown and all(text not in cem_page for text in shown), "the visible test's own message reached the page"

    # a restarted service (a new ledger read from disk) grades nothing twice
    again = service.Ledger(ws / service.STATE_DIR)
    assert service.run_once(again, ws, workers=1) == []

    # the student fixes the notebook and submits again: graded, their first graded attempt
    submit(cfg, tmp_path / "ann", "ann", good)
    (fixed,) = service.run_once(again, ws, workers=1)
    assert (fixed.student, fixed.status, fixed.attempt) == ("ann", "graded", f"1 of {DAY.graded_attempts}")
    assert len(released_feedback(cfg, "ann")) == 2
    records = json.loads((ws / service.STATE_DIR / "graded.json").read_text())
    assert sorted(r["outcome"] for r in records.values()) == ["failed", "graded", "graded", "graded"]

    # bob's last graded attempt (earlier ones recorded as graded): its feedback is final, with the quiz's answers
    for n in range(2, DAY.graded_attempts):
        again.add(service.Arrival("bob", DAY.id, f"earlier attempt {n}"), service.Record("bob", DAY.id, "graded", n))
    submit(cfg, tmp_path / "bob", "bob", good)
    (last,) = service.run_once(again, ws, workers=1)
    assert last.attempt == f"{DAY.graded_attempts} of {DAY.graded_attempts}"
    final_page = released_feedback(cfg, "bob")[-1]
    assert "q1: right; the answer is (" in final_page
