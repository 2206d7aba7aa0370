"""Inside a grading kernel: remember the pristine state, put it back before each test.

``install()`` runs when the kernel starts, before any student code (the
grader passes it as the kernel's ``exec_lines``): it takes a :class:`Snapshot`
of the builtins, the functions and classes of the libraries the tests rely on,
IPython's input transformers and execution methods, and ipykernel's request
handlers. ``restore()`` runs before every test cell: whatever a student
replaced is put back, one step per kind of state, and a list of what was found
is returned so that the grader can report it. This is detection and repair inside one process, not a security
boundary: the sandbox around the kernel is the boundary (see course.grading.sandbox).
"""

from __future__ import annotations

import importlib
import json
import re
import sys
import types

WATCHED_MODULES = ("builtins", "torch", "torch.nn", "torch.nn.functional", "torch.testing", "numpy", "math",
                   "operator", "course.checks", "course.probes")
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
                     self._sys_hooks, self._course_names, self._kernel):
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


_snapshot: Snapshot | None = None


def install():
    """Take the snapshot of the pristine state; return its ``restore`` (this module's :func:`restore` calls it too)."""
    global _snapshot
    _snapshot = Snapshot(get_ipython())  # noqa: F821 (only ever runs inside IPython)
    return _snapshot.restore


def restore() -> list[str]:
    """Put the pristine state back; return what had changed."""
    if _snapshot is None:
        return ["the guard was not installed when the kernel started"]
    return _snapshot.restore()


def report() -> str:
    """``restore()`` as JSON (the grader asks for it as a user expression)."""
    return json.dumps(restore())
