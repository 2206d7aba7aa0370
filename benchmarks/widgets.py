"""Milliseconds from a slider change to a finished frame, per explorer.

Builds each explorer as in a notebook, moves its step slider through every
step R times (what the play button does), and times the slider change up to
the finished frame:

* ipympl (JupyterLab, the default when installed): the blitted Agg frame and
  the PNG of its changed pixels that ipympl sends (the frontend counted as
  connected, so ipympl does not also re-encode a full data URL);
* inline fallback (no ipympl): the blitted frame encoded as the PNG of an
  ``ipywidgets.Image``.

Also times random jumps (a dragged or clicked slider) and one full redraw (what a geometry slider or a resize costs).
Target: median <= 50 ms.

    .venv/bin/python benchmarks/widgets.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import torchvision  # noqa: E402

from course.widgets.explorers import conv_explorer, pool_explorer  # noqa: E402
from course.widgets.feature_maps import feature_map_viewer  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
CASES = {
    "conv_explorer 5x5 grid, 3x3 kernel": lambda **kw: conv_explorer(interactive=True, **kw),
    "conv_explorer 10x10 photo, padding 1": lambda **kw: conv_explorer("camera", padding=1, interactive=True, **kw),
    "conv_explorer 3-channel 10x10 photo, 3x3x3 kernel": lambda **kw: conv_explorer(
        "astronaut", kernel=[[[1, 0, -1]] * 3] * 3, interactive=True, **kw),
    "pool_explorer 4x4 grid": lambda **kw: pool_explorer(interactive=True, **kw),
    "pool_explorer 10x10 photo, avg": lambda **kw: pool_explorer("camera", mode="avg", interactive=True, **kw),
}


def time_steps(explorer, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        for step in range(explorer.position.max + 1):
            start = time.perf_counter()
            explorer.position.value = step
            times.append((time.perf_counter() - start) * 1000)
    return times


def time_jumps(explorer, repeats: int) -> list[float]:
    """Random moves, as when the slider is dragged or clicked anywhere."""
    rng = random.Random(0)
    times = []
    for _ in range(repeats * (explorer.position.max + 1)):
        step = rng.randint(0, explorer.position.max)
        start = time.perf_counter()
        explorer.position.value = step
        times.append((time.perf_counter() - start) * 1000)
    return times


def time_full(explorer, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        explorer.surface.full_draw()
        times.append((time.perf_counter() - start) * 1000)
    return times


def time_feature_maps(use_ipympl: bool, repeats: int) -> dict:
    """The feature-map viewer on torchvision's ResNet-18 (random weights) and a 96x96 photo."""
    model = torchvision.models.resnet18(weights=None)
    explorer = feature_map_viewer(model, "chelsea", size=96, interactive=True, use_ipympl=use_ipympl).explorer
    if use_ipympl:
        explorer.surface.canvas.syncing_data_url = False
    channels, layers = [], []
    for _ in range(repeats):
        explorer.layer.value = "layer1.0.conv1"
        for channel in range(1, 64):
            start = time.perf_counter()
            explorer.channel.value = channel
            channels.append((time.perf_counter() - start) * 1000)
        for layer in explorer.maps.layers:
            start = time.perf_counter()
            explorer.layer.value = layer
            layers.append((time.perf_counter() - start) * 1000)
    return {"channel_median_ms": round(statistics.median(channels), 1), "channel_max_ms": round(max(channels), 1),
            "channel_changes_timed": len(channels),
            "layer_median_ms": round(statistics.median(layers), 1), "layer_changes_timed": len(layers)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--out", default=str(REPO / "benchmarks" / "results" / "widgets.json"))
    args = ap.parse_args()
    results = {}
    for name, make in CASES.items():
        for frontend, use_ipympl in (("ipympl", True), ("inline", False)):
            explorer = make(use_ipympl=use_ipympl).explorer
            if use_ipympl:
                explorer.surface.canvas.syncing_data_url = False  # as once a frontend has connected
            explorer.position.value = min(1, explorer.position.max)  # warm-up
            steps = time_steps(explorer, args.repeats)
            jumps = time_jumps(explorer, args.repeats)
            full = time_full(explorer, args.repeats)
            key = f"{name} [{frontend}]"
            results[key] = {"step_median_ms": round(statistics.median(steps), 1),
                            "step_max_ms": round(max(steps), 1), "steps_timed": len(steps),
                            "random_jump_median_ms": round(statistics.median(jumps), 1),
                            "random_jump_max_ms": round(max(jumps), 1),
                            "full_redraw_median_ms": round(statistics.median(full), 1)}
            print(f"{key}: step median {results[key]['step_median_ms']} ms "
                  f"(max {results[key]['step_max_ms']}), random jumps {results[key]['random_jump_median_ms']} ms, full redraw {results[key]['full_redraw_median_ms']} ms")
    for frontend, use_ipympl in (("ipympl", True), ("inline", False)):
        key = f"feature_map_viewer ResNet-18, 96x96 photo [{frontend}]"
        results[key] = time_feature_maps(use_ipympl, args.repeats)
        print(f"{key}: {results[key]}")
    out = {"benchmark": "ms from a step-slider change to a finished frame (blitted, PNG ready for the frontend)",
           "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
           "python": platform.python_version(), "matplotlib": matplotlib.__version__,
           "target_median_ms_max": 50, "results": results}
    Path(args.out).write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
