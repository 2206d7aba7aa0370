"""Autograde folders of student notebooks with nbgrader: scores, feedback, CSV.

``grade()`` takes a folder laid out as nbgrader's ``submitted/`` is
(``STUDENT/day01/day01.ipynb``), checks every notebook before nbgrader sees it
and copies the good ones into the workspace. Per day, worker processes
(course.workers) then run nbgrader's Autograde and GenerateFeedback for one
submission at a time each, every kernel sandboxed and guarded
(course.sandbox, course.safe_execute), on private copies of the gradebook;
this process, the gradebook's only writer, records each result as it arrives
(course.merge). Feedback shows hidden tests' name, points and outcome only
(course.feedback).

A submission that cannot be graded is reported with its reason and never
stops the others; what the grader detected (tampering, limits, a dead kernel)
is in each submission's ``flags``.
"""

from __future__ import annotations

import csv
import re
import warnings
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.coursedir import CourseDirectory
from nbgrader.plugins.export import CsvExportPlugin

from . import merge, release, sandbox, syllabus, workspace
from . import workers as parallel
from .errors import CourseError
from .progress import progress_bar
from .safe_execute import METADATA_KEY
from .notebooks import cells_by_grade_id, grade_id, is_test_cell, nbgrader_meta, read_notebook

STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]*$")
BUILD_DIR = ".build/release"  # where grading regenerates the release to refresh the gradebook


@dataclass
class Submission:
    student: str
    day: syllabus.Day
    notebook: Path | None = None
    status: str = "pending"  # "graded" or "failed"
    error: str | None = None
    notes: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)  # what the grader detected: tampering, limits, a dead kernel
    scores: dict[str, tuple[float, float]] = field(default_factory=dict)  # item -> (score, max)

    def fail(self, reason: str) -> None:
        self.status, self.error = "failed", reason

    @property
    def total(self) -> tuple[float, float]:
        return (sum(s for s, _ in self.scores.values()), sum(m for _, m in self.scores.values()))


@dataclass
class GradingReport:
    workspace: Path
    submissions: list[Submission]
    grades_csv: Path | None = None
    items_csv: Path | None = None
    sandbox: str = ""

    @property
    def failed(self) -> list[Submission]:
        return [s for s in self.submissions if s.status != "graded"]

    def get(self, student: str, day: str | None = None) -> Submission:
        """The submission of ``student`` (for ``day``; any day when the report holds one only)."""
        found = [s for s in self.submissions if s.student == student and day in (None, s.day.id)]
        if len(found) != 1:
            raise KeyError(f"{len(found)} submissions of {student!r}" + (f" for {day}" if day else "")
                           + ": name the day" * (len(found) > 1))
        return found[0]


def grade(submissions_dir: str | Path, day: str | None = None, workspace_dir: str | Path | None = None,
          workers: int | None = None, progress: bool = False) -> GradingReport:
    """Autograde every submission under ``submissions_dir`` (optionally one day only).

    ``workers`` kernels run at once (default: one per core); ``progress`` shows
    a bar with each submission's outcome on the terminal.
    """
    subs = collect(submissions_dir, day)
    workers = parallel.default_workers() if workers is None else workers
    if workers < 1:
        raise CourseError(f"workers must be at least 1, got {workers}")
    # nbgrader 0.9 with SQLAlchemy 2 warns about its own session handling; harmless.
    warnings.filterwarnings("ignore", message=".*not in session.*")
    root = workspace.prepare(workspace_dir)
    cfg = workspace.load_config(root)
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
                _grade_day(cfg, root, d, batch, workers, bar.update_with, zygotes)
    report = GradingReport(root, subs, sandbox=caps.describe())
    if any(s.status == "graded" for s in subs):
        report.grades_csv = export_csv(cfg, root / "grades.csv")
        report.items_csv = export_items_csv(root, subs, root / "grades_by_item.csv")
    return report


def collect(submissions_dir: str | Path, day: str | None = None) -> list[Submission]:
    """Find ``STUDENT/DAY/*.ipynb`` under ``submissions_dir``; check each notebook."""
    top = Path(submissions_dir)
    if not top.exists():
        raise CourseError(f"{top}: no such folder")
    if not top.is_dir():
        raise CourseError(f"{top}: not a folder (expected STUDENT/DAY/NOTEBOOK.ipynb inside it)")
    only = syllabus.get_day(day) if day is not None else None
    students = sorted(p for p in top.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not students:
        raise CourseError(f"{top}: no student folders (expected {top}/STUDENT/day01/day01.ipynb)")
    subs: list[Submission] = []
    for sdir in students:
        day_dirs = {}
        for ddir in sorted(p for p in sdir.iterdir() if p.is_dir() and not p.name.startswith(".")):
            try:
                d = syllabus.get_day(ddir.name)
            except CourseError:
                if only is None:
                    sub = Submission(sdir.name, syllabus.days()[0])
                    sub.fail(f"{ddir}: folder is not a course day (expected names like day01)")
                    subs.append(sub)
                continue
            if only is None or d == only:
                day_dirs[d.id] = (d, ddir)
        if only is not None and only.id not in day_dirs:
            sub = Submission(sdir.name, only)
            sub.fail(f"{sdir}: no {only.id}/ folder, so no submission for {only.id}")
            subs.append(sub)
        for d, ddir in day_dirs.values():
            subs.append(_check_submission(Submission(sdir.name, d), ddir))
    return subs


def _check_submission(sub: Submission, ddir: Path) -> Submission:
    if not STUDENT_ID.match(sub.student):
        sub.fail(f"student folder name {sub.student!r} is not a valid id (letters, digits, _ . @ -)")
        return sub
    expected = ddir / sub.day.notebook
    candidates = sorted(ddir.glob("*.ipynb"))
    if expected.exists():
        path = expected
    elif len(candidates) == 1:
        path = candidates[0]
        sub.notes.append(f"graded {path.name} as {sub.day.notebook}")
    elif not candidates:
        sub.fail(f"{ddir}: no notebook (expected {sub.day.notebook})")
        return sub
    else:
        sub.fail(f"{ddir}: {len(candidates)} notebooks and none named {sub.day.notebook}")
        return sub
    try:
        nb = read_notebook(path)
    except CourseError as exc:
        sub.fail(str(exc))
        return sub
    sub.notebook = path
    sub.notes.extend(_submission_notes(nb, sub.day))
    return sub


def _submission_notes(nb, day: syllabus.Day) -> list[str]:
    """What the student left unanswered or changed that nbgrader will undo."""
    if not day.exercise_path.exists():
        return []
    released = cells_by_grade_id(read_notebook(day.exercise_path))
    submitted = cells_by_grade_id(nb)
    notes, unanswered = [], []
    for gid, cell in released.items():
        meta = nbgrader_meta(cell)
        if gid not in submitted:
            if is_test_cell(cell):
                notes.append(f"test cell {gid} was deleted; the original was restored")
            elif meta.get("solution"):
                notes.append(f"answer cell {gid} was deleted")
        elif meta.get("solution") and not meta.get("grade"):
            if submitted[gid].source.strip() == cell.source.strip():
                unanswered.append(gid)
        elif meta.get("locked") and submitted[gid].source.strip() != cell.source.strip():
            notes.append(f"locked cell {gid} was edited; the original was used")
    if unanswered:
        notes.insert(0, "not answered: " + ", ".join(unanswered))
    return notes


def _grade_day(cfg, root: Path, day: syllabus.Day, batch: list[Submission], workers: int, progress,
               zygotes: parallel.Zygotes | None = None) -> None:
    # 1. the gradebook learns the current source (cells, points, hidden tests)
    _refresh_gradebook(cfg, root, day)

    # 2. copy the batch into submitted/ (replacing earlier copies)
    released = cells_by_grade_id(read_notebook(day.exercise_path)) if day.exercise_path.exists() else None
    for sub in batch:
        dest = root / "submitted" / sub.student / day.id
        if dest.exists():
            shutil.rmtree(dest)
        dest.mkdir(parents=True)
        _copy_submission(sub, dest / day.notebook, released)

    # 3. the workers autograde and write feedback; this process records each result
    #    in the gradebook as it arrives (its only writer)
    by_student = {s.student: s for s in batch}
    with Gradebook(CourseDirectory(config=cfg).db_url) as gb:
        def done(outcome: parallel.Outcome) -> None:
            sub = by_student[outcome.student]
            progress(sub, outcome)
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
            sub.notes.extend(_execution_notes(nb, cfg))
            if outcome.feedback_error:
                sub.notes.append(f"no feedback: {outcome.feedback_error}")

        parallel.grade_all(cfg, root, day.id, list(by_student), workers, on_done=done, zygotes=zygotes)

        # 4. scores per item, from the gradebook
        for sub in batch:
            if sub.status == "graded":
                sub.scores = _item_scores(gb, day, sub.student)


def _copy_submission(sub: Submission, dest: Path, released: dict | None) -> None:
    """Copy the notebook for nbgrader; a cell that claims to be graded but is not part of the
    assignment (``released``: the release's cells by grade id) becomes an ordinary cell, and
    the report says so."""
    nb = read_notebook(sub.notebook)
    seen: set[str] = set()
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader")
        if not meta or released is None:
            continue
        gid = meta.get("grade_id")
        claims = any(meta.get(key) for key in ("grade", "solution", "locked", "task"))
        if gid in released and gid not in seen and claims:
            seen.add(gid)
            continue
        if gid in seen:
            sub.notes.append(f"a second copy of cell {gid} was graded as an ordinary cell")
        elif claims:
            what = f"cell {gid!r}" if gid else "a cell without a grade id"
            sub.flags.append(f"tampering: {what} claims to be graded but is not part of the assignment "
                             f"({meta.get('points', 0)} points claimed); graded as an ordinary cell")
        del cell.metadata["nbgrader"]
    nbformat.write(nb, str(dest))


def _refresh_gradebook(cfg, root: Path, day: syllabus.Day) -> None:
    """Regenerate the release into .build/ (nbgrader then records the source's cells in the
    gradebook), unless the gradebook already holds this exact source."""
    import hashlib

    digest = hashlib.sha256(day.solution_path.read_bytes() + workspace.CONFIG_FILE.read_bytes()).hexdigest()
    stamp = root / ".build" / f"{day.id}.source-sha256"
    db = Path(CourseDirectory(config=cfg).db_url.removeprefix("sqlite:///"))
    if db.exists() and stamp.exists() and stamp.read_text() == digest:
        return
    release.generate(cfg, day.id, release_directory=BUILD_DIR)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest)


def _execution_notes(nb, cfg) -> list[str]:
    """Errors and timeouts outside the test cells of the autograded ``nb``: what the instructor should know."""
    timeout = cfg.Execute.timeout if "timeout" in cfg.Execute else 30
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


def _item_scores(gb: Gradebook, day: syllabus.Day, student: str) -> dict[str, tuple[float, float]]:
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


def export_csv(cfg, dest: Path) -> Path:
    """nbgrader's own CSV export (one row per student and assignment)."""
    coursedir = CourseDirectory(config=cfg)
    plugin = CsvExportPlugin(config=cfg)
    plugin.to = str(dest)
    workspace.quiet_converter(plugin)
    with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
        plugin.export(gb)
    return dest


def export_items_csv(root: Path, subs: list[Submission], dest: Path) -> Path:
    """Per-item scores of this run: one row per student, day and item."""
    with dest.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["student", "day", "item", "score", "max_score", "status"])
        for sub in sorted(subs, key=lambda s: (s.day.id, s.student)):
            if sub.status != "graded":
                writer.writerow([sub.student, sub.day.id, "", "", "", f"failed: {sub.error}"])
                continue
            for item, (got, most) in sub.scores.items():
                writer.writerow([sub.student, sub.day.id, item, f"{got:g}", f"{most:g}", "graded"])
    return dest
