"""The tests of the tests, for every day: real nbgrader autograding of real notebooks.

Each day's batch (see support/grading_batch.py) is graded in ONE nbgrader run, as an
instructor would; these tests read the scores, notes, feedback and CSV files.
"""

import csv
import re

import pytest

from course import syllabus
from params import grading_days, grading_group
from factory import variants
from grading_batch import DEPENDS_ON, full, got, pack_of, tamper_item

pytestmark = [pytest.mark.slow]


def _variant_params(kind):
    return [pytest.param(day, name, id=f"{day.id}-{name}", marks=grading_group(day))
            for day in syllabus.days() for name in sorted(variants(kind, day))]


@pytest.mark.parametrize("day", grading_days())
def test_reference_solution_scores_full_marks(graded_batch, day):
    sub = graded_batch(day).get("solution")
    assert sub.status == "graded", sub.error
    assert set(sub.scores) == set(day.items)
    assert got(sub) == full(sub), f"reference solution lost points: {sub.scores}; notes: {sub.notes}"
    assert all(most > 0 for most in full(sub).values())


@pytest.mark.parametrize("day", grading_days())
def test_unanswered_release_scores_zero_and_completes(graded_batch, day):
    sub = graded_batch(day).get("unanswered")
    assert sub.status == "graded", sub.error
    assert all(score == 0 for score in got(sub).values()), sub.scores
    assert any("not answered" in n for n in sub.notes)


@pytest.mark.parametrize("day, name", _variant_params("mutants"))
def test_each_listed_mistake_loses_its_points(graded_batch, day, name):
    item = variants("mutants", day)[name][0]
    student, pack = pack_of("mutants", day, name)
    sub = graded_batch(day).get(student)
    assert sub.status == "graded", sub.error
    score, most = sub.scores[item]
    assert score < most, f"mutant {name} kept all {most:g} points of {item}: the tests cannot see this mistake"
    mutated = set(pack)
    others = {i: s for i, s in sub.scores.items()
              if i not in mutated and s[0] != s[1] and not (DEPENDS_ON.get(i, set()) & mutated)}
    assert not others, (f"items without a mistake lost points in {student} {sorted(pack.values())}: {others}; "
                        "an item's tests must depend on its own answer only")


@pytest.mark.parametrize("day, name", _variant_params("alternatives"))
def test_correct_alternatives_score_full_marks(graded_batch, day, name):
    item = variants("alternatives", day)[name][0]
    student, pack = pack_of("alternatives", day, name)
    sub = graded_batch(day).get(student)
    assert sub.status == "graded", sub.error
    score, most = sub.scores[item]
    assert score == most, f"{name}, a correct answer written differently, lost points: {sub.scores}; {sub.notes}"
    assert got(sub) == full(sub), f"{student} {sorted(pack.values())} lost points: {sub.scores}; {sub.notes}"


@pytest.mark.parametrize("day", [pytest.param(d, id=d.id) for d in syllabus.days()])
def test_every_item_has_alternatives_and_a_mutant(day):
    alts = [item for item, _ in variants("alternatives", day).values()]
    muts = [item for item, _ in variants("mutants", day).values()]
    for item in day.items:
        assert item in muts, f"{item}: no mutant"
        assert item in alts, f"{item}: needs a correct answer other than the reference"
    for item in day.items[:-1]:  # the quiz has one right answer; the others have several
        if item not in DEPENDS_ON:
            assert alts.count(item) >= 2, f"{item}: needs two alternatives besides the reference"


@pytest.mark.parametrize("day", grading_days())
def test_deleted_test_cells_are_restored(graded_batch, day):
    graded = graded_batch(day)
    sub = graded.get("tamper-solution-without-tests")
    assert got(sub) == full(sub), sub.scores
    assert any("was deleted; the original was restored" in n for n in sub.notes)
    item, _ = tamper_item(day)
    sub = graded.get("tamper-mistake-without-tests")
    score, most = sub.scores[item]
    assert score < most, "deleting the tests must not hide a mistake"


@pytest.mark.parametrize("day", grading_days())
def test_edited_locked_test_cell_is_overwritten(graded_batch, day):
    item, _ = tamper_item(day)
    sub = graded_batch(day).get("tamper-edited-test")
    assert sub.scores[item][0] < sub.scores[item][1], sub.scores
    assert f"locked cell test_{item}_visible was edited; the original was used" in sub.notes


@pytest.mark.parametrize("day", grading_days())
def test_broken_notebook_fails_alone_with_its_reason(graded_batch, day):
    graded = graded_batch(day)
    sub = graded.get("corrupt")
    assert sub.status == "failed"
    assert f"{day.notebook}: not valid JSON" in sub.error
    assert [s.student for s in graded.failed] == ["corrupt"]


@pytest.mark.parametrize("day", grading_days())
def test_samples_score_as_documented(graded_batch, day):
    """ada: correct answers written differently; ben: a listed mistake in every item; cleo: nothing."""
    graded = graded_batch(day)
    names = {s.student.removeprefix("sample-") for s in graded.submissions if s.student.startswith("sample-")}
    assert {"ada", "ben", "cleo"} <= names, f"{day.id}: bundled samples missing: {names}"
    ada, ben, cleo = (graded.get(f"sample-{n}") for n in ("ada", "ben", "cleo"))
    assert got(ada) == full(ada), f"ada's answers are correct: {ada.scores}; {ada.notes}"
    assert all(got(ben)[i] < full(ben)[i] for i in day.items), f"ben makes a mistake in every item: {ben.scores}"
    assert sum(got(cleo).values()) == 0
    for s in (graded.get(f"sample-{n}") for n in sorted(names)):
        assert not [n for n in s.notes if "locked cell" in n], f"{s.student}: sample out of date with the release"


@pytest.mark.parametrize("day", grading_days())
def test_gradebook_csv_and_feedback(graded_batch, day):
    graded = graded_batch(day)
    rows = list(csv.DictReader(graded.grades_csv.open()))
    by_student = {r["student_id"]: r for r in rows if r["assignment"] == day.id}
    assert float(by_student["solution"]["score"]) == float(by_student["solution"]["max_score"]) > 0
    assert float(by_student["unanswered"]["score"]) == 0
    assert "corrupt" not in by_student
    items = list(csv.DictReader(graded.items_csv.open()))
    assert {r["item"] for r in items if r["student"] == "solution"} == set(day.items)
    assert any(r["student"] == "corrupt" and r["status"].startswith("failed") for r in items)
    for sub in graded.submissions:
        html = graded.workspace / "feedback" / sub.student / day.id / day.notebook.replace(".ipynb", ".html")
        assert html.exists() == (sub.status == "graded"), sub.student
    # the quiz's feedback says which answers were right; the answers wait for the final feedback
    page = (graded.workspace / "feedback" / "solution" / day.id / day.notebook.replace(".ipynb", ".html")).read_text()
    assert re.search(r"quiz: (\d+) of \1 right", page) and "q1: right" in page, "the quiz's feedback is missing"
    assert not re.search(r"q\d+: (?:right; |wrong; )?the answer is \(", page), \
        "feedback that is not final showed the quiz's answers"
