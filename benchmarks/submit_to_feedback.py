"""Seconds from Submit to feedback released, with the course hub's grading service, on this machine.

Starts a real course hub (`course hub`, throwaway accounts, temporary state,
exchange and workspace) with the grading service on, releases Day 1, and has
students fetch it and submit the reference answers with nbgrader's own
commands, each as their own Unix account (what the Assignments tab runs). For
each submission it times Submit (the end of `nbgrader submit`) to the moment the
service has released that student's feedback to the exchange (its ledger entry
is written after the release). Two rounds: one student alone, then 20 students
submitting at once. Target: 60 s or less for one student.

    sudo .venv/bin/python benchmarks/submit_to_feedback.py [--students 20]
    (results: benchmarks/results/submit_to_feedback.json)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "support"))

import nbformat  # noqa: E402

from course import syllabus  # noqa: E402
from course.hub.service import STATE_DIR  # noqa: E402
from course.hub.spawner import JUPYTER_CONFIG  # noqa: E402
import class_hub as ch  # noqa: E402
from factory import reference_answers, submission  # noqa: E402

DAY = syllabus.get_day("day01")
RESULTS = REPO / "benchmarks" / "results" / "submit_to_feedback.json"
WAIT_S = 1800


def as_student(hub: ch.ClassHub, name: str, *cmd: str) -> None:
    home = hub.home(name)
    env = {"HOME": str(home), "USER": name, "PATH": hub.env["PATH"], "COURSE_EXCHANGE": hub.env["COURSE_EXCHANGE"],
           "JUPYTER_CONFIG_PATH": str(JUPYTER_CONFIG / "student")}
    run = subprocess.run(["setpriv", f"--reuid={name}", f"--regid={name}", "--init-groups", *cmd],
                         cwd=home, env=env, capture_output=True, text=True)
    assert run.returncode == 0, f"{name}: {' '.join(cmd)}: {run.stdout}{run.stderr}"


def fetch_and_answer(hub: ch.ClassHub, name: str) -> None:
    as_student(hub, name, "nbgrader", "fetch_assignment", DAY.id)
    path = hub.home(name) / DAY.id / DAY.notebook
    nbformat.write(submission(DAY, reference_answers(DAY)), path)
    shutil.chown(path, name, name)


def graded(hub: ch.ClassHub) -> dict[str, dict]:
    ledger = hub.workspace / STATE_DIR / "graded.json"
    return json.loads(ledger.read_text()) if ledger.exists() else {}


def submit_and_wait(hub: ch.ClassHub, names: list[str]) -> dict[str, float]:
    """Submit for every student of ``names`` at once; seconds from each Submit to their feedback."""
    before = {k for k in graded(hub)}

    def submit(name: str) -> tuple[str, float]:
        as_student(hub, name, "nbgrader", "submit", DAY.id)
        return name, time.monotonic()

    with ThreadPoolExecutor(len(names)) as pool:
        submitted = dict(pool.map(submit, names))
    released: dict[str, float] = {}
    deadline = time.monotonic() + WAIT_S
    while len(released) < len(names):
        assert time.monotonic() < deadline, f"feedback missing after {WAIT_S} s: {set(names) - set(released)}"
        for key, rec in graded(hub).items():
            if key not in before and rec["student"] in submitted and rec["student"] not in released:
                assert rec["outcome"] == "graded", f"{rec['student']}: {rec}"
                released[rec["student"]] = time.monotonic()
        time.sleep(0.2)
    return {n: released[n] - submitted[n] for n in names}


def summary(seconds: dict[str, float]) -> dict:
    values = sorted(seconds.values())
    return {"students": len(values), "median_s": round(statistics.median(values), 1),
            "worst_s": round(values[-1], 1), "best_s": round(values[0], 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=20)
    args = parser.parse_args()
    reason = ch.why_not()
    if reason:
        sys.exit(f"cannot run: {reason}")
    root = Path(tempfile.mkdtemp(prefix="submit-to-feedback-"))
    root.chmod(0o755)
    tag = ch.secrets.token_hex(3)
    names = [f"t{tag}{k:02d}" for k in range(args.students)]
    hub = ch.ClassHub(root, students=names, tag=tag)
    try:
        hub.start(grading_service=True)
        hub.course("release", DAY.id)
        for name in names:
            fetch_and_answer(hub, name)
        one = submit_and_wait(hub, names[:1])
        print(f"1 student: {summary(one)}", flush=True)
        many = submit_and_wait(hub, names)  # the first student's second attempt, everyone else's first
        print(f"{len(names)} students at once: {summary(many)}", flush=True)
    finally:
        leftovers = hub.close()
        shutil.rmtree(root, ignore_errors=True)
    result = {
        "benchmark": "seconds from Submit (nbgrader submit as the student) to feedback released by the grading service",
        "day": DAY.id,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "service_poll_s": 2.0,
        "one_student": summary(one),
        "students_at_once": summary(many),
        "per_student_s": {k: round(v, 1) for k, v in sorted(many.items())},
        "target_one_student_s": 60,
        "meets_target": summary(one)["worst_s"] <= 60,
        "left_behind": leftovers,
    }
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
