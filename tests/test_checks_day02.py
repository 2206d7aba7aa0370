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


# no_torch_pooling_any_route: torch's pooling raises by every route while the block runs, and works again after it

def _pool_in_a_thread(x):
    import concurrent.futures
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(torch.nn.functional.max_pool2d, x, 2).result()


def _pool_with_modes_off(x):
    from torch.utils._python_dispatch import _disable_current_modes
    with _disable_current_modes():
        return torch.nn.functional.max_pool2d(x, 2)


def _pool_without_python_dispatch(x):
    with torch._C._DisableTorchDispatch():
        return torch.nn.functional.avg_pool2d(x, 2)


def _pool_by_1d_pooling(x):
    with torch._C._DisableTorchDispatch():
        rows = torch.nn.functional.max_pool1d(x.flatten(0, 2), 2)
        return rows.reshape(*x.shape[:3], -1)


@pytest.mark.parametrize("route", [lambda x: torch.nn.functional.max_pool2d(x, 2), lambda x: nn.AdaptiveAvgPool2d(1)(x),
                                   _pool_in_a_thread, _pool_with_modes_off, _pool_without_python_dispatch,
                                   _pool_by_1d_pooling],
                         ids=["direct", "adaptive", "thread", "modes_off", "no_python_dispatch", "pool1d"])
def test_no_torch_pooling_any_route_refuses_every_route(route):
    from course.checks import ForbiddenCallError, no_torch_pooling_any_route
    x = torch.randn(1, 2, 6, 6)
    with pytest.raises(ForbiddenCallError, match=r"maxpool2d_manual must compute the pooling itself.*aten\."):
        with no_torch_pooling_any_route("maxpool2d_manual"):
            route(x)
    assert torch.equal(route(x), route(x))  # torch's kernels are back after the block


def test_no_torch_pooling_any_route_lets_hand_made_pooling_run():
    from course.checks import no_torch_pooling_any_route
    x = torch.randn(2, 3, 6, 8, requires_grad=True)
    with no_torch_pooling_any_route("maxpool2d_manual"):
        got = x.unfold(2, 2, 2).unfold(3, 2, 2).amax(dim=(-2, -1))
    assert torch.equal(got, torch.nn.functional.max_pool2d(x, 2))
    torch.nn.functional.max_pool2d(x, 2).sum().backward()  # backward of torch's pooling works after the block
    assert x.grad is not None
