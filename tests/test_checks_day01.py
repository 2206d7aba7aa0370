"""The Day 1 helpers of course.checks: building a layer is refused, and torchvision's
deformable convolution counts as torch's convolution."""

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from course.checks import ForbiddenCallError, no_layer_building, no_torch_convolution

BUILDERS = {
    "nn.Conv2d": lambda: nn.Conv2d(3, 16, 3),
    "meta device": lambda: nn.Conv2d(3, 16, 3, device="meta"),
    "skip_init": lambda: torch.nn.utils.skip_init(nn.Conv2d, 3, 16, 3),
    "nn.Linear": lambda: nn.Linear(27, 16),
    "a module of one's own": lambda: type("Mine", (nn.Module,), {})(),
}


@pytest.mark.parametrize("name", BUILDERS)
def test_no_layer_building_refuses_every_module(name):
    with pytest.raises(ForbiddenCallError, match="conv_param_count must not build a layer.*: count"):
        with no_layer_building("conv_param_count", instead="count"):
            BUILDERS[name]()


def test_no_layer_building_allows_arithmetic_and_restores_modules():
    with no_layer_building("conv_param_count"):
        assert int(torch.tensor([16, 3, 3, 3]).prod()) + 16 == 448
    with pytest.raises(ForbiddenCallError):
        with no_layer_building("conv_param_count"):
            nn.Conv2d(1, 1, 1)
    assert sum(p.numel() for p in nn.Conv2d(3, 16, 3).parameters()) == 448  # restored, also after a refusal


def test_no_torch_convolution_catches_deformable_convolution():
    ops = pytest.importorskip("torchvision.ops")
    x, w = torch.randn(1, 2, 7, 7), torch.randn(3, 2, 3, 3)
    offset = torch.zeros(1, 2 * 9, 5, 5)
    assert torch.allclose(ops.deform_conv2d(x, offset, w), F.conv2d(x, w), atol=1e-5)  # why it must be refused
    with pytest.raises(ForbiddenCallError, match="must compute the convolution itself"):
        with no_torch_convolution("conv2d_manual"):
            ops.deform_conv2d(x, offset, w)
