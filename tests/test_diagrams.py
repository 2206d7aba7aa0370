"""course.diagrams: block diagrams drawn from the modules themselves (the Day 5 lesson draws VGG, Inception,
ResNet and MBConv blocks with it)."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.text  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402
from torchvision.models.googlenet import Inception  # noqa: E402
from torchvision.models.resnet import BasicBlock, Bottleneck  # noqa: E402

from course import diagrams  # noqa: E402


def _by_name(steps):
    return {s.name: s for s in steps}


def test_a_chain_is_one_column_of_its_layers_with_their_shapes():
    block = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
    steps = diagrams.block_graph(block, torch.zeros(2, 3, 8, 8))
    assert [s.label for s in steps] == ["input", "Conv2d 3x3, 3->8", "ReLU", "MaxPool2d 2x2, stride 2"]
    assert [s.kind for s in steps] == ["input", "conv", "act", "pool"]
    assert [s.shape for s in steps] == [(2, 3, 8, 8), (2, 8, 8, 8), (2, 8, 8, 8), (2, 8, 4, 4)]
    assert [s.row for s in steps] == [0, 1, 2, 3]
    assert len({s.x for s in steps}) == 1
    assert [s.inputs for s in steps[1:]] == [[steps[0].name], [steps[1].name], [steps[2].name]]
    assert steps[1].module is block[0]


def test_a_projection_block_forks_into_two_columns_that_meet_in_the_addition():
    down = nn.Sequential(nn.Conv2d(8, 16, 1, stride=2, bias=False), nn.BatchNorm2d(16))
    block = BasicBlock(8, 16, stride=2, downsample=down)
    steps = diagrams.block_graph(block, torch.zeros(1, 8, 10, 10))
    by_name = _by_name(steps)
    convs = [s for s in steps if s.kind == "conv"]
    assert len(convs) == sum(isinstance(m, nn.Conv2d) for m in block.modules()) == 3
    assert "Conv2d 3x3, 8->16, stride 2" in [s.label for s in convs]
    assert "Conv2d 1x1, 8->16, stride 2" in [s.label for s in convs]
    (add,) = [s for s in steps if s.label == "add (+)"]
    sources = [by_name[i] for i in add.inputs]
    assert [s.label for s in sources] == ["BatchNorm2d", "BatchNorm2d"]
    assert sources[0].x != sources[1].x  # the shortcut has a column of its own
    assert min(s.x for s in sources) < add.x < max(s.x for s in sources)
    assert steps[0].x == add.x  # the input sits above the middle of its two branches
    assert steps[-1].shape == (1, 16, 5, 5) and steps[-1].label == "ReLU"


def test_an_identity_block_adds_its_input_itself():
    block = BasicBlock(8, 8)
    steps = diagrams.block_graph(block, torch.zeros(1, 8, 6, 6))
    (add,) = [s for s in steps if s.label == "add (+)"]
    assert steps[0].name in add.inputs
    assert len({s.x for s in steps}) == 1  # one column: the skip is drawn around it
    assert add.row == 6


def test_an_inception_block_concatenates_four_branches():
    block = Inception(12, 4, 3, 5, 2, 6, 7)
    steps = diagrams.block_graph(block, torch.zeros(1, 12, 9, 9))
    by_name = _by_name(steps)
    (join,) = [s for s in steps if s.label == "concatenate"]
    widths = [by_name[i].shape[1] for i in join.inputs]
    assert widths == [4, 5, 6, 7] and join.shape == (1, 22, 9, 9)
    assert len({by_name[i].x for i in join.inputs}) == 4
    assert join.row == 1 + max(by_name[i].row for i in join.inputs)


def test_the_module_is_left_as_it_was():
    block = Bottleneck(16, 4)
    block.train()
    before = {k: v.clone() for k, v in block.state_dict().items()}
    diagrams.block_graph(block, torch.randn(2, 16, 5, 5))
    assert block.training and all(m.training for m in block.modules())
    assert all(torch.equal(before[k], v) for k, v in block.state_dict().items()), "batch norm statistics changed"
    assert not any(m._forward_hooks or m._forward_pre_hooks for m in block.modules())


class _PaddedConv(nn.Conv2d):
    """A conv subclass whose forward computes its padding from the input's size (as timm's Conv2dSame does),
    which torch.fx cannot trace into."""

    def forward(self, x):
        pad = max((math.ceil(x.shape[-1] / self.stride[0]) - 1) * self.stride[0] + self.kernel_size[0] - x.shape[-1], 0)
        x = F.pad(x, [pad // 2, pad - pad // 2] * 2)
        return F.conv2d(x, self.weight, self.bias, self.stride, groups=self.groups)


def test_subclasses_of_layers_are_one_box_and_identities_are_left_out():
    block = nn.Sequential(_PaddedConv(4, 4, 3, stride=2, groups=4), nn.Identity(), nn.ReLU6())
    steps = diagrams.block_graph(block, torch.zeros(1, 4, 7, 7))
    assert [s.label for s in steps] == ["input", "_PaddedConv 3x3, 4->4, depthwise, stride 2", "ReLU6"]
    assert steps[2].inputs == [steps[1].name]  # read through the hidden Identity
    assert steps[1].shape == (1, 4, 4, 4)


def test_meta_tensors_are_enough():
    with torch.device("meta"):
        block = Bottleneck(64, 16)
    steps = diagrams.block_graph(block, torch.zeros(1, 64, 56, 56, device="meta"))
    assert [s.shape[1] for s in steps if s.kind == "conv"] == [16, 16, 64]


@pytest.mark.parametrize("block, shape", [(BasicBlock(8, 8), (1, 8, 6, 6)),
                                          (Inception(12, 4, 3, 5, 2, 6, 7), (1, 12, 9, 9))])
def test_draw_block_draws_one_box_per_step(block, shape):
    x = torch.zeros(shape)
    ax = diagrams.draw_block(block, x, title="a block")
    try:
        steps = diagrams.block_graph(block, x)
        texts = [t.get_text() for t in ax.texts if not isinstance(t, matplotlib.text.Annotation)]
        assert len(texts) == len(steps)
        assert all(t.split("\n")[0] == s.label for t, s in zip(texts, steps))
        arrows = sum(len(set(s.inputs)) for s in steps)
        assert len([c for c in ax.get_children() if isinstance(c, matplotlib.text.Annotation)]) == arrows
        assert ax.get_title() == "a block"
        ax.figure.canvas.draw()  # renders without error
    finally:
        plt.close(ax.figure)
