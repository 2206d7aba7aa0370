"""The helpers that day 2's tests add to course.checks must be able to fail."""

import pytest
import torch
import torch.nn as nn
from torch.nn.modules.module import register_module_forward_hook

from course.checks import expect_no_hooks, expect_shape


def test_expect_shape_checks_type_and_shape():
    expect_shape(torch.zeros(2, 5), (2, 5), "out")
    with pytest.raises(AssertionError, match="should be a torch.Tensor, got list"):
        expect_shape([[0.0] * 5] * 2, (2, 5), "out")
    with pytest.raises(AssertionError, match=r"out: expected shape \(2, 5\), got \(5,\): keep the batch"):
        expect_shape(torch.zeros(5), (2, 5), "out", hint="keep the batch")


def _model():
    return nn.Sequential(nn.Conv2d(1, 2, 3), nn.Sequential(nn.ReLU(), nn.Flatten()))


def test_expect_no_hooks_passes_after_removal():
    model = _model()
    handles = [m.register_forward_hook(lambda *a: None) for m in model.modules()]
    for h in handles:
        h.remove()
    expect_no_hooks(model, "trace_shapes(model, (1, 1, 5, 5))")


@pytest.mark.parametrize("where", ["leaf", "nested", "root", "pre", "backward"])
def test_expect_no_hooks_finds_leftovers(where):
    model = _model()
    target = {"leaf": model[0], "nested": model[1][0], "root": model, "pre": model[1][1], "backward": model[0]}[where]
    if where == "pre":
        target.register_forward_pre_hook(lambda *a: None)
    elif where == "backward":
        target.register_full_backward_hook(lambda *a: None)
    else:
        target.register_forward_hook(lambda *a: None)
    with pytest.raises(AssertionError, match=r"trace_shapes\(m\) left hooks registered: 1 .*handle.remove\(\)"):
        expect_no_hooks(model, "trace_shapes(m)")


def test_expect_no_hooks_finds_global_hooks():
    handle = register_module_forward_hook(lambda *a: None)
    try:
        with pytest.raises(AssertionError, match="1 global forward hook"):
            expect_no_hooks(_model(), "trace_shapes(m)")
    finally:
        handle.remove()
    expect_no_hooks(_model(), "trace_shapes(m)")
