"""Feedback shows a hidden test by its grade id, points and a short outcome only (issue 7).

A few failing Day 1 submissions are graded, and their feedback
(``ws/feedback/STUDENT/day01/day01.html``) is searched for what the hidden tests
of solutions/day01/day01.ipynb would give away: their source lines, their string
literals (call labels, hints), the numbers they assert that neither the release
nor the visible tests show, and the failure messages they raised. The visible
tests' source and messages must be there (so that empty feedback cannot pass),
whole, after the first hidden test too (where feedback bounds what a student's
code could make it show, course.grading.feedback).

    .venv/bin/python -m pytest tests/grading/test_feedback_leaks.py -p no:xdist -x -q
"""

from __future__ import annotations

import ast
import re
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from course import syllabus
from course.grading import autograde
from course.notebooks import grade_id, is_test_cell, read_notebook
from factory import reference_answers, submission, variants, write_submission
from grading_batch import packs
from make_samples import PICKS

DAY = syllabus.get_day("day01")
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("feedback-leaks")]

BEGIN, END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
MIN_LEN = 12  # shorter lines and strings (``)``, ``else:``, ``"size 0"``) are not secrets worth the name
FAILING = ("fb_unanswered", "fb_ben", "fb_pack00")
RECORDER = "fb_recorder"
# ben's conv_param_count forgets the bias: its visible test fails after conv_output_size's hidden test ran
BEN_AFTER_HIDDEN = ("conv_param_count(3, 16, 3) should be 448, got 432: "
                    "16 filters x (3 channels x 3 x 3 weights) + 16 biases")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
# numbers that are no test's: prompts (In [10]:), traceback headers (Cell In[15], line 10) and gutters (---> 10)
COUNTERS = re.compile(r"(?m)(?:Cell In|In|Out)\s*\[\s*\d*\s*\]:?|\bline \d+|^[ \t]*(?:-*>)?[ \t]*\d+(?=[ \t])")


# --------------------------------------------------------------------------- what the hidden tests hold

def hidden_and_visible_tests() -> tuple[dict[str, str], dict[str, str]]:
    """({hidden test id: its code between the markers}, {visible test id: its code}) of the solutions notebook."""
    hidden, visible = {}, {}
    for cell in read_notebook(DAY.solution_path).cells:
        if is_test_cell(cell):
            if BEGIN in cell.source:
                hidden[grade_id(cell)] = cell.source.split(BEGIN, 1)[1].split(END, 1)[0]
            else:
                visible[grade_id(cell)] = cell.source
    return hidden, visible


def public_text() -> str:
    """What a student has anyway: the whole release (its visible tests included)."""
    return "\n".join(c.source for c in read_notebook(DAY.exercise_path).cells)


def _has_number(number, text: str) -> bool:
    return re.search(rf"(?<![\w.]){re.escape(str(number))}(?![\w.])", text) is not None


def _numbers(node):
    for n in ast.walk(node):
        if isinstance(n, ast.Constant) and type(n.value) in (int, float):
            yield n.value


@lru_cache(maxsize=None)
def secrets() -> dict[str, set]:
    """The hidden tests' source lines, string literals and asserted numbers that the release does not show."""
    hidden, _ = hidden_and_visible_tests()
    public = public_text()
    lines, strings, numbers = set(), set(), set()
    for code in hidden.values():
        for line in code.splitlines():
            text = line.strip()
            if len(text) >= MIN_LEN and not text.startswith("#") and text not in public:
                lines.add(text)
        for node in ast.walk(ast.parse(code)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if len(node.value.strip()) >= MIN_LEN and node.value not in public:
                    strings.add(node.value.strip())
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", "")
                if name.startswith("expect_"):
                    for arg in [*node.args, *(k.value for k in node.keywords)]:
                        numbers.update(n for n in _numbers(arg) if not _has_number(n, public))
    return {"lines": lines, "strings": strings, "numbers": numbers}


class _TextOf(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("style", "script")

    def handle_endtag(self, tag):
        if tag in ("style", "script") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_text(path: Path) -> str:
    """The text a student reads in the feedback page (no markup, styles or scripts)."""
    parser = _TextOf()
    parser.feed(path.read_text(encoding="utf-8"))
    return "".join(parser.parts)


def error_messages(nb, ids) -> set[str]:
    """First lines of the error messages that the cells ``ids`` of an executed notebook raised."""
    return {ANSI.sub("", out.get("evalue", "")).strip().splitlines()[0]
            for cell in nb.cells if grade_id(cell) in ids
            for out in cell.get("outputs", []) if out.get("output_type") == "error" and out.get("evalue", "").strip()}


def leaks(text: str, own_source: str) -> list[str]:
    """What of the hidden tests ``text`` shows (minus what the student wrote in the notebook themselves)."""
    found = secrets()
    numbers_text = COUNTERS.sub(" ", text)
    out = [f"source line: {line}" for line in sorted(found["lines"]) if line in text]
    out += [f"string: {s!r}" for s in sorted(found["strings"]) if s in text and s not in own_source]
    out += [f"number: {n}" for n in sorted(found["numbers"])
            if _has_number(n, numbers_text) and not _has_number(n, own_source)]
    return out


# --------------------------------------------------------------------------- the graded submissions

RECORDED = '''
# every call the tests make, kept for later
_seen = []


def _recorded(fn):
    def wrapper(*args, **kwargs):
        _seen.append((fn.__name__, [getattr(a, "shape", a) for a in args], kwargs))
        return fn(*args, **kwargs)
    return wrapper


'''


def recorder_notebook() -> nbformat.NotebookNode:
    """Correct answers that record how the tests call them, and a last cell that prints the record."""
    ref = reference_answers(DAY)
    answers = dict(ref)
    for item in ("conv_output_size", "conv2d_manual", "conv_param_count", "receptive_field"):
        answers[item] = (RECORDED if item == "conv_output_size" else "") + ref[item] + f"\n{item} = _recorded({item})\n"
    nb = submission(DAY, answers)
    nb.cells.append(nbformat.v4.new_code_cell("for _call in _seen:\n    print(*_call)\n"))
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("feedback-leaks")
    subs = tmp / "submissions"
    mutants = variants("mutants", DAY)
    ben = dict(mutants[name] for name in PICKS[DAY.id]["ben"])
    first = {item: mutants[name][1] for item, name in packs("mutants", DAY)[0].items()}
    notebooks = {"fb_unanswered": submission(DAY), "fb_ben": submission(DAY, ben),
                 "fb_pack00": submission(DAY, first), RECORDER: recorder_notebook()}
    for student, nb in notebooks.items():
        write_submission(subs, student, DAY, nb)
    report = autograde.grade(subs, day_id=DAY.id, workspace_dir=tmp / "ws", workers=2)
    return report, {s: nbformat.writes(nb) for s, nb in notebooks.items()}


def feedback_of(report, student: str) -> Path:
    return report.workspace / "feedback" / student / DAY.id / DAY.notebook.replace(".ipynb", ".html")


def autograded_of(report, student: str) -> nbformat.NotebookNode:
    return nbformat.read(report.workspace / "autograded" / student / DAY.id / DAY.notebook, as_version=4)


# --------------------------------------------------------------------------- the tests

def test_the_hidden_tests_have_secrets_to_keep():
    found = secrets()
    assert len(found["lines"]) > 20 and found["strings"], found
    assert found["numbers"], "the hidden tests assert no number that the release does not show"


@pytest.mark.parametrize("student", FAILING)
def test_feedback_shows_nothing_of_the_hidden_tests(graded, student):
    report, sources = graded
    sub = report.get(student, DAY.id)
    assert sub.status == "graded", sub.error
    assert sum(s for s, _ in sub.scores.values()) < sum(m for _, m in sub.scores.values()), "should fail some tests"
    text = html_text(feedback_of(report, student))
    shown = leaks(text, sources[student])
    assert not shown, f"the feedback of {student} gives away hidden tests:\n" + "\n".join(shown[:30])


@pytest.mark.parametrize("student", FAILING)
def test_feedback_shows_no_hidden_failure_message(graded, student):
    """A failing hidden test says that it failed, not what it called and expected."""
    report, _ = graded
    hidden, visible = hidden_and_visible_tests()
    nb = autograded_of(report, student)
    secret = {m for m in error_messages(nb, hidden) - error_messages(nb, visible) if len(m) >= MIN_LEN}
    text = html_text(feedback_of(report, student))
    shown = sorted(m for m in secret if m in text)
    assert not shown, f"the feedback of {student} shows hidden tests' messages: {shown}"


@pytest.mark.parametrize("student", FAILING)
def test_feedback_shows_the_visible_tests(graded, student):
    """Source and messages of the visible tests are there: feedback is not simply empty."""
    report, _ = graded
    _, visible = hidden_and_visible_tests()
    text = html_text(feedback_of(report, student))
    missing = [f"{gid}: {code.strip().splitlines()[0]}" for gid, code in visible.items()
               if code.strip().splitlines()[0].strip() not in text]
    messages = error_messages(autograded_of(report, student), visible)
    assert messages, f"{student} should fail some visible tests"
    missing += [f"message: {m}" for m in sorted(messages) if m not in text]
    assert not missing, f"the feedback of {student} lacks visible tests' source or messages:\n" + "\n".join(missing)


@pytest.mark.parametrize("student", FAILING)
def test_autograded_outputs_show_nothing_of_the_hidden_tests(graded, student):
    """Outside the hidden test cells, the autograded notebook's outputs (the feedback's material) hold no hidden source."""
    report, sources = graded
    hidden, _ = hidden_and_visible_tests()
    nb = autograded_of(report, student)
    text = "\n".join(ANSI.sub("", "\n".join([out.get("text", ""), out.get("evalue", ""), *out.get("traceback", []),
                                            str(out.get("data", {}).get("text/plain", ""))]))
                     for cell in nb.cells if grade_id(cell) not in hidden for out in cell.get("outputs", []))
    shown = leaks(text, sources[student])
    assert not shown, f"outputs in {student}'s autograded notebook give away hidden tests:\n" + "\n".join(shown[:30])


def test_answers_cannot_smuggle_hidden_inputs_into_feedback(graded):
    """Correct answers that record their calls and print them in a later cell: the feedback must not show them."""
    report, sources = graded
    sub = report.get(RECORDER, DAY.id)
    assert sub.status == "graded", sub.error
    assert all(s == m for s, m in sub.scores.values()), f"the recorder's answers are correct: {sub.scores}"
    text = html_text(feedback_of(report, RECORDER))
    shown = leaks(text, sources[RECORDER])
    assert not shown, ("the feedback shows the hidden tests' inputs that the answers recorded and printed:\n"
                       + "\n".join(shown[:30]))


def visible_failures_after_a_hidden_test(nb) -> list[str]:
    """The whole messages of the visible tests that failed after the first hidden test of an autograded notebook."""
    hidden, visible = hidden_and_visible_tests()
    after_hidden, messages = False, []
    for cell in nb.cells:
        after_hidden = after_hidden or grade_id(cell) in hidden
        if after_hidden and grade_id(cell) in visible:
            messages += [ANSI.sub("", out["evalue"]) for out in cell.get("outputs", [])
                         if out.get("output_type") == "error"]
    return messages


def test_an_honest_failing_visible_test_shows_its_whole_message(graded):
    """After a hidden test, feedback bounds what a visible test's message may carry: an honest one passes whole."""
    report, _ = graded
    messages = visible_failures_after_a_hidden_test(autograded_of(report, "fb_ben"))
    assert BEN_AFTER_HIDDEN in messages, f"ben's conv_param_count should fail its visible test so: {messages}"
    text = html_text(feedback_of(report, "fb_ben"))
    cut = [message for message in messages if message not in text]
    assert not cut, "the feedback of fb_ben does not show these visible tests' messages whole:\n" + "\n".join(cut)
