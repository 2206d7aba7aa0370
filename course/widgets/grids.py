"""Inputs and kernels for the explorers: numbered grids, photos reduced to gray levels, preset kernels."""

from __future__ import annotations

import numpy as np
import torch

from ..errors import CourseError

KERNELS = {
    "vertical_edge": [[1, 0, -1], [1, 0, -1], [1, 0, -1]],
    "horizontal_edge": [[1, 1, 1], [0, 0, 0], [-1, -1, -1]],
    "blur": [[1 / 9] * 3] * 3,
    "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    "identity": [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
}
DEFAULT_GRID = torch.arange(1, 26, dtype=torch.float64).reshape(5, 5)
POOL_GRID = torch.tensor([[1, 3, 2, 1], [0, 1, 4, 2], [5, 1, 2, 3], [3, 0, 4, 1]], dtype=torch.float64)  # Day 2's
MAX_CHANNELS = 4


def as_grid(image=None, size: int = 10, rgb: bool = False) -> torch.Tensor:
    """An input grid: a tensor/array (H, W) or (C, H, W), or a scikit-image photo name reduced
    to ``size`` x ``size`` levels 0..9 (small numbers fit in the cells), gray or (3, H, W) with ``rgb``."""
    if image is None:
        return DEFAULT_GRID.clone()
    if isinstance(image, str):
        from ..data import photo

        pixels = np.asarray(photo(image, size=size, gray=not rgb), dtype=np.float64)
        grid = torch.from_numpy(np.round(pixels / 255 * 9))
        return grid.permute(2, 0, 1).contiguous() if rgb else grid
    grid = torch.as_tensor(np.asarray(image), dtype=torch.float64)
    if grid.dim() not in (2, 3):
        raise CourseError(f"the input should be (H, W) or (C, H, W), got shape {tuple(grid.shape)}")
    if grid.dim() == 3 and grid.shape[0] > MAX_CHANNELS:
        raise CourseError(f"the explorer draws at most {MAX_CHANNELS} channels, the input has {grid.shape[0]}: "
                          f"pass a few of them, e.g. x[:3]")
    return grid


def as_kernel(kernel, channels: int) -> tuple[torch.Tensor, float]:
    """A preset name, a tensor (kH, kW) / (C, kH, kW), or an nn.Conv2d (its first filter and bias).

    A 2-D kernel is repeated over the input's ``channels``.
    """
    bias = 0.0
    if isinstance(kernel, torch.nn.Conv2d):
        bias = float(kernel.bias.detach()[0]) if kernel.bias is not None else 0.0
        kernel = kernel.weight.detach()[0]
    elif isinstance(kernel, str):
        if kernel not in KERNELS:
            raise CourseError(f"unknown kernel {kernel!r}: choose from {', '.join(KERNELS)}, or pass a tensor")
        kernel = KERNELS[kernel]
    weight = torch.as_tensor(np.asarray(kernel), dtype=torch.float64)
    if weight.dim() == 2:
        weight = weight.expand(channels, *weight.shape).clone()
    if weight.dim() != 3:
        raise CourseError(f"the kernel should be (kH, kW) or (C, kH, kW), got shape {tuple(weight.shape)}")
    return weight, bias


def kernel_channels(kernel) -> int | None:
    """How many input channels a kernel asks for (None when it fits any)."""
    if isinstance(kernel, torch.nn.Conv2d):
        return kernel.in_channels
    if isinstance(kernel, str):
        return None
    shape = np.shape(kernel)
    return shape[0] if len(shape) == 3 else None
