"""Block diagrams drawn from the modules themselves.

:func:`block_graph` traces one forward pass of a module with ``torch.fx``: every layer it
runs, and every operation between them (the ``+`` of a skip connection, a ``torch.cat``, a
``F.relu``), each with the shape of its output. :func:`draw_block` draws that graph with
matplotlib, one box per step, from the input at the top to the output at the bottom;
branches that run side by side get columns of their own, and a skip connection that jumps
over a column is drawn around it. The picture is made from the module, so it cannot
disagree with the module.

The module is traced as it is, in eval mode (batch norm does not update its running
statistics) and without gradients; its mode is put back afterwards.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field

import torch
from torch import fx, nn
from torch.fx.passes.shape_prop import ShapeProp

# modules shown as one box even when they are subclasses from other libraries (timm's
# Conv2dSame and BatchNormAct2d, for example, subclass nn.Conv2d and nn.BatchNorm2d)
LEAF_TYPES = (nn.Conv2d, nn.Linear, nn.BatchNorm2d, nn.MaxPool2d, nn.AvgPool2d, nn.AdaptiveAvgPool2d,
              nn.ReLU, nn.ReLU6, nn.SiLU, nn.GELU, nn.Sigmoid, nn.Tanh, nn.Dropout, nn.Flatten, nn.Identity)

_FUNCTIONS = {operator.add: "add (+)", torch.add: "add (+)", operator.iadd: "add (+)", torch.cat: "concatenate",
              torch.relu: "ReLU", nn.functional.relu: "ReLU", nn.functional.relu6: "ReLU6",
              torch.flatten: "flatten", operator.mul: "multiply (*)", torch.sigmoid: "sigmoid"}

_COLOURS = {"input": "#dddddd", "conv": "#cfe2f3", "norm": "#fff2cc", "act": "#d9ead3", "pool": "#fce5cd",
            "merge": "#f4cccc", "linear": "#d9d2e9", "other": "#eeeeee"}


@dataclass
class Step:
    """One box of a diagram: a layer that ran, an operation, or the input."""

    name: str  # the fx node's name, unique in the graph
    label: str  # what the step is, e.g. "Conv2d 3x3, 64->128, stride 2"
    kind: str  # "input", "conv", "norm", "act", "pool", "merge", "linear" or "other"
    shape: tuple[int, ...] | None  # shape of its output (None when it is not one tensor)
    inputs: list[str] = field(default_factory=list)  # names of the steps it reads
    module: nn.Module | None = None  # the layer, for a step that runs one
    row: int = 0  # longest path from the input: the row it is drawn in
    x: float = 0.0  # its column (branches side by side)


def _pair(v) -> tuple:
    return tuple(v) if isinstance(v, (tuple, list)) else (v, v)


def _size(v) -> str:
    a, b = _pair(v)
    return f"{a}x{b}"


def _describe(module: nn.Module) -> tuple[str, str]:
    """(label, kind) of a layer."""
    name = type(module).__name__
    extras = [type(m).__name__ for m in module.children() if not isinstance(m, nn.Identity)]
    suffix = f" + {', '.join(extras)}" if extras else ""
    if isinstance(module, nn.Conv2d):
        text = f"{name} {_size(module.kernel_size)}, {module.in_channels}->{module.out_channels}"
        if module.groups > 1:
            text += ", depthwise" if module.groups == module.in_channels == module.out_channels \
                else f", groups {module.groups}"
        if _pair(module.stride) != (1, 1):
            text += f", stride {_pair(module.stride)[0]}"
        return text + suffix, "conv"
    if isinstance(module, nn.Linear):
        return f"{name} {module.in_features}->{module.out_features}", "linear"
    if isinstance(module, nn.BatchNorm2d):
        return name + suffix, "norm"
    if isinstance(module, (nn.MaxPool2d, nn.AvgPool2d)):
        stride = module.stride if module.stride is not None else module.kernel_size
        return f"{name} {_size(module.kernel_size)}, stride {_pair(stride)[0]}", "pool"
    if isinstance(module, nn.AdaptiveAvgPool2d):
        return f"{name} to {_size(module.output_size)}", "pool"
    if isinstance(module, (nn.ReLU, nn.ReLU6, nn.SiLU, nn.GELU, nn.Sigmoid, nn.Tanh)):
        return name, "act"
    return name + suffix, "other"


class _Tracer(fx.Tracer):
    def __init__(self, leaves: tuple[type, ...]):
        super().__init__()
        self.leaves = leaves

    def is_leaf_module(self, m: nn.Module, qualname: str) -> bool:
        return isinstance(m, self.leaves) or super().is_leaf_module(m, qualname)


def _trace(module: nn.Module, example: torch.Tensor, leaves: tuple[type, ...]) -> fx.GraphModule:
    graph = _Tracer(LEAF_TYPES + tuple(leaves)).trace(module)
    traced = fx.GraphModule(module, graph)
    modes = [m.training for m in module.modules()]
    module.eval()
    try:
        with torch.no_grad():
            ShapeProp(traced).propagate(example)
    finally:
        for m, mode in zip(module.modules(), modes):
            m.training = mode
    return traced


def _shape(node: fx.Node) -> tuple[int, ...] | None:
    meta = node.meta.get("tensor_meta")
    return tuple(int(s) for s in meta.shape) if hasattr(meta, "shape") else None


def block_graph(module: nn.Module, example: torch.Tensor, leaves: tuple[type, ...] = (),
                hide: tuple[type, ...] = (nn.Identity,)) -> list[Step]:
    """The steps of one forward pass of ``module`` on ``example``, in the order they run.

    ``leaves``: more module types to show as one box instead of tracing inside them;
    ``hide``: module types left out of the picture (``nn.Identity`` by default: it does nothing),
    their readers rewired to what they read. Each step's ``row`` and ``x`` place it in the drawing.
    """
    traced = _trace(module, example, leaves)
    steps: dict[str, Step] = {}
    alias: dict[str, str] = {}  # a hidden step -> the step it passes on

    def source(node) -> str:
        return alias.get(node.name, node.name)

    for node in traced.graph.nodes:
        inputs = [source(n) for n in node.all_input_nodes]
        if node.op == "placeholder":
            steps[node.name] = Step(node.name, "input", "input", _shape(node))
            continue
        if node.op == "output":
            continue
        if node.op == "get_attr":
            continue
        if node.op == "call_module":
            layer = traced.get_submodule(node.target)
            if isinstance(layer, hide) and len(inputs) == 1:
                alias[node.name] = inputs[0]
                continue
            label, kind = _describe(layer)
            steps[node.name] = Step(node.name, label, kind, _shape(node), inputs, module=layer)
            continue
        target = node.target
        if node.op == "call_function":
            label = _FUNCTIONS.get(target, getattr(target, "__name__", str(target)))
        else:  # call_method, e.g. x.relu() or x.flatten(1)
            label = {"relu": "ReLU", "relu_": "ReLU", "add": "add (+)", "add_": "add (+)"}.get(target, str(target))
        kind = "merge" if label in ("add (+)", "concatenate") else "act" if label in ("ReLU", "ReLU6") else "other"
        inputs = [i for i in inputs if i in steps]
        steps[node.name] = Step(node.name, label, kind, _shape(node), inputs)
    _place(list(steps.values()))
    return list(steps.values())


def _place(steps: list[Step]) -> None:
    """Rows: the longest path from the input. Columns: a step continues the column of the step it
    reads; the readers of a step that forks (several steps read it) get a column each, the first
    one keeping the fork's own; a step that joins branches sits in the middle of them, and an
    input that forks sits above the middle of its branches."""
    by_name = {s.name: s for s in steps}
    readers: dict[str, list[Step]] = {s.name: [] for s in steps}
    for s in steps:
        for i in dict.fromkeys(s.inputs):
            readers[i].append(s)
    lane: dict[str, int] = {}
    lanes = 0
    for s in steps:
        preds = [by_name[i] for i in dict.fromkeys(s.inputs)]
        s.row = 1 + max((p.row for p in preds), default=-1)
        if len(preds) == 1 and readers[preds[0].name][0] is s:
            lane[s.name] = lane[preds[0].name]  # first reader: the fork's own column
        elif len(preds) == 1 or not preds:
            lane[s.name], lanes = lanes, lanes + 1
        else:
            lane[s.name] = min(lane[p.name] for p in preds)

    def position(s: Step) -> float:
        preds = [by_name[i] for i in dict.fromkeys(s.inputs)]
        if len(preds) > 1:
            return sum(p.x for p in preds) / len(preds)
        if len(preds) == 1 and len(readers[preds[0].name]) == 1:
            return preds[0].x
        return float(lane[s.name])

    for s in steps:
        s.x = position(s)
    for s in steps:  # an input that forks sits above the middle of its branches (joins left out)
        branches = [r for r in readers[s.name] if len(set(r.inputs)) == 1]
        if not s.inputs and len(branches) > 1:
            s.x = sum(r.x for r in branches) / len(branches)
    for s in steps:
        if s.inputs:
            s.x = position(s)


def _text(step: Step) -> str:
    shape = "" if step.shape is None else "\n" + str(step.shape)
    return step.label + shape


def draw_block(module: nn.Module, example: torch.Tensor, ax=None, title: str | None = None,
               leaves: tuple[type, ...] = (), hide: tuple[type, ...] = (nn.Identity,), fontsize: float = 7.5):
    """Draw ``module``'s forward pass on ``example`` as boxes and arrows; returns the matplotlib Axes.

    One box per step of :func:`block_graph` (its label and output shape); arrows follow the data.
    """
    import matplotlib.pyplot as plt

    steps = block_graph(module, example, leaves=leaves, hide=hide)
    by_name = {s.name: s for s in steps}
    rows = max(s.row for s in steps) + 1
    left, right = min(s.x for s in steps), max(s.x for s in steps)
    col_w, row_h = 2.3, 0.62  # inches per column and per row
    if ax is None:
        _, ax = plt.subplots(figsize=(col_w * (right - left + 1) + 1.2, row_h * rows + 0.5))
    row_pts = 0.6 * fontsize * 2 + 0.3 * fontsize + 1  # half the height of a two-line box, in points
    for s in steps:
        ax.text(s.x, -s.row, _text(s), ha="center", va="center", fontsize=fontsize, zorder=3,
                                bbox=dict(boxstyle="round,pad=0.3", fc=_COLOURS[s.kind], ec="#555555", lw=0.8))
    # half the width of each box, in points (about 0.6 of the font size per character, plus the padding)
    half = {s.name: 0.3 * fontsize * max(len(line) for line in _text(s).split("\n")) + 0.3 * fontsize + 2
            for s in steps}
    for s in steps:
        for i in dict.fromkeys(s.inputs):
            src = by_name[i]
            arrow = dict(arrowstyle="-|>", color="#333333", lw=1.0, shrinkA=0, shrinkB=row_pts)
            if abs(src.x - s.x) < 1e-9 and s.row - src.row > 1:
                # a skip connection over the boxes of its own column: around them, on the right
                between = [t for t in steps if abs(t.x - s.x) < 1e-9 and src.row <= t.row <= s.row]
                arm = max(half[t.name] for t in between) + 14
                arrow.update(color="#aa3333", lw=1.3, shrinkB=half[s.name],
                             connectionstyle=f"arc,angleA=0,angleB=0,armA={arm:.0f},armB={arm:.0f},rad=8")
            elif abs(src.x - s.x) > 1e-9 and len(set(s.inputs)) > 1:
                # into a join: down from the branch, then across into the side of the box
                arrow.update(shrinkB=half[s.name], connectionstyle="angle,angleA=90,angleB=0,rad=0")
            elif abs(src.x - s.x) > 1e-9:
                # out of a fork: across from the box, then down into the branch
                arrow.update(connectionstyle="angle,angleA=0,angleB=90,rad=0")
            ax.annotate("", xy=(s.x, -s.row), xytext=(src.x, -src.row), zorder=1, arrowprops=arrow)
    ax.set_xlim(left - 0.6, right + 0.6 + 0.4)
    ax.set_ylim(-(rows - 0.5), 0.5)
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=fontsize + 2)
    return ax
