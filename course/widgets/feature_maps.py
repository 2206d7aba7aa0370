"""The feature-map viewer: a real photo through the learner's model, layer by layer.

``feature_map_viewer(model)`` runs one photo through ``model`` once, keeping the
output of every layer that produces feature maps (N, C, H, W), and shows a
layer's channels as an image grid with one channel enlarged.  Sliders pick the
layer and the channel.  :class:`FeatureMaps` is the part without drawing.
"""

from __future__ import annotations

import numpy as np
import torch
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..errors import CourseError
from .surface import ExplorerBox, Surface, in_kernel

PER_PAGE = 16


def layer_outputs(model: torch.nn.Module, x: torch.Tensor) -> dict[str, torch.Tensor]:
    """Feature maps of every submodule whose output is (N, C, H, W), in the order they ran.

    A module called twice (a ReLU reused in a block) appears as ``name``, ``name (call 2)``.
    The hooks are removed afterwards, also when the forward pass fails.
    """
    outputs: dict[str, torch.Tensor] = {}

    def keep(name):
        def hook(_module, _inputs, output):
            if isinstance(output, torch.Tensor) and output.dim() == 4:
                key, call = name, 1
                while key in outputs:
                    call += 1
                    key = f"{name} (call {call})"
                outputs[key] = output.detach().cpu().clone()  # an in-place ReLU after it must not change it
        return hook

    handles = [m.register_forward_hook(keep(name)) for name, m in model.named_modules() if name]
    try:
        with torch.no_grad():
            model(x)
    finally:
        for handle in handles:
            handle.remove()
    return outputs


def first_in_channels(model: torch.nn.Module) -> int:
    for module in model.modules():
        if isinstance(module, torch.nn.Conv2d):
            return module.in_channels
    raise CourseError("the model has no nn.Conv2d, so it has no feature maps to show")


def prepare_input(model: torch.nn.Module, image, size: int, normalize) -> torch.Tensor:
    """A (1, C, H, W) float tensor: a photo name (scaled to 0..1, gray when the model takes 1 channel)
    or a tensor (C, H, W) / (1, C, H, W); ``normalize`` = (mean, std) per channel, or None."""
    if isinstance(image, str):
        from ..data import photo

        channels = first_in_channels(model)
        pixels = np.asarray(photo(image, size=size, gray=channels == 1), dtype=np.float32) / 255
        x = torch.from_numpy(pixels)
        x = x[None] if x.dim() == 2 else x.permute(2, 0, 1)
    else:
        x = torch.as_tensor(image, dtype=torch.float32)
    if x.dim() == 3:
        x = x[None]
    if x.dim() != 4 or x.shape[0] != 1:
        raise CourseError(f"the image should be (C, H, W) or (1, C, H, W), got shape {tuple(x.shape)}")
    if normalize is not None:
        mean, std = (torch.as_tensor(v, dtype=torch.float32).reshape(-1, 1, 1) for v in normalize)
        x = (x - mean) / std
    return x


class FeatureMaps:
    """Which maps to show: the layers that made feature maps, and a page of channels around one."""

    def __init__(self, model: torch.nn.Module, x: torch.Tensor):
        self.x = x
        device = next((p.device for p in model.parameters()), torch.device("cpu"))
        was_training = model.training
        model.eval()
        try:
            self.maps = layer_outputs(model, x.to(device))
        finally:
            model.train(was_training)
        if not self.maps:
            raise CourseError("no layer of the model produced (N, C, H, W) feature maps")
        self.layers = list(self.maps)

    def channels(self, layer: str) -> int:
        return self.maps[self._check(layer)].shape[1]

    def page(self, layer: str, channel: int) -> list[int]:
        """The channels shown in the grid: the page of PER_PAGE that holds ``channel``."""
        count = self.channels(layer)
        if not 0 <= channel < count:
            raise CourseError(f"layer {layer!r} has channels 0..{count - 1}, not {channel}")
        first = channel // PER_PAGE * PER_PAGE
        return list(range(first, min(first + PER_PAGE, count)))

    def map(self, layer: str, channel: int) -> np.ndarray:
        return self.maps[self._check(layer)][0, channel].numpy()

    def _check(self, layer: str) -> str:
        if layer not in self.maps:
            raise CourseError(f"no feature maps from {layer!r}; layers: {', '.join(self.layers)}")
        return layer


def _picture(x: torch.Tensor) -> np.ndarray:
    image = x[0].permute(1, 2, 0).numpy()
    image = (image - image.min()) / (image.max() - image.min() + 1e-12)
    return image[..., 0] if image.shape[2] == 1 else image[..., :3]


def _show_map(image, fmap: np.ndarray) -> None:
    """Put one feature map into an imshow artist, on its own colour scale."""
    image.set_data(fmap)
    image.set_extent((-0.5, fmap.shape[1] - 0.5, fmap.shape[0] - 0.5, -0.5))
    image.set_clim(float(fmap.min()), float(fmap.max()) + 1e-12)


class FeatureMapView:
    """The input photo, the selected channel enlarged, and a 4x4 grid of the channels around it."""

    def __init__(self, maps: FeatureMaps, fig):
        self.maps, self.fig = maps, fig
        fig.clear()
        grid = fig.add_gridspec(4, 6, width_ratios=[2, 2, 1, 1, 1, 1], wspace=0.15, hspace=0.35,
                                left=0.02, right=0.98, top=0.93, bottom=0.02)
        self.ax_photo = fig.add_subplot(grid[:2, :2])
        self.ax_big = fig.add_subplot(grid[2:, :2])
        self.ax_big.set_anchor("N")
        self.ax_grid = [fig.add_subplot(grid[r, 2 + c]) for r in range(4) for c in range(4)]
        for ax in [self.ax_photo, self.ax_big, *self.ax_grid]:
            ax.set_xticks([])
            ax.set_yticks([])
        self.ax_photo.imshow(_picture(maps.x), cmap="gray")
        self.ax_photo.set_title("input", fontsize=9)
        blank = np.zeros((2, 2))
        self.big = self.ax_big.imshow(blank, cmap="viridis", interpolation="nearest")
        self.big_title = self.ax_big.set_xlabel("", fontsize=9)
        self.small = [ax.imshow(blank, cmap="viridis", interpolation="nearest") for ax in self.ax_grid]
        self.small_titles = [ax.set_title("", fontsize=7) for ax in self.ax_grid]
        self.frame = Rectangle((0, 0), 1, 1, transform=self.ax_grid[0].transAxes, fill=False,
                               edgecolor="tab:orange", linewidth=3, clip_on=False)
        fig.add_artist(self.frame)
        self.layer, self.channel = maps.layers[0], 0

    def show(self, layer: str, channel: int) -> None:
        page = self.maps.page(layer, channel)
        self.layer, self.channel = layer, channel
        for k, (image, title) in enumerate(zip(self.small, self.small_titles)):
            visible = k < len(page)
            image.set_visible(visible)
            title.set_text(f"{page[k]}" if visible else "")
            if visible:
                _show_map(image, self.maps.map(layer, page[k]))
        fmap = self.maps.map(layer, channel)
        _show_map(self.big, fmap)
        self.big_title.set_text(f"{layer}, channel {channel} of {self.maps.channels(layer)}\n"
                                f"{fmap.shape[0]}x{fmap.shape[1]}, min {fmap.min():.3g}, max {fmap.max():.3g}")
        self.frame.set_transform(self.ax_grid[page.index(channel)].transAxes)

    def cached_layer(self) -> tuple:
        """The grid of one page changes only with the layer or the page (for Surface's cache)."""
        page = self.maps.page(self.layer, self.channel)
        return (self.layer, page[0]), [*self.small, *self.small_titles]

    def highlights(self) -> list:
        return [self.big, self.big_title, self.frame]

    def animated(self) -> list:
        return [*self.small, *self.small_titles, *self.highlights()]


def feature_map_viewer(model: torch.nn.Module, image="chelsea", size: int = 64, normalize=None,
                       layer: str | None = None, channel: int = 0,
                       interactive: bool | None = None, use_ipympl: bool | None = None):
    """Show the feature maps of ``model`` for a photo, a layer and a channel at a time.

    ``image``: a scikit-image photo name (``"chelsea"``, ``"astronaut"``, ``"camera"``...)
    resized to ``size`` x ``size`` (gray if the model's first conv takes one channel),
    or a tensor (C, H, W).  ``normalize``: (mean, std) the model was trained with.
    In a Jupyter kernel: a layer menu and a channel slider; elsewhere a static figure.
    """
    maps = FeatureMaps(model, prepare_input(model, image, size, normalize))
    layer = layer or maps.layers[0]
    if not (interactive if interactive is not None else in_kernel()):
        fig = Figure(figsize=(9, 4.6))
        FeatureMapView(maps, fig).show(layer, channel)
        return fig
    return FeatureMapExplorer(maps, layer, channel, use_ipympl).box


class FeatureMapExplorer:
    """A layer menu, a channel slider and the figure (``.box``)."""

    def __init__(self, maps: FeatureMaps, layer: str, channel: int, use_ipympl: bool | None = None):
        import ipywidgets as widgets

        self.maps = maps
        self.surface = Surface((9, 4.6), use_ipympl)
        self.layer = widgets.Dropdown(options=maps.layers, value=layer, description="layer")
        self.channel = widgets.IntSlider(channel, 0, maps.channels(layer) - 1, description="channel")
        self.view = FeatureMapView(maps, self.surface.fig)
        self.view.show(layer, channel)
        self.surface.attach(self.view)
        self.box = ExplorerBox([widgets.HBox([self.layer, self.channel]), self.surface.widget], explorer=self)
        self.box.add_class("course-feature-maps")
        self.layer.observe(self._on_layer, names="value")
        self.channel.observe(lambda change: self.show(self.layer.value, change["new"]), names="value")

    def _on_layer(self, change) -> None:
        count = self.maps.channels(change["new"])
        channel = min(self.channel.value, count - 1)
        with self.channel.hold_trait_notifications():
            self.channel.max = count - 1
            self.channel.value = channel
        self.show(change["new"], channel)

    def show(self, layer: str, channel: int) -> None:
        self.view.show(layer, channel)
        self.surface.update()


__all__ = ["feature_map_viewer", "layer_outputs", "FeatureMaps", "FeatureMapView", "PER_PAGE"]
