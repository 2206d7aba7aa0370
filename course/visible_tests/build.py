"""Build ``dayNN.json`` (a release's visible tests) and the "Check your work" cells of each source notebook."""

from __future__ import annotations

import ast
import builtins
import json
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


