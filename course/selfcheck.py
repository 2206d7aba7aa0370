"""The student's self-check: run a notebook's visible tests and report per item.

Needs no nbgrader course directory (so it works on Colab): the notebook is
executed with nbclient in a fresh kernel, in the notebook's own folder, and the
test cells are read back. Hidden tests are not in a student's notebook; their
(empty) cells are reported as such.
"""

from __future__ import annotations

import re
from pathlib import Path

from nbclient import NotebookClient

from .check_report import CheckReport, ItemResult
from .notebooks import grade_id, is_answer_cell, is_hidden_placeholder, is_test_cell, nbgrader_meta, read_notebook
from .syllabus import item_of_test

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def run_checks(path: str | Path, timeout: int | None = None) -> CheckReport:
    """Execute ``path`` top to bottom and report its visible tests item by item."""
    path = Path(path)
    nb = read_notebook(path)
    kernel = nb.metadata.get("kernelspec", {}).get("name", "python3")
    client = NotebookClient(nb, timeout=timeout, allow_errors=True, kernel_name=kernel,
                            extra_arguments=["--IPKernelApp.log_level=ERROR"],
                            resources={"metadata": {"path": str(path.parent.resolve())}})
    client.execute()
    return read_results(nb, path)


def _first_error(cell) -> str | None:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return ANSI.sub("", f"{out.get('ename')}: {out.get('evalue')}").strip()
    return None


def read_results(nb, path: Path) -> CheckReport:
    answers = [grade_id(c) for c in nb.cells if is_answer_cell(c)]
    items = {name: ItemResult(name) for name in answers}
    errors = []
    for index, cell in enumerate(nb.cells):
        err = _first_error(cell) if cell.cell_type == "code" else None
        if is_answer_cell(cell):
            if err and err.startswith("NotImplementedError"):
                items[grade_id(cell)].answered = False
            elif err:
                errors.append(f"answer cell {grade_id(cell)}: {err}")
            continue
        if not is_test_cell(cell):
            if err:
                errors.append(f"cell {index + 1}: {err}")
            continue
        item = item_of_test(grade_id(cell), tuple(answers))
        if item is None:
            continue
        result = items[item]
        points = float(nbgrader_meta(cell).get("points", 0))
        if is_hidden_placeholder(cell):
            result.hidden_points += points
            continue
        result.max_points += points
        if err and err.startswith("NotImplementedError"):
            result.answered = False
            result.failed += 1
        elif err:
            result.failed += 1
            result.messages.append(err)
        else:
            result.passed += 1
            result.points += points
    return CheckReport(path, list(items.values()), errors)
