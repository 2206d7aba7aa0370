"""Peak memory of what a student's server runs: the measurement behind the memory sizes in values.yaml.

benchmarks/results/ has timings but no memory figures, so this script measures them.
Each notebook runs top to bottom in a fresh kernel (nbclient, as the tests run lessons),
in a temporary folder. Every 0.1 s the script adds up the resident memory (RSS) of the
kernel and every process it started, and keeps the peak. RSS counts shared libraries
once per process, so the sum errs on the high side. It also starts JupyterLab once
with nothing open and records its own RSS: the server a student's pod runs besides the
kernels.

    .venv/bin/python deploy/kubernetes/measure_memory.py      # about 8 minutes on 2 cores
    (results: deploy/kubernetes/memory.json; README.md quotes them)
"""

from __future__ import annotations

import json
import os
import platform
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent / "memory.json"
MiB = 2 ** 20

# The lessons students run, and the two exercises that train or load a network
# (Day 4 trains a CNN, Day 6 runs the pretrained EfficientNet-Lite0).
NOTEBOOKS = [*(f"lessons/day0{d}_{name}.ipynb" for d, name in [
    (1, "conv_layers"), (2, "pooling_cnn"), (3, "image_data"), (4, "training_gpu"),
    (5, "architectures"), (6, "transfer_learning"), (7, "visualizing"), (8, "debugging")]),
    "lessons/capstone_cifar10.ipynb", "solutions/day04/day04.ipynb", "solutions/day06/day06.ipynb"]

RUN_ONE = """
import sys, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(nb, timeout=600, kernel_name="python3", extra_arguments=["--IPKernelApp.log_level=ERROR"],
               resources={"metadata": {"path": sys.argv[2]}}).execute()
"""


def tree_rss(proc: psutil.Process) -> int:
    """Bytes resident in the descendants of ``proc`` (the kernel and what it started), not ``proc`` itself."""
    total = 0
    for child in proc.children(recursive=True):
        try:
            total += child.memory_info().rss
        except psutil.Error:
            pass
    return total


def measure(notebook: str) -> dict:
    env = dict(os.environ, COURSE_DATA="offline", CUDA_VISIBLE_DEVICES="")
    with tempfile.TemporaryDirectory() as cwd:
        start = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-c", RUN_ONE, str(REPO / notebook), cwd], cwd=cwd, env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        parent, peak = psutil.Process(child.pid), 0
        while child.poll() is None:
            peak = max(peak, tree_rss(parent))
            time.sleep(0.1)
        seconds = time.perf_counter() - start
        if child.returncode != 0:
            raise SystemExit(f"{notebook} failed:\n{child.stderr.read()[-3000:]}")
    return {"notebook": notebook, "kernel_peak_rss_mib": round(peak / MiB), "seconds": round(seconds, 1)}


def jupyterlab_idle_rss() -> int:
    """MiB resident in a JupyterLab server (with nbgrader's extensions) a few seconds after it starts."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with tempfile.TemporaryDirectory() as root:
        args = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
                f"--ServerApp.root_dir={root}", f"--IdentityProvider.token={secrets.token_hex(16)}"]
        if os.geteuid() == 0:
            args.append("--allow-root")
        server = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                with socket.socket() as s:
                    if s.connect_ex(("127.0.0.1", port)) == 0:
                        break
                time.sleep(0.5)
            time.sleep(5)  # let the extensions finish loading
            return round(psutil.Process(server.pid).memory_info().rss / MiB)
        finally:
            server.terminate()
            server.wait(timeout=30)


def heaviest(rows: list[dict], folder: str) -> dict:
    """The row of ``folder``'s notebook (lessons/ or solutions/) with the largest peak."""
    return max((r for r in rows if r["notebook"].startswith(folder)), key=lambda r: r["kernel_peak_rss_mib"])


def main() -> None:
    import torch

    rows = []
    for nb in NOTEBOOKS:
        rows.append(measure(nb))
        print(rows[-1], flush=True)
    result = {
        "benchmark": "peak resident memory (MiB) of a fresh kernel running each notebook top to bottom "
                     "(kernel + the processes it starts, sampled every 0.1 s), and of an idle JupyterLab server",
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "python": platform.python_version(), "torch": torch.__version__,
        "COURSE_DATA": "offline", "device": "cpu",
        "notebooks": rows,
        # what a student runs, and what the grader runs (an exercise with its hidden tests)
        "heaviest_lesson": heaviest(rows, "lessons/"),
        "heaviest_graded": heaviest(rows, "solutions/"),
        "jupyterlab_idle_rss_mib": jupyterlab_idle_rss(),
    }
    OUT.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
