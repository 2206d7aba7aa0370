"""Fast tests of the grading runtime's small modules, without running a kernel:
merge, reading failures from nbgrader's log, the score table, the progress bar,
and the defaults that are written once."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from course import syllabus
from course.grading import merge, parallel, progress, sandbox, workspace
from course.grading.converters import NBGRADER_FAILED, failure_from_log
from course.grading.report import grading_table
from course.grading.safe_execute import COURSE_PACKAGE, SafeExecute
from course.grading.submission import GradingReport, Submission

DAY1 = syllabus.get_day("day01")


# --------------------------------------------------------------------------- merge

def _gradebook(path: Path) -> str:
    """A gradebook with day01's notebook: two graded cells and one answer cell, and two students' submissions."""
    url = f"sqlite:///{path}"
    with Gradebook(url) as gb:
        gb.add_assignment("day01")
        gb.add_notebook("day01", "day01")
        gb.add_grade_cell("t_auto", "day01", "day01", max_score=2, cell_type="code")
        gb.add_grade_cell("t_manual", "day01", "day01", max_score=1, cell_type="markdown")
        gb.add_solution_cell("answer", "day01", "day01")
        for student in ("ann", "bob"):
            gb.add_student(student)
            gb.add_submission("day01", student)
    return url


def _scores(url: str, student: str) -> dict:
    with Gradebook(url) as gb:
        nb = gb.find_submission_notebook("day01", "day01", student)
        return {"grades": {g.name: (g.auto_score, g.manual_score, bool(g.needs_manual_grade)) for g in nb.grades},
                "comments": {c.name: c.auto_comment for c in nb.comments},
                "penalty": nb.late_submission_penalty,
                "timestamp": gb.find_submission("day01", student).timestamp}


@pytest.mark.filterwarnings("ignore:.*not in session")  # nbgrader 0.9's own session handling under SQLAlchemy 2
def test_merge_carries_one_students_results_and_nothing_else(tmp_path):
    worker, course_db = _gradebook(tmp_path / "worker.db"), _gradebook(tmp_path / "course.db")
    when = datetime(2026, 12, 1, 9, 30)
    with Gradebook(worker) as gb:
        sub = gb.find_submission("day01", "ann")
        sub.timestamp = when
        nb = gb.find_submission_notebook("day01", "day01", "ann")
        for g in nb.grades:
            g.auto_score, g.needs_manual_grade = (1.5, False) if g.name == "t_auto" else (None, True)
        nb.comments[0].auto_comment = "No response."
        nb.late_submission_penalty = 0.5
        gb.db.commit()
    with Gradebook(course_db) as gb:  # a manual score the instructor gave earlier stays
        gb.find_grade("t_manual", "day01", "day01", "ann").manual_score = 1
        gb.db.commit()

    result = merge.read(worker, "day01", "ann")
    assert result.student == "ann" and result.timestamp == when
    assert result.notebooks["day01"].grades == {"t_auto": (1.5, False), "t_manual": (None, True)}
    bob_before = _scores(course_db, "bob")
    with Gradebook(course_db) as gb:
        merge.write(gb, result)
        merge.write(gb, result)  # twice: the same, not doubled
    got = _scores(course_db, "ann")
    assert got["grades"] == {"t_auto": (1.5, None, False), "t_manual": (None, 1.0, True)}
    assert got["comments"] == {"answer": "No response."} and got["penalty"] == 0.5 and got["timestamp"] == when
    assert _scores(course_db, "bob") == bob_before, "another student's submission changed"
    assert merge.read(course_db, "day01", "ann") == result


# --------------------------------------------------------------------------- nbgrader's log

def _record(level: int, msg: str) -> logging.LogRecord:
    return logging.LogRecord("nbgrader", level, __file__, 1, msg, None, None)


def test_a_failure_is_read_from_nbgrader_log_with_the_last_traceback_line():
    records = [_record(logging.INFO, "Converting notebook day01.ipynb"),
               _record(logging.ERROR, f"{NBGRADER_FAILED}: /ws/submitted/ann/day01"),
               _record(logging.ERROR, "Traceback (most recent call last):\n  File ...\nKeyError: 'conv_output_size'\n"),
               _record(logging.ERROR, "Traceback (most recent call last):\nValueError: later")]
    assert failure_from_log(records) == "nbgrader could not process this submission: KeyError: 'conv_output_size'"


def test_a_failure_without_traceback_and_a_clean_log():
    assert failure_from_log([_record(logging.ERROR, f"{NBGRADER_FAILED}: x")]) == \
        "nbgrader could not process this submission"
    # a traceback nbgrader logs without saying the submission failed is not a failure
    assert failure_from_log([_record(logging.INFO, "Writing feedback"),
                             _record(logging.ERROR, "Traceback (most recent call last):\nOSError: x")]) is None


# --------------------------------------------------------------------------- the score table

def _report(tmp_path) -> GradingReport:
    ada = Submission("ada", DAY1, status="graded", scores={i: (2.0, 2.0) for i in DAY1.items},
                     notes=["graded answers.ipynb as day01.ipynb"], flags=["tampering: builtins.print was replaced"])
    ben = Submission("ben", DAY1, status="graded", scores={i: (0.5, 2.0) for i in DAY1.items})
    cleo = Submission("cleo", DAY1)
    cleo.fail("cleo/day01: no notebook (expected day01.ipynb)")
    return GradingReport(tmp_path, [ben, cleo, ada], tmp_path / "grades.csv", tmp_path / "grades_by_item.csv",
                         sandbox="sandbox: limits only")


def test_score_table_rows_totals_notes_and_failures(tmp_path):
    text = grading_table(_report(tmp_path))
    lines = text.splitlines()
    assert lines[0] == "sandbox: limits only"
    assert lines[2] == f"day01: {DAY1.title}"
    header = lines[3].split()
    assert header == ["student", *DAY1.items, "total", "status"]
    rows = {line.split()[0]: line.split() for line in lines[5:8]}
    assert list(rows) == ["ada", "ben", "cleo"], "students are sorted"
    n = len(DAY1.items)
    assert rows["ada"][1:] == ["2/2"] * n + [f"{2 * n}/{2 * n}", "graded"]
    assert rows["ben"][1:] == ["0.5/2"] * n + [f"{0.5 * n:g}/{2 * n}", "graded"]
    assert rows["cleo"][1:] == ["-"] * (n + 1) + ["FAILED"]
    assert "  cleo: FAILED: cleo/day01: no notebook (expected day01.ipynb)" in lines
    assert "  ada: graded answers.ipynb as day01.ipynb" in lines
    assert "  ada: FLAG tampering: builtins.print was replaced" in lines
    assert f"grades (nbgrader export): {tmp_path / 'grades.csv'}" in lines
    assert lines[-1] == "1 submission(s) could not be graded: cleo/day01"


# --------------------------------------------------------------------------- the progress bar

def test_progress_writes_one_line_per_submission_and_nothing_when_off(capsys):
    sub = Submission("ada", DAY1)
    with progress.progress_bar(2, enabled=True) as bar:
        bar.graded(sub, parallel.Outcome("ada", 1.24))
        bar.graded(Submission("ben", DAY1), parallel.Outcome("ben", 0.5, "the grading worker stopped"))
    out, err = capsys.readouterr()
    assert out.splitlines() == ["day01 ada: graded (1.2 s)", "day01 ben: FAILED: the grading worker stopped (0.5 s)"]
    assert "2/2" in err, "the bar counts the submissions"
    with progress.progress_bar(2, enabled=False) as bar:
        bar.graded(sub, parallel.Outcome("ada", 1.0))
        bar.write("anything")
    assert capsys.readouterr() == ("", "")


# --------------------------------------------------------------------------- defaults written once

def test_the_sandbox_defaults_are_safe_executes_defaults():
    limits, settings = sandbox.Limits(), SafeExecute()
    assert (settings.cpu_seconds, settings.memory_mb, settings.processes, settings.file_size_mb) == \
        (limits.cpu_seconds, limits.memory_mb, limits.processes, limits.file_size_mb)
    assert settings.sandbox_uid == sandbox.Spec(scratch="/x").uid == sandbox.BASE_UID


def test_effective_settings_come_from_nbgrader_config():
    cfg = workspace.load_config()
    settings = SafeExecute(config=cfg)
    assert settings.timeout == cfg.Execute.timeout, "the cell timeout set for Execute reaches SafeExecute"
    assert settings.cpu_seconds == cfg.SafeExecute.cpu_seconds
    assert cfg.CourseDirectory.course_id == syllabus.course_id()


def test_graded_kernels_see_the_whole_course_package():
    assert (COURSE_PACKAGE / "checks.py").is_file() and (COURSE_PACKAGE / "grading").is_dir()


def test_the_gradebook_path_is_the_configured_one(tmp_path):
    cfg = workspace.load_config(tmp_path)
    assert workspace.root_of(cfg) == tmp_path.resolve()
    assert workspace.gradebook_path(cfg) == tmp_path.resolve() / "gradebook.db"


@pytest.mark.parametrize("workers, cores, threads", [(1, 2, 2), (2, 2, 1), (4, 2, 1), (2, 16, 8)])
def test_kernel_threads_share_the_cores(monkeypatch, workers, cores, threads):
    monkeypatch.setattr(parallel, "default_workers", lambda: cores)
    assert parallel.kernel_threads(workers) == threads


def test_nbgrader_log_lines_are_read_while_their_arguments_can_still_be_formatted():
    # nbgrader logs gradebook rows (a late submission's "is late") whose repr needs a session it
    # closes right after: formatted later, the line raised and failed the whole submission
    from course.grading.converters import LogCapture, failure_from_log

    class ClosedSessionRow:
        usable = True

        def __repr__(self):
            if not self.usable:
                raise RuntimeError("session closed")
            return "SubmittedAssignment<day01 for ann>"

    row = ClosedSessionRow()
    capture = LogCapture()
    log = logging.getLogger("test.capture")
    log.handlers[:] = [capture]
    log.propagate = False
    log.warning("%s is late", row)
    row.usable = False
    assert capture.messages() == ["SubmittedAssignment<day01 for ann> is late"]
    assert failure_from_log(capture.records) is None
