"""What a self-check found: per graded item, its visible tests' outcome (``course check`` and ``course.check``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .tables import table


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


def format_report(report: CheckReport) -> str:
    """The per-item table, what failed, errors outside the tests, and a one-line verdict."""
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
