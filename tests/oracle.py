"""PyTorch as the oracle: run a snippet in plain torch and compare what gradwalk captured against it.

Two plain runs, with the same seeds as the capture: one exactly as plain Python runs it (what it prints, the
error and line it ends with), one that also notes, through autograd node pre-hooks (a mechanism gradwalk does not
use), the gradient each autograd node received last, so that a non-leaf tensor's gradient can be compared.

Both run in pytest's process, where the patches gradwalk leaves installed (app.capture.torch_internals: nn.Module's
call, torch's module constructors) are in place after the first capture: what a snippet could see of them is checked
against `python FILE` in a process of its own (tests/test_capture_as_python_file.py).
"""

import argparse
import asyncio
import builtins
import contextlib
import contextvars
import io
import linecache
import logging
import math
import random
import sys
import threading
import traceback
import types
import warnings
from collections import Counter, deque
from dataclasses import dataclass, field
from types import FunctionType

import numpy
import torch
import torch.nn.functional as F
from torch import nn
from torch.masked import MaskedTensor
from torch.overrides import TorchFunctionMode

from app.capture import prepare_source
from app.capture.naming import SNIPPET_FILE
from app.capture.peek import OWN_DISPATCH, runs_own_dispatch, runs_python_dispatch
from app.capture.summary import META, NESTED, TORCH_SUBCLASS, UNSET
from app.capture.torch_internals import replaced_by_snippet, script_calls_seen_by, swaps_seen_by

LIMITS = {
    "max_nodes": 1_000_000,
    "max_elements": 1_000_000,
    "max_output_bytes": 1 << 20,
    "record_cpu_s": 600.0,
    "max_recorded_passes": 1_000_000,  # (every pass recorded: the checks compare each with torch)
}
ORACLE_FILE = "<oracle>"
CONTAINERS = (list, tuple, dict, deque)  # whose items gradwalk names (`buffer[0]`), as app.capture.peek


@dataclass
class PlainRun:
    namespace: dict
    stdout: str = ""
    error: tuple[str, int | None] | None = None  # (exception type, innermost line of the snippet)
    received: dict = field(default_factory=dict)  # (autograd node, output_nr) -> the last gradient it received


class NoteReceivedGradients(TorchFunctionMode):
    """Notes, for every autograd node an op makes, the gradients it receives (after any tensor hook). Its hooks are
    taken off as the run ends (`let_go`): each holds its node, which holds it through torch's C++, where the cycle
    collector cannot follow, so that every plain run's graphs were kept until the session ended (15k to 70k objects
    a snippet, that each of the collector's walks then walked again)."""

    def __init__(self, received: dict):
        super().__init__()
        self.received = received
        self.hooked: dict = {}  # node, or (node, output_nr) for a tensor's hook -> the handle of the hook on it

    def __torch_function__(self, func, types, args=(), kwargs=None):
        if isinstance(func, FunctionType):  # (a torch function the snippet replaced: as plain torch, which has no
            func = replaced_by_snippet(func)  # mode to hand it to, calls it once; the first plain run checks output)
        with torch._C.DisableTorchFunctionSubclass():  # (a tensor made where no call of this mode sees it, by a custom
            self._note_nodes(args, ())  # Function's `apply`, and met first by `backward`: hooked before it runs)
        result = func(*args, **(kwargs or {}))
        with torch._C.DisableTorchFunctionSubclass():  # (a tensor subclass's own __torch_function__ sees none of it)
            self._note_nodes(args, result)
        return result

    def _note_nodes(self, args, result):
        outputs = result if isinstance(result, (tuple, list)) else [result]
        for tensor in [*outputs, *args]:  # (an in-place op gives its input a new node)
            if not isinstance(tensor, torch.Tensor) or torch._C._functorch.is_functorch_wrapped_tensor(tensor):
                continue
            try:
                node = tensor.grad_fn
            except RuntimeError:  # (a view made under no_grad whose base changed in place: torch refuses to say)
                continue
            if node is not None and node not in self.hooked:
                self.hooked[node] = node.register_prehook(self._note(node))
        for tensor in outputs:  # a gradient that reaches a node that does not run (autograd.grad stops there)
            self._hook_tensor(tensor)

    def _hook_tensor(self, tensor):
        if not isinstance(tensor, torch.Tensor) or torch._C._functorch.is_functorch_wrapped_tensor(tensor):
            return
        try:
            node = tensor.grad_fn
        except RuntimeError:
            return
        # (a tensor's hooks go to the node it had at its first hook: after an in-place change they would note the
        # gradient of an earlier node under the new one, so a tensor hooked before is left to its nodes' pre hooks)
        if tensor._backward_hooks is not None:
            return
        if node is not None and (node, tensor.output_nr) not in self.hooked:
            self.hooked[node, tensor.output_nr] = tensor.register_hook(self._note_tensor(node, tensor.output_nr))

    def let_go(self) -> None:
        for handle in self.hooked.values():
            handle.remove()
        self.hooked.clear()

    def swap_tensors(self, swap, t1, t2):
        """`torch.utils.swap_tensors`, which refuses (or marks as never to run) the data of a leaf that something
        else holds: the hooks on the nodes that received nothing yet are taken off first (each holds its node through
        torch's C++, and a dropped graph's node the leaf's data), as gradwalk lets go of the graphs only it held. A
        node made before the swap and run after it is then not noted: a snippet that swaps keeps such graphs out."""
        self._unhook_unrun()
        return swap(t1, t2)

    def _unhook_unrun(self) -> None:  # (its own frame: no name of it holds a node while the swap runs)
        ran = {key[0] for key in self.received}
        for key, handle in list(self.hooked.items()):
            if (key[0] if isinstance(key, tuple) else key) not in ran:
                handle.remove()
                del self.hooked[key]

    def _note_tensor(self, node, output_nr):
        def note(grad):  # (runs before the node's pre hooks, which overwrite it when the node runs)
            if grad is not None and not _batched(grad):
                self.received[node, output_nr] = grad.detach().clone()

        return note

    def _note(self, node):
        def note(grad_outputs):
            for nr, grad in enumerate(grad_outputs):
                if grad is not None and not _batched(grad):
                    self.received[node, nr] = grad.detach().clone()

        return note


# (a TorchScript function's or method's result, made in C++ where no mode sees it, is handed to the noting mode as
# the result of one call, as to the recorder: its gradient is noted too)
script_calls_seen_by(NoteReceivedGradients)
swaps_seen_by(NoteReceivedGradients)


@contextlib.contextmanager
def fast_paths_as_plain(mode: NoteReceivedGradients):
    """`torch.overrides.has_torch_function`, which torch's transformer layers and multi-head attention ask before
    their fast path, does not count the noting mode: they compute as in plain torch."""
    has_torch_function = torch.overrides.has_torch_function

    def as_plain(args) -> bool:
        if torch._C._len_torch_function_stack() != 1 or torch._C._get_function_stack_at(0) is not mode:
            return has_torch_function(args)
        torch._C._pop_torch_function_stack()
        try:
            return has_torch_function(args)
        finally:
            torch._C._push_on_torch_function_stack(mode)

    torch.overrides.has_torch_function = as_plain
    try:
        yield
    finally:
        torch.overrides.has_torch_function = has_torch_function


@contextlib.contextmanager
def hops_as_plain(mode: NoteReceivedGradients):
    """torch.cond and while_loop compile their branches whole, and the compiler traces a mode that is on into them:
    the noting mode's hooks then cut the gradients off. They run without it, as in plain torch."""
    from torch._higher_order_ops import utils

    compile_and_call = utils._hop_compile_and_call

    def as_plain(*args, **kwargs):
        if torch._C._len_torch_function_stack() != 1 or torch._C._get_function_stack_at(0) is not mode:
            return compile_and_call(*args, **kwargs)
        torch._C._pop_torch_function_stack()
        try:
            return compile_and_call(*args, **kwargs)
        finally:
            torch._C._push_on_torch_function_stack(mode)

    utils._hop_compile_and_call = as_plain
    try:
        yield
    finally:
        utils._hop_compile_and_call = compile_and_call


def _batched(grad: torch.Tensor) -> bool:
    """A gradient of `autograd.grad(..., is_grads_batched=True)`, batched by vmap: it cannot be copied out (and
    shows no gradient of a single pass)."""
    return torch._C._functorch.is_batchedtensor(grad) or torch._C._functorch.is_legacy_batchedtensor(grad)


def _namespace() -> dict:
    return {"__builtins__": builtins, "__name__": "__main__", "__file__": ORACLE_FILE, "torch": torch, "nn": nn, "F": F}


def run_plain(source: str, note_gradients: bool = True) -> PlainRun:
    """The snippet run in plain torch, in this thread, with the capture's seeds."""
    code = prepare_source(source)
    lines = code.splitlines(keepends=True)
    linecache.cache[ORACLE_FILE] = (len(code), None, lines, ORACLE_FILE)  # (as gradwalk does: jit reads source)
    plain = PlainRun(_namespace())
    torch.manual_seed(0)
    random.seed(0)
    numpy.random.seed(0)
    grad_enabled, dtype = torch.is_grad_enabled(), torch.get_default_dtype()
    anomaly = torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled()
    # (a text stream over bytes, as `python FILE`'s: `sys.stdout.buffer.write(b"...")` works, and text that is no
    # UTF-8 raises as it does there)
    written = KeptBytes()
    stdout = io.TextIOWrapper(written, encoding="utf-8", newline="\n", write_through=True)
    mode = NoteReceivedGradients(plain.received) if note_gradients else contextlib.nullcontext()
    as_plain = fast_paths_as_plain(mode) if note_gradients else contextlib.nullcontext()
    hops_plain = hops_as_plain(mode) if note_gradients else contextlib.nullcontext()
    in_threads, argv, loop = threading.getprofile(), sys.argv, asyncio._get_running_loop()
    excepthook = threading.excepthook  # (pytest's notes a thread's uncaught error as a warning, which fails the test)
    threading.excepthook = threading.__excepthook__  # as `python FILE` has it: the thread's traceback on stderr
    unraisable = sys.unraisablehook  # (and "Exception ignored in" on stderr: pytest's made it a warning, an error)
    sys.unraisablehook = sys.__unraisablehook__
    root = logging.getLogger()  # and logging as a fresh process has it (pytest's handler on the root logger made the
    logged = root.handlers[:], root.level, logging._warnings_showwarning  # snippet's basicConfig do nothing)
    root.handlers[:], logging._warnings_showwarning = [], None
    root.setLevel(logging.WARNING)
    recursion = sys.getrecursionlimit()  # (a snippet may set it: the next test gets it back)
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")  # (its globals' module, as `python FILE` has it: pickle
    # finds the snippet's classes there)
    sys.modules["__main__"].__dict__.update(plain.namespace)
    plain.namespace = sys.modules["__main__"].__dict__
    sys.argv = [ORACLE_FILE]  # (as `python FILE` has it, not pytest's arguments)
    asyncio._set_running_loop(None)  # (as `python FILE` has it: not the loop Playwright's tests left running here)
    if note_gradients:  # threads the snippet starts note their gradients too
        threading.setprofile(lambda *_: (sys.setprofile(None), torch._C._push_on_torch_function_stack(mode)))
    printed = dict(torch._tensor_str.get_printoptions())  # (a fresh process's, as a capture's run has them)
    torch.set_printoptions(profile="default")
    real_stdout = sys.__stdout__  # (`sys.stdout = sys.__stdout__` restores what the snippet printed to, as there)
    sys.__stdout__ = stdout
    try:
        with contextlib.redirect_stdout(stdout), as_plain, hops_plain, mode, warnings.catch_warnings():
            python_default_filters()  # (pytest here makes warnings errors)
            warnings.showwarning = show_as_python  # (pytest here records them)
            # (in a context of its own, as a fresh process starts: numpy's print options are a context variable, and
            # a snippet's np.set_printoptions(precision=3) printed the next test's arrays that way here, not in the
            # capture's thread)
            contextvars.Context().run(exec, compile(code, ORACLE_FILE, "exec"), plain.namespace)
    except SystemExit as exc:  # sys.exit(): plain Python ends there, an error only with a nonzero code
        if not (exc.code is None or (issubclass(type(exc.code), int) and int.__eq__(exc.code, 0) is True)):
            lines_seen = [f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == ORACLE_FILE]
            plain.error = ("SystemExit", lines_seen[-1] if lines_seen else None)
    except Exception as exc:
        lines_seen = [f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == ORACLE_FILE]
        if isinstance(exc, SyntaxError) and exc.filename == ORACLE_FILE:  # (Python reports where it could not parse)
            lines_seen.append(exc.lineno)
        plain.error = (type(exc).__name__, lines_seen[-1] if lines_seen else None)
    finally:
        if isinstance(mode, NoteReceivedGradients):
            mode.let_go()
        sys.__stdout__ = real_stdout
        torch.set_printoptions(**printed)
        threading.setprofile(in_threads)
        threading.excepthook, sys.unraisablehook = excepthook, unraisable
        root.handlers[:], logging._warnings_showwarning = logged[0], logged[2]
        root.setLevel(logged[1])
        sys.setrecursionlimit(recursion)
        sys.modules["__main__"] = main
        sys.argv = argv
        asyncio._set_running_loop(loop)
        torch.set_grad_enabled(grad_enabled)
        torch.set_default_dtype(dtype)
        torch.set_anomaly_enabled(*anomaly)
    if not stdout.closed:  # (`sys.stdout.close()`: closed, as a process's own stream, what it held kept)
        stdout.flush()
    plain.stdout = written.written().decode("utf-8")
    return plain


class KeptBytes(io.BytesIO):
    """The bytes under the plain run's standard output, kept when the snippet closes the stream over them."""

    kept = b""

    def close(self) -> None:
        if not self.closed:
            self.kept = self.getvalue()
        super().close()

    def written(self) -> bytes:
        return self.kept if self.closed else self.getvalue()


def python_default_filters() -> None:
    """The warning filters `python FILE` starts with: a warning is shown once per line (on standard error, which a
    snippet may point at standard output, or log with logging.captureWarnings), deprecation warnings only the
    snippet's own."""
    warnings.resetwarnings()
    warnings.filterwarnings("default", category=DeprecationWarning, module="__main__")
    for category in (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning):
        warnings.simplefilter("ignore", category, append=True)


def show_as_python(message, category, filename, lineno, file=None, line=None) -> None:
    """How `python FILE` shows a warning: on standard error, as it is when the warning comes."""
    (file or sys.stderr).write(warnings.formatwarning(message, category, filename, lineno, line))


def flat(data) -> list:
    if isinstance(data, list):
        return [v for item in data for v in flat(item)]
    return [data]


def assert_close(summary: dict | None, tensor: torch.Tensor | None, what: str):
    """A captured Summary equals a torch tensor (values, shape, dtype)."""
    if tensor is None:
        assert summary is None, f"{what}: torch has None, gradwalk shows {summary}"
        return
    assert summary is not None, f"{what}: torch has {tensor}, gradwalk shows None"
    if tensor.is_nested:  # (no one shape: gradwalk must say it is a nested tensor of so many pieces, not guess)
        assert summary.get("unreadable") == NESTED and summary["shape"] == [tensor.size(0)], f"{what}: {summary}"
        return
    assert summary["shape"] == list(tensor.shape), what
    if tensor.is_meta:  # (torch has no values to compare: gradwalk must say it is a meta tensor, not guess)
        assert summary["data"] is None and summary.get("unreadable") == META, f"{what}: a meta tensor shows {summary}"
        return
    if runs_own_dispatch(tensor):  # (its values are the snippet's code's to give: gradwalk must say so, not read)
        assert summary["data"] is None and summary.get("unreadable") == OWN_DISPATCH[0], f"{what}: {summary}"
        return
    if runs_python_dispatch(tensor):  # (torch's own: a MaskedTensor with no entry masked out shows its data)
        if type(tensor) is not MaskedTensor or tensor.is_sparse or not tensor.get_mask().all():
            assert summary["data"] is None and summary.get("unreadable") == TORCH_SUBCLASS, f"{what}: {summary}"
            return
        tensor = tensor.get_data()
    if summary.get("unreadable") == UNSET:  # (torch.empty's memory, unwritten: torch holds leftovers, not values)
        assert summary["data"] is None, f"{what}: {summary}"
        return
    assert not summary["truncated"], f"{what}: raise max_elements for the comparison"
    assert not summary.get("unreadable"), f"{what}: gradwalk could not read it ({summary['unreadable']})"
    if tensor.layout is not torch.strided:  # (sparse: gradwalk shows it dense)
        tensor = tensor.to_dense()
    if tensor.is_quantized:  # (gradwalk shows the real numbers it stands for, as print does)
        tensor = tensor.dequantize()
    if tensor._is_zerotensor():  # (the zeros autograd gives without memory: `sgn`'s gradient, taken over as .grad)
        tensor = torch.zeros(tensor.shape, dtype=tensor.dtype)
    expected = [complex(v) for v in tensor.detach().reshape(-1).tolist()]
    got = [float(v) for v in flat(summary["data"])]
    if tensor.is_complex():
        expected = [part for v in expected for part in (v.real, v.imag)]
    else:
        expected = [v.real for v in expected]
    assert len(got) == len(expected), what
    for g, e in zip(got, expected, strict=True):
        assert math.isclose(g, e, rel_tol=1e-4, abs_tol=1e-5) or (math.isnan(g) and math.isnan(e)), (
            f"{what}: gradwalk {got} != torch {expected}"
        )


def named_tensors(namespace: dict) -> dict[str, torch.Tensor]:
    """The tensors the snippet left bound at its top level, by the names gradwalk must give them: plain names,
    the items of lists, tuples and dicts (`parts[0]`, `results['grad']`), and the parameters and buffers of
    modules by qualified name (`model.fc1.weight`). An item under a key of the snippet's own class is not named
    after it (its repr is the snippet's code, which observing must not run)."""
    named: dict[str, torch.Tensor] = {}
    for name, value in namespace.items():
        if type(name) is not str or name.startswith("__"):  # (a key of the snippet's own put in `globals()`)
            continue
        if isinstance(value, torch.Tensor):
            named[name] = value
        elif isinstance(value, nn.Module):
            named.update(_module_tensors(name, value))
        elif isinstance(value, CONTAINERS):
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(item, torch.Tensor) and type(key) in (str, int, bool, float, type(None)):
                    named[f"{name}[{key!r}]"] = item
                elif isinstance(item, CONTAINERS):  # a path two steps deep: `history['losses'][0]`
                    named.update(_items(f"{name}[{key!r}]", item))
        elif _own_object(value):  # the snippet's dataclass, config class or namespace: `state.weight`
            for attr, item in _attributes(value).items():
                if isinstance(item, torch.Tensor) and not attr.startswith("__"):
                    named[f"{name}.{attr}"] = item
    return named


def _listed_modules_tensors(namespace: dict) -> dict[str, torch.Tensor]:
    """The parameters and buffers of the modules in top-level lists, tuples and dicts, by their path
    (`layers[0].weight`): names that may label them (a module also bound to a plain name may go by that one)."""
    named: dict[str, torch.Tensor] = {}
    for name, value in namespace.items():
        if isinstance(value, CONTAINERS) and not name.startswith("__"):
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(item, nn.Module) and type(key) in (str, int):
                    named.update(_module_tensors(f"{name}[{key!r}]", item))
    return named


def _items(name: str, container) -> dict[str, torch.Tensor]:
    items = container.items() if isinstance(container, dict) else enumerate(container)
    return {f"{name}[{key!r}]": item for key, item in items if isinstance(item, torch.Tensor)}


def _own_object(value) -> bool:
    """An object or class the snippet defined (not a module), or a namespace: its attributes are named."""
    if isinstance(value, type):
        return value.__module__ == "__main__" and not issubclass(value, nn.Module)
    if isinstance(value, (types.SimpleNamespace, argparse.Namespace)):
        return True
    return type(value).__module__ == "__main__" and not isinstance(value, nn.Module)


def _attributes(value) -> dict:
    """An object's attributes: those in its `__dict__` and those in its slots (`@dataclass(slots=True)`)."""
    found = {
        name: getattr(value, name)
        for cls in type(value).__mro__
        for name, slot in vars(cls).items()
        if isinstance(slot, types.MemberDescriptorType) and not name.startswith("__") and hasattr(value, name)
    }
    return {**found, **vars(value)} if hasattr(value, "__dict__") else found


def _module_tensors(name: str, module: nn.Module) -> dict[str, torch.Tensor]:
    tensors = dict(module.named_parameters(prefix=name))
    tensors.update(module.named_buffers(prefix=name))
    for path, sub in module.named_modules(prefix=name):  # tensors kept as plain attributes: `model.hidden`
        tensors.update(
            {f"{path}.{k}": v for k, v in vars(sub).items() if isinstance(v, torch.Tensor) and not k.startswith("_")}
        )
    return tensors


def reachable_names(root) -> tuple[Counter, int]:
    """Names of the autograd nodes reachable from `root`, and the number of edges among them."""
    seen, stack, edges = {root}, [root], 0
    while stack:
        for node, _ in stack.pop().next_functions:
            if node is not None:
                edges += 1
                if node not in seen:
                    seen.add(node)
                    stack.append(node)
    return Counter(node_name(n) for n in seen), edges


def node_name(node) -> str:
    """A node's class name, or for C++ nodes without a Python class of their own, their name() without its
    C++ namespaces."""
    name = type(node).__name__
    if name == "CppFunction":
        name = node.name().rsplit("::", 1)[-1]
    return name


def captured_reachable(run: dict, root_id: str) -> tuple[Counter, int]:
    nodes = {n["id"]: n for n in run["backward"]["nodes"]}
    out: dict[str, list[str]] = {}
    for edge in run["backward"]["edges"]:
        out.setdefault(edge["source"], []).append(edge["target"])
    seen, stack, edges = {root_id}, [root_id], 0
    while stack:
        for target in out.get(stack.pop(), []):
            edges += 1
            if target not in seen:
                seen.add(target)
                stack.append(target)
    return Counter(nodes[i]["name"] for i in seen), edges


def last_node_named(run: dict, var: str) -> dict | None:
    found = [n for n in run["forward"]["nodes"] if n["kind"] == "tensor" and n["var"] == var]
    return found[-1] if found else None


def last_node_called(run: dict, name: str) -> dict | None:
    """The last tensor node labelled `name` (its `var`), else the last that lists it among its `aliases`."""
    return last_node_named(run, name) or next(
        (n for n in reversed(run["forward"]["nodes"]) if n["kind"] == "tensor" and name in n["aliases"]), None
    )


def check_against_torch(run: dict, source: str) -> int:
    """Every tensor the snippet left bound at its top level is in the graph under that name, with torch's value
    and gradient and the backward graph under it; its node's `var` is one of its top-level names (a name it had
    only inside a function is at most an alias). Returns how many tensors were compared."""
    plain = run_plain(source)
    named = named_tensors(plain.namespace)
    top_names: dict[int, set[str]] = {}
    for name, tensor in named.items():
        top_names.setdefault(id(tensor), set()).add(name)
    for name, tensor in _listed_modules_tensors(plain.namespace).items():  # (may label, need not: `layers[0].weight`)
        top_names.setdefault(id(tensor), set()).add(name)
    compared = 0
    for name, tensor in named.items():
        node = last_node_called(run, name)
        assert node is not None, f"no node is called {name}"
        assert node["var"] in top_names[id(tensor)], f"{name} is labelled {node['var']}"
        compared += 1
        assert_close(node["value"], tensor, f"value of {name}")
        grad_fn = _grad_fn(tensor)
        if tensor.requires_grad and grad_fn is None:
            assert_close(node["grad"], tensor.grad, f"grad of {name}")
        elif grad_fn is not None:
            received = plain.received.get((grad_fn, tensor.output_nr))
            assert_close(node["grad"], received, f"gradient that flowed into {name}")
        if grad_fn is not None:
            assert node["grad_fn"] is not None, f"{name} lost its grad_fn"
            assert captured_reachable(run, node["grad_fn"]) == reachable_names(grad_fn), f"backward graph under {name}"
    return compared


def _grad_fn(tensor: torch.Tensor):
    """The tensor's grad_fn, or None where torch refuses to say (a view made under no_grad whose base changed in place
    since: `grad_fn` and `is_leaf` raise; no gradient can flow through it, and its `.grad` is what it holds)."""
    try:
        return tensor.grad_fn
    except RuntimeError:
        return None


def check_output_and_error(run: dict, source: str) -> None:
    """The Run printed what plain Python prints, and ended as it ends: the same exception on the same line."""
    plain = run_plain(source, note_gradients=False)
    assert run["stdout"] == plain.stdout.replace(ORACLE_FILE, SNIPPET_FILE)  # (a warning says its file)
    if plain.error is None:
        assert run["status"] == "ok", run["error"]
    else:
        assert run["status"] == "error"
        assert (run["error"]["type"], run["error"]["line"]) == plain.error


def check_consistency(run: dict):
    """Internal laws of the backward graph: an edge carries what its source produced for it, and what a
    node received is the sum of what flowed in along its edges (within one pass) and of its seed."""
    nodes = {n["id"]: n for n in run["backward"]["nodes"]}
    incoming: dict[tuple[str, int], list] = {}
    for edge in run["backward"]["edges"]:
        source = nodes[edge["source"]]
        incoming.setdefault((edge["target"], edge["input_nr"]), []).append((source, edge["grad"]))
    for (target_id, slot), flows in incoming.items():
        target = nodes[target_id]
        if target["order"] is None or any(s["backward_pass"] != target["backward_pass"] for s, _ in flows):
            continue
        # (in the order autograd added them up: the backward call's seed first, then as their sources ran; a
        # half-precision sum rounds differently in another order)
        ran = sorted(flows, key=lambda flow: flow[0]["order"] if flow[0]["order"] is not None else -1)
        grads = [g for _, g in ran if g is not None]
        seed = (target.get("seed") or [None] * (slot + 1))[slot]  # what the backward call itself gave it
        grads = ([seed] if seed is not None else []) + grads
        # (a value cut to its first entries, or to statistics once the run's value budget ran out, cannot be summed)
        if not grads or any(g.get("unreadable") or g.get("truncated") for g in grads):
            continue
        if slot >= len(target["grad_out"]) or target["grad_out"][slot] is None:
            continue
        if target["grad_out"][slot].get("unreadable") or target["grad_out"][slot].get("truncated"):
            continue
        # summed as autograd sums them: in the gradient's own dtype, so that a half-precision sum rounds as torch's
        # did (every value shown is exact in float64; other dtypes are summed in float64)
        shown_dtype = target["grad_out"][slot].get("dtype")
        dtype = getattr(torch, shown_dtype) if shown_dtype in ("bfloat16", "float16") else torch.float64
        # (float() reads the "nan" and "inf" the JSON holds for non-finite values)
        total = sum(torch.tensor([float(v) for v in flat(g["data"])], dtype=torch.float64).to(dtype) for g in grads)
        received = torch.tensor([float(v) for v in flat(target["grad_out"][slot]["data"])], dtype=torch.float64)
        assert torch.allclose(total.double(), received, rtol=1e-4, atol=1e-5, equal_nan=True), (
            f"{target['name']} slot {slot}"
        )
