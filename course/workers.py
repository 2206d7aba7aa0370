"""Execute a day's submissions in parallel: N worker processes, one submission at a time each.

Each worker runs nbgrader's ``Autograde`` with only ``SafeExecute`` in its
autograde pipeline, for one student per run, on a private copy of the
gradebook (SQLite does not take concurrent writers), and writes the executed
notebook into a staging folder. The scores are recorded afterwards, by one
process (course.grading). A worker that dies loses only the submission it was
running; the others carry on.
"""

from __future__ import annotations

import copy
import multiprocessing as mp
import os
import queue
import shutil
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from nbgrader.converters import Autograde
from nbgrader.coursedir import CourseDirectory

from . import workspace

STAGING = ".grading"  # inside the workspace: worker gradebooks and executed notebooks


@dataclass
class Outcome:
    student: str
    seconds: float
    error: str | None = None


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def staging_dirs(root: Path) -> tuple[Path, Path]:
    """(the staging folder, the folder of executed notebooks inside it)."""
    stage = root / STAGING
    return stage, stage / "executed"


def execute_all(cfg, root: Path, day_id: str, students: list[str], workers: int, on_done=None) -> dict[str, Outcome]:
    """Execute every student's submitted notebook of ``day_id``; return {student: Outcome}."""
    stage, executed = staging_dirs(root)
    shutil.rmtree(stage, ignore_errors=True)
    executed.mkdir(parents=True)
    workers = max(1, min(workers, len(students)))
    db = Path(CourseDirectory(config=cfg).db_url.removeprefix("sqlite:///"))
    ctx = mp.get_context("fork")  # nbgrader is imported already; the workers import nothing new
    tasks, results = ctx.Queue(), ctx.Queue()
    for student in students:
        tasks.put(student)
    procs = []
    base_uid = int(cfg.SafeExecute.get("sandbox_uid", 61000)) if "SafeExecute" in cfg else 61000
    base_uid += 16 * (os.getpid() % 1024)  # concurrent grading runs never share a uid (RLIMIT_NPROC is per uid)
    for k in range(workers):
        worker_db = stage / f"worker{k}.db"
        shutil.copyfile(db, worker_db)
        wcfg = _worker_config(cfg, root, worker_db, executed, base_uid + k, day_id)
        tasks.put(None)
        p = ctx.Process(target=_work, args=(wcfg, root, day_id, tasks, results), daemon=True)
        p.start()
        procs.append(p)
    outcomes: dict[str, Outcome] = {}
    running: dict[int, tuple[str, float]] = {}  # pid -> (student, start)
    while len(outcomes) < len(students):
        try:
            kind, pid, student, payload = results.get(timeout=1.0)
        except queue.Empty:
            for p in procs:  # a worker that died takes only its current submission with it
                if not p.is_alive() and p.pid in running:
                    student, start = running.pop(p.pid)
                    outcome = Outcome(student, time.monotonic() - start,
                                      f"the grading worker stopped (exit code {p.exitcode}) while running it")
                    outcomes[student] = outcome
                    on_done and on_done(outcome)
            if not any(p.is_alive() for p in procs):
                for student in students:
                    if student not in outcomes:
                        outcomes[student] = Outcome(student, 0.0, "no grading worker was left to run it")
                        on_done and on_done(outcomes[student])
            continue
        if kind == "start":
            running[pid] = (student, time.monotonic())
        else:
            running.pop(pid, None)
            outcomes[student] = payload
            on_done and on_done(payload)
    for p in procs:
        p.join(timeout=10)
        if p.is_alive():
            p.kill()
    return outcomes


def _worker_config(cfg, root: Path, worker_db: Path, executed: Path, uid: int, day_id: str):
    from .safe_execute import SafeExecute

    wcfg = copy.deepcopy(cfg)
    wcfg.CourseDirectory.db_url = f"sqlite:///{worker_db}"
    wcfg.CourseDirectory.autograded_directory = str(executed.relative_to(root))
    wcfg.Autograde.autograde_preprocessors = [SafeExecute]
    wcfg.SafeExecute.sandbox_uid = uid
    wcfg.SafeExecute.submitted_directory = str(root / "submitted")
    wcfg.SafeExecute.log_directory = str(root / "logs" / day_id)  # each kernel's own stderr
    return wcfg


def _work(cfg, root: Path, day_id: str, tasks, results) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    pid = os.getpid()
    while True:
        student = tasks.get()
        if student is None:
            return
        results.put(("start", pid, student, None))
        start = time.monotonic()
        error = run_autograde(cfg, day_id, root, student)
        results.put(("done", pid, student, Outcome(student, time.monotonic() - start, error)))


def run_autograde(cfg, day_id: str, root: Path, student: str) -> str | None:
    """nbgrader's Autograde for one student; None, or the reason it failed."""
    try:
        return workspace.run_converter(Autograde, cfg, day_id, root, [student]).get(student)
    except Exception as exc:  # noqa: BLE001 (one submission never stops the others)
        return f"grading failed: {type(exc).__name__}: {exc}"
