"""Helpers that the exercise tests call.

Each helper raises AssertionError with a message in the student's terms:
what was expected, what the code produced, and (where it helps) a hint.
Comparisons check the type as well as the value, so an object that merely
claims to be equal does not pass. What the student's code produced is shown
bounded (``shown``, ``type_name``, ``said``): enough to say what it was, never
everything it holds (a repr is the student's own code, and could carry anything).
"""

from __future__ import annotations

import contextlib
import functools
import re
import reprlib
import warnings

import torch
from torch.utils._python_dispatch import TorchDispatchMode


SHOWN_CHARS = 60  # a value of the student's, as a message shows it
NAME_CHARS = 40  # the name of a type of the student's
SAID_CHARS = 120  # the message of an exception the student's code raised

_SHOWN = reprlib.Repr()
_SHOWN.maxstring = _SHOWN.maxother = 40
_SHOWN.maxlong = 24
_SHOWN.maxtuple = _SHOWN.maxlist = _SHOWN.maxset = _SHOWN.maxfrozenset = _SHOWN.maxdict = 6
_SHOWN.maxlevel = 3


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def shown(value) -> str:
    """``repr(value)``, bounded: ``31.0``, ``'b'``, ``(8, 16, 32, 32)`` whole, a long value shortened with ``...``."""
    try:
        return _cut(_SHOWN.repr(value), SHOWN_CHARS)
    except Exception:  # a repr of the student's that raises
        return f"<{type_name(value)} object>"


def type_name(value) -> str:
    """The name of ``value``'s type, bounded."""
    return _cut(str(type(value).__name__), NAME_CHARS)


def said(exc: BaseException) -> str:
    """The message of an exception the student's code raised, bounded."""
    try:
        return _cut(str(exc), SAID_CHARS)
    except Exception:  # a __str__ of the student's that raises
        return ""


def expect_int(got, want: int, call: str, hint: str = "") -> None:
    """``got`` must be exactly the int ``want`` (not a float, bool or tensor)."""
    if type(got) is not int:
        raise AssertionError(
            f"{call} should return an int, got {type_name(got)} {shown(got)}"
            + ("" if not isinstance(got, float) else ": use // (floor division) or int(), not /")
        )
    if got != want:
        raise AssertionError(f"{call} should be {want}, got {shown(got)}" + (f": {hint}" if hint else ""))


def expect_raises(exc_type: type[BaseException], fn, *args, call: str, why: str, **kwargs) -> None:
    """Calling ``fn(*args, **kwargs)`` must raise ``exc_type``."""
    try:
        result = fn(*args, **kwargs)
    except exc_type:
        return
    except Exception as exc:  # the wrong kind of error
        raise AssertionError(
            f"{call} should raise {exc_type.__name__} ({why}), but it raised {type_name(exc)}: {said(exc)}"
        ) from None
    raise AssertionError(f"{call} should raise {exc_type.__name__} ({why}), but it returned {shown(result)}")


def expect_tensor(got, want: torch.Tensor, what: str, atol: float = 1e-5, rtol: float = 1e-5, hint: str = "") -> None:
    """``got`` must be a tensor of ``want``'s shape and dtype, equal to it within tolerance."""
    if type(got) not in (torch.Tensor, torch.nn.Parameter):
        raise AssertionError(f"{what} should be a torch.Tensor, got {type_name(got)}")
    expect_shape(got, tuple(want.shape), what, hint)
    if got.dtype != want.dtype:
        raise AssertionError(f"{what}: expected dtype {want.dtype}, got {got.dtype}")
    got_d = got.detach().to("cpu")
    want_d = want.detach().to("cpu")
    if not torch.allclose(got_d, want_d, atol=atol, rtol=rtol):
        diff = (got_d.double() - want_d.double()).abs()
        flat = int(diff.argmax())
        index = tuple(int(i) for i in torch.unravel_index(torch.tensor(flat), diff.shape))
        raise AssertionError(
            f"{what}: values differ from the expected ones (largest difference {diff.max().item():.4g} "
            f"at index {index}: expected {want_d[index].item():.6g}, got {got_d[index].item():.6g})"
            + (f": {hint}" if hint else "")
        )


# Convolution kernels of ATen, whatever Python name (or alias) reached them:
# aten.convolution, aten._convolution, aten.conv2d, cudnn/mkldnn/miopen/slow
# variants and convolution_backward (used by torch.nn.grad helpers).
_CONV_OP = re.compile(r"^(_?conv|cudnn_conv|mkldnn_conv|miopen_conv|_?slow_conv|thnn_conv|_nnpack_spatial_conv|"
                      r"deform_conv)")  # torchvision.ops.deform_conv2d: with zero offsets a plain convolution


class ForbiddenCallError(AssertionError):
    pass


# Pooling kernels of ATen: max/avg/adaptive/fractional pooling and their mkldnn variants.
_POOL_OP = re.compile(r"^(_?adaptive_(max|avg)_pool|(mkldnn_|quantized_)?max_pool|avg_pool|fractional_max_pool)")


class _ForbidOps(TorchDispatchMode):
    def __init__(self, pattern: re.Pattern, message: str) -> None:
        super().__init__()
        self.pattern = pattern
        self.message = message

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        name = func.overloadpacket.__name__
        if self.pattern.match(name):
            raise ForbiddenCallError(self.message.format(op=f"aten.{name}"))
        return func(*args, **(kwargs or {}))


@contextlib.contextmanager
def no_torch_convolution(where: str):
    """Inside this block every call into torch's convolution kernels raises.

    It works at the dispatcher level, so an alias captured earlier
    (``from torch.nn.functional import conv2d as c``) is caught as well.
    """
    with _ForbidOps(_CONV_OP, f"{where} must compute the convolution itself, but it called torch's "
                    "convolution ({op}, reached through F.conv2d, torch.conv2d, nn.Conv2d, torch.nn.grad or "
                    "torchvision.ops.deform_conv2d). Use loops, unfold or einsum instead."):
        yield


@contextlib.contextmanager
def no_torch_pooling(where: str):
    """Inside this block every call into torch's pooling kernels (max, average, adaptive) raises."""
    with _ForbidOps(_POOL_OP, f"{where} must compute the pooling itself, but it called torch's "
                    "pooling ({op}, reached through F.max_pool2d, F.avg_pool2d, nn.MaxPool2d, "
                    "nn.AvgPool2d or an adaptive pool). Use loops, unfold or tensor views instead."):
        yield


# The dispatch keys whose kernels _refuse_kernels replaces: plain and autograd CPU/CUDA
# tensors, and the MKL-DNN and quantized CPU layouts that have pooling kernels of their own.
_REFUSED_KEYS = ("CPU", "CUDA", "AutogradCPU", "AutogradCUDA", "MkldnnCPU", "QuantizedCPU")


@contextlib.contextmanager
def _refuse_kernels(pattern: re.Pattern, message: str):
    """Inside this block every overload of every aten op whose name matches raises, in every thread.

    A ``TorchDispatchMode`` is thread-local and can be switched off (``_disable_current_modes``,
    ``torch._C._DisableTorchDispatch``); kernels registered with ``torch.library`` cannot: they
    replace the op's kernels for the whole process until the block ends.
    """
    lib = torch.library.Library("aten", "IMPL")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "overriding a previously registered kernel"
            for op in _aten_ops(pattern):
                def refuse(*args, _op=op.partition(".")[0], **kwargs):
                    raise ForbiddenCallError(message.format(op=f"aten.{_op}"))

                for key in _REFUSED_KEYS:
                    with contextlib.suppress(Exception):  # a key this build of torch does not have
                        lib.impl(op, refuse, key)
        yield
    finally:
        lib._destroy()


@functools.lru_cache(maxsize=None)
def _aten_ops(pattern: re.Pattern) -> tuple[str, ...]:
    """Every overload ("max_pool2d", "max_pool2d_with_indices.out", ...) of the aten ops matching, backward ops aside."""
    ops = []
    for full in torch._C._dispatch_get_all_op_names():
        namespace, _, op = full.partition("::")
        base = op.partition(".")[0]
        if namespace == "aten" and pattern.match(base) and "backward" not in base:
            ops.append(op)
    return tuple(sorted(ops))


@contextlib.contextmanager
def no_torch_pooling_any_route(where: str):
    """``no_torch_pooling``, closed against the routes around a dispatch mode.

    Torch's pooling kernels also raise when they are reached from another thread (a thread
    pool, ``threading.Thread``) or with the Python dispatch modes switched off.
    """
    message = (f"{where} must compute the pooling itself, but it called torch's pooling ({{op}}, "
               "reached from another thread or with torch's dispatch switched off). Use loops, unfold "
               "or tensor views instead.")
    with _refuse_kernels(_POOL_OP, message), no_torch_pooling(where):
        yield


@contextlib.contextmanager
def no_layer_building(where: str, instead: str = ""):
    """Inside this block, creating any ``torch.nn.Module`` (``nn.Conv2d``, ``nn.Linear``, ...) raises.

    Every module's constructor ends in ``torch.nn.Module.__init__``, which is switched for the
    block, so a class bound under another name, ``skip_init`` and the meta device are caught too.
    """
    module = torch.nn.Module
    original = module.__dict__["__init__"]
    message = f"{where} must not build a layer (it created a torch.nn.Module)" + (f": {instead}" if instead else "")

    def refuse(self, *args, **kwargs):
        raise ForbiddenCallError(message)

    module.__init__ = refuse
    try:
        yield
    finally:
        module.__init__ = original


@contextlib.contextmanager
def quiet_warnings():
    """Run student code without warnings: nbgrader scores a test cell that writes to stderr as 0."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def expect_quiz(answers, questions: dict[str, str], options: str = "abcd") -> None:
    """The quiz answer is a dict mapping each question id to one option letter.

    Ids and answers must be plain ``str`` (``type(x) is str``), checked before any of them is compared, hashed
    or shown: a ``str`` subclass of the student's never runs its own ``__eq__``, ``__hash__`` or ``__repr__`` here.
    """
    if type(answers) is not dict:
        raise AssertionError(f"the quiz answer should be a dict like {{'q1': 'b', ...}}, got {type_name(answers)}")
    for q in answers:  # an exact dict: iterating it runs nothing of the student's
        if type(q) is not str:
            raise AssertionError(f"the quiz's question ids should be strings like 'q1', got a {type_name(q)}")
    missing = [q for q in questions if q not in answers]  # plain str keys only: str's own == and hash
    extra = [q for q in answers if q not in questions]
    if missing or extra:
        raise AssertionError(
            f"the quiz should answer exactly {sorted(questions)}"
            + (f"; missing {missing}" if missing else "")
            + (f"; unknown {shown(extra)}" if extra else "")
        )
    for q, a in answers.items():
        if type(a) is not str or len(a) != 1 or a not in options:
            # a str subclass is named, not shown: its __repr__ is the student's code
            got = f"a {type_name(a)}, not a plain str" if issubclass(type(a), str) and type(a) is not str \
                else shown(a)
            raise AssertionError(f"quiz answer {_cut(q, NAME_CHARS)} should be one letter of {', '.join(options)}, "
                                 f"got {got}")


def quiz_score(answers, key: dict[str, str]) -> int:
    """Number of correct answers (the hidden test's result becomes nbgrader partial credit).

    Only plain ``str`` ids and answers count, compared with ``str.__eq__``: nothing of the student's runs here
    (a ``str`` subclass's ``__eq__`` or ``__hash__`` would run inside the hidden test otherwise).
    """
    if type(answers) is not dict:
        return 0
    plain = {q: a for q, a in answers.items() if type(q) is str and type(a) is str}
    score = 0
    for q, want in key.items():
        got = plain.get(q)
        if type(got) is str and str.__eq__(got, want) is True:
            score += 1
    return score


def plain_tensor(got, what: str) -> torch.Tensor:
    """``got`` must be a torch.Tensor; return its data as a plain ``torch.Tensor``.

    A tensor subclass that torchvision returns (``tv_tensors.Image`` from a
    ``transforms.v2`` pipeline) is accepted; its data is compared, not its class.
    """
    if not isinstance(got, torch.Tensor):
        raise AssertionError(f"{what} should be a torch.Tensor, got {type_name(got)}")
    return got.as_subclass(torch.Tensor)


def call_student(fn, *args, call: str, hint: str = "", **kwargs):
    """Call the student's ``fn(*args, **kwargs)`` without warnings and return its result.

    An exception becomes an AssertionError that names the call (and the hint), so the
    student reads what was tried instead of a bare traceback; NotImplementedError
    passes through unchanged (it means "not answered yet").
    """
    try:
        with quiet_warnings():
            return fn(*args, **kwargs)
    except NotImplementedError:
        raise
    except Exception as exc:
        raise AssertionError(f"{call} raised {type_name(exc)}: {said(exc)}" + (f": {hint}" if hint else "")) from None


def expect_shape(got, want: tuple[int, ...], what: str, hint: str = "") -> None:
    """``got`` must be a torch.Tensor of shape ``want`` (its values are not compared)."""
    if not isinstance(got, torch.Tensor):
        raise AssertionError(f"{what} should be a torch.Tensor, got {type_name(got)}")
    if tuple(got.shape) != tuple(want):
        raise AssertionError(
            f"{what}: expected shape {tuple(want)}, got {shown(tuple(got.shape))}" + (f": {hint}" if hint else "")
        )


_HOOK_DICTS = ("_forward_hooks", "_forward_pre_hooks", "_backward_hooks", "_backward_pre_hooks")


def expect_no_hooks(model: torch.nn.Module, call: str) -> None:
    """No hook may be left on any module of ``model`` (nor registered globally) after ``call``.

    Checks the forward, forward-pre, backward and backward-pre hooks of every
    submodule, and the global module hooks of ``torch.nn.modules.module``.
    """
    from torch.nn.modules import module as _module

    left = []
    for name, mod in model.named_modules():
        for attr in _HOOK_DICTS:
            if getattr(mod, attr, None):
                kind = attr.strip("_").replace("_", " ")[:-1]
                left.append(f"{len(getattr(mod, attr))} {kind} on {shown(name) if name else 'the model itself'}")
    for attr in ("_global" + a for a in _HOOK_DICTS):
        if getattr(_module, attr, None):
            left.append(f"{len(getattr(_module, attr))} global {attr[8:].replace('_', ' ')[:-1]}")
    if left:
        raise AssertionError(
            f"{call} left hooks registered: {', '.join(left[:4])}{' ...' if len(left) > 4 else ''}: keep the handle "
            "that register_forward_hook returns and call handle.remove() on each one, in a `finally:` block so "
            "that it also runs when forward raises"
        )


@contextlib.contextmanager
def forbid_calls(functions, where: str, instead: str = ""):
    """Inside this block, calling any of ``functions`` raises ForbiddenCallError.

    The function objects themselves are switched (their ``__code__``), so a name bound
    before the block (``from course.widgets.feature_maps import layer_outputs as lo``) is
    caught as well. Only plain functions without a closure can be forbidden.
    """
    saved = []
    try:
        for fn in functions:
            fn = getattr(fn, "__func__", fn)
            if fn.__closure__:
                raise ValueError(f"forbid_calls cannot switch {fn.__qualname__}: it has a closure")
            message = (f"{where} must not call {fn.__module__}.{fn.__qualname__}"
                       + (f": {instead}" if instead else ""))
            namespace: dict = {}
            exec("def refuse(*args, **kwargs):\n"
                 "    raise __import__('course.checks', fromlist=['_']).ForbiddenCallError(" + repr(message) + ")",
                 {}, namespace)
            saved.append((fn, fn.__code__))
            fn.__code__ = namespace["refuse"].__code__
        yield
    finally:
        for fn, original in saved:
            fn.__code__ = original
