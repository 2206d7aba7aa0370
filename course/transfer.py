"""Day 6 helpers: the silhouettes as input for the pretrained backbone, and the from-scratch baseline.

The bundled animal silhouettes are 28x28 grayscale. EfficientNet-Lite0 (``course.pretrained``)
was trained on 224x224 colour photos normalised with mean = std = 0.5. :func:`to_backbone_input`
makes the silhouettes look more like that: dark shapes on a light background (inverted),
repeated to three channels, upsampled to ``IMAGE_SIZE`` (96: at 224 the features cost about
six times more CPU time and the head gains little on 28x28 sources), then normalised.

:func:`scratch_cnn` and :func:`train_scratch` are the baseline that transfer learning is
compared with: a small CNN trained from random weights on the same labelled images (with the
same augmentation as the fine-tune when ``augment`` is given).
"""

from __future__ import annotations

import contextlib

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

IMAGE_SIZE = 96
MEAN = STD = 0.5  # the backbone's normalisation (timm's data config for tf_efficientnet_lite0)
PER_CLASS = 10  # labelled training images per class in the Day 6 experiment
SUBSET = 10 * PER_CLASS  # data.dataset("animals", "train", limit=SUBSET): class-balanced prefix


def to_backbone_input(images, size: int = IMAGE_SIZE, invert: bool = True) -> torch.Tensor:
    """uint8 grayscale images (N, H, W) (array or tensor) -> float (N, 3, size, size), normalised.

    Pixels are scaled to [0, 1], inverted when ``invert`` (dark shape on a light background),
    resized bilinearly to ``size`` x ``size``, normalised with the backbone's mean and std and
    repeated to three channels.
    """
    x = torch.as_tensor(np.asarray(images))
    if x.dtype != torch.uint8 or x.ndim != 3:
        raise ValueError(f"expected uint8 images of shape (N, H, W), got {x.dtype} {tuple(x.shape)}")
    x = x.float().div(255).unsqueeze(1)
    if invert:
        x = 1 - x
    x = F.interpolate(x, size=(size, size), mode="bilinear", align_corners=False)
    return ((x - MEAN) / STD).expand(-1, 3, -1, -1).contiguous()


def scratch_cnn(num_classes: int = 10) -> nn.Sequential:
    """The from-scratch baseline: two 3x3 conv layers (16, 32 channels) with max-pooling and a
    64-unit hidden layer, for 1x28x28 inputs (the Day 4 network)."""
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 7 * 7, 64), nn.ReLU(), nn.Linear(64, num_classes),
    )


@contextlib.contextmanager
def one_thread():
    """Run torch on one CPU thread inside the block (the previous setting is restored).

    A CNN this small gains nothing from a second thread, and on a busy machine (parallel
    tests, several kernels) two spinning threads made its training several times slower."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def train_scratch(images, labels, epochs: int = 60, batch_size: int = 32, lr: float = 2e-3,
                  seed: int = 0, augment=None) -> nn.Sequential:
    """Train :func:`scratch_cnn` from random weights on uint8 images (N, 28, 28), scaled to [0, 1]
    (Adam, shuffled mini-batches, seeded, on one CPU thread); returns the model in eval mode.

    ``augment``, when given, maps each mini-batch (B, 1, 28, 28) in [0, 1] to the batch the network
    trains on (a fresh random augmentation of every image, every epoch)."""
    x = torch.as_tensor(np.asarray(images)).float().div(255).unsqueeze(1)
    y = torch.as_tensor(np.asarray(labels), dtype=torch.long)
    torch.manual_seed(seed)
    model = scratch_cnn(int(y.max()) + 1)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    order = torch.Generator().manual_seed(seed)
    model.train()
    with one_thread():
        for _ in range(epochs):
            perm = torch.randperm(len(x), generator=order)
            for i in range(0, len(x), batch_size):
                batch = perm[i:i + batch_size]
                xb = x[batch] if augment is None else augment(x[batch])
                optimizer.zero_grad()
                F.cross_entropy(model(xb), y[batch]).backward()
                optimizer.step()
    return model.eval()


@torch.no_grad()
def accuracy(model: nn.Module, x: torch.Tensor, y, batch_size: int = 250) -> float:
    """Fraction of ``x`` that ``model`` (eval mode) classifies as ``y``."""
    y = torch.as_tensor(np.asarray(y), dtype=torch.long)
    model.eval()
    correct = 0
    for i in range(0, len(x), batch_size):
        correct += int((model(x[i:i + batch_size]).argmax(1).cpu() == y[i:i + batch_size]).sum())
    return correct / len(x)
