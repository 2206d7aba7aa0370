"""Run a day's visible tests (from ``dayNN.json``) in the student's kernel: ``course.check``."""

from __future__ import annotations

import ast
import contextlib
import io
import json
import os
import sys
from importlib import resources

from .. import syllabus
from ..errors import CourseError
from ..cell_names import KERNEL_NAMES, top_level_names
from ..check_report import CheckReport, ItemResult, format_report

PACKAGE = "course.visible_tests"  # where the JSON files are installed
SKIP_MESSAGE = ("course.check: skipped while the notebook is graded "
                "(the grader runs the visible and hidden tests itself).")

# --------------------------------------------------------------------------- running them in the student's kernel

def load(day: str | syllabus.Day) -> dict:
    day = day if isinstance(day, syllabus.Day) else syllabus.get_day(day)
    resource = resources.files(PACKAGE).joinpath(f"{day.id}.json")
    if not resource.is_file():
        raise CourseError(f"{day.id}: this installation of the course package has no visible tests "
                          f"(course/visible_tests/{day.id}.json is missing): reinstall the package")
    return json.loads(resource.read_text(encoding="utf-8"))


def _shell():
    """The running IPython shell, if any (without importing IPython where it is not loaded)."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None and hasattr(ipython, "get_ipython") else None
    return shell


def _missing_name(exc: BaseException) -> str | None:
    if isinstance(exc, NameError) and not isinstance(exc, UnboundLocalError):
        name = getattr(exc, "name", None)
        if name:
            return name
        text = str(exc)
        if text.startswith("name '") and "'" in text[6:]:
            return text[6:text.index("'", 6)]
    return None


def _run_one(test: dict, namespace: dict, shell) -> BaseException | None:
    """Run one test cell's source in ``namespace`` as the notebook would; return the exception it raised."""
    source = test["source"]
    if shell is not None:
        source = shell.transform_cell(source)  # as IPython runs a cell (magics, if a test ever has one)
    out = io.StringIO()
    try:
        code = compile(source, f"<{test['grade_id']}>", "exec")
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            exec(code, namespace)
    except (Exception, SystemExit) as exc:  # KeyboardInterrupt stops the whole check
        return exc
    return None


def _restore(namespace: dict, saved: dict) -> None:
    for name in [n for n in namespace if n not in saved]:
        del namespace[name]
    for name, value in saved.items():
        if name not in namespace or namespace[name] is not value:
            namespace[name] = value


def run(day: str | syllabus.Day, namespace: dict):
    """Run ``day``'s visible tests in ``namespace`` and return a :class:`course.check_report.CheckReport`."""
    day = day if isinstance(day, syllabus.Day) else syllabus.get_day(day)
    spec = load(day)
    items = {i["item"]: ItemResult(i["item"], hidden_points=float(i["hidden_points"])) for i in spec["items"]}
    provided = set(KERNEL_NAMES)
    errors = []
    for cell in spec["setup"]:
        provided.update(cell["defines"])
        missing = [n for n in cell["defines"] if n not in namespace]
        if missing:
            shown = ", ".join(missing[:4]) + (", ..." if len(missing) > 4 else "")
            errors.append(f"the locked cell {cell['grade_id']!r} has not run in this kernel ({shown} undefined): "
                          "run the notebook from the top, then course.check again")
    for test in spec["tests"]:
        provided.update(top_level_names(ast.parse(test["source"])))
    shell = _shell()
    saved = dict(namespace)
    try:
        for test in spec["tests"]:
            result = items[test["item"]]
            points = float(test["points"])
            result.max_points += points
            unanswered = [n for n in test["needs"] if n not in namespace]
            exc = _run_one(test, namespace, shell)
            if exc is None:
                result.passed += 1
                result.points += points
                continue
            result.failed += 1
            missing = _missing_name(exc)
            if unanswered or isinstance(exc, NotImplementedError) or (missing and missing not in provided):
                result.answered = False
            else:
                result.messages.append(f"{type(exc).__name__}: {exc}".strip())
    finally:
        _restore(namespace, saved)
    return CheckReport(f"{day.notebook} (visible tests, run in this kernel)", list(items.values()), errors)


def check(day: str, namespace: dict | None = None, *, _caller_globals: dict | None = None):
    """Run ``day``'s visible tests on the current kernel's names, print the per-item table, return the report.

    ``namespace``: the names to test (default: IPython's ``user_ns``, or the caller's globals
    outside IPython). Under nbgrader (``NBGRADER_EXECUTION`` set) print one line and return None.
    """
    if os.environ.get("NBGRADER_EXECUTION"):
        print(SKIP_MESSAGE)
        return None
    if namespace is None:
        shell = _shell()
        namespace = shell.user_ns if shell is not None else _caller_globals
    if namespace is None:
        namespace = sys._getframe(1).f_globals
    report = run(day, namespace)
    print(format_report(report))
    return report
