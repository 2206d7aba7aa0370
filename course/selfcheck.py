"""The student's self-check: run a notebook's visible tests and report per item.

Needs no nbgrader course directory (so it works on Colab): the notebook is
executed with nbclient in a fresh kernel, in the notebook's own folder, and the
test cells are read back. Hidden tests are not in a student's notebook; their
(empty) cells are reported as such.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from nbclient import NotebookClient

from .notebooks import grade_id, is_answer_cell, is_test_cell, nbgrader_meta, read_notebook
from .syllabus import item_of_test

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class ItemResult:
    item: str
    answered: bool = True
    passed: int = 0
    failed: int = 0
    points: float = 0.0        # visible points earned
    max_points: float = 0.0    # visible points available
    hidden_points: float = 0.0
    messages: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.answered and self.failed == 0


@dataclass
class CheckReport:
    notebook: Path | str  # the notebook checked (course check), or a label (course.check in a kernel)
    items: list[ItemResult]
    errors: list[str]  # errors outside the test cells

    @property
    def ok(self) -> bool:
        return all(i.ok for i in self.items)

    def __repr__(self) -> str:  # one line: course.check prints the table, and a notebook shows its value too
        passed = sum(i.ok for i in self.items)
        return f"<CheckReport of {self.notebook}: {passed} of {len(self.items)} items pass their visible tests>"


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


def _is_hidden_placeholder(cell) -> bool:
    code = [ln for ln in cell.source.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    return not code


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
        if _is_hidden_placeholder(cell):
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


def format_report(report: CheckReport) -> str:
    from .report import table

    rows = []
    for r in report.items:
        status = "not answered" if not r.answered else ("passed" if r.ok else "FAILED")
        points = f"{r.points:g}/{r.max_points:g}" + (f" (+{r.hidden_points:g} hidden)" if r.hidden_points else "")
        rows.append([r.item, status, f"{r.passed}/{r.passed + r.failed}", points])
    lines = [f"self-check of {report.notebook}", table(["item", "status", "visible tests", "points"], rows)]
    failures = [(r.item, m) for r in report.items for m in r.messages]
    if failures:
        lines.append("")
        lines.append("what failed:")
        lines += [f"  {item}: {message}" for item, message in failures]
    if report.errors:
        lines.append("")
        lines.append("errors outside the tests:")
        lines += [f"  {e}" for e in report.errors]
    passed = sum(r.ok for r in report.items)
    lines.append("")
    lines.append(f"{passed} of {len(report.items)} items pass their visible tests"
                 + ("." if report.ok else "; hidden tests run only when the notebook is graded."))
    return "\n".join(lines)
