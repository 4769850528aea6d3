"""Turns a finished Recorder into the forward and backward graphs of the Run JSON (plain dicts)."""

import torch

from .record import OpRecord, Recorder, TensorRecord, version_of


def _data_key(tensor: torch.Tensor) -> tuple | None:
    """What a tensor holds (memory, shape, strides, dtype, version): two tensor objects on the same data agree."""
    try:
        return (tensor.data_ptr(), tensor.shape, tensor.stride(), tensor.dtype, tensor._version)
    except RuntimeError:  # no storage or version to name (sparse, nested, inference)
        return None


class _Saved:
    """Turns an autograd node's saved values into SavedValue dicts, naming the forward tensor a saved tensor is:
    the same object, or another object on the same data (autograd hands out a new one for a saved output)."""

    def __init__(self, recorder: Recorder):
        self.recorder = recorder
        self.by_data: dict | None = None  # data key -> newest record, built at the first saved output

    def _record_of(self, tensor: torch.Tensor) -> TensorRecord | None:
        record = self.recorder.latest.get(id(tensor))
        if record is not None:
            return record if record.version == version_of(tensor) else None
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
            if isinstance(value, (tuple, list)) and value and all(isinstance(v, torch.Tensor) for v in value):
                items = [(f"{name}[{i}]", v) for i, v in enumerate(value)]
            else:
                items = [(name, value)]
            for item_name, item in items:
                if isinstance(item, torch.Tensor):
                    record = self._record_of(item)
                    value = self.recorder.summaries(item) if record is None else record.value
                    entries.append({"name": item_name, "tensor": record and record.id, "value": value, "repr": None})
                else:
                    entries.append({"name": item_name, "tensor": None, "value": None, "repr": repr(item)[:200]})
        return entries


def export_graphs(recorder: Recorder) -> tuple[dict, dict]:
    """The forward and backward graphs as dicts shaped like `app.graph.Graph`."""
    summary = recorder.summaries
    backward_ids = {node: record.id for node, record in recorder.backward.items()}
    accumulators: dict[int, str] = {}  # id(leaf tensor) -> its AccumulateGrad node id
    for node, record in recorder.backward.items():
        if record.name == "AccumulateGrad":
            accumulators[id(node.variable)] = record.id
        # the gradients it kept, as summaries (once each: tensor nodes and edges share them)
        record.grad_in = [summary(g) for g in record.grad_in] if record.grad_in is not None else []
        record.grad_out = [summary(g) for g in record.grad_out] if record.grad_out is not None else []

    saved_entries = _Saved(recorder)
    forward_nodes, forward_edges = [], []
    owner: dict[str, str] = {}  # backward node id -> the forward tensor it belongs to
    for record in recorder.forward:
        if isinstance(record, OpRecord):
            forward_nodes.append(
                {
                    "id": record.id,
                    "kind": "op",
                    "op": record.op,
                    "line": record.line,
                    "module": record.module,
                    "calls": record.calls,
                    "no_grad": record.no_grad,
                    "cut": any(r.requires_grad for r in record.inputs)
                    and not any(r.requires_grad for r in record.outputs),
                }
            )
            forward_edges += [{"source": r.id, "target": record.id} for r in record.inputs]
            forward_edges += [{"source": record.id, "target": r.id} for r in record.outputs]
            continue
        forward_nodes.append(_tensor_node(record, recorder, backward_ids, accumulators, summary))
        link = forward_nodes[-1]["grad_fn"] or forward_nodes[-1]["grad_accumulator"]
        if link is not None and (link not in owner or record.id == recorder.latest[id(record.tensor)].id):
            owner[link] = record.id

    backward_nodes, backward_edges = [], []
    for record in recorder.backward.values():
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
        for k, (target, input_nr) in enumerate(record.next):
            if target is None or target not in backward_ids:
                continue  # no gradient flows there, or the graph was capped before reaching it
            grad = grad_in[k] if k < len(grad_in) else None
            backward_edges.append(
                {"source": record.id, "target": backward_ids[target], "input_nr": input_nr, "grad": grad}
            )
    summary.flush()  # fills in, in place, every summary dict handed out above
    return ({"nodes": forward_nodes, "edges": forward_edges}, {"nodes": backward_nodes, "edges": backward_edges})


def _tensor_node(record: TensorRecord, recorder: Recorder, backward_ids, accumulators, summary) -> dict:
    tensor = record.tensor
    grad = None
    if record.is_leaf:
        if record.requires_grad and tensor.is_leaf:
            grad = summary(tensor.grad)  # leaves: the final accumulated .grad
    elif record.grad_fn in recorder.backward:
        grads = recorder.backward[record.grad_fn].grad_out  # what flowed in during the last pass that ran it
        if record.output_nr < len(grads):
            grad = grads[record.output_nr]
    value = record.value = summary(tensor, record.version)
    return {
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
        "grad_fn": backward_ids.get(record.grad_fn) if record.grad_fn is not None else None,
        "grad_accumulator": accumulators.get(id(tensor)) if record.is_leaf else None,
    }
