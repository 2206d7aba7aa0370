"""Tiny models and losses that watch how training code uses them.

The Day 4 tests hand these to the student's ``train_one_epoch`` / ``evaluate``
and then ask them what happened: was the model in train or eval mode, was
autograd on, was autocast on, and on which device did every batch arrive.
"""

from __future__ import annotations

import contextlib
import warnings
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.amp import autocast_mode
from torch.overrides import TorchFunctionMode


@dataclass
class ForwardCall:
    training: bool
    grad_enabled: bool
    autocast: bool
    device: str
    batch: int


def _autocast_on(device_type: str) -> bool:
    try:
        return torch.is_autocast_enabled(device_type)
    except (TypeError, RuntimeError):  # older torch: no device argument
        return torch.is_autocast_enabled() if device_type == "cuda" else torch.is_autocast_cpu_enabled()


class ProbeNet(nn.Module):
    """A linear classifier (with optional dropout) that records every forward call."""

    def __init__(self, in_features: int = 4, num_classes: int = 3, dropout: float = 0.0, seed: int = 0):
        super().__init__()
        gen = torch.Generator().manual_seed(seed)
        self.fc = nn.Linear(in_features, num_classes)
        with torch.no_grad():
            self.fc.weight.copy_(torch.randn(self.fc.weight.shape, generator=gen))
            self.fc.bias.copy_(torch.randn(self.fc.bias.shape, generator=gen))
        self.drop = nn.Dropout(dropout)
        self.calls: list[ForwardCall] = []

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.calls.append(ForwardCall(self.training, torch.is_grad_enabled(), _autocast_on(x.device.type),
                                      x.device.type, int(x.shape[0])))
        return self.fc(self.drop(x.flatten(1)))


class DeviceProbeNet(ProbeNet):
    """Stands in for a model on another device (e.g. a GPU) on a machine without one.

    ``device`` is the fake device (``meta``): the test says the model lives
    there, and records where each batch arrives. Moving the model is a no-op,
    and its output ignores the input's values, so training still runs on the CPU.
    """

    def _apply(self, fn, recurse=True):
        return self

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.calls.append(ForwardCall(self.training, torch.is_grad_enabled(), False, x.device.type,
                                      int(x.shape[0])))
        return self.fc(torch.ones(x.shape[0], self.fc.in_features))


@contextlib.contextmanager
def meta_stands_in_for_gpu():
    """While a DeviceProbeNet plays a model on ``meta``, let ``torch.autocast(device_type="meta",
    enabled=False)`` work as it would on a GPU (a disabled region), instead of raising."""
    init = autocast_mode.autocast.__init__

    def patched(self, device_type, *args, **kwargs):
        if device_type == "meta":
            device_type, kwargs["enabled"] = "cpu", False
            args = ()
        init(self, device_type, *args, **kwargs)

    autocast_mode.autocast.__init__ = patched
    try:
        yield
    finally:
        autocast_mode.autocast.__init__ = init


class ProbeLoss(nn.Module):
    """A loss that records the device of every target batch (value: mean squared logits)."""

    def __init__(self):
        super().__init__()
        self.target_devices: list[str] = []

    def forward(self, output: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        self.target_devices.append(target.device.type)
        return output.float().pow(2).mean()


def cross_entropy_is(loss_fn) -> bool:
    """True when ``loss_fn`` computes mean cross-entropy on logits."""
    logits = torch.tensor([[2.0, -1.0, 0.5], [0.1, 0.2, 0.3]])
    target = torch.tensor([0, 2])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = loss_fn(logits, target)
    except Exception:
        return False
    return isinstance(value, torch.Tensor) and torch.allclose(value, F.cross_entropy(logits, target))


def _names_meta(value) -> bool:
    """True when ``value`` names the meta device (a torch.device or a string such as "meta")."""
    if isinstance(value, torch.device):
        return value.type == "meta"
    if isinstance(value, str):
        try:
            return torch.device(value).type == "meta"
        except (RuntimeError, ValueError):
            return False
    return False


class _MetaMovesStayOnCpu(TorchFunctionMode):
    """Turns every request for a tensor on ``meta`` (``x.to(device)``, ``torch.zeros(..., device=device)``,
    ...) into a CPU tensor tagged as sent to ``meta``, so that code which must move its data to a device
    runs to the end with real numbers, while a probe sees where the data was sent."""

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = dict(kwargs or {})
        sent = False
        if _names_meta(kwargs.get("device")):
            kwargs["device"], sent = torch.device("cpu"), True
        if func is torch.Tensor.to and any(_names_meta(a) for a in args[1:]):
            args = (args[0],) + tuple(torch.device("cpu") if _names_meta(a) else a for a in args[1:])
            sent = True
        out = func(*args, **kwargs)
        if sent and isinstance(out, torch.Tensor):
            if args and out is args[0]:  # x.to("cpu") returns x itself: tag a new view, never the original
                out = out.view_as(out)
            out._course_device = "meta"
        return out


def arrived_on(x: torch.Tensor) -> str:
    """The device type a batch was sent to: ``meta`` for one sent there under :func:`meta_moves_stay_on_cpu`."""
    return getattr(x, "_course_device", x.device.type)


@contextlib.contextmanager
def meta_moves_stay_on_cpu():
    """Let code told that its model lives on ``torch.device("meta")`` (standing in for a GPU) run on the CPU
    with real numbers: the tensors it sends to ``meta`` stay on the CPU but remember where they were sent
    (:func:`arrived_on`), and ``torch.autocast(device_type="meta")`` is a disabled region. Use it with
    :class:`ArrivalProbeNet`, which records where each batch arrived."""
    with meta_stands_in_for_gpu(), _MetaMovesStayOnCpu():
        yield


class ArrivalProbeNet(ProbeNet):
    """A ProbeNet playing a model on another device (``meta``, standing in for a GPU): moving it is a no-op,
    and each recorded call says where its batch arrived (see :func:`meta_moves_stay_on_cpu`). Unlike
    :class:`DeviceProbeNet` its outputs are computed from the batch, so an accuracy stays checkable."""

    def _apply(self, fn, recurse=True):
        return self

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.calls.append(ForwardCall(self.training, torch.is_grad_enabled(), _autocast_on("cpu"), arrived_on(x),
                                      int(x.shape[0])))
        return self.fc(self.drop(x.flatten(1)))


class PlacementProbeNet(ProbeNet):
    """A ProbeNet that records where it was asked to move (``model.to(device)``, ``.cuda()``, ``.cpu()``)
    without moving, so that a test can ask for a device this machine does not have (``cuda`` on a CPU)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.placed: list[str] = []

    def to(self, *args, **kwargs):
        device = torch._C._nn._parse_to(*args, **kwargs)[0]
        if device is not None:
            self.placed.append(device.type)
        return self

    def cuda(self, device=None):
        self.placed.append("cuda")
        return self

    def cpu(self):
        self.placed.append("cpu")
        return self
