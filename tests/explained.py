"""Runs whose backward nodes carry explanations (CONTRACT.md v2, `explain`), for the page's tests: the capture
engine's own when it makes them, else made by the rules' harness (app/explain/walk.py, the rules run on the same
snippet in plain torch) and put on the Run's nodes. The page is built against the contract's shape, so it shows
them the same either way."""

import builtins
import contextlib
import io
import json
import warnings
from typing import Any

from app.capture import capture, dumps, prepare_source
from app.expression import name_by_expression
from app.graph import encode, make_run_id, parse_run

CAPTURE = {"max_nodes": 100_000, "max_elements": 64, "max_output_bytes": 1 << 16}


def explained_run(code: str, run_id: str | None = None) -> dict[str, Any]:
    """The Run of `code` as the server stores it (id, code, names from the code), every backward node explained."""
    run = json.loads(dumps(capture(code, **CAPTURE)))
    if not any(node.get("explain") for node in run["backward"]["nodes"]):
        _explain(code, run)
    run["id"] = run_id or make_run_id(code, {"explained": True}, run["torch_version"] or "")
    run["code"] = code
    return json.loads(encode(name_by_expression(parse_run(json.dumps(run)))))


def _explain(code: str, run: dict[str, Any]) -> None:
    """Explain `run`'s backward nodes with the rules' harness, matched to them by name and by the names of what
    each slot goes to."""
    import torch
    import torch.nn.functional as F
    from torch import nn

    from app.explain.walk import Tape, Watch

    namespace = {"__builtins__": builtins, "__name__": "__main__", "torch": torch, "nn": nn, "F": F}
    tape = Tape()
    torch.manual_seed(0)
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings(), Watch(tape):
        warnings.simplefilter("ignore")
        with contextlib.suppress(Exception):
            exec(compile(prepare_source(code), "<snippet>", "exec"), namespace)
    records = tape.explain(namespace)
    tensors = {n["id"]: n for n in run["forward"]["nodes"] if n["kind"] == "tensor"}
    nodes = {n["id"]: n for n in run["backward"]["nodes"]}
    slots: dict[str, list[dict]] = {}
    for edge in run["backward"]["edges"]:
        slots.setdefault(edge["source"], []).append(edge)

    def var_of(node_id: str) -> str | None:
        tensor = tensors.get(nodes[node_id].get("tensor") or "")
        return tensor["var"] if tensor else None

    taken: set[str] = set()
    for record in records:
        if record.explain is None:
            continue
        if record.name == "AccumulateGrad":
            signature = (record.labels[0],)
            found = [n for n in nodes.values() if n["name"] == "AccumulateGrad" and (var_of(n["id"]),) == signature]
        else:
            labels = [label for (target, _), label in zip(record.node.next_functions, record.labels) if target]
            found = [
                n
                for n in nodes.values()
                if n["name"] == record.name and [var_of(e["target"]) for e in slots.get(n["id"], [])] == labels
            ] or [n for n in nodes.values() if n["name"] == record.name]
        found = [n for n in found if n["id"] not in taken]
        if not found:
            continue
        node = found[0]
        taken.add(node["id"])
        explain = json.loads(json.dumps(record.explain))
        edges = iter(slots.get(node["id"], []))
        targets = [next(edges, None) if target is not None else None for target, _ in record.node.next_functions]
        for entry in explain["inputs"]:
            if record.name == "AccumulateGrad":
                entry["to"] = node.get("tensor")
                continue
            edge = targets[entry["slot"]] if entry["slot"] < len(targets) else None
            entry["to"] = nodes[edge["target"]].get("tensor") if edge is not None else None
        node["explain"] = explain
