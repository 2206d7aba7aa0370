"""The helpers that Day 3's tests add to course.checks must be able to fail."""

import warnings

import numpy as np
import pytest
import torch

from course.checks import call_student, plain_tensor


def test_plain_tensor_rejects_what_is_not_a_tensor():
    for value in (np.zeros((3, 2, 2), dtype=np.float32), [[0.0]], 1.0, None):
        with pytest.raises(AssertionError, match=r"out should be a torch.Tensor, got "):
            plain_tensor(value, "out")


def test_plain_tensor_unwraps_torchvision_subclasses():
    from torchvision import tv_tensors

    image = tv_tensors.Image(torch.rand(3, 4, 5))
    got = plain_tensor(image, "out")
    assert type(got) is torch.Tensor
    assert torch.equal(got, image.as_subclass(torch.Tensor))
    x = torch.rand(2)
    assert plain_tensor(x, "out") is x or torch.equal(plain_tensor(x, "out"), x)


def test_call_student_names_the_call_and_the_hint():
    def broken(x):
        return x["image"]

    with pytest.raises(AssertionError, match=r"f\(pairs\) raised TypeError: .*: take item\[0\]"):
        call_student(broken, [1], call="f(pairs)", hint="take item[0]")
    assert call_student(lambda a, b=0: a + b, 1, b=2, call="g") == 3


def test_call_student_lets_not_implemented_through_and_silences_warnings():
    def todo():
        raise NotImplementedError()

    with pytest.raises(NotImplementedError):
        call_student(todo, call="todo()")

    def noisy():
        warnings.warn("deprecated", UserWarning)
        return 1

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert call_student(noisy, call="noisy()") == 1
