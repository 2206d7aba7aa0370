"""Grade a day's submissions in parallel: N worker processes, one submission at a time each.

Each worker runs nbgrader's whole ``Autograde`` pipeline (with ``SafeExecute``)
and then ``GenerateFeedback`` for one student per run, on a private copy of the
gradebook (SQLite does not take concurrent writers). It sends the scores
back as plain data (course.grading.merge); the grading process, the only writer of
the real gradebook, records them. A worker that dies loses only the
submission it was running; the others carry on.

Kernels are forked from a zygote (course.grading.zygote) that has imported torch
already. ``Zygotes`` starts one per worker before they are needed, so that
the imports overlap the gradebook's set-up, and keeps them for every day of
the run.
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

from nbgrader.converters import Autograde, GenerateFeedback
from nbgrader.coursedir import CourseDirectory

from . import merge, workspace, zygote
from .converters import run_converter
from .safe_execute import SafeExecute

STAGING = ".grading"  # inside the workspace: the workers' gradebooks


@dataclass
class Outcome:
    student: str
    seconds: float
    error: str | None = None
    result: merge.Result | None = None  # the scores, for the real gradebook
    feedback_error: str | None = None


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def kernel_threads(workers: int) -> int:
    """torch threads per kernel: the cores shared among the kernels that run at once
    (more threads than cores make every kernel wait on the others' spinning threads)."""
    return max(1, default_workers() // max(1, workers))


class Zygotes:
    """One kernel zygote per worker, started ahead of need and kept for the whole grading run."""

    def __init__(self, cfg, workers: int) -> None:
        wanted = SafeExecute(config=cfg).zygote
        self.pool = [zygote.Zygote() for _ in range(workers)] if wanted else []

    def give(self, k: int) -> None:
        """In worker ``k``: use its zygote (the first kernel waits for its imports to finish)."""
        if k < len(self.pool):
            zygote.adopt(self.pool[k])

    def close(self) -> None:
        for z in self.pool:
            z.close()

    def __enter__(self) -> "Zygotes":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def grade_all(cfg, day_id: str, students: list[str], workers: int, on_done=None,
              zygotes: Zygotes | None = None) -> dict[str, Outcome]:
    """Autograde (and write feedback for) every student's submitted notebook of ``day_id`` in the
    workspace of ``cfg``; ``on_done(outcome)`` is called in this process as each one finishes.
    Returns {student: Outcome}."""
    root = workspace.root_of(cfg)
    stage = root / STAGING
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    workers = max(1, min(workers, len(students)))
    db = workspace.gradebook_path(cfg)
    ctx = mp.get_context("fork")  # nbgrader is imported already; the workers import nothing new
    tasks, results = ctx.Queue(), ctx.Queue()
    for student in students:
        tasks.put(student)
    procs = []
    settings = SafeExecute(config=cfg)
    base_uid = settings.sandbox_uid + 16 * (os.getpid() % 1024)  # concurrent runs never share a uid (RLIMIT_NPROC is per uid)
    threads = settings.threads or kernel_threads(workers)
    for k in range(workers):
        worker_db = stage / f"worker{k}.db"
        shutil.copyfile(db, worker_db)
        wcfg = _worker_config(cfg, root, day_id, worker_db, base_uid + k, threads)
        tasks.put(None)
        p = ctx.Process(target=_work, args=(wcfg, day_id, tasks, results, zygotes, k), daemon=True)
        p.start()
        procs.append(p)
    outcomes: dict[str, Outcome] = {}
    running: dict[int, tuple[str, float]] = {}  # pid -> (student, start)
    try:
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
    finally:
        for p in procs:
            p.join(timeout=10)
            if p.is_alive():
                p.kill()
        shutil.rmtree(stage, ignore_errors=True)
    return outcomes


def _worker_config(cfg, root: Path, day_id: str, worker_db: Path, uid: int, threads: int):
    wcfg = copy.deepcopy(cfg)
    wcfg.CourseDirectory.db_url = f"sqlite:///{worker_db}"
    wcfg.SafeExecute.sandbox_uid = uid
    wcfg.SafeExecute.submitted_directory = str(root / "submitted")
    wcfg.SafeExecute.log_directory = str(root / "logs" / day_id)  # each kernel's own stderr
    wcfg.SafeExecute.threads = threads
    return wcfg


def _work(cfg, day_id: str, tasks, results, zygotes: Zygotes | None, k: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if zygotes is not None:
        zygotes.give(k)
    pid = os.getpid()
    while True:
        student = tasks.get()
        if student is None:
            return
        results.put(("start", pid, student, None))
        start = time.monotonic()
        outcome = grade_one(cfg, day_id, student)
        outcome.seconds = time.monotonic() - start
        results.put(("done", pid, student, outcome))


def grade_one(cfg, day_id: str, student: str) -> Outcome:
    """nbgrader's Autograde, then its GenerateFeedback, for one student (on ``cfg``'s gradebook)."""
    try:
        error = run_converter(Autograde, cfg, day_id, student)
        if error:
            return Outcome(student, 0.0, error)
        result = merge.read(CourseDirectory(config=cfg).db_url, day_id, student)
    except Exception as exc:  # noqa: BLE001 (one submission never stops the others)
        return Outcome(student, 0.0, f"grading failed: {type(exc).__name__}: {exc}")
    try:
        feedback_error = run_converter(GenerateFeedback, cfg, day_id, student)
    except Exception as exc:  # noqa: BLE001
        feedback_error = f"{type(exc).__name__}: {exc}"
    return Outcome(student, 0.0, None, result, feedback_error)
