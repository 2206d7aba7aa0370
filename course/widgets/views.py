"""Drawing a ConvState / PoolState: numbered grids, the window, the output filling in.

A view builds its artists once on a figure; ``show(index)`` only moves and
re-labels them.  ``animated()`` lists the artists that change with the step,
so that a :class:`~course.widgets.surface.Surface` can blit them over a saved
background.  ``drawn_window()`` reads the highlighted cells back from the
rectangles on the figure (what the learner sees), for tests and the readout.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.patches import Rectangle

from .state import ConvState, PoolState

HIGHLIGHT = "tab:orange"


def fmt(v: float) -> str:
    if math.isnan(v):
        return ""
    return f"{v:.2f}".rstrip("0").rstrip(".") if abs(v - round(v)) > 1e-9 else str(int(round(v)))


def _contrast(rgba) -> str:
    r, g, b = rgba[:3]
    return "white" if 0.299 * r + 0.587 * g + 0.114 * b < 0.5 else "black"


def _limits(values: np.ndarray, centred: bool) -> tuple[float, float]:
    if centred:
        m = float(np.abs(values).max()) or 1.0
        return -m, m
    lo, hi = float(values.min()), float(values.max())
    return lo, hi if hi > lo else lo + 1.0


def numbered_panel(ax, grid: np.ndarray, title: str, cmap: str = "Greys", centred: bool = False,
                   labelled: bool = True):
    """``grid`` as coloured cells with its numbers (in a colour that stands out from each cell)."""
    vmin, vmax = _limits(grid, centred)
    image = ax.imshow(grid, cmap=cmap, vmin=vmin, vmax=vmax)
    texts = [[ax.text(c, r, fmt(grid[r, c]) if labelled else "", ha="center", va="center", fontsize=8,
                      color=_contrast(image.cmap(image.norm(grid[r, c]))))
              for c in range(grid.shape[1])] for r in range(grid.shape[0])]
    ax.set_title(title, fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])
    return image, texts


def _frames(ax, count: int) -> list[Rectangle]:
    patches = [Rectangle((0, 0), 1, 1, fill=False, edgecolor=HIGHLIGHT, linewidth=2) for _ in range(count)]
    for p in patches:
        ax.add_patch(p)
    return patches


class _OutputMap:
    """The output axes: every number is known up front (fixed colour scale); cells appear step by step."""

    def __init__(self, ax, full: np.ndarray, cmap: str, centred: bool):
        self.full = full
        self.image, self.texts = numbered_panel(ax, np.full_like(full, np.nan), "output", cmap, labelled=False)
        self.image.set_clim(*_limits(full, centred))
        for r in range(full.shape[0]):
            for c in range(full.shape[1]):
                self.texts[r][c].set_color(_contrast(self.image.cmap(self.image.norm(full[r, c]))))
        self.cell = _frames(ax, 1)[0]

    def show(self, state, index: int) -> None:
        shown = state.output_until(index).numpy()
        self.image.set_data(shown)
        for r in range(shown.shape[0]):
            for c in range(shown.shape[1]):
                self.texts[r][c].set_text(fmt(shown[r, c]))
        i, j = state.position(index)
        self.cell.set_xy((j - 0.5, i - 0.5))

    def draw_cells(self, fig, start: int, stop: int) -> None:
        """Draw only the cells of steps start..stop (for blitting over an earlier frame)."""
        if stop < start:
            return
        flat = np.full(self.full.size, np.nan)
        flat[start:stop + 1] = self.full.flat[start:stop + 1]
        self.image.set_data(flat.reshape(self.full.shape))
        fig.draw_artist(self.image)
        width = self.full.shape[1]
        for k in range(start, stop + 1):
            text = self.texts[k // width][k % width]
            text.set_text(fmt(self.full.flat[k]))
            fig.draw_artist(text)

    def animated(self) -> list:
        return [self.image, *(t for row in self.texts for t in row), self.cell]


def _cell(patch) -> tuple[int, int]:
    """(row, col) of the grid cell a unit rectangle frames."""
    return round(patch.get_y() + 0.5), round(patch.get_x() + 0.5)


def _short(line: str, width: int = 110) -> str:
    return line if len(line) <= width else line[:width - 10] + " … " + line[line.rindex("="):]


class ConvView:
    """One ConvState: each input channel (padded) beside its kernel slice, and the output they sum to.

    ``caption``: write the step, the arithmetic and the size formulas on the figure
    (static figures; the interactive explorer shows them as text beside the figure).
    """

    def __init__(self, state: ConvState, fig, caption: bool = True):
        self.state, self.fig = state, fig
        fig.clear()
        channels = state.x.shape[0]
        grid = fig.add_gridspec(channels, 3, width_ratios=[3, 1.4, 2])
        self.ax_in = [fig.add_subplot(grid[c, 0]) for c in range(channels)]
        self.ax_k = [fig.add_subplot(grid[c, 1]) for c in range(channels)]
        self.ax_out = fig.add_subplot(grid[:, 2])
        kh, kw = state.weight.shape[1:]
        self.cells = []
        for c in range(channels):
            label = f"channel {c} " if channels > 1 else ""
            numbered_panel(self.ax_in[c], state.padded[c].numpy(), f"input {label}(padding {state.padding})")
            if state.padding:  # the image itself, inside its zero padding
                h, w = state.x.shape[1:]
                self.ax_in[c].add_patch(Rectangle((state.padding - 0.5, state.padding - 0.5), w, h, fill=False,
                                                  edgecolor="tab:blue", linestyle="--", linewidth=1))
            numbered_panel(self.ax_k[c], state.weight[c].numpy(), f"kernel {label}".strip(), "coolwarm", True)
            self.cells.append(_frames(self.ax_in[c], kh * kw))
        self.output = _OutputMap(self.ax_out, state.full_output().numpy(), "coolwarm", True)
        self.text = None
        if caption:
            lines = 3 + (channels + 2 if channels > 1 else 0)
            self.text = fig.text(0.01, 0.01, "", fontsize=8, family="monospace", va="bottom")
            fig.subplots_adjust(bottom=min(0.6, lines * 0.17 / fig.get_figheight()), hspace=0.35)

    def show(self, index: int) -> None:
        s = self.state
        self.index = index
        for c, frames in enumerate(self.cells):
            for patch, (ch, r, col) in zip(frames, [w for w in s.window(index) if w[0] == c]):
                patch.set_xy((col - 0.5, r - 0.5))
        self.output.show(s, index)
        if self.text is not None:
            self.text.set_text(self.caption(index))

    def caption(self, index: int) -> str:
        s = self.state
        i, j = s.position(index)
        height, width = s.formulas()
        arithmetic = "\n".join(_short(line) for line in s.arithmetic(index).splitlines())
        sep = "\n" if "\n" in arithmetic else " "
        return (f"step {index + 1}/{s.steps}, output ({i}, {j}):{sep}{arithmetic}\n"
                f"output height {height}\noutput width  {width}")

    def drawn_window(self) -> list[tuple[int, int]]:
        """(row, col) in the padded input of the highlighted cells (channel 0)."""
        return [_cell(p) for p in self.cells[0]]

    def highlights(self) -> list:
        """What marks the current step (drawn on top of the output in every frame)."""
        return [p for frames in self.cells for p in frames] + [self.output.cell] + \
            ([self.text] if self.text is not None else [])

    def animated(self) -> list:
        return self.highlights() + self.output.animated()


class PoolView:
    """One PoolState: the window, the winning cell (max) and the output filling in."""

    def __init__(self, state: PoolState, fig, caption: bool = True):
        self.state, self.fig = state, fig
        fig.clear()
        self.ax_in, self.ax_out = fig.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
        numbered_panel(self.ax_in, state.x.numpy(),
                       f"input ({state.mode} pooling, kernel {state.k}, stride {state.stride})")
        self.win = Rectangle((0, 0), 1, 1, fill=True, alpha=0.35, color="tab:green")
        self.ax_in.add_patch(self.win)
        self.cells = _frames(self.ax_in, state.k * state.k)
        self.output = _OutputMap(self.ax_out, state.full_output().numpy(), "Greys", False)
        self.text = None
        if caption:
            self.text = fig.text(0.01, 0.02, "", fontsize=8, family="monospace", va="bottom")
            fig.subplots_adjust(bottom=0.2)

    def show(self, index: int) -> None:
        s = self.state
        self.index = index
        for patch, (r, c) in zip(self.cells, s.window(index)):
            patch.set_xy((c - 0.5, r - 0.5))
        winner = s.winner(index)
        self.win.set_visible(winner is not None)
        if winner is not None:
            self.win.set_xy((winner[1] - 0.5, winner[0] - 0.5))
        self.output.show(s, index)
        if self.text is not None:
            self.text.set_text(self.caption(index))

    def caption(self, index: int) -> str:
        i, j = self.state.position(index)
        return f"step {index + 1}/{self.state.steps}, output ({i}, {j}): {self.state.arithmetic(index)}"

    def drawn_window(self) -> list[tuple[int, int]]:
        return [_cell(p) for p in self.cells]

    def drawn_winner(self) -> tuple[int, int] | None:
        return _cell(self.win) if self.win.get_visible() else None

    def highlights(self) -> list:
        return [self.win, *self.cells, self.output.cell] + ([self.text] if self.text is not None else [])

    def animated(self) -> list:
        return self.highlights() + self.output.animated()
