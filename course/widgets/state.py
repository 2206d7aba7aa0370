"""What a sliding kernel or pooling window does at each position, without drawing.

The explorers ask these objects which input cells the window covers at step
``index`` (row-major over the output), the products or values involved, the
resulting number, and the output map filled in up to that step.  The numbers
are the ones ``F.conv2d`` / ``F.max_pool2d`` / ``F.avg_pool2d`` compute.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from ..errors import CourseError


def output_size(size: int, kernel: int, stride: int = 1, padding: int = 0, dilation: int = 1) -> int:
    return (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1


def size_formula(size: int, kernel: int, stride: int, padding: int, dilation: int) -> str:
    """PyTorch's output-size rule with the numbers filled in."""
    out = output_size(size, kernel, stride, padding, dilation)
    return (f"⌊({size} + 2·{padding} − {dilation}·({kernel} − 1) − 1) / {stride}⌋ + 1 = "
            f"⌊{size + 2 * padding - dilation * (kernel - 1) - 1} / {stride}⌋ + 1 = {out}")


def _number(v: float) -> str:
    return f"{v:.3g}" if abs(v - round(v)) > 1e-9 else str(int(round(v)))


def _product(x: float, w: float) -> str:
    weight = _number(w)
    return f"{_number(x)}·({weight})" if weight.startswith("-") else f"{_number(x)}·{weight}"


@dataclass(frozen=True)
class Term:
    channel: int
    row: int      # in the padded input
    col: int
    x: float
    w: float


class _Sliding:
    """A window sliding row by row over the output map: step ``index`` is output cell ``position(index)``.

    Subclasses set ``out_shape`` and define ``value(index)``.
    """

    out_shape: tuple[int, int]

    def value(self, index: int) -> float:
        raise NotImplementedError

    @property
    def steps(self) -> int:
        return self.out_shape[0] * self.out_shape[1]

    def position(self, index: int) -> tuple[int, int]:
        if not 0 <= index < self.steps:
            raise CourseError(f"step {index} is outside 0..{self.steps - 1}")
        return divmod(index, self.out_shape[1])

    def full_output(self) -> torch.Tensor:
        """The whole output map, one ``value(k)`` per step (computed once)."""
        if getattr(self, "_full", None) is None:
            self._full = torch.tensor([self.value(k) for k in range(self.steps)],
                                      dtype=torch.float64).reshape(self.out_shape)
        return self._full

    def output_until(self, index: int) -> torch.Tensor:
        """The output map with steps 0..index filled in and NaN elsewhere."""
        self.position(index)
        out = self.full_output().clone().flatten()
        out[index + 1:] = math.nan
        return out.reshape(self.out_shape)


class ConvState(_Sliding):
    """One output channel of a 2-D convolution over one image.

    ``x``: (C, H, W) or (H, W); ``weight``: (C, kH, kW) or (kH, kW); ``bias``: a number.
    """

    def __init__(self, x: torch.Tensor, weight: torch.Tensor, bias: float = 0.0,
                 stride: int = 1, padding: int = 0, dilation: int = 1):
        x = torch.as_tensor(x, dtype=torch.float64)
        weight = torch.as_tensor(weight, dtype=torch.float64)
        if x.dim() == 2:
            x = x.unsqueeze(0)
        if weight.dim() == 2:
            weight = weight.unsqueeze(0)
        if x.dim() != 3 or weight.dim() != 3:
            raise CourseError(f"expected an input (C, H, W) and a kernel (C, kH, kW), got {tuple(x.shape)} "
                              f"and {tuple(weight.shape)}")
        if x.shape[0] != weight.shape[0]:
            raise CourseError(f"the input has {x.shape[0]} channels but the kernel has {weight.shape[0]}")
        if stride < 1 or padding < 0 or dilation < 1:
            raise CourseError(f"need stride >= 1, padding >= 0, dilation >= 1; got {stride}, {padding}, {dilation}")
        self.x, self.weight, self.bias = x, weight, float(bias)
        self.stride, self.padding, self.dilation = stride, padding, dilation
        self.padded = F.pad(x, (padding,) * 4)
        _, h, w = x.shape
        _, kh, kw = weight.shape
        self.out_shape = (output_size(h, kh, stride, padding, dilation), output_size(w, kw, stride, padding, dilation))
        if min(self.out_shape) < 1:
            raise CourseError(f"a {kh}x{kw} kernel with dilation {dilation} does not fit a "
                              f"{h + 2 * padding}x{w + 2 * padding} (padded) input")

    def terms(self, index: int) -> list[Term]:
        i, j = self.position(index)
        c_, kh, kw = self.weight.shape
        out = []
        for c in range(c_):
            for m in range(kh):
                for n in range(kw):
                    r, col = i * self.stride + m * self.dilation, j * self.stride + n * self.dilation
                    out.append(Term(c, r, col, float(self.padded[c, r, col]), float(self.weight[c, m, n])))
        return out

    def window(self, index: int) -> list[tuple[int, int, int]]:
        """(channel, row, col) of the padded input cells under the kernel."""
        return [(t.channel, t.row, t.col) for t in self.terms(index)]

    def value(self, index: int) -> float:
        return sum(t.x * t.w for t in self.terms(index)) + self.bias

    def channel_sums(self, index: int) -> list[float]:
        """Each input channel's share of the output at step ``index`` (before the bias)."""
        sums = [0.0] * self.weight.shape[0]
        for t in self.terms(index):
            sums[t.channel] += t.x * t.w
        return sums

    def arithmetic(self, index: int) -> str:
        """The multiply-adds with the actual numbers, e.g. ``1·1 + 2·0 + … = 7``.

        With several channels, one line per channel and a last line adding them up.
        """
        terms = self.terms(index)
        bias = [_number(self.bias)] if self.bias else []
        if self.weight.shape[0] == 1:
            return " + ".join([_product(t.x, t.w) for t in terms] + bias) + \
                f" = {_number(self.value(index))}"
        lines = []
        for c, total in enumerate(self.channel_sums(index)):
            products = [_product(t.x, t.w) for t in terms if t.channel == c]
            lines.append(f"channel {c}: " + " + ".join(products) + f" = {_number(total)}")
        lines.append("sum: " + " + ".join([_number(v) for v in self.channel_sums(index)] + bias)
                     + f" = {_number(self.value(index))}")
        return "\n".join(lines)

    def formulas(self) -> tuple[str, str]:
        (_, h, w), (_, kh, kw) = self.x.shape, self.weight.shape
        return (size_formula(h, kh, self.stride, self.padding, self.dilation),
                size_formula(w, kw, self.stride, self.padding, self.dilation))


class PoolState(_Sliding):
    """Max or average pooling of one (H, W) grid, no padding, floor mode."""

    def __init__(self, x: torch.Tensor, kernel_size: int, stride: int | None = None, mode: str = "max"):
        x = torch.as_tensor(x, dtype=torch.float64)
        if x.dim() != 2:
            raise CourseError(f"expected a grid (H, W), got shape {tuple(x.shape)}")
        if mode not in ("max", "avg"):
            raise CourseError(f"mode must be 'max' or 'avg', got {mode!r}")
        stride = kernel_size if stride is None else stride
        if kernel_size < 1 or stride < 1:
            raise CourseError(f"need kernel_size >= 1 and stride >= 1; got {kernel_size}, {stride}")
        self.x, self.k, self.stride, self.mode = x, kernel_size, stride, mode
        self.out_shape = (output_size(x.shape[0], kernel_size, stride), output_size(x.shape[1], kernel_size, stride))
        if min(self.out_shape) < 1:
            raise CourseError(f"a {kernel_size}x{kernel_size} window does not fit a {tuple(x.shape)} grid")

    def window(self, index: int) -> list[tuple[int, int]]:
        i, j = self.position(index)
        return [(i * self.stride + m, j * self.stride + n) for m in range(self.k) for n in range(self.k)]

    def values(self, index: int) -> list[float]:
        return [float(self.x[r, c]) for r, c in self.window(index)]

    def winner(self, index: int) -> tuple[int, int] | None:
        """The cell max pooling keeps (the first maximum, row-major, as torch does); None for avg."""
        if self.mode != "max":
            return None
        cells, vals = self.window(index), self.values(index)
        return cells[max(range(len(vals)), key=lambda t: (vals[t], -t))]

    def value(self, index: int) -> float:
        vals = self.values(index)
        return max(vals) if self.mode == "max" else sum(vals) / len(vals)

    def arithmetic(self, index: int) -> str:
        vals = ", ".join(_number(v) for v in self.values(index))
        if self.mode == "max":
            return f"max({vals}) = {_number(self.value(index))}"
        total = sum(self.values(index))
        return (f"({' + '.join(_number(v) for v in self.values(index))}) / {self.k * self.k} = "
                f"{_number(total)} / {self.k * self.k} = {_number(self.value(index))}")
