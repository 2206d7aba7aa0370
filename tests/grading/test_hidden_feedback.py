"""What feedback shows of the cells that ran after a hidden test, and how the checks show a student's value.

From the first hidden test on, a student's code may have read hidden tests' source in the kernel,
so everything it can make the feedback show is bounded (course.grading.feedback): a visible
test's message is cut and loses encoded-looking runs, the student's own outputs become one
fixed note. An honest student's messages pass whole. No grading here: notebooks are built in
memory with the outputs a kernel would have produced, and RedactHiddenTests runs on them.

    .venv/bin/python -m pytest tests/grading/test_hidden_feedback.py -q
"""

from __future__ import annotations

import base64
import zlib

import pytest
from nbformat.notebooknode import NotebookNode
from nbformat.v4 import new_code_cell, new_notebook

from course import checks
from course.grading.feedback import (AFTER_HIDDEN, ELIDED, ERROR_CHARS, MESSAGE_CHARS, RedactHiddenTests,
                                     bounded_message)

SECRET = "\n".join(f'expect_int(conv_output_size({n}, 3, stride=2), {n // 2}, "conv_output_size({n}, 3)")'
                   for n in range(7, 40))
HONEST = [  # (exception name, message)
    "conv_output_size(32, 3, stride=2, padding=1) should be 16, got 17: (32 + 2 - 2 - 1) // 2 + 1",
    "SmallCNN()(x): expected shape (8, 16, 16, 16), got (8, 16, 32, 32): check the padding of the first conv",
    "conv2d_manual must compute the convolution itself, but it called torch's convolution (aten.convolution, "
    "reached through F.conv2d, torch.conv2d, nn.Conv2d or torch.nn.grad). Use loops, unfold or einsum instead.",
    "trace_shapes(model) left hooks registered: 1 forward hook on 'features.0', 1 forward hook on 'features.3', "
    "1 forward hook on 'features.6', 1 forward hook on 'classifier.1' ...: keep the handle that "
    "register_forward_hook returns and call handle.remove() on each one, in a `finally:` block so that it also "
    "runs when forward raises",
    "quiz answer q6 should be one letter of a, b, c, d, got 3",
    "conv_output_size(28, 5) should return an int, got float 24.0: use // (floor division) or int(), not /",
    "f(x) raised RuntimeError: mat1 and mat2 shapes cannot be multiplied (4x3 and 5x2)",
    "create_transfer_model(checkpoint_path=CHECKPOINT) should load the weights from the checkpoint",
]
HONEST = [("AssertionError", message) for message in HONEST] + [
    ("RuntimeError", "Given groups=1, weight of size [16, 3, 3, 3], expected input[8, 1, 32, 32] to have 3 channels, "
                     "but got 1 channels instead"),
    ("NameError", "name 'conv2d_manual' is not defined"),
]


def meta(cell, **nbgrader):
    cell.metadata["nbgrader"] = {"schema_version": 3, "locked": False, "solution": False, "grade": False,
                                 "points": 0, **nbgrader}
    return cell


def visible(gid: str, *outputs, source: str = "expect_int(f(1), 2, 'f(1)')"):
    cell = meta(new_code_cell(source), grade=True, grade_id=gid, locked=True, points=1)
    cell.outputs = list(outputs)
    return cell


def hidden(gid: str, *outputs):
    cell = meta(new_code_cell(f"# Hidden tests\n### BEGIN HIDDEN TESTS\n{SECRET}\n### END HIDDEN TESTS\n"),
                grade=True, grade_id=gid, locked=True, points=2)
    cell.outputs = list(outputs)
    return cell


def answer(gid: str, *outputs):
    cell = meta(new_code_cell("def f(x):\n    return x\n"), solution=True, grade_id=gid)
    cell.outputs = list(outputs)
    return cell


def own(*outputs, source: str = "print(something)"):
    cell = new_code_cell(source)
    cell.outputs = list(outputs)
    return cell


def error(ename: str, evalue: str) -> NotebookNode:
    return NotebookNode(output_type="error", ename=ename, evalue=evalue,
                        traceback=[f"\x1b[31m{ename}\x1b[0m: {evalue}"])


def stream(text: str, name: str = "stdout") -> NotebookNode:
    return NotebookNode(output_type="stream", name=name, text=text)


def data(kind: str, bundle: dict) -> NotebookNode:
    out = NotebookNode(output_type=kind, data=bundle, metadata={})
    if kind == "execute_result":
        out["execution_count"] = 12
    return out


def redacted(*cells, **settings):
    nb = new_notebook(cells=list(cells))
    for n, cell in enumerate(nb.cells, 1):
        cell.execution_count = n
    nb, _ = RedactHiddenTests(**settings).preprocess(nb, {})
    return nb


def shown_text(cell) -> str:
    return "\n".join(str(o.get("text", "")) + str(o.get("ename", "")) + ": " + str(o.get("evalue", ""))
                     + "".join(o.get("traceback", [])) + str(o.get("data", "")) for o in cell.outputs)


PAYLOAD = base64.b64encode(zlib.compress(SECRET.encode())).decode()


@pytest.mark.parametrize("ename, message", HONEST)
def test_an_honest_message_after_a_hidden_test_passes_whole(ename, message):
    nb = redacted(hidden("test_a_hidden"), visible("test_b_visible", error(ename, message),
                                                   source="expect(checkpoint_path=CHECKPOINT)"))
    (out,) = nb.cells[1].outputs
    assert (out.ename, out.evalue) == (ename, message), f"an honest message was changed: {out.evalue!r}"


def test_encoded_runs_in_a_message_are_elided():
    hexed = SECRET.encode()[:200].hex()
    message = f"f(1) should return an int, got _AtkLeak {PAYLOAD[:300]} and {hexed}"
    evalue = redacted(hidden("test_a_hidden"), visible("test_b_visible", error("AssertionError", message))
                      ).cells[1].outputs[0].evalue
    assert PAYLOAD[:30] not in evalue and hexed[:20] not in evalue, evalue
    assert evalue.startswith("f(1) should return an int, got _AtkLeak ") and ELIDED in evalue, evalue


def test_a_message_is_cut_whatever_its_form():
    """Short words carry as much as a long run: the length bound holds them."""
    plain = base64.b64encode(SECRET.encode()).decode()
    words = " ".join(plain[i:i + 6] for i in range(0, len(plain), 6))
    evalue = redacted(hidden("test_a_hidden"), visible("test_b_visible", error("AssertionError", "ATK: " + words))
                      ).cells[1].outputs[0].evalue
    assert len(evalue) <= MESSAGE_CHARS and evalue.endswith("[cut]"), (len(evalue), evalue[-40:])
    other = redacted(hidden("test_a_hidden"), visible("test_b_visible", error("RuntimeError", words))
                     ).cells[1].outputs[0].evalue
    assert len(other) <= ERROR_CHARS, "an exception the checks do not raise has the shorter bound"
    short = redacted(hidden("test_a_hidden"), visible("test_b_visible", error("AssertionError", words)),
                     message_chars=80).cells[1].outputs[0].evalue
    assert len(short) <= 80, "c.RedactHiddenTests.message_chars sets the bound"


def test_only_plain_ascii_leaves_after_a_hidden_test():
    dense = "".join(chr(0x4E00 + b) for b in SECRET.encode()[:300])  # 15 bits a character, in CJK ideographs
    evalue = redacted(hidden("test_a_hidden"), visible("test_b_visible", error("ValueError", dense + "\x1b[1m"))
                      ).cells[1].outputs[0].evalue
    assert set(evalue) <= set("?[].cut ") and "\x1b" not in evalue, evalue[:60]


def test_an_exception_name_of_the_students_is_not_shown():
    nb = redacted(hidden("test_a_hidden", error(PAYLOAD[:80], "x")),
                  visible("test_b_visible", error(PAYLOAD[:60], "boom")),
                  visible("test_c_visible", error("ForbiddenCallError", "no")),
                  visible("test_d_visible", error("TestNotRun", "the test cell did not run to its end")))
    assert nb.cells[0].outputs[0].text == "hidden tests failed (Exception)\n", nb.cells[0].outputs
    assert [c.outputs[0].ename for c in nb.cells[1:]] == ["Exception", "ForbiddenCallError", "TestNotRun"]


ALL_KINDS = (stream(PAYLOAD), stream(PAYLOAD, "stderr"), data("display_data", {"text/plain": PAYLOAD,
             "text/html": f"<pre>{PAYLOAD}</pre>", "image/png": PAYLOAD}),
             data("execute_result", {"text/plain": PAYLOAD}), error("RuntimeError", PAYLOAD))


@pytest.mark.parametrize("output", ALL_KINDS, ids=lambda o: o.get("name") or o.output_type)
def test_the_students_own_outputs_after_a_hidden_test_become_one_fixed_note(output):
    nb = redacted(own(output), hidden("test_a_hidden"), own(output), own(), answer("f", output))
    before, _, after, empty, answered = nb.cells
    assert before.outputs == [output], "outputs before the first hidden test are shown as they are"
    assert [o.text for o in after.outputs] == [AFTER_HIDDEN + "\n"], after.outputs
    assert after.outputs == empty.outputs, "the note must be the same whatever the cell did"
    if output.output_type == "error":
        assert [(o.ename, o.evalue) for o in answered.outputs] == [("RuntimeError", AFTER_HIDDEN)], answered.outputs
    else:
        assert answered.outputs == empty.outputs, answered.outputs


def test_no_execution_count_after_a_hidden_test():
    """A student's code sets the numbers (get_ipython().execution_count = ...): they would carry anything."""
    nb = redacted(own(), hidden("test_a_hidden"), own(), visible("test_b_visible", stream("visible tests passed\n")))
    assert [c.execution_count for c in nb.cells] == [1, None, None, None]


def test_the_hidden_test_shows_no_line_of_its_own():
    nb = redacted(hidden("test_a_hidden", error("AssertionError", SECRET.splitlines()[0])),
                  visible("test_b_visible", error("AssertionError", "got " + SECRET.splitlines()[1])))
    text = "\n".join(shown_text(c) + c.source for c in nb.cells)
    assert not [line for line in SECRET.splitlines() if line in text], text


# --------------------------------------------------------------------------- the checks show a student's value bounded

class LongRepr:
    def __repr__(self):
        return "AtkLeak:" + PAYLOAD


def raising(exc: Exception):
    def raise_it(*args, **kwargs):
        raise exc
    return raise_it


def message_of(check, *args, **kwargs) -> str:
    with pytest.raises(AssertionError) as raised:
        check(*args, **kwargs)
    return str(raised.value)


@pytest.mark.parametrize("make", [
    lambda: message_of(checks.expect_int, LongRepr(), 3, "f(1)"),
    lambda: message_of(checks.expect_int, int.from_bytes(PAYLOAD.encode()[:400], "big"), 3, "f(1)"),
    lambda: message_of(checks.expect_int, type(PAYLOAD, (), {})(), 3, "f(1)"),
    lambda: message_of(checks.expect_raises, ValueError, lambda: LongRepr(), call="f(0)", why="no"),
    lambda: message_of(checks.expect_raises, ValueError, raising(TypeError(PAYLOAD)), call="f(0)", why="no"),
    lambda: message_of(checks.expect_quiz, {"q1": LongRepr()}, {"q1": ""}),
    lambda: message_of(checks.expect_quiz, {"q1": "a", PAYLOAD: "b"}, {"q1": ""}),
    lambda: message_of(checks.call_student, raising(RuntimeError(PAYLOAD)), call="f()"),
], ids=["repr", "huge int", "type name", "returned", "raised", "quiz answer", "quiz key", "call_student"])
def test_a_check_shows_a_students_value_bounded(make):
    message = make()
    assert len(message) < 260 and PAYLOAD[:checks.SAID_CHARS] not in message, \
        f"{len(message)} characters: {message[:150]}"


def test_a_check_shows_an_honest_value_whole():
    assert message_of(checks.expect_int, 24.0, 24, "conv_output_size(28, 5)") == (
        "conv_output_size(28, 5) should return an int, got float 24.0: use // (floor division) or int(), not /")
    assert message_of(checks.expect_raises, ValueError, lambda: (1, 2), call="f(0)", why="no") == (
        "f(0) should raise ValueError (no), but it returned (1, 2)")
    assert message_of(checks.expect_quiz, {"q1": "e"}, {"q1": ""}) == (
        "quiz answer q1 should be one letter of a, b, c, d, got 'e'")
    import torch

    assert message_of(checks.expect_shape, torch.zeros(8, 16, 32, 32), (8, 16, 16, 16), "SmallCNN()(x)",
                      hint="check the padding") == (
        "SmallCNN()(x): expected shape (8, 16, 16, 16), got (8, 16, 32, 32): check the padding")


def test_bounded_message_keeps_what_the_notebook_shows():
    public = frozenset({"checkpoint_path=CHECKPOINT"})
    honest = "load(checkpoint_path=CHECKPOINT) failed"
    assert bounded_message(honest, public) == honest
    assert bounded_message("load(checkpoint_path=CHECKPOINX) failed") == f"load({ELIDED}) failed"
