"""After a hidden test cell, the grading kernel holds nothing that gives its source or constants away.

A small notebook runs through SafeExecute as `course grade` runs it: a course cell, a
hidden test cell that passes (its last value is the partial credit), one that fails (a
traceback), then an ordinary cell, the probe, that searches the kernel for what the
hidden cells contained: a marker string and two numbers. The probe looks where a
student would: IPython's history (In, _ih, _i*, Out, the history manager's lists,
caches, saved outputs and exceptions, its database), linecache, every string and code
object the garbage collector can reach (constants of functions, frames, tracebacks),
sys.last_traceback, the traceback IPython formatted, torch's seed. The same notebook
with the clean-up switched off must show the probe finds them, so that a probe that
finds nothing proves something.

    .venv/bin/python -m pytest tests/grading/test_hidden_kernel.py -p no:xdist -q
"""

from __future__ import annotations

import pytest
from nbformat.v4 import new_code_cell, new_notebook

from course.grading import safe_execute
from course.grading.safe_execute import SafeExecute
from course.syllabus import REPO_ROOT

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("sandbox")]

SETUP = """
import torch
torch.manual_seed(0)
_edge = "set before the hidden tests"
"""

# HIDDENMARK and the numbers 91173 / 48611 stand for what hidden tests hold
HIDDEN_PASSES = '''# Hidden tests run here when the notebook is graded.
### BEGIN HIDDEN TESTS
torch.manual_seed(48611)
_hidden_value = "HIDDENMARK constant"
def _hidden_helper(x):
    return x * 91173 + len("HIDDENMARK in a function")
_hidden_lambda = lambda z: z + 91173
class _HiddenThing:
    label = "HIDDENMARK in a class"
_edge = _HiddenThing()
_hidden_lambda(0) - 91170
### END HIDDEN TESTS
'''

HIDDEN_FAILS = '''# Hidden tests run here when the notebook is graded.
### BEGIN HIDDEN TESTS
def _hidden_check(x):
    assert x == 91173, "HIDDENMARK in a failure message"
_hidden_check(len("HIDDENMARK failing"))
### END HIDDEN TESTS
'''

PROBE = r'''
import gc, linecache, os, sys, types
MARK = "HIDDEN" + "MARK"
NUMBERS = {int("9117" + "3"), int("4861" + "1")}
ME = sys._getframe().f_code.co_filename
ip = get_ipython()
hm = ip.history_manager
found = []


def holds(value):
    text = value if isinstance(value, str) else repr(value)
    return MARK in text and text != MARK


def look(where, values):
    for value in values:
        if holds(value):
            found.append(where)
            return


look("In / _ih", list(ip.user_ns.get("In", [])) + list(ip.user_ns.get("_ih", [])))
look("_i variables", [v for k, v in ip.user_ns.items() if k.startswith("_i") and isinstance(v, str)])
look("Out / _oh / _N", list(ip.user_ns.get("Out", {}).values())
     + [v for k, v in ip.user_ns.items() if k.lstrip("_").isdigit()])
look("the history manager's lists", list(hm.input_hist_raw) + list(hm.input_hist_parsed)
     + [hm._i00, hm._i, hm._ii, hm._iii])
look("the history manager's caches", list(hm.db_input_cache) + list(hm.db_output_cache))
look("saved outputs and exceptions", list(hm.output_hist_reprs.values()) + list(hm.exceptions.values())
     + list(hm.outputs.values()))
hm.writeout_cache()
look("the history database", [row for row in hm.db.execute("SELECT source, source_raw FROM history")])
look("linecache", ["".join(entry[2]) for entry in list(linecache.cache.values()) if len(entry) == 4])
look("sys.last_*", [getattr(sys, n, None) for n in ("last_type", "last_value", "last_exc")])
look("the last formatted traceback", ip._last_traceback or [])
look("last_execution_result", [getattr(getattr(ip.last_execution_result, "info", None), "raw_cell", "")])
look("gc.garbage", gc.garbage)
look("the files in the notebook's folder", [open(name, errors="replace").read() for name in os.listdir(".")
                                            if os.path.isfile(name) and os.path.getsize(name) < 1 << 20])
if any(name.startswith("_hidden") or name == "_HiddenThing" for name in ip.user_ns):
    found.append("names the hidden cells bound")
if ip.user_ns.get("_edge") != "set before the hidden tests":
    found.append("a name the hidden cell rebound")
if torch.initial_seed() in NUMBERS:
    found.append("torch's seed")


def code_holds(code, seen):
    if id(code) in seen or code.co_filename == ME:
        return False
    seen.add(id(code))
    for const in code.co_consts:
        if isinstance(const, types.CodeType) and code_holds(const, seen):
            return True
        if (isinstance(const, str) and MARK in const) or (type(const) is int and const in NUMBERS):
            return True
    return MARK in "".join(linecache.getlines(code.co_filename))


seen = set()
tb = getattr(sys, "last_traceback", None)
while tb is not None:
    if code_holds(tb.tb_frame.f_code, seen):
        found.append("sys.last_traceback's frames")
    tb = tb.tb_next
for obj in gc.get_objects():
    kind = type(obj)
    code = obj.__code__ if kind is types.FunctionType else obj.f_code if kind is types.FrameType else None
    if code is not None and code_holds(code, seen):
        found.append(f"the code of a {kind.__name__} ({code.co_name})")
    for ref in gc.get_referents(obj):
        if type(ref) is str and MARK in ref and ref != MARK:
            found.append(f"a string held by a {kind.__name__}")
        elif type(ref) in (bytes, bytearray) and MARK.encode() in ref:
            found.append(f"bytes held by a {kind.__name__}")
        elif type(ref) is types.CodeType and code_holds(ref, seen):
            found.append(f"a code object held by a {kind.__name__}")
for where in dict.fromkeys(found):
    print("FOUND:", where)
print("probe done")
'''


def hidden_cell(source: str, gid: str):
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "grade_id": gid, "points": 5,
                                 "schema_version": 3}
    return cell


# what a student might switch on first, so that the kernel keeps more: every object the collector frees,
# and a log of every cell's source in a file of its folder
KEEP_MORE = """
import gc
gc.set_debug(gc.DEBUG_SAVEALL)
get_ipython().run_line_magic("logstart", "-o -q session.log")
"""


def graded(monkeypatch=None, forget: bool = True, student: str = ""):
    if not forget:  # the grader as it was before the clean-up
        monkeypatch.setattr(safe_execute, "GUARD_BEFORE_HIDDEN", "None")
        monkeypatch.setattr(safe_execute, "GUARD_FORGET_HIDDEN", "None")
    cells = [new_code_cell(SETUP), *([new_code_cell(student)] if student else []),
             hidden_cell(HIDDEN_PASSES, "test_a_hidden"), hidden_cell(HIDDEN_FAILS, "test_b_hidden"),
             new_code_cell(PROBE)]
    nb, _ = SafeExecute(timeout=60).preprocess(new_notebook(cells=cells), {"metadata": {"path": str(REPO_ROOT)}})
    return nb


def found_by_probe(nb) -> list[str]:
    probe = nb.cells[-1]
    text = "".join(o.get("text", "") for o in probe.outputs if o.get("output_type") == "stream")
    errors = [f"{o.ename}: {o.evalue}" for o in probe.outputs if o.get("output_type") == "error"]
    assert "probe done" in text and not errors, f"the probe did not run to its end: {errors} {text[-500:]}"
    return [line.removeprefix("FOUND: ") for line in text.splitlines() if line.startswith("FOUND:")]


@pytest.fixture(scope="module")
def cleaned():
    return graded()


def test_the_kernel_keeps_nothing_of_the_hidden_cells(cleaned):
    found = found_by_probe(cleaned)
    assert not found, "after the hidden test cells, the kernel still gives them away through:\n" + "\n".join(found)


def test_hidden_cells_are_graded_as_before(cleaned):
    """The clean-up changes nothing a grade depends on: the partial-credit value, the failure and its message."""
    passes, fails = cleaned.cells[1], cleaned.cells[2]
    results = [o["data"]["text/plain"] for o in passes.outputs if o.get("output_type") == "execute_result"]
    assert results == ["3"], f"the last value of a hidden test cell (its partial credit) should show: {passes.outputs}"
    assert not any(o.get("output_type") == "error" for o in passes.outputs), passes.outputs
    errors = [(o.ename, o.evalue) for o in fails.outputs if o.get("output_type") == "error"]
    assert errors == [("AssertionError", "HIDDENMARK in a failure message")], fails.outputs
    flags = cleaned.metadata[safe_execute.METADATA_KEY]["flags"]
    assert not flags, f"an honest notebook was flagged: {flags}"


def test_the_probe_finds_them_without_the_clean_up(monkeypatch):
    found = found_by_probe(graded(monkeypatch, forget=False))
    expected = ["In / _ih", "_i variables", "the history manager's lists", "linecache", "sys.last_*",
                "names the hidden cells bound", "a name the hidden cell rebound", "torch's seed"]
    missing = [where for where in expected if where not in found]
    assert not missing, f"without the clean-up the probe should find the hidden cells in {missing}; found {found}"
    assert any(where.startswith("the code of a function") for where in found), found


def test_a_kernel_told_to_keep_more_keeps_nothing_either():
    """gc.DEBUG_SAVEALL (gc.garbage keeps what the collector frees) and %logstart are switched off, and reported."""
    nb = graded(student=KEEP_MORE)
    found = found_by_probe(nb)
    assert not found, "the kernel still gives the hidden cells away through:\n" + "\n".join(found)
    flags = " | ".join(nb.metadata[safe_execute.METADATA_KEY]["flags"])
    assert "gc.set_debug" in flags and "%logstart" in flags, f"the report should say what was switched off: {flags}"
