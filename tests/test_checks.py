"""The helpers the notebook tests use must be able to fail."""

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from course.checks import (ForbiddenCallError, expect_int, expect_quiz, expect_raises, expect_tensor,
                           no_torch_convolution, quiz_score)


def test_expect_int_rejects_float_bool_and_tensor():
    for value in (4.0, True, torch.tensor(4), 5):
        with pytest.raises(AssertionError):
            expect_int(value, 4 if value is not True else 1, "f()")
    expect_int(4, 4, "f()")


def test_expect_int_message_says_want_and_got():
    with pytest.raises(AssertionError, match=r"f\(8\) should be 4, got 5: round down"):
        expect_int(5, 4, "f(8)", hint="round down")
    with pytest.raises(AssertionError, match="use // "):
        expect_int(4.0, 4, "f(8)")


def test_expect_tensor_checks_type_shape_dtype_values():
    want = torch.zeros(2, 3)
    with pytest.raises(AssertionError, match="should be a torch.Tensor"):
        expect_tensor(want.numpy(), want, "out")
    with pytest.raises(AssertionError, match=r"expected shape \(2, 3\), got \(3, 2\)"):
        expect_tensor(torch.zeros(3, 2), want, "out")
    with pytest.raises(AssertionError, match="expected dtype"):
        expect_tensor(torch.zeros(2, 3, dtype=torch.float64), want, "out")
    with pytest.raises(AssertionError, match=r"at index \(1, 2\): expected 0, got 1"):
        bad = want.clone()
        bad[1, 2] = 1
        expect_tensor(bad, want, "out")
    expect_tensor(want + 1e-7, want, "out")


def test_expect_raises():
    expect_raises(ValueError, int, "x", call="int('x')", why="not a number")
    with pytest.raises(AssertionError, match="should raise ValueError .* but it returned 3"):
        expect_raises(ValueError, int, "3", call="int('3')", why="nothing")
    with pytest.raises(AssertionError, match="but it raised TypeError"):
        expect_raises(ValueError, int, None, call="int(None)", why="x")


from torch.nn.functional import conv2d as captured_alias  # noqa: E402  (captured before the block)

FORBIDDEN = {
    "F.conv2d": lambda x, w: F.conv2d(x, w),
    "torch.conv2d": lambda x, w: torch.conv2d(x, w),
    "alias captured at import": lambda x, w: captured_alias(x, w),
    "nn.Conv2d": lambda x, w: nn.Conv2d(1, 1, 3, bias=False)(x),
    "torch.nn.grad.conv2d_input": lambda x, w: torch.nn.grad.conv2d_input((1, 1, 7, 7), w, x[:, :, :5, :5]),
    "torch.nn.grad.conv2d_weight": lambda x, w: torch.nn.grad.conv2d_weight(x, w.shape, torch.ones(1, 1, 5, 5)),
    "aten.convolution": lambda x, w: torch.ops.aten.convolution(x, w, None, [1, 1], [0, 0], [1, 1], False, [0, 0], 1),
    "F.conv_transpose2d": lambda x, w: F.conv_transpose2d(x, w),
}


@pytest.mark.parametrize("name", FORBIDDEN)
def test_no_torch_convolution_catches(name):
    x, w = torch.randn(1, 1, 7, 7), torch.randn(1, 1, 3, 3)
    with pytest.raises(ForbiddenCallError, match="must compute the convolution itself"):
        with no_torch_convolution("conv2d_manual"):
            FORBIDDEN[name](x, w)


def test_no_torch_convolution_allows_the_building_blocks():
    x, w = torch.randn(2, 3, 6, 6), torch.randn(4, 3, 3, 3)
    with no_torch_convolution("conv2d_manual"):
        cols = F.unfold(F.pad(x, (1, 1, 1, 1)), 3)
        out = (w.view(4, -1) @ cols).view(2, 4, 6, 6)
        torch.einsum("nchw,fchw->nf", x[:, :, :3, :3], w)
    assert torch.allclose(out, F.conv2d(x, w, padding=1), atol=1e-5)


def test_quiz_helpers():
    qs = {"q1": "", "q2": ""}
    expect_quiz({"q1": "a", "q2": "d"}, qs)
    for bad in ([("q1", "a")], {"q1": "a"}, {"q1": "a", "q2": "e"}, {"q1": "a", "q2": "b", "q3": "c"}):
        with pytest.raises(AssertionError):
            expect_quiz(bad, qs)
    assert quiz_score({"q1": "a", "q2": "b"}, {"q1": "a", "q2": "c"}) == 1


class _SneakyStr(str):
    """A str subclass equal to anything, whose every method records that it ran (the student's code)."""
    ran: list = []
    __hash__ = str.__hash__

    def __eq__(self, other):
        _SneakyStr.ran.append("__eq__")
        return True

    def __ne__(self, other):
        _SneakyStr.ran.append("__ne__")
        return False

    def __repr__(self):
        _SneakyStr.ran.append("__repr__")
        return "'b'"

    def __str__(self):
        _SneakyStr.ran.append("__str__")
        return "b"


def test_quiz_helpers_run_nothing_of_a_str_subclass():
    """Ids and answers are compared as plain str: a subclass counts as wrong, and its own code never runs."""
    _SneakyStr.ran.clear()
    qs, key = {"q1": "", "q2": ""}, {"q1": "b", "q2": "c"}
    sneaky_values = {"q1": _SneakyStr("a"), "q2": _SneakyStr("a")}
    sneaky_keys = {_SneakyStr("q1"): "a", _SneakyStr("q2"): "a"}
    for answers in (sneaky_values, sneaky_keys):
        with pytest.raises(AssertionError, match="plain str|should be strings"):
            expect_quiz(answers, qs)
        assert quiz_score(answers, key) == 0
    assert quiz_score({"q1": "b", "q2": _SneakyStr("c")}, key) == 1
    assert _SneakyStr.ran == [], f"the student's str subclass ran its own code: {_SneakyStr.ran}"
    assert type(quiz_score({"q1": "b", "q2": "c"}, key)) is int


def test_expect_quiz_wants_one_letter():
    for bad in ("", "ab", "B", 2):
        with pytest.raises(AssertionError, match="should be one letter"):
            expect_quiz({"q1": bad}, {"q1": ""})
    assert quiz_score("not a dict", {"q1": "a"}) == 0
