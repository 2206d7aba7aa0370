"""Interactive explorers for the lessons (ipywidgets + matplotlib).

:mod:`course.widgets.state` holds the pure-Python logic (which window, which
numbers, which output cell), separate from drawing, so that it can be tested
against torch; :mod:`~course.widgets.views` draws it, :mod:`~course.widgets.surface`
gets frames to the screen fast, :mod:`~course.widgets.explorers` wires the sliders.
"""

from .explorers import conv_explorer, pool_explorer
from .feature_maps import feature_map_viewer

__all__ = ["conv_explorer", "pool_explorer", "feature_map_viewer"]
