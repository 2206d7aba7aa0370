"""The explorers draw what the state says, update in place, and fall back to a static figure."""

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
import torch  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from course.errors import CourseError  # noqa: E402
from course.widgets.explorers import as_kernel, conv_explorer, pool_explorer  # noqa: E402


def test_static_figures_outside_a_kernel():
    assert isinstance(conv_explorer(), Figure)
    assert isinstance(pool_explorer(mode="avg"), Figure)


def test_conv_position_slider_moves_the_window_and_fills_the_output():
    box = conv_explorer(interactive=True)
    view = box.view()
    box.position.value = 4
    assert "step 5/9, output (1, 1)" in view.text.get_text()
    assert view.text.get_text().splitlines()[0].endswith("= -6")
    corners = sorted({(p.get_x(), p.get_y()) for p in view.cells})
    assert corners[0] == (0.5, 0.5), "the window of output (1, 1) starts at input (1, 1)"
    assert view.out_texts[1][1].get_text() == "-6" and view.out_texts[2][2].get_text() == ""


def test_geometry_sliders_rebuild_the_state():
    box = conv_explorer(interactive=True)
    padding = box.children[1].children[1]
    padding.value = 1
    assert box.view().state.out_shape == (5, 5) and box.position.max == 24


def test_pool_explorer_marks_the_winner():
    box = pool_explorer(interactive=True)
    box.position.value = 2
    view = box.view()
    assert view.text.get_text().endswith("max(5, 0, 1, 2) = 5")
    assert (view.win.get_x(), view.win.get_y()) == (-0.5, 1.5)


def test_kernels_from_presets_tensors_and_layers():
    weight, bias = as_kernel("sharpen", 2)
    assert weight.shape == (2, 3, 3) and bias == 0.0
    layer = torch.nn.Conv2d(1, 4, 3)
    weight, bias = as_kernel(layer, 1)
    assert torch.equal(weight, layer.weight.detach()[0].double()) and bias == pytest.approx(float(layer.bias.detach()[0]))
    with pytest.raises(CourseError, match="unknown kernel 'emboss'"):
        as_kernel("emboss", 1)
