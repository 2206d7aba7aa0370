"""The tests of the tests: real nbgrader autograding of real notebooks.

Every day's batch (reference solution, unanswered release, one mutant per
listed mistake, alternative correct answers, tampered and broken notebooks,
the bundled samples) is graded in ONE nbgrader run, as an instructor would.
"""

import csv
import shutil

import nbformat
import pytest

from course import grading, syllabus
from course.cli import main
from course.notebooks import grade_id, is_test_cell
from factory import reference_answers, submission, variants, write_submission

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grading")]

DAY = syllabus.get_day("day01")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    subs = tmp_path_factory.mktemp("submissions")
    ref = reference_answers(DAY)
    write_submission(subs, "solution", DAY, submission(DAY, ref))
    write_submission(subs, "unanswered", DAY, submission(DAY))
    for name, (item, source) in variants("mutants", DAY).items():
        write_submission(subs, f"mut-{name}", DAY, submission(DAY, {**ref, item: source}))
    for name, (item, source) in variants("alternatives", DAY).items():
        write_submission(subs, f"alt-{name}", DAY, submission(DAY, {**ref, item: source}))

    # tampering: deleted test cells and an edited locked test cell are graded with the originals
    nb = submission(DAY, ref)
    nb.cells = [c for c in nb.cells if not is_test_cell(c)]
    write_submission(subs, "tamper-solution-without-tests", DAY, nb)
    rounds_up = variants("mutants", DAY)["conv_output_size__rounds_up"][1]
    nb = submission(DAY, {**ref, "conv_output_size": rounds_up})
    nb.cells = [c for c in nb.cells if not (grade_id(c) or "").startswith("test_conv_output_size")]
    write_submission(subs, "tamper-mistake-without-tests", DAY, nb)
    forgets_bias = variants("mutants", DAY)["conv_param_count__forgets_bias"][1]
    nb = submission(DAY, {**ref, "conv_param_count": forgets_bias})
    for c in nb.cells:
        if grade_id(c) == "test_conv_param_count_visible":
            c.source = 'print("visible tests for conv_param_count passed")'
    write_submission(subs, "tamper-edited-test", DAY, nb)

    # a damaged file among good ones
    bad = subs / "corrupt" / DAY.id / DAY.notebook
    bad.parent.mkdir(parents=True)
    bad.write_text('{"cells": [ {"cell_type": "code", "source": "x = 1"')

    for sample in sorted((syllabus.REPO_ROOT / "autograder" / "samples").iterdir()):
        shutil.copytree(sample, subs / f"sample-{sample.name}")

    ws = tmp_path_factory.mktemp("workspace")
    return grading.grade(subs, day=DAY.id, workspace_dir=ws)


def full(sub):
    return {item: most for item, (_, most) in sub.scores.items()}


def got(sub):
    return {item: score for item, (score, _) in sub.scores.items()}


def test_reference_solution_scores_full_marks(graded):
    sub = graded.get("solution")
    assert sub.status == "graded", sub.error
    assert set(sub.scores) == set(DAY.items)
    assert got(sub) == full(sub), f"reference solution lost points: {sub.scores}"
    assert all(most > 0 for most in full(sub).values())


def test_unanswered_release_scores_zero_and_completes(graded):
    sub = graded.get("unanswered")
    assert sub.status == "graded", sub.error
    assert all(score == 0 for score in got(sub).values()), sub.scores
    assert any("not answered" in n for n in sub.notes)


@pytest.mark.parametrize("name", sorted(variants("mutants", DAY)))
def test_each_listed_mistake_loses_its_points(graded, name):
    item = variants("mutants", DAY)[name][0]
    sub = graded.get(f"mut-{name}")
    assert sub.status == "graded", sub.error
    score, most = sub.scores[item]
    assert score < most, f"mutant {name} kept all {most:g} points of {item}: the tests cannot see this mistake"
    others = {i: s for i, s in sub.scores.items() if i != item and s[0] != s[1]}
    assert not others, f"mutant {name} of {item} also lost points elsewhere: {others}"


@pytest.mark.parametrize("name", sorted(variants("alternatives", DAY)))
def test_correct_alternatives_score_full_marks(graded, name):
    sub = graded.get(f"alt-{name}")
    assert sub.status == "graded", sub.error
    assert got(sub) == full(sub), f"a correct answer written differently lost points: {sub.scores}"


def test_every_item_has_two_alternatives_and_a_mutant():
    alts = [item for item, _ in variants("alternatives", DAY).values()]
    muts = [item for item, _ in variants("mutants", DAY).values()]
    for item in DAY.items:
        assert alts.count(item) + 1 >= 2, f"{item}: needs a correct answer other than the reference"
        assert item in muts, f"{item}: no mutant"
    for item in DAY.items[:-1]:  # the quiz has one right answer; the others have several
        assert alts.count(item) >= 2, f"{item}: needs two alternatives besides the reference"


def test_deleted_test_cells_are_restored(graded):
    sub = graded.get("tamper-solution-without-tests")
    assert got(sub) == full(sub), sub.scores
    assert any("was deleted; the original was restored" in n for n in sub.notes)
    sub = graded.get("tamper-mistake-without-tests")
    score, most = sub.scores["conv_output_size"]
    assert score == 0 < most, "deleting the tests must not hide a mistake"


def test_edited_locked_test_cell_is_overwritten(graded):
    sub = graded.get("tamper-edited-test")
    assert sub.scores["conv_param_count"][0] == 0, sub.scores
    assert "locked cell test_conv_param_count_visible was edited; the original was used" in sub.notes


def test_broken_notebook_fails_alone_with_its_reason(graded):
    sub = graded.get("corrupt")
    assert sub.status == "failed"
    assert "day01.ipynb: not valid JSON" in sub.error
    assert [s.student for s in graded.failed] == ["corrupt"]


def test_failure_messages_speak_the_students_terms(graded):
    def errors(student, test_id):
        path = graded.workspace / "autograded" / student / DAY.id / DAY.notebook
        nb = nbformat.read(path, as_version=4)
        cell = next(c for c in nb.cells if grade_id(c) == test_id)
        return " ".join(o.get("evalue", "") for o in cell.outputs if o.output_type == "error")

    assert "should be 4, got 5" in errors("mut-conv_output_size__rounds_up", "test_conv_output_size_hidden")
    assert "should return an int, got float" in errors("mut-conv_output_size__returns_float",
                                                        "test_conv_output_size_visible")
    for name in ("calls_f_conv2d", "alias_captured_early", "uses_nn_conv2d", "calls_aten_directly"):
        assert "must compute the convolution itself" in errors(f"mut-conv2d_manual__{name}",
                                                               "test_conv2d_manual_visible"), name
    assert "values differ" in errors("mut-conv2d_manual__flips_kernel", "test_conv2d_manual_visible")
    assert "the layer should have no bias" in errors("mut-vertical_edge_conv__zero_bias_kept",
                                                     "test_vertical_edge_conv_hidden")


def test_samples_score_as_documented(graded):
    ada, ben, cleo, dev = (graded.get(f"sample-{n}") for n in ("ada", "ben", "cleo", "dev"))
    assert got(ada) == full(ada), "ada's answers are correct, written differently"
    assert all(got(ben)[i] < full(ben)[i] for i in DAY.items), f"ben makes a listed mistake in every item: {ben.scores}"
    assert sum(got(cleo).values()) == 0
    assert dev.status == "graded" and got(dev) == full(dev), "dev's broken cells must not cost the working answers"
    assert any("ran longer than" in n for n in dev.notes), dev.notes
    assert any("raised NameError" in n for n in dev.notes), dev.notes
    for s in (ada, ben, cleo, dev):
        assert not [n for n in s.notes if "locked cell" in n], f"{s.student}: sample out of date with the release"


def test_gradebook_csv_and_feedback(graded):
    rows = list(csv.DictReader(graded.grades_csv.open()))
    by_student = {r["student_id"]: r for r in rows}
    assert float(by_student["solution"]["score"]) == float(by_student["solution"]["max_score"]) > 0
    assert float(by_student["unanswered"]["score"]) == 0
    assert "corrupt" not in by_student
    items = list(csv.DictReader(graded.items_csv.open()))
    assert {r["item"] for r in items if r["student"] == "solution"} == set(DAY.items)
    assert any(r["student"] == "corrupt" and r["status"].startswith("failed") for r in items)
    for sub in graded.submissions:
        html = graded.workspace / "feedback" / sub.student / DAY.id / "day01.html"
        assert html.exists() == (sub.status == "graded"), sub.student


def test_cli_exit_code_names_the_failed_submission(tmp_path, capsys):
    bad = tmp_path / "subs" / "eve" / "day01" / "day01.ipynb"
    bad.parent.mkdir(parents=True)
    bad.write_text("not json at all")
    assert main(["grade", str(tmp_path / "subs"), "--workspace", str(tmp_path / "ws")]) == 1
    out = capsys.readouterr().out
    assert "eve: FAILED:" in out and "not valid JSON" in out
