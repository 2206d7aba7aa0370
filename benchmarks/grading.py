"""Seconds per submission: `course grade` against bare nbclient on the same notebook.

Grades N copies of a correct submission of one day (Day 1 by default; Day 4's
includes its training run) with `course grade` (one nbgrader
run: release refresh, autograde, feedback, CSV export), R times, and executes the
same notebook N times with nbclient (a fresh kernel each, as nbgrader does).
Reports medians per submission and their ratio; target: ratio <= 1.5.

    .venv/bin/python benchmarks/grading.py [--day day01] [--copies 8] [--repeats 3]
    (results: benchmarks/results/grading_<day>.json)
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import torch
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "support"))

from course import syllabus  # noqa: E402
from factory import reference_answers, submission, write_submission  # noqa: E402


def time_course_grade(subs: Path, ws: Path, day: str) -> float:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "course.cli", "grade", str(subs), "--day", day,
                           "--workspace", str(ws)], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"course grade failed:\n{proc.stdout}\n{proc.stderr}")
    return elapsed


def time_nbclient(nb) -> float:
    nb = nbformat.from_dict(nb)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as cwd:  # where a training run writes its checkpoint
        NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": cwd}},
                       extra_arguments=["--IPKernelApp.log_level=ERROR"]).execute()
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--day", default="day01")
    ap.add_argument("--copies", type=int, default=8)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--out", help="default: benchmarks/results/grading_<day>.json")
    args = ap.parse_args()

    day = syllabus.get_day(args.day)
    args.out = args.out or str(REPO / "benchmarks" / "results" / f"grading_{day.id}.json")
    nb = submission(day, reference_answers(day))
    source = nbformat.read(day.solution_path, as_version=4)  # what nbgrader runs: with the hidden tests
    with tempfile.TemporaryDirectory() as tmp:
        subs = Path(tmp) / "subs"
        for i in range(args.copies):
            write_submission(subs, f"s{i:03d}", day, nb)
        grade_runs = []
        for r in range(args.repeats):
            total = time_course_grade(subs, Path(tmp) / f"ws{r}", day.id)
            grade_runs.append(total / args.copies)
            print(f"course grade run {r + 1}: {total:.1f} s for {args.copies} = {total / args.copies:.2f} s each")
    bare = [time_nbclient(nb) for _ in range(args.copies)]
    bare_hidden = [time_nbclient(source) for _ in range(args.copies)]
    result = {
        "benchmark": f"seconds per {day.id} submission: course grade vs bare nbclient",
        "machine": f"{platform.processor() or platform.machine()}, {torch.get_num_threads()} torch threads",
        "python": platform.python_version(), "torch": torch.__version__,
        "copies": args.copies, "repeats": args.repeats,
        "course_grade_s_per_submission_median": round(statistics.median(grade_runs), 3),
        "nbclient_submission_s_median": round(statistics.median(bare), 3),
        "nbclient_with_hidden_tests_s_median": round(statistics.median(bare_hidden), 3),
    }
    result["ratio_vs_submission"] = round(result["course_grade_s_per_submission_median"]
                                          / result["nbclient_submission_s_median"], 3)
    result["ratio_vs_with_hidden_tests"] = round(result["course_grade_s_per_submission_median"]
                                                 / result["nbclient_with_hidden_tests_s_median"], 3)
    result["target_ratio_max"] = 1.5
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
