"""course.data: real images offline, fixed splits, a held-out split the notebooks do not get."""

import csv
import hashlib
import sys
import time
import types

import numpy as np
import pytest
import torch
from PIL import Image
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

from course import bundled, data
from course.errors import CourseError


@pytest.mark.parametrize("name, sizes", [("animals", (7000, 1500, 1500)), ("digits", (3500, 750, 750))])
def test_splits_are_disjoint_stratified_and_complete(name, sizes):
    idx = data.split_indices(name)
    assert tuple(len(idx[s]) for s in data.SPLITS) == sizes
    together = np.concatenate([idx[s] for s in data.SPLITS])
    assert len(np.unique(together)) == len(together) == sum(sizes), "splits overlap or lose images"
    labels = bundled._source(name).labels
    for split in data.SPLITS:
        counts = np.bincount(labels[idx[split]], minlength=10)
        assert counts.max() - counts.min() <= 1, f"{name}/{split} is not class-balanced: {counts}"
    first = np.bincount(labels[idx["train"][:100]], minlength=10)
    assert first.min() >= 4, f"a prefix of {name}/train should hold every class: {first}"


def test_splits_never_change():
    # the graded training run is scored on the held-out split: it must be the same everywhere
    digest = hashlib.sha256(data.split_indices("animals")["test"].tobytes()).hexdigest()[:16]
    assert digest == "d9747385398b356a", f"the held-out split changed ({digest}): grading results would change with it"


def test_dataset_items_work_with_transforms_and_dataloader():
    ds = data.dataset("animals", "val", transform=transforms.ToTensor(), limit=10)
    x, y = ds[0]
    assert x.shape == (1, 28, 28) and x.dtype == torch.float32 and 0 <= x.min() and x.max() <= 1
    assert type(y) is int and ds.classes[y] in data.ANIMAL_CLASSES
    xb, yb = next(iter(DataLoader(ds, batch_size=4)))
    assert xb.shape == (4, 1, 28, 28) and yb.dtype == torch.int64
    image, _ = data.dataset("digits", "train", limit=1)[0]
    assert isinstance(image, Image.Image) and image.size == (28, 28) and image.mode == "L"


def test_the_held_out_split_is_refused_to_notebooks():
    with pytest.raises(CourseError, match="kept for grading"):
        data.dataset("animals", "test")
    assert len(data.heldout("animals")) == 1500


@pytest.mark.parametrize("kwargs, message", [
    ({"name": "imagenet"}, "unknown dataset 'imagenet'"),
    ({"name": "animals", "split": "training"}, "unknown split 'training'"),
])
def test_bad_arguments_are_clear_errors(kwargs, message):
    with pytest.raises(CourseError, match=message):
        data.dataset(**kwargs)


# ---------------------------------------------------------------------------
# the data source switch: COURSE_DATA = auto | download | offline, or data.use_source()
# ---------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def default_source(monkeypatch):
    """Every test starts from the default (no COURSE_DATA, no use_source(), not Colab) and leaves it so."""
    monkeypatch.delenv(data.ENV_VAR, raising=False)
    monkeypatch.setattr(data, "_chosen", None)
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)


@pytest.fixture
def on_colab(monkeypatch):
    monkeypatch.setitem(sys.modules, "google", sys.modules.get("google") or types.ModuleType("google"))
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))


def test_the_default_is_auto_and_auto_is_offline_off_colab():
    assert data.source_setting() == "auto" and data.data_source() == "offline"
    assert not data.on_colab()


def test_auto_downloads_on_colab(on_colab, monkeypatch):
    assert data.on_colab() and data.data_source() == "download"
    monkeypatch.setenv("COURSE_DATA", "offline")
    assert data.data_source() == "offline", "an explicit setting wins over Colab's auto"


@pytest.mark.parametrize("value, expected", [("download", "download"), ("offline", "offline"), ("auto", "offline"),
                                             (" Download ", "download"), ("", "offline")])
def test_the_environment_variable(monkeypatch, value, expected):
    monkeypatch.setenv("COURSE_DATA", value)
    assert data.data_source() == expected


def test_use_source_overrides_the_variable_until_reset(monkeypatch):
    monkeypatch.setenv("COURSE_DATA", "offline")
    assert data.use_source("download") == "download" and data.data_source() == "download"
    assert data.source_setting() == "download"
    assert data.use_source("auto") == "offline"
    assert data.use_source(None) == "offline" and data.source_setting() == "offline"  # back to the variable


@pytest.mark.parametrize("setter", ["env", "function"])
def test_a_bad_value_is_a_clear_value_error(monkeypatch, setter):
    if setter == "env":
        monkeypatch.setenv("COURSE_DATA", "internet")
        with pytest.raises(ValueError, match=r"COURSE_DATA = 'internet' is not a data source: use 'auto'.*"
                                             r"'download' or 'offline'"):
            data.data_source()
        with pytest.raises(ValueError, match="COURSE_DATA"):
            data.dataset("digits", "train")  # every loader reads the switch, so none goes on with a typo
    else:
        with pytest.raises(ValueError, match=r"use_source\(\) = 'web' is not a data source: use 'auto'.*"
                                             r"'download' or 'offline'"):
            data.use_source("web")
        assert data.source_setting() == "auto", "a refused value must not change the setting"


@pytest.fixture
def no_network(monkeypatch):
    """Any download or connection attempt raises; so does constructing torchvision's MNIST or CIFAR10."""
    import socket
    import urllib.request

    import torchvision.datasets as tv
    import torchvision.datasets.cifar
    import torchvision.datasets.mnist
    import torchvision.datasets.utils

    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError(f"network or torchvision loader used in offline mode: {args!r:.200}")

    for module, names in ((torchvision.datasets.utils, ("download_url", "download_and_extract_archive",
                                                       "download_file_from_google_drive")),
                          (torchvision.datasets.mnist, ("download_and_extract_archive",)),
                          (torchvision.datasets.cifar, ("download_and_extract_archive",)),
                          (urllib.request, ("urlopen", "urlretrieve")),
                          (socket, ("create_connection", "getaddrinfo")),
                          (tv, ("MNIST", "CIFAR10"))):
        for name in names:
            if hasattr(module, name):
                monkeypatch.setattr(module, name, refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


@pytest.mark.parametrize("how", ["offline", "auto off Colab"])
def test_offline_never_touches_the_network(no_network, monkeypatch, tmp_path, how):
    if how == "offline":
        monkeypatch.setenv("COURSE_DATA", "offline")
    start = time.perf_counter()
    digits = data.dataset("digits", "train")
    assert len(digits) == 3500 and digits.source == "digits", "offline digits are the bundled 5,000"
    cifar = data.dataset("cifar10", "train", root=tmp_path, limit=30)
    test = data.cifar10(train=False, root=tmp_path, limit=20)
    assert not data.cifar10_available(tmp_path)
    for ds, n in ((cifar, 30), (test, 20)):
        assert type(ds) is data.ImageArrayDataset and len(ds) == n and "not CIFAR-10" in ds.source
        assert ds.data.shape == (n, 32, 32, 3) and ds.data.dtype == np.uint8 and len(ds.classes) == 10
        image, label = ds[0]
        assert isinstance(image, Image.Image) and image.mode == "RGB" and image.size == (32, 32)
        assert type(label) is int
    with pytest.raises(CourseError, match="download=True needs the internet.*COURSE_DATA=download"):
        data.dataset("cifar10", "train", root=tmp_path, download=True)
    with pytest.raises(CourseError, match="download=True needs the internet"):
        data.dataset("digits", "train", download=True)
    assert no_network == [] and time.perf_counter() - start < 20, "it must not wait for the network"


def test_offline_cifar10_is_deterministic_and_a_prefix_of_itself():
    short = data.offline_cifar10(train=True, limit=50)
    longer = data.offline_cifar10(train=True, limit=600)  # crosses a block of the generator
    assert np.array_equal(short.data, longer.data[:50]) and short.targets == longer.targets[:50]
    assert np.bincount(longer.targets, minlength=10).tolist() == [60] * 10
    test = data.offline_cifar10(train=False, limit=50)
    assert not np.array_equal(test.data, short.data)
    tensors = DataLoader(data.dataset("cifar10", "val", transform=transforms.ToTensor(), limit=8,
                                      root="/nonexistent"), batch_size=8)
    xb, yb = next(iter(tensors))
    assert xb.shape == (8, 3, 32, 32) and yb.dtype == torch.int64


class _FakeTorchvision:
    """Stands in for a torchvision dataset class and records how it was called (nothing is downloaded)."""

    calls: list = []

    def __init__(self, root, train=True, transform=None, target_transform=None, download=False):
        self.calls.append({"root": root, "train": train, "download": download, "transform": transform})
        self.transform, self.target_transform = transform, target_transform


class FakeMNIST(_FakeTorchvision):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        g = torch.Generator().manual_seed(0)
        self.targets = torch.arange(600) % 10                       # 60 per class
        self.data = torch.randint(0, 256, (600, 28, 28), generator=g, dtype=torch.uint8)


class FakeCIFAR10(_FakeTorchvision):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.data = np.zeros((40, 32, 32, 3), np.uint8)
        self.targets = [i % 10 for i in range(40)]
        self.classes = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]


@pytest.fixture
def fake_torchvision(monkeypatch):
    import torchvision.datasets as tv

    FakeMNIST.calls, FakeCIFAR10.calls = [], []
    monkeypatch.setattr(tv, "MNIST", FakeMNIST)
    monkeypatch.setattr(tv, "CIFAR10", FakeCIFAR10)
    return FakeMNIST.calls, FakeCIFAR10.calls


@pytest.mark.parametrize("how", ["COURSE_DATA=download", "use_source", "auto on Colab"])
def test_download_mode_calls_torchvision_with_download_true(fake_torchvision, monkeypatch, request, how):
    mnist_calls, cifar_calls = fake_torchvision
    if how == "COURSE_DATA=download":
        monkeypatch.setenv("COURSE_DATA", "download")
    elif how == "use_source":
        data.use_source("download")
    else:
        request.getfixturevalue("on_colab")

    train = data.dataset("digits", "train")
    val = data.dataset("digits", "val", limit=20)
    assert mnist_calls == [{"root": str(data.MNIST_ROOT), "train": True, "download": True, "transform": None}] * 2
    assert len(train) == 500 and len(val) == 20 and train.source == "torchvision MNIST"
    assert np.bincount(train.targets, minlength=10).tolist() == [50] * 10, "a stratified split of MNIST's train set"
    full_val = data.dataset("digits", "val")
    assert len(full_val) == 100 and full_val.targets[:20] == val.targets
    assert not set(map(bytes, train.images)) & set(map(bytes, full_val.images)), "train and val overlap"
    image, label = train[0]
    assert isinstance(image, Image.Image) and image.mode == "L" and image.size == (28, 28) and type(label) is int
    with pytest.raises(CourseError, match="kept for grading"):
        data.dataset("digits", "test")
    assert len(data.heldout("digits")) == 750, "the graders' held-out split stays the bundled one"
    assert len(data.dataset("animals", "val")) == 1500, "the animals are the same everywhere"

    to_tensor = transforms.ToTensor()
    cifar = data.dataset("cifar10", "val", transform=to_tensor, root="/somewhere", limit=12)
    assert cifar_calls == [{"root": "/somewhere", "train": False, "download": True, "transform": to_tensor}]
    assert type(cifar) is FakeCIFAR10 and len(cifar.data) == len(cifar.targets) == 12
    data.cifar10(train=True)
    assert cifar_calls[-1] == {"root": str(data.CIFAR10_ROOT), "train": True, "download": True, "transform": None}
    # download=False never downloads: the bundled digits, and the stand-in where CIFAR-10 is not on disk
    assert data.dataset("digits", "train", download=False).source == "digits"
    assert "not CIFAR-10" in data.cifar10(root="/nonexistent", download=False, limit=5).source
    assert len(mnist_calls) == 3 and len(cifar_calls) == 2


def test_offline_mode_reads_cifar10_files_already_on_disk(fake_torchvision, tmp_path):
    _, cifar_calls = fake_torchvision
    (tmp_path / "cifar-10-batches-py").mkdir()
    ds = data.cifar10(train=True, root=tmp_path)
    assert type(ds) is FakeCIFAR10 and cifar_calls == [{"root": str(tmp_path), "train": True, "download": False,
                                                        "transform": None}]



def test_lessons_show_real_cifar10_where_it_is_on_disk_or_downloaded(tmp_path):
    """data.real_cifar10(): what the lessons of Days 2-4 test before showing CIFAR-10 (never the stand-in)."""
    assert not data.real_cifar10(tmp_path), "offline without the files there is no real CIFAR-10"
    (tmp_path / "cifar-10-batches-py").mkdir()
    assert data.real_cifar10(tmp_path)
    data.use_source("download")
    assert data.real_cifar10(tmp_path / "empty"), "on Colab (download) CIFAR-10 is fetched when missing"


def test_photos():
    assert data.photo("chelsea").mode == "RGB"
    assert data.photo("camera", size=32, gray=True).size == (32, 32)
    with pytest.raises(CourseError, match="unknown photo 'lena'"):
        data.photo("lena")


def test_csv_image_folder_is_deterministic(tmp_path):
    first = data.write_image_folder(tmp_path / "a", per_class=2)
    second = data.write_image_folder(tmp_path / "b", per_class=2)
    assert first.read_text() == second.read_text()
    rows = list(csv.DictReader(first.open()))
    assert len(rows) == 20 and set(rows[0]) == {"filename", "label"}
    assert {r["label"] for r in rows} == set(data.ANIMAL_CLASSES)
    image = Image.open(tmp_path / "a" / "images" / rows[0]["filename"])
    assert image.mode == "RGB" and image.size == (28, 28)


def test_imagefolder_layout_loads_with_torchvision(tmp_path):
    root = data.write_image_folder(tmp_path, per_class=3, classes=("cat", "dog"), layout="imagefolder")
    folder = datasets.ImageFolder(str(root), transform=transforms.ToTensor())
    assert folder.classes == ["cat", "dog"] and len(folder) == 6
    assert folder[0][0].shape == (3, 28, 28)
    with pytest.raises(CourseError, match="no class 'unicorn'"):
        data.write_image_folder(tmp_path / "x", classes=("unicorn",))
