"""One batch per day for the tests of the tests, graded in ONE nbgrader run.

The batch holds the reference solution, the unanswered release, one
submission per listed mistake (tests/mutants/<day>/) and per correct
alternative (tests/alternatives/<day>/), tampered notebooks (test cells
deleted, a locked test cell edited), a damaged file, and the bundled samples.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from course import grading, syllabus
from course.notebooks import grade_id, is_test_cell
from course.syllabus import Day
from factory import reference_answers, submission, variants, write_submission

SAMPLES = syllabus.REPO_ROOT / "autograder" / "samples"

# A graded run that calls the student's own functions may lose points with them:
# item -> the items whose mistakes it may also pay for.
DEPENDS_ON = {
    "day04_training": {"train_one_epoch", "evaluate", "fit"},
}


def tamper_item(day: Day) -> tuple[str, str]:
    """The item (and one of its mutants) used for the tampering cases."""
    item = day.items[0]
    name = next(n for n, (i, _) in variants("mutants", day).items() if i == item)
    return item, name


def write_batch(day: Day, subs: Path) -> None:
    ref = reference_answers(day)
    write_submission(subs, "solution", day, submission(day, ref))
    write_submission(subs, "unanswered", day, submission(day))
    for name, (item, source) in variants("mutants", day).items():
        write_submission(subs, f"mut-{name}", day, submission(day, {**ref, item: source}))
    for name, (item, source) in variants("alternatives", day).items():
        write_submission(subs, f"alt-{name}", day, submission(day, {**ref, item: source}))

    item, mutant = tamper_item(day)
    nb = submission(day, ref)
    nb.cells = [c for c in nb.cells if not is_test_cell(c)]
    write_submission(subs, "tamper-solution-without-tests", day, nb)
    nb = submission(day, {**ref, item: variants("mutants", day)[mutant][1]})
    nb.cells = [c for c in nb.cells if not (grade_id(c) or "").startswith(f"test_{item}")]
    write_submission(subs, "tamper-mistake-without-tests", day, nb)
    nb = submission(day, {**ref, item: variants("mutants", day)[mutant][1]})
    for c in nb.cells:
        if grade_id(c) == f"test_{item}_visible":
            c.source = f'print("visible tests for {item} passed")'
    write_submission(subs, "tamper-edited-test", day, nb)

    bad = subs / "corrupt" / day.id / day.notebook
    bad.parent.mkdir(parents=True)
    bad.write_text('{"cells": [ {"cell_type": "code", "source": "x = 1"')

    for sample in sorted(SAMPLES.iterdir()):
        if (sample / day.id).is_dir():
            shutil.copytree(sample / day.id, subs / f"sample-{sample.name}" / day.id)


def grade_batch(day: Day, tmp: Path) -> grading.GradingReport:
    subs = tmp / "submissions"
    write_batch(day, subs)
    return grading.grade(subs, day=day.id, workspace_dir=tmp / "workspace")
