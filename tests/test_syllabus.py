import subprocess

import pytest

from course import syllabus
from course.errors import CourseError
from course.notebooks import grade_id, is_answer_cell, is_test_cell, nbgrader_meta, read_notebook
from params import all_days


@pytest.mark.parametrize("name", ["day01", "DAY01", "1", "01", 1])
def test_day_names_are_forgiving(name):
    assert syllabus.get_day(name).id == "day01"


@pytest.mark.parametrize("name", ["day99", "lesson1", "", "0"])
def test_unknown_day_is_a_clear_error(name):
    with pytest.raises(CourseError, match="unknown day"):
        syllabus.get_day(name)


def test_item_of_test_prefers_the_longest_name():
    items = ("conv", "conv_output_size")
    assert syllabus.item_of_test("test_conv_output_size_hidden", items) == "conv_output_size"
    assert syllabus.item_of_test("test_conv_visible", items) == "conv"
    assert syllabus.item_of_test("setup", items) is None


def test_item_names_are_unique_across_the_course():
    names = [i for d in syllabus.days() for i in d.items]
    assert len(names) == len(set(names)), f"duplicate item names: {names}"


@pytest.mark.parametrize("day", all_days())
def test_solution_notebook_follows_the_contract(day):
    nb = read_notebook(day.solution_path)
    ids = [grade_id(c) for c in nb.cells if grade_id(c)]
    assert len(ids) == len(set(ids)), "grade ids must be unique"
    answers = [grade_id(c) for c in nb.cells if is_answer_cell(c)]
    assert answers == list(day.items), f"answer cells {answers} != syllabus items {list(day.items)}"
    assert f"{day.id}_quiz" in day.items
    for item in day.items:
        tests = [c for c in nb.cells if is_test_cell(c) and syllabus.item_of_test(grade_id(c), day.items) == item]
        visible = [c for c in tests if "BEGIN HIDDEN TESTS" not in c.source]
        hidden = [c for c in tests if "BEGIN HIDDEN TESTS" in c.source]
        assert visible and hidden, f"{item}: needs visible and hidden test cells"
        assert all(nbgrader_meta(c)["points"] > 0 for c in tests), f"{item}: every test cell carries points"
        assert all(nbgrader_meta(c)["locked"] for c in tests), f"{item}: test cells are locked"


def _committed_notebooks():
    out = subprocess.run(["git", "ls-files", "*.ipynb"], cwd=syllabus.REPO_ROOT,
                         capture_output=True, text=True, check=True).stdout
    return sorted(out.split())


@pytest.mark.parametrize("path", _committed_notebooks())
def test_committed_notebooks_have_no_outputs(path):
    nb = read_notebook(syllabus.REPO_ROOT / path)
    dirty = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count)]
    assert not dirty, f"{path}: cells {dirty} have outputs; clear them before committing"
