"""Inside a grading kernel: remember the pristine state, put it back before each test.

``install()`` runs when the kernel starts, before any student code (the
grader passes it as the kernel's ``exec_lines``). It records the builtins,
the functions and classes of the libraries the tests rely on, IPython's input
transformers and execution methods, and ipykernel's request handlers.
``restore()`` runs before every test cell: whatever a student replaced is put
back, and a list of what was found is returned so that the grader can report
it. This is detection and repair inside one process, not a security
boundary: the sandbox around the kernel is the boundary (see course.sandbox).
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


def install():
    """Record the pristine state; return ``restore`` (also reachable as this module's ``restore``)."""
    global restore
    for name in WATCHED_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    shell = get_ipython()  # noqa: F821 (only ever runs inside IPython)
    kernel = getattr(shell, "kernel", None)
    modules = {name: sys.modules[name] for name in WATCHED_MODULES if name in sys.modules}
    saved_modules = {name: (mod, {k: v for k, v in _callables(vars(mod)).items() if k not in VOLATILE.get(name, ())})
                     for name, mod in modules.items()}
    saved_codes = {(name, k): (f, f.__code__) for name, (_, funcs) in saved_modules.items()
                   for k, f in funcs.items() if hasattr(f, "__code__") and name.startswith("course.")}
    saved_classes = {}
    for mod_name, cls_name in WATCHED_CLASSES:
        cls = getattr(modules.get(mod_name), cls_name, None)
        if isinstance(cls, type):
            saved_classes[f"{mod_name}.{cls_name}"] = (cls, dict(vars(cls)))
    shell_cls = type(shell)
    saved_shell_cls = {m: getattr(shell_cls, m) for m in SHELL_METHODS if hasattr(shell_cls, m)}
    saved_shell_inst = {m: vars(shell).get(m, _MISSING) for m in SHELL_METHODS}
    saved_lists = {name: list(getattr(shell, name)) for name in SHELL_LISTS}
    manager = shell.input_transformer_manager
    saved_manager = {name: list(getattr(manager, name)) for name in MANAGER_LISTS}
    saved_events = {name: list(cbs) for name, cbs in shell.events.callbacks.items()}
    saved_sys = {name: getattr(sys, name) for name in SYS_HOOKS}
    saved_handlers = dict(kernel.shell_handlers) if kernel is not None else {}
    kernel_cls = type(kernel) if kernel is not None else None
    saved_kernel_cls = {m: getattr(kernel_cls, m) for m in KERNEL_METHODS if kernel_cls and hasattr(kernel_cls, m)}

    def _restore() -> list[str]:
        found: list[str] = []
        if sys.gettrace() is not None or sys.getprofile() is not None:
            sys.settrace(None)
            sys.setprofile(None)
            found.append("a trace or profile function was set")
        for name, mod in modules.items():
            if sys.modules.get(name) is not mod:
                sys.modules[name] = mod
                found.append(f"sys.modules[{name!r}] was replaced")
        for name, (mod, funcs) in saved_modules.items():
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
        for (name, k), (f, code) in saved_codes.items():
            if f.__code__ is not code:
                f.__code__ = code
                found.append(f"the code of {name}.{k} was replaced")
        for qual, (cls, attrs) in saved_classes.items():
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
        for m, v in saved_shell_inst.items():
            current = vars(shell).get(m, _MISSING)
            if current is not v:
                if v is _MISSING:
                    delattr(shell, m)
                else:
                    setattr(shell, m, v)
                found.append(f"IPython's {m} was replaced")
        for m, v in saved_shell_cls.items():
            if getattr(shell_cls, m) is not v:
                setattr(shell_cls, m, v)
                found.append(f"IPython's {m} was replaced")
        for name, items in saved_lists.items():
            current = getattr(shell, name)
            if list(current) != items:
                current[:] = items
                found.append(f"IPython's {name} was changed")
        for name, items in saved_manager.items():
            current = getattr(manager, name)
            if list(current) != items:
                current[:] = items
                found.append(f"IPython's input transformer manager ({name}) was changed")
        if shell.input_transformer_manager is not manager:
            shell.input_transformer_manager = manager
            found.append("IPython's input transformer manager was replaced")
        for name, cbs in saved_events.items():
            if shell.events.callbacks.get(name) != cbs:
                shell.events.callbacks[name] = list(cbs)
                found.append(f"an IPython {name} event callback was registered")
        for name, v in saved_sys.items():
            if getattr(sys, name) is not v:
                setattr(sys, name, v)
                found.append(f"sys.{name} was replaced")
        user_ns = shell.user_ns
        for k, v in _course_names.items():
            if user_ns.get(k) is not v:
                user_ns[k] = v
                found.append(f"the notebook's {k} (set by a course cell) was replaced")
        if kernel is not None:
            if kernel.shell_handlers != saved_handlers:
                kernel.shell_handlers.clear()
                kernel.shell_handlers.update(saved_handlers)
                found.append("the kernel's request handlers were replaced")
            for m, v in saved_kernel_cls.items():
                if m in vars(kernel):
                    delattr(kernel, m)
                    found.append(f"the kernel's {m} was replaced")
                if getattr(kernel_cls, m) is not v:
                    setattr(kernel_cls, m, v)
                    found.append(f"the kernel's {m} was replaced")
        return list(dict.fromkeys(found))

    restore = _restore
    return _restore


def restore() -> list[str]:  # replaced by install()
    return ["the guard was not installed when the kernel started"]


def report() -> str:
    """``restore()`` as JSON (the grader asks for it as a user expression)."""
    return json.dumps(restore())
