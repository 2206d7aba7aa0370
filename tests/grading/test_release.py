"""The committed student release is what nbgrader generates from solutions/, and hides what it must."""

import json

import pytest

from course.grading import release
from course.notebooks import grade_id, is_test_cell, read_notebook
from params import all_days
from factory import reference_answers


@pytest.fixture(scope="module")
def fresh_release(tmp_path_factory):
    ws = tmp_path_factory.mktemp("release-ws")
    return {p.parent.name: p for p in release.build(workspace_dir=ws)}


@pytest.mark.parametrize("day", all_days())
def test_exercises_are_in_sync_with_solutions(day, fresh_release):
    built = json.loads(fresh_release[day.id].read_text())
    committed = json.loads(day.exercise_path.read_text())
    assert built == committed, (
        f"{day.exercise_path} is out of date with {day.solution_path}: run `course build {day.id}` and commit"
    )


@pytest.mark.parametrize("day", all_days())
def test_release_hides_solutions_and_hidden_tests(day):
    text = day.exercise_path.read_text()
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
        assert marker not in text, f"{marker} left in the release"
    nb = read_notebook(day.exercise_path)
    for item, source in reference_answers(day).items():
        body = [ln for ln in source.splitlines()
                if any(ch.isalnum() for ch in ln) and not ln.lstrip().startswith(("def ", "#"))]
        leaked = [ln for ln in body if ln in text]
        assert not leaked, f"{item}: solution lines visible in the release: {leaked[:3]}"
    hidden = [c for c in nb.cells if is_test_cell(c) and grade_id(c).endswith("_hidden")]
    assert hidden and all(not [ln for ln in c.source.splitlines() if ln.strip() and not ln.startswith("#")]
                          for c in hidden), "hidden test cells must be empty in the release"
