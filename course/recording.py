"""Record what training code did, so that a test can check it afterwards.

The graded training run of Day 4 must, on a machine with CUDA, train on the GPU
with mixed precision.  A locked cell before the student's training cell starts
a :class:`TrainingRecorder`; the hidden test reads it after the training:
which autocast regions were entered (device type and dtype) and how many
optimizer steps went through a ``GradScaler``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import torch
from torch.amp import autocast_mode, grad_scaler

_current: "TrainingRecorder | None" = None


@dataclass
class TrainingRecorder:
    autocast: Counter = field(default_factory=Counter)  # (device_type, dtype name) -> regions entered
    scaler_steps: int = 0
    _originals: dict = field(default_factory=dict, repr=False)

    def used_autocast(self, device_type: str) -> bool:
        return any(dev == device_type for dev, _ in self.autocast)

    def summary(self) -> str:
        regions = ", ".join(f"{dev}/{dtype} x{n}" for (dev, dtype), n in self.autocast.items()) or "none"
        return f"autocast regions: {regions}; GradScaler steps: {self.scaler_steps}"

    def start(self) -> "TrainingRecorder":
        enter = autocast_mode.autocast.__enter__
        step = grad_scaler.GradScaler.step
        recorder = self

        def recording_enter(ctx):
            if getattr(ctx, "_enabled", True):
                dtype = getattr(ctx, "fast_dtype", None)
                recorder.autocast[(ctx.device, str(dtype).replace("torch.", ""))] += 1
            return enter(ctx)

        def recording_step(scaler, optimizer, *args, **kwargs):
            recorder.scaler_steps += 1
            return step(scaler, optimizer, *args, **kwargs)

        self._originals = {"enter": enter, "step": step}
        autocast_mode.autocast.__enter__ = recording_enter
        grad_scaler.GradScaler.step = recording_step
        return self

    def stop(self) -> None:
        if self._originals:
            autocast_mode.autocast.__enter__ = self._originals["enter"]
            grad_scaler.GradScaler.step = self._originals["step"]
            self._originals = {}


def start_recording() -> TrainingRecorder:
    """Start (or restart) the notebook-wide recorder and return it."""
    global _current
    if _current is not None:
        _current.stop()
    _current = TrainingRecorder().start()
    return _current


def current() -> TrainingRecorder:
    """The recorder started by :func:`start_recording` (a fresh empty one if none was started)."""
    return _current if _current is not None else TrainingRecorder()


def parameters_device(model: torch.nn.Module) -> set[str]:
    """Device types of a model's parameters, e.g. ``{"cuda"}``."""
    return {p.device.type for p in model.parameters()}
