"""A whole graph explained, in plain torch: the model of what the capture engine's export does.

`Tape` watches autograd nodes the way the recorder does: as soon as a tensor with a `grad_fn` appears it walks
the new nodes (iteratively), reads each one's saved values by name (`_saved_*`, before backward frees them)
and hooks it with a post hook that keeps the gradients it received (`grad_outputs`) and sent (`grad_inputs`).
After backward, `explain()` calls `explain_node` once per node with exactly those values. `Watch` is a torch
function mode that feeds every new tensor (and every backward root) to a tape.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import torch
from torch import Tensor
from torch.overrides import TorchFunctionMode

from .node import explain_node

LAYOUT_ONLY = ("_sym_strides", "_sym_storage_offset")  # as the recorder: memory layout is not kept


def read_saved(node) -> dict:
    """A node's saved values by name (`self`, `exponent`...), as the recorder reads them; a custom Function's
    `saved_tensors` under that name. Empty once backward freed them."""
    saved = {}
    try:
        for attr in dir(node):
            if attr.startswith("_saved_") and not attr.endswith(LAYOUT_ONLY):
                saved[attr.removeprefix("_saved_")] = getattr(node, attr)
        if hasattr(node, "saved_tensors"):
            saved["saved_tensors"] = node.saved_tensors
    except RuntimeError:  # already freed
        return {}
    return saved


@dataclass
class NodeRecord:
    node: object
    name: str
    saved: dict
    grad_inputs: tuple | None = None
    grad_outputs: tuple | None = None
    task: int | None = None  # the backward pass (graph task) that last ran it
    explain: dict | None = field(default=None)
    labels: list = field(default_factory=list)  # the snippet's name of each slot's forward input


def _copy(grads) -> tuple:
    return tuple(None if g is None else g.detach().clone() for g in grads)


class Tape:
    """The autograd nodes seen, with what a recorder keeps of each."""

    def __init__(self):
        self.records: dict[object, NodeRecord] = {}

    def watch(self, tensor: Tensor) -> None:
        """Record and hook every node reachable from `tensor.grad_fn` not seen yet."""
        stack = [tensor.grad_fn]
        while stack:
            node = stack.pop()
            if node is None or node in self.records:
                continue
            record = self.records[node] = NodeRecord(node, type(node).__name__, read_saved(node))
            node.register_hook(self._hook(record))
            stack.extend(next_node for next_node, _ in node.next_functions)

    @staticmethod
    def _hook(record: NodeRecord):
        def keep(grad_inputs, grad_outputs):
            record.grad_inputs, record.grad_outputs = _copy(grad_inputs), _copy(grad_outputs)
            record.task = torch._C._current_graph_task_id()

        return keep

    def explain(self, namespace: Mapping[str, object] | None = None, max_elements: int = 64) -> list[NodeRecord]:
        """Explain every node (names from `namespace`: the snippet's top-level tensors); returns the records."""
        names = Names(namespace or {})
        incoming = self._incoming()
        for record in self.records.values():
            node = record.node
            slots = len(node.next_functions)
            grad_inputs = record.grad_inputs if record.grad_inputs is not None else (None,) * slots
            grad_outputs = record.grad_outputs if record.grad_outputs is not None else (None,)
            inputs = [names.tensor(n, nr) for n, nr in node.next_functions]
            labels = [names.name(n, nr) for n, nr in node.next_functions]
            if record.name == "AccumulateGrad":
                inputs, labels = [node.variable], [names.leaf(node.variable)]
            record.labels = labels
            record.explain = explain_node(
                record.name,
                grad_outputs,
                grad_inputs,
                record.saved,
                inputs,
                [names.ident(t) for t in inputs],
                labels,
                max_elements,
                output_name=labels[0] if record.name == "AccumulateGrad" else names.name(node, 0),
                incoming=incoming.get(node, []),
                user_function=isinstance(node, torch.autograd.function.BackwardCFunction),
                avoid=names.used,
            )
        return list(self.records.values())

    def _incoming(self) -> dict[object, list]:
        """For each node, (label, gradient) of every edge into it from a node that ran in the same pass."""
        found: dict[object, list] = {}
        for record in self.records.values():
            for slot, (target, _) in enumerate(record.node.next_functions):
                if target is None or record.grad_inputs is None:
                    continue
                target_record = self.records.get(target)
                if target_record is None or target_record.task != record.task:
                    continue
                found.setdefault(target, []).append((f"{record.name} slot {slot}", record.grad_inputs[slot]))
        return found


class Names:
    """The snippet's names for tensors: leaves by identity, others by (grad_fn, output_nr)."""

    def __init__(self, namespace: Mapping[str, object]):
        self.leaves: dict[int, tuple[str, Tensor]] = {}
        self.made: dict[tuple[object, int], tuple[str, Tensor]] = {}
        self.used = {key for key in namespace if not key.startswith("_")}
        self.ids: dict[int, str] = {}
        for key, value in namespace.items():
            if isinstance(value, torch.nn.Module):
                for pname, parameter in value.named_parameters(prefix=key):
                    self.leaves.setdefault(id(parameter), (pname, parameter))
            elif isinstance(value, Tensor) and not key.startswith("_"):
                if value.grad_fn is not None:
                    self.made.setdefault((value.grad_fn, value.output_nr), (key, value))
                else:
                    self.leaves.setdefault(id(value), (key, value))

    def ident(self, tensor: Tensor | None) -> str | None:
        """A forward tensor id (`t0`, `t1`...) for a tensor, as the Run names tensor nodes."""
        if tensor is None:
            return None
        return self.ids.setdefault(id(tensor), f"t{len(self.ids)}")

    def leaf(self, tensor: Tensor) -> str | None:
        found = self.leaves.get(id(tensor))
        return found[0] if found else None

    def _find(self, node, output_nr: int) -> tuple[str, Tensor] | None:
        if node is None:
            return None
        if type(node).__name__ == "AccumulateGrad":
            return self.leaves.get(id(node.variable)) or (None, node.variable)
        return self.made.get((node, output_nr))

    def name(self, node, output_nr: int) -> str | None:
        found = self._find(node, output_nr)
        return found[0] if found else None

    def tensor(self, node, output_nr: int) -> Tensor | None:
        found = self._find(node, output_nr)
        return found[1] if found else None


class Watch(TorchFunctionMode):
    """Feeds every tensor a torch call makes, and every root handed to backward, to `tape`."""

    def __init__(self, tape: Tape):
        super().__init__()
        self.tape = tape

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if getattr(func, "__name__", "") in ("backward", "grad"):
            for tensor in _tensors(args, kwargs):
                if tensor.grad_fn is not None:
                    self.tape.watch(tensor)
        result = func(*args, **kwargs)
        if torch.is_grad_enabled():  # (no graph is built otherwise)
            for tensor in _tensors((result,), {}):
                try:
                    made = tensor.grad_fn is not None
                except RuntimeError:  # a view made under no_grad and changed in place since: no node to read
                    continue
                if made:
                    self.tape.watch(tensor)
        return result


def _tensors(args: Iterable, kwargs: Mapping) -> list[Tensor]:
    found, stack = [], [*args, *kwargs.values()]
    while stack:
        item = stack.pop()
        if isinstance(item, Tensor):
            found.append(item)
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return found
