"""The convolution and pooling explorers: one call in a lesson, sliders in JupyterLab.

``conv_explorer(...)`` and ``pool_explorer(...)`` draw the (padded) input with
its numbers, highlight the window at the current step, fill the output in as
the window slides, and print the arithmetic with the actual numbers
(from :mod:`course.widgets.state`, i.e. what torch computes).  In a Jupyter
kernel they return sliders (position with a play button; stride, padding,
dilation / kernel size); elsewhere, or with ``interactive=False``, a static
matplotlib figure of one step.  Moving the position slider only moves
artists (rectangles, image data, texts); changing the geometry redraws.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.patches import Rectangle

from ..errors import CourseError
from .state import ConvState, PoolState

KERNELS = {
    "vertical_edge": [[1, 0, -1], [1, 0, -1], [1, 0, -1]],
    "horizontal_edge": [[1, 1, 1], [0, 0, 0], [-1, -1, -1]],
    "blur": [[1 / 9] * 3] * 3,
    "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    "identity": [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
}
DEFAULT_GRID = torch.arange(1, 26, dtype=torch.float64).reshape(5, 5)


def as_grid(image=None, size: int = 10) -> torch.Tensor:
    """An input grid: a tensor/array (H, W) or (C, H, W), or a scikit-image photo name reduced
    to ``size`` x ``size`` gray levels 0..9 (small numbers fit in the cells)."""
    if image is None:
        return DEFAULT_GRID.clone()
    if isinstance(image, str):
        from ..data import photo

        pixels = np.asarray(photo(image, size=size, gray=True), dtype=np.float64)
        return torch.from_numpy(np.round(pixels / 255 * 9))
    grid = torch.as_tensor(np.asarray(image), dtype=torch.float64)
    if grid.dim() not in (2, 3):
        raise CourseError(f"the input should be (H, W) or (C, H, W), got shape {tuple(grid.shape)}")
    return grid


def as_kernel(kernel, channels: int) -> tuple[torch.Tensor, float]:
    """A preset name, a tensor (kH, kW) / (C, kH, kW), or an nn.Conv2d (its first filter and bias)."""
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
    return weight, bias


def _fmt(v: float) -> str:
    if math.isnan(v):
        return ""
    return f"{v:.2f}".rstrip("0").rstrip(".") if abs(v - round(v)) > 1e-9 else str(int(round(v)))


def _contrast(rgba) -> str:
    r, g, b = rgba[:3]
    return "white" if 0.299 * r + 0.587 * g + 0.114 * b < 0.5 else "black"


def _label(image, texts, out: np.ndarray) -> None:
    """Write the output numbers (blank where not computed yet) in a colour that stands out."""
    for r in range(out.shape[0]):
        for c in range(out.shape[1]):
            texts[r][c].set_text(_fmt(out[r, c]))
            if np.isfinite(out[r, c]):
                texts[r][c].set_color(_contrast(image.cmap(image.norm(out[r, c]))))


def _show_output(view, index: int) -> tuple[int, int]:
    """Fill the view's output map up to ``index`` and frame the current cell; return that cell."""
    out = view.state.output_until(index).numpy()
    finite = out[np.isfinite(out)]
    view.out_image.set_data(np.nan_to_num(out, nan=float(finite.min())))
    view.out_image.set_clim(float(finite.min()), float(finite.max()) + 1e-9)
    _label(view.out_image, view.out_texts, out)
    i, j = view.state.position(index)
    view.out_cell.set_xy((j - 0.5, i - 0.5))
    return i, j


def _numbered_image(ax, grid: np.ndarray, title: str, cmap: str = "Greys"):
    ax.clear()
    image = ax.imshow(np.nan_to_num(grid, nan=0.0), cmap=cmap, vmin=np.nanmin(grid) if np.isfinite(grid).any() else 0,
                      vmax=np.nanmax(grid) if np.isfinite(grid).any() else 1)
    # numbers in a colour that stands out from their cell (white on dark, black on light)
    norm = image.norm
    texts = [[ax.text(c, r, _fmt(grid[r, c]), ha="center", va="center", fontsize=8,
                      color=_contrast(image.cmap(norm(grid[r, c]))) if np.isfinite(grid[r, c]) else "black")
              for c in range(grid.shape[1])] for r in range(grid.shape[0])]
    ax.set_title(title, fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])
    return image, texts


class ConvView:
    """Draws one ConvState (channel 0 of the input; the arithmetic sums every channel)."""

    def __init__(self, state: ConvState, fig=None):
        self.state = state
        self.fig = fig or plt.figure(figsize=(9, 3.6))
        self.fig.clear()
        self.ax_in, self.ax_k, self.ax_out = self.fig.subplots(1, 3, gridspec_kw={"width_ratios": [3, 1.4, 2]})
        padded = state.padded[0].numpy()
        channels = state.x.shape[0]
        _numbered_image(self.ax_in, padded, f"input (padding {state.padding})"
                        + (f", channel 0 of {channels}" if channels > 1 else ""))
        _numbered_image(self.ax_k, state.weight[0].numpy(), "kernel", cmap="coolwarm")
        blank = np.full(state.out_shape, np.nan)
        self.out_image, self.out_texts = _numbered_image(self.ax_out, blank, "output")
        self.cells = [Rectangle((0, 0), 1, 1, fill=False, edgecolor="tab:orange", linewidth=2)
                      for _ in range(state.weight.shape[1] * state.weight.shape[2])]
        for r in self.cells:
            self.ax_in.add_patch(r)
        self.out_cell = Rectangle((0, 0), 1, 1, fill=False, edgecolor="tab:orange", linewidth=2)
        self.ax_out.add_patch(self.out_cell)
        self.text = self.fig.text(0.01, 0.02, "", fontsize=8, family="monospace", va="bottom")
        self.fig.subplots_adjust(bottom=0.28)

    def show(self, index: int) -> None:
        s = self.state
        window = [(r, c) for ch, r, c in s.window(index) if ch == 0]
        for patch, (r, c) in zip(self.cells, window):
            patch.set_xy((c - 0.5, r - 0.5))
        i, j = _show_output(self, index)
        height, width = s.formulas()
        arithmetic = s.arithmetic(index)
        if len(arithmetic) > 110:
            arithmetic = arithmetic[:100] + " … " + arithmetic[arithmetic.rindex("="):]
        self.text.set_text(f"step {index + 1}/{s.steps}, output ({i}, {j}): {arithmetic}\n"
                           f"output height {height}\noutput width  {width}")



class PoolView:
    """Draws one PoolState: the window, the winning cell (max) and the output filling in."""

    def __init__(self, state: PoolState, fig=None):
        self.state = state
        self.fig = fig or plt.figure(figsize=(8, 3.6))
        self.fig.clear()
        self.ax_in, self.ax_out = self.fig.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
        _numbered_image(self.ax_in, state.x.numpy(), f"input ({state.mode} pooling, kernel {state.k}, "
                                                     f"stride {state.stride})")
        self.out_image, self.out_texts = _numbered_image(self.ax_out, np.full(state.out_shape, np.nan), "output")
        self.cells = [Rectangle((0, 0), 1, 1, fill=False, edgecolor="tab:orange", linewidth=2)
                      for _ in range(state.k * state.k)]
        for r in self.cells:
            self.ax_in.add_patch(r)
        self.win = Rectangle((0, 0), 1, 1, fill=True, alpha=0.35, color="tab:green")
        self.ax_in.add_patch(self.win)
        self.out_cell = Rectangle((0, 0), 1, 1, fill=False, edgecolor="tab:orange", linewidth=2)
        self.ax_out.add_patch(self.out_cell)
        self.text = self.fig.text(0.01, 0.02, "", fontsize=8, family="monospace", va="bottom")
        self.fig.subplots_adjust(bottom=0.2)

    def show(self, index: int) -> None:
        s = self.state
        for patch, (r, c) in zip(self.cells, s.window(index)):
            patch.set_xy((c - 0.5, r - 0.5))
        winner = s.winner(index)
        self.win.set_visible(winner is not None)
        if winner is not None:
            self.win.set_xy((winner[1] - 0.5, winner[0] - 0.5))
        i, j = _show_output(self, index)
        self.text.set_text(f"step {index + 1}/{s.steps}, output ({i}, {j}): {s.arithmetic(index)}")



def _in_kernel() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def _interactive(make_view, params: dict, steps_of, interactive: bool | None):
    """Static figure, or ipywidgets controls around a figure that updates in place."""
    view = make_view(**params)
    view.show(0)
    if not (interactive if interactive is not None else _in_kernel()):
        return view.fig
    import ipywidgets as widgets
    from IPython.display import display

    live = "ipympl" in plt.get_backend().lower() or "widget" in plt.get_backend().lower()
    output = widgets.Output()
    position = widgets.IntSlider(0, 0, steps_of(view) - 1, description="step")
    play = widgets.Play(value=0, min=0, max=steps_of(view) - 1, interval=600)
    widgets.jslink((play, "value"), (position, "value"))
    geometry = {name: widgets.IntSlider(value, lo, hi, description=name)
                for name, (value, lo, hi) in params.pop("_sliders").items()}

    def redraw():
        if live:
            view.fig.canvas.draw_idle()
        else:
            with output:
                output.clear_output(wait=True)
                display(view.fig)

    def on_position(change):
        view.show(change["new"])
        redraw()

    def on_geometry(_change):
        nonlocal view
        values = {name: s.value for name, s in geometry.items()}
        try:
            view = make_view(fig=view.fig, **{**params, **values})
        except CourseError as exc:
            with output:
                output.clear_output(wait=True)
                print(exc)
            return
        position.max = play.max = steps_of(view) - 1
        position.value = min(position.value, position.max)
        view.show(position.value)
        redraw()

    position.observe(on_position, names="value")
    for s in geometry.values():
        s.observe(on_geometry, names="value")
    if not live:
        plt.close(view.fig)
        redraw()
    box = widgets.VBox([widgets.HBox([play, position]), widgets.HBox(list(geometry.values())),
                        view.fig.canvas if live else output])
    box.view = lambda: view  # for tests and benchmarks: the current view
    box.position = position
    return box


def conv_explorer(image=None, kernel="vertical_edge", stride: int = 1, padding: int = 0, dilation: int = 1,
                  interactive: bool | None = None):
    """Slide a kernel over a small grid and watch the output fill in.

    ``image``: None (the 5x5 grid 1..25), a tensor / array (H, W) or (C, H, W), or a
    scikit-image photo name (``"camera"``) reduced to a 10x10 grid of gray levels 0..9.
    ``kernel``: ``"vertical_edge"``, ``"horizontal_edge"``, ``"blur"``, ``"sharpen"``,
    ``"identity"``, a tensor (kH, kW) or (C, kH, kW), or an ``nn.Conv2d`` (its first filter).
    Returns ipywidgets controls in a Jupyter kernel, else a matplotlib figure.
    """
    grid = as_grid(image)
    channels = grid.shape[0] if grid.dim() == 3 else 1
    weight, bias = as_kernel(kernel, channels)

    def make_view(fig=None, stride=stride, padding=padding, dilation=dilation, **_):
        return ConvView(ConvState(grid, weight, bias, stride, padding, dilation), fig)

    params = {"stride": stride, "padding": padding, "dilation": dilation,
              "_sliders": {"stride": (stride, 1, 3), "padding": (padding, 0, 3), "dilation": (dilation, 1, 3)}}
    return _interactive(make_view, params, lambda v: v.state.steps, interactive)


def pool_explorer(image=None, kernel_size: int = 2, stride: int | None = None, mode: str = "max",
                  interactive: bool | None = None):
    """Slide a max or average pooling window over a grid (default: a 4x4 example).

    ``image``: None, a tensor / array (H, W), or a scikit-image photo name (10x10 gray levels).
    """
    grid = as_grid(image) if image is not None else torch.tensor(
        [[1, 3, 2, 4], [2, 2, 1, 0], [5, 0, 1, 1], [1, 2, 3, 4]], dtype=torch.float64)
    if grid.dim() == 3:
        grid = grid[0]

    def make_view(fig=None, kernel_size=kernel_size, stride=stride, **_):
        return PoolView(PoolState(grid, kernel_size, stride or kernel_size, mode), fig)

    params = {"kernel_size": kernel_size, "stride": stride or kernel_size,
              "_sliders": {"kernel_size": (kernel_size, 1, 4), "stride": (stride or kernel_size, 1, 4)}}
    return _interactive(make_view, params, lambda v: v.state.steps, interactive)
