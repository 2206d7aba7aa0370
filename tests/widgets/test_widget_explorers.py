"""The explorers draw what the state says, update in place (blitting), and fall back to static pictures."""

import json
import re

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from course.errors import CourseError  # noqa: E402
from course.widgets.explorers import as_kernel, conv_explorer, pool_explorer  # noqa: E402

FRONTENDS = [pytest.param(True, id="ipympl"), pytest.param(False, id="inline")]


def facts(explorer) -> dict:
    """The data- attributes of the readout, decoded."""
    attrs = dict(re.findall(r'data-([\w-]+)="([^"]*)"', explorer.readout.value))
    return {k: json.loads(v.replace("&quot;", '"')) if k != "kind" and k != "mode" else v for k, v in attrs.items()}


def arithmetic(explorer) -> str:
    return re.search(r'<span class="course-arithmetic">(.*?)</span>', explorer.readout.value, re.S).group(1)


def test_static_figures_outside_a_kernel():
    fig = conv_explorer()
    assert isinstance(fig, Figure)
    assert "step 1/9, output (0, 0): 1·1 + 2·0 + 3·(-1)" in fig.texts[0].get_text()
    assert isinstance(pool_explorer(mode="avg"), Figure)


@pytest.mark.parametrize("use_ipympl", FRONTENDS)
def test_conv_step_slider_moves_the_window_and_fills_the_output(use_ipympl):
    explorer = conv_explorer(interactive=True, use_ipympl=use_ipympl).explorer
    explorer.position.value = 4
    seen = facts(explorer)
    assert seen["out"] == [1, 1] and seen["value"] == -6
    assert arithmetic(explorer).endswith("= -6")
    assert "step 5/9, output (1, 1)" in explorer.readout.value
    assert seen["window"] == [[r, c] for r in (1, 2, 3) for c in (1, 2, 3)], "the window of output (1, 1)"
    texts = explorer.view.output.texts
    assert texts[1][1].get_text() == "-6" and texts[2][2].get_text() == ""


@pytest.mark.parametrize("use_ipympl", FRONTENDS)
def test_the_readout_agrees_with_torch_for_every_step(use_ipympl):
    torch.manual_seed(1)
    x, w = torch.randint(-3, 4, (2, 6, 5)).double(), torch.randint(-2, 3, (2, 3, 2)).double()
    explorer = conv_explorer(x, w, stride=2, padding=1, dilation=2, interactive=True, use_ipympl=use_ipympl).explorer
    want = F.conv2d(x[None], w[None], stride=2, padding=1, dilation=2)[0, 0]
    assert explorer.position.max + 1 == want.numel()
    for step in range(want.numel()):
        explorer.position.value = step
        seen = facts(explorer)
        i, j = divmod(step, want.shape[1])
        assert seen["out"] == [i, j]
        assert seen["value"] == pytest.approx(float(want[i, j])), f"step {step}"
        assert seen["window"] == [[i * 2 + m * 2, j * 2 + n * 2] for m in range(3) for n in range(2)]
        assert arithmetic(explorer).splitlines()[-1].startswith("sum: ")


@pytest.mark.parametrize("make", [
    lambda: conv_explorer("camera", padding=1, interactive=True, use_ipympl=False),
    lambda: conv_explorer(torch.rand(3, 6, 6), torch.rand(3, 2, 2), stride=2, interactive=True, use_ipympl=True),
    lambda: pool_explorer("camera", 3, 1, interactive=True),
], ids=["conv-photo", "conv-3-channels", "pool-photo"])
def test_blitted_frames_equal_full_redraws(make):
    explorer = make().explorer
    for step in [3, 4, 5, 27, 12, 99, 0, 55, 56, 8]:
        explorer.position.value = min(step, explorer.position.max)
        blitted = np.asarray(explorer.surface.canvas.buffer_rgba()).copy()
        explorer.surface.full_draw()
        full = np.asarray(explorer.surface.canvas.buffer_rgba())
        assert np.array_equal(blitted, full), f"step {step}: the blitted frame differs from a full redraw"


def test_geometry_sliders_rebuild_the_state():
    explorer = conv_explorer(interactive=True).explorer
    explorer.position.value = 8
    explorer.sliders["padding"].value = 1
    assert explorer.view.state.out_shape == (5, 5) and explorer.position.max == 24
    assert explorer.position.value == 8 and facts(explorer)["padding"] == 1


def test_a_geometry_that_does_not_fit_says_so_and_keeps_the_view():
    explorer = conv_explorer(interactive=True).explorer
    explorer.sliders["dilation"].value = 3
    assert "does not fit" in explorer.readout.value
    assert explorer.view.state.dilation == 1


def test_pool_explorer_marks_the_winner():
    explorer = pool_explorer(interactive=True).explorer
    explorer.position.value = 2
    assert arithmetic(explorer) == "max(5, 1, 3, 0) = 5"
    assert facts(explorer)["winner"] == [2, 0]
    explorer.sliders["stride"].value = 1
    assert facts(explorer)["out"] == [0, 2]


def test_multi_channel_kernels_sum_their_slices():
    torch.manual_seed(0)
    x, w = torch.randint(0, 5, (3, 5, 5)).double(), torch.randint(-1, 2, (3, 3, 3)).double()
    explorer = conv_explorer(x, w, interactive=True).explorer
    explorer.position.value = 7
    lines = arithmetic(explorer).splitlines()
    assert [line.split(":")[0] for line in lines] == ["channel 0", "channel 1", "channel 2", "sum"]
    want = F.conv2d(x[None], w[None])[0, 0, 2, 1]
    assert lines[-1].endswith(f"= {int(want)}")
    assert len(explorer.view.ax_in) == 3 and len(explorer.view.cells) == 3
    with pytest.raises(CourseError, match="at most 4 channels"):
        conv_explorer(torch.zeros(8, 5, 5))


def test_the_explorer_exports_as_a_picture_and_its_readout():
    box = conv_explorer(interactive=True, use_ipympl=False)
    bundle = box._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/html"].startswith('<img alt="the widget\'s current picture" src="data:image/png;base64,')
    assert "course-arithmetic" in bundle["text/html"]


def test_kernels_from_presets_tensors_and_layers():
    weight, bias = as_kernel("sharpen", 2)
    assert weight.shape == (2, 3, 3) and bias == 0.0
    layer = torch.nn.Conv2d(1, 4, 3)
    weight, bias = as_kernel(layer, 1)
    assert torch.equal(weight, layer.weight.detach()[0].double()) and bias == pytest.approx(float(layer.bias.detach()[0]))
    with pytest.raises(CourseError, match="unknown kernel 'emboss'"):
        as_kernel("emboss", 1)


def test_a_colour_layer_gets_a_colour_photo():
    layer = torch.nn.Conv2d(3, 2, 3)
    fig = conv_explorer("astronaut", layer)
    assert "channel 2" in fig.texts[0].get_text()


@pytest.mark.slow
def test_an_html_export_shows_each_widget_as_a_picture(tmp_path):
    import nbformat
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in [
        "%matplotlib inline\nimport matplotlib.pyplot as plt\nimport torch\n"
        "from course.widgets import conv_explorer, feature_map_viewer, pool_explorer",
        "conv_explorer()", "pool_explorer(mode='avg')",
        "feature_map_viewer(torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3)), 'camera', size=16)",
        "plt.plot([1, 2])\nplt.show()"]])
    # as JupyterLab saves a notebook by default: outputs, no widget state (with widget state, an
    # HTML export renders the widgets themselves through the widget HTML manager instead)
    NotebookClient(nb, timeout=60, kernel_name="python3", store_widget_state=False,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    plot = nb.cells[-1].outputs
    assert [o.get("data", {}).keys() for o in plot] == [{"image/png", "text/plain"}], \
        "a later plt.show() is still an inline picture (ipympl's import must not switch the backend)"
    page, _ = HTMLExporter().from_notebook_node(nb)
    assert page.count('src="data:image/png;base64,') == 4, "one picture per widget, and the plot"
    assert "1·1 + 2·0 + 3·(-1)" in page and "(1 + 3 + 0 + 1) / 4" in page, "the readouts are exported as text"


def test_colab_gets_core_widgets_only(monkeypatch):
    import sys
    import types

    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    explorer = conv_explorer(interactive=True).explorer
    assert not explorer.surface.use_ipympl, "on Colab the frames go through an ipywidgets.Image"
    assert explorer.surface.widget.__class__.__name__ == "Image"
