"""One batch per day for the tests of the tests, graded in ONE nbgrader run.

The batch holds the reference solution, the unanswered release, the listed
mistakes (tests/mutants/<day>/) and correct alternatives
(tests/alternatives/<day>/), tampered notebooks (test cells deleted, a locked
test cell edited), a damaged file, and the bundled samples.

Mistakes and alternatives travel in packs: pack k holds the k-th variant of
every item, each in its own item's answer cell, the other cells keep the
reference answers.  An item's tests depend only on that item's answer (the
unanswered release checks this: it must complete, and with zero points), so a
pack tells as much as one notebook per variant, at a fraction of the grading
time: every kernel start and every Day 4 training run is paid once per pack.
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path

from course import syllabus
from course.grading import autograde
from course.grading.submission import GradingReport
from course.notebooks import grade_id, is_test_cell
from course.syllabus import Day
from factory import reference_answers, submission, variants, write_submission

SAMPLES = syllabus.REPO_ROOT / "autograder" / "samples"

# A graded run that calls the student's own functions may lose points with them:
# item -> the items whose mistakes it may also pay for.
DEPENDS_ON = {
    "day04_training": {"train_one_epoch", "evaluate", "fit"},
}


def full(sub) -> dict[str, float]:
    """item -> the most points it can get."""
    return {item: most for item, (_, most) in sub.scores.items()}


def got(sub) -> dict[str, float]:
    """item -> the points it got."""
    return {item: score for item, (score, _) in sub.scores.items()}


def packs(kind: str, day: Day) -> list[dict[str, str]]:
    """``[{item: variant name}, ...]``: pack k holds the k-th variant of every item that has one."""
    by_item: dict[str, list[str]] = defaultdict(list)
    for name, (item, _) in variants(kind, day).items():
        by_item[item].append(name)
    size = max((len(names) for names in by_item.values()), default=0)
    return [{item: names[k] for item, names in by_item.items() if k < len(names)} for k in range(size)]


def pack_student(kind: str, k: int) -> str:
    return f"{kind[:3]}-pack{k:02d}"


def pack_of(kind: str, day: Day, name: str) -> tuple[str, dict[str, str]]:
    """The student id of the pack that holds variant ``name``, and the pack."""
    for k, pack in enumerate(packs(kind, day)):
        if name in pack.values():
            return pack_student(kind, k), pack
    raise KeyError(f"{name} is not a {kind[:-1]} of {day.id}")


def tamper_item(day: Day) -> tuple[str, str]:
    """The item (and one of its mutants) used for the tampering cases."""
    item = day.items[0]
    name = next(n for n, (i, _) in variants("mutants", day).items() if i == item)
    return item, name


def write_batch(day: Day, subs: Path) -> None:
    ref = reference_answers(day)
    write_submission(subs, "solution", day, submission(day, ref))
    write_submission(subs, "unanswered", day, submission(day))
    for kind in ("mutants", "alternatives"):
        found = variants(kind, day)
        for k, pack in enumerate(packs(kind, day)):
            answers = {item: found[name][1] for item, name in pack.items()}
            write_submission(subs, pack_student(kind, k), day, submission(day, {**ref, **answers}))

    item, mutant = tamper_item(day)
    mistake = {**ref, item: variants("mutants", day)[mutant][1]}
    nb = submission(day, ref)
    nb.cells = [c for c in nb.cells if not is_test_cell(c)]
    write_submission(subs, "tamper-solution-without-tests", day, nb)
    nb = submission(day, mistake)
    nb.cells = [c for c in nb.cells if not (grade_id(c) or "").startswith(f"test_{item}")]
    write_submission(subs, "tamper-mistake-without-tests", day, nb)
    nb = submission(day, mistake)
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


def grade_batch(day: Day, tmp: Path) -> GradingReport:
    subs = tmp / "submissions"
    write_batch(day, subs)
    return autograde.grade(subs, day_id=day.id, workspace_dir=tmp / "workspace")
