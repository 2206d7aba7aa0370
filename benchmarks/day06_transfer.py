"""Day 6's graded linear probe: seconds and accuracy of pretrained features + head vs a CNN from scratch.

Runs the code of the Day 6 solution notebook (the locked setup of the probe and the reference
answer cell) on this machine's CPU, and measures:

- the seconds to load the pretrained EfficientNet-Lite0 (timm already imported and the weights
  file already read: the medians are of warm runs), to extract the features of the 100
  labelled images (10 per class, 96 x 96), to train the head on the cached features, and to
  score 500 held-out images (what the hidden test does);
- the held-out accuracy of the reference head (R seeds, median and min) against the stated
  target, and of the from-scratch CNN (``course.transfer.train_scratch``) trained on the same
  100 images (R seeds), on the first 500 held-out images (the hidden test's) and on all 1,500;
- the same comparison on three other class-balanced subsets of 100 training images (one seed),
  to show that the margin is not luck of the draw;
- with ``--grade``, the wall time of ``course grade`` on a folder with one submission (the
  reference solution), kernel start and nbgrader included.

    .venv/bin/python benchmarks/day06_transfer.py [--repeats 5] [--grade]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "support"))

from course import data, pretrained, syllabus, transfer  # noqa: E402
from course.notebooks import grade_id, read_notebook  # noqa: E402
from factory import reference_answers, submission, write_submission  # noqa: E402

DAY = syllabus.get_day("day06")


def cells() -> tuple[str, str, str]:
    nb = read_notebook(DAY.solution_path)
    source = {grade_id(c): c.source for c in nb.cells if grade_id(c)}
    return source["setup"], source["day06_probe_setup"], reference_answers(DAY)["day06_probe"]


def pretrained_run(seed: int, start: int, heldout_x: torch.Tensor, heldout_y: torch.Tensor) -> dict:
    """The reference probe (head seed ``seed``) on training images start..start+99."""
    setup, probe_setup, answer = cells()
    ns: dict = {}
    exec(setup, ns)
    t0 = time.perf_counter()
    exec(probe_setup.replace('limit=100)', f'limit={start + 100})').replace("print(", "(")
         + (f"\n_subset.images, _subset.targets = _subset.images[{start}:], _subset.targets[{start}:]"
            "\nday06_images = transfer.to_backbone_input(_subset.images)"
            "\nday06_labels = torch.tensor(_subset.targets)" if start else ""), ns)
    setup_s = time.perf_counter() - t0
    model, images = ns["probe_model"], ns["day06_images"]
    assert images.shape == (100, 3, 96, 96) and ns["day06_labels"].bincount().tolist() == [10] * 10
    t0 = time.perf_counter()
    with torch.no_grad():
        model.eval()(images[:1])
        t_feat = time.perf_counter()
        model.forward_head(model.forward_features(images), pre_logits=True)
        features_s = time.perf_counter() - t_feat
    assert "torch.manual_seed(6)" in answer
    answer = answer.replace("torch.manual_seed(6)", f"torch.manual_seed({seed})").replace("print(", "(")
    t0 = time.perf_counter()
    exec(answer, ns)
    answer_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    acc_500 = transfer.accuracy(ns["probe_model"], heldout_x[:500], heldout_y[:500], batch_size=100)
    score_s = time.perf_counter() - t0
    acc_all = transfer.accuracy(ns["probe_model"], heldout_x, heldout_y, batch_size=100)
    return {"load_backbone_and_prepare_s": setup_s, "extract_100_features_s": features_s,
            "answer_cell_s": answer_s, "head_training_s": max(answer_s - features_s, 0.0),
            "score_500_heldout_s": score_s, "heldout500": acc_500, "heldout1500": acc_all}


def scratch_run(seed: int, start: int) -> dict:
    train = data.dataset("animals", "train", limit=start + 100)
    heldout = data.heldout("animals")
    x = torch.from_numpy(heldout.images).float().div(255).unsqueeze(1)
    t0 = time.perf_counter()
    model = transfer.train_scratch(train.images[start:], train.targets[start:], seed=seed)
    seconds = time.perf_counter() - t0
    return {"train_s": seconds, "heldout500": transfer.accuracy(model, x[:500], heldout.targets[:500]),
            "heldout1500": transfer.accuracy(model, x, heldout.targets)}


def grading_seconds() -> float:
    with tempfile.TemporaryDirectory() as tmp:
        subs = Path(tmp) / "submissions"
        write_submission(subs, "reference", DAY, submission(DAY, reference_answers(DAY)))
        env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
        t0 = time.perf_counter()
        subprocess.run(["course", "grade", str(subs), "--day", DAY.id, "--workspace", str(Path(tmp) / "ws")],
                       check=True, env=env, cwd=REPO, stdout=subprocess.DEVNULL)
        return time.perf_counter() - t0


def median(runs: list[dict], key: str) -> float:
    return round(statistics.median(r[key] for r in runs), 4)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--grade", action="store_true", help="also time `course grade` on the reference submission")
    ap.add_argument("--out", default=str(REPO / "benchmarks" / "results" / "day06_transfer.json"))
    args = ap.parse_args()

    heldout = data.heldout("animals")
    hx, hy = transfer.to_backbone_input(heldout.images), torch.tensor(heldout.targets)
    pre = [pretrained_run(seed, 0, hx, hy) for seed in range(args.repeats)]
    scratch = [scratch_run(seed, 0) for seed in range(args.repeats)]
    for p, s in zip(pre, scratch):
        print(f"pretrained {p['heldout500']:.3f} / {p['heldout1500']:.3f}   scratch {s['heldout500']:.3f} / "
              f"{s['heldout1500']:.3f}   (held-out 500 / 1500)", flush=True)
    others = []
    for start in (100, 200, 300):
        p, s = pretrained_run(0, start, hx, hy), scratch_run(0, start)
        others.append({"train_images": f"{start}..{start + 99}", "pretrained_heldout500": round(p["heldout500"], 4),
                       "scratch_heldout500": round(s["heldout500"], 4)})
        print(others[-1], flush=True)
    result = {
        "benchmark": "Day 6 linear probe: EfficientNet-Lite0 (ImageNet-1k) features + a new linear head vs a CNN "
                     "from scratch, both trained on 100 animal silhouettes (10 per class), scored on held-out images",
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
                   f"{torch.get_num_threads()} torch threads",
        "python": platform.python_version(), "torch": torch.__version__, "device": "cpu",
        "repeats": args.repeats, "image_size": transfer.IMAGE_SIZE,
        "target_accuracy": 0.70,
        "seconds": {
            "load_backbone_and_prepare_median": median(pre, "load_backbone_and_prepare_s"),
            "extract_100_features_median": median(pre, "extract_100_features_s"),
            "answer_cell_median": median(pre, "answer_cell_s"),
            "head_training_median": median(pre, "head_training_s"),
            "score_500_heldout_median": median(pre, "score_500_heldout_s"),
            "scratch_training_median": median(scratch, "train_s"),
        },
        "pretrained": {"heldout500_median": median(pre, "heldout500"),
                       "heldout500_min": round(min(r["heldout500"] for r in pre), 4),
                       "heldout1500_median": median(pre, "heldout1500")},
        "scratch": {"heldout500_median": median(scratch, "heldout500"),
                    "heldout500_max": round(max(r["heldout500"] for r in scratch), 4),
                    "heldout1500_median": median(scratch, "heldout1500")},
        "other_subsets": others,
        "grading_reference_submission_s": round(grading_seconds(), 1) if args.grade else
                                           "run with --grade to time `course grade` on the reference submission",
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
