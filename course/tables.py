"""Plain-text tables for the terminal (the grading report and the self-check share this)."""

from __future__ import annotations


def table(header: list[str], rows: list[list[str]]) -> str:
    """``header`` and ``rows`` as left-aligned columns, a dashed line under the header."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(header, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    return "\n".join(lines)
