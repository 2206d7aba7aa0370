"""``course.check("dayNN")``: the self-check a student runs inside the exercise notebook (Colab too).

It runs the visible tests that travel with the package (course/visible_tests/dayNN.json,
generated from the release) against the kernel's names. Day 1 is run in a real kernel
(the release copied to a temporary folder, no nbgrader course folder); the other days
are checked through their JSON, in this process.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import course
from course import syllabus, visible_tests
from course.notebooks import grade_id, is_test_cell, read_notebook
from params import all_days
import factory
from factory import reference_answers, submission, variants, write_submission

DAY1 = syllabus.get_day("day01")
MARKERS = ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "BEGIN SOLUTION", "END SOLUTION")
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


# --------------------------------------------------------------------------- the JSON and the notebook cells

def test_visible_tests_json_is_in_sync_with_the_release():
    stale = visible_tests.check_in_sync()
    assert not stale, (f"course/visible_tests/ is out of date for {stale}: run `course build` (it rewrites the JSON "
                       "from exercises/) and commit")


@pytest.mark.parametrize("day", all_days())
def test_visible_tests_json_holds_the_visible_tests_and_nothing_hidden(day):
    raw = visible_tests.json_path(day).read_text(encoding="utf-8")
    data = json.loads(raw)
    text = "\n".join(_strings(data))
    for marker in MARKERS:
        assert marker not in raw and marker not in text, f"{marker} in {day.id}.json"
    release = read_notebook(day.exercise_path)
    public = "\n".join(c.source for c in release.cells)
    visible = {grade_id(c): c.source for c in release.cells if is_test_cell(c) and not grade_id(c).endswith("_hidden")}
    assert {t["grade_id"]: t["source"] for t in data["tests"]} == visible
    assert [i["item"] for i in data["items"]] == list(day.items)
    # no line of a hidden test (that the release does not show anyway), no line of a reference answer
    solutions = read_notebook(day.solution_path)
    hidden = [ln.strip() for c in solutions.cells if is_test_cell(c) for block in HIDDEN.findall(c.source)
              for ln in block.splitlines()]
    secret = {ln for ln in hidden if len(ln) >= 12 and not ln.startswith("#") and ln not in public}
    assert secret, f"{day.id}: found no hidden test lines to look for"
    leaked = sorted(ln for ln in secret if ln in text)
    assert not leaked, f"{day.id}.json holds hidden test lines: {leaked[:3]}"
    for item, source in reference_answers(day).items():
        body = [ln for ln in source.splitlines()
                if any(ch.isalnum() for ch in ln) and not ln.lstrip().startswith(("def ", "#"))]
        shown = [ln for ln in body if ln in text and ln not in public]
        assert not shown, f"{item}: solution lines in {day.id}.json: {shown[:3]}"


@pytest.mark.parametrize("day", all_days())
def test_source_and_release_end_with_the_check_cells(day, tmp_path):
    for path in (day.solution_path, day.exercise_path):
        md, code = read_notebook(path).cells[-2:]
        for cell in (md, code):
            assert cell.metadata.get("course") == {"generated": "self-check"}, f"{path}: the check cells are missing"
            assert "nbgrader" not in cell.metadata or not cell.metadata["nbgrader"].get("grade"), f"{path}: graded"
        assert md.cell_type == "markdown" and md.source.startswith("## Check your work")
        assert code.cell_type == "code" and code.source == f'import course\ncourse.check("{day.id}")'
        assert code.outputs == [] and code.execution_count is None
    copy = tmp_path / day.notebook
    copy.write_bytes(day.solution_path.read_bytes())
    assert visible_tests.add_check_cells(day, copy) is False, "add_check_cells should leave a current notebook alone"
    nb = read_notebook(copy)
    nb.cells = nb.cells[:-2]
    nbformat.write(nb, copy)
    assert visible_tests.add_check_cells(day, copy) is True
    assert copy.read_bytes() == day.solution_path.read_bytes()


def test_import_course_does_not_import_torch():
    code = "import sys, course; assert callable(course.check); print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


@pytest.mark.parametrize("graded", [False, True])
def test_check_imports_nothing_slow(graded):
    """Every exercise ends with ``course.check``, so every graded kernel runs it: importing nbformat
    (jsonschema) or nbclient there cost seconds per submission."""
    code = ("import sys, course; course.check('day01', {}); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('nbformat', 'nbclient', 'jsonschema', 'nbgrader')))")
    env = {k: v for k, v in os.environ.items() if k != "NBGRADER_EXECUTION"}
    if graded:
        env["NBGRADER_EXECUTION"] = "autograde"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    assert out.strip().splitlines()[-1] == "[]", out


# --------------------------------------------------------------------------- in this process, through the JSON

def _namespace(nb, upto: str | None = None, skip=()) -> dict:
    """Run a notebook's code cells (but the check cell) in a fresh dict, as a kernel would; stop after ``upto``."""
    ns = {"__name__": "__main__"}
    for cell in nb.cells:
        if cell.cell_type != "code" or cell.metadata.get("course") or grade_id(cell) in skip:
            continue
        try:
            exec(compile(cell.source, f"<{grade_id(cell)}>", "exec"), ns)
        except Exception:
            pass  # as in a notebook: the cell shows its error, the next one runs
        if upto and grade_id(cell) == upto:
            break
    return ns


def _status(report) -> dict[str, str]:
    return {r.item: "not answered" if not r.answered else "passed" if r.ok else "FAILED" for r in report.items}


@pytest.mark.parametrize("day_id", ["day02", "day05", "day07", "day08"])
def test_check_on_the_release_and_the_reference_through_the_json(day_id, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    day = syllabus.get_day(day_id)
    ns = _namespace(submission(day))
    report = course.check(day.id, namespace=ns)
    assert _status(report) == {i: "not answered" for i in day.items}
    assert f"0 of {len(day.items)} items pass" in capsys.readouterr().out
    ns = _namespace(submission(day, reference_answers(day)))
    before = {k: id(v) for k, v in ns.items()}
    report = course.check(day.id, namespace=ns)
    assert report.ok and not report.errors, capsys.readouterr().out
    assert f"{len(day.items)} of {len(day.items)} items pass their visible tests." in capsys.readouterr().out
    assert {k: id(v) for k, v in ns.items()} == before, "the check left the student's names changed"


@pytest.mark.parametrize("day_id, wrong, uses_stand_in", [
    ("day04", "train_one_epoch__returns_tensor", "fit"),
    ("day05", "vgg_block__no_relu", "vgg16_features"),
])
def test_stand_ins_that_tests_put_into_globals_reach_the_students_functions(day_id, wrong, uses_stand_in, capsys):
    """Day 4's fit test and Day 5's vgg16_features test swap a stand-in into globals() for the student's
    function to call: a wrong train_one_epoch / vgg_block must not fail a correct fit / vgg16_features
    (in a copy of the namespace they would), and the student's own function is back afterwards."""
    day = syllabus.get_day(day_id)
    item, source = variants("mutants", day)[wrong]
    upto = "test_fit_visible" if day_id == "day04" else None  # not Day 4's training (it patches torch.amp)
    ns = _namespace(submission(day, {**reference_answers(day), item: source}), upto=upto)
    theirs = ns[item]
    report = course.check(day.id, namespace=ns)
    status = _status(report)
    assert status[item] == "FAILED" and status[uses_stand_in] == "passed", capsys.readouterr().out
    assert ns[item] is theirs


def test_names_the_student_must_define_and_setup_not_run(capsys):
    ns = _namespace(submission(DAY1, reference_answers(DAY1)))
    del ns["day01_quiz"], ns["conv2d_manual"]
    report = course.check("day01", namespace=ns)
    status = _status(report)
    assert status["day01_quiz"] == status["conv2d_manual"] == "not answered"
    assert status["conv_output_size"] == "passed" and not report.errors
    report = course.check("day01", namespace={"conv_output_size": ns["conv_output_size"]})
    assert any("'setup' has not run" in e for e in report.errors)
    assert "run the notebook from the top" in capsys.readouterr().out


def test_check_uses_the_callers_globals_outside_ipython(capsys):
    ns = _namespace(submission(DAY1, reference_answers(DAY1)))
    exec("import course\n_report = course.check('day01')", ns)
    assert ns["_report"].ok
    assert "6 of 6 items pass their visible tests." in capsys.readouterr().out


def test_check_is_skipped_under_nbgrader(monkeypatch, capsys):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert course.check("day01", namespace={}) is None
    assert capsys.readouterr().out.strip() == visible_tests.SKIP_MESSAGE


# --------------------------------------------------------------------------- Day 1 in a real kernel

def _run_in_kernel(nb, folder) -> str:
    """Execute ``nb`` in a fresh kernel in ``folder``; return the text the last cell (the check) printed."""
    client = NotebookClient(nb, timeout=120, allow_errors=True, kernel_name="python3",
                            extra_arguments=["--IPKernelApp.log_level=ERROR"],
                            resources={"metadata": {"path": str(folder)}})
    client.execute()
    last = nb.cells[-1]
    assert last.source == 'import course\ncourse.check("day01")'
    errors = [o for o in last.outputs if o.output_type == "error"]
    assert not errors, f"the check cell raised {errors[0].ename}: {errors[0].evalue}"
    return "".join(o.get("text", "") for o in last.outputs if o.output_type == "stream")


@pytest.mark.slow
def test_check_cell_in_a_kernel_on_the_release_and_the_reference(tmp_path):
    release = tmp_path / "release" / DAY1.notebook  # a copy, no nbgrader course folder around it
    release.parent.mkdir()
    release.write_bytes(DAY1.exercise_path.read_bytes())
    out = _run_in_kernel(read_notebook(release), release.parent)
    for item in DAY1.items:
        assert re.search(rf"^{item}\s+not answered\s", out, re.M), out
    assert "0 of 6 items pass" in out

    good = write_submission(tmp_path, "me", DAY1, submission(DAY1, reference_answers(DAY1)))
    out = _run_in_kernel(read_notebook(good), good.parent)
    assert "6 of 6 items pass their visible tests." in out, out


def test_a_listed_mistake_fails_its_item_with_its_message(capsys):
    item, source = variants("mutants", DAY1)["conv_param_count__forgets_bias"]
    ns = _namespace(submission(DAY1, {**reference_answers(DAY1), item: source}))
    report = course.check("day01", namespace=ns)
    assert _status(report) == {i: "FAILED" if i == item else "passed" for i in DAY1.items}
    out = capsys.readouterr().out
    assert re.search(r"^conv_param_count\s+FAILED\s", out, re.M), out
    assert "conv_param_count: AssertionError: conv_param_count(3, 16, 3) should be 448, got 432" in out
    assert "5 of 6 items pass" in out


@pytest.mark.slow
def test_check_cell_in_a_kernel_is_skipped_under_nbgrader(tmp_path, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")  # the kernel inherits it, as under nbgrader
    nb = read_notebook(DAY1.exercise_path)
    nb.cells = nb.cells[-1:]  # only the check cell: under nbgrader it must not even import torch
    nb.cells[0].source += "\nimport sys\nprint('torch' in sys.modules)"
    client = NotebookClient(nb, timeout=60, kernel_name="python3", extra_arguments=["--IPKernelApp.log_level=ERROR"],
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    out = "".join(o.get("text", "") for o in nb.cells[0].outputs if o.output_type == "stream")
    assert out.split("\n")[:2] == [visible_tests.SKIP_MESSAGE, "False"], out


COLAB = r'''
import importlib.abc, json, sys

class NotInstalled(importlib.abc.MetaPathFinder):  # as on Colab: no nbgrader, so no grading runtime either
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "nbgrader" or name.startswith("course.grading"):
            raise ModuleNotFoundError(f"No module named {name!r}")

sys.meta_path.insert(0, NotInstalled())
import course
from course import syllabus
from factory import reference_answers, submission

day = syllabus.get_day("day01")
reports = []
for answers in ({}, reference_answers(day)):
    ns = {"__name__": "__main__"}
    for cell in submission(day, answers).cells:
        if cell.cell_type == "code" and not cell.metadata.get("course"):
            try:
                exec(cell.source, ns)
            except Exception:
                pass
    reports.append(course.check("day01", namespace=ns))
loaded = sorted(m for m in sys.modules if m.split(".")[0] == "nbgrader" or m.startswith("course.grading"))
print("RESULT", json.dumps([[r.ok, sum(i.ok for i in r.items)] for r in reports] + [loaded]))
'''


def test_check_works_where_nbgrader_is_not_installed():
    """The Colab path: course.check imports nothing of nbgrader or of the grading runtime."""
    support = str(Path(factory.__file__).parent)
    out = subprocess.run([sys.executable, "-c", COLAB], capture_output=True, text=True, timeout=300,
                         env={**os.environ, "PYTHONPATH": support})
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.split("RESULT ", 1)[1])
    assert result == [[False, 0], [True, len(DAY1.items)], []], out.stdout[-3000:]
