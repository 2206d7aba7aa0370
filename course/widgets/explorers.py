"""The convolution and pooling explorers: one call in a lesson, sliders in Jupyter.

``conv_explorer(...)`` and ``pool_explorer(...)`` draw the (padded) input with
its numbers, highlight the window at the current step, fill the output in as
the window slides, and spell out the arithmetic with the actual numbers (from
:mod:`course.widgets.state`, i.e. what torch computes).  In a Jupyter kernel
they return an :class:`Explorer`: a step slider with a play button, geometry
sliders, the figure, and a text readout.  Elsewhere (plain Python), or with
``interactive=False``, they return a static matplotlib figure of one step; in
an HTML export of a notebook the explorer shows as a picture of its last frame
with its readout.
"""

from __future__ import annotations

import html
import json

import ipywidgets as widgets
from matplotlib.figure import Figure

from ..errors import CourseError
from .grids import KERNELS, POOL_GRID, as_grid, as_kernel, kernel_channels  # noqa: F401 (KERNELS re-exported)
from .state import ConvState, PoolState
from .surface import ExplorerBox, Surface, in_kernel
from .views import ConvView, PoolView

__all__ = ["Explorer", "conv_explorer", "pool_explorer", "as_grid", "as_kernel", "KERNELS"]


def _attr(value) -> str:
    return html.escape(value if isinstance(value, str) else json.dumps(value), quote=True)


def conv_facts(view: ConvView, index: int) -> dict:
    s = view.state
    return {"kind": "conv", "step": index, "out": list(s.position(index)),
            "window": [list(cell) for cell in view.drawn_window()], "value": s.value(index),
            "input": s.x.tolist(), "kernel": s.weight.tolist(), "bias": s.bias,
            "stride": s.stride, "padding": s.padding, "dilation": s.dilation}


def pool_facts(view: PoolView, index: int) -> dict:
    s = view.state
    winner = view.drawn_winner()
    return {"kind": "pool", "step": index, "out": list(s.position(index)),
            "window": [list(cell) for cell in view.drawn_window()], "value": s.value(index),
            "winner": list(winner) if winner else None, "input": s.x.tolist(),
            "kernel-size": s.k, "stride": s.stride, "mode": s.mode}


def readout_html(view, index: int, facts: dict) -> str:
    """The step and its whole arithmetic as text, and every fact as a data- attribute (for tests and tools)."""
    s = view.state
    i, j = s.position(index)
    lines = [f"step {index + 1}/{s.steps}, output ({i}, {j}):",
             f'<span class="course-arithmetic">{html.escape(s.arithmetic(index))}</span>']
    if isinstance(s, ConvState):
        height, width = s.formulas()
        lines += [html.escape(f"output height {height}"), html.escape(f"output width  {width}")]
    attrs = " ".join(f'data-{name}="{_attr(value)}"' for name, value in facts.items())
    return (f'<div class="course-state" {attrs} style="font-family: monospace; font-size: 12px; '
            'white-space: pre-wrap; line-height: 1.45">' + "\n".join(lines) + "</div>")


class Explorer:
    """Controls, figure and readout of one explorer (``.box`` is the ipywidgets VBox shown).

    ``make_view(fig, caption, **geometry)`` builds a view for the current geometry
    sliders; ``facts(view, index)`` describes a step for the readout.
    """

    def __init__(self, kind: str, make_view, facts, geometry: dict, figsize, use_ipympl: bool | None = None):
        self.kind, self._make_view, self._facts = kind, make_view, facts
        self.surface = Surface(figsize, use_ipympl)
        self.position = widgets.IntSlider(0, 0, 0, description="step")
        self.play = widgets.Play(value=0, min=0, max=0, interval=700, description="play")
        widgets.jslink((self.play, "value"), (self.position, "value"))
        self.sliders = {name: widgets.IntSlider(value, lo, hi, description=name)
                        for name, (value, lo, hi) in geometry.items()}
        self.readout = widgets.HTML()
        self.readout.add_class("course-readout")
        self.box = ExplorerBox([widgets.HBox([self.play, self.position]), widgets.HBox(list(self.sliders.values())),
                                 self.surface.widget, self.readout], explorer=self)
        self.box.add_class(f"course-{kind}-explorer")
        self.view = None
        self._rebuild()
        self.position.observe(lambda change: self.show(change["new"]), names="value")
        for slider in self.sliders.values():
            slider.observe(lambda _change: self._rebuild(), names="value")

    def _rebuild(self) -> None:
        try:
            view = self._make_view(self.surface.fig, False, **{n: s.value for n, s in self.sliders.items()})
        except CourseError as exc:
            self.readout.value = f'<div class="course-error" style="color: #b00">{html.escape(str(exc))}</div>'
            return
        self.view = view
        last = view.state.steps - 1
        self.position.max = self.play.max = last
        index = min(self.position.value, last)
        self.position.value = index
        view.show(index)
        self.surface.attach(view)
        self._describe(index)

    def show(self, index: int) -> None:
        """Move the window to step ``index`` (what the step slider calls)."""
        self.view.show(index)
        self.surface.update()
        self._describe(index)

    def _describe(self, index: int) -> None:
        self.readout.value = readout_html(self.view, index, self._facts(self.view, index))


def _static(view_class, state, figsize) -> Figure:
    fig = Figure(figsize=figsize)
    view_class(state, fig).show(0)
    return fig


def conv_explorer(image=None, kernel="vertical_edge", stride: int = 1, padding: int = 0, dilation: int = 1,
                  interactive: bool | None = None, use_ipympl: bool | None = None):
    """Slide a kernel over a small grid and watch the output fill in.

    ``image``: None (the 5x5 grid 1..25), a tensor / array (H, W) or (C, H, W) with up
    to 4 channels, or a scikit-image photo name (``"camera"``) reduced to a 10x10 grid
    of levels 0..9 (three colour channels when the kernel has three).
    ``kernel``: ``"vertical_edge"``, ``"horizontal_edge"``, ``"blur"``, ``"sharpen"``,
    ``"identity"``, a tensor (kH, kW) or (C, kH, kW) (one slice per input channel,
    summed into one output), or an ``nn.Conv2d`` (its first filter and bias).
    Returns the explorer's widgets in a Jupyter kernel (``interactive=None``), else a
    static matplotlib figure of the first step.  ``use_ipympl``: None = in JupyterLab when
    ipympl is installed, an ``ipywidgets.Image`` elsewhere (Colab).
    """
    wanted = kernel_channels(kernel)
    grid = as_grid(image, rgb=isinstance(image, str) and wanted == 3)
    if grid.dim() == 2:
        grid = grid.unsqueeze(0)
    weight, bias = as_kernel(kernel, grid.shape[0])
    channels = grid.shape[0]
    figsize = (9, 3.2 if channels == 1 else 2.3 * channels)
    if not (interactive if interactive is not None else in_kernel()):
        return _static(ConvView, ConvState(grid, weight, bias, stride, padding, dilation),
                       (figsize[0], figsize[1] + 0.6 + 0.15 * channels))

    def make_view(fig, caption, stride, padding, dilation):
        return ConvView(ConvState(grid, weight, bias, stride, padding, dilation), fig, caption)

    geometry = {"stride": (stride, 1, 3), "padding": (padding, 0, 3), "dilation": (dilation, 1, 3)}
    return Explorer("conv", make_view, conv_facts, geometry, figsize, use_ipympl).box


def pool_explorer(image=None, kernel_size: int = 2, stride: int | None = None, mode: str = "max",
                  interactive: bool | None = None, use_ipympl: bool | None = None):
    """Slide a max or average pooling window over a grid (default: a 4x4 example).

    ``image``: None, a tensor / array (H, W), or a scikit-image photo name (10x10 levels 0..9).
    ``mode``: ``"max"`` (the winning cell is marked) or ``"avg"``.
    """
    grid = as_grid(image) if image is not None else POOL_GRID.clone()
    if grid.dim() == 3:
        grid = grid[0]
    stride = stride or kernel_size
    if not (interactive if interactive is not None else in_kernel()):
        return _static(PoolView, PoolState(grid, kernel_size, stride, mode), (8, 3.6))

    def make_view(fig, caption, kernel_size, stride):
        return PoolView(PoolState(grid, kernel_size, stride, mode), fig, caption)

    geometry = {"kernel_size": (kernel_size, 1, 4), "stride": (stride, 1, 4)}
    return Explorer("pool", make_view, pool_facts, geometry, (8, 3.2), use_ipympl).box
