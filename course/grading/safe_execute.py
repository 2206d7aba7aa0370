"""nbgrader's Execute step, made safe for untrusted notebooks.

``SafeExecute`` replaces nbgrader's ``Execute`` in ``Autograde``'s pipeline
(nbgrader_config.py). It differs in four ways:

* the kernel starts through ``course.grading.sandbox`` (own uid, scratch folder holding
  only this submission, a root file system without the course's files, no
  network, resource limits) and talks over Unix sockets;
* a kernel that dies or ignores an interrupt is killed and the notebook is
  graded on what ran: the cells after it get a "not run" error (so their tests
  score 0) instead of the whole submission failing;
* before every test cell the guard in the kernel (course.grading.kernel_guard) puts
  back anything the student replaced and says what it found;
* every test cell ends with a random marker that only a cell that ran to its
  end prints: a test cell without it scores 0, whatever its output claims. The
  marker also says what the cell's last expression computed (``int:6``, ``none``:
  ``with_end_marker``), and the result the cell showed must be that value
  (``result_problem``): a result swallowed (a replaced ``sys.displayhook``, a
  display hook, a formatter), altered, or shown by the code under test before an
  error makes the test score 0. The grader's own errors take the cell's results
  away (``_fail``), since nbgrader scores a test by its first result or error;
* after each hidden test cell the guard takes away what the kernel kept of it (its
  source in IPython's history and linecache, its names, functions, tracebacks and
  seeds: ``kernel_guard.HiddenCell``), so that later cells cannot read it back.

What was detected goes into the notebook's metadata (``course_grading``) for
the grading report.
"""

from __future__ import annotations

import ast
import io
import json
import os
import re
import secrets
import shutil
import sys
import tempfile
import time
import tokenize
import uuid
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Bool, Integer, List, Unicode

from ..notebooks import grade_id, is_test_cell, nbgrader_meta
from . import kernel_guard, sandbox, workspace

HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"  # in a hidden test cell's source, when it is graded

# what the grader runs in the kernel: the guard's functions, by the guard module's own name
_GUARD = f"__import__({kernel_guard.__name__!r}, fromlist=['install'])"
GUARD_INSTALL = f"{_GUARD}.install()"
GUARD_REPORT = f"{_GUARD}.report()"
GUARD_MARK = f"{_GUARD}.mark()"
GUARD_REMEMBER = f"{_GUARD}.remember()"
GUARD_BEFORE_HIDDEN = f"{_GUARD}.before_hidden()"
GUARD_FORGET_HIDDEN = f"{_GUARD}.forget_hidden()"
# error outputs the grader writes itself (feedback shows these names as they are)
GRADER_ERRORS = ("NotRun", "KernelDied", "CellTimeoutError", "TestNotRun", "TamperedDuringTest")
METADATA_KEY = "course_grading"
COURSE_PACKAGE = Path(__file__).resolve().parents[1]  # the whole course package (course.checks ...), shown to kernels
_LIMITS = sandbox.Limits()  # the limits' defaults, written once there


class SandboxKernelManager(AsyncKernelManager):
    """Starts the kernel command through ``python -m course.grading.sandbox SPEC --``."""

    sandbox_spec = Unicode("", help="path of the sandbox spec (JSON) for this kernel")
    use_zygote = Bool(False, help="fork the kernel from a process that imported its libraries already")
    kernel_log = Unicode("", help="file for the kernel's own stderr (zygote kernels)")

    async def _async_pre_start_kernel(self, **kw):
        if self.use_zygote and self.provisioner is None:
            from .zygote import ZygoteProvisioner

            self.kernel_id = self.kernel_id or kw.pop("kernel_id", None) or uuid.uuid4().hex
            self.provisioner = ZygoteProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
        return await super()._async_pre_start_kernel(**kw)

    def format_kernel_cmd(self, extra_arguments=None):
        cmd = super().format_kernel_cmd(extra_arguments)
        if not self.sandbox_spec:
            return cmd
        return [sys.executable, "-m", sandbox.__name__, self.sandbox_spec, "--", *cmd]


def _error_output(ename: str, evalue: str) -> NotebookNode:
    return NotebookNode(output_type="error", ename=ename, evalue=evalue,
                        traceback=[f"\x1b[0;31m{ename}\x1b[0m: {evalue}"])


def _has_error(cell) -> bool:
    return any(out.get("output_type") == "error" for out in cell.get("outputs", []))


def _results(cell) -> list:
    return [out for out in cell.get("outputs", []) if out.get("output_type") == "execute_result"]


def _coalesced(outputs) -> list:
    """``outputs`` with adjacent prints to the same stream joined: the kernel may send one print in several
    messages (its output thread flushes on a timer), which splits the end marker from its value under load."""
    merged: list = []
    for out in outputs:
        prev = merged[-1] if merged else None
        if (prev is not None and out.get("output_type") == "stream" and prev.get("output_type") == "stream"
                and out.get("name") == prev.get("name")):
            prev["text"] = prev.get("text", "") + out.get("text", "")
        else:
            merged.append(out)
    return merged


def _fail(cell, ename: str, evalue: str) -> None:
    """The test cell scores 0. nbgrader reads a test's score from its FIRST error or result, so the results go
    (the code under test may have shown one, say the item's full points, before it failed) and the error is added."""
    cell.outputs = [out for out in cell.get("outputs", []) if out.get("output_type") != "execute_result"]
    cell.outputs.append(_error_output(ename, evalue))


class SafeExecute(Execute):
    """Execute a submission in a sandboxed, guarded kernel (see the module docstring)."""

    notebook_timeout = Integer(900, help="wall-clock seconds for the whole notebook").tag(config=True)
    interrupt_grace = Integer(5, help="seconds an interrupted kernel has to stop before it is killed").tag(config=True)
    cpu_seconds = Integer(_LIMITS.cpu_seconds, help="CPU seconds for the whole kernel (RLIMIT_CPU)").tag(config=True)
    memory_mb = Integer(_LIMITS.memory_mb, allow_none=True,
                        help="address space of the kernel in MiB (RLIMIT_AS); None to switch off "
                             "(CUDA maps far more address space than it uses)").tag(config=True)
    processes = Integer(_LIMITS.processes, help="processes and threads of one kernel's user (RLIMIT_NPROC)"
                        ).tag(config=True)
    file_size_mb = Integer(_LIMITS.file_size_mb, help="largest file a kernel may write, MiB (RLIMIT_FSIZE)"
                           ).tag(config=True)
    isolate = Bool(True, help="namespaces and an unprivileged user where the machine allows them").tag(config=True)
    sandbox_uid = Integer(sandbox.BASE_UID, help="uid of the kernel (workers use the following ones)").tag(config=True)
    visible_paths = List(Unicode(), help="more folders the kernel may read (besides the system, Python and "
                                         "the course package)").tag(config=True)
    submitted_directory = Unicode("", help="nbgrader's submitted/ folder: its copy of the notebook is "
                                           "put into the kernel's scratch folder").tag(config=True)
    guard = Bool(True, help="check and restore the kernel's state before each test cell").tag(config=True)
    log_directory = Unicode("", help="folder for each kernel's stderr (STUDENT.log); empty: the terminal"
                            ).tag(config=True)
    threads = Integer(0, help="CPU threads of torch in one kernel (OMP_NUM_THREADS); 0: torch's default. "
                              "Grading workers share the cores among the kernels that run at once").tag(config=True)
    zygote = Bool(True, help="fork kernels from one process that has imported ipykernel and torch already "
                             "(course.grading.zygote); False starts a new Python per kernel").tag(config=True)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", SandboxKernelManager)
        super().__init__(*args, **kwargs)

    # --- kernel start -------------------------------------------------------

    def _limits(self) -> sandbox.Limits:
        return sandbox.Limits(cpu_seconds=self.cpu_seconds, memory_mb=self.memory_mb, processes=self.processes,
                              file_size_mb=self.file_size_mb)

    def _prepare_scratch(self, resources) -> Path:
        scratch = Path(tempfile.mkdtemp(prefix="cg-", dir="/tmp" if os.path.isdir("/tmp") else None))
        info = resources.get("nbgrader", {})
        if self.submitted_directory and info.get("student"):
            nb_name = f"{info.get('notebook', '')}.ipynb"
            src = Path(self.submitted_directory) / info["student"] / info.get("assignment", "") / nb_name
            if src.is_file():
                shutil.copyfile(src, scratch / nb_name)
        (scratch / ".config").mkdir()
        _copy_font_cache(scratch / ".config")
        expose = [str(COURSE_PACKAGE), sys.prefix, sys.base_prefix, *_import_paths(), *self.visible_paths]
        spec = sandbox.Spec(scratch=str(scratch), uid=self.sandbox_uid, expose=expose,
                            limits=self._limits(), isolate=self.isolate)
        spec.write(str(scratch / ".sandbox.json"))
        return scratch

    def create_kernel_manager(self):
        km = super().create_kernel_manager()
        if isinstance(km, SandboxKernelManager):
            km.transport = "ipc"
            km.ip = str(self._scratch / "k")
            km.connection_file = str(self._scratch / "kernel.json")
            km.sandbox_spec = str(self._scratch / ".sandbox.json")
            km.use_zygote = self.zygote
            student = self.resources.get("nbgrader", {}).get("student")
            if self.log_directory and student:
                Path(self.log_directory).mkdir(parents=True, exist_ok=True)
                km.kernel_log = str(Path(self.log_directory) / f"{student}.log")
        return km

    async def async_start_new_kernel(self, **kwargs):
        kwargs["cwd"] = str(self._scratch)
        if self.threads:
            kwargs["env"] = {**os.environ, **{var: str(self.threads) for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS")}}
        self.extra_arguments = [*self.extra_arguments, f"--IPKernelApp.exec_lines={GUARD_INSTALL}"] \
            if self.guard else list(self.extra_arguments)
        return await super().async_start_new_kernel(**kwargs)

    start_new_kernel = run_sync(async_start_new_kernel)  # nbclient binds the sync twin at class creation

    # --- the notebook -------------------------------------------------------

    def preprocess(self, nb, resources, retries=None):
        from nbclient import NotebookClient

        NotebookClient.__init__(self, nb, None)
        self.reset_execution_trackers()
        self._check_assign_resources(resources)
        self._flags: list[str] = []
        self._stopped: str | None = None
        self._scratch = self._prepare_scratch(resources)
        cell_timeout = self.timeout
        # after an interrupt nbclient waits iopub_timeout for the kernel to go idle, then gives up
        # (and the kernel is killed): that wait is the documented grace
        self.iopub_timeout = self.interrupt_grace
        deadline = time.monotonic() + self.notebook_timeout
        try:
            with self.setup_kernel():
                info = self.wait_for_reply(self.kc.kernel_info())
                self.nb.metadata["language_info"] = info["content"]["language_info"]
                for index, cell in enumerate(self.nb.cells):
                    if cell.cell_type != "code":
                        continue
                    left = deadline - time.monotonic()
                    if self._stopped is None and left <= 0:
                        self._stop(f"the notebook ran past its {self.notebook_timeout} s limit")
                    if self._stopped is not None:
                        cell.outputs = [_error_output("NotRun", f"not run: {self._stopped}")]
                        continue
                    self.timeout = max(1, int(min(cell_timeout, left))) if cell_timeout else int(left)
                    self._run_cell(cell, index)
        finally:
            self.timeout = cell_timeout
            shutil.rmtree(self._scratch, ignore_errors=True)
        meta = {"flags": list(dict.fromkeys(self._flags)), "sandbox": sandbox.capabilities().describe()
                if self.isolate else "sandbox: switched off"}
        self.nb.metadata[METADATA_KEY] = meta
        self.set_widgets_metadata()
        return self.nb, self.resources

    def _where(self, cell, index) -> str:
        """The cell's grade id, or its first line (a cell number could look like a hidden test's value)."""
        if grade_id(cell):
            return grade_id(cell)
        first = next((line.strip() for line in cell.source.splitlines() if line.strip()), "")
        return f"the cell starting {first[:40]!r}" if first else "an empty cell"

    def _stop(self, reason: str) -> None:
        """Kill the kernel; the remaining cells are marked as not run."""
        self._stopped = reason
        self._flags.append(f"stopped: {reason}; the cells after it were not run")
        try:
            self._kill()
        except Exception:  # noqa: BLE001 (already dead)
            pass

    def _kill(self) -> None:
        run_sync(self.km.shutdown_kernel)(now=True)

    def _run_cell(self, cell, index) -> None:
        where = self._where(cell, index)
        test = is_test_cell(cell)
        hidden = test and self.guard and HIDDEN_BEGIN in cell.source
        marker = None
        original = cell.source
        course_cell = self.guard and nbgrader_meta(cell).get("locked") and not test \
            and not nbgrader_meta(cell).get("solution")
        if test:
            if self.guard:
                self._check_guard(where)
            if hidden:
                self._silent(GUARD_BEFORE_HIDDEN)
            marker = f"course-end-{secrets.token_hex(8)}"
            cell.source = with_end_marker(original, marker, value=True)
        elif course_cell:
            self._silent(GUARD_MARK)
        try:
            self.execute_cell(cell, index, store_history=True)
        except DeadKernelError:
            _fail(cell, "KernelDied", f"the kernel stopped while running {where}")
            self._stop(f"the kernel died in {where} (os._exit, a crash, or a limit)")
        except CellTimeoutError:
            _fail(cell, "CellTimeoutError", f"{where} ran past {self.timeout} s and ignored the interrupt")
            self._stop(f"{where} ran past {self.timeout} s and did not stop when interrupted, so the kernel was killed")
        finally:
            cell.source = original
        if self._stopped is not None:
            return
        if course_cell:
            self._silent(GUARD_REMEMBER)
        if not test:
            return
        self._check_result(cell, where, self._take_marker(cell, marker))
        if self.guard:
            during = self._check_guard(where, during=True)
            if during and not _has_error(cell):
                _fail(cell, "TamperedDuringTest", f"the code under test changed {during[0]} while {where} ran")
        if hidden:
            self._silent(GUARD_FORGET_HIDDEN)

    def _take_marker(self, cell, marker: str) -> list[str]:
        """Take the end marker's lines out of the cell's printed output; return what each said of the cell's value."""
        found: list[str] = []
        line = re.compile(re.escape(marker) + r"(?: (\S+))?\n?")
        kept = []
        for out in _coalesced(cell.outputs):
            if out.get("output_type") == "stream" and out.get("name") == "stdout" and marker in out.get("text", ""):
                found += [m.group(1) or "none" for m in line.finditer(out["text"])]
                text = line.sub("", out["text"])
                if not text:
                    continue
                out["text"] = text
            kept.append(out)
        cell.outputs = kept
        return found

    def _check_result(self, cell, where: str, values: list[str]) -> None:
        """The test ran to its end (one marker) and showed exactly what its last expression computed, or it scores 0."""
        if _has_error(cell):
            if _results(cell):  # shown by the code under test before the error: nbgrader would score the result
                _fail(cell, "TamperedDuringTest", f"{where} showed a result although it raised an error")
                self._flags.append(f"tampering while {where} ran: it showed a result although it raised an error "
                                   "(the test scores 0)")
            return
        if not values:
            _fail(cell, "TestNotRun", f"the test cell {where} did not run to its end")
            self._flags.append(f"tampering: test cell {where} did not run to its end, although it showed no error")
            return
        problem = f"printed its end marker {len(values)} times" if len(values) > 1 \
            else result_problem(cell.outputs, values[0])
        if problem:
            _fail(cell, "TamperedDuringTest", f"the result of {where} was not shown as it was computed")
            self._flags.append(f"tampering while {where} ran: {problem} (the test scores 0)")

    def _silent(self, code: str) -> None:
        try:
            self._reply(self.kc.execute(code, silent=True, store_history=False), self.interrupt_grace + 5)
        except Exception:  # noqa: BLE001 (a dead kernel is noticed by the next cell)
            pass

    def _check_guard(self, where: str, during: bool = False) -> list[str]:
        """Ask the kernel's guard to restore the pristine state; record and return what it found."""
        try:
            msg_id = self.kc.execute("", silent=True, store_history=False, user_expressions={"g": GUARD_REPORT})
            reply = self._reply(msg_id, self.interrupt_grace + 5)
        except Exception:  # noqa: BLE001
            reply = None
        when = "while" if during else "before"
        if reply is None:
            self._flags.append(f"tampering: the kernel did not answer the check {when} {where}")
            return [f"the kernel's state (no answer to the check {when} {where})"]
        result = reply["content"].get("user_expressions", {}).get("g", {})
        try:
            found = json.loads(ast.literal_eval(result["data"]["text/plain"]))
        except (KeyError, ValueError, SyntaxError, TypeError):
            self._flags.append(f"tampering: the check {when} {where} failed ({result.get('ename', 'no answer')})")
            return [f"the kernel's state (the check {when} {where} failed)"]
        if during:
            self._flags.extend(f"tampering while {where} ran: {what} (the test scores 0)" for what in found)
        else:
            self._flags.extend(f"tampering: {what} (put back before the tests)" for what in found)
        return found

    def _reply(self, msg_id: str, timeout: float):
        from queue import Empty

        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                msg = run_sync(self.kc.shell_channel.get_msg)(timeout=max(0.05, end - time.monotonic()))
            except Empty:
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg
        return None


def cell_timeout() -> int:
    """Seconds one cell may run when graded: the timeout of the SafeExecute that nbgrader_config.py configures."""
    return int(SafeExecute(config=workspace.load_config()).timeout)


# What the end marker says of the value of a test cell's last expression: the exact type and its repr through the
# type's own __repr__, or "none" / "other". Only builtins run here: the guard puts them back before the test and
# a change to them while it runs makes it score 0.
_VALUE_OF = ("'none' if _v is None else 'int:' + int.__repr__(_v) if type(_v) is int "
             "else 'float:' + float.__repr__(_v) if type(_v) is float else 'other'")


def with_end_marker(source: str, marker: str, value: bool = False) -> str:
    """``source`` that prints ``marker`` once it has run to its end.

    A last expression keeps being the displayed result (nbgrader reads partial
    credit from it): ``expr`` becomes ``(expr, print(marker))[0]``. With ``value``
    (as the grader runs test cells) the marker also says what ``expr`` gave:
    ``(lambda _v: (print(marker, VALUE), _v)[1])(expr)`` prints ``marker int:6``
    (``float:0.5``, ``none``, ``other``), so that the grader can check the result
    the cell showed (:func:`result_problem`); a cell whose last expression shows
    nothing (no expression, or one ended by ``;``) prints the bare marker.
    """
    try:
        body = ast.parse(source).body
    except SyntaxError:
        body = []
    last = body[-1] if body else None
    if not isinstance(last, ast.Expr) or (value and _ends_with_semicolon(source)):
        return f"{source}\nprint({marker!r})"
    lines = source.splitlines(keepends=True)

    def offset(lineno: int, col_bytes: int) -> int:  # ast counts columns in UTF-8 bytes
        return sum(len(line) for line in lines[: lineno - 1]) + len(lines[lineno - 1].encode()[:col_bytes].decode())

    start, end = offset(last.lineno, last.col_offset), offset(last.end_lineno, last.end_col_offset)
    if not value:
        return f"{source[:start]}({source[start:end]}, print({marker!r}))[0]{source[end:]}"
    return (f"{source[:start]}(lambda _v: (print({marker!r}, {_VALUE_OF}), _v)[1])({source[start:end]})"
            f"{source[end:]}")


def _ends_with_semicolon(source: str) -> bool:
    """IPython shows no result for a cell whose last token is ``;`` (DisplayHook.semicolon_at_end_of_expression)."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return False
    for token in reversed(tokens):
        if token.type in (tokenize.ENDMARKER, tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT):
            continue
        return token.type == tokenize.OP and token.string == ";"
    return False


def result_problem(outputs, value: str) -> str:
    """What is wrong with the results a test cell showed, given its marker's ``value``; "" when nothing is.

    A value is shown exactly once, as its marker says (a number's text may differ only in its format, as
    ``%precision`` makes it); nothing is shown for ``none``.
    """
    shown = [out for out in outputs if out.get("output_type") == "execute_result"]
    if value == "none":
        return f"it showed {len(shown)} result(s), but its last expression has no value" if shown else ""
    if not shown:
        return "its result was not shown (something swallowed the display of its last expression)"
    if len(shown) > 1:
        return f"it showed {len(shown)} results instead of one"
    if value == "other":
        return ""
    want = value.partition(":")[2]
    got = shown[0].get("data", {}).get("text/plain", "")
    got = "".join(got) if isinstance(got, list) else str(got)
    if got == want:
        return ""
    try:
        if float(got) == float(want):
            return ""
    except (ValueError, OverflowError):
        pass
    return f"it showed {got[:40]!r} as its result, but its last expression was {want[:40]}"


def _import_paths() -> list[str]:
    """Where the kernel's Python finds its packages (never the grader's own folder)."""
    prefixes = (sys.prefix, sys.base_prefix)
    return [p for p in sys.path if p and os.path.isdir(p)
            and (p.startswith(prefixes) or p.rstrip("/").endswith(("site-packages", "dist-packages")))]


def _copy_font_cache(dest: Path) -> None:
    """matplotlib's font list, so that each kernel does not rebuild it."""
    try:
        import matplotlib

        for f in Path(matplotlib.get_cachedir()).glob("fontlist-*.json"):
            shutil.copyfile(f, dest / f.name)
    except Exception:  # noqa: BLE001 (a slower start, nothing worse)
        pass
