"""PyTorch as the oracle: run a snippet in plain torch and compare what gradwalk captured against it.

The oracle run uses torch's own `retain_grad()` on every non-leaf tensor (a mechanism gradwalk does not use:
gradwalk reads gradients from autograd node hooks), with the same seeds as the capture.
"""

import builtins
import math
import random
from collections import Counter

import torch
import torch.nn.functional as F
from torch import nn
from torch.overrides import TorchFunctionMode

from app.capture import prepare_source

LIMITS = {"max_nodes": 1_000_000, "max_elements": 1_000_000, "max_output_bytes": 1 << 20}


class RetainEverything(TorchFunctionMode):
    def __torch_function__(self, func, types, args=(), kwargs=None):
        result = func(*args, **(kwargs or {}))
        outputs = result if isinstance(result, (tuple, list)) else [result]
        for tensor in outputs:
            if isinstance(tensor, torch.Tensor) and tensor.grad_fn is not None and tensor.requires_grad:
                tensor.retain_grad()
        return result


def run_plain(source: str) -> dict:
    """The snippet's namespace after a plain run (same seeds as the capture)."""
    namespace = {"__builtins__": builtins, "__name__": "__main__", "torch": torch, "nn": nn, "F": F}
    torch.manual_seed(0)
    random.seed(0)
    with RetainEverything():
        exec(compile(prepare_source(source), "<oracle>", "exec"), namespace)
    return namespace


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
    assert summary["shape"] == list(tensor.shape), what
    assert not summary["truncated"], f"{what}: raise max_elements for the comparison"
    expected = [float(v) for v in tensor.detach().reshape(-1).tolist()]
    got = [float(v) for v in flat(summary["data"])]
    assert len(got) == len(expected), what
    for g, e in zip(got, expected, strict=True):
        assert math.isclose(g, e, rel_tol=1e-4, abs_tol=1e-5) or (math.isnan(g) and math.isnan(e)), (
            f"{what}: gradwalk {got} != torch {expected}"
        )


def named_tensors(namespace: dict) -> dict[str, torch.Tensor]:
    """The snippet's tensors by the names gradwalk gives them (module parameters by qualified name)."""
    named = {}
    for name, value in namespace.items():
        if isinstance(value, torch.Tensor):
            named[name] = value
        elif isinstance(value, nn.Module):
            named.update(dict(value.named_parameters(prefix=name)))
    return named


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
    return Counter(type(n).__name__ for n in seen), edges


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


def check_against_torch(run: dict, source: str) -> int:
    """Every named tensor's value and gradient, and the backward graph under it, match plain torch.
    Returns how many tensors were compared."""
    namespace = run_plain(source)
    compared = 0
    for name, tensor in named_tensors(namespace).items():
        node = last_node_named(run, name)
        if node is None:
            continue
        compared += 1
        assert_close(node["value"], tensor, f"value of {name}")
        if tensor.requires_grad and (tensor.is_leaf or tensor.retains_grad):
            assert_close(node["grad"], tensor.grad, f"grad of {name}")
        if tensor.grad_fn is not None:
            assert node["grad_fn"] is not None, f"{name} lost its grad_fn"
            assert captured_reachable(run, node["grad_fn"]) == reachable_names(tensor.grad_fn), (
                f"backward graph under {name}"
            )
    return compared


def check_consistency(run: dict):
    """Internal laws of the backward graph: an edge carries what its source produced for it, and what a
    node received is the sum of what flowed in along its edges (within one pass)."""
    nodes = {n["id"]: n for n in run["backward"]["nodes"]}
    incoming: dict[tuple[str, int], list] = {}
    for edge in run["backward"]["edges"]:
        source = nodes[edge["source"]]
        incoming.setdefault((edge["target"], edge["input_nr"]), []).append((source, edge["grad"]))
    for (target_id, slot), flows in incoming.items():
        target = nodes[target_id]
        if target["order"] is None or any(s["backward_pass"] != target["backward_pass"] for s, _ in flows):
            continue
        grads = [g for _, g in flows if g is not None]
        if not grads or slot >= len(target["grad_out"]) or target["grad_out"][slot] is None:
            continue
        total = sum(torch.tensor(flat(g["data"]), dtype=torch.float64) for g in grads)
        received = torch.tensor(flat(target["grad_out"][slot]["data"]), dtype=torch.float64)
        assert torch.allclose(total, received, rtol=1e-4, atol=1e-5), f"{target['name']} slot {slot}"
