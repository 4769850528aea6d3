"""Turns a finished Recorder into the forward and backward graphs of the Run JSON (plain dicts)."""

import torch

from .record import OpRecord, Recorder, TensorRecord, version_of
from .summary import Summaries


def _saved_entries(saved: dict | None, recorder: Recorder, summary: Summaries) -> list | None:
    if saved is None:
        return None
    entries = []
    for name, value in saved.items():
        if isinstance(value, (tuple, list)) and value and all(isinstance(v, torch.Tensor) for v in value):
            items = [(f"{name}[{i}]", v) for i, v in enumerate(value)]
        else:
            items = [(name, value)]
        for item_name, item in items:
            if isinstance(item, torch.Tensor):
                record = recorder.latest.get(id(item))
                if record is not None and record.version == version_of(item):
                    entries.append({"name": item_name, "tensor": record.id, "value": record.value, "repr": None})
                else:
                    entries.append({"name": item_name, "tensor": None, "value": summary(item), "repr": None})
            else:
                entries.append({"name": item_name, "tensor": None, "value": None, "repr": repr(item)[:200]})
    return entries


def export_graphs(recorder: Recorder) -> tuple[dict, dict]:
    """The forward and backward graphs as dicts shaped like `app.graph.Graph`."""
    summary = recorder.summaries
    backward_ids = {node: record.id for node, record in recorder.backward.items()}
    accumulators: dict[int, str] = {}  # id(leaf tensor) -> its AccumulateGrad node id
    for node, record in recorder.backward.items():
        variable = getattr(node, "variable", None)
        if isinstance(variable, torch.Tensor):
            accumulators[id(variable)] = record.id

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
    for node, record in recorder.backward.items():
        backward_nodes.append(
            {
                "id": record.id,
                "kind": "grad_fn",
                "name": record.name,
                "tensor": owner.get(record.id),
                "grad_in": record.grad_in or [],
                "grad_out": record.grad_out or [],
                "order": record.order,
                "backward_pass": record.backward_pass,
                "saved": _saved_entries(record.saved, recorder, summary),
            }
        )
        for k, (target, input_nr) in enumerate(node.next_functions):
            if target is None or target not in backward_ids:
                continue  # no gradient flows there, or the graph was capped before reaching it
            grad = record.grad_in[k] if record.grad_in is not None and k < len(record.grad_in) else None
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
        if grads is not None and record.output_nr < len(grads):
            grad = grads[record.output_nr]
    return {
        "id": record.id,
        "kind": "tensor",
        "var": record.var,
        "line": record.line,
        "shape": record.value["shape"],
        "dtype": record.value["dtype"],
        "requires_grad": record.requires_grad,
        "is_leaf": record.is_leaf,
        "version": record.version,
        "value": record.value,
        "grad": grad,
        "grad_fn": backward_ids.get(record.grad_fn) if record.grad_fn is not None else None,
        "grad_accumulator": accumulators.get(id(tensor)) if record.is_leaf else None,
    }
