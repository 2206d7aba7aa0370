"""The package's layers: the student side never reaches the grading runtime, and course/ has no import cycle.

`make test` runs `lint-imports` with the contracts in pyproject.toml; these tests
check that those contracts can fail, that every module is on one side of them,
and that the module graph (imports inside functions and under TYPE_CHECKING
included) has no cycle at all, not only none between siblings.
"""

from __future__ import annotations

import os
import pkgutil
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp
import pytest

import course
from course import syllabus

REPO = syllabus.REPO_ROOT
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONTRACTS = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
STUDENT_SIDE = next(c for c in CONTRACTS if c["forbidden_modules"][0] == "course.grading"
                    and c.get("as_packages", True))["source_modules"]
INSTRUCTOR_SIDE = ("course.cli", "course.grading", "course.hub")  # and the package itself, `course`, checked on its own


def _modules() -> list[str]:
    return sorted(m.name for m in pkgutil.walk_packages(course.__path__, "course."))


def _graph():
    return grimp.build_graph("course", cache_dir=None)


def _lint(tmp_path: Path, change=None) -> subprocess.CompletedProcess:
    """lint-imports on a copy of course/ (changed by ``change(copy_of_course)``) with this repository's contracts."""
    shutil.copytree(REPO / "course", tmp_path / "course", ignore=shutil.ignore_patterns("__pycache__", "*.json"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    if change:
        change(tmp_path / "course")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120)


def test_every_module_is_on_one_side_of_the_contract():
    def side(name: str) -> list[str]:
        return [s for s in (*STUDENT_SIDE, *INSTRUCTOR_SIDE) if name == s or name.startswith(s + ".")]

    unplaced = [m for m in _modules() if len(side(m)) != 1]
    assert not unplaced, (f"{unplaced}: put each module in the student side's list (pyproject.toml, "
                          "[tool.importlinter], the first contract) or under course/grading/")


def test_the_contracts_hold(tmp_path):
    run = _lint(tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "3 kept, 0 broken" in run.stdout, run.stdout


def test_a_student_side_import_of_the_grading_runtime_breaks_the_contract(tmp_path):
    def reach_into_grading(pkg: Path) -> None:  # even inside a function, as a lazy import would
        with (pkg / "checks.py").open("a") as fh:
            fh.write("\n\ndef _grade_myself():\n    from course.grading import autograde\n    return autograde\n")

    run = _lint(tmp_path, reach_into_grading)
    assert run.returncode != 0
    assert "The student side never imports the grading runtime BROKEN" in run.stdout, run.stdout
    assert "course.checks -> course.grading.autograde" in run.stdout, "the import chain is not named:\n" + run.stdout


def test_a_cycle_breaks_the_acyclic_contract(tmp_path):
    def cycle(pkg: Path) -> None:  # bundled is below data; an import back up closes a cycle
        with (pkg / "bundled.py").open("a") as fh:
            fh.write("\n\ndef _up():\n    from . import data\n    return data\n")

    run = _lint(tmp_path, cycle)
    assert run.returncode != 0
    assert "No import cycles in course/ BROKEN" in run.stdout, run.stdout


def _cycle(graph, modules) -> list[str] | None:
    """A cycle among ``modules`` (as a list of names, first repeated last), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(m):
        state[m] = 1
        path.append(m)
        for n in sorted(graph.find_modules_directly_imported_by(m) & modules):
            if state.get(n) == 1:
                return path[path.index(n):] + [n]
            if n not in state and (found := visit(n)):
                return found
        path.pop()
        state[m] = 2
        return None

    for m in sorted(modules):
        if m not in state and (found := visit(m)):
            return found
    return None


def test_no_module_imports_itself_back():
    graph = _graph()
    modules = set(graph.modules)
    assert _cycle(graph, modules) is None, " -> ".join(_cycle(graph, modules))


def test_import_levels_stay_few():
    """The longest chain of imports inside course/ (each module above the ones it imports): a flat, layered tree."""
    graph = _graph()
    modules = set(graph.modules)
    level: dict[str, int] = {}

    def depth(m):
        if m not in level:
            level[m] = 1 + max((depth(n) for n in graph.find_modules_directly_imported_by(m) & modules), default=0)
        return level[m]

    deepest = max(modules, key=depth)
    assert depth(deepest) <= 8, f"{deepest} sits {depth(deepest)} import levels deep"


@pytest.mark.parametrize("module", ["course.grading.kernel_guard", "course.grading.sandbox"])
def test_what_a_graded_kernel_imports_of_the_grading_runtime_needs_no_nbgrader(module):
    code = f"import sys, {module}; print(sorted(m for m in sys.modules if m.split('.')[0] in ('nbgrader', 'nbclient')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]", f"importing {module} pulled in {out.strip()}"
