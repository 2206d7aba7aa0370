"""nbgrader preprocessor for feedback: hidden tests show their name, points and outcome only.

nbgrader's feedback shows every test cell's source and traceback, which gives
away what the hidden tests check and the values they assert. ``RedactHiddenTests``
(in GenerateFeedback's pipeline, nbgrader_config.py) replaces each hidden test
cell's source by one comment line and its outputs by a one-line outcome, and
removes the hidden tests' lines from any other output.

From the first hidden test on, the kernel has run code the student must not
see, and code of the student's may have read it (the grader takes away what the
kernel keeps of a hidden cell, course.grading.kernel_guard.HiddenCell, but what
code under test takes while the cell runs, such as its caller's frame, stays).
So from there on the feedback carries only what is too small and too plain to
smuggle it out, and nothing whose size the student controls:

* a visible test's failure: its exception name (one Python or the course knows,
  else "Exception") and its message, cut to ``message_chars`` characters (a
  test's own failure: AssertionError, ForbiddenCallError, the grader's) or
  ``error_chars`` (any other exception: raised by the student's code or a
  library it called), with every unbroken run of ``TOKEN_CHARS`` base64 /
  identifier characters or ``HEX_CHARS`` hex digits that the notebook does not
  show elided and characters outside printable ASCII replaced (the course's
  messages, "expected shape (8, 16, 16, 16), got (8, 16, 32, 32): check the
  padding", and torch's errors pass whole);
* an answer cell's error: its exception name only;
* everything else (what the student's own cells print, display, return or
  raise: text, HTML, images) and the execution counts: a fixed note, the same
  whatever ran.
"""

from __future__ import annotations

import builtins
import re

from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Bool, Integer

from ..notebooks import grade_id, is_answer_cell, is_test_cell, nbgrader_meta
from . import quiz_feedback
from .safe_execute import GRADER_ERRORS, HIDDEN_BEGIN

MIN_LINE = 12  # shorter lines (``)``, ``else:``) are not worth hiding and would mangle outputs
MESSAGE_CHARS = 400  # a test's failure: the course's longest (expect_no_hooks naming four hooks) is about 370
ERROR_CHARS = 160  # any other exception: torch's longest usual ones ("Given groups=1, weight of size ...") are ~120
TOKEN_CHARS = 24  # the course's longest such run is 'checkpoint_path=CHECKPOINT' (26), which the notebook shows
HEX_CHARS = 16  # an object's address (0x7f3a2c1d5e60) has 12
ELIDED = "[...]"
CUT = " [cut]"
# with a limit of 0 (the grading service's feedback, which allows another attempt)
WITHHELD = "(the message is not shown in this feedback: run the notebook's visible tests to read it)"
AFTER_HIDDEN = "(this cell ran after a hidden test: its outputs are not shown in feedback)"
KNOWN_ERRORS = frozenset(
    {name for name, value in vars(builtins).items() if isinstance(value, type) and issubclass(value, BaseException)}
    | {"ForbiddenCallError", "OutOfMemoryError", *GRADER_ERRORS})  # course.checks', torch's, the grader's
TEST_FAILURES = frozenset({"AssertionError", "ForbiddenCallError", *GRADER_ERRORS})

_TOKEN = re.compile(rf"[A-Za-z0-9+/=_-]{{{TOKEN_CHARS},}}")
_HEX = re.compile(rf"[0-9a-fA-F]{{{HEX_CHARS},}}")
_NOT_PLAIN = re.compile(r"[^\x20-\x7e\n]")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


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


def public_tokens(cells) -> frozenset[str]:
    """The long runs of characters the notebook shows anyway (call labels, keyword arguments): never elided.

    Whatever a student wrote into the notebook they knew before it ran: it carries nothing out of the kernel.
    """
    return frozenset(token for cell in cells if not is_hidden_test(cell)
                     for pattern in (_TOKEN, _HEX) for token in pattern.findall(cell.source))


def shown_ename(ename: str) -> str:
    """The exception's name when Python, torch, the course or the grader could have raised it, else "Exception"."""
    return ename if ename in KNOWN_ERRORS else "Exception"


def bounded_message(text: str, public: frozenset[str] = frozenset(), limit: int = MESSAGE_CHARS) -> str:
    """``text`` in plain ASCII, encoded-looking runs elided, at most ``limit`` characters."""
    if limit <= 0:
        return WITHHELD if text else ""
    text = _NOT_PLAIN.sub("?", _strip_ansi(text).replace("\r", ""))
    for pattern in (_TOKEN, _HEX):
        text = pattern.sub(lambda m: m[0] if m[0] in public else ELIDED, text)
    return text if len(text) <= limit else text[: max(0, limit - len(CUT))] + CUT


def _outcome(cell) -> str:
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    if not errors:
        return "hidden tests passed"
    return f"hidden tests failed ({shown_ename(errors[0].get('ename', 'error'))})"


def _score(cell) -> float | None:
    """The partial credit a test cell's result gave (0 when it raised), None when it showed none."""
    outputs = cell.get("outputs", [])
    if any(o.get("output_type") == "error" for o in outputs):
        return 0.0
    for o in outputs:
        if o.get("output_type") == "execute_result":
            text = o.get("data", {}).get("text/plain", "")
            try:
                return float("".join(text) if isinstance(text, list) else text)
            except ValueError:
                return None
    return None


def _note(text: str) -> NotebookNode:
    return NotebookNode(output_type="stream", name="stdout", text=text + "\n")


def _error(ename: str, evalue: str) -> NotebookNode:
    return NotebookNode(output_type="error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


class RedactHiddenTests(NbGraderPreprocessor):
    message_chars = Integer(MESSAGE_CHARS, help="after the first hidden test, the longest failure message "
                                                "(AssertionError, ForbiddenCallError) a visible test shows; longer "
                                                "ones are cut").tag(config=True)
    error_chars = Integer(ERROR_CHARS, help="after the first hidden test, the longest message of any other exception a "
                                            "visible test shows; longer ones are cut").tag(config=True)
    reveal_quiz_key = Bool(False, help="show each quiz question's answer and its explanation (the final feedback: "
                                       "after the due date, or after the student's last graded attempt); "
                                       "otherwise the feedback says only which answers were right").tag(config=True)

    def preprocess(self, nb, resources):
        secret = hidden_lines(nb.cells)
        public = public_tokens(nb.cells)
        answers = {grade_id(c): c.source for c in nb.cells if is_answer_cell(c)}
        after_hidden = False
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            if is_hidden_test(cell):
                points = nbgrader_meta(cell).get("points", 0)
                quiz = quiz_feedback.report(cell.source, answers, _score(cell), self.reveal_quiz_key)
                cell.source = f"# hidden test {grade_id(cell)} ({points:g} points): its code is not shown"
                cell.outputs = [_note("\n".join([_outcome(cell), *quiz]))]
                cell.execution_count = None
                after_hidden = True
                continue
            if after_hidden:
                cell.outputs = self._after_hidden(cell, public)
                cell.execution_count = None  # the student's code can set it (get_ipython().execution_count)
            if secret:
                cell.outputs = [_scrub(out, secret) for out in cell.get("outputs", [])]
        return nb, resources

    def _after_hidden(self, cell, public: frozenset[str]) -> list:
        """What a cell that ran after a hidden test shows: see the module's docstring."""
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if is_test_cell(cell):
            if errors:  # the test's own, and the grader's (TestNotRun, TamperedDuringTest)
                return [self._visible_failure(o.get("ename", ""), o.get("evalue", ""), public) for o in errors[:2]]
            return [_note("visible tests passed " + AFTER_HIDDEN)] if cell.get("outputs") else []
        if is_answer_cell(cell) and errors:
            return [_error(shown_ename(errors[0].get("ename", "")), AFTER_HIDDEN)]
        return [_note(AFTER_HIDDEN)]

    def _visible_failure(self, ename: str, evalue: str, public: frozenset[str]) -> NotebookNode:
        limit = self.message_chars if ename in TEST_FAILURES else self.error_chars
        return _error(shown_ename(ename), bounded_message(evalue, public, limit))


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


def _strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)
