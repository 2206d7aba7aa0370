"""The visible tests of each day's exercise, shipped with the package, and ``course.check`` that runs them.

``course.check("day01")`` is the self-check a student runs *inside* the exercise
notebook (on Colab too, where there is no nbgrader, no course folder and the
notebook is not on disk). It runs the day's visible tests against the kernel's
current names and prints the same per-item table as ``course check NOTEBOOK``.

The tests come from ``course/visible_tests/dayNN.json``, generated from the
student release (``exercises/``) by ``course build`` (:func:`write`): for each
visible test cell its grade id, item, points and source, plus the release's
locked set-up cells. They are built from the release only, so they hold nothing
that the student's notebook does not show; hidden tests never get here.

How the tests run (see :func:`run`):

- In the kernel's own namespace, as the notebook's test cells run: two tests
  (Day 4's ``fit``, Day 5's ``vgg16_features``) put stand-ins into ``globals()``
  for the student's function to call, which works only when the test's globals
  are the dict the student's functions were defined in (a shallow copy would make
  them fail for correct answers). Afterwards every name is put back as it was:
  names the tests added are removed, names they rebound get their old objects.
- The set-up cells are not run again (Day 6's would replace the student's
  ``day06_model``, Day 4's would restart the training recorder, each reseeds
  torch): when the names they define are missing, the report says to run the
  notebook from the top.
- An item is "not answered" when a test raises NotImplementedError, or a name the
  student has to define (a test's ``needs``, or any name no locked cell defines)
  is undefined.
- Under nbgrader (``NBGRADER_EXECUTION`` set) nothing runs: the grader runs the
  visible and hidden tests itself.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import io
import json
import os
import sys
from importlib import resources
from pathlib import Path

from .. import syllabus
from ..errors import CourseError

HERE = Path(__file__).resolve().parent
MARKER = {"course": {"generated": "self-check"}}
SKIP_MESSAGE = ("course.check: skipped while the notebook is graded "
                "(the grader runs the visible and hidden tests itself).")
# names every kernel has without a cell defining them
KERNEL_NAMES = frozenset(dir(builtins)) | {"get_ipython", "display", "In", "Out", "exit", "quit", "__name__"}


# --------------------------------------------------------------------------- building the JSON from the release

def _bound_names(tree: ast.AST) -> set[str]:
    """Every name the code binds anywhere (assignments, defs, classes, arguments, imports, loops, with, except)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            names.add(node.name)
    return names


class _TopLevel(ast.NodeVisitor):
    """Collects the names a cell binds in its own namespace (not inside functions, classes or comprehensions)."""

    def __init__(self):
        self.names: set[str] = set()

    def _scope(self, node):
        self.names.add(node.name)
        for d in node.decorator_list:
            self.visit(d)

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _scope

    def _skip(self, node):
        pass

    visit_Lambda = visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _skip

    def visit_Import(self, node):
        self.names.update((a.asname or a.name).split(".")[0] for a in node.names)

    visit_ImportFrom = visit_Import

    def visit_Name(self, node):
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            self.names.add(node.id)

    def visit_ExceptHandler(self, node):
        if node.name:
            self.names.add(node.name)
        self.generic_visit(node)


def _top_level_names(tree: ast.Module) -> set[str]:
    """The names a cell leaves in the namespace: what its statements bind outside nested scopes."""
    visitor = _TopLevel()
    visitor.visit(tree)
    return visitor.names


def _loaded_names(tree: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _parse(source: str, where: str) -> ast.Module:
    try:
        return ast.parse(source)
    except SyntaxError as exc:  # an IPython magic, or a broken cell
        raise CourseError(f"{where}: not plain Python ({exc.msg}, line {exc.lineno}): "
                          "course.check runs test cells with exec") from None


def build(day: str | syllabus.Day, release_path: str | Path | None = None) -> dict:
    """The visible tests of ``day``'s release notebook (``exercises/`` unless ``release_path``), as stored in the JSON."""
    from ..notebooks import grade_id, is_answer_cell, is_test_cell, nbgrader_meta, read_notebook
    from ..selfcheck import _is_hidden_placeholder

    day = day if isinstance(day, syllabus.Day) else syllabus.get_day(day)
    path = Path(release_path) if release_path else day.exercise_path
    nb = read_notebook(path)
    answers = tuple(grade_id(c) for c in nb.cells if is_answer_cell(c))
    if answers != day.items:
        raise CourseError(f"{path}: its answer cells {list(answers)} are not the syllabus's items {list(day.items)}")
    items = {i: {"item": i, "hidden_points": 0} for i in answers}
    setup, tests = [], []
    for cell in nb.cells:
        if cell.cell_type != "code" or is_answer_cell(cell) or MARKER["course"] == cell.metadata.get("course"):
            continue
        meta = nbgrader_meta(cell)
        if is_test_cell(cell):
            item = syllabus.item_of_test(grade_id(cell), answers)
            if item is None:
                raise CourseError(f"{path}: test cell {grade_id(cell)!r} belongs to no graded item")
            points = meta.get("points", 0)
            if _is_hidden_placeholder(cell):  # hidden: only its points travel, never a line of it
                items[item]["hidden_points"] += points
                continue
            tree = _parse(cell.source, f"{path}: {grade_id(cell)}")
            tests.append({"grade_id": grade_id(cell), "item": item, "points": points, "source": cell.source,
                          "_tree": tree})
        elif meta.get("locked") and cell.source.strip():
            tree = _parse(cell.source, f"{path}: {grade_id(cell)}")
            setup.append({"grade_id": grade_id(cell), "source": cell.source,
                          "defines": sorted(_top_level_names(tree))})
    provided = {n for s in setup for n in s["defines"]} | {n for t in tests for n in _bound_names(t["_tree"])}
    for test in tests:
        tree = test.pop("_tree")
        test["needs"] = sorted(_loaded_names(tree) - _bound_names(tree) - provided - KERNEL_NAMES)
    return {
        "about": f"generated by `course build` from exercises/{day.id}/{day.notebook} (the student release): "
                 "its visible tests, for course.check; do not edit",
        "day": day.id,
        "notebook": day.notebook,
        "items": list(items.values()),
        "setup": setup,
        "tests": tests,
    }


def json_path(day: syllabus.Day) -> Path:
    return HERE / f"{day.id}.json"


def _dumps(data: dict) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def write(days: list[syllabus.Day] | None = None) -> list[Path]:
    """Write ``course/visible_tests/dayNN.json`` from the release of each day (default: all); return the files."""
    out = []
    for day in days or syllabus.days():
        path = json_path(day)
        text = _dumps(build(day))
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        out.append(path)
    return out


def write_all() -> list[Path]:
    return write(None)


def check_in_sync() -> list[str]:
    """The days whose JSON is missing or differs from what their release gives now."""
    stale = []
    for day in syllabus.days():
        path = json_path(day)
        if not path.exists() or json.loads(path.read_text(encoding="utf-8")) != json.loads(_dumps(build(day))):
            stale.append(day.id)
    return stale


# --------------------------------------------------------------------------- the "Check your work" cells

CHECK_MARKDOWN = ("## Check your work\n\n"
                  "The cell below runs this notebook's visible tests against what you have run so far and prints "
                  "a table per item (it works on Colab too). The hidden tests run only when the notebook is graded.")


def check_cells(day: syllabus.Day) -> list:
    import nbformat

    md = nbformat.v4.new_markdown_cell(CHECK_MARKDOWN, id="check-your-work", metadata=json.loads(json.dumps(MARKER)))
    code = nbformat.v4.new_code_cell(f'import course\ncourse.check("{day.id}")', id="check-your-work-code",
                                     metadata=json.loads(json.dumps(MARKER)))
    return [md, code]


def add_check_cells(day: str | syllabus.Day, path: str | Path | None = None) -> bool:
    """Put the two "Check your work" cells at the end of ``day``'s source notebook (solutions/); idempotent.

    Cells marked ``{"course": {"generated": "self-check"}}`` are removed first and the two
    current ones appended; nothing else changes. Return whether the file changed.
    """
    import nbformat

    day = day if isinstance(day, syllabus.Day) else syllabus.get_day(day)
    path = Path(path) if path else day.solution_path
    before = path.read_text(encoding="utf-8")
    nb = nbformat.reads(before, as_version=4)
    nb.cells = [c for c in nb.cells if c.get("metadata", {}).get("course") != MARKER["course"]] + check_cells(day)
    nbformat.validate(nb)
    after = nbformat.writes(nb) + "\n"
    if after != before:
        path.write_text(after, encoding="utf-8")
    return after != before


# --------------------------------------------------------------------------- running them in the student's kernel

def load(day: str | syllabus.Day) -> dict:
    day = day if isinstance(day, syllabus.Day) else syllabus.get_day(day)
    resource = resources.files(__name__).joinpath(f"{day.id}.json")
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
    """Run ``day``'s visible tests in ``namespace`` and return a :class:`course.selfcheck.CheckReport`."""
    from ..selfcheck import CheckReport, ItemResult

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
        provided.update(_top_level_names(ast.parse(test["source"])))
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
    from ..selfcheck import format_report

    if namespace is None:
        shell = _shell()
        namespace = shell.user_ns if shell is not None else _caller_globals
    if namespace is None:
        namespace = sys._getframe(1).f_globals
    report = run(day, namespace)
    print(format_report(report))
    return report
