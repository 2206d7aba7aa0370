"""Milliseconds from a position-slider change to the finished redraw, per explorer.

Builds each explorer with ipywidgets (interactive=True), moves its position
slider through every step R times, and times the slider change plus a full
Agg canvas draw (what a frontend waits for).  Target: median <= 50 ms.

    MPLBACKEND=Agg .venv/bin/python benchmarks/widgets.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402

from course.widgets.explorers import conv_explorer, pool_explorer  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
CASES = {
    "conv_explorer 5x5 grid, 3x3 kernel": lambda: conv_explorer(interactive=True),
    "conv_explorer 10x10 photo, padding 1": lambda: conv_explorer("camera", padding=1, interactive=True),
    "pool_explorer 4x4 grid": lambda: pool_explorer(interactive=True),
}


def render(box) -> None:
    # a real Agg render (a closed pyplot figure keeps a no-op canvas)
    fig = box.view().fig
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()


def time_slider(box, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        for step in range(box.position.max + 1):
            start = time.perf_counter()
            box.position.value = step
            render(box)
            times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--out", default=str(REPO / "benchmarks" / "results" / "widgets.json"))
    args = ap.parse_args()
    results = {}
    for name, make in CASES.items():
        box = make()
        box.position.value = min(1, box.position.max)  # warm-up draw
        render(box)
        times = time_slider(box, args.repeats)
        results[name] = {"median_ms": round(statistics.median(times), 2), "redraws": len(times)}
        print(f"{name}: median {results[name]['median_ms']} ms over {len(times)} redraws")
    out = {"benchmark": "ms from a position-slider change to a finished Agg redraw",
           "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
           "python": platform.python_version(), "matplotlib": matplotlib.__version__,
           "target_median_ms_max": 50, "results": results}
    Path(args.out).write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
