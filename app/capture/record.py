"""The recorder: a torch function mode that logs forward ops and hooks every autograd node it finds.

Forward: every torch call made while the mode is active passes through `__torch_function__`; calls that touch
a tensor already in the graph, or that make a tensor requiring grad, become an op node with tensor nodes for
their inputs and outputs. In-place calls give the mutated tensor a new version node.

Backward: each tensor's `grad_fn` is walked (iteratively) as soon as the tensor is recorded, so every autograd
node is seen while its saved tensors still exist. A post hook on every node keeps the gradients that flowed
into it (`grad_out`) and out of it (`grad_in`, one per `next_functions` entry) and the order it ran in.
"""

import contextlib
import functools
import operator
import sys

import torch
from torch import nn
from torch.overrides import TorchFunctionMode

from .summary import Summaries

SNIPPET_FILE = "<snippet>"

# Properties whose getter is an op (returns a new view with its own grad_fn); other getters are skipped.
VIEW_PROPERTIES = frozenset({"T", "mT", "H", "mH", "real", "imag"})
# Calls that never produce graph tensors: skipped without looking at their arguments.
SKIPPED_CALLS = frozenset(
    {
        "__set__",
        "__repr__",
        "__str__",
        "__format__",
        "__len__",
        "__bool__",
        "__hash__",
        "backward",
        "register_hook",
        "retain_grad",
        "size",
        "dim",
        "numel",
        "item",
        "tolist",
    }
)
COMMUTATIVE = frozenset({"add", "mul", "and", "or", "xor"})
INPLACE_OPERATORS = frozenset(
    {
        "add",
        "sub",
        "mul",
        "truediv",
        "floordiv",
        "mod",
        "pow",
        "matmul",
        "and",
        "or",
        "xor",
        "lshift",
        "rshift",
    }
)


class GraphLimitReached(BaseException):
    """Raised into the snippet when the graph holds `max_nodes` nodes (a BaseException: `except Exception`
    in the snippet must not swallow it)."""


Tensor = torch.Tensor
_op_info: dict = {}  # torch callable -> op_info(callable)
RECORD, SKIP, SKIP_AFTER_SCAN = 0, 1, 2


def op_info(func) -> tuple[str, bool, int]:
    """(its readable name (`_op_name`), whether its name says it changes an argument in place (`add_`, `x += y`,
    `x[i] = y`), and what the recorder does with a call: RECORD it if it touches the graph, or SKIP it (calls
    that never make graph tensors; `backward`, SKIP_AFTER_SCAN, names what the snippet bound first))."""
    try:
        return _op_info[func]
    except (KeyError, TypeError):  # TypeError: an unhashable callable
        pass
    name = getattr(func, "__name__", "")
    in_place = (name.endswith("_") and not name.endswith("__")) or (
        (name.startswith("__i") and name[3:-2] in INPLACE_OPERATORS) or name == "__setitem__"
    )
    action = RECORD
    if name == "backward":
        action = SKIP_AFTER_SCAN
    elif name in SKIPPED_CALLS or (name == "__get__" and func.__self__.__name__ not in VIEW_PROPERTIES):
        action = SKIP
    info = (_op_name(func), in_place, action)
    with contextlib.suppress(TypeError):
        _op_info[func] = info
    return info


def _op_name(func) -> str:
    """A readable op name: `__mul__` -> `mul`, `__iadd__` -> `add_`, `Tensor.T.__get__` -> `T`."""
    name = getattr(func, "__name__", None) or type(func).__name__
    if name == "__get__":
        return func.__self__.__name__
    if name.startswith("__") and name.endswith("__"):
        core = name[2:-2]
        if core[:1] == "i" and core[1:] in INPLACE_OPERATORS:
            return core[1:] + "_"
        if core[:1] == "r" and core[1:] in COMMUTATIVE:
            return core[1:]
        return core
    return name


NO_KWARGS: dict = {}  # (never changed)
# Argument types that never hold a tensor: skipped at a glance (most arguments are these or tensors).
PLAIN = frozenset({int, float, bool, str, type(None), torch.dtype, torch.device, torch.Size, torch.layout})


def tensors_in(value, out: list) -> list:
    """Append the tensors in a call's arguments or result (tensors, and lists/tuples/dicts of them)."""
    if isinstance(value, Tensor):
        out.append(value)
    elif isinstance(value, (list, tuple)):
        for item in value:
            if type(item) in PLAIN:
                continue
            if isinstance(item, Tensor):
                out.append(item)
            elif isinstance(item, (list, tuple, dict)):
                tensors_in(item, out)
    elif isinstance(value, dict):
        tensors_in(list(value.values()), out)
    return out


_versions = operator.attrgetter("_version")


def versions_of(tensors: list[torch.Tensor]) -> list[int]:
    try:
        return list(map(_versions, tensors))
    except RuntimeError:  # an inference tensor among them
        return [version_of(t) for t in tensors]


def version_of(tensor: torch.Tensor) -> int:
    try:
        return tensor._version
    except RuntimeError:  # inference tensors keep no version counter
        return -1


def user_frame(frame):
    """The innermost frame running the snippet's own code, or None."""
    while frame is not None and frame.f_code.co_filename != SNIPPET_FILE:
        frame = frame.f_back
    return frame


class TensorRecord:
    """A forward tensor node: the tensor itself (its values are read at export, as of `version`)."""

    __slots__ = ("grad_fn", "id", "is_leaf", "line", "output_nr", "requires_grad", "tensor", "value", "var", "version")

    def __init__(self, node_id, tensor, line, var=None):
        self.id = node_id
        self.tensor = tensor
        self.version = version_of(tensor)
        self.var = var
        self.line = line
        self.value = None  # its Summary, made at export
        self.requires_grad = tensor.requires_grad
        self.is_leaf = tensor.is_leaf
        self.grad_fn = tensor.grad_fn
        self.output_nr = tensor.output_nr if self.grad_fn is not None else 0


class OpRecord:
    __slots__ = ("calls", "id", "inputs", "line", "module", "no_grad", "op", "outputs")

    def __init__(self, node_id, op, line, no_grad):
        self.id = node_id
        self.op = op
        self.line = line
        self.no_grad = no_grad
        self.module: str | None = None
        self.calls: list[int] = []
        self.inputs: list[TensorRecord] = []
        self.outputs: list[TensorRecord] = []


class BackwardRecord:
    """What is known of one autograd node, its gradients as the hook received them."""

    __slots__ = ("backward_pass", "grad_in", "grad_out", "id", "name", "next", "order", "saved")

    def __init__(self, node_id, name, node):
        self.id = node_id
        self.name = name
        self.next = node.next_functions  # the nodes it sends gradients to (never back to itself)
        self.saved = read_saved(node)
        self.grad_in = None
        self.grad_out = None
        self.order = None
        self.backward_pass = None


class _NodeHooks(dict):
    """One autograd node's hooks, as torch keeps them (weak-referenceable: torch's handles point at it)."""

    __slots__ = ("__weakref__",)


@functools.cache
def quick_node_hooks() -> None:
    """Once per process: the recorders' own node hooks are added without torch's per-hook bookkeeping.

    A C++ autograd node's `register_hook` asks the Python helper `_HookMixin._register_hook` for the node's dict of
    hooks and a RemovableHandle (an id, a weak reference). A recorder never removes its hooks (they go with the
    graph), so for them the helper installed here skips the handle: a third of the cost of hooking a node. Any
    other hook (the snippet's own) goes through torch's helper, as before, which accepts the dict made here. It
    stays installed: setting it marks all of `_HookMixin`'s ~300 subclasses as changed, which cost 60-90 us
    each time a capture did it (they are spread over memory). A torch without the helper is left as it is."""
    mixin = getattr(torch.autograd.function, "_HookMixin", None)
    if mixin is None or not hasattr(mixin, "_register_hook"):
        return
    torch_helper = mixin._register_hook

    def register(hooks, hook):
        if getattr(hook, "__code__", None) is not _HOOK_CODE:
            return torch_helper(hooks, hook)
        if hooks is None:
            hooks = _NodeHooks()
        hooks[-1 - len(hooks)] = hook  # (torch's handle ids count up from 0)
        return hooks, None

    mixin._register_hook = staticmethod(register)


def _quiet(init):
    """`init`, a constructor of one of torch's own modules, run with the recorder's mode off when that mode is the
    only one and no tensor is passed in."""

    @functools.wraps(init)
    def quiet_init(self, *args, **kwargs):
        if _modes() == 1 and type(_mode_at(0)) is Recorder and not tensors_in(args, tensors_in(kwargs, [])):
            with torch._C.DisableTorchFunction():
                return init(self, *args, **kwargs)
        return init(self, *args, **kwargs)

    return quiet_init


_modes, _mode_at = torch._C._len_torch_function_stack, torch._C._get_function_stack_at
_current_node, _current_task = torch._C._current_autograd_node, torch._C._current_graph_task_id


@functools.cache
def quiet_module_constructors() -> None:
    """Once per process: the constructors of torch's own modules (`nn.Linear(16, 16)`) stop passing their calls to
    the recorder. Given no tensor, such a constructor only makes and fills fresh parameters and buffers, which are
    no part of the graph until they are used (then they join it, named). Its calls (10 for a Linear: `empty`,
    `kaiming_uniform_`, `size`...) made a third of the time a 20-layer MLP took to build under the recorder.
    Modules defined later, and the snippet's own, are left as they are; outside a recording nothing changes."""
    classes, found = [nn.Module], set()
    while classes:
        for cls in classes.pop().__subclasses__():
            if cls not in found:
                found.add(cls)
                classes.append(cls)
                if cls.__module__.startswith("torch.") and "__init__" in cls.__dict__:
                    cls.__init__ = _quiet(cls.__init__)


_following: list = []  # the recorders following module calls (one at a time in practice), innermost last


@functools.cache
def follow_module_calls() -> None:
    """Once per process: every nn.Module call tells the recorder at work, if any, when it starts and ends (for
    `module_path` and the call numbers that folding groups by). torch's global module hooks did this before, and
    they put every module call on the slow path of `Module._call_impl`: 2-4 us more a call, against well under
    1 us for this wrapper. It stays installed (setting `__call__` updates all of nn.Module's subclasses, 60-90 us);
    with no recorder at work it only passes the call on."""
    call = nn.Module.__call__

    def followed_call(module, *args, **kwargs):
        if not _following:
            return call(module, *args, **kwargs)
        recorder = _following[-1]
        running, calls = recorder.running, recorder.calls
        recorder.call_count += 1
        running.append(module)
        calls.append((calls[-1] if calls else []) + [recorder.call_count])
        recorder._path = None
        try:
            return call(module, *args, **kwargs)
        finally:
            if running:  # (emptied if the recorder exited inside the call)
                running.pop()
                calls.pop()
            recorder._path = None

    nn.Module.__call__ = followed_call


_saved_names_by_type: dict[type, tuple[tuple[str, str], ...]] = {}
# Saved values that only describe memory layout; sizes and the rest are kept.
LAYOUT_ONLY = ("_sym_strides", "_sym_storage_offset")


def saved_names(node) -> tuple[tuple[str, str], ...]:
    """(attribute, name) of each value a node kind saves: ("_saved_self", "self")."""
    names = _saved_names_by_type.get(type(node))
    if names is None:
        attrs = [a for a in dir(node) if a.startswith("_saved_") and not a.endswith(LAYOUT_ONLY)]
        if hasattr(node, "saved_tensors"):  # a custom autograd.Function's context
            attrs.append("saved_tensors")
        names = _saved_names_by_type[type(node)] = tuple((a, a.removeprefix("_saved_")) for a in attrs)
    return names


def read_saved(node) -> dict | None:
    """The node's saved values by name (tensors kept as references), or None once backward freed them."""
    saved = {}
    try:
        for attr, name in saved_names(node):
            saved[name] = getattr(node, attr)
    except RuntimeError:
        return None
    return saved


class Recorder(TorchFunctionMode):
    """Records one snippet's run. Use as a context manager around `exec`, then call `graphs()`."""

    def __init__(self, max_nodes: int, max_elements: int):
        super().__init__()
        self.max_nodes = max_nodes
        self.summaries = Summaries(max_elements)
        self.forward: list[TensorRecord | OpRecord] = []
        self.latest: dict[int, TensorRecord] = {}  # id(tensor) -> its newest version's record
        self.backward: dict[object, BackwardRecord] = {}  # autograd node -> record (keeps nodes alive)
        self.param_names: dict[int, str] = {}  # id(parameter or buffer) -> qualified name
        self.module_names: dict[int, str] = {}  # id(module) -> qualified name, for modules the snippet named
        self.running: list[nn.Module] = []  # the modules whose forward is running, outermost first
        # for each running module, the numbers of the calls it runs in (each module call of the run gets the next
        # number): [[1], [1, 2]] while call 2 runs inside call 1; ops share these lists
        self.calls: list[list[int]] = []
        self.call_count = 0
        self._path: tuple | None = None  # (module_path(),) while it holds
        self.backward_passes = 0  # numbered by the engine's graph-task id
        self._task = None  # the pass running, and the next node's order in it
        self._next_order = 0
        self._hook = self._node_ran  # one bound method, hooked on every node
        self.limit_line: int | None = None
        self._scanned = (None, None)  # (frame, line) last scanned for names

    # -- nodes -------------------------------------------------------------------------------------------

    def _count(self, line):
        if len(self.forward) + len(self.backward) >= self.max_nodes:
            if self.limit_line is None:
                self.limit_line = line
            raise GraphLimitReached

    def _tensor(self, tensor: torch.Tensor, line) -> TensorRecord:
        forward, backward = self.forward, self.backward
        if len(forward) + len(backward) >= self.max_nodes:
            self._count(line)
        record = TensorRecord(f"t{len(forward)}", tensor, line, self.param_names.get(id(tensor)))
        forward.append(record)
        self.summaries.held.append(tensor)
        self.latest[id(tensor)] = record
        grad_fn = record.grad_fn
        if grad_fn is not None and grad_fn not in backward:
            self._walk(grad_fn, line)
        return record

    def _walk(self, root, line):
        """Add every autograd node reachable from `root` that is not yet known (numbered in the order found), read
        what each saved, and hook it; without recursion."""
        backward = self.backward
        if root is None or root in backward:
            return
        room, hook = self.max_nodes - len(self.forward), self._hook
        stack = [((root, 0),)]  # next_functions tuples still to look through
        while stack:
            for node, _ in stack.pop():
                if node is None or node in backward:
                    continue
                if len(backward) >= room:
                    self._count(line)
                record = backward[node] = BackwardRecord(f"b{len(backward)}", type(node).__name__, node)
                try:  # noqa: SIM105 (a plain try costs less than suppress(), once per node)
                    node.register_hook(hook)
                except (RuntimeError, AttributeError):  # a node kind without hooks: its grads stay unknown
                    pass
                stack.append(record.next)

    def _node_ran(self, grad_inputs, grad_outputs):
        """The post hook of every node recorded: keeps the gradients that flowed out of the node (`grad_in`) and
        into it (`grad_out`), and when it ran. The summaries hold them until export, which also keeps autograd
        from accumulating into them in place. (One hook for all: the engine says which node runs.)"""
        record = self.backward.get(_current_node())
        if record is None:  # the run is over and its records are released
            return
        task = _current_task()
        if task != self._task:
            self._task, self.backward_passes, self._next_order = task, self.backward_passes + 1, 0
        hold = self.summaries.hold
        record.grad_in, record.grad_out = hold(grad_inputs), hold(grad_outputs)
        record.order, record.backward_pass = self._next_order, self.backward_passes
        self._next_order += 1

    # -- names -------------------------------------------------------------------------------------------

    def name_values(self, namespace: dict, line=None, prefix=""):
        """Give the snippet's names to the tensors (and modules' parameters) bound in `namespace`."""
        for name, value in list(namespace.items()):
            if isinstance(value, torch.Tensor):
                record = self.latest.get(id(value))
                if record is None:
                    record = self._tensor(value, line)
                else:
                    self._refresh(record)
                if record.var is None:
                    record.var = prefix + name
            elif isinstance(value, nn.Module) and id(value) not in self.module_names and name != "self":
                self._name_module(prefix + name, value)

    # -- modules ------------------------------------------------------------------------------------------

    def __enter__(self):
        """Enter the mode, and follow every nn.Module call until exit."""
        quiet_module_constructors()
        quick_node_hooks()
        follow_module_calls()
        super().__enter__()
        _following.append(self)
        return self

    def __exit__(self, *exc):
        _following.remove(self)
        self.running.clear()
        self.calls.clear()
        return super().__exit__(*exc)

    def module_path(self) -> str | None:
        """Where an op runs: the innermost running module's qualified name (`model.0`), or, for modules the
        snippet never named, the path of their class names (`Net/Linear`); None outside any module. Kept until
        a module call starts or ends, or a module is named."""
        if self._path is None:
            parts: list[str] = []
            for module in self.running:
                name = self.module_names.get(id(module))
                if name is not None:
                    parts = [name]
                else:
                    parts.append(type(module).__name__)
            self._path = ("/".join(parts) if parts else None,)
        return self._path[0]

    def _name_module(self, name: str, module: nn.Module):
        """Name a module, its submodules, and their parameters and buffers (`model.0.weight`), in one walk (in the
        order, and with the names, of `module.named_modules(prefix=name)`)."""
        self._path = None
        module_names, param_names, latest = self.module_names, self.param_names, self.latest
        stack, seen = [(name, module)], set()
        while stack:
            path, sub = stack.pop()
            if id(sub) in seen:
                continue
            seen.add(id(sub))
            module_names.setdefault(id(sub), path)
            for tensors in (sub._parameters, sub._buffers):
                for key, tensor in tensors.items():
                    if tensor is not None and id(tensor) not in param_names:
                        qualified = param_names[id(tensor)] = f"{path}.{key}" if path else key
                        record = latest.get(id(tensor))
                        if record is not None and record.var is None:
                            record.var = qualified
            children = sub._modules
            if children:
                prefix = f"{path}." if path else ""
                stack += [(prefix + key, child) for key, child in reversed(children.items()) if child is not None]

    def _scan(self, frame):
        """Name what the snippet bound since the last look at this frame (once per line, not per op)."""
        last_frame, last_line = self._scanned
        if last_frame is frame and last_line == frame.f_lineno:
            return
        self._scanned = (frame, frame.f_lineno)
        self.name_values(frame.f_locals, last_line if last_frame is frame else None)

    # -- the mode ----------------------------------------------------------------------------------------

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or NO_KWARGS
        try:
            name, in_place, action = _op_info[func]
        except (KeyError, TypeError):
            name, in_place, action = op_info(func)
        if action:  # SKIP or SKIP_AFTER_SCAN
            if action == SKIP_AFTER_SCAN:  # name what the snippet bound before the graph is run
                frame = user_frame(sys._getframe(1))
                if frame is not None:
                    self._scan(frame)
            return func(*args, **kwargs)
        caller = sys._getframe(1)
        if caller.f_code.co_filename == SNIPPET_FILE:  # called from a snippet line: name what it bound
            self._scan(caller)
        inputs = tensors_in(args, [])
        if kwargs:
            tensors_in(list(kwargs.values()), inputs)
        if inputs and self.summaries.held and (in_place or "out" in kwargs):
            for tensor in inputs:  # about to change: copy what was kept of it (nothing kept: nothing to copy)
                self.summaries.protect(tensor)
        latest = self.latest
        for tensor in inputs:
            if id(tensor) in latest:
                break
        else:
            # Nothing of the graph goes in (a factory, a module filling its fresh weights, a parameter's first
            # use): the call makes a node only if it makes a new tensor that requires grad. (A change to a
            # tensor unknown to the graph is not recorded, so versions before the call do not matter.)
            result = func(*args, **kwargs)
            outputs = tensors_in(result, [])
            for tensor in outputs:
                if tensor.requires_grad and all(tensor is not i for i in inputs):
                    self._record(name, caller, inputs, versions_of(inputs), outputs)
                    break
            return result
        versions = versions_of(inputs)
        result = func(*args, **kwargs)
        self._record(name, caller, inputs, versions, tensors_in(result, []))
        return result

    def _refresh(self, record: TensorRecord):
        """Catch up with a tensor that gained a grad_fn after it was recorded (a custom autograd.Function
        makes its output inside `forward`, under no_grad, and attaches its node afterwards)."""
        grad_fn = record.tensor.grad_fn
        if grad_fn is not record.grad_fn and grad_fn is not None:
            tensor = record.tensor
            record.grad_fn, record.output_nr = grad_fn, tensor.output_nr
            record.requires_grad, record.is_leaf = tensor.requires_grad, tensor.is_leaf
            self._walk(grad_fn, None)

    def _record(self, name, caller, inputs, versions, outputs):
        """Add an op node for a call from frame `caller` (or only tensor nodes, for a factory), if it belongs in
        the graph."""
        latest = self.latest
        # Each input's record as it is now: a new version node if it changed unseen (through a view).
        known = []
        for tensor, version in zip(inputs, versions, strict=True):
            record = latest.get(id(tensor))
            if record is not None:
                if record.version != version:
                    record = self._tensor(tensor, None)
                elif tensor.grad_fn is not record.grad_fn:
                    self._refresh(record)
            known.append(record)
        now = versions_of(inputs)
        mutated = [t for t, v, n in zip(inputs, versions, now, strict=True) if n != v] if now != versions else []
        input_ids = set(map(id, inputs))
        made = [t for t in outputs if id(t) not in input_ids] if input_ids else outputs
        if not made and not mutated:
            return
        grad_enabled = torch.is_grad_enabled()
        # Record a call that touches the graph, or that makes a new tensor requiring grad. Changing a tensor
        # unknown to the graph (a module initializing its parameters) is not recorded.
        if not any(known) and not (grad_enabled and any(t.requires_grad for t in made)):
            return
        new = made + mutated if mutated else made
        frame = user_frame(caller)
        line = None
        if frame is not None:
            line = frame.f_lineno
            self._scan(frame)
        if not inputs:  # a factory (torch.tensor, torch.randn, ...): the tensor is the node, no op
            for tensor in new:
                self._tensor(tensor, line)
            return
        forward = self.forward
        if len(forward) + len(self.backward) >= self.max_nodes:
            self._count(line)
        op = OpRecord(f"o{len(forward)}", name, line, not grad_enabled)
        if self.running:
            op.module, op.calls = self.module_path(), self.calls[-1]
        forward.append(op)
        op_inputs = op.inputs
        if len(input_ids) == len(inputs):  # (no tensor twice)
            for tensor, record in zip(inputs, known, strict=True):
                op_inputs.append(record or latest.get(id(tensor)) or self._tensor(tensor, None))
        else:
            seen = set()
            for tensor, record in zip(inputs, known, strict=True):
                if id(tensor) not in seen:
                    seen.add(id(tensor))
                    op_inputs.append(record or latest.get(id(tensor)) or self._tensor(tensor, None))
        for tensor in new:
            op.outputs.append(self._tensor(tensor, line))

    # -- the result --------------------------------------------------------------------------------------

    def release(self):
        """Let go of the snippet's tensors and autograd nodes, once the Run is made. Every node's hook holds this
        recorder, which holds the nodes and tensors (and a tensor its node): cycles through C++ that Python's
        collector cannot see. Without this, a run's whole graph outlived it (0.7 MiB a 20-layer MLP, in a
        process that captures again and again)."""
        self.backward.clear()
        self.forward.clear()
        self.latest.clear()
        self.summaries.clear()
        self._scanned = (None, None)  # (a frame of the snippet)

    def finish(self, namespace: dict):
        """Name what the snippet left bound and find nodes made outside recorded ops (in-place on views)."""
        self.name_values(namespace)
        for name, value in list(namespace.items()):
            items = (
                value.items()
                if isinstance(value, dict)
                else enumerate(value)
                if isinstance(value, (list, tuple))
                else ()
            )
            for key, item in items:
                if isinstance(item, nn.Module):
                    if id(item) not in self.module_names:  # (a list of layers is mostly named already)
                        self._name_module(f"{name}[{key!r}]", item)
                elif isinstance(item, torch.Tensor):
                    self.name_values({f"[{key!r}]": item}, prefix=name)
        backward = self.backward
        for record in list(self.latest.values()):
            tensor = record.tensor
            grad_fn = tensor.grad_fn
            if record.version == version_of(tensor):
                if grad_fn is not record.grad_fn:
                    self._refresh(record)
                record.requires_grad, record.is_leaf = tensor.requires_grad, tensor.is_leaf
            if grad_fn is not None and grad_fn not in backward:
                self._walk(grad_fn, None)


_HOOK_CODE = Recorder._node_ran.__code__
