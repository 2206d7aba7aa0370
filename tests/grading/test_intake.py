"""Intake without nbgrader: what the checks note, and how a submission is copied for grading."""

from __future__ import annotations

import copy

import nbformat
import pytest

from course import syllabus
from course.errors import CourseError
from course.grading.intake import collect, copy_submission, released_cells, submission_notes
from course.notebooks import grade_id, is_test_cell, read_notebook
from factory import reference_answers, submission, write_submission

DAY1 = syllabus.get_day("day01")


def test_the_release_is_read_once_until_it_changes():
    assert released_cells(DAY1) is released_cells(DAY1)
    assert set(DAY1.items) <= set(released_cells(DAY1))


def test_notes_name_unanswered_items_deleted_cells_and_edited_locked_cells():
    nb = submission(DAY1, {DAY1.items[0]: reference_answers(DAY1)[DAY1.items[0]]})
    test = next(c for c in nb.cells if is_test_cell(c))
    locked = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("locked") and not is_test_cell(c)
                  and c.cell_type == "code")
    locked.source += "\nx = 1"
    nb.cells = [c for c in nb.cells if c is not test]
    notes = submission_notes(nb, released_cells(DAY1))
    assert notes[0] == "not answered: " + ", ".join(DAY1.items[1:])
    assert f"test cell {grade_id(test)} was deleted; the original was restored" in notes
    assert f"locked cell {grade_id(locked)} was edited; the original was used" in notes
    assert submission_notes(submission(DAY1, reference_answers(DAY1)), released_cells(DAY1)) == []


def test_an_injected_grade_cell_is_copied_as_an_ordinary_cell_and_flagged(tmp_path):
    nb = submission(DAY1, reference_answers(DAY1))
    fake = copy.deepcopy(next(c for c in nb.cells if is_test_cell(c)))
    fake.metadata["nbgrader"].update(grade_id="bonus", points=100)
    twin = copy.deepcopy(next(c for c in nb.cells if is_test_cell(c)))
    fake.id, twin.id = "injected-bonus", "injected-twin"
    nb.cells += [fake, twin]
    subs = collect(write_submission(tmp_path / "in", "ann", DAY1, nb).parents[2])
    sub = subs[0]
    dest = tmp_path / "submitted" / "ann" / "day01" / "day01.ipynb"
    copy_submission(sub, dest)
    copied = read_notebook(dest)
    assert [grade_id(c) for c in copied.cells if grade_id(c)] == list(released_cells(DAY1))
    assert len(copied.cells) == len(nb.cells), "the cells stay, only their claim goes"
    assert sub.flags == ["tampering: cell 'bonus' claims to be graded but is not part of the assignment "
                         "(100 points claimed); graded as an ordinary cell"]
    assert f"a second copy of cell {grade_id(twin)} was graded as an ordinary cell" in sub.notes


def test_collect_reports_each_problem_and_keeps_the_others(tmp_path):
    good = write_submission(tmp_path, "ann", DAY1, submission(DAY1))
    (tmp_path / "b*b" / "day01").mkdir(parents=True)
    nbformat.write(submission(DAY1), tmp_path / "b*b" / "day01" / "day01.ipynb")
    (tmp_path / "cid" / "day01").mkdir(parents=True)
    (tmp_path / "cid" / "day01" / "day01.ipynb").write_text("{not json")
    (tmp_path / "dee" / "week1").mkdir(parents=True)
    got = {s.student: s for s in collect(tmp_path)}
    assert got["ann"].status == "pending" and got["ann"].notebook == good
    assert "is not a valid id" in got["b*b"].error
    assert "not valid JSON" in got["cid"].error
    assert "folder is not a course day" in got["dee"].error
    with pytest.raises(CourseError, match="no student folders"):
        collect(tmp_path / "ann" / "day01")


def test_another_days_notebook_is_named_as_such(tmp_path):
    day2 = syllabus.get_day("day02")
    path = write_submission(tmp_path, "ann", DAY1, submission(day2))  # Day 2's exercise in the Day 1 folder
    write_submission(tmp_path, "bob", DAY1, submission(DAY1))
    got = {s.student: s for s in collect(tmp_path)}
    assert got["ann"].status == "failed"
    assert got["ann"].error == (f"{path}: this is the day02 exercise ({day2.title}), not day01's: "
                                "hand it in as ann/day02/day02.ipynb")
    assert got["bob"].status == "pending", "the others are graded all the same"
