"""Turns a finished Recorder into the forward and backward graphs of the Run JSON (plain dicts)."""

import torch
from torch import Tensor

from .record import OpRecord, Recorder, TensorRecord, version_of


def _data_key(tensor: torch.Tensor) -> tuple | None:
    """What a tensor holds (memory, shape, strides, dtype, version): two tensor objects on the same data agree."""
    try:
        return (tensor.data_ptr(), tensor.shape, tensor.stride(), tensor.dtype, tensor._version)
    except RuntimeError:  # no storage or version to name (sparse, nested, inference)
        return None


class _Saved:
    """Turns an autograd node's saved values into SavedValue dicts, naming the forward tensor a saved tensor is:
    the same object; or, for a saved output (autograd hands out a new object for it), the tensor that node made;
    or another object on the same data."""

    def __init__(self, recorder: Recorder, outputs: dict):
        self.recorder = recorder
        self.outputs = outputs  # (autograd node, output_nr) -> the record of the tensor it made
        self.by_data: dict | None = None  # data key -> newest record, built at the first other saved tensor

    def _record_of(self, tensor: torch.Tensor) -> TensorRecord | None:
        record = self.recorder.latest.get(id(tensor))
        if record is not None:
            return record if record.version == version_of(tensor) else None
        if tensor.grad_fn is not None:  # a saved output, or a tensor made inside an op (weight.t() in linear)
            record = self.outputs.get((tensor.grad_fn, tensor.output_nr))
            return record if record is not None and record.version == version_of(tensor) else None
        if self.by_data is None:
            self.by_data = {}
            for record in self.recorder.latest.values():
                if record.version == version_of(record.tensor):
                    self.by_data.setdefault(_data_key(record.tensor), record)
            self.by_data.pop(None, None)
        key = _data_key(tensor)
        return None if key is None else self.by_data.get(key)

    def __call__(self, saved: dict | None) -> list | None:
        if not saved:
            return None if saved is None else []
        entries = []
        for name, value in saved.items():
            if isinstance(value, Tensor):
                entries.append(self._entry(name, value))
            elif isinstance(value, (tuple, list)) and value and isinstance(value[0], Tensor):
                if all(isinstance(v, Tensor) for v in value):
                    entries += [self._entry(f"{name}[{i}]", v) for i, v in enumerate(value)]
                else:
                    entries.append({"name": name, "tensor": None, "value": None, "repr": _repr(value)})
            else:  # sizes, scalars, flags: as text
                entries.append({"name": name, "tensor": None, "value": None, "repr": _repr(value)})
        return entries

    def _entry(self, name: str, tensor: Tensor) -> dict:
        record = self._record_of(tensor)
        if record is None:
            return {"name": name, "tensor": None, "value": self.recorder.summaries(tensor), "repr": None}
        return {"name": name, "tensor": record.id, "value": record.value, "repr": None}


_reprs: dict = {}  # (type, value) -> its repr, for the few saved attribute values a graph repeats (alpha=1)


def _repr(value) -> str:
    try:
        return _reprs[type(value), value]
    except KeyError:
        text = _reprs[type(value), value] = repr(value)[:200]
        if len(_reprs) > 4096:
            _reprs.clear()
        return text
    except TypeError:  # unhashable
        return repr(value)[:200]


def export_graphs(recorder: Recorder) -> tuple[dict, dict]:
    """The forward and backward graphs as dicts shaped like `app.graph.Graph`."""
    summary = recorder.summaries
    made = summary.made.get if not summary.frozen else lambda _: None  # a summary already made, by id
    backward_ids = {}
    accumulators: dict[int, str] = {}  # id(leaf tensor) -> its AccumulateGrad node id
    for node, record in recorder.backward.items():
        backward_ids[node] = record.id
        if record.name == "AccumulateGrad":
            accumulators[id(node.variable)] = record.id
        # the gradients it kept, as summaries (once each: tensor nodes and edges share them; most gradients
        # reach two nodes, so the second asks `made` directly unless some tensor was copied before a change)
        grads = record.grad_in
        record.grad_in = [made(id(g)) or summary(g) for g in grads] if grads else []
        grads = record.grad_out
        record.grad_out = [made(id(g)) or summary(g) for g in grads] if grads else []

    forward_nodes, forward_edges = [], []
    latest = recorder.latest
    backward = recorder.backward
    owner: dict[str, str] = {}  # backward node id -> the forward tensor it belongs to
    made_by: dict[tuple, TensorRecord] = {}  # (autograd node, output_nr) -> the tensor it made (as for owner)
    for record in recorder.forward:
        if record.__class__ is OpRecord:
            target = record.id
            wanted = carried = False  # whether an input wants a gradient, and whether an output carries one
            for r in record.inputs:
                wanted = wanted or r.requires_grad
                forward_edges.append({"source": r.id, "target": target})
            for r in record.outputs:
                carried = carried or r.requires_grad
                forward_edges.append({"source": target, "target": r.id})
            forward_nodes.append(
                {
                    "id": target,
                    "kind": "op",
                    "op": record.op,
                    "line": record.line,
                    "module": record.module,
                    "calls": record.calls,
                    "no_grad": record.no_grad,
                    "cut": wanted and not carried,
                }
            )
            continue
        tensor, grad_fn = record.tensor, record.grad_fn
        grad = grad_fn_id = accumulator = None
        if record.is_leaf:
            if record.requires_grad and tensor.is_leaf:
                grad = summary(tensor.grad)  # leaves: the final accumulated .grad
            accumulator = accumulators.get(id(tensor))
        elif grad_fn is not None:
            node = backward.get(grad_fn)
            if node is not None:
                grads = node.grad_out  # what flowed in during the last pass that ran it
                if record.output_nr < len(grads):
                    grad = grads[record.output_nr]
        if grad_fn is not None:
            grad_fn_id = backward_ids.get(grad_fn)
        value = record.value = summary(tensor, record.version)
        forward_nodes.append(
            {
                "id": record.id,
                "kind": "tensor",
                "var": record.var,
                "line": record.line,
                "shape": value["shape"],
                "dtype": value["dtype"],
                "requires_grad": record.requires_grad,
                "is_leaf": record.is_leaf,
                "version": record.version,
                "value": value,
                "grad": grad,
                "grad_fn": grad_fn_id,
                "grad_accumulator": accumulator,
            }
        )
        link = grad_fn_id or accumulator
        if link is not None and (link not in owner or latest[id(tensor)] is record):
            owner[link] = record.id
        if grad_fn_id is not None:
            output = (grad_fn, record.output_nr)
            if output not in made_by or latest[id(tensor)] is record:
                made_by[output] = record

    saved_entries = _Saved(recorder, made_by)

    backward_nodes, backward_edges = [], []
    for record in backward.values():
        grad_in = record.grad_in
        backward_nodes.append(
            {
                "id": record.id,
                "kind": "grad_fn",
                "name": record.name,
                "tensor": owner.get(record.id),
                "grad_in": grad_in,
                "grad_out": record.grad_out,
                "order": record.order,
                "backward_pass": record.backward_pass,
                "saved": saved_entries(record.saved),
            }
        )
        source = record.id
        for k, (target, input_nr) in enumerate(record.next):
            target_id = backward_ids.get(target) if target is not None else None
            if target_id is None:
                continue  # no gradient flows there, or the graph was capped before reaching it
            grad = grad_in[k] if k < len(grad_in) else None
            backward_edges.append({"source": source, "target": target_id, "input_nr": input_nr, "grad": grad})
    summary.flush()  # fills in, in place, every summary dict handed out above
    return ({"nodes": forward_nodes, "edges": forward_edges}, {"nodes": backward_nodes, "edges": backward_edges})
