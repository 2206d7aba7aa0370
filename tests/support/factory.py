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


REFERENCE_SIDE, VARIANT_SIDE = "# --- reference", "# +++ variant"


def edited_reference(reference: str, edits: str, where: str) -> str:
    """The reference answer with ``edits`` made: pairs of a ``# --- reference`` block (lines of the
    reference, found exactly once) and the ``# +++ variant`` block that replaces it."""
    pairs = re.split(rf"^{re.escape(REFERENCE_SIDE)}\n", edits, flags=re.M)[1:]
    assert pairs, f"{where}: no '{REFERENCE_SIDE}' block"
    out = reference
    for pair in pairs:
        old, sep, new = pair.partition(f"{VARIANT_SIDE}\n")
        assert sep, f"{where}: a '{REFERENCE_SIDE}' block without its '{VARIANT_SIDE}' block"
        assert out.count(old) == 1, (f"{where}: the reference answer holds {out.count(old)} copies of these lines "
                                     f"(it should hold one; has the reference changed?):\n{old}")
        out = out.replace(old, new)
    return out


def variants(kind: str, day: Day) -> dict[str, tuple[str, str]]:
    """``{name: (item, source)}`` from tests/<kind>/<day>/<item>__<what>.py.

    A file is the whole answer cell, or, where it holds a ``# --- reference`` line, the
    reference answer's lines it changes (see :func:`edited_reference`): a mistake in a long
    answer then reads as the few lines it is, and follows the reference when that changes."""
    out, references = {}, None
    for path in sorted((TESTS / kind / day.id).glob("*__*.py")):
        item, _, _what = path.stem.partition("__")
        assert item in day.items, f"{path}: {item!r} is not a graded item of {day.id}"
        text = path.read_text()
        if re.search(rf"^{re.escape(REFERENCE_SIDE)}$", text, flags=re.M):
            references = references or reference_answers(day)
            text = edited_reference(references[item], text, str(path))
        out[path.stem] = (item, text)
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
