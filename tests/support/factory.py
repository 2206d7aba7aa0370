"""Build student submissions for the tests: the release with chosen answers filled in."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import nbformat

from course.notebooks import grade_id, is_answer_cell, read_notebook
from course.syllabus import Day

TESTS = Path(__file__).resolve().parents[1]  # tests/: mutants/ and alternatives/ live there
SOLUTION_BLOCK = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n", re.M)


def reference_answers(day: Day) -> dict[str, str]:
    """Answer-cell sources of the solutions notebook, markers removed."""
    nb = read_notebook(day.solution_path)
    return {grade_id(c): SOLUTION_BLOCK.sub("", c.source + "\n").rstrip() + "\n"
            for c in nb.cells if is_answer_cell(c)}


def variants(kind: str, day: Day) -> dict[str, tuple[str, str]]:
    """``{name: (item, source)}`` from tests/<kind>/<day>/<item>__<what>.py."""
    out = {}
    for path in sorted((TESTS / kind / day.id).glob("*__*.py")):
        item, _, _what = path.stem.partition("__")
        assert item in day.items, f"{path}: {item!r} is not a graded item of {day.id}"
        out[path.stem] = (item, path.read_text())
    return out


def submission(day: Day, answers: dict[str, str] | None = None, base: str = "release") -> nbformat.NotebookNode:
    """The released notebook with ``answers`` (item -> source) put into the answer cells."""
    nb = copy.deepcopy(read_notebook(day.exercise_path if base == "release" else day.solution_path))
    answers = answers or {}
    for cell in nb.cells:
        if is_answer_cell(cell) and grade_id(cell) in answers:
            cell.source = answers[grade_id(cell)]
    return nb


def write_submission(root: Path, student: str, day: Day, nb) -> Path:
    path = root / student / day.id / day.notebook
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path
