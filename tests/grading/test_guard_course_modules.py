"""An answer cell cannot swap what the tests take from the course: held-out images, backbone, inputs.

Day 6's tests get their held-out images from ``course.data.heldout``, the backbone from
``course.pretrained`` and its inputs from ``course.transfer``. A student cell that rebinds
those functions (say, a held-out set that is the training set) must find them put back
before every test cell, and the report must say so. An ordinary cell right after the
student's shows that the swap took effect, so the test cell's check proves the guard.

    .venv/bin/python -m pytest tests/grading/test_guard_course_modules.py -p no:xdist -q
"""

from __future__ import annotations

import pytest
from nbformat.v4 import new_code_cell, new_notebook

from course.grading import safe_execute
from course.grading.safe_execute import SafeExecute
from course.syllabus import REPO_ROOT

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("sandbox")]

SWAPPED = ("data.heldout", "data.dataset", "pretrained.pretrained_backbone", "transfer.to_backbone_input")

SETUP = "from course import data, pretrained, transfer\n"

STUDENT = "".join(f"{name} = lambda *args, **kwargs: 'swapped'\n" for name in SWAPPED)

REPORT = "".join(f"print('{name}:', {name}.__module__)\n" for name in SWAPPED)

TEST = REPORT + "".join(f"assert {name}.__module__.startswith('course.'), '{name} is the student\\'s'\n"
                        for name in SWAPPED)


def _cell(source: str, **nbgrader):
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"schema_version": 3, "solution": False, "grade": False, "locked": True, **nbgrader}
    return cell


@pytest.fixture(scope="module")
def graded():
    cells = [_cell(SETUP, grade_id="setup"),
             _cell(STUDENT, grade_id="answer", solution=True, locked=False),
             new_code_cell(REPORT),
             _cell(TEST, grade_id="test_answer", grade=True, points=1)]
    nb, _ = SafeExecute(timeout=60).preprocess(new_notebook(cells=cells), {"metadata": {"path": str(REPO_ROOT)}})
    return nb


def _text(cell) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.get("output_type") == "stream")


def _errors(cell) -> list[str]:
    return [f"{o.ename}: {o.evalue}" for o in cell.outputs if o.get("output_type") == "error"]


def test_the_swap_takes_effect_in_ordinary_cells(graded):
    shown = _text(graded.cells[2])
    assert all(f"{name}: __main__" in shown for name in SWAPPED), f"the student's functions should be in force: {shown}"


def test_the_tests_see_the_course_functions_again(graded):
    test = graded.cells[3]
    assert not _errors(test), f"a test cell still saw a student's function: {_errors(test)}"
    shown = _text(test)
    assert all(f"{name}: course." in shown for name in SWAPPED), shown


def test_the_report_names_each_swap(graded):
    flags = " | ".join(graded.metadata[safe_execute.METADATA_KEY]["flags"])
    missing = [name for name in SWAPPED if f"course.{name} was replaced" not in flags]
    assert not missing, f"the report should name {missing}: {flags}"
