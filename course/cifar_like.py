"""CIFAR-shaped pictures made offline from the course's bundled silhouettes.

The stand-in for CIFAR-10 where it cannot be downloaded: uint8 32x32 colour
pictures in 10 classes, whose class is the *shape* in the picture. Each picture
is one 28x28 silhouette (``"animals"`` where installed, then ``"digits"``; ten
kinds of drawn shapes when neither package is there) rescaled to 18-32 pixels,
put at a random place on a random crop of one of the course's photos (dimmed at
random), filled with a random colour that contrasts with it, plus noise: colour
and background carry no class information. Training pictures use the bundled
"train" silhouettes, test pictures the disjoint "val" ones, repeated with new
colours, places and backgrounds when more pictures are asked for.

Pictures are made in blocks of :data:`BLOCK`, each from its own seed, so a
shorter set is a prefix of a longer one (and every prefix is class-balanced,
like the bundled splits). This is not CIFAR-10: accuracies on it say nothing
about the 94% target. Made from :mod:`course.bundled`; used by :func:`course.data.offline_cifar10` and
:func:`course.capstone.cifar_like_from_bundled`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import numpy as np
import torch
import torch.nn.functional as F

from . import bundled
from .errors import CourseError

SHAPE_CLASSES = ("disc", "ring", "square", "frame", "diamond", "plus", "cross", "triangle", "stripes", "bars")
BLOCK = 256  # pictures per seeded block
_SPLIT_CODE = {"train": 0, "test": 1}


class Pictures(NamedTuple):
    images: np.ndarray  # uint8 (N, 32, 32, 3), torchvision's CIFAR10.data layout
    labels: np.ndarray  # int64 (N,)
    classes: tuple[str, ...]
    source: str         # which silhouettes: "animals", "digits" or "shapes (...why...)"


def silhouettes(source: str = "auto") -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, tuple[str, ...], str]:
    """28x28 uint8 shapes on black (train, train labels, test, test labels, classes, name), from the
    bundled datasets: train and test come from their disjoint "train" and "val" splits."""
    if source not in ("auto", "animals", "digits", "shapes"):
        raise ValueError(f"unknown source {source!r}: use 'auto', 'animals', 'digits' or 'shapes'")
    missing = []
    if source != "shapes":
        for name in (("animals", "digits") if source == "auto" else (source,)):
            try:
                parts = [bundled.bundled(name, split) for split in ("train", "val")]
            except (CourseError, ImportError, OSError) as exc:
                if source != "auto":
                    raise
                missing.append(f"{name}: {exc}")
                continue
            return (parts[0].images, np.asarray(parts[0].targets), parts[1].images, np.asarray(parts[1].targets),
                    tuple(parts[0].classes), name)
    rng = np.random.default_rng(12345)
    train, test = drawn_shapes(700, rng), drawn_shapes(150, rng)
    name = "shapes" + (f" (bundled images unavailable: {'; '.join(missing)})" if missing else "")
    return train[0], train[1], test[0], test[1], SHAPE_CLASSES, name


def drawn_shapes(per_class: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Ten classes of simple white shapes on black, 28x28, random size and stroke (no package needed)."""
    labels = np.concatenate([rng.permutation(10) for _ in range(per_class)])  # every prefix class-balanced
    n = len(labels)
    r = rng.uniform(0.55, 0.95, (n, 1, 1))
    t = rng.uniform(0.12, 0.25, (n, 1, 1))
    v, u = (np.mgrid[0:28, 0:28] - 13.5) / 13.5
    u, v = u[None], v[None]
    radius, box, manhattan = np.hypot(u, v), np.maximum(abs(u), abs(v)), abs(u) + abs(v)
    a, b = abs(u + v) / np.sqrt(2), abs(u - v) / np.sqrt(2)
    shapes = [
        radius < r,
        abs(radius - 0.8 * r) < t / 2,
        box < 0.8 * r,
        abs(box - 0.8 * r) < t / 2,
        manhattan < r,
        ((abs(u) < t / 2) & (abs(v) < r)) | ((abs(v) < t / 2) & (abs(u) < r)),
        ((a < t / 2) & (b < r)) | ((b < t / 2) & (a < r)),
        (v < 0.7 * r) & (abs(u) < (v + 0.7 * r) / 2),
        (box < 0.8 * r) & (np.floor((v + 1) * 4 / (2 * r)) % 2 == 0),
        (box < 0.8 * r) & (np.floor((u + 1) * 4 / (2 * r)) % 2 == 0),
    ]
    images = np.zeros((n, 28, 28), np.uint8)
    for k, mask in enumerate(shapes):
        images[labels == k] = (np.broadcast_to(mask, (n, 28, 28))[labels == k] * 255).astype(np.uint8)
    return images, labels


@lru_cache(maxsize=2)
def backgrounds(size: int = 160) -> tuple[np.ndarray, ...]:
    """The course's photos (scikit-image), float 0-1, shortest side ``size``; smooth noise without scikit-image."""
    try:
        out = []
        for name in bundled.PHOTOS:
            image = bundled.photo(name)
            w, h = image.size
            out.append(np.asarray(image.resize((round(w * size / min(w, h)), round(h * size / min(w, h)))),
                                  dtype=np.float32) / 255)
        return tuple(out)
    except Exception:  # no scikit-image, or a version without these photos on disk
        rng = np.random.default_rng(0)
        coarse = torch.from_numpy(rng.uniform(0, 1, (6, 3, 12, 12)).astype(np.float32))
        smooth = F.interpolate(coarse, size=(size, size), mode="bicubic", align_corners=False).clamp(0, 1)
        return tuple(smooth.permute(0, 2, 3, 1).numpy())


def render(shapes: np.ndarray, rng: np.random.Generator, photos: tuple[np.ndarray, ...]) -> np.ndarray:
    """Coloured 32x32 pictures (uint8, N x 32 x 32 x 3) of 28x28 white-on-black ``shapes``: each shape is
    rescaled (18-32 px), put at a random place on a random crop of a photo, in a colour that stands out."""
    n = len(shapes)
    masks = np.zeros((n, 32, 32), np.float32)
    sizes = rng.integers(18, 33, n)
    for s in np.unique(sizes):
        group = np.flatnonzero(sizes == s)
        scaled = F.interpolate(torch.from_numpy(shapes[group]).float()[:, None] / 255, size=(int(s), int(s)),
                               mode="bilinear", align_corners=False, antialias=True)[:, 0].clamp(0, 1).numpy()
        oy, ox = rng.integers(0, 33 - s, (2, len(group)))
        for j, i in enumerate(group):
            masks[i, oy[j]:oy[j] + s, ox[j]:ox[j] + s] = scaled[j]
    images = np.empty((n, 32, 32, 3), np.float32)
    which = rng.integers(0, len(photos), n)
    for i in range(n):
        bg = photos[which[i]]
        y, x = rng.integers(0, bg.shape[0] - 31), rng.integers(0, bg.shape[1] - 31)
        images[i] = bg[y:y + 32, x:x + 32]
    images *= rng.uniform(0.3, 1.0, (n, 1, 1, 1)).astype(np.float32)
    dark = images.mean(axis=(1, 2, 3)) < 0.5
    colour = rng.uniform(0, 1, (n, 3)).astype(np.float32)
    colour = np.where(dark[:, None], 0.5 + 0.5 * colour, 0.45 * colour)
    m = masks[..., None]
    images = images * (1 - m) + colour[:, None, None, :] * m
    images += 0.03 * rng.standard_normal(images.shape, dtype=np.float32)
    return np.clip(images * 255 + 0.5, 0, 255).astype(np.uint8)


def pictures(split: str, n: int, seed: int = 0, source: str = "auto") -> Pictures:
    """``n`` pictures of the ``"train"`` or ``"test"`` split; deterministic in ``seed``, and the first
    ``k`` pictures are the same whatever ``n >= k`` is asked for."""
    if split not in _SPLIT_CODE:
        raise ValueError(f"unknown split {split!r}: use 'train' or 'test'")
    train_shapes, train_labels, test_shapes, test_labels, classes, name = silhouettes(source)
    shapes, labels = (train_shapes, train_labels) if split == "train" else (test_shapes, test_labels)
    index = np.arange(n) % len(shapes)  # the bundled splits are class-balanced in every prefix
    images = np.empty((n, 32, 32, 3), np.uint8)
    photos = backgrounds()
    for start in range(0, n, BLOCK):
        # always a whole block (the last one cut afterwards), so that the random draws, and with them
        # the pictures, do not depend on n
        rng = np.random.default_rng([seed, _SPLIT_CODE[split], start // BLOCK])
        block = render(shapes[np.arange(start, start + BLOCK) % len(shapes)], rng, photos)
        images[start:start + BLOCK] = block[:n - start]
    return Pictures(images, labels[index].astype(np.int64), tuple(classes), name)
