"""Where a view's figure is drawn, and how a change reaches the screen quickly.

A :class:`Surface` owns one matplotlib figure on an Agg canvas.  A full draw
renders the static parts once and keeps them as a background; moving the
window only restores that background and redraws the view's few *animated*
artists (blitting, the pattern of matplotlib's "Faster rendering by using
blitting" guide).  The frame then reaches the frontend as

* an ipympl canvas widget (``ipympl`` installed, not on Colab): ipympl sends
  only the pixels that changed;
* or an ``ipywidgets.Image`` whose PNG is replaced: a core widget, so it works
  wherever ipywidgets do (JupyterLab, Notebook, VS Code, Colab), whatever the
  matplotlib backend (``%matplotlib inline`` included).
"""

from __future__ import annotations

import base64
import importlib.util
import io
import sys
import warnings

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image


def in_kernel() -> bool:
    """True inside a Jupyter kernel (where widgets can be shown)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def on_colab() -> bool:
    return "google.colab" in sys.modules


def ipympl_available() -> bool:
    # find, do not import: importing ipympl switches matplotlib's backend (see _ipympl_classes)
    return importlib.util.find_spec("ipympl") is not None


def default_frontend_is_ipympl() -> bool:
    """ipympl where it is installed, except on Colab: Colab shows ipywidgets' own widgets
    natively but ipympl's canvas only through its custom widget manager, which has broken
    more than once (googlecolab/colabtools#5155), so there the frames go through an Image."""
    return ipympl_available() and not on_colab()


def _enable_colab_widgets() -> None:
    # asked for explicitly (use_ipympl=True) on Colab: load third-party widgets from its CDN manager
    if on_colab():
        from google.colab import output  # type: ignore[import-not-found]

        output.enable_custom_widget_manager()


def _ipympl_classes():
    """ipympl's canvas and manager, without letting the import change the notebook's backend.

    ipympl's ``__init__`` calls ``matplotlib.use("module://ipympl.backend_nbagg")`` whenever
    matplotlib is already imported, which would turn every later ``plt.show()`` of a lesson
    into a widget. Put the backend back (only the first import does this).
    """
    import matplotlib

    before = dict.__getitem__(matplotlib.rcParams, "backend")
    from ipympl.backend_nbagg import Canvas, FigureManager

    if dict.__getitem__(matplotlib.rcParams, "backend") != before:
        if "matplotlib.pyplot" in sys.modules:
            import matplotlib.pyplot as plt

            plt.switch_backend(before)
        else:
            dict.__setitem__(matplotlib.rcParams, "backend", before)
    return Canvas, FigureManager


class Surface:
    """A figure, its Agg canvas, and the widget that shows it (``use_ipympl``: None = the default above)."""

    def __init__(self, figsize: tuple[float, float], use_ipympl: bool | None = None):
        self.fig = Figure(figsize=figsize)
        self.view = None
        self.use_ipympl = default_frontend_is_ipympl() if use_ipympl is None else use_ipympl
        if self.use_ipympl:
            _enable_colab_widgets()
            Canvas, FigureManager = _ipympl_classes()
            self.canvas = Canvas(self.fig)
            with warnings.catch_warnings():  # ipympl's toolbar trips a traitlets deprecation
                warnings.simplefilter("ignore", DeprecationWarning)
                FigureManager(self.canvas, 0)
            self.canvas.header_visible = False
            self.canvas.footer_visible = False
            self.canvas.toolbar_visible = False
            self.canvas.resizable = False
            self.widget = self.canvas
        else:
            self.canvas = FigureCanvasAgg(self.fig)
            self.widget = widgets.Image(format="png")
        self._background = None
        self._snapshots: dict = {}  # output panel after step k (conv / pool views)
        self._layer, self._layer_key = None, None  # a view's rarely changing layer (feature maps)
        self.canvas.mpl_connect("draw_event", self._on_draw)

    def attach(self, view) -> None:
        """Show ``view`` (built on ``self.fig``): one full draw, which captures the background."""
        self.view = view
        for artist in view.animated():
            artist.set_animated(True)
        self.full_draw()

    def full_draw(self) -> None:
        self.canvas.draw()  # fires draw_event -> _on_draw
        self._present()

    def _on_draw(self, event) -> None:
        # after every full draw (ours, or ipympl's on a resize / DPI change)
        if self.view is None:
            return
        self._background = self.canvas.copy_from_bbox(self.fig.bbox)
        self._snapshots, self._layer_key = {}, None
        self._draw_frame()

    def update(self) -> None:
        """Redraw the current step over the saved background and show the frame."""
        if self._background is None:
            self.full_draw()
            return
        self._draw_frame()
        self.canvas.blit(self.fig.bbox)
        self._present()

    def _draw_frame(self) -> None:
        """Output cells 0..index, then the highlights, drawing as few cells as possible.

        Snapshots of the output panel (after the last frame, and at the end of every
        output row) mean that a step forward draws one new cell, and any other move
        at most one row of cells, whatever the size of the output.
        """
        view = self.view
        output = getattr(view, "output", None)
        if output is None:  # a layer that changes rarely (cached under its key), then the highlights
            key, artists = view.cached_layer()
            if key != self._layer_key:
                self.canvas.restore_region(self._background)
                self._draw_visible(artists)
                self._layer, self._layer_key = self.canvas.copy_from_bbox(self.fig.bbox), key
            else:
                self.canvas.restore_region(self._layer)
            self._draw_visible(view.highlights())
            return
        index = view.index
        width = output.full.shape[1]
        self.canvas.restore_region(self._background)
        start = max((k for k in self._snapshots if k <= index), default=-1)
        if start >= 0:
            self.canvas.restore_region(self._snapshots[start])
        for row_end in range(start + 1, index + 1):
            if (row_end + 1) % width == 0 or row_end == index:
                output.draw_cells(self.fig, start + 1, row_end)
                start = row_end
                if (row_end + 1) % width == 0:
                    self._snapshots[row_end] = self.canvas.copy_from_bbox(output.image.axes.bbox.padded(2))
        self._snapshots = {k: v for k, v in self._snapshots.items() if (k + 1) % width == 0}
        self._snapshots[index] = self.canvas.copy_from_bbox(output.image.axes.bbox.padded(2))
        self._draw_visible(view.highlights())

    def _draw_visible(self, artists) -> None:
        for artist in artists:
            if artist.get_visible() and not (hasattr(artist, "get_text") and not artist.get_text()):
                self.fig.draw_artist(artist)

    def _present(self) -> None:
        if not self.use_ipympl:
            self.widget.value = self.png()
        elif self.canvas.syncing_data_url:
            self._embed_ipympl_frame()

    def _embed_ipympl_frame(self) -> None:
        # Until its frontend view reports "initialized", ipympl keeps the frame in _data_url,
        # but drawn before display it stores bare base64 (no data: prefix) and leaves _size at
        # (0, 0) for a canvas inside a box: JupyterLab's view then fails on a broken image and
        # the figure never appears. Give it what its own _repr_mimebundle_ would have set.
        url = self.canvas._data_url
        if isinstance(url, str) and not url.startswith("data:"):
            self.canvas._data_url = "data:image/png;base64," + url
        if tuple(self.canvas._size) == (0, 0):
            ratio = getattr(self.canvas, "device_pixel_ratio", 1) or 1
            self.canvas._size = tuple(float(v) / ratio for v in self.fig.bbox.size)

    def png(self) -> bytes:
        """The frame on screen now, as PNG bytes."""
        if self._background is None:
            self.canvas.draw()
        pixels = np.asarray(self.canvas.buffer_rgba())
        with io.BytesIO() as out:
            Image.fromarray(pixels).save(out, format="png", compress_level=1)
            return out.getvalue()


class ExplorerBox(widgets.VBox):
    """An explorer's VBox; where widgets cannot render (an HTML export) it shows its current frame
    as a picture, followed by the explorer's readout if it has one."""

    def __init__(self, children, explorer):
        super().__init__(children)
        self.explorer = explorer

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        picture = base64.b64encode(self.explorer.surface.png()).decode("ascii")
        readout = getattr(self.explorer, "readout", None)
        bundle["text/html"] = (f'<img alt="the widget\'s current picture" src="data:image/png;base64,{picture}"/>'
                               + (readout.value if readout else ""))
        return bundle
