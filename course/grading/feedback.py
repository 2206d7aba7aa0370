"""nbgrader preprocessor for feedback: hidden tests show their name, points and outcome only.

nbgrader's feedback shows every test cell's source and traceback, which gives
away what the hidden tests check and the values they assert. ``RedactHiddenTests``
(in GenerateFeedback's pipeline, nbgrader_config.py) replaces each hidden test
cell's source by one comment line and its outputs by a one-line outcome, and
removes the hidden tests' lines from any other output (a student who printed
them from inside the kernel does not get them back either). Cells that ran
after the first hidden test show only their errors (the visible tests'
messages) or a one-line outcome: code that recorded a hidden test's inputs
cannot print them back into the feedback.
"""

from __future__ import annotations

import re

from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor

from ..notebooks import grade_id, is_test_cell, nbgrader_meta

HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"
MIN_LINE = 12  # shorter lines (``)``, ``else:``) are not worth hiding and would mangle outputs


def is_hidden_test(cell) -> bool:
    return is_test_cell(cell) and HIDDEN_BEGIN in cell.source


def hidden_lines(cells) -> set[str]:
    lines = set()
    for cell in cells:
        if is_hidden_test(cell):
            for line in cell.source.splitlines():
                text = line.strip()
                if len(text) >= MIN_LINE and not text.startswith("#"):
                    lines.add(text)
    return lines


def _outcome(cell) -> str:
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    if not errors:
        return "hidden tests passed"
    return f"hidden tests failed ({errors[0].get('ename', 'error')})"


AFTER_HIDDEN = "(output not shown in feedback: this cell ran after a hidden test)"


class RedactHiddenTests(NbGraderPreprocessor):
    def preprocess(self, nb, resources):
        secret = hidden_lines(nb.cells)
        after_hidden = False
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            if is_hidden_test(cell):
                points = nbgrader_meta(cell).get("points", 0)
                cell.source = f"# hidden test {grade_id(cell)} ({points:g} points): its code is not shown"
                cell.outputs = [NotebookNode(output_type="stream", name="stdout", text=_outcome(cell) + "\n")]
                cell.execution_count = None
                after_hidden = True
                continue
            if after_hidden:
                # Code that ran after a hidden test may have recorded its inputs and print them
                # here: keep only the outcome and the visible tests' error messages.
                cell.outputs = _errors_only(cell)
            if secret:
                cell.outputs = [_scrub(out, secret) for out in cell.get("outputs", [])]
        return nb, resources


def _errors_only(cell) -> list:
    errors = [NotebookNode(output_type="error", ename=o.get("ename", ""), evalue=o.get("evalue", ""),
                           traceback=[f"{o.get('ename', '')}: {o.get('evalue', '')}"])
              for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    if errors:
        return errors
    if not cell.get("outputs"):
        return []
    note = ("visible tests passed " if is_test_cell(cell) else "") + AFTER_HIDDEN
    return [NotebookNode(output_type="stream", name="stdout", text=note + "\n")]


def _scrub(out, secret: set[str]):
    def clean(text: str) -> str:
        return "\n".join("[hidden test line removed]" if any(s in _strip_ansi(line) for s in secret) else line
                         for line in text.split("\n"))

    if out.get("output_type") == "stream":
        out["text"] = clean(out.get("text", ""))
    elif out.get("output_type") == "error":
        out["traceback"] = [clean(t) for t in out.get("traceback", [])]
        out["evalue"] = clean(out.get("evalue", ""))
    elif "data" in out:
        for mime, value in list(out["data"].items()):
            if mime.startswith("text/") and isinstance(value, str):
                out["data"][mime] = clean(value)
    return out


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)
