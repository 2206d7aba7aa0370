"""The feature-map viewer shows what the model computes, layer by layer, and leaves no hooks behind."""

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
import torch  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from torch import nn  # noqa: E402

from course.checks import expect_no_hooks  # noqa: E402
from course.errors import CourseError  # noqa: E402
from course.widgets import feature_map_viewer  # noqa: E402
from course.widgets.feature_maps import PER_PAGE, FeatureMaps, layer_outputs, prepare_input  # noqa: E402


def small_cnn() -> nn.Sequential:
    torch.manual_seed(0)
    relu = nn.ReLU()  # used twice, as blocks often do
    return nn.Sequential(nn.Conv2d(1, 20, 3, padding=1), relu, nn.MaxPool2d(2), nn.Conv2d(20, 4, 3), relu,
                         nn.Flatten(), nn.Linear(64, 3))


def test_layer_outputs_are_what_the_layers_compute():
    model, x = small_cnn(), torch.rand(1, 1, 12, 12)
    maps = layer_outputs(model, x)
    assert list(maps) == ["0", "1", "2", "3", "1 (call 2)"]
    with torch.no_grad():
        want = x
        for k, name in enumerate(["0", "1", "2", "3", "1 (call 2)"]):
            want = model[k](want)
            assert torch.equal(maps[name], want), name
    expect_no_hooks(model, "the model after layer_outputs")


def test_a_layer_keeps_its_own_output_when_an_in_place_relu_follows():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 3, 3), nn.ReLU(inplace=True))
    maps = layer_outputs(model, torch.randn(1, 1, 8, 8))
    assert maps["0"].min() < 0, "the conv's output was overwritten by the ReLU that followed"


def test_hooks_are_removed_when_the_forward_pass_fails():
    model = small_cnn()
    with pytest.raises(RuntimeError):
        layer_outputs(model, torch.rand(1, 3, 12, 12))  # 3 channels into a 1-channel conv
    expect_no_hooks(model, "the model after a failed forward pass")


def test_pages_of_channels_and_clear_errors():
    model = small_cnn()
    maps = FeatureMaps(model, prepare_input(model, "camera", 12, None))
    assert maps.page("0", 17) == list(range(PER_PAGE, 20)) and maps.page("3", 0) == [0, 1, 2, 3]
    with pytest.raises(CourseError, match="channels 0..3, not 4"):
        maps.page("3", 4)
    with pytest.raises(CourseError, match="no feature maps from 'fc'"):
        maps.map("fc", 0)
    assert model.training, "the viewer puts the model back in training mode"


def test_photos_match_the_first_conv_and_normalisation_applies():
    gray = prepare_input(small_cnn(), "camera", 16, None)
    assert gray.shape == (1, 1, 16, 16) and 0 <= gray.min() and gray.max() <= 1
    colour = nn.Sequential(nn.Conv2d(3, 2, 3))
    x = prepare_input(colour, "chelsea", 16, ([0.5] * 3, [0.25] * 3))
    assert x.shape == (1, 3, 16, 16) and x.min() < 0
    with pytest.raises(CourseError, match="no nn.Conv2d"):
        prepare_input(nn.Linear(2, 2), "camera", 16, None)


@pytest.mark.parametrize("use_ipympl", [True, False], ids=["ipympl", "inline"])
def test_the_viewer_follows_the_layer_and_channel(use_ipympl):
    model = small_cnn()
    explorer = feature_map_viewer(model, "camera", size=12, interactive=True, use_ipympl=use_ipympl).explorer
    explorer.channel.value = 18
    view = explorer.view
    assert [t.get_text() for t in view.small_titles[:4]] == ["16", "17", "18", "19"]
    assert torch.equal(torch.as_tensor(view.big.get_array().data), explorer.maps.maps["0"][0, 18])
    explorer.layer.value = "3"
    assert explorer.channel.max == 3 and explorer.channel.value == 3
    assert "3, channel 3 of 4" in view.big_title.get_text()
    assert isinstance(feature_map_viewer(model, "camera", size=12), Figure)
