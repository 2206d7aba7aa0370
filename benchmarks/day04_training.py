"""Day 4's reference training run: seconds and held-out accuracy, median of R runs.

Runs the code of the Day 4 solution notebook (its setup cell, the reference
get_device / train_one_epoch / evaluate / fit, and the training cell) R times
on this machine's default device, and scores each checkpoint on the held-out
animal silhouettes, as the hidden test does.  With CUDA present it also times
the same training on the GPU with and without mixed precision (in one run, so
the ratio compares like with like).

    .venv/bin/python benchmarks/day04_training.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import torch

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "support"))

from course import syllabus  # noqa: E402
from course.notebooks import grade_id, read_notebook  # noqa: E402
from factory import reference_answers  # noqa: E402

DAY = syllabus.get_day("day04")


def notebook_namespace() -> tuple[dict, str]:
    """A namespace holding the setup cell and the reference functions; the training cell's source."""
    nb = read_notebook(DAY.solution_path)
    answers = reference_answers(DAY)
    ns: dict = {}
    setup = next(c.source for c in nb.cells if grade_id(c) == "setup")
    exec(setup, ns)
    exec("CHECKPOINT = 'day04_checkpoint.pt'\nTARGET_ACCURACY = 0.80", ns)
    for item in ("get_device", "train_one_epoch", "evaluate", "fit"):
        exec(answers[item], ns)
    return ns, answers["day04_training"]


def heldout_accuracy(ns: dict, model, checkpoint: str) -> float:
    model = model.cpu()
    model.load_state_dict(torch.load(checkpoint, map_location="cpu"))
    loader = torch.utils.data.DataLoader(ns["data"].heldout("animals", transform=ns["transforms"].ToTensor()),
                                         batch_size=500)
    return ns["evaluate"](model, loader, torch.device("cpu"))


def reference_run(seed: int) -> dict:
    ns, training = notebook_namespace()
    torch.manual_seed(seed)
    with tempfile.TemporaryDirectory() as tmp:
        cwd = os.getcwd()
        os.chdir(tmp)
        try:
            start = time.perf_counter()
            exec(training.replace("print(history)", ""), ns)
            seconds = time.perf_counter() - start
            accuracy = heldout_accuracy(ns, ns["day04_model"], ns["CHECKPOINT"])
        finally:
            os.chdir(cwd)
    return {"seconds": seconds, "heldout_accuracy": accuracy, "device": ns["get_device"]().type}


def gpu_amp_comparison(repeats: int) -> dict:
    """Same model and data on CUDA: 4 epochs with a GradScaler + autocast vs plain float32."""
    ns, _ = notebook_namespace()
    nn, DataLoader, data, transforms = ns["nn"], ns["DataLoader"], ns["data"], ns["transforms"]
    train = DataLoader(data.dataset("animals", "train", transform=transforms.ToTensor()), batch_size=64,
                       shuffle=True, pin_memory=True)
    device = torch.device("cuda")
    times: dict[str, list[float]] = {"amp": [], "fp32": []}
    for r in range(repeats):
        for mode in ("amp", "fp32"):
            torch.manual_seed(r)
            model = nn.Sequential(
                nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                nn.Flatten(), nn.Linear(32 * 7 * 7, 64), nn.ReLU(), nn.Linear(64, 10)).to(device)
            opt = torch.optim.Adam(model.parameters(), lr=2e-3)
            scaler = torch.amp.GradScaler("cuda") if mode == "amp" else None
            torch.cuda.synchronize()
            start = time.perf_counter()
            for _ in range(4):
                ns["train_one_epoch"](model, train, opt, nn.CrossEntropyLoss(), device, scaler)
            torch.cuda.synchronize()
            times[mode].append(time.perf_counter() - start)
    amp, fp32 = statistics.median(times["amp"]), statistics.median(times["fp32"])
    return {"gpu": torch.cuda.get_device_name(0), "amp_s_median": round(amp, 3), "fp32_s_median": round(fp32, 3),
            "amp_over_fp32": round(amp / fp32, 3)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--out", default=str(REPO / "benchmarks" / "results" / "day04_training.json"))
    args = ap.parse_args()

    runs = [reference_run(seed) for seed in range(args.repeats)]
    for r in runs:
        print(f"{r['device']}: {r['seconds']:.1f} s, held-out accuracy {r['heldout_accuracy']:.3f}")
    result = {
        "benchmark": "Day 4 reference training run (4 epochs on 7,000 animal silhouettes), scored on the held-out split",
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
                   f"{torch.get_num_threads()} torch threads",
        "python": platform.python_version(), "torch": torch.__version__,
        "device": runs[0]["device"], "repeats": args.repeats,
        "seconds_median": round(statistics.median(r["seconds"] for r in runs), 3),
        "heldout_accuracy_median": round(statistics.median(r["heldout_accuracy"] for r in runs), 4),
        "heldout_accuracy_min": round(min(r["heldout_accuracy"] for r in runs), 4),
        "target_accuracy": 0.80,
        "gpu": gpu_amp_comparison(args.repeats) if torch.cuda.is_available() else
               "no CUDA on this machine: the mixed-precision comparison runs where one is present",
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
