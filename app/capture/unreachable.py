"""Graphs no backward pass can run through any more, let go of as plain Python lets go of them.

The recorder holds every autograd node it walked (its records are keyed by them), and a node holds what its op
saved for backward. A loop that builds a graph each step and never runs backward through it (an evaluation
without `no_grad`: `out = model(x)`, then only `out.argmax(1)`) frees each step's graph in plain Python as soon as
`out` is bound to the next step's; held by the recorder, every step's saved activations stayed, and the run needed
three times plain Python's memory. So when the values gradwalk holds pass GRADWALK_KEEP_VALUES_MB, the nodes that
never ran and that no tensor the snippet can still reach leads to are swapped for stand-ins (`Gone`: name, place,
shapes, no saved values); the tensors they made that only gradwalk held become detached views (the same memory and
version, no graph); and what the nodes saved is then summarised like any value nothing but gradwalk holds
(values.py `let_go`). The Run shows the same nodes, values and names.

Reachable are the graphs of every tensor gradwalk knows that something else holds too (a name, a list, a frame, a
module's attribute: its reference count says so), of a leaf's `.grad` made with `create_graph`, and of a tensor
it cannot look at plainly (a subclass, a torch.func wrapper). A tensor gradwalk never saw (made while the recording
paused) may lead to nodes walked before that pause: those stay.
"""

import sys
from collections import Counter
from typing import Any, NamedTuple

import torch
from torch._C import TensorBase  # (its methods: a wrapper the snippet put on torch.Tensor is never called)

from .torch_internals import DisableFuncTorch, DisableTorchDispatch, DisableTorchFunction, held_in_cpp, is_wrapped
from .values import Kept, Values, data_key, grad_fn_of

PLAIN_TENSOR = torch.Tensor


class Shape(NamedTuple):
    """What `_input_metadata` tells of one of a node's outputs (see torch_internals.gradient_shape)."""

    shape: tuple[int, ...]


class Gone:
    """An autograd node let go of: what the Run and the explanations read of it, without the node. Its class is
    named as the node's was (a subclass for each kind: `type(node).__name__` reads the same)."""

    __slots__ = ("_input_metadata", "_name", "_sequence", "next_functions", "variable")

    def __init__(self, node: Any, name: str):
        self._name = name
        self._sequence = node._sequence_nr()
        self.variable = getattr(node, "variable", None)  # (an AccumulateGrad's leaf: the tensor object, not its data)
        try:
            self._input_metadata = tuple(Shape(tuple(meta.shape)) for meta in node._input_metadata)
        except Exception:  # (whatever a node without metadata raises: gradient_shape then says None)
            self._input_metadata = ()
        self.next_functions: tuple = ()

    def _sequence_nr(self) -> int:
        return self._sequence

    def name(self) -> str:
        return self._name


_kinds: dict[str, type[Gone]] = {}


def _gone(node: Any, name: str) -> Gone:
    kind_name = type(node).__name__
    kind = _kinds.get(kind_name)
    if kind is None:
        kind = _kinds[kind_name] = type(kind_name, (Gone,), {"__slots__": ()})
    return kind(node, name)


def let_go_of_unreachable(recorder: Any) -> None:
    """What the recorder (app.capture.record.Recorder) calls before it records a call, once the values held passed
    their room (`Values.unreachable_due`): there no walk is under way, and the call's own tensors are held by it."""
    values: Values = recorder.values
    values.unreachable_due = False
    if recorder.paused or recorder.stopped is not None:
        return
    unrecorded = recorder.backward.unrecorded
    floor = unrecorded[-1][1] if unrecorded else 0  # (the sequence number autograd gave on resuming, last time)
    if swap_unreachable(recorder.backward.records, recorder.forward, values, floor):
        values.let_go()


def let_go_of_accumulators(recorder: Any, leaves: tuple[torch.Tensor, ...]) -> None:
    """Before `torch.utils.swap_tensors` swaps `leaves`: the graphs only gradwalk holds (never run), and the
    AccumulateGrad nodes of `leaves` that never ran and that no graph the snippet can reach leads to, are let go of,
    as plain Python let go of them. Held, such a node holds its leaf's data: the swap, counting the references to it,
    marked the node as one backward must never run, and the leaf's data, swapped into the other tensor, used it again
    (`a*2` printed, then `swap_tensors(a, b)`, then `b` in a loss: backward raised where plain torch runs)."""
    records, values = recorder.backward.records, recorder.values
    unrecorded = recorder.backward.unrecorded
    swap_unreachable(records, recorder.forward, values, unrecorded[-1][1] if unrecorded else 0)
    ids = {id(leaf) for leaf in leaves}
    with DisableTorchFunction(), DisableTorchDispatch(), DisableFuncTorch(), torch.no_grad():
        ours = [
            node
            for node, record in records.items()
            if record.name == "AccumulateGrad" and record.order is None and record.earlier is None
            if not isinstance(node, Gone) and id(getattr(node, "variable", None)) in ids
        ]
        if ours:
            live = _reach(_reachable_roots(values), records)
            _stand_ins(records, {node for node in ours if node not in live})


def swap_unreachable(records: dict[Any, Any], forward: list, values: Values, floor: int) -> int:
    """Swap the nodes of `records` (node -> BackwardRecord) that never ran and that nothing but gradwalk can reach for
    stand-ins, in `records`, in every record's `next` and in the forward tensor records (`forward`); the tensors they
    made become detached views in every kept value naming them (`values.forget` is told their ids), and what those
    nodes saved may be summarised. Nodes autograd numbered below `floor` stay. Returns how many were let go of."""
    candidates = [
        node
        for node, record in records.items()
        if record.order is None
        and record.earlier is None
        and not record.seeds
        and record.later is None
        and record.name != "AccumulateGrad"
        and not isinstance(node, Gone)
    ]
    if not candidates:
        return 0
    with DisableTorchFunction(), DisableTorchDispatch(), DisableFuncTorch(), torch.no_grad():
        live = _reach(_reachable_roots(values), records)
        gone = {node for node in candidates if node not in live and node._sequence_nr() >= floor}
        if not gone:
            return 0
        _detach_tensors(values, gone, records)
        standing = _stand_ins(records, gone)
        for record in forward:
            grad_fn = getattr(record, "grad_fn", None)  # (tensor records: op records have none)
            if grad_fn is not None and grad_fn in standing:
                record.grad_fn = standing[grad_fn]
    return len(standing)


def _only_gradwalk(tensor: torch.Tensor, references: int) -> bool:
    """Whether gradwalk's `references` are all that hold the tensor object (besides getrefcount's argument, and
    torch's own reference while C++ holds the tensor too: a node that saved it, which the graphs decide)."""
    return sys.getrefcount(tensor) == references + 1 + held_in_cpp(tensor)


def _reachable_roots(values: Values) -> list[Any]:
    """The nodes of the tensors gradwalk knows that the snippet can still reach."""
    held = Counter(id(kept.tensor) for kept in values.kept)  # (gradwalk's own references to each tensor)
    roots: list[Any] = []
    seen: set[int] = set()
    for kept in values.kept:
        tensor = kept.tensor
        if id(tensor) in seen:
            continue
        seen.add(id(tensor))
        node = grad_fn_of(tensor)
        if type(tensor) is not PLAIN_TENSOR or is_wrapped(tensor):
            if node is not None:
                roots.append(node)
            continue
        if tensor.requires_grad and (tensor.is_leaf or tensor.retains_grad):  # (its .grad, held in C++)
            grad = tensor.grad
            if grad is not None and (made := grad_fn_of(grad)) is not None:
                roots.append(made)
        # (references: gradwalk's, and `tensor` here and the call's argument)
        if node is not None and not _only_gradwalk(tensor, held[id(tensor)] + 2):
            roots.append(node)
    return roots


def _reach(roots: list[Any], records: dict[Any, Any]) -> set[Any]:
    """Every node the roots lead to, themselves included (without recursion; through a node not walked yet too)."""
    live: set[Any] = set()
    stack = list(roots)
    while stack:
        node = stack.pop()
        if node is None or node in live:
            continue
        live.add(node)
        record = records.get(node)
        following = record.next if record is not None else getattr(node, "next_functions", ())
        stack.extend(target for target, _ in following)
    return live


def _detach_tensors(values: Values, gone: set[Any], records: dict[Any, Any]) -> None:
    """Every kept value naming a tensor made by a node let go of names a detached view of it instead (one view a
    tensor: the saved values that are that tensor still find its forward node), and so does a saved output of such a
    node (autograd keeps it as another tensor object on the same memory); the tensor's id is forgotten."""
    views: dict[int, torch.Tensor] = {}
    for kept in values.kept:
        key = id(kept.tensor)
        view = views.get(key)
        if view is None:
            if grad_fn_of(kept.tensor) not in gone:
                continue
            view = views[key] = TensorBase.detach(kept.tensor)
        kept.tensor = view
    on_data = {held: view for view in views.values() if (held := data_key(view)) is not None}
    for node in gone:
        for _, value in records[node].saved or ():
            if isinstance(value, Kept) and value.live and id(value.tensor) not in views:
                held = data_key(value.tensor)
                view = None if held is None else on_data.get(held)
                if view is not None and type(value.tensor) is PLAIN_TENSOR:
                    value.tensor = view
    for key, view in views.items():
        named = values.copied.pop(key, None)
        if named is not None:
            values.copied[id(view)] = named
        values.forget(key)


def _stand_ins(records: dict[Any, Any], gone: set[Any]) -> dict[Any, Gone]:
    """Swap the nodes let go of for stand-ins in `records`, in its order (the backward nodes' ids and order), and in
    every record's `next`. What they saved may be summarised now: no explanation computes with it, for they never
    ran, and never will."""
    standing: dict[Any, Gone] = {}
    for node in gone:
        record = records[node]
        standing[node] = _gone(node, record.name)
        for _, value in record.saved or ():
            if isinstance(value, Kept):
                value.whole = False
    order = list(records.items())  # (holds every node until all is swapped: freed together, see Values._let_go)
    records.clear()
    for node, record in order:
        if any(target in standing for target, _ in record.next):
            record.next = tuple((standing.get(target, target), nr) for target, nr in record.next)
            if isinstance(node, Gone):  # (let go of before: it would hold the nodes it led to)
                node.next_functions = record.next
        stand_in = standing.get(node)
        if stand_in is not None:
            stand_in.next_functions = record.next
            records[stand_in] = record
        else:
            records[node] = record
    return standing
