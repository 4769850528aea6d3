"""The recorder: a torch function mode that logs the snippet's tensor ops as they run.

Every torch call made while the mode is on passes through `__torch_function__`. A call that touches a tensor
already in the graph, or makes a tensor that requires grad, becomes an op node with tensor nodes for its inputs
and outputs; an in-place call gives the tensor it changes a new node. Each new tensor's `grad_fn` is walked at
once (hooks.py), so every autograd node is seen while its saved values still exist. The snippet's tensor hooks
run with the mode on, so what they change during backward (an optimizer step in a post-accumulate-grad hook)
is recorded too; threads the snippet starts get the mode as well. An optimizer's step is one op (steps.py).
"""

import ast
import contextlib
import dis
import itertools
import linecache
import re
import sys
import threading
import time
from collections.abc import Callable, Hashable
from functools import lru_cache
from types import BuiltinFunctionType, CodeType, FrameType, FunctionType, ModuleType
from typing import Any, NamedTuple

import torch
from torch import nn
from torch._C import TensorBase  # (its methods: a wrapper the snippet put on torch.Tensor is never called)
from torch.overrides import TorchFunctionMode

from ..expression import TAKEN_OUT
from . import summary, torch_internals
from .deadline import LateStop
from .hooks import Backward, asks_chosen, seeds_of
from .loops import LOOPS_UNKNOWN, Alone, Batching, in_loop_header, last_iteration, note_batches
from .naming import CONTAINER_SCAN_ITEMS, NAMES_NOTHING, SNIPPET_FILE, NameKey, Names, own_attributes, user_frame
from .output import limit_error, without_gradwalk_frames
from .peek import (
    PLAIN_TENSORS,
    as_torch_reads_hooks,
    instance_vars,
    is_container,
    is_method_of,
    is_tensor,
    kind_in,
    size_of,
    values_of,
    wraps,
)
from .steps import Step, inside, running
from .summary import Summaries, symbolic
from .unreachable import let_go_of_accumulators, let_go_of_unreachable
from .values import Freed, Kept, Values, foreign, freed, grad_fn_of, version_of

Tensor = torch.Tensor
BackwardCFunction = torch.autograd.function.BackwardCFunction


class GraphLimitReached(BaseException):
    """Raised inside the recorder when the recording stops (`Recorder.stop`): the call at hand is left out of the
    graph, and the snippet runs on unrecorded. Never reaches the snippet."""


# -- what to do with a call ------------------------------------------------------------------------------------

RECORD, SKIP, BACKWARD, SET_ATTRIBUTE, HOOK = range(5)
# Properties whose getter is an op (a new tensor on the same data); other getters are skipped.
PROPERTY_OPS = frozenset({"T", "mT", "H", "mH", "real", "imag", "data"})
SETTER_OPS = {"data": "data=", "requires_grad": "requires_grad_"}  # property setters that change a tensor
# Calls that never produce graph tensors: skipped without looking at their arguments.
SKIPPED = frozenset(
    {"__repr__", "__str__", "__format__", "__len__", "__bool__", "__hash__", "retain_grad"}
    | {"size", "dim", "numel", "item", "tolist", "data_ptr", "stride"}
)
# Calls that take a tensor's values out of the graph as Python's or NumPy's. Where the snippet makes a tensor of what
# one returned (`torch.tensor(s.item())`, `torch.from_numpy(x.detach().numpy())`), the call is drawn as a cut between
# the two; a value only printed or compared draws nothing.
TAKEN_OUT_KEPT = 256  # the values taken out that are remembered at once (past it, all are forgotten at once)
TAKEN_OUT_LOOKED = 8  # the items of a list given to a factory that are looked at for a value taken out
# The largest tensor, in elements, whose value taken out is remembered: it is held (a `.tolist()` of a million floats
# is 32 MB; an array of `.numpy()` holds its tensor's memory), and a loop taking out large values each step ran out of
# the run's memory that plain Python never held at once. Past it, a tensor made of the value is drawn on its own.
TAKEN_OUT_MAX_ELEMENTS = 1024
# They hand out the values without the graph (torch.tensor(t) and t.new_tensor(...) copy them).
ALIASING = frozenset({"detach", "data"})  # (ops whose result shares its input's memory, though it is no view of it)
# Ops whose result is a new leaf of a tensor's values, its graph left behind: a copy (`torch.tensor(x)`), or the
# very memory (`nn.Parameter(h)`, drawn by the recorder: it runs no torch function).
NEW_LEAF = frozenset({"tensor", "new_tensor", "Parameter"})
CUT_OPS = frozenset({"detach", "detach_", "data", "requires_grad_"}) | NEW_LEAF | TAKEN_OUT
# Ops that give their input back, the same tensor, when they change nothing: a dropout in eval mode or with p = 0.
# Recorded all the same, the result a new node of that tensor, so the graph shows the call that did nothing.
PASSED_ON = frozenset(
    {"dropout", "dropout1d", "dropout2d", "dropout3d", "feature_dropout", "alpha_dropout", "feature_alpha_dropout"}
)
# Ops that change inputs other than the first (running statistics): all their inputs are copied before.
CHANGE_ALL_INPUTS = frozenset({"batch_norm", "instance_norm"})
# Ops that hand the tensor's memory to code torch does not see (a numpy array, a DLPack capsule): what is kept of it is
# copied first, for a write through them moves no version.
HAND_OUT_MEMORY = frozenset({"numpy", "array", "dlpack"})
# Ops that, given `max_norm`, renormalize the rows of their weight (their second argument) in place.
RENORM_WEIGHT = frozenset({"embedding", "embedding_bag"})
COMMUTATIVE = frozenset({"add", "mul", "and", "or", "xor"})
INPLACE_OPERATORS = frozenset(
    {"add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "and", "or", "xor", "lshift", "rshift"}
)


def _overridden(types: Any) -> bool:
    """Whether one of `types` (but torch.Tensor) has a __torch_function__ that is not turned off: a tensor subclass
    or tensor-like. A function of the snippet's that supports them (`if has_torch_function_unary(x): return
    handle_torch_function(f, (x,), x)`) is handed on to theirs, as plain torch hands it: the recorder, first on the
    mode stack, would call the function again, which would hand itself on a second time (its code before, twice)."""
    disabled = torch._C._disabled_torch_function_impl
    return any(
        kind is not torch.Tensor and getattr(kind, "__torch_function__", disabled) is not disabled for kind in types
    )


class OpInfo(NamedTuple):
    name: str  # readable: `__mul__` -> `mul`, `__iadd__` -> `add_`, `Tensor.T.__get__` -> `T`
    in_place: bool  # its name says it changes its first argument (`add_`, `x += y`, `x[i] = y`)
    action: int


_infos: dict[Any, OpInfo] = {}


def op_info(func: Any) -> OpInfo:
    try:
        return _infos[func]
    except (KeyError, TypeError):  # TypeError: an unhashable callable
        pass
    name = getattr(func, "__name__", "") or type(func).__name__
    base = name.split(".", 1)[0]  # (an aten overload, as a GraphModule calls it: `copy_.default`)
    in_place = (base.endswith("_") and not base.endswith("__")) or (
        (name.startswith("__i") and name[3:-2] in INPLACE_OPERATORS) or name == "__setitem__"
    )
    action = RECORD
    if func is torch.autograd.grad or func is torch.autograd.backward or name == "backward":
        action = BACKWARD
    elif name == "__get__":
        name = func.__self__.__name__
        action = RECORD if name in PROPERTY_OPS else SKIP
    elif name == "__set__":
        name = SETTER_OPS.get(func.__self__.__name__, "")
        action, in_place = (SET_ATTRIBUTE, True) if name else (SKIP, False)
    elif name in ("register_hook", "register_post_accumulate_grad_hook"):
        action = HOOK
    elif name in SKIPPED:
        action = SKIP
    info = OpInfo(_readable(name), in_place, action)
    try:  # noqa: SIM105
        _infos[func] = info
    except TypeError:
        pass
    return info


def library_call(
    caller: FrameType, func: Any, written: Callable[[FrameType], str | None] = lambda frame: None
) -> tuple[FrameType | None, str | None, tuple[int, int] | None]:
    """For a torch call made below the snippet's code: the snippet's innermost frame; the function its line called
    that makes this call, by name (`log_prob` of `dist.log_prob(u)`, `Categorical` of its `__init__`, `jacobian`):
    as the line writes it (`written`, given the snippet's frame: `clip_grad_norm_`, where the frame called is a
    decorator's `_no_grad_wrapper`), else as its code is named; or None when that function is the torch function
    itself (F.relu, a tensor method written in Python, running as one op); and which call of it this is (its
    frame's id, where the snippet's line called it)."""
    called, frame = caller, caller.f_back
    while frame is not None and frame.f_code.co_filename != SNIPPET_FILE:
        called, frame = frame, frame.f_back
    code = called.f_code
    if frame is None or code is getattr(func, "__code__", None) or code in torch_internals.SCRIPT_CALLS:
        return frame, None, None
    owner, _, name = code.co_qualname.rpartition(".")
    if name == "__init__" and owner:  # (a class: what it returns is the object, none of its tensors)
        return frame, owner.rpartition(".")[2], None
    return frame, written(frame) or name, (id(called), frame.f_lasti)


CALLING = frozenset(dis.opmap[name] for name in ("CALL", "CALL_FUNCTION_EX", "CALL_KW") if name in dis.opmap)
CALL_CACHE_BYTES = 8  # the inline caches after a CALL (4 entries of 2 bytes in Python 3.11, 3 since)


def _call_at(code: CodeType, offset: int) -> ast.Call | None:
    """The call expression the call instruction at `offset` of the snippet's `code` runs, read from its source."""
    try:
        line, end_line, column, end_column = next(itertools.islice(code.co_positions(), offset // 2, None))
    except StopIteration:
        return None
    if line is None or end_line is None or column is None or end_column is None:
        return None
    lines = [linecache.getline(code.co_filename, n).encode() for n in range(line, end_line + 1)]
    if lines[0][:column].rstrip().endswith(b"."):  # (a method of a chain split over lines: `.sum()`, not `sum()`)
        return None
    lines[-1] = lines[-1][:end_column]
    lines[0] = lines[0][column:]
    try:
        call = ast.parse(b"".join(lines).decode().strip(), mode="eval").body
    except (SyntaxError, ValueError, UnicodeDecodeError):
        return None
    return call if isinstance(call, ast.Call) else None


def _c_function(call: ast.Call, frame: FrameType) -> str | None:
    """The name of the function `call` calls if it is one written in C outside torch (`sum`, `max`, `list`,
    `functools.reduce`, `math.prod`), found by its name in the frame's namespaces and modules' dicts (running
    nothing of the snippet's), else None: a tensor's method, a torch function, the snippet's own function."""
    parts: list[str] = []
    func: ast.expr = call.func
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if not isinstance(func, ast.Name):
        return None
    found: Any = NOT_FOUND
    for space in (frame.f_locals, frame.f_globals, frame.f_builtins):
        found = space.get(func.id, NOT_FOUND)
        if found is not NOT_FOUND:
            break
    for attr in reversed(parts):  # (only through modules: a module's dict holds its functions)
        found = vars(found).get(attr, NOT_FOUND) if type(found) is ModuleType else NOT_FOUND
    if not isinstance(found, BuiltinFunctionType | type):
        return None
    module = getattr(found, "__module__", None)
    if type(module) is not str or module.partition(".")[0] in ("torch", "__main__"):
        return None
    return parts[0] if parts else func.id


def _callee_name(call: ast.Call) -> str | None:
    """The name a call is written with: `clip_grad_norm_` of `torch.nn.utils.clip_grad_norm_(…)`, `hessian` of
    `hessian(f)(x)`, `net` of `net(x)`; None for anything else (`fns[0](x)`)."""
    func: ast.expr = call.func
    while isinstance(func, ast.Call):
        func = func.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None


NOT_FOUND = object()


class CalledInC:
    """Ops the snippet's line did not write but a function written in C outside torch that it called ran (Python's
    `sum` adds, `max` compares, `list` unbinds, `functools.reduce(operator.mul, ...)` multiplies: no frame of theirs
    lies between the line and the op). What each call instruction of the snippet's code calls is read once."""

    def __init__(self) -> None:
        self.calls: dict[CodeType, set[int]] = {}  # code -> the offsets of its call instructions
        self.callees: dict[tuple[CodeType, int], str | None] = {}  # (code, offset) -> the C function it calls
        self.names: dict[tuple[CodeType, int], str | None] = {}  # (code, offset) -> the name it calls by

    def _call(self, frame: FrameType) -> ast.Call | None:
        """The call expression the frame is running now, if it is at a call instruction (a C function's call: at
        its CALL; a Python function's: at the last of the inline caches after it, where the call returns to)."""
        code, offset = frame.f_code, frame.f_lasti
        calls = self.calls.get(code)
        if calls is None:
            calls = self.calls[code] = {i.offset for i in dis.get_instructions(code) if i.opcode in CALLING}
        at = next((offset - back for back in range(0, CALL_CACHE_BYTES + 1, 2) if offset - back in calls), None)
        return _call_at(code, at) if at is not None else None

    def callee(self, frame: FrameType) -> str | None:
        """The name of the C function (`sum`) that runs the frame's op, if its line called one, else None."""
        key = (frame.f_code, frame.f_lasti)
        if key not in self.callees:
            call = self._call(frame)
            self.callees[key] = _c_function(call, frame) if call is not None else None
        return self.callees[key]

    def written(self, frame: FrameType) -> str | None:
        """The name of the function the frame is calling now, as its line writes it (`_callee_name`)."""
        key = (frame.f_code, frame.f_lasti)
        if key not in self.names:
            call = self._call(frame)
            self.names[key] = _callee_name(call) if call is not None else None
        return self.names[key]


def _readable(name: str) -> str:
    if name.startswith("__") and name.endswith("__"):
        core = name[2:-2]
        if core[:1] == "i" and core[1:] in INPLACE_OPERATORS:
            return core[1:] + "_"
        if core[:1] == "r" and core[1:] in COMMUTATIVE:
            return core[1:]
        return core
    return name


PLAIN = frozenset({int, float, bool, str, type(None), torch.dtype, torch.device, torch.Size, torch.layout})


def tensors_in(value: Any, out: list[Tensor]) -> list[Tensor]:
    """Append the tensors in a call's arguments or result (tensors, and lists/tuples/dicts of them), read without
    running the snippet's code (app.capture.peek)."""
    if is_tensor(value):
        out.append(value)
    elif is_container(value):
        for item in values_of(value):
            if kind_in(type(item), PLAIN):
                continue
            if is_tensor(item):
                out.append(item)
            elif is_container(item):
                tensors_in(item, out)
    return out


def versions_of(tensors: list[Tensor]) -> list[int]:
    return [version_of(t) for t in tensors]


APPLY = vars(torch.autograd.Function)["apply"].__func__.__code__  # (the frame between a snippet and its forward())


def applied_line(frame: FrameType | None) -> int | None:
    """Inside a custom Function's forward() (or a snippet function it calls): the snippet's line of the
    `.apply(...)` call that runs it, else None."""
    while frame is not None and frame.f_code.co_filename == SNIPPET_FILE:
        back = frame.f_back
        if back is not None and back.f_code is APPLY:
            caller = user_frame(back)
            return caller.f_lineno if caller is not None else None
        frame = back
    return None


# -- the records ------------------------------------------------------------------------------------------------


class TensorRecord:
    """A forward tensor node: the tensor's value as it was when recorded (`kept`), and its graph facts then."""

    __slots__ = (
        "applied",
        "earlier",
        "forward_line",
        "grad_fn",
        "id",
        "inside",
        "is_leaf",
        "kept",
        "line",
        "made_by",
        "names",
        "output_nr",
        "requires_grad",
        "unset",
    )

    def __init__(self, node_id: str, tensor: Tensor, kept: Kept, line: int | None):
        self.id = node_id
        self.kept = kept
        self.line = line
        # made in a custom Function's forward(): the snippet's line of the `.apply(...)` call running it, which is
        # where the tensor comes from once `apply` gives it its backward node (`line` then moves to `forward_line`)
        self.applied: int | None = None
        self.forward_line: int | None = None
        self.inside: str | None = None  # made by no op, in a library function the line called (library_call)
        # made by ops the graph did not record: (the factory that started them, the last: `empty`, `normal_`)
        self.made_by: tuple[str, str] | None = None
        self.unset = False  # made by `torch.empty` or the like, and written by nothing since: its values mean nothing
        self.names: list[tuple[NameKey, str]] | None = None
        # the names of the tensor's record before it changed in place: a name seen again keeps its place among them
        self.earlier: list[tuple[NameKey, str]] | None = None
        self.requires_grad: bool = tensor.requires_grad
        self.grad_fn = grad_fn_of(tensor)
        self.is_leaf: bool = self.grad_fn is None
        self.output_nr: int = tensor.output_nr if self.grad_fn is not None else 0

    @property
    def tensor(self) -> Tensor:
        return self.kept.tensor


class OpRecord:
    __slots__ = (
        "call",
        "calls",
        "gave_back",
        "id",
        "inference",
        "inputs",
        "inside",
        "kind",
        "line",
        "module",
        "no_grad",
        "numbers",
        "op",
        "outputs",
    )

    def __init__(self, node_id: str, op: str, line: int | None, no_grad: bool):
        self.id = node_id
        self.op = op
        self.line = line
        self.no_grad = no_grad
        self.inference = False  # (no_grad through torch.inference_mode())
        self.module: str | None = None
        self.calls: list[int] = []
        self.inputs: list[TensorRecord] = []
        self.outputs: list[TensorRecord] = []
        self.kind: str | None = None  # "cut" or "non_differentiable", decided at export
        # an arithmetic operator's two operands where one is a number the snippet wrote (`x + 1`: (None, 1)), which
        # its backward node may not save
        self.numbers: tuple[float | None, ...] | None = None
        self.inside: str | None = None  # the library function the snippet's line called that ran it (library_call)
        self.call = 0  # which call of it, numbered in the run (ops of one call share it)
        # it gave back, unchanged, an input that requires grad: the gradient goes on through it, no node between
        # (`torch.broadcast_tensors(value, logits)` hands back `logits` where it has the shape already)
        self.gave_back = False


class Pending(NamedTuple):
    """What the recorder learned of a call before running it."""

    line: int | None  # the snippet's line running it
    applied: int | None  # in a custom Function's forward(): the snippet's line of the `.apply(...)` call
    inputs: list[Tensor]
    versions: list[int]  # (empty if no input is in the graph)
    before: dict[int, TensorRecord]  # id(input) -> its record as it was before the call
    flags: list[tuple[bool, Any]] | None  # (requires_grad, grad_fn) of each input before an in-place call
    inside: str | None  # the library function the snippet's line called that runs it (library_call)
    call: tuple[int, int] | None  # which call of it (library_call)


# -- following module calls and quiet constructors (patches installed once: see torch_internals) ----------------

_following: list["Recorder"] = []  # the recorder following module calls, in its own thread


def _enter_module(module: nn.Module) -> bool:
    if not _following:
        return False
    recorder = _following[-1]
    if threading.get_ident() != recorder.thread:
        return False
    recorder.call_count += 1
    recorder.running.append(module)
    calls = recorder.calls
    calls.append([*calls[-1], recorder.call_count] if calls else [recorder.call_count])
    recorder.path = None
    return True


def _leave_module(raised: bool) -> None:
    if _following:
        recorder = _following[-1]
        if recorder.running:  # (emptied if the recorder exited inside the call)
            recorder.running.pop()
            ended = recorder.calls.pop()
            if raised:
                recorder.raised_calls.add(ended[-1])
        recorder.path = None


class Dirty(NamedTuple):
    """A tensor a custom Function's forward() marked dirty (`ctx.mark_dirty(x)`): as `apply` returns, it moves the
    tensor's version once more and gives it the Function's backward node, an in-place change drawn as one op."""

    tensor: Tensor
    op: str  # `Double.apply`
    line: int | None  # the snippet's line of the `.apply(...)` call
    marked: int | None  # the line of forward() that marked it
    module: str | None  # the module running the call, as an op's
    calls: list[int]


def _marked_dirty(name: str, tensors: tuple) -> None:
    if _following:
        recorder = _following[-1]
        frame = user_frame(sys._getframe(1))
        marked = frame.f_lineno if frame is not None else None
        followed = recorder.running and threading.get_ident() == recorder.thread  # (modules are followed in its thread)
        module, calls = (recorder.module_path(), recorder.calls[-1]) if followed else (None, [])
        with recorder.lock:
            for tensor in tensors:
                if is_tensor(tensor):
                    recorder.dirty[id(tensor)] = Dirty(
                        tensor, f"{name}.apply", applied_line(frame), marked, module, calls
                    )


def _version_moved(tensors: tuple) -> None:
    """The snippet moves the versions of `tensors` by hand (increment_version): what was kept of them is copied first,
    as before an in-place change (their values are as they are now)."""
    if _following:
        recorder = _following[-1]
        with recorder.lock, torch_internals.DisableTorchFunction():
            for tensor in tensors:
                if is_tensor(tensor):
                    recorder.values.before_change(tensor)


def _storage_written(storage: torch.UntypedStorage) -> None:
    """The snippet writes a tensor's memory through its storage (`resize_`, `copy_`, `fill_`, item assignment): what
    was kept of the tensors on it is copied first, as before an in-place change."""
    if _following:
        recorder = _following[-1]
        Freed.seen = True
        with recorder.lock, torch_internals.DisableTorchFunction():
            recorder.values.before_storage_change(storage.data_ptr())


def _unset(op: str, args: tuple) -> bool:
    """Whether a factory call leaves its memory unwritten (UNSET_FACTORIES; `x.new(2, 3)`, not `x.new([1])`)."""
    if op == "new":
        sizes = args[1:]
        if len(sizes) == 1 and type(sizes[0]) is torch.Size:
            return True
        return bool(sizes) and all(type(size) is int for size in sizes)
    return op in UNSET_FACTORIES


def _looks(tensor: Tensor) -> Hashable:
    """What tells a tensor from another that later gets its id (a label's evidence, not a value's). A size torch
    traces as a symbol (`torch.export`'s dynamic dims) is never compared: comparing it put a guard into the snippet's
    trace (`s0 != 3`, from a freed tensor of 3 rows whose id the traced one got), and the export failed its own
    dynamic batch size ("Constraints violated"), now and then."""
    try:
        size = TensorBase.size(tensor)
        return (tensor.dtype, size, tensor._version) if not symbolic(size) else object()
    except RuntimeError:  # (a nested or inference tensor: no one size, no versions)
        return tensor.dtype


def _only_recorder() -> bool:
    return torch_internals.only_mode_is(Recorder)


def _is_node_hook(hook: object) -> bool:
    return is_method_of(hook, (Backward._ran, Backward._before_accumulating, Backward._received_paused))


def _snippet_node_hook(hook: Any) -> Any:
    """The snippet's own hook on an autograd node, run with the recorder on as its tensor hooks are (what it changes
    in place is recorded, and what was kept of it copied first). A pre hook (given the node's incoming gradients)
    may replace them, by returning new ones or by changing them in place: the recorder keeps what the node received
    before it, the gradient that flowed into its tensor, as torch's `retain_grad` sees it (the node then runs on
    what the hook made of it). What a post hook makes of the node's `grad_inputs` is what flows on from it."""

    @wraps(hook)
    def snippet_hook(*args: Any) -> Any:
        if not _following:
            return hook(*args)
        recorder = _following[-1]
        if len(args) == 1:  # (kept before the hook runs: a change in place copies it first)
            recorder.backward.replaced(args[0])
            return recorder.run_hook(hook, args)
        try:
            result = recorder.run_hook(hook, args)
        except BaseException:  # (after the node ran: what it made goes nowhere)
            recorder.backward.raised_after.add(recorder.backward.passes)
            raise
        if len(args) == 2 and isinstance(args[0], tuple):
            with recorder.lock, torch_internals.DisableTorchFunction():
                recorder.backward.sent_on(result if isinstance(result, tuple) else args[0])
        return result

    return snippet_hook


# -- the recorder ------------------------------------------------------------------------------------------------

NO_KWARGS: dict = {}
ANOMALY_NAN = re.compile(r"Function '\w+' returned nan values in its \d+th output")  # (anomaly mode's check)
# (operands may be numbers: `x + 1`, `x += 1`, `2 ** x`)
NUMBER_OPERATORS = frozenset(
    {"add", "sub", "rsub", "mul", "div", "truediv", "rdiv", "rtruediv", "pow", "rpow", "floordiv", "rfloordiv", "mod"}
    | {"rmod", "add_", "sub_", "mul_", "div_"}
)
UNRECORDED_NOTES = 4096  # what made a tensor the graph did not record: notes kept at most (then forgotten at once)
# Factories that give memory as it was, unwritten (`Tensor.new` too, given sizes): until an op writes to the tensor
# its values are whatever the memory held, and a learner read them as numbers that meant something.
UNSET_FACTORIES = frozenset({"empty", "empty_like", "new_empty", "empty_strided", "new_empty_strided"})
EXPLAIN_MAX_NODES = 100  # the default of GRADWALK_EXPLAIN_MAX_NODES (app.settings)
RECORD_CPU_S = 4.0  # the default of GRADWALK_RECORD_CPU_S (app.settings)
MAX_RECORDED_PASSES = 100  # the default of GRADWALK_MAX_RECORDED_PASSES (app.settings)
DEADLINE_EVERY = 64  # nodes between two looks at the CPU clock (a look is a system call)
MANY_INPUTS = 64  # inputs of one call from which the recorder counts those the graph has no node for yet
# What making a Run takes at most (bench/capture.py: about 40 us a node at 10k nodes), to stop the code in time
EXPORT_S, EXPORT_S_PER_NODE = 0.5, 60e-6
# and by the large values it holds, whose summaries and explanations read each element (a CNN's steps holding
# 344 MiB took 1.0 s to make their Run, 2.3 ms a MiB, where 0.5 s was left)
EXPORT_S_PER_MB = 0.004
# How often a loop's last iteration may resume a paused recording in one run: each backward call of that iteration
# resumes it once (a GAN's two), and a few loops one after the other each have a last iteration.
LAST_ITERATION_RESUMES = 8
# What a node takes in the Run's JSON: bytes, and bytes per value shown (a 2000-layer MLP, every node explained,
# took 1.2 KB a node with one value a tensor, 1.5 KB with 64)
RUN_BYTES_PER_NODE, RUN_BYTES_PER_VALUE = 1280, 12
KEEP_VALUES_MB = 64  # the default of GRADWALK_KEEP_VALUES_MB


def _next_sequence_nr() -> int:
    """The sequence number autograd gives the next node made in this thread."""
    with torch_internals.DisableTorchFunction(), torch_internals.GradMode(True):
        node = (torch.zeros((), requires_grad=True) * 1).grad_fn
        assert node is not None
        return node._sequence_nr() + 1


JUMPS = frozenset(dis.hasjrel + dis.hasjabs)


@lru_cache(maxsize=256)
def loop_end(code: CodeType, offset: int) -> int | None:
    """The offset of the last instruction of the outermost loop around bytecode `offset` in `code` (a jump back to
    its start), None outside every loop."""
    ends = [
        op.offset
        for op in dis.get_instructions(code)
        if op.opcode in JUMPS and isinstance(op.argval, int) and op.argval <= offset <= op.offset
    ]
    return max(ends, default=None)


def in_snippet_loop(frame: FrameType | None) -> bool:
    """Whether one of the snippet's frames from `frame` out is in a loop (a comprehension's included)."""
    while frame is not None:
        if frame.f_code.co_filename == SNIPPET_FILE and loop_end(frame.f_code, frame.f_lasti) is not None:
            return True
        frame = frame.f_back
    return False


def fitting_nodes(run_bytes: int, max_elements: int) -> int:
    """How many nodes a Run of `run_bytes` surely holds: each node's own bytes, and its values, `max_elements` each
    at most, and all of them together within the run's budget of values (summary.RUN_VALUES): a few nodes of many
    values, or many nodes whose values the budget has cut short."""
    each_full = run_bytes // (RUN_BYTES_PER_NODE + RUN_BYTES_PER_VALUE * max_elements)
    budget_full = (run_bytes - RUN_BYTES_PER_VALUE * summary.RUN_VALUES) // RUN_BYTES_PER_NODE
    return max(each_full, budget_full)


def _passes(count: int) -> str:
    return f"{count} backward pass" + ("" if count == 1 else "es")


def _mib(size: int) -> str:
    """A size in bytes as people read it: 64 MiB, 1.5 MiB, 70000 bytes."""
    return f"{size / 2**20:.4g} MiB" if size >= 2**20 else f"{size} bytes"


class Recorder(TorchFunctionMode):
    """Records one snippet's run: enter it around `exec`, then call `finish`."""

    def __init__(
        self,
        max_nodes: int,
        max_elements: int,
        explain_max_nodes: int = EXPLAIN_MAX_NODES,
        keep_values_mb: int = KEEP_VALUES_MB,
        record_cpu_s: float = RECORD_CPU_S,
        max_run_bytes: int | None = None,
        max_passes: int = MAX_RECORDED_PASSES,
    ):
        super().__init__()
        self.max_nodes = max_nodes
        self.max_run_bytes: int | None = None  # set when the largest Run that may be sent bounds the graph first
        if max_run_bytes is not None:  # (a larger Run could not be sent: its graphs would be lost)
            fits = max(fitting_nodes(max_run_bytes, max_elements), 1)
            if fits < max_nodes:
                self.max_nodes, self.max_run_bytes = fits, max_run_bytes
        self.record_cpu_s = record_cpu_s
        self.deadline = time.process_time() + record_cpu_s  # (CPU time: what the sandbox's limit counts)
        self.next_look = 0  # the count of forward nodes at which `_tensor` next looks at the clock
        # why and where the recording stopped before the snippet ended (`stop`): "GraphLimit" or "RecordLimit",
        # and the snippet's line; the snippet runs on unrecorded from there
        self.stopped: str | None = None
        self.unrecorded_passes = 0  # backward passes run after the recording stopped
        # Past `max_passes` recorded backward passes (a training loop's), the recording pauses: the loop runs on
        # unrecorded, its passes counted (`paused_passes`), until the code after the loop runs (`resume_after`),
        # where it records again.
        self.max_passes = max_passes
        self.paused = False
        self.paused_passes = 0
        # A loop whose recording takes the graph to half the nodes it may hold, or half the recording's CPU time
        # (half of what was left, after a resume), pauses too (`_pause_loop`): after a backward pass, or at an op
        # whose result needs no gradient. A per-sample evaluation loop of thousands of forward ops, with no backward
        # pass to count, filled the graph, and 60 steps of a small CNN used up GRADWALK_RECORD_CPU_S: the code after
        # them was never recorded (status `limit`). (A loop that builds one graph, a chain or an RNN's steps, still
        # stops at the limit: the backward pass after it would run through the nodes a pause left unrecorded.)
        self.pause_nodes = self.max_nodes // 2
        self.pause_cpu = self.deadline - record_cpu_s / 2
        self.pause_due = False  # (past pause_cpu: the loop pauses at its next chance)
        # the line, node count and reason ("nodes" or "time") of the first such pause
        self.loop_paused: tuple[int | None, int, str] | None = None
        # the snippet's frames the pause came in (and, from another thread, the recorder thread's), by id, each with
        # the end of the outermost loop it ran (a bytecode offset; None outside every loop), the call it was in (its
        # f_lasti) and its thread: see `_resumes`
        self.resume_after: dict[int, tuple[FrameType, int | None, int, int]] = {}
        self.repeats_seen = False  # whether a backward pass ran since the pause (see `_repeats`)
        self.paused_cpu = 0.0  # the process's CPU time when it paused (time paused is no recording time)
        self.pause_seq = 0  # the sequence number of the first autograd node made while paused
        # how many more times a loop's last iteration may resume the recording (each pass of it, a few loops' last)
        self.last_passes_left = LAST_ITERATION_RESUMES
        # the nodes and recording time at the end of the last recorded pass, and what that pass took since the one
        # before (`_room_for_a_pass`: what recording the loop's last iteration again will take)
        self.pass_mark: tuple[int, float] = (0, -record_cpu_s)
        self.pass_cost: tuple[int, float] | None = None
        # the last such cost of each line that ran a backward pass (an iteration of two passes, a GAN's, costs both)
        self.pass_costs: dict[int | None, tuple[int, float]] = {}
        self.pass_costs_total: tuple[int, float] = (0, 0.0)  # (their nodes and time, summed)
        self.source: str | None = None  # the snippet's source, read at the first look at its loops
        self.last_items: Alone = {}  # (app.capture.loops: what it found of the lists the snippet loops over)
        self.batching: Batching = {}  # (and of the DataLoader iterators its loops take batches from)
        # the frame the last look at loops was made in, by id, where it was (its f_lasti), and the passes run then
        self.looked: tuple[int, int, int] = (0, 0, 0)
        # the snippet's innermost frame of the last call `_resumes` said no to, where it was, and the passes run then:
        # the calls a line makes (a model's forward, an optimizer's step) get the same answer (the frame is held, so
        # that no later frame takes its id)
        self.not_resumed: tuple[FrameType | None, int, int] | None = None
        self.explain_max_nodes = explain_max_nodes
        self.explained_short_of_time = 0  # backward nodes given their formulas only as the time ran short (export)
        self.lock = threading.RLock()  # threads the snippet starts record too
        self.summaries = Summaries(max_elements, summary.RUN_VALUES)
        self.values = Values(keep_values_mb << 20, self.summaries.digest, explain_max_nodes, self._forget, self.lock)
        self.forward: list[TensorRecord | OpRecord] = []
        self.latest: dict[int, TensorRecord] = {}  # id(tensor) -> its newest record
        # id(tensor) -> (how it looked, the ops, the line) for tensors made or filled by ops the graph did not record
        # (a factory's result that needs no gradient): if one goes into the graph later, its label says what made it,
        # and its line is where (not the line where the snippet's names were looked at next: `d = {` ... `}` over
        # lines made each item's node at the line of the next torch call). (Not a weak reference:
        # torch.utils.swap_tensors refuses tensors that have one.)
        self.unrecorded: dict[int, tuple[Hashable, str, str, bool, int | None]] = {}
        # id(value) -> (the value, the call, the record of the tensor it came from, the line) for what `.item()`,
        # `.tolist()` and `.numpy()` took out of a tensor of the graph on the snippet's lines (the value is held:
        # its id stays its own)
        self.taken_out: dict[int, tuple[Any, str, TensorRecord, int | None]] = {}
        # id(what `y.detach()` or `y.data` made) -> (it, y): an in-place change of it changes y's memory (held: ids
        # stay their own, and a weak reference would make torch.utils.swap_tensors refuse them)
        self.aliases: dict[int, tuple[Tensor, Tensor]] = {}
        # the memory address of each recorded tensor -> its records, for the records up to `indexed` (filled only once
        # a parameter is first met: `_parameter_of`)
        self.memory: dict[int, list[TensorRecord]] = {}
        self.indexed = 0
        self.backward = Backward(self.values, self.summaries, self.room, explain_max_nodes)
        self.names = Names(self.current, self.latest)
        self.thread = threading.get_ident()
        self.in_backward: set[int] = set()  # threads running a backward pass
        self.quiet: set[int] = set()  # threads running calls the snippet never wrote (`run_unrecorded`)
        self.closed = False
        self.running: list[nn.Module] = []  # modules whose forward runs (in the recorder's thread), outermost first
        # for each running module, the numbers of the calls it runs in (each module call of the run gets the next
        # number): [[1], [1, 2]] while call 2 runs inside call 1; ops share these lists
        self.calls: list[list[int]] = []
        self.call_count = 0
        self.raised_calls: set[int] = set()  # the module calls that ended by raising (no result of theirs)
        self.path: tuple[str | None] | None = None  # (module_path(),) while it holds
        self.limit_line: int | None = None
        # (autograd node, graph task) where the snippet's tensor hooks (register_hook) ran on the node's gradient
        self.hooks_ran: set[tuple[Any, int]] = set()
        self.dirty: dict[int, Dirty] = {}  # id -> a tensor a custom Function marked dirty, until its version moves
        self.steps: dict[int, list[Step]] = {}  # thread -> the optimizer steps running in it, outermost first
        self.library_call: tuple[int, int] | None = None  # the library function call the last such op ran in
        self.library_calls = 0
        self.called_in_c = CalledInC()

    # -- entering and leaving -------------------------------------------------------------------------------

    def __enter__(self) -> "Recorder":
        torch_internals.quiet_module_constructors(_only_recorder)
        torch_internals.quick_node_hooks(_is_node_hook, _snippet_node_hook)
        torch_internals.follow_module_calls(_enter_module, _leave_module)
        torch_internals.set_through_modes()
        torch_internals.note_marked_dirty(_marked_dirty)
        torch_internals.note_increment_version(_version_moved)
        torch_internals.note_storage_writes(_storage_written)
        Freed.seen = False
        torch_internals.fast_paths_despite(Recorder)
        torch_internals.hops_despite(Recorder)
        torch_internals.script_calls_seen_by(Recorder)
        torch_internals.checks_despite(Recorder)
        torch_internals.swaps_seen_by(Recorder)
        torch_internals.follow_optimizer_steps(-id(self), self._step_began, self._step_ended)
        torch_internals.follow_parameters(-id(self), self._parameter_registered)
        super().__enter__()
        _following.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        _following.remove(self)
        torch_internals.unfollow_optimizer_steps(-id(self))
        torch_internals.follow_parameters(-id(self), None)
        self.steps.clear()
        self.running.clear()
        self.calls.clear()
        super().__exit__(*exc)

    def join_thread(self) -> None:
        """In a thread the snippet started: record there too."""
        if not self.closed:
            torch_internals.push_mode(self)

    # -- nodes -----------------------------------------------------------------------------------------------

    def room(self) -> int:
        return self.max_nodes - len(self.forward) - len(self.backward.records)

    def _limit(self, line: int | None, kind: str = "GraphLimit") -> None:
        self.stop(kind, line)
        raise GraphLimitReached

    def stop(self, kind: str, line: int | None) -> None:
        """Stop recording (`kind` says why): what was recorded keeps its values as they are now, and the snippet
        runs on unrecorded, its later backward passes counted."""
        with self.lock:
            if self.stopped is not None:
                return
            self.stopped, self.limit_line = kind, line
            self.closed = True
            self.backward.closed = True  # (the hooks on recorded nodes no longer record)
            self.values.freeze()

    @property
    def recorded_passes(self) -> int:
        return self.backward.passes - self.paused_passes

    def _pause(self, frame: FrameType | None) -> None:
        """The recording pauses after a backward pass (see `max_passes`): what was recorded keeps its values as they
        are now."""
        with self.lock:
            self.resume_after, self.repeats_seen = {}, False
            self._note_frames(frame, threading.get_ident())
            if threading.get_ident() != self.thread:  # (a thread that trains: the code after it, in the first)
                self._note_frames(sys._current_frames().get(self.thread), self.thread)
            if not self.paused:  # (not again after a recorded graph's pass ran while paused: the pause goes on)
                self.paused_cpu = time.process_time()
                self.pause_seq = _next_sequence_nr()
            self.paused = self.closed = self.backward.closed = True
            self.not_resumed = None
            self.values.freeze()

    def _pause_loop(self, frame: FrameType | None, line: int | None) -> bool:
        """Pause the recording if a loop of the snippet's runs the code of `frame` (see `pause_nodes`): the loop
        runs on unrecorded and the code after it is recorded, as after a training loop's passes (`_pause`)."""
        if not in_snippet_loop(frame):
            return False
        if self._builds_one_graph(frame):  # (looked at again at half of what is left: a loop after it may pause)
            self.pause_nodes = self.max_nodes - self.room() // 2
            self.pause_cpu, self.pause_due = (time.process_time() + self.deadline) / 2, False
            return False
        if self.loop_paused is None:
            nodes = len(self.forward) + len(self.backward.records)
            running = user_frame(frame)  # (`line` may be where a tensor recorded now was bound, before the loop)
            line = running.f_lineno if running is not None else line
            self.loop_paused = (line, nodes, "time" if self.pause_due and nodes < self.pause_nodes else "nodes")
        self._pause(frame)
        return True

    def _builds_one_graph(self, frame: FrameType | None) -> bool:
        """Whether a tensor the snippet's frames from `frame` out hold (bound to a name, or a list's last item) has a
        graph no recorded backward pass ran, of an eighth of the nodes recorded or more: the loop builds one graph
        (an RNN's steps, a chain, a sum), and the backward pass after it would run through the nodes a pause left
        unrecorded. An RNN over 3000 steps whose input `seq[t]` needs no gradient paused there, its forward graph cut
        in half where all of it fitted. (A per-sample evaluation's graph, each iteration's own, is a few nodes.)"""
        records = self.backward.records
        enough = max((len(self.forward) + len(records)) // 8, 1)
        stack: list[Any] = []
        while frame is not None:
            if frame.f_code.co_filename == SNIPPET_FILE:
                for value in list(frame.f_locals.values()):
                    if (type(value) is list or type(value) is tuple) and value:
                        value = value[-1]
                    if is_tensor(value):
                        stack.append(grad_fn_of(value))
            frame = frame.f_back
        seen: set[Any] = set()
        while stack:
            node = stack.pop()
            record = records.get(node) if node is not None else None
            if record is None or record.order is not None or node in seen:
                continue
            seen.add(node)
            if len(seen) >= enough:
                return True
            stack.extend(next_node for next_node, _ in record.next)
        return False

    def _note_frames(self, frame: FrameType | None, thread: int) -> None:
        while frame is not None:
            if frame.f_code.co_filename == SNIPPET_FILE:
                self.resume_after[id(frame)] = (frame, loop_end(frame.f_code, frame.f_lasti), frame.f_lasti, thread)
            frame = frame.f_back

    def _repeats(self, frame: FrameType | None) -> None:
        """The first backward pass since the pause shows what repeats: the frames noted at the pause that this
        thread no longer runs were made for one pass (the step function `map` or an optimizer calls, a recursion's
        level); those it still runs hold the loop, each now in the call that repeats. (From another thread, the
        recorder thread's frames hold it: those of the thread the pause came in were made for one task.)"""
        thread, running = threading.get_ident(), set()
        while frame is not None:
            running.add(id(frame))
            frame = frame.f_back
        self.resume_after = {
            key: (frame, end, frame.f_lasti if key in running else call, owner)
            for key, (frame, end, call, owner) in self.resume_after.items()
            if key in running or (owner == self.thread != thread)
        }
        self.repeats_seen, self.not_resumed = True, None

    def _resumes(self, caller: FrameType | None) -> bool:
        """Whether a call made while the recording is paused is the code after the loop: it comes from under a frame
        the pause came in, and each such frame still running has left every loop it was in. A frame outside every
        loop is after it once the call it was in returned (`map(step, ...)`, an optimizer's step that runs the
        closure, a thread's `join`); until a second pass showed which frames the loop makes anew (`_repeats`), only
        the top level's counts. Then the recording resumes."""
        innermost = user_frame(caller)
        seen = (innermost, innermost.f_lasti if innermost is not None else -1, self.backward.passes)
        if self.not_resumed is not None and self.not_resumed[0] is seen[0] and self.not_resumed[1:] == seen[1:]:
            return False
        if not self._after_loop(caller):
            self.not_resumed = seen
            return False
        with self.lock:
            self.not_resumed = None
            self.resume_after = {}
            self.paused = self.closed = self.backward.closed = False
            self.deadline += time.process_time() - self.paused_cpu  # (the unrecorded passes are no recording time)
            self.pause_nodes = self.max_nodes - self.room() // 2
            self.pause_cpu, self.pause_due = (time.process_time() + self.deadline) / 2, False
            self.backward.unrecorded.append((self.pause_seq, _next_sequence_nr()))
            # (the loop's lines all ran again since the last look: a name bound in it was bound on its own line, not
            # on the line recorded last, `loss.backward()`)
            self.names.top_line = None
        return True

    def _after_loop(self, caller: FrameType | None) -> bool:
        """Whether a call made while paused is the code after the loop, or the loop's last iteration (`_resumes`)."""
        after, top = False, self.names.top_code
        if self.last_passes_left and self._room_for_a_pass() and self._last_iteration(caller):
            self.last_passes_left -= 1
            caller = None  # (resumed for the loop's last iteration: see app.capture.loops)
            after = True
        while caller is not None:
            paused_in = self.resume_after.get(id(caller))
            if paused_in is not None:
                _, end, call, _ = paused_in
                if end is not None:
                    if caller.f_lasti <= end:
                        return False
                    after = True
                elif caller.f_lasti > call and (self.repeats_seen or caller.f_code is top):
                    after = True
            if caller.f_code is top:
                break
            caller = caller.f_back
        return after

    def _mark_pass(self, line: int | None) -> None:
        """Note what the recorded pass that just ended took since the one before, in nodes and recording time."""
        mark = (len(self.forward) + len(self.backward.records), time.process_time() - self.deadline)
        self.pass_cost = (mark[0] - self.pass_mark[0], mark[1] - self.pass_mark[1])
        self.pass_costs[line] = self.pass_cost
        self.pass_mark = mark
        # (their sums, here once: `_room_for_a_pass` is asked on every torch call while paused)
        costs = self.pass_costs.values()
        self.pass_costs_total = (sum(cost[0] for cost in costs), sum(cost[1] for cost in costs))

    def _room_for_a_pass(self) -> bool:
        """Whether the run has room for twice the nodes, and twice the recording time, the last recorded pass took
        since the one before: a loop's last iteration, recorded again, must not take the run past GRADWALK_MAX_NODES
        or GRADWALK_RECORD_CPU_S (its status `limit`, where it was `ok`). (Not the average of all passes: a
        per-sample evaluation inside a training loop that paused took half the room, and the average pass looked
        too big to record; recorded again, such a loop pauses at half of what is left.) (Called while paused: the
        recording's time stopped at `paused_cpu`.)"""
        if self.pass_cost is None:  # (no pass recorded: what the recording took so far)
            made = len(self.forward) + len(self.backward.records)
            spent = self.paused_cpu - (self.deadline - self.record_cpu_s)
        else:
            made, spent = self.pass_costs_total
        return self.room() > 2 * made and self.deadline - self.paused_cpu > 2 * spent

    def _last_iteration(self, caller: FrameType | None) -> bool:
        """Whether a call made while paused runs in the last iteration of the loops around it (app.capture.loops)."""
        top, frame = self.names.top_code, user_frame(caller)
        if top is None or frame is None:
            return False
        looked, self.looked = self.looked, (id(frame), frame.f_lasti, self.backward.passes)
        if looked[0] == id(frame) and frame.f_lasti >= looked[1] and looked[2] == self.backward.passes:
            return False  # (no further back in the frame looked at last, no pass since: the same iteration, a no)
        if frame.f_code.co_name in LOOPS_UNKNOWN:  # (`last_iteration` says no at once; no loop's header is in it)
            return False
        if self.source is None:
            self.source = "".join(linecache.getlines(top.co_filename))
        if in_loop_header(frame, top, self.source):  # (a DataLoader's batch being made: `i` is still the one before)
            self.looked = looked
            note_batches(caller, frame, top, self.source, self.batching)
            return False
        with torch_internals.DisableTorchFunction():  # (a tensor's length: read with no mode of the snippet's on)
            return last_iteration(frame, top, self.source, self.last_items, self.batching)

    def _backward_resumes(self, caller: FrameType | None) -> bool:
        """Whether a backward call made while the recording is paused is the code after the loop (`loss.backward()`
        right after it), which resumes the recording (`_resumes`, once the frames that repeat are known)."""
        if not self.repeats_seen:
            with self.lock:
                self._repeats(user_frame(caller))
        return self._resumes(caller)

    def _starts_in_recorded(self, args: tuple, kwargs: dict) -> bool:
        """Whether a backward call made while paused starts from a graph recorded before the pause, not yet run."""
        records = self.backward.records
        for tensor in tensors_in(args, tensors_in(list(kwargs.values()), [])):
            record = records.get(grad_fn_of(tensor))
            if record is not None and record.order is None:  # (recorded, never yet run: its pass is recorded)
                return True
        return False

    def _paused_backward(self, func: Any, args: tuple, kwargs: dict) -> Any:
        """A backward pass while the recording is paused: run, counted (its pass number is its own), not recorded.
        (`_backward_resumes` looked at the frames that repeat first.)"""
        self.backward.begin_call(("grad" if func is torch.autograd.grad else "backward", {}, False))
        with torch_internals.DisableTorchFunction(), contextlib.suppress(Exception):  # (a look only)
            self.backward.watch(self._bound(user_frame(sys._getframe(1))))
        try:
            return func(*args, **kwargs)
        finally:
            self.backward.count_pass()
            self.paused_passes += 1
            self.backward.end_call()

    def _bound(self, frame: FrameType | None) -> list[Tensor]:
        """The tensors the snippet has bound now, at its top level and in `frame` (where a paused pass was called),
        and those one step from a name, as the Run names them: a list's, tuple's or dict's items (`losses[0]`) and an
        object's attributes (`state.loss`), while there are few enough to look at on each pass."""
        spaces = [self.names.namespace]
        if frame is not None and frame.f_code is not self.names.top_code:
            spaces.append(frame.f_locals)
        bound: list[Tensor] = []
        for space in spaces:
            for value in list(space.values()):
                if is_tensor(value):
                    bound.append(value)
                    continue
                if is_container(value):
                    held = values_of(value) if size_of(value) <= CONTAINER_SCAN_ITEMS else ()
                else:
                    attributes = own_attributes(value) if not kind_in(type(value), NAMES_NOTHING) else None
                    held = list(attributes.values()) if attributes and len(attributes) <= CONTAINER_SCAN_ITEMS else ()
                bound += [item for item in held if is_tensor(item)]
        return bound

    def paused_note(self) -> dict[str, Any] | None:
        """Where a loop first paused the recording at half the graph's room (the Run's `recording_paused`), or None."""
        if self.loop_paused is None:
            return None
        line, nodes, why = self.loop_paused
        if why == "time":
            reached = (
                f"Recording a loop took half of the {self.record_cpu_s:g} s of CPU time a run may spend recording "
                "(GRADWALK_RECORD_CPU_S)"
            )
        elif self.max_run_bytes is not None:
            reached = (
                f"The graphs reached {nodes} nodes in a loop, half of the {self.max_nodes} a run may hold (as many as "
                f"a Run of {_mib(self.max_run_bytes)}, GRADWALK_MAX_RESULT_BYTES, holds)"
            )
        else:
            reached = f"The graphs reached {nodes} nodes in a loop, half of the {self.max_nodes} a run may hold"
        return limit_error(
            "LoopPaused",
            f"{reached}: gradwalk ran the rest of the loop unrecorded (each torch call only checked for the loop's "
            "end) and recorded the code after it again. What the snippet printed is all there.",
            line,
        )

    def stopped_note(self, out_of_time_at: int | None = None) -> dict[str, Any] | None:
        """Why and where the recording stopped before the snippet ended (the Run's `recording_stopped`), or None.
        Given the line gradwalk stopped the code on when the run's time was nearly used up, it says so too."""
        passes = _passes(self.recorded_passes)
        ran = f"{_passes(self.backward.passes + self.unrecorded_passes)} in all"
        if out_of_time_at is None:
            ran_on = f"The code ran on unrecorded ({ran}); what it printed is all there."
        else:
            ran_on = (
                f"The code ran on unrecorded ({ran}) until the run's time was nearly used up: gradwalk stopped it "
                f"at line {out_of_time_at}, and what it printed until then is all there."
            )
        if self.stopped == "RecordLimit":
            return limit_error(
                "RecordLimit",
                f"Recording took more than record_cpu_s = {self.record_cpu_s:g} s of CPU time; gradwalk stopped "
                f"recording there, after {passes}. {ran_on} Use a smaller model or fewer layers, "
                "or raise GRADWALK_RECORD_CPU_S with GRADWALK_RUN_CPU_S.",
                self.limit_line,
            )
        if self.stopped == "GraphLimit":
            if self.max_run_bytes is not None:
                why = f"{self.max_nodes} nodes, as many as a Run of {_mib(self.max_run_bytes)} holds"
                raise_it = "GRADWALK_MAX_RESULT_BYTES"
            else:
                why, raise_it = f"max_nodes = {self.max_nodes} nodes", "GRADWALK_MAX_NODES"
            return limit_error(
                "GraphLimit",
                f"The graph reached {why} (forward and backward together); gradwalk stopped recording there, after "
                f"{passes}. {ran_on} Use fewer layers or steps, or raise {raise_it}.",
                self.limit_line,
            )
        return None

    def export_reserve_s(self) -> float:
        """A generous guess of the time making the Run of what was recorded takes, in seconds."""
        nodes = len(self.forward) + len(self.backward.records)
        return EXPORT_S + EXPORT_S_PER_NODE * nodes + EXPORT_S_PER_MB * self.values.held / (1 << 20)

    def _tensor(self, tensor: Tensor, line: int | None, walk: bool = True) -> TensorRecord:
        """A new node for `tensor` as it is now (`walk`: with the backward graph it reaches)."""
        count = len(self.forward)
        nodes = count + len(self.backward.records)
        due = nodes >= self.pause_nodes or self.pause_due
        if due and grad_fn_of(tensor) is None and self._pause_loop(sys._getframe(1), line):
            raise GraphLimitReached
        if nodes >= self.max_nodes:
            self._limit(line)
        if count >= self.next_look:  # (not `count % 64 == 0`: an op's node comes between two tensors' nodes, and a
            self.next_look = count + DEADLINE_EVERY  # count that only ever met odd values never looked at all)
            now = time.process_time()
            if now > self.deadline:
                self._limit(line, "RecordLimit")
            self.pause_due = self.pause_due or now > self.pause_cpu
        if grad_fn_of(tensor) is None and foreign(tensor):  # (`torch.from_numpy(a)`: a write to `a` moves no version)
            self.values.expose(tensor)
        record = TensorRecord(f"t{len(self.forward)}", tensor, self.values.keep(tensor, whole=False), line)
        made_by = self.unrecorded.pop(id(tensor), None) if self.unrecorded else None
        if made_by is not None and made_by[0] == _looks(tensor):
            record.made_by, record.unset = made_by[1:3], made_by[3]
            # (not a tensor with a backward node, which a recorded op made: one made while the recording paused
            # may have got the id of a freed one noted here)
            if made_by[4] is not None and grad_fn_of(tensor) is None:
                record.line = made_by[4]
        named = self.names.held.get(id(tensor))
        if named is not None:
            record.names = [named]
        previous = self.latest.get(id(tensor))
        if previous is not None:
            record.earlier = previous.names or previous.earlier
            if record.earlier:  # (held too: `w` of `params = [w]` keeps its rank through `p[:] -= ...`'s two writes)
                bound = [n for n in self.names.still_bound(tensor, record.earlier) if named is None or n[1] != named[1]]
                record.names = (record.names or []) + bound or None
        self.forward.append(record)
        self.latest[id(tensor)] = record
        grad_fn = record.grad_fn
        if grad_fn is not None and walk and grad_fn not in self.backward.records and not self.backward.walk(grad_fn):
            self._limit(line)
        return record

    def _forget(self, tensor_id: int) -> None:
        """The tensor of this id is let go of (app.capture.values): a tensor made later may get its id."""
        self.latest.pop(tensor_id, None)
        self.names.held.pop(tensor_id, None)

    def current(self, tensor: Tensor, line: int | None) -> TensorRecord:
        """The record that shows `tensor` as it is now: its newest one, or a new one if the tensor changed since."""
        record = self.latest.get(id(tensor))
        if record is None:  # (first met after a pause: made in a loop's passes that ran unrecorded, its graph too)
            if self.taken_out and self._shares_taken_out(tensor, line):  # (`torch.from_numpy(a)`)
                return self.latest[id(tensor)]
            if type(tensor) is not torch.Tensor and isinstance(tensor, nn.Parameter):
                source = self._parameter_of(tensor)
                if source is not None:  # (`nn.Parameter(h)`: a new leaf holding h's memory, h's graph left behind)
                    self._link_taken_out("Parameter", source, line, tensor, line)
                    return self.latest[id(tensor)]
            return self._tensor(tensor, line, walk=not self.paused_passes)
        kept = record.kept
        if kept.copy is not None or kept.digest is not None:
            if not self._unchanged(kept, tensor):
                return self._changed_since(record, tensor, line)
            if kept.copy is None or not self.values.exposes(tensor):  # (there, the copy is what tells)
                record.kept = self.values.keep(tensor, kept.whole)  # (copied by a pause, unchanged since: live again)
        try:  # (version_of, inlined: every input of every call passes here)
            if tensor._version != record.kept.version:
                dirty = self.dirty.pop(id(tensor), None) if self.dirty else None
                if dirty is not None and dirty.tensor is tensor:
                    self._after_apply(record, tensor)
                    return self._applied(record, tensor, dirty)
                return self._changed_since(record, tensor, line)
        except RuntimeError:  # an inference tensor: no versions
            pass
        try:
            grad_fn = tensor.grad_fn
        except RuntimeError:  # (grad_fn_of, inlined: a view made under no_grad whose base changed in place since)
            grad_fn = None
        if grad_fn is not record.grad_fn or tensor.requires_grad != record.requires_grad:
            # (a custom Function's output: made under no_grad, its node came after, its version unmoved; one that
            # requires grad already, a view of its input, `return x` in a full backward hook's Function)
            if record.grad_fn is None and grad_fn is not None:
                self._attach(record, tensor)
            else:
                return self._tensor(tensor, line)
        return record

    def _changed_since(self, record: TensorRecord, tensor: Tensor, line: int | None) -> TensorRecord:
        """A new node for `tensor`, changed since its node `record`; one more output of the op that changed it through
        its base (`wt = w.T`, then `opt.step()` changed w, and wt with it), drawn on that op's line."""
        changer = self._changed_with_base(tensor) if version_of(tensor) != record.kept.version else None
        if changer is None:
            return self._tensor(tensor, line)
        made = self._tensor(tensor, changer.line)
        changer.outputs.append(made)
        return made

    def _changed_with_base(self, tensor: Tensor) -> OpRecord | None:
        """The recorded op that changed in place the base of view `tensor` since the view's node, or None: a view shares
        its base's memory and version, so the change moved it too, and PyTorch gives it a new grad_fn reading the base
        anew (its new node came from no op, and the page said a backward pass with create_graph=True made it)."""
        try:
            base = tensor._base
        except RuntimeError:  # (a tensor that cannot say: a torch.func wrapper)
            return None
        based = self.latest.get(id(base)) if base is not None else None
        if based is None or based.kept.version != version_of(tensor):
            return None
        at = int(based.id[1:])  # (a node's id is its place in the forward graph; its op comes just before its outputs)
        if at >= len(self.forward) or self.forward[at] is not based:
            return None
        for back in range(at - 1, -1, -1):  # (past the op's other outputs only)
            entry = self.forward[back]
            if type(entry) is OpRecord:
                changed = any(o is based for o in entry.outputs) and any(i.tensor is base for i in entry.inputs)
                return entry if changed else None
        return None

    @staticmethod
    def _unchanged(kept: Kept, tensor: Tensor) -> bool:
        """Whether a plain tensor whose value was copied (the recording paused, or an in-place call was about to run)
        still holds that value, at the same version: then its node still shows it."""
        copy = kept.copy
        if copy is None or not kind_in(type(tensor), PLAIN_TENSORS) or version_of(tensor) != kept.version:
            return False
        if freed(tensor):  # (its memory freed since: nothing to compare, and torch would read past its end)
            return False
        with torch_internals.GradMode(False), torch_internals.DisableTorchDispatch():
            return tensor.layout is torch.strided and copy.shape == tensor.shape and torch.equal(copy, tensor)

    def _after_apply(self, record: TensorRecord, tensor: Tensor) -> None:
        """A custom Function marked `tensor` dirty: `apply` moved its version once more on return, its value
        unchanged since `record` (the Function's own in-place ops were recorded), which therefore still shows it."""
        if tensor._version == record.kept.version + 1:  # (under no_grad too, where `apply` gives it no node)
            with torch_internals.DisableTorchFunction(), torch_internals.DisableTorchDispatch():
                record.kept.copy = TensorBase.clone(TensorBase.detach(tensor))

    def _applied(self, record: TensorRecord, tensor: Tensor, dirty: Dirty) -> TensorRecord:
        """`tensor` as `apply` returned it: changed in place by the Function's op on the `.apply(...)` line
        (`Double.apply`), from `record`, computed in forward() (on `record`'s line if forward() made it)."""
        if self.room() <= 0:
            self._limit(dirty.line)
        # (run under no_grad, `apply` gives it no node: changed in place under no_grad, as by any op there)
        op = OpRecord(f"o{len(self.forward)}", dirty.op, dirty.line, not isinstance(tensor.grad_fn, BackwardCFunction))
        op.module, op.calls = dirty.module, dirty.calls
        self.forward.append(op)
        op.inputs.append(record)
        made = self._tensor(tensor, dirty.line)
        made.forward_line = record.line if record.applied is not None else dirty.marked
        op.outputs.append(made)
        return made

    def _attach(self, record: TensorRecord, tensor: Tensor) -> None:
        record.grad_fn, record.output_nr = grad_fn_of(tensor), tensor.output_nr
        record.requires_grad, record.is_leaf = tensor.requires_grad, record.grad_fn is None
        if record.applied is not None and isinstance(record.grad_fn, BackwardCFunction):
            record.forward_line, record.line = (
                record.line,
                record.applied,
            )  # made by `.apply(...)`, computed in forward()
        if record.grad_fn not in self.backward.records and not self.backward.walk(record.grad_fn):
            self._limit(record.line)

    # -- the mode --------------------------------------------------------------------------------------------

    def __torch_function__(self, func: Any, types: Any, args: tuple = (), kwargs: dict | None = None) -> Any:
        try:
            if LateStop.stop is not None:  # (the run is out of time: raised here, before the call, where it is safe)
                raise LateStop.take()
            if type(func) is FunctionType:  # (a torch function written in Python: the snippet may have replaced it)
                if func.__code__.co_filename == SNIPPET_FILE and _overridden(types):
                    return NotImplemented  # (the snippet's own, handed on to a tensor-like's own override)
                func = torch_internals.replaced_by_snippet(func)
            kwargs = kwargs or NO_KWARGS
            try:
                info = _infos[func]
            except (KeyError, TypeError):
                info = op_info(func)
            action = info.action
            if action == SKIP:
                if info.name in TAKEN_OUT and not self.closed:
                    return self._take_out(info.name, func, args, kwargs, sys._getframe(1))
                return func(*args, **kwargs)
            if self.closed and not (self.paused and action != BACKWARD and self._resumes(sys._getframe(1))):
                if self.paused and action == BACKWARD:
                    if not self._starts_in_recorded(args, kwargs) and not self._backward_resumes(sys._getframe(1)):
                        return self._paused_backward(func, args, kwargs)
                    self.backward.closed = False  # (a graph recorded before the pause: its pass is recorded)
                    return self._backward(func, args, kwargs)
                if self.paused and action == HOOK and args and callable(args[-1]):  # (a backward it calls is counted)
                    return func(*args[:-1], self._recorded(args[-1], info.name == "register_hook"), **kwargs)
                if action == BACKWARD and self.stopped is not None:
                    self.unrecorded_passes += 1
                return func(*args, **kwargs)
            if action == BACKWARD:
                return self._backward(func, args, kwargs)
            if action == HOOK and args and callable(args[-1]):
                return func(*args[:-1], self._recorded(args[-1], info.name == "register_hook"), **kwargs)
            if self.in_backward and not info.in_place and threading.get_ident() in self.in_backward:
                return func(*args, **kwargs)  # during backward only changes to tensors are recorded
            if self.steps:
                step = self._step_making(sys._getframe(1))
                if step is not None:
                    return self._in_step(step, info, func, args, kwargs)
            # (the recorder's own look at the tensors runs no tensor subclass's __torch_function__: snippet code)
            with self.lock, torch_internals.DisableTorchFunction():
                if self.values.unreachable_due:  # (here no walk is under way, and the call holds its own tensors)
                    let_go_of_unreachable(self)
                try:  # (closed meanwhile: another thread's snippet ended while this one waited for the lock)
                    unrecorded = self.closed or (self.quiet and threading.get_ident() in self.quiet)
                    pending = None if unrecorded else self._before(info, func, sys._getframe(1), args, kwargs)
                except (GraphLimitReached, Exception):  # the recording stopped, or a tensor the recorder cannot
                    pending = None  # read: the snippet runs on regardless
            result = func(*args, **kwargs)
            if pending is not None:
                with self.lock, torch_internals.DisableTorchFunction():
                    try:  # noqa: SIM105 (a plain try costs less than suppress(), once per call)
                        self._after(info, pending, result, args)
                    except (GraphLimitReached, Exception):  # (the same: the call is left out of the graph)
                        pass
            return result
        except BaseException as exc:  # (a bare raise adds no entry for this frame)
            exc.__traceback__ = without_gradwalk_frames(exc.__traceback__)  # as plain Python shows it to the snippet
            raise

    def run_unrecorded(self, call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run `call` with none of its ops recorded in this thread, each still run by this mode as any other (a tracer
        notes the frame each op runs in: `torch.jit.trace`'s checks compare two traces)."""
        thread = threading.get_ident()
        if thread in self.quiet:
            return call(*args, **kwargs)
        self.quiet.add(thread)
        try:
            return call(*args, **kwargs)
        finally:
            self.quiet.discard(thread)

    def swap_tensors(self, swap: Callable[..., Any], t1: Tensor, t2: Tensor) -> Any:
        """`torch.utils.swap_tensors(t1, t2)`: each tensor object gets the other's data, which the swap refuses while
        anything else holds the data or a weak reference to the object. What gradwalk holds is let go of first (the
        graphs only it held, its weak references, the values it kept, copied), the swap runs unrecorded (its own look
        at each leaf's gradient edge made a view that held the data), and it is drawn as one op on its line, from
        both tensors as they were to both as they are."""
        pair = (t1, t2)
        frame = user_frame(sys._getframe(1))
        line = frame.f_lineno if frame is not None else None
        before: list[TensorRecord] = []
        dropped: list = []
        # (the snippet's swap runs regardless of what the recorder meets)
        with self.lock, torch_internals.DisableTorchFunction(), contextlib.suppress(GraphLimitReached, Exception):
            if not self.closed:
                before = [self.current(t, line) for t in pair if is_tensor(t) and id(t) in self.latest]
            for record in before:
                self.values.before_change(record.tensor)
            if any(is_tensor(t) and torch_internals.data_holders(t) > 1 for t in pair):  # (a graph holds its data)
                let_go_of_accumulators(self, pair)
            dropped = self.backward.unwatch(pair)
        try:
            result = self.run_unrecorded(swap, t1, t2)
        finally:
            with self.lock, torch_internals.DisableTorchFunction():
                self.backward.rewatch(pair, dropped)
        with self.lock, torch_internals.DisableTorchFunction(), contextlib.suppress(GraphLimitReached, Exception):
            if before and not self.closed:
                op = OpRecord(f"o{len(self.forward)}", "swap_tensors", line, not torch.is_grad_enabled())
                self.forward.append(op)
                op.inputs = before
                op.outputs = [self._tensor(tensor, line) for tensor in pair]
        return result

    def _backward(self, func: Any, args: tuple, kwargs: dict) -> Any:
        """Run a backward pass (or autograd.grad), counted even if it runs no recorded node."""
        frame = user_frame(sys._getframe(2))
        line = frame.f_lineno if frame is not None else None
        with self.lock, torch_internals.DisableTorchFunction(), contextlib.suppress(GraphLimitReached):
            if frame is not None:
                self.names.scan(frame)
            # The tensors it starts from (and gradients that are part of a graph) get nodes if they have none yet:
            # autograd.grad's results given straight back to it (torch.autograd.functional's hvp) are met nowhere
            # else, and the nodes their graphs reach would receive gradients from nodes never walked.
            for tensor in tensors_in(args, tensors_in(list(kwargs.values()), [])):
                if grad_fn_of(tensor) is not None and id(tensor) not in self.latest:
                    self.current(tensor, line)
                # (a graph made while the recording paused runs now: this pass records it, `loss.backward()` after
                # the loop; it is walked only now, where the backward that runs it is recorded)
                root = grad_fn_of(tensor) if self.backward.unrecorded and not self.closed else None
                if root is not None and not self.backward.walk(root, everything=True):
                    self._limit(line)
        if self.stopped is not None:  # (it stopped right here: this pass is not recorded)
            self.unrecorded_passes += 1
            return func(*args, **kwargs)
        passes = self.backward.passes
        with (
            torch_internals.DisableTorchFunction(),
            torch_internals.DisableTorchDispatch(),
            torch_internals.GradMode(False),
        ):
            try:
                seeds, chosen = seeds_of(func, args, kwargs), asks_chosen(func, args, kwargs)
            except Exception:  # (what torch cannot read it refuses too: then no seed)
                seeds, chosen = {}, False
        if not self.closed:  # (a leaf given as a root starts at its AccumulateGrad, which no grad_fn led to yet)
            with self.lock, torch_internals.DisableTorchFunction(), contextlib.suppress(GraphLimitReached):
                for node in seeds:
                    if node not in self.backward.records and not self.backward.walk(node):
                        self._limit(line)
        self.backward.begin_call(("grad" if func is torch.autograd.grad else "backward", seeds, chosen))
        try:
            return func(*args, **kwargs)
        except BaseException as exc:
            if self.backward.passes == passes:
                self.backward.count_pass()
            self.backward.raised[self.backward.passes] = exc
            if ANOMALY_NAN.match(str(exc)):  # (checked once the node ran: what it made went nowhere)
                self.backward.raised_after.add(self.backward.passes)
            raise
        finally:
            if self.backward.passes == passes:
                self.backward.count_pass()
            outermost = self.backward.end_call()
            if outermost and self.stopped is None:
                self._mark_pass(line)
                if self.recorded_passes >= self.max_passes:
                    self._pause(frame)
                elif not self.paused:  # (the clock is read once a pass: a loop of few ops a pass, seldom in `_tensor`)
                    self.pause_due = self.pause_due or time.process_time() > self.pause_cpu
                    if self.pause_due or len(self.forward) + len(self.backward.records) >= self.pause_nodes:
                        self._pause_loop(frame, line)

    def _recorded(self, hook: Any, on_gradient: bool = False) -> Any:
        """The snippet's tensor hook, run with this mode on (`run_hook`); one `on_gradient` (register_hook) notes
        the node and pass it ran in (`hooks_ran`: the gradient that node took in is the hook's)."""

        @wraps(hook)
        def recorded_hook(*args: Any) -> Any:
            if on_gradient:
                node = torch_internals.current_node()
                if node is not None:
                    self.hooks_ran.add((node, torch_internals.current_task()))
            result = self.run_hook(hook, args)
            as_torch_reads_hooks(hook, result)
            return result

        return recorded_hook

    def run_hook(self, hook: Any, args: tuple) -> Any:
        """Run a hook of the snippet's with this mode on: what it changes during backward is recorded (autograd
        runs hooks with no mode on)."""
        thread = threading.get_ident()
        if (self.closed and not self.paused) or thread in self.in_backward:
            return hook(*args)
        self.in_backward.add(thread)
        TorchFunctionMode.__enter__(self)
        try:
            return hook(*args)
        finally:
            TorchFunctionMode.__exit__(self, None, None, None)
            self.in_backward.discard(thread)

    # -- optimizer steps (steps.py) ------------------------------------------------------------------------------

    def _step_began(self, optimizer: Any, args: Any, kwargs: Any) -> None:
        """torch.optim's pre hook of every optimizer's step: note it as running in this thread."""
        if self.closed:
            return
        wrapper = sys._getframe(1)
        frame = user_frame(wrapper)
        thread = threading.get_ident()
        with self.lock:
            steps = running(self.steps.get(thread, []), wrapper)
            steps.append(Step(optimizer, wrapper, frame.f_lineno if frame is not None else None))
            self.steps[thread] = steps

    def _step_ended(self, optimizer: Any, args: Any, kwargs: Any) -> None:
        """torch.optim's post hook: what the step changed since its last op is its (last) op."""
        thread, wrapper = threading.get_ident(), sys._getframe(1)
        with self.lock:
            steps = self.steps.get(thread, [])
            ended = [index for index, step in enumerate(steps) if step.wrapper is wrapper]
            if not ended:
                return
            step = steps[ended[0]]
            del steps[ended[0] :]
            if not steps:
                del self.steps[thread]
            if not self.closed:
                with torch_internals.DisableTorchFunction(), contextlib.suppress(GraphLimitReached, Exception):
                    self._flush_step(step)

    def _step_making(self, caller: FrameType) -> Step | None:
        """The step whose own code makes the call at hand (under no_grad), or None. A call of the snippet's own code
        inside a step (LBFGS's closure) first makes what the steps changed so far their op."""
        steps = self.steps.get(threading.get_ident())
        if not steps:
            return None
        if not torch_internals.grad_enabled():
            step = inside(steps, caller)
            if step is not None:
                return step
        with self.lock, torch_internals.DisableTorchFunction(), contextlib.suppress(GraphLimitReached, Exception):
            for step in steps:
                self._flush_step(step)
        return None

    def _in_step(self, step: Step, info: OpInfo, func: Any, args: tuple, kwargs: dict) -> Any:
        """Run a call of a step's own, unrecorded: what it reads of the graph is the step's input, and what it
        changes is copied first, as before any change in place, and becomes the step's output."""
        tracked: list[Tensor] = []
        with self.lock, torch_internals.DisableTorchFunction():
            try:
                if not step.inputs:
                    self._step_inputs(step)
                inputs = tensors_in(args, [])
                if kwargs:
                    tensors_in(list(kwargs.values()), inputs)
                latest = self.latest
                tracked = [tensor for tensor in inputs if id(tensor) in latest]
                for tensor in tracked:
                    if id(tensor) not in step.inputs and id(tensor) not in step.changed:
                        step.inputs[id(tensor)] = self.current(tensor, step.line)
                for tensor in self._changing(info, args, kwargs, inputs):
                    self.values.before_change(tensor)  # (a gradient kept from backward, too)
                    if id(tensor) in latest:  # (a fused kernel moves no version)
                        step.changed[id(tensor)] = tensor
            except (GraphLimitReached, Exception):  # (the step runs on regardless)
                tracked = []
        versions = versions_of(tracked)
        result = func(*args, **kwargs)
        for tensor, version in zip(tracked, versions, strict=True):
            if version_of(tensor) != version:
                step.changed[id(tensor)] = tensor
        return result

    def _step_inputs(self, step: Step) -> None:
        """The parameters of the graph a step updates (those with a `.grad`), and their `.grad`, as it begins (or goes
        on after running the snippet's closure): its inputs, read from the optimizer's own `param_groups` list."""
        groups = (instance_vars(step.optimizer) or {}).get("param_groups")
        if type(groups) is not list:
            return
        for group in groups:
            params = group.get("params") if type(group) is dict else None
            for param in params if type(params) is list else ():
                if kind_in(type(param), PLAIN_TENSORS) and id(param) in self.latest:
                    grad = param.grad
                    if grad is not None:  # (one without is left as it is: no optimizer changes it)
                        step.inputs.setdefault(id(param), self.current(param, step.line))
                        step.inputs.setdefault(id(grad), self.current(grad, step.line))

    def _flush_step(self, step: Step) -> None:
        """What `step` changed of the graph since its last op, as one op (`Adam.step`) from what it read to the
        changed tensors' new nodes."""
        if not step.changed:
            return
        if self.room() <= 0:
            self._limit(step.line)
        op = OpRecord(f"o{len(self.forward)}", step.name, step.line, True)
        self.forward.append(op)
        op.inputs = list(step.inputs.values())
        op.outputs = [self._tensor(tensor, step.line) for tensor in step.changed.values()]
        step.inputs, step.changed = {}, {}

    def _before(self, info: OpInfo, func: Any, caller: FrameType, args: tuple, kwargs: dict) -> Pending | None:
        """Look at a call before it runs: name what the snippet bound, note the inputs' versions, and copy what an
        in-place change is about to overwrite. None if the call cannot touch the graph."""
        frame: FrameType | None = caller
        inside, call = None, None
        if caller.f_code.co_filename != SNIPPET_FILE:
            if self.running:  # (in a module's forward: its ops are the module's, named after it)
                frame = user_frame(caller)
            else:
                frame, inside, call = library_call(caller, func, self.called_in_c.written)
        elif not self.running:  # (a C function the line called, if any: no instance told, none named after it)
            inside = self.called_in_c.callee(caller)
        if frame is not None:
            self.names.scan(frame, frame is caller)  # name what the snippet bound since
        line = frame.f_lineno if frame is not None else None
        inputs = tensors_in(args, [])
        if kwargs:
            tensors_in(list(kwargs.values()), inputs)
        if info.name in HAND_OUT_MEMORY and inputs:
            self.values.expose(inputs[0])
        latest = self.latest
        for tensor in inputs:
            if id(tensor) in latest:
                break
        else:
            # Nothing of the graph goes in (a factory, a parameter's first use): the call makes a node only if it
            # makes a new tensor that requires grad. (A change to a tensor unknown to the graph is not recorded, but
            # what it overwrites is copied first: a gradient kept from backward, `clip_grad_norm_` scaling `.grad`.)
            for tensor in self._changing(info, args, kwargs, inputs):
                self.values.before_change(tensor)
            return Pending(line, applied_line(frame), inputs, [], {}, None, inside, call)
        changing = self._changing(info, args, kwargs, inputs)
        before = {}
        for tensor in inputs:
            if id(tensor) in latest or any(tensor is c for c in changing):
                before[id(tensor)] = self.current(tensor, line)
        for tensor in changing:
            self.values.before_change(tensor)
        flags = [(t.requires_grad, grad_fn_of(t)) for t in inputs] if info.in_place else None
        return Pending(line, applied_line(frame), inputs, versions_of(inputs), before, flags, inside, call)

    def _changing(self, info: OpInfo, args: tuple, kwargs: dict, inputs: list[Tensor]) -> list[Tensor]:
        """The tensors a call may change: the first argument of an in-place op or of one asked to work in place
        (`F.relu(x, inplace=True)`), `out=`, an embedding's weight given `max_norm`, or for the few ops that change
        others (batch_norm's running statistics), all of them. (torch.nn.functional hands `inplace` and `max_norm`
        on as keywords, and torch.nn.init its `tensor=`.)"""
        if info.name in CHANGE_ALL_INPUTS:
            return inputs
        if info.name in HAND_OUT_MEMORY:
            return inputs[:1]
        if not kwargs:
            return tensors_in(args[0], []) if info.in_place and args else []
        changing = tensors_in(kwargs["out"], []) if "out" in kwargs else []
        if info.in_place or kwargs.get("inplace") is True:
            first = args[0] if args else next(iter(kwargs.values()))  # (`nn.init.constant_(tensor=w, val=0.1)`)
            changing += tensors_in(first, [])
        if info.name in RENORM_WEIGHT and kwargs.get("max_norm") is not None:
            weight = args[1] if len(args) > 1 else kwargs.get("weight")
            if is_tensor(weight):
                changing.append(weight)
        return changing

    def _after(self, info: OpInfo, pending: Pending, result: Any, args: tuple = ()) -> None:
        """Record a call that ran, if it belongs in the graph."""
        inputs = pending.inputs
        outputs = tensors_in(result, [])
        input_ids = {id(t) for t in inputs}
        made = [t for t in outputs if id(t) not in input_ids] if input_ids else outputs
        if self.unrecorded:  # (a note of a tensor freed since, whose id a new one got: `acc` took `n`'s line)
            for tensor in made:
                self.unrecorded.pop(id(tensor), None)
        changed = self._changed(info, pending) if pending.versions else []
        if self.taken_out and not inputs and made and self._made_of_taken_out(info.name, args, made, pending.line):
            return
        if not made and not changed:
            if info.name in TAKEN_OUT and inputs and pending.versions:  # (`x.detach().numpy()`)
                self._note_taken_out(info.name, inputs[0], result, pending.line)
            if info.in_place and inputs and not pending.before:  # (`torch.empty(3).normal_()`: filled unrecorded)
                self._made_unrecorded(inputs[:1], info.name, inputs, False, pending.line)
                return
            if info.name not in PASSED_ON or len(outputs) != 1 or not inputs or outputs[0] is not inputs[0]:
                return
            made = outputs  # (nn.Dropout after model.eval(): its call shows, giving a new node of its input)
        # (what changed only a tensor's own facts wrote no memory: `a.detach().requires_grad_()` leaves `a` as it was)
        versions = zip(pending.inputs, pending.versions, strict=True)
        unwritten = {id(t) for t, v in versions if v == version_of(t) != -1} if changed else ()
        for tensor in changed:  # (a view changed in place changed its base: `y[1] *= 3` changes y; those added too)
            if id(tensor) in unwritten:
                continue
            try:
                base = tensor._base
            except RuntimeError:  # (a tensor that cannot say: a torch.func wrapper)
                continue
            alias = self.aliases.get(id(tensor)) if base is None else None
            if alias is not None and alias[0] is tensor:  # (`z = y.detach()`, `z.zero_()`: y changed, and backward
                base = alias[1]  # raised for y's saved value with no line shown changing y)
            if base is not None and id(base) in self.latest and all(base is not c for c in changed):
                changed.append(base)
        grad_enabled = torch_internals.grad_enabled()
        if not pending.before and not (grad_enabled and any(t.requires_grad for t in made)):
            self._made_unrecorded(made, info.name, inputs, _unset(info.name, args), pending.line)
            return
        line = pending.line
        unset = _unset(info.name, args)
        if not inputs:  # a factory (torch.tensor, torch.randn, ...): the tensor is the node, no op
            for tensor in made:
                record = self._tensor(tensor, line)
                record.applied, record.inside, record.unset = pending.applied, pending.inside, unset
            return
        if self.room() <= 0:
            self._limit(line)
        if len(inputs) > MANY_INPUTS and not changed and self._too_many_new(inputs):
            self._made_unrecorded(
                made, info.name, inputs, unset, line
            )  # (its result: a node where it is used, made by it)
            return
        op = OpRecord(f"o{len(self.forward)}", info.name, line, not grad_enabled)
        op.inference = not grad_enabled and torch.is_inference_mode_enabled()
        if info.name in NUMBER_OPERATORS and len(args) == 2:
            op.numbers = tuple(a if type(a) is int or type(a) is float else None for a in args)
        if self.running and threading.get_ident() == self.thread:
            op.module, op.calls = self.module_path(), self.calls[-1]
        if op.module is None and pending.inside is not None:
            op.inside = pending.inside
            if pending.call is not None:
                if pending.call != self.library_call:  # (a call's ops come one after another: a new call starts)
                    self.library_call, self.library_calls = pending.call, self.library_calls + 1
                op.call = self.library_calls
        self.forward.append(op)
        if len(made) < len(outputs):  # (an output is an input: an in-place op's, or one handed back as it was)
            op.gave_back = any(
                id(t) in input_ids and t.requires_grad and all(t is not c for c in changed) for t in outputs
            )
        seen: set[int] = set()
        latest = self.latest
        for tensor in inputs:
            if id(tensor) not in seen:
                seen.add(id(tensor))
                found = pending.before.get(id(tensor))
                if found is None:
                    fresh = id(tensor) not in latest  # (first met here: made by no op, maybe inside the library call)
                    found = self.current(tensor, line)
                    if fresh:
                        found.inside = pending.inside
                op.inputs.append(found)
        for tensor in made + changed:
            record = self._tensor(tensor, line)
            record.applied = pending.applied
            op.outputs.append(record)
        if info.name in ALIASING and len(made) == 1 and inputs:
            self.aliases[id(made[0])] = (made[0], inputs[0])
        for record in op.outputs[: len(made)] if unset else ():  # (`torch.empty_like(x)`: made, never written)
            record.unset = True

    def _take_out(self, name: str, func: Any, args: tuple, kwargs: dict, caller: FrameType) -> Any:
        """Run `.item()` or `.tolist()`, noting what it took out of a tensor of the graph on a snippet's line."""
        result = func(*args, **kwargs)
        if caller.f_code.co_filename == SNIPPET_FILE and args and is_tensor(args[0]) and id(args[0]) in self.latest:
            # (the snippet runs on regardless of what the recorder meets)
            with self.lock, torch_internals.DisableTorchFunction(), contextlib.suppress(GraphLimitReached, Exception):
                self._note_taken_out(name, args[0], result, caller.f_lineno)
        return result

    def _note_taken_out(self, name: str, tensor: Tensor, value: Any, line: int | None) -> None:
        """Remember that `value` is what `name` took out of `tensor` on `line` (a value of no identity of its own, a
        bool or a small int Python shares, cannot be told apart: it is left out; so is a large one, which it holds)."""
        if self.closed or (type(value) not in (float, complex, list) and not hasattr(value, "__array_interface__")):
            return
        if TensorBase.numel(tensor) > TAKEN_OUT_MAX_ELEMENTS:
            return
        record = self.latest.get(id(tensor))  # (its node as drawn: a value never used makes no node)
        if record is None:
            return
        if len(self.taken_out) >= TAKEN_OUT_KEPT:
            self.taken_out.clear()
        self.taken_out[id(value)] = (value, name, record, line)

    def _made_of_taken_out(self, name: str, args: tuple, made: list[Tensor], line: int | None) -> bool:
        """A factory (`torch.tensor(v)`, `torch.from_numpy(a)`) made a tensor of a value `.item()`, `.tolist()` or
        `.numpy()` took out of the graph: draw the call that took it out as an op from that tensor to this one (a cut),
        and tell whether it did."""
        if len(made) != 1 or not args:
            return False
        first = args[0]
        values = [first, *first[:TAKEN_OUT_LOOKED]] if type(first) in (list, tuple) else [first]
        # (`torch.tensor([a.item(), b.item()])`: the first of them; the id of a value let go of may be another's)
        found = next((f for v in values if (f := self.taken_out.get(id(v))) is not None and f[0] is v), None)
        if found is None:
            return False
        self._link_taken_out(found[1], found[2], found[3], made[0], line)
        return True

    def _shares_taken_out(self, tensor: Tensor, line: int | None) -> bool:
        """A tensor first met that holds the very memory of an array `.numpy()` took out of the graph (torch.from_numpy
        and torch.as_tensor run no torch function the recorder sees): drawn as made of it, through that call."""
        if grad_fn_of(tensor) is not None or not foreign(tensor):
            return False
        try:
            where, shape = tensor.data_ptr(), tuple(tensor.shape)
        except RuntimeError:  # (a tensor with no memory of its own to tell)
            return False
        for value, how, source, taken_line in list(self.taken_out.values()):
            face = getattr(value, "__array_interface__", None)
            if face is not None and face["data"][0] == where and tuple(face["shape"]) == shape:
                self._link_taken_out(how, source, taken_line, tensor, line)
                return True
        return False

    def _parameter_registered(self, module: nn.Module, name: str, parameter: Any) -> None:
        """A module registered a parameter (`self.w = nn.Parameter(h)`): one made of a tensor of the graph is drawn
        at once, on the snippet's line that made it, not where it is first used."""
        if self.closed or parameter is None or id(parameter) in self.latest:
            return
        frame = user_frame(sys._getframe(1))
        if frame is None:
            return
        with self.lock, torch_internals.DisableTorchFunction(), contextlib.suppress(GraphLimitReached, Exception):
            if self.closed or not torch_internals.shares_memory(parameter):  # (`nn.Parameter(torch.randn(3))`)
                return
            self.names.scan(frame)  # (`nn.Parameter(other.weight)`: a leaf no op used yet, met by its name)
            if self._parameter_of(parameter) is not None:
                self.current(parameter, frame.f_lineno)

    def _parameter_of(self, parameter: Tensor) -> TensorRecord | None:
        """The recorded tensor, another one that requires grad, whose very memory a parameter first met holds:
        `nn.Parameter(h)` runs no torch function the recorder sees, and makes a new leaf of h's values."""
        if grad_fn_of(parameter) is not None:
            return None
        memory, forward = self.memory, self.forward
        for record in itertools.islice(forward, self.indexed, None):  # (each record is looked at once in the run)
            if type(record) is TensorRecord and record.kept.live:
                with contextlib.suppress(RuntimeError):  # (a tensor with no memory of its own to tell)
                    memory.setdefault(record.tensor.data_ptr(), []).append(record)
        self.indexed = len(forward)
        try:
            there = memory.get(parameter.data_ptr(), ())
        except RuntimeError:
            return None
        for record in reversed(there):  # (the newest tensor of its shape there: `h.data` made after h is no graph's)
            tensor = record.tensor
            if record.kept.live and tensor is not parameter and tensor.shape == parameter.shape:
                return record if record.requires_grad and tensor.dtype == parameter.dtype else None
        return None

    def _link_taken_out(
        self, how: str, source: TensorRecord, taken_line: int | None, made: Tensor, line: int | None
    ) -> None:
        """Draw the call that took values out of `source` on `taken_line` as an op to the tensor made of them."""
        if self.room() <= 0:
            self._limit(line)
        op = OpRecord(f"o{len(self.forward)}", how, taken_line, False)
        self.forward.append(op)
        op.inputs.append(source)
        op.outputs.append(self._tensor(made, line))

    def _too_many_new(self, inputs: list[Tensor]) -> bool:
        """Whether the inputs of one call that the graph does not hold yet would take more than half of its room
        left: `torch.stack(samples)` over the 10,000 tensors a loop made, unrecorded (or after it paused), made a node
        for each, and a dataset built in a few lines of plain torch ended `limit` (`GraphLimit`). Such a call is left
        out, as a loop's iterations past half the room are (Recorder.pause_nodes): its result is a tensor made by an
        op the graph did not record."""
        latest = self.latest
        new = {id(tensor) for tensor in inputs if id(tensor) not in latest}
        return len(new) > self.room() // 2

    def _made_unrecorded(
        self, tensors: list[Tensor], op: str, inputs: list[Tensor], unset: bool, line: int | None
    ) -> None:
        """Note what made (or filled) tensors the graph does not record, from `inputs` (bounded: past
        UNRECORDED_NOTES all are forgotten at once): the op, the factory its chain started with (`tensor` for
        `torch.tensor([1]).long().unsqueeze(-1)`), whether it left them `unset` (UNSET_FACTORIES), and the snippet's
        line that ran it."""
        unrecorded = self.unrecorded
        origin = op
        for tensor in inputs:
            note = unrecorded.get(id(tensor))
            if note is not None and note[0] == _looks(tensor):
                origin = note[1]
                break
        if len(unrecorded) >= UNRECORDED_NOTES:
            unrecorded.clear()
        for tensor in tensors:
            unrecorded[id(tensor)] = (_looks(tensor), origin, op, unset, line)

    def _changed(self, info: OpInfo, pending: Pending) -> list[Tensor]:
        """The inputs a call changed: their version moved, or their graph facts (`requires_grad_`), or it set
        their `.data` (which moves no version)."""
        changed: list[Tensor] = []
        flags = pending.flags
        for i, (tensor, version) in enumerate(zip(pending.inputs, pending.versions, strict=True)):
            moved = version_of(tensor) != version
            if flags is not None:  # (an in-place call: `requires_grad_`, `.data = `)
                moved = moved or flags[i] != (tensor.requires_grad, grad_fn_of(tensor))
                moved = moved or (info.action == SET_ATTRIBUTE and i == 0)
            if moved and all(tensor is not c for c in changed):
                changed.append(tensor)
        return changed

    # -- modules ---------------------------------------------------------------------------------------------

    def module_path(self) -> str | None:
        """Where an op runs: the innermost running module's qualified name (`model.0`), or, for modules the
        snippet never named, the path of their class names (`Net/Linear`); None outside any module. Kept until
        a module call starts or ends, or a module is named."""
        if self.names.changed_modules:
            self.names.changed_modules, self.path = False, None
        if self.path is None:
            parts: list[str] = []
            for module in self.running:
                name = self.names.module_name(module)
                if name is not None:
                    parts = [name]
                else:
                    parts.append(type(module).__name__)
            self.path = ("/".join(parts) if parts else None,)
        return self.path[0]

    # -- the end ---------------------------------------------------------------------------------------------

    def finish(self, namespace: dict[str, Any]) -> None:
        """Name what the snippet left bound, and catch up with tensors that gained a node after they were
        recorded (a custom Function attaches its node to outputs made under no_grad)."""
        with self.lock, torch_internals.DisableTorchFunction():
            # Daemon threads still running pass their calls on from now on, and their passes record nothing: the
            # Run is made from what the snippet held as it ended (one's passes changed records under the export).
            self.closed = self.backward.closed = self.backward.ended = True
            if self.stopped is not None:
                return  # (what the snippet holds now was made or changed unrecorded: the last scans named the rest)
            if self.paused:  # (ended paused: the nodes made since are not walked either)
                self.backward.unrecorded.append((self.pause_seq, _next_sequence_nr()))
                self.names.top_line = None  # (the loop's lines ran again since the last look: see `_resumes`)
                self.paused = False  # (a daemon thread's call resumes nothing)
                # (time paused is no recording time, as in `_resumes`: the parameters of a model the loop trained get
                # their nodes now, and against the deadline as it was at the pause a run that ended well was `limit`)
                self.deadline += time.process_time() - self.paused_cpu
            self.names.finish(namespace)
            for record in list(self.latest.values()):
                tensor = record.kept.tensor
                grad_fn = grad_fn_of(tensor)
                if (grad_fn is not record.grad_fn or record.is_leaf != (grad_fn is None)) and not record.kept.stale:
                    if grad_fn is not record.grad_fn:
                        self.current(tensor, record.line)
                    else:
                        record.is_leaf = grad_fn is None
            self._walk_unrecorded_bound()

    def _walk_unrecorded_bound(self) -> None:
        """The graphs of what the snippet left bound that were made while the recording paused, in a loop whose last
        iteration is not known before it ends (a `while`, an early stop's `break`, a generator's batches: the `pred`
        and `loss` of its last pass), are walked as it ends: they keep their grad_fn (they showed none) and the
        graph under it, whose nodes ran in passes not recorded (no order, no gradients but what reached the bound
        tensors' own, see Backward.watch)."""
        if not self.backward.unrecorded:
            return
        records = self.backward.records
        for tensor in self._bound(None):
            node = grad_fn_of(tensor)
            record = self.latest.get(id(tensor))
            if node is None or node in records or record is None or record.grad_fn is not node:
                continue
            if not self.backward.walk(node, everything=True):
                return  # (the run's room is used up: the rest keep no graph)

    def release(self) -> None:
        """Let go of the snippet's tensors and autograd nodes once the Run is made. Every node's hook holds the
        records, which hold the nodes and tensors: cycles through C++ that Python's collector cannot see."""
        self.closed = True
        self.backward.release()
        self.called_in_c = CalledInC()
        self.forward.clear()
        self.latest.clear()
        self.hooks_ran.clear()
        self.dirty.clear()
        self.values.clear()
        self.summaries.clear()
        self.names.release()
        self.last_items.clear()
        self.taken_out.clear()
        self.aliases.clear()
        self.batching.clear()
        self.not_resumed = None
