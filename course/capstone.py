"""Capstone: a fast CIFAR-10 training recipe on one GPU.

The recipe follows two public CIFAR-10 speed runs, which both build on David
Page's "How to train your ResNet" (myrtle.ai, 2018):

- hlb-CIFAR10 by tysam-code (https://github.com/tysam-code/hlb-CIFAR10);
- airbench by Keller Jordan (https://github.com/KellerJordan/cifar10-airbench,
  paper "94% on CIFAR-10 in 3.29 Seconds on a Single GPU", arXiv:2404.00498).

The ideas taken from them (the code here is written from scratch):

1. A small VGG-style net: a frozen 2x2 *patch-whitening* convolution (its filters
   are the eigenvectors of the covariance of 2x2 training patches, scaled by
   1/sqrt(eigenvalue), each with both signs), then three blocks of
   conv -> max-pool -> BatchNorm -> GELU -> conv -> BatchNorm -> GELU (widths
   64/256/256; pooling before the BatchNorm halves its cost), a global max-pool
   and a linear layer whose logits are scaled down (x 1/8).
2. The data pipeline on the GPU: the training set sits on the device as one
   tensor, and each batch is mirrored and translated (reflect padding 2, random
   32x32 crop) there, in one indexing operation; no DataLoader.
3. Label smoothing 0.2, SGD with Nesterov momentum 0.9, weight decay on the
   weights only, and a triangular learning-rate schedule (linear warm-up over
   the first 20% of the steps, then linear decay to zero).
4. Test-time augmentation: the logits of each image and of its mirror image are
   averaged.
5. Speed: autocast mixed precision (bfloat16; float16 with a GradScaler),
   channels_last memory format for the model *and* its inputs, and optionally
   torch.compile.

Not taken: airbench's lookahead (weight averaging), alternating flips, the
schedule of the whitening bias and its decoupled hyperparameters, so this
recipe needs more epochs than airbench94's 9.9 for the same accuracy.

    model, stats = train(images, labels, epochs=10, batch_size=512, device="cuda")
    accuracy = evaluate(model, test_images, test_labels, tta=True)

``images`` are ``(N, 3, 32, 32)`` tensors, uint8 (0-255) or float (0-1).
:func:`load_cifar10` gives CIFAR-10 as the course's data switch says
(``COURSE_DATA``, :mod:`course.data`): the real one on Colab, the offline
CIFAR-shaped stand-in elsewhere; :func:`cifar_like_from_bundled` makes that
stand-in directly from the images the course bundles (:mod:`course.cifar_like`).
The lesson ``lessons/capstone_cifar10.ipynb`` walks through the recipe. On the
command line: ``python -m course.capstone --help``.
"""

from __future__ import annotations

import time
from typing import NamedTuple

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from . import cifar_like

WIDTHS = (64, 256, 256)
CIFAR10_CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
SHAPE_CLASSES = cifar_like.SHAPE_CLASSES  # the classes of the drawn shapes (no package needed)


# ---------------------------------------------------------------------------
# the network
# ---------------------------------------------------------------------------

class Normalize(nn.Module):
    """Per-channel ``(x - mean) / std``; :func:`train` sets the statistics from the training images."""

    def __init__(self, channels: int = 3):
        super().__init__()
        self.register_buffer("mean", torch.full((1, channels, 1, 1), 0.5))
        self.register_buffer("std", torch.full((1, channels, 1, 1), 0.25))

    def forward(self, x):
        return (x - self.mean) / self.std


class Block(nn.Sequential):
    def __init__(self, c_in: int, c_out: int):
        super().__init__(
            nn.Conv2d(c_in, c_out, 3, padding=1, bias=False),
            nn.MaxPool2d(2),
            nn.BatchNorm2d(c_out),
            nn.GELU(),
            nn.Conv2d(c_out, c_out, 3, padding=1, bias=False),
            nn.BatchNorm2d(c_out),
            nn.GELU(),
        )


class CapstoneNet(nn.Module):
    """Whitening stem, three conv blocks, global max-pool, scaled linear head.

    Takes ``(B, 3, 32, 32)`` float images in [0, 1] (it normalizes them itself).
    """

    def __init__(self, widths: tuple[int, int, int] = WIDTHS, num_classes: int = 10,
                 whiten_kernel: int = 2, logit_scale: float = 1 / 8):
        super().__init__()
        self.normalize = Normalize(3)
        # 2 * 3 * k * k filters: every whitened direction once with each sign, so
        # that the GELU after it does not throw half of the information away
        self.whiten = nn.Conv2d(3, 2 * 3 * whiten_kernel ** 2, whiten_kernel, padding=0, bias=True)
        c = self.whiten.out_channels
        self.blocks = nn.Sequential(*[Block(a, b) for a, b in zip((c, *widths[:-1]), widths)])
        self.head = nn.Linear(widths[-1], num_classes, bias=False)
        self.logit_scale = logit_scale

    def forward(self, x):
        x = F.gelu(self.whiten(self.normalize(x)))
        x = self.blocks(x)
        x = torch.amax(x, dim=(2, 3))
        return self.head(x) * self.logit_scale


def make_net(width: float = 1.0, widths: tuple[int, int, int] | None = None, num_classes: int = 10) -> CapstoneNet:
    """The capstone net; ``width`` scales the default widths 64/256/256 (0.25 gives 16/64/64)."""
    if widths is None:
        widths = tuple(max(8, round(w * width)) for w in WIDTHS)
    return CapstoneNet(widths, num_classes)


def whitening_filters(images: torch.Tensor, kernel: int = 2, eps: float = 5e-4) -> torch.Tensor:
    """Filters that whiten the ``kernel x kernel`` patches of normalized ``images`` (N, C, H, W).

    Returns ``2 * C * kernel**2`` filters: the eigenvectors of the patches'
    (uncentred: the images are normalized) covariance divided by
    sqrt(eigenvalue + eps), followed by their negatives.
    """
    x = images.float()
    c = x.shape[1]
    patches = x.unfold(2, kernel, 1).unfold(3, kernel, 1)                 # N, C, H', W', k, k
    patches = patches.permute(0, 2, 3, 1, 4, 5).reshape(-1, c * kernel * kernel)  # rows in (C, kh, kw) order
    covariance = patches.T @ patches / len(patches)
    eigenvalues, eigenvectors = torch.linalg.eigh(covariance)
    filters = (eigenvectors.T / (eigenvalues + eps).sqrt()[:, None]).reshape(-1, c, kernel, kernel)
    return torch.cat([filters, -filters])


@torch.no_grad()
def init_whitening(model: CapstoneNet, images: torch.Tensor) -> None:
    """Set the whitening convolution from ``images`` (float, 0-1, on the model's device) and freeze its weights."""
    k = model.whiten.kernel_size[0]
    filters = whitening_filters(model.normalize(images.float()), kernel=k)
    model.whiten.weight.copy_(filters)
    model.whiten.weight.requires_grad_(False)


# ---------------------------------------------------------------------------
# data on the device
# ---------------------------------------------------------------------------

def to_float(images: torch.Tensor) -> torch.Tensor:
    """uint8 0-255 -> float32 0-1; float images are returned as float32."""
    if images.dtype == torch.uint8:
        return images.float().div_(255)
    return images.float()


def augment(images: torch.Tensor, pad: int = 2, flip: bool = True) -> torch.Tensor:
    """Random mirror and random translation by up to ``pad`` pixels of every image, on their device.

    ``images`` is a float batch (B, C, H, W); the translation reflect-pads and
    crops back to H x W. Both are done by one gather, with the mirror folded
    into the column index.
    """
    n, c, h, w = images.shape
    device = images.device
    source = F.pad(images, (pad,) * 4, mode="reflect") if pad > 0 else images
    dy = torch.randint(0, 2 * pad + 1, (n, 1, 1, 1), device=device)
    dx = torch.randint(0, 2 * pad + 1, (n, 1, 1, 1), device=device)
    rows = dy + torch.arange(h, device=device).view(1, 1, h, 1)
    cols = torch.arange(w, device=device).view(1, 1, 1, w).expand(n, 1, 1, w)
    if flip:
        mirrored = torch.rand(n, 1, 1, 1, device=device) < 0.5
        cols = torch.where(mirrored, w - 1 - cols, cols)
    cols = dx + cols
    batch = torch.arange(n, device=device).view(n, 1, 1, 1)
    channel = torch.arange(c, device=device).view(1, c, 1, 1)
    return source[batch, channel, rows, cols]


def _layout(x: torch.Tensor, channels_last: bool) -> torch.Tensor:
    return x.contiguous(memory_format=torch.channels_last if channels_last else torch.contiguous_format)


def uses_channels_last(model: nn.Module) -> bool:
    """True when the model's 4-d weights are stored channels_last (judged on one whose layout tells)."""
    for p in model.parameters():
        if p.dim() == 4 and p.shape[1] > 1 and p.shape[2] * p.shape[3] > 1:
            return p.is_contiguous(memory_format=torch.channels_last) and not p.is_contiguous()
    return False


# ---------------------------------------------------------------------------
# training and evaluation
# ---------------------------------------------------------------------------

def lr_schedule(total_steps: int, warmup: float = 0.2, start: float = 0.1) -> np.ndarray:
    """Multiplier of the peak learning rate at each step: ``start`` -> 1 linearly over the first
    ``warmup`` of the steps, then linearly to 0 at the end."""
    peak = max(1, round(warmup * total_steps))
    return np.interp(np.arange(total_steps) + 1, [0, peak, total_steps + 1], [start, 1.0, 0.0])


def _device(device) -> torch.device:
    if device is None:
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(device)


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def train(images: torch.Tensor, labels: torch.Tensor, epochs: int = 10, batch_size: int = 512, device=None,
          amp: bool = True, channels_last: bool = True, compile: bool = False, seed: int = 0, *,
          width: float = 1.0, lr: float | None = None, momentum: float = 0.9, weight_decay: float = 5e-4,
          label_smoothing: float = 0.2, warmup: float = 0.2, translate: int = 2, whiten: bool = True,
          amp_dtype: torch.dtype = torch.bfloat16, test_images: torch.Tensor | None = None,
          test_labels: torch.Tensor | None = None, verbose: bool = False) -> tuple[CapstoneNet, dict]:
    """Train the capstone net on ``images`` (N, 3, 32, 32) and ``labels`` (N,) with the recipe above.

    ``device`` defaults to CUDA when present. ``amp`` runs forward and loss under
    ``torch.autocast`` with ``amp_dtype`` (float16 adds a GradScaler);
    ``channels_last`` stores the weights and every input batch channels_last;
    ``compile`` trains through ``torch.compile(model)`` (the first epoch's time
    then includes compiling). ``lr`` is the peak learning rate, by default
    0.4 x batch_size / 512. The last incomplete batch of each epoch is dropped.
    Returns the model (eval mode, on ``device``) and ``stats``: seconds and mean
    training loss per epoch, images per second, and the test accuracy after each
    epoch when ``test_images`` are given (not counted in the times).
    """
    device = _device(device)
    if images.dim() != 4 or images.shape[1] != 3:
        raise ValueError(f"images should be (N, 3, H, W), got {tuple(images.shape)}")
    if len(images) != len(labels):
        raise ValueError(f"{len(images)} images but {len(labels)} labels")
    torch.manual_seed(seed)
    x_train = to_float(images.to(device))
    y_train = labels.to(device=device, dtype=torch.long)
    n = len(x_train)
    batch_size = min(batch_size, n)
    steps_per_epoch = n // batch_size
    total_steps = steps_per_epoch * epochs
    lr = 0.4 * batch_size / 512 if lr is None else lr

    model = make_net(width, num_classes=max(10, int(y_train.max()) + 1)).to(device)
    with torch.no_grad():
        model.normalize.mean.copy_(x_train.mean(dim=(0, 2, 3)).view(1, 3, 1, 1))
        model.normalize.std.copy_(x_train.std(dim=(0, 2, 3)).view(1, 3, 1, 1))
    if whiten:
        init_whitening(model, x_train[:5000])
    if channels_last:
        model = model.to(memory_format=torch.channels_last)

    trainable = [(name, p) for name, p in model.named_parameters() if p.requires_grad]
    optimizer = torch.optim.SGD(
        [{"params": [p for _, p in trainable if p.dim() > 1], "weight_decay": weight_decay},
         {"params": [p for _, p in trainable if p.dim() <= 1], "weight_decay": 0.0}],
        lr=lr, momentum=momentum, nesterov=True)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=label_smoothing)
    scaler = torch.amp.GradScaler(device.type, enabled=amp and amp_dtype == torch.float16)
    schedule = lr_schedule(total_steps, warmup)
    step_model = torch.compile(model) if compile else model

    stats: dict = {"device": str(device), "epochs": epochs, "batch_size": batch_size, "steps": total_steps,
                   "peak_lr": lr, "amp": str(amp_dtype).replace("torch.", "") if amp else None,
                   "channels_last": channels_last, "compiled": compile, "whitened": whiten,
                   "epoch_seconds": [], "train_loss": [], "test_accuracy": [], "test_accuracy_tta": []}
    step = 0
    for epoch in range(epochs):
        model.train()
        _sync(device)
        start = time.perf_counter()
        loss_sum = torch.zeros((), device=device)
        order = torch.randperm(n, device=device)
        for i in range(steps_per_epoch):
            index = order[i * batch_size:(i + 1) * batch_size]
            inputs = _layout(augment(x_train[index], pad=translate), channels_last)
            for group in optimizer.param_groups:
                group["lr"] = lr * float(schedule[step])
            with torch.autocast(device_type=device.type, dtype=amp_dtype, enabled=amp):
                loss = loss_fn(step_model(inputs), y_train[index])
            optimizer.zero_grad(set_to_none=True)
            scaler.scale(loss).backward()
            scaler.step(optimizer)
            scaler.update()
            loss_sum += loss.detach().float()
            step += 1
        _sync(device)
        stats["epoch_seconds"].append(time.perf_counter() - start)
        stats["train_loss"].append(loss_sum.item() / max(1, steps_per_epoch))
        if test_images is not None:
            stats["test_accuracy"].append(evaluate(model, test_images, test_labels, tta=False))
            stats["test_accuracy_tta"].append(evaluate(model, test_images, test_labels, tta=True))
        if verbose:
            tail = (f"  test {stats['test_accuracy'][-1]:.4f} (TTA {stats['test_accuracy_tta'][-1]:.4f})"
                    if test_images is not None else "")
            print(f"epoch {epoch + 1}/{epochs}: {stats['epoch_seconds'][-1]:.2f} s, "
                  f"loss {stats['train_loss'][-1]:.4f}{tail}", flush=True)
    seconds = sum(stats["epoch_seconds"])
    stats["train_seconds"] = seconds
    stats["images_per_second"] = total_steps * batch_size / seconds if seconds > 0 else None
    model.eval()
    return model, stats


@torch.no_grad()
def predict_logits(model: nn.Module, images: torch.Tensor, tta: bool = True, batch_size: int = 1000,
                   amp: bool = False, amp_dtype: torch.dtype = torch.bfloat16) -> torch.Tensor:
    """Float32 logits of ``images`` in eval mode, in batches, on the model's device; with ``tta``
    the mean of the logits of each image and of its mirror image."""
    device = next(model.parameters()).device
    channels_last = uses_channels_last(model)
    was_training = model.training
    model.eval()
    out = []
    try:
        for chunk in images.split(batch_size):
            x = to_float(chunk.to(device))
            with torch.autocast(device_type=device.type, dtype=amp_dtype, enabled=amp):
                logits = model(_layout(x, channels_last)).float()
                if tta:
                    logits = (logits + model(_layout(x.flip(-1), channels_last)).float()) / 2
            out.append(logits)
    finally:
        model.train(was_training)
    return torch.cat(out)


def evaluate(model: nn.Module, images: torch.Tensor, labels: torch.Tensor, tta: bool = True,
             batch_size: int = 1000, amp: bool = False) -> float:
    """Accuracy of ``model`` on ``images`` (uint8 or float 0-1) with optional mirror test-time augmentation."""
    logits = predict_logits(model, images, tta=tta, batch_size=batch_size, amp=amp)
    return (logits.argmax(1).cpu() == labels.cpu()).float().mean().item()


# ---------------------------------------------------------------------------
# data
# ---------------------------------------------------------------------------

class ImageSet(NamedTuple):
    train_images: torch.Tensor  # uint8 (N, 3, 32, 32)
    train_labels: torch.Tensor  # int64 (N,)
    test_images: torch.Tensor
    test_labels: torch.Tensor
    classes: tuple[str, ...]
    source: str


def images_and_labels(dataset) -> tuple[torch.Tensor, torch.Tensor]:
    """uint8 ``(N, 3, 32, 32)`` images and int64 labels of a CIFAR10-like dataset (torchvision's, or
    :func:`course.data.offline_cifar10`): its ``.data`` is ``(N, 32, 32, 3)``, channels last."""
    images = torch.from_numpy(np.asarray(dataset.data)).permute(0, 3, 1, 2).contiguous()
    return images, torch.as_tensor(dataset.targets, dtype=torch.long)


def load_cifar10(root=None, download: bool | None = None, n_train: int | None = None,
                 n_test: int | None = None) -> ImageSet:
    """CIFAR-10 through :func:`course.data.cifar10`, which follows the course's data switch
    (``COURSE_DATA``): torchvision's real CIFAR-10 (downloaded on Colab, or already on disk), else
    the offline CIFAR-shaped stand-in, whose ``source`` then says so. ``n_train`` / ``n_test`` keep
    the first images of each split."""
    from . import data

    sets = [data.cifar10(train=t, root=root, download=download, limit=n)
            for t, n in ((True, n_train), (False, n_test))]
    (train_images, train_labels), (test_images, test_labels) = (images_and_labels(s) for s in sets)
    return ImageSet(train_images, train_labels, test_images, test_labels, tuple(sets[0].classes),
                    getattr(sets[0], "source", "cifar10"))


def cifar_like_from_bundled(n_train: int = 10000, n_test: int = 2000, seed: int = 0,
                            source: str = "auto") -> ImageSet:
    """CIFAR-shaped data made offline: uint8 (N, 3, 32, 32) images in 10 classes (:mod:`course.cifar_like`).

    The classes are the shapes of the course's bundled 28x28 silhouettes
    (``source="animals"``, the default where installed; then ``"digits"``;
    ``"shapes"``, drawn here, when neither package is there). Each image is a
    silhouette rescaled to 18-32 pixels, placed at random on a random crop of
    one of the course's photos (dimmed at random), filled with a random colour
    that contrasts with it, plus noise: colour and background carry no class
    information. Train and test images come from disjoint sets of silhouettes
    (the bundled "train" and "val" splits), repeated with new colours, places
    and backgrounds when more images are asked for. Deterministic in ``seed``.
    This is not CIFAR-10: accuracies on it say nothing about the 94% target.
    """
    train = cifar_like.pictures("train", n_train, seed=seed, source=source)
    test = cifar_like.pictures("test", n_test, seed=seed, source=source)
    out = []
    for part in (train, test):
        out.append(torch.from_numpy(part.images).permute(0, 3, 1, 2).contiguous())
        out.append(torch.from_numpy(part.labels))
    return ImageSet(*out, train.classes, train.source)


def main(argv=None) -> None:
    import argparse

    ap = argparse.ArgumentParser(description="Train the capstone recipe and report test accuracy.")
    ap.add_argument("--data", choices=("cifar10", "bundled"), default="bundled",
                    help="cifar10: as COURSE_DATA says (real CIFAR-10 on Colab or on disk, else the offline "
                         "stand-in); bundled: the offline stand-in")
    ap.add_argument("--root", default=None, help="CIFAR-10 folder (default ~/.cache/course/cifar10)")
    ap.add_argument("--download", action="store_true",
                    help="download CIFAR-10 (needs internet and COURSE_DATA=download, the default on Colab)")
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--batch-size", type=int, default=512)
    ap.add_argument("--width", type=float, default=1.0)
    ap.add_argument("--device", default=None)
    ap.add_argument("--n-train", type=int, default=10000, help="bundled data: training images")
    ap.add_argument("--n-test", type=int, default=2000, help="bundled data: test images")
    ap.add_argument("--no-amp", action="store_true", help="no autocast (it is used on CUDA only)")
    ap.add_argument("--no-channels-last", action="store_true")
    ap.add_argument("--compile", action="store_true")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    data = (load_cifar10(args.root, True if args.download else None) if args.data == "cifar10"
            else cifar_like_from_bundled(args.n_train, args.n_test, seed=args.seed))
    print(f"{data.source}: {len(data.train_images)} training and {len(data.test_images)} test images")
    device = _device(args.device)
    model, stats = train(data.train_images, data.train_labels, args.epochs, args.batch_size, device,
                         amp=not args.no_amp and device.type == "cuda", channels_last=not args.no_channels_last, compile=args.compile,
                         seed=args.seed, width=args.width, test_images=data.test_images,
                         test_labels=data.test_labels, verbose=True)
    print(f"{stats['train_seconds']:.2f} s of training, {stats['images_per_second']:.0f} images/s; "
          f"test accuracy {stats['test_accuracy'][-1]:.4f}, with mirror TTA {stats['test_accuracy_tta'][-1]:.4f}")


if __name__ == "__main__":
    main()
