"""Reading notebooks with clear errors, and finding their nbgrader cells."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat

from .errors import CourseError


def read_notebook(path: str | Path) -> nbformat.NotebookNode:
    """Read and validate a notebook; raise CourseError naming the file and the problem."""
    path = Path(path)
    if not path.exists():
        raise CourseError(f"{path}: no such file")
    if path.is_dir():
        raise CourseError(f"{path}: is a folder, not a notebook (.ipynb file)")
    if path.suffix != ".ipynb":
        raise CourseError(f"{path}: not a notebook (expected a .ipynb file)")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CourseError(f"{path}: not a notebook (not UTF-8 text: {exc.reason})") from None
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise CourseError(
            f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            "the file is damaged: re-download it or restore it from a checkpoint"
        ) from None
    try:
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
    except Exception as exc:  # nbformat raises several types for bad structure
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CourseError(f"{path}: not a valid Jupyter notebook ({first_line})") from None
    return nb


def nbgrader_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def grade_id(cell) -> str | None:
    return nbgrader_meta(cell).get("grade_id")


def is_answer_cell(cell) -> bool:
    meta = nbgrader_meta(cell)
    return cell.cell_type == "code" and bool(meta.get("solution")) and not meta.get("grade")


def is_test_cell(cell) -> bool:
    meta = nbgrader_meta(cell)
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def cells_by_grade_id(nb) -> dict[str, nbformat.NotebookNode]:
    return {grade_id(c): c for c in nb.cells if grade_id(c)}


def is_hidden_placeholder(cell) -> bool:
    """A test cell of a student release whose hidden tests were taken out: comments only, no code."""
    code = [ln for ln in cell.source.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    return not code
