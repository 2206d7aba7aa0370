"""Inside a grading kernel: remember the pristine state, put it back before each test.

``install()`` runs when the kernel starts, before any student code (the
grader passes it as the kernel's ``exec_lines``): it takes a :class:`Snapshot`
of the builtins, the functions and classes of the libraries the tests rely on,
IPython's input transformers and execution methods, what shows a cell's result
(sys.displayhook, IPython's display trap, displayhook, display publisher and
plain-text formatter), and ipykernel's request handlers. ``restore()`` runs before every test cell: whatever a student
replaced is put back, one step per kind of state, and a list of what was found
is returned so that the grader can report it. This is detection and repair inside one process, not a security
boundary: the sandbox around the kernel is the boundary (see course.grading.sandbox).

Around each hidden test cell, ``before_hidden()`` and ``forget_hidden()`` take away what the cell leaves
in the kernel that a later cell could read its source or constants from (see :class:`HiddenCell`).
"""

from __future__ import annotations

import gc
import importlib
import json
import linecache
import random
import re
import sys
import types

# course.data, .pretrained and .transfer give the tests their held-out images, backbone and inputs (Day 6)
WATCHED_MODULES = ("builtins", "torch", "torch.nn", "torch.nn.functional", "torch.testing", "numpy", "math",
                   "operator", "course.checks", "course.probes", "course.data", "course.pretrained", "course.transfer")
WATCHED_CLASSES = (("torch", "Tensor"), ("torch.nn", "Module"), ("torch.nn", "Parameter"))
# Added to a watched class, these change what tests see (== , bool(), isinstance); others, such as
# copyreg's __slotnames__ cache, appear legitimately.
COMPARISON_DUNDERS = {"__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__bool__", "__hash__", "__len__",
                      "__getattr__", "__getattribute__", "__instancecheck__", "__subclasscheck__", "__array__"}
SHELL_METHODS = ("run_cell", "run_cell_async", "transform_cell", "should_run_async", "run_ast_nodes", "run_code",
                 "showtraceback", "_showtraceback", "showsyntaxerror", "get_exception_only", "excepthook")
SHELL_LISTS = ("input_transformers_cleanup", "input_transformers_post", "ast_transformers")
MANAGER_LISTS = ("cleanup_transforms", "line_transforms", "token_transformers")
KERNEL_METHODS = ("do_execute", "execute_request", "dispatch_shell")
SYS_HOOKS = ("stdout", "stderr")
# What shows a cell's result (the value of its last expression, which nbgrader reads partial credit from): IPython's
# display trap (it sets sys.displayhook around each cell), the displayhook it sets, the display publisher and the
# plain-text formatter, their methods and the hooks that may drop a message; and sys.displayhook between cells.
DISPLAY_OBJECTS = ("display_trap", "displayhook", "display_pub", "display_formatter")
DISPLAY_METHODS = ("__call__", "__enter__", "__exit__", "set", "unset", "quiet", "start_displayhook",
                   "write_output_prompt", "compute_format_data", "write_format_data", "update_user_ns",
                   "fill_exec_result", "log_output", "finish_displayhook", "publish", "format", "register_hook")
PLAIN_TYPES = (int, float)  # the results of test cells that nbgrader reads as partial credit
# Set by IPython and ipykernel themselves around each execution: not tampering.
VOLATILE = {"builtins": {"input", "get_ipython", "getpass", "raw_input"}}


_MISSING = object()


IPYTHON_NAMES = re.compile(r"^(_+|_i+\d*|_\d+|_oh|_dh|_ih|In|Out|exit|quit|get_ipython)$")
_course_names: dict = {}  # name -> object, bound by the course's own (locked) cells
_before: dict = {}


def _restorable(value) -> bool:
    """Modules, functions and classes: what tests call. Data and model objects change legitimately."""
    return isinstance(value, (types.ModuleType, types.FunctionType, types.BuiltinFunctionType, type))


def mark() -> None:
    """Before a course cell: remember what every name is bound to."""
    global _before
    _before = {k: id(v) for k, v in get_ipython().user_ns.items()}  # noqa: F821


def remember() -> None:
    """After a course cell: the modules, functions and classes it bound are the course's."""
    for k, v in get_ipython().user_ns.items():  # noqa: F821
        if _before.get(k) != id(v) and not IPYTHON_NAMES.match(k) and _restorable(v):
            _course_names[k] = v


def _callables(namespace: dict) -> dict:
    return {k: v for k, v in namespace.items()
            if (callable(v) and not k.startswith("__")) or k in ("__import__", "__build_class__")}


def _library_code(func) -> bool:
    """Code that lives in torch's installed files (a student's wrapper never does)."""
    torch = sys.modules.get("torch")
    code = getattr(func, "__code__", None)
    if torch is None or code is None:
        return False
    import os

    return os.path.abspath(code.co_filename).startswith(os.path.dirname(torch.__file__) + os.sep)


class Snapshot:
    """The pristine state of a kernel, taken before any student code ran, and the steps that put it back."""

    def __init__(self, shell) -> None:
        for name in WATCHED_MODULES:
            try:
                importlib.import_module(name)
            except ImportError:
                pass
        self.shell = shell
        self.modules = {name: sys.modules[name] for name in WATCHED_MODULES if name in sys.modules}
        self.functions = {name: {k: v for k, v in _callables(vars(mod)).items() if k not in VOLATILE.get(name, ())}
                          for name, mod in self.modules.items()}
        self.codes = {(name, k): (f, f.__code__) for name, funcs in self.functions.items()
                      for k, f in funcs.items() if hasattr(f, "__code__") and name.startswith("course.")}
        self.classes = {}
        for mod_name, cls_name in WATCHED_CLASSES:
            cls = getattr(self.modules.get(mod_name), cls_name, None)
            if isinstance(cls, type):
                self.classes[f"{mod_name}.{cls_name}"] = (cls, dict(vars(cls)))
        self.shell_cls = type(shell)
        self.shell_cls_methods = {m: getattr(self.shell_cls, m) for m in SHELL_METHODS if hasattr(self.shell_cls, m)}
        self.shell_methods = {m: vars(shell).get(m, _MISSING) for m in SHELL_METHODS}
        self.shell_lists = {name: list(getattr(shell, name)) for name in SHELL_LISTS}
        self.manager = shell.input_transformer_manager
        self.manager_lists = {name: list(getattr(self.manager, name)) for name in MANAGER_LISTS}
        self.events = {name: list(cbs) for name, cbs in shell.events.callbacks.items()}
        self.sys_hooks = {name: getattr(sys, name) for name in SYS_HOOKS}
        self.display = {name: getattr(shell, name, None) for name in DISPLAY_OBJECTS}
        self.display_methods = {name: _methods(obj, DISPLAY_METHODS) for name, obj in self.display.items()}
        self.display_hooks = {name: list(_hooks(obj)) for name, obj in self.display.items() if _hooks(obj) is not None}
        trap = self.display["display_trap"]
        # install() runs as the kernel's exec_lines, inside a cell: the trap has set sys.displayhook to its hook and
        # keeps the kernel's own one, which is what sys.displayhook is between cells (when the guard checks)
        inside = trap is not None and getattr(trap, "is_active", False) and sys.displayhook is trap.hook
        self.between_cells_displayhook = trap.old_hook if inside else sys.displayhook
        self.trap_hook = getattr(trap, "hook", None)
        self.plain = self._plain_formatter()
        self.plain_methods = _methods(self.plain, DISPLAY_METHODS)
        self.plain_printers = self._plain_printers()
        self.kernel = getattr(shell, "kernel", None)
        self.handlers = dict(self.kernel.shell_handlers) if self.kernel is not None else {}
        self.kernel_cls = type(self.kernel) if self.kernel is not None else None
        self.kernel_methods = {m: getattr(self.kernel_cls, m) for m in KERNEL_METHODS
                               if self.kernel_cls and hasattr(self.kernel_cls, m)}

    def restore(self) -> list[str]:
        """Put everything back; return what had changed (empty when nothing had)."""
        found: list[str] = []
        for step in (self._trace, self._sys_modules, self._functions, self._code, self._classes,
                     self._shell_methods, self._shell_lists, self._input_transformers, self._events,
                     self._sys_hooks, self._display, self._course_names, self._kernel, self._gc_debug,
                     self._session_log):
            found += step()
        return list(dict.fromkeys(found))

    def _trace(self) -> list[str]:
        if sys.gettrace() is None and sys.getprofile() is None:
            return []
        sys.settrace(None)
        sys.setprofile(None)
        return ["a trace or profile function was set"]

    def _sys_modules(self) -> list[str]:
        found = []
        for name, mod in self.modules.items():
            if sys.modules.get(name) is not mod:
                sys.modules[name] = mod
                found.append(f"sys.modules[{name!r}] was replaced")
        return found

    def _functions(self) -> list[str]:
        found = []
        for name, funcs in self.functions.items():
            mod = self.modules[name]
            current = vars(mod)
            for k, f in list(funcs.items()):
                now = current.get(k)
                if now is f:
                    continue
                if getattr(now, "__wrapped__", None) is f and _library_code(now):
                    funcs[k] = now  # torch wraps some of its own functions (torch._dynamo)
                    continue
                setattr(mod, k, f)
                found.append(f"{name}.{k} was replaced")
        return found

    def _code(self) -> list[str]:
        found = []
        for (name, k), (f, code) in self.codes.items():
            if f.__code__ is not code:
                f.__code__ = code
                found.append(f"the code of {name}.{k} was replaced")
        return found

    def _classes(self) -> list[str]:
        found = []
        for qual, (cls, attrs) in self.classes.items():
            current = vars(cls)
            for k, v in attrs.items():
                if current.get(k) is not v:
                    try:
                        setattr(cls, k, v)
                    except (AttributeError, TypeError):
                        continue
                    found.append(f"{qual}.{k} was replaced")
            for k in set(current) - set(attrs):
                if k in COMPARISON_DUNDERS:
                    delattr(cls, k)
                    found.append(f"{qual}.{k} was added")
        return found

    def _shell_methods(self) -> list[str]:
        found = []
        for m, v in self.shell_methods.items():
            if vars(self.shell).get(m, _MISSING) is not v:
                if v is _MISSING:
                    delattr(self.shell, m)
                else:
                    setattr(self.shell, m, v)
                found.append(f"IPython's {m} was replaced")
        for m, v in self.shell_cls_methods.items():
            if getattr(self.shell_cls, m) is not v:
                setattr(self.shell_cls, m, v)
                found.append(f"IPython's {m} was replaced")
        return found

    def _shell_lists(self) -> list[str]:
        found = []
        for name, items in self.shell_lists.items():
            current = getattr(self.shell, name)
            if list(current) != items:
                current[:] = items
                found.append(f"IPython's {name} was changed")
        return found

    def _input_transformers(self) -> list[str]:
        found = []
        for name, items in self.manager_lists.items():
            current = getattr(self.manager, name)
            if list(current) != items:
                current[:] = items
                found.append(f"IPython's input transformer manager ({name}) was changed")
        if self.shell.input_transformer_manager is not self.manager:
            self.shell.input_transformer_manager = self.manager
            found.append("IPython's input transformer manager was replaced")
        return found

    def _events(self) -> list[str]:
        found = []
        for name, cbs in self.events.items():
            if self.shell.events.callbacks.get(name) != cbs:
                self.shell.events.callbacks[name] = list(cbs)
                found.append(f"an IPython {name} event callback was registered")
        return found

    def _sys_hooks(self) -> list[str]:
        found = []
        for name, v in self.sys_hooks.items():
            if getattr(sys, name) is not v:
                setattr(sys, name, v)
                found.append(f"sys.{name} was replaced")
        return found

    def _display(self) -> list[str]:
        """What shows a cell's result: the objects, their methods, their hooks, sys.displayhook between cells."""
        found = []
        for name, obj in self.display.items():
            if getattr(self.shell, name, None) is not obj:
                setattr(self.shell, name, obj)
                found.append(f"IPython's {name} was replaced")
            if _put_back_methods(obj, self.display_methods[name]):
                found.append(f"a method of IPython's {name} was replaced")
        for name, items in self.display_hooks.items():
            hooks = _hooks(self.display[name])
            if hooks is not None and not _same(hooks, items):
                hooks[:] = items
                found.append(f"a hook was registered on IPython's {name}")
        trap = self.display["display_trap"]
        if trap is not None and trap.hook is not self.trap_hook:
            trap.hook = self.trap_hook
            found.append("IPython's display trap (what sets sys.displayhook) was changed")
        if sys.displayhook is not self.between_cells_displayhook:
            sys.displayhook = self.between_cells_displayhook
            found.append("sys.displayhook was replaced")
        if self._plain_formatter() is not self.plain and self.plain is not None:
            self.shell.display_formatter.formatters["text/plain"] = self.plain
            found.append("IPython's plain-text formatter was replaced")
        if _put_back_methods(self.plain, self.plain_methods):
            found.append("a method of IPython's plain-text formatter was replaced")
        now = self._plain_printers()
        if any(not _same(now.get(key, ()), value) for key, value in self.plain_printers.items()):
            for key, (printer, deferred) in self.plain_printers.items():
                _put_back_item(self.plain.type_printers, key, printer)
                _put_back_item(self.plain.deferred_printers, ("builtins", key.__name__), deferred)
            found.append("how IPython shows numbers (its plain-text formatter) was changed")
        return found

    def _plain_formatter(self):
        formatter = getattr(self.shell, "display_formatter", None)
        return getattr(formatter, "formatters", {}).get("text/plain")

    def _plain_printers(self) -> dict:
        if self.plain is None:
            return {}
        return {t: (self.plain.type_printers.get(t, _MISSING),
                    self.plain.deferred_printers.get(("builtins", t.__name__), _MISSING)) for t in PLAIN_TYPES}

    def _course_names(self) -> list[str]:
        found = []
        user_ns = self.shell.user_ns
        for k, v in _course_names.items():
            if user_ns.get(k) is not v:
                user_ns[k] = v
                found.append(f"the notebook's {k} (set by a course cell) was replaced")
        return found

    def _kernel(self) -> list[str]:
        if self.kernel is None:
            return []
        found = []
        if self.kernel.shell_handlers != self.handlers:
            self.kernel.shell_handlers.clear()
            self.kernel.shell_handlers.update(self.handlers)
            found.append("the kernel's request handlers were replaced")
        for m, v in self.kernel_methods.items():
            if m in vars(self.kernel):
                delattr(self.kernel, m)
                found.append(f"the kernel's {m} was replaced")
            if getattr(self.kernel_cls, m) is not v:
                setattr(self.kernel_cls, m, v)
                found.append(f"the kernel's {m} was replaced")
        return found


    def _gc_debug(self) -> list[str]:
        # gc.DEBUG_SAVEALL keeps what the collector frees (a hidden test's frames, code, values) in gc.garbage
        if not gc.get_debug():
            return []
        gc.set_debug(0)
        del gc.garbage[:]
        return ["the garbage collector's debugging (gc.set_debug) was switched on"]

    def _session_log(self) -> list[str]:
        # %logstart writes every cell's source, hidden tests included, to a file the notebook can read
        logger = getattr(self.shell, "logger", None)
        if not getattr(logger, "log_active", False):
            return []
        logger.logstop()
        return ["IPython's session log (%logstart) was switched on"]


def _methods(obj, names) -> dict:
    """For each of ``names``: what ``obj``'s own dict and each of its classes (not the builtins) hold under it."""
    if obj is None:
        return {}
    classes = [cls for cls in type(obj).__mro__ if cls.__module__ != "builtins"]
    own = vars(obj) if hasattr(obj, "__dict__") else {}
    return {name: (own.get(name, _MISSING), [(cls, vars(cls).get(name, _MISSING)) for cls in classes])
            for name in names}


def _put_back_methods(obj, methods: dict) -> bool:
    """Put back what :func:`_methods` took; return whether anything had changed."""
    if obj is None:
        return False
    changed = False
    for name, (own, classes) in methods.items():
        if hasattr(obj, "__dict__") and vars(obj).get(name, _MISSING) is not own:
            _put_back_item(vars(obj), name, own)
            changed = True
        for cls, value in classes:
            if vars(cls).get(name, _MISSING) is not value:
                try:
                    if value is _MISSING:
                        delattr(cls, name)
                    else:
                        setattr(cls, name, value)
                except (AttributeError, TypeError):
                    continue
                changed = True
    return changed


def _same(items, before) -> bool:
    """The same objects in the same order (by identity: a student's ``__eq__`` never runs here)."""
    items = list(items)
    return len(items) == len(before) and all(a is b for a, b in zip(items, before))


def _put_back_item(mapping, key, value) -> None:
    if value is _MISSING:
        mapping.pop(key, None)
    elif mapping.get(key, _MISSING) is not value:
        mapping[key] = value


def _hooks(obj):
    """The message hooks of ipykernel's displayhook or display publisher (per thread: this one's), or None."""
    try:
        hooks = getattr(obj, "_hooks", None)
    except Exception:  # noqa: BLE001
        return None
    return hooks if isinstance(hooks, list) else None


_snapshot: Snapshot | None = None


def install():
    """Take the snapshot of the pristine state; return its ``restore`` (this module's :func:`restore` calls it too)."""
    global _snapshot
    _snapshot = Snapshot(get_ipython())  # noqa: F821 (only ever runs inside IPython)
    # What exists now (IPython, torch, this guard) stays for the kernel's life: frozen, the collections after
    # each hidden test cell look only at what the notebook made (milliseconds instead of a tenth of a second)
    gc.freeze()
    return _snapshot.restore


def restore() -> list[str]:
    """Put the pristine state back; return what had changed."""
    if _snapshot is None:
        return ["the guard was not installed when the kernel started"]
    return _snapshot.restore()


def report() -> str:
    """``restore()`` as JSON (the grader asks for it as a user expression)."""
    return json.dumps(restore())


# --------------------------------------------------------------------------- hidden test cells

LAST_ERROR = ("last_type", "last_value", "last_traceback", "last_exc")
SHELL_RESULTS = ("last_execution_result", "last_execution_succeeded", "_last_traceback",
                 "_last_traceback_during_displayhook")
HISTORY_NAMES = ("_i00", "_i", "_ii", "_iii")  # the history manager's own copies of the last cells
HISTORY_DICTS = ("output_hist", "output_hist_reprs", "exceptions")  # output_hist is Out / _oh
HISTORY_CACHES = ("db_input_cache", "db_output_cache")
DISPLAYHOOK_NAMES = ("_", "__", "___")
TRACEBACK_FORMATTERS = ("InteractiveTB", "SyntaxTB")  # each keeps the last traceback it formatted (``.tb``)


class HiddenCell:
    """What a hidden test cell may leave in the kernel, taken just before it runs; ``forget()`` takes it back.

    IPython keeps each cell's source in its input history (In, _ih, _i, _ii, _iii, _iN, the history
    manager's caches and database, Out and the saved outputs and exceptions), in linecache and in the
    traceback caches (for tracebacks), and after an error in sys.last_traceback, the formatted traceback and
    ``last_execution_result``; the names the cell bound keep its functions, their code and constants.
    ``forget()`` leaves the kernel as it was before the cell: the cell keeps its number in the history but
    not its text, the names it bound or rebound are put back, the random generators it seeded are put back,
    and the collector frees the rest. What code under test took while the cell ran (its caller's frame, an
    audit hook's copy) stays: the feedback's limits (course.grading.feedback) cover that.
    """

    def __init__(self, shell) -> None:
        self.shell = shell
        hm = shell.history_manager
        self.line = shell.execution_count  # the number the cell gets in the history
        self.inputs = {"input_hist_parsed": len(hm.input_hist_parsed), "input_hist_raw": len(hm.input_hist_raw)}
        self.history_names = {name: getattr(hm, name, _MISSING) for name in HISTORY_NAMES}
        self.history_dicts = {name: dict(getattr(hm, name)) for name in HISTORY_DICTS if hasattr(hm, name)}
        self.outputs = {line: list(outs) for line, outs in getattr(hm, "outputs", {}).items()}
        self.caches = {name: len(getattr(hm, name)) for name in HISTORY_CACHES if hasattr(hm, name)}
        self.user_ns = dict(shell.user_ns)
        self.user_ns_hidden = dict(shell.user_ns_hidden)
        self.displayhook = {name: getattr(shell.displayhook, name, _MISSING) for name in DISPLAYHOOK_NAMES}
        self.shell_results = {name: getattr(shell, name, _MISSING) for name in SHELL_RESULTS}
        self.last_error = {name: getattr(sys, name, _MISSING) for name in LAST_ERROR}
        self.formatted = {name: _own(getattr(shell, name, None), "tb") for name in TRACEBACK_FORMATTERS}
        self.sources = set(linecache.cache)
        self.cell_names = set(getattr(shell.compile, "_filename_map", {}))
        self.random = _random_states()

    def forget(self) -> None:
        for step in (self._history, self._history_database, self._namespace, self._sources, self._errors,
                     self._random_generators):
            try:
                step()
            except Exception:  # noqa: BLE001 (a student may have broken one of them: do the others)
                pass
        _collect_garbage()

    def _history(self) -> None:
        hm = self.shell.history_manager
        for name, before in self.inputs.items():
            inputs = getattr(hm, name)  # In and _ih are input_hist_parsed itself
            inputs[before:] = [""] * (len(inputs) - before)  # later cells keep their numbers
        for name, value in self.history_names.items():
            _put_back(hm, name, value)
        for name, before in self.history_dicts.items():
            _refill(getattr(hm, name), before)
        if hasattr(hm, "outputs"):
            _refill(hm.outputs, {line: list(outs) for line, outs in self.outputs.items()})
        for name, before in self.caches.items():
            del getattr(hm, name)[before:]

    def _history_database(self) -> None:
        hm = self.shell.history_manager
        with hm.db:
            for table in ("history", "output_history"):
                hm.db.execute(f"DELETE FROM {table} WHERE session = ? AND line >= ?", (hm.session_number, self.line))

    def _namespace(self) -> None:
        _refill(self.shell.user_ns, self.user_ns)
        _refill(self.shell.user_ns_hidden, self.user_ns_hidden)
        for name, value in self.displayhook.items():
            _put_back(self.shell.displayhook, name, value)

    def _sources(self) -> None:
        added = set(linecache.cache) - self.sources
        for name in added:
            linecache.cache.pop(name, None)
        names = getattr(self.shell.compile, "_filename_map", {})
        for name in set(names) - self.cell_names:
            names.pop(name, None)
        _forget_traceback_sources()

    def _errors(self) -> None:
        for name, value in self.last_error.items():
            _put_back(sys, name, value)
        for name, value in self.shell_results.items():
            _put_back(self.shell, name, value)
        for name, tb in self.formatted.items():
            formatter = getattr(self.shell, name, None)
            if formatter is not None:
                _put_back(formatter, "tb", tb)

    def _random_generators(self) -> None:
        _set_random_states(self.random)


def _own(obj, name: str):
    """``obj``'s own attribute ``name`` (not its class's), or _MISSING."""
    return vars(obj).get(name, _MISSING) if obj is not None else _MISSING


def _put_back(obj, name: str, value) -> None:
    if value is _MISSING:
        if name in vars(obj):
            delattr(obj, name)
    elif getattr(obj, name, _MISSING) is not value:
        setattr(obj, name, value)


def _refill(mapping: dict, before: dict) -> None:
    """``mapping`` holds exactly ``before`` again (the same dict object: others hold it)."""
    for key in [k for k in mapping if k not in before]:
        del mapping[key]
    for key, value in before.items():
        if mapping.get(key, _MISSING) is not value:
            mapping[key] = value


def _forget_traceback_sources() -> None:
    """The caches IPython's tracebacks fill (stack_data over executing): each holds sources and code objects."""
    executing = sys.modules.get("executing.executing")
    if executing is None:
        return
    classes, todo = [], [executing.Source]
    while todo:
        cls = todo.pop()
        classes.append(cls)
        todo.extend(cls.__subclasses__())
    for cls in classes:
        for name, value in list(vars(cls).items()):
            value = getattr(value, "fget", getattr(value, "__func__", value))
            if hasattr(value, "cache_clear"):
                value.cache_clear()
            elif isinstance(value, dict) and "cache" in name:
                value.clear()  # __source_cache_with_lines, __executing_cache


def _random_states() -> dict:
    states = {"random": random.getstate()}
    torch = sys.modules.get("torch")
    if torch is not None:
        states["torch"] = torch.get_rng_state()
        if torch.cuda.is_initialized():
            states["cuda"] = torch.cuda.get_rng_state_all()
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        states["numpy"] = numpy.random.get_state()
    return states


def _set_random_states(states: dict) -> None:
    """The generators as they were: a hidden test's seed (torch.initial_seed()) is one of its constants."""
    random.setstate(states["random"])
    torch = sys.modules.get("torch")
    if "torch" in states:
        torch.set_rng_state(states["torch"])
    if "cuda" in states:
        torch.cuda.set_rng_state_all(states["cuda"])
    elif torch is not None and torch.cuda.is_available():
        torch.cuda.manual_seed_all(torch.initial_seed())  # replaces a seed the cell left for CUDA's lazy start
    if "numpy" in states:
        sys.modules["numpy"].random.set_state(states["numpy"])


def _collect_garbage() -> None:
    """Free the cell's frames, functions and code now, and keep nothing of them in gc.garbage."""
    gc.set_debug(0)
    del gc.garbage[:]
    gc.collect()


_hidden: HiddenCell | None = None


def before_hidden() -> None:
    """Just before a hidden test cell: remember the kernel as it is."""
    global _hidden
    _hidden = HiddenCell(get_ipython())  # noqa: F821


def forget_hidden() -> None:
    """Just after a hidden test cell: take away what it left (see :class:`HiddenCell`)."""
    global _hidden
    hidden, _hidden = _hidden, None
    if hidden is not None:
        hidden.forget()
