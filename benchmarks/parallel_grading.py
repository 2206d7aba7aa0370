"""Throughput of `course grade` at 1 and 2 workers against plain `nbgrader autograde`, in one run.

Writes N Day 1 submissions (the reference answers, the correct alternatives and
the listed mistakes, in turn), then grades the same N three ways on this machine:

* plain nbgrader: `nbgrader autograde` with nbgrader's own Execute (no sandbox,
  no guard), serially, as an instructor would run it out of the box;
* `course grade --workers 1` and `--workers 2` (sandboxed, guarded, feedback
  included).

Reports seconds, submissions per minute, the ratios (targets: workers 2 vs 1
>= 1.7, workers 2 vs plain nbgrader >= 3) and whether every per-item score is
identical across the three.

    .venv/bin/python benchmarks/parallel_grading.py [--copies 40]
    (results: benchmarks/results/parallel_grading.json)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "support"))

from course import syllabus  # noqa: E402
from course.grading import autograde  # noqa: E402
from factory import reference_answers, submission, variants, write_submission  # noqa: E402

DAY = syllabus.get_day("day01")

PLAIN_CONFIG = """
import os
c = get_config()
c.CourseDirectory.root = {root!r}
c.CourseDirectory.course_id = {course_id!r}
c.Execute.timeout = 60
c.OverwriteCells.add_missing_cells = True
c.BaseConverter.force = True
c.Execute.extra_arguments = ["--HistoryManager.hist_file=:memory:", "--IPKernelApp.log_level=ERROR"]
"""


def write_submissions(dest: Path, copies: int) -> None:
    answers = reference_answers(DAY)
    pool = [dict(answers)]
    for kind in ("alternatives", "mutants"):
        for _name, (item, code) in sorted(variants(kind, DAY).items()):
            changed = dict(answers)
            changed[item] = code
            pool.append(changed)
    for k in range(copies):
        write_submission(dest, f"s{k:03d}", DAY, submission(DAY, pool[k % len(pool)]))


def plain_nbgrader(subs: Path, work: Path) -> tuple[float, dict]:
    """`nbgrader generate_assignment` then a timed `nbgrader autograde day01` with stock settings."""
    work.mkdir(parents=True)
    (work / "source").symlink_to(REPO / "solutions", target_is_directory=True)
    shutil.copytree(subs, work / "submitted")
    (work / "nbgrader_config.py").write_text(PLAIN_CONFIG.format(root=str(work), course_id=syllabus.course_id()))
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    nbgrader = [sys.executable, "-m", "nbgrader"]
    subprocess.run([*nbgrader, "generate_assignment", DAY.id, "--force"], cwd=work, env=env, check=True,
                   capture_output=True)
    start = time.perf_counter()
    proc = subprocess.run([*nbgrader, "autograde", DAY.id], cwd=work, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"nbgrader autograde failed:\n{proc.stderr[-3000:]}")
    from nbgrader.api import Gradebook

    scores = {}
    with Gradebook(f"sqlite:///{work / 'gradebook.db'}") as gb:
        for student in gb.students:
            nb = gb.find_submission_notebook(Path(DAY.notebook).stem, DAY.id, student.id)
            items = {item: 0.0 for item in DAY.items}
            for g in nb.grades:
                item = syllabus.item_of_test(g.name, DAY.items)
                if item:
                    items[item] += float(g.score or 0)
            scores[student.id] = items
    return seconds, scores


def course_grade(subs: Path, work: Path, workers: int) -> tuple[float, dict]:
    start = time.perf_counter()
    report = autograde.grade(subs, day_id=DAY.id, workspace_dir=work, workers=workers)
    seconds = time.perf_counter() - start
    if report.failed:
        raise SystemExit(f"course grade failed for {[s.student for s in report.failed]}")
    return seconds, {s.student: {i: got for i, (got, _) in s.scores.items()} for s in report.submissions}


def _load() -> str:
    """The 1, 5 and 15 minute load averages: other work on the machine skews the timings."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=40)
    ap.add_argument("--out", default=str(REPO / "benchmarks" / "results" / "parallel_grading.json"))
    args = ap.parse_args()
    load_before = _load()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        subs = tmp / "submissions"
        write_submissions(subs, args.copies)
        runs = {}
        runs["plain_nbgrader"] = plain_nbgrader(subs, tmp / "plain")
        runs["course_workers_1"] = course_grade(subs, tmp / "w1", 1)
        runs["course_workers_2"] = course_grade(subs, tmp / "w2", 2)
    seconds = {name: round(s, 1) for name, (s, _) in runs.items()}
    scores = [sc for _, sc in runs.values()]
    result = {
        "benchmark": f"grading {args.copies} Day 1 submissions: plain nbgrader autograde vs course grade",
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "python": platform.python_version(),
        "submissions": args.copies,
        "seconds": seconds,
        "submissions_per_minute": {k: round(60 * args.copies / v, 1) for k, v in seconds.items()},
        "ratio_workers_2_vs_1": round(seconds["course_workers_1"] / seconds["course_workers_2"], 2),
        "ratio_workers_2_vs_plain_nbgrader": round(seconds["plain_nbgrader"] / seconds["course_workers_2"], 2),
        "targets": {"workers_2_vs_1": 1.7, "workers_2_vs_plain_nbgrader": 3.0},
        "identical_scores": all(s == scores[0] for s in scores),
        "note": "course grade includes the sandbox, the guard, the feedback and the CSV export; plain nbgrader "
                "is autograde only",
        "note_workers": "each worker autogrades and writes feedback for one submission at a time; the grading "
                        "process only records results, so 1 worker uses about one core and 2 workers two",
        "load_average_before_and_after": [load_before, _load()],
    }
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
