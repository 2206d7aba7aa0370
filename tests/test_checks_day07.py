"""The helper that day 7's tests add to course.checks must be able to fail."""

import pytest

from course.checks import ForbiddenCallError, forbid_calls


def _helper(x, scale=2):
    return x * scale


def _with_closure():
    y = 3

    def inner(x):
        return x + y
    return inner


def test_forbid_calls_refuses_every_name_of_the_function_and_restores_it():
    alias = _helper
    with forbid_calls([_helper], "capture_feature_maps", "register your own hooks"):
        with pytest.raises(ForbiddenCallError, match=r"capture_feature_maps must not call .*_helper: register your own"):
            alias(1)
        with pytest.raises(AssertionError):  # ForbiddenCallError is an AssertionError: a failed test
            _helper(1, scale=3)
    assert alias(2) == 4 and _helper(2, scale=5) == 10


def test_forbid_calls_restores_after_an_error_inside_the_block():
    with pytest.raises(ZeroDivisionError):
        with forbid_calls([_helper], "f"):
            1 / 0
    assert _helper(1) == 2


def test_forbid_calls_refuses_functions_with_a_closure():
    with pytest.raises(ValueError, match="closure"):
        with forbid_calls([_helper, _with_closure()], "f"):
            pass
    assert _helper(1) == 2  # the first one was switched back


def test_forbid_calls_on_the_widget_helper():
    import torch
    from course.widgets.feature_maps import layer_outputs

    model = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3))
    with forbid_calls([layer_outputs], "capture_feature_maps"):
        with pytest.raises(ForbiddenCallError, match="course.widgets.feature_maps.layer_outputs"):
            layer_outputs(model, torch.zeros(1, 1, 5, 5))
    assert set(layer_outputs(model, torch.zeros(1, 1, 5, 5))) == {"0"}
