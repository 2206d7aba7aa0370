"""Autograde folders of student notebooks with nbgrader: scores, feedback, CSV.

``grade()`` takes a folder laid out as nbgrader's ``submitted/`` is
(``STUDENT/day01/day01.ipynb``); intake (course.grading.intake) checks every
notebook before nbgrader sees it and copies the good ones into the workspace.
Per day, worker processes (course.grading.parallel) then run nbgrader's
Autograde and GenerateFeedback for one submission at a time each, every kernel
sandboxed and guarded (course.grading.sandbox, course.grading.safe_execute), on
private copies of the gradebook; this process, the gradebook's only writer,
records each result as it arrives (course.grading.merge). Feedback shows hidden
tests' name, points and outcome only (course.grading.feedback).

A submission that cannot be graded is reported with its reason and never
stops the others; what the grader detected (tampering, limits, a dead kernel)
is in each submission's ``flags``.
"""

from __future__ import annotations

import hashlib
import shutil
import warnings
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.coursedir import CourseDirectory

from .. import syllabus
from ..errors import CourseError
from ..notebooks import grade_id, is_test_cell, read_notebook
from . import lms_intake, merge, parallel, release, sandbox, workspace
from .exports import export_csv, export_items_csv
from .intake import collect, copy_submission
from .progress import progress_bar
from .safe_execute import METADATA_KEY, SafeExecute
from .submission import GradingReport, Submission

BUILD_DIR = ".build/release"  # where grading regenerates the release to refresh the gradebook
# what nbgrader's exchange writes beside a submitted notebook: when it was submitted, and the
# secret that names its feedback in the exchange
EXCHANGE_RECORDS = ("timestamp.txt", "submission_secret.txt")


def grade(submissions_dir: str | Path, day_id: str | None = None, workspace_dir: str | Path | None = None,
          workers: int | None = None, progress: bool = False, lms: str | None = None,
          roster: str | Path | None = None, final: bool = False) -> GradingReport:
    """Autograde every submission under ``submissions_dir`` (optionally ``day_id``'s only).

    ``submissions_dir`` may also be a Canvas or Moodle download of ``day_id`` (a zip;
    ``lms``: canvas or moodle, default: read from its file names), whose students
    the ``roster`` (default: autograder/roster.csv) names (course.grading.lms_intake).
    ``workers`` kernels run at once (default: one per core); ``progress`` shows
    a bar with each submission's outcome on the terminal. ``final`` feedback shows each quiz
    answer and why (course.grading.quiz_feedback); otherwise it says only which were right.
    """
    if lms_intake.is_download(submissions_dir, lms):
        subs = lms_intake.collect_download(submissions_dir, day_id, workspace_dir, lms, roster)
    else:
        subs = collect(submissions_dir, day_id)
    workers = parallel.default_workers() if workers is None else workers
    if workers < 1:
        raise CourseError(f"workers must be at least 1, got {workers}")
    # nbgrader 0.9 with SQLAlchemy 2 warns about its own session handling; harmless.
    warnings.filterwarnings("ignore", message=".*not in session.*")
    root = workspace.prepare(workspace_dir)
    cfg = workspace.load_config(root)
    cfg.RedactHiddenTests.reveal_quiz_key = final
    pending = [s for s in subs if s.status == "pending"]
    caps = sandbox.capabilities()
    # the kernels' zygotes import torch while the gradebook is being set up
    with parallel.Zygotes(cfg, min(workers, len(pending))) as zygotes, \
            progress_bar(len(pending), enabled=progress) as bar:
        if progress and caps.missing:
            bar.write(caps.describe())
        for d in syllabus.days():
            batch = [s for s in pending if s.day.id == d.id]
            if batch:
                grade_day(cfg, d, batch, workers, on_graded=bar.graded, zygotes=zygotes)
    report = GradingReport(root, subs, sandbox=caps.describe())
    if any(s.status == "graded" for s in subs):
        report.grades_csv = export_csv(cfg, root / "grades.csv")
        report.items_csv = export_items_csv(subs, root / "grades_by_item.csv")
    return report


def grade_day(cfg, day: syllabus.Day, batch: list[Submission], workers: int, on_graded=None,
              zygotes: parallel.Zygotes | None = None) -> None:
    """Grade ``batch`` (checked submissions of ``day``) in the workspace of ``cfg``;
    ``on_graded(submission, outcome)`` is called as each one finishes."""
    root = workspace.root_of(cfg)
    # 1. the gradebook learns the current source (cells, points, hidden tests)
    refresh_gradebook(cfg, day)

    # 2. copy the batch into submitted/ (replacing earlier copies)
    for sub in batch:
        dest = root / "submitted" / sub.student / day.id
        if dest.exists():
            shutil.rmtree(dest)
        copy_submission(sub, dest / day.notebook)
        for name in EXCHANGE_RECORDS:  # nbgrader's late penalty and feedback release read them
            if (sub.notebook.parent / name).is_file():
                shutil.copyfile(sub.notebook.parent / name, dest / name)

    # 3. the workers autograde and write feedback; this process records each result
    #    in the gradebook as it arrives (its only writer)
    by_student = {s.student: s for s in batch}
    timeout = SafeExecute(config=cfg).timeout
    with Gradebook(CourseDirectory(config=cfg).db_url) as gb:
        def done(outcome: parallel.Outcome) -> None:
            sub = by_student[outcome.student]
            if on_graded is not None:
                on_graded(sub, outcome)
            if outcome.error:
                sub.fail(outcome.error)
                return
            autograded = root / "autograded" / sub.student / day.id / day.notebook
            if outcome.result is None or not autograded.exists():
                sub.fail("nbgrader produced no autograded notebook")
                return
            merge.write(gb, outcome.result)
            sub.status = "graded"
            nb = read_notebook(autograded)
            sub.flags.extend(nb.metadata.get(METADATA_KEY, {}).get("flags", []))
            sub.notes.extend(execution_notes(nb, timeout))
            if outcome.feedback_error:
                sub.notes.append(f"no feedback: {outcome.feedback_error}")

        parallel.grade_all(cfg, day.id, list(by_student), workers, on_done=done, zygotes=zygotes)

        # 4. scores per item, from the gradebook
        for sub in batch:
            if sub.status == "graded":
                sub.scores = item_scores(gb, day, sub.student)


def refresh_gradebook(cfg, day: syllabus.Day) -> None:
    """Regenerate the release into .build/ (nbgrader then records the source's cells in the
    gradebook), unless the gradebook already holds this exact source."""
    digest = hashlib.sha256(day.solution_path.read_bytes() + workspace.CONFIG_FILE.read_bytes()).hexdigest()
    stamp = workspace.root_of(cfg) / ".build" / f"{day.id}.source-sha256"
    if workspace.gradebook_path(cfg).exists() and stamp.exists() and stamp.read_text() == digest:
        return
    release.generate(cfg, day.id, release_directory=BUILD_DIR)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest)


def execution_notes(nb, timeout: int) -> list[str]:
    """Errors and timeouts outside the test cells of the autograded ``nb``: what the instructor should know
    (``timeout``: the seconds a cell was allowed)."""
    notes = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or is_test_cell(cell):
            continue
        where = grade_id(cell) or f"cell {index + 1}"
        for out in cell.get("outputs", []):
            if out.get("output_type") != "error":
                continue
            if out.get("ename") in ("CellTimeoutError", "KeyboardInterrupt"):
                notes.append(f"{where} ran longer than {timeout} s and was interrupted")
            elif out.get("ename") == "NotImplementedError":
                continue  # reported as "not answered"
            else:
                evalue = (out.get("evalue") or "").splitlines()[0][:100] if out.get("evalue") else ""
                notes.append(f"{where} raised {out.get('ename')}" + (f": {evalue}" if evalue else ""))
    return list(dict.fromkeys(notes))


def item_scores(gb: Gradebook, day: syllabus.Day, student: str) -> dict[str, tuple[float, float]]:
    """(score, max) per graded item of ``student``'s ``day``, summed over the item's test cells."""
    try:
        nb = gb.find_submission_notebook(Path(day.notebook).stem, day.id, student)
    except MissingEntry:
        return {}
    scores = {item: (0.0, 0.0) for item in day.items}
    for g in nb.grades:
        item = syllabus.item_of_test(g.name, day.items)
        if item is None:
            continue
        got, most = scores[item]
        scores[item] = (got + float(g.score or 0.0), most + float(g.max_score or 0.0))
    return scores
