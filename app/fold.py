"""Folded views of a Run: repeated blocks, and module calls past a node budget, each shown as one `group` node.

Only a view: the stored Run keeps every node; the API folds on request (`?fold=<nodes>`) when a graph has more
nodes than that, and the page asks for folded views of graphs past its budget. Pure functions of a Run, like
app/render.py.

1. Repeats: the forward ops, in the order they ran, as signatures (op, line, module with indices dropped).
   The longest stretch that repeats with a period of at most REPEAT_MAX_PERIOD ops, at least MIN_REPEATS
   times (the 2000 layers of a deep MLP, the 300 steps of an unrolled RNN), keeps its first and last
   repetition and folds the ones between into one group with their count; the stretches before and after
   are searched again the same way. Expanding such a group shows its next UNFOLD_REPEATS repetitions and
   leaves the rest folded as a group of its own (its id named after its own first op), and so on: a 300-step
   loop opens ten steps at a time.
2. Modules: while a graph has more nodes than the budget, each stretch of consecutive ops inside one call of
   a module d levels down (the ops' `calls`, deepest first) folds into one group: the 30 calls of an RNN
   cell make 30 groups, not one.

A tensor goes into a group when every op that uses it is in the group and it was made there (or is a leaf,
like the folded layers' weights); outputs used outside stay visible. A backward node goes with its tensor;
one without a tensor goes where all the nodes that send it gradients went. Edges into and out of a group are
kept once; the ones inside are dropped. A group whose id is in `expand` stays unfolded.
"""

import re
from collections.abc import Sequence
from typing import Any, Literal, TypeVar

import numpy as np
import numpy.typing as npt
from msgspec.structs import replace

from .graph import BackwardEdge, BackwardNode, Fold, ForwardEdge, ForwardNode, GroupNode, OpNode, Run, TensorNode

REPEAT_MAX_PERIOD = 64
MIN_REPEATS = 3
# The search for repeats looks at each op about REPEAT_SCANS times at most (a look at a stretch counts as
# SCAN_OPS ops more than it holds): a real run has a few repeats, and a forged one of 40k ops in thousands of short
# repeats kept a drawing slot for 39 s. What is not searched stays unfolded (modules fold it past the budget).
REPEAT_SCANS = 32
SCAN_OPS = 1000
# Modules fold at most MODULE_DEPTHS nesting depths (spread from the deepest up): real models nest a dozen deep at
# most, and a forged run of 3000 depths held a drawing slot for 80 s.
MODULE_DEPTHS = 16
UNFOLD_REPEATS = 10  # repetitions an expanded repeat group shows; the rest stay one group, expandable in turn
INDEX = re.compile(r"\d+")
Reason = Literal["repeat", "module"]
Node = TypeVar("Node", ForwardNode, BackwardNode)
Edge = TypeVar("Edge", ForwardEdge, BackwardEdge)


def fold_run(run: Run, budget: int, expand: frozenset[str] = frozenset()) -> Run:
    """`run` itself when both graphs have at most `budget` nodes; else a copy whose graphs show repeated
    blocks, and modules while still over the budget, as group nodes."""
    if max(len(run.forward.nodes), len(run.backward.nodes)) <= budget:
        return run
    ops = [n for n in run.forward.nodes if isinstance(n, OpNode)]
    groups: dict[str, list[str]] = {}  # group id -> its forward op ids
    labels: dict[str, tuple[Reason, str, int, str | None]] = {}  # id -> (reason, label, count, module)
    signatures = _signatures(ops)
    for start, period, repeats in _repeats(signatures, 0, len(ops)):
        first, count = 1, repeats - 2  # the repetitions hidden: all but the first and the last
        while count > 0 and f"r{ops[start + period * first].id}" in expand:
            shown = min(UNFOLD_REPEATS, count)  # expanding a repeat shows its next repetitions, a window at a time
            first, count = first + shown, count - shown
        if count == 0:
            continue
        hidden = ops[start + period * first : start + period * (first + count)]
        gid = f"r{hidden[0].id}"
        groups[gid] = [op.id for op in hidden]
        names = " → ".join(op.op for op in ops[start : start + period])
        module = _common_module(hidden)
        labels[gid] = ("repeat", f"{names} ×{count}", count, module)

    forward_owner = _forward_owners(run, groups)
    visible = len(run.forward.nodes) - len(forward_owner) + len(groups)
    depths = sorted({len(op.calls) for op in ops if op.calls}, reverse=True)
    for depth in depths[:: max(1, -(-len(depths) // MODULE_DEPTHS))]:  # (at most MODULE_DEPTHS of them)
        if visible <= budget:
            break
        module_groups = _module_calls(ops, depth, forward_owner, expand)
        if not module_groups:
            continue
        for gid, (members, key) in module_groups.items():
            groups[gid] = members
            labels[gid] = ("module", f"{key} ({len(members)} ops)", 1, key)
        forward_owner = _forward_owners(run, groups)
        visible = len(run.forward.nodes) - len(forward_owner) + len(groups)

    if not groups:  # over the budget with nothing (more) to fold: the whole run, marked as the view asked for
        return replace(run, fold=Fold(budget=budget, expand=sorted(expand), groups=0))
    backward_owner = _backward_owners(run, forward_owner)
    lines = {op.id: op.line for op in ops}
    made = {
        gid: GroupNode(id=gid, reason=reason, label=label, count=count, module=module, line=lines.get(groups[gid][0]))
        for gid, (reason, label, count, module) in labels.items()
    }
    forward_nodes, forward_edges = _rebuild(run.forward.nodes, run.forward.edges, forward_owner, made, ForwardEdge)
    made_back = {gid: replace(g, members=[]) for gid, g in made.items()}
    backward_nodes, backward_edges = _rebuild(
        run.backward.nodes, run.backward.edges, backward_owner, made_back, BackwardEdge
    )
    # (a step of pass 1 said the gradient a leaf got came from the group of passes 2 to 99, which sends to it too)
    ran: dict[str, set[int]] = {}
    for node in run.backward.nodes:
        owner = backward_owner.get(node.id)
        if owner is not None:
            runs = [node, *(getattr(node, "earlier_runs", None) or ())]
            ran.setdefault(owner, set()).update(p for r in runs if (p := getattr(r, "backward_pass", None)) is not None)
    backward_nodes = [
        replace(n, passes=sorted(ran[n.id])) if isinstance(n, GroupNode) and ran.get(n.id) else n
        for n in backward_nodes
    ]
    return replace(
        run,
        forward=replace(run.forward, nodes=forward_nodes, edges=forward_edges),
        backward=replace(run.backward, nodes=backward_nodes, edges=backward_edges),
        fold=Fold(budget=budget, expand=sorted(expand), groups=len(made)),
    )


def _path(module: str | None) -> list[str]:
    return [part for part in re.split(r"[./]", module or "") if part]


def _signatures(ops: list[OpNode]) -> npt.NDArray[np.int64]:
    table: dict[tuple[str, int | None, str], int] = {}
    return np.array(
        [table.setdefault((op.op, op.line, INDEX.sub("#", op.module or "")), len(table)) for op in ops],
        dtype=np.int64,
    )


def _repeats(signatures: npt.NDArray[np.int64], low: int, high: int) -> list[tuple[int, int, int]]:
    """(start, period, repeats) of the stretches of signatures[low:high] that repeat: the one covering most, then
    those of what is left before it, then after it (a loop, not recursion: a run may hold thousands), within
    REPEAT_SCANS."""
    found: list[tuple[int, int, int]] = []
    stack = [(low, high)]
    left = REPEAT_SCANS * (high - low + SCAN_OPS)
    while stack and left > 0:
        low, high = stack.pop()
        left -= high - low + SCAN_OPS
        best = _longest_repeat(signatures, low, high)
        if best is not None:
            start, period, repeats = best
            found.append(best)
            stack += [(start + period * repeats, high), (low, start)]  # (before it is looked at first)
    return found


def _longest_repeat(signatures: npt.NDArray[np.int64], low: int, high: int) -> tuple[int, int, int] | None:
    """(start, period, repeats) of the stretch of signatures[low:high] that repeats and covers most, or None."""
    best: tuple[int, int, int, int, int] | None = None  # (covered, -period, start, period, repeats)
    for period in range(1, min(REPEAT_MAX_PERIOD, (high - low) // MIN_REPEATS) + 1):
        same = signatures[low : high - period] == signatures[low + period : high]
        if not same.any():
            continue
        # runs of True in `same`: signatures[s : s + n + period] repeats with this period
        edges = np.diff(np.concatenate(([0], same.astype(np.int8), [0])))
        starts = np.flatnonzero(edges == 1)
        lengths = np.flatnonzero(edges == -1) - starts
        counts = (lengths + period) // period
        i = int(np.argmax(counts))
        if counts[i] >= MIN_REPEATS:
            covered = int(counts[i]) * period
            candidate = (covered, -period, low + int(starts[i]), period, int(counts[i]))
            best = max(best, candidate) if best else candidate
    return None if best is None else best[2:]


def _common_module(ops: list[OpNode]) -> str | None:
    modules = {INDEX.sub("#", op.module) for op in ops if op.module}
    return modules.pop() if len(modules) == 1 else None


def _module_calls(
    ops: list[OpNode], depth: int, owner: dict[str, str], expand: frozenset[str]
) -> dict[str, tuple[list[str], str]]:
    """Consecutive visible ops inside one module call `depth` levels down (the same call at `calls[depth - 1]`: a
    call's number says which calls it ran in), at least two of them: one group each (its op ids and the module its
    ops share)."""
    calls: dict[str, tuple[list[str], str]] = {}
    run: list[OpNode] = []
    key: int | None = None

    def close() -> None:
        if len(run) >= 2 and f"m{run[0].id}" not in expand:
            calls[f"m{run[0].id}"] = ([op.id for op in run], _shared_module(run))

    for op in ops:
        if op.id in owner:
            continue
        this = op.calls[depth - 1] if len(op.calls) >= depth else None
        if this is None or this != key:
            close()
            run = []
        key = this
        if this is not None:
            run.append(op)
    close()
    return calls


def _shared_module(ops: list[OpNode]) -> str:
    """The module path the ops share (`encoder.layers.0` for the ops of its attention and its MLP)."""
    paths = [_path(op.module) for op in ops]
    shared = paths[0]
    for path in paths[1:]:
        while path[: len(shared)] != shared:
            shared = shared[:-1]
    return ".".join(shared) or ops[0].module or "?"


def _forward_owners(run: Run, groups: dict[str, list[str]]) -> dict[str, str]:
    """Forward node id -> the group that hides it."""
    owner = {op: gid for gid, members in groups.items() for op in members}
    producer: dict[str, str] = {}
    users: dict[str, list[str]] = {}
    kinds = {n.id: n.kind for n in run.forward.nodes}
    for edge in run.forward.edges:
        if kinds.get(edge.source) == "op":
            producer[edge.target] = edge.source
        else:
            users.setdefault(edge.source, []).append(edge.target)
    for node in run.forward.nodes:
        if not isinstance(node, TensorNode):
            continue
        made_by = owner.get(producer.get(node.id, ""))
        used_by = {owner.get(op) for op in users.get(node.id, ())}
        if node.id in producer:
            if made_by and used_by <= {made_by}:
                owner[node.id] = made_by
        elif len(used_by) == 1 and None not in used_by:
            owner[node.id] = str(used_by.pop())
    return owner


def _backward_owners(run: Run, forward_owner: dict[str, str]) -> dict[str, str]:
    owner: dict[str, str] = {}
    senders: dict[str, list[str]] = {}
    for edge in run.backward.edges:
        senders.setdefault(edge.target, []).append(edge.source)
    loose = []
    for node in run.backward.nodes:
        tensor = getattr(node, "tensor", None)  # (a run folded again has groups: they have none)
        if tensor is not None:
            if tensor in forward_owner:
                owner[node.id] = forward_owner[tensor]
        else:
            loose.append(node.id)
    # nodes without a tensor (TBackward0 inside linear, ...) follow their senders: each is decided once every
    # sender of its is (in the order gradients flow; once per edge, whatever order the Run lists them in)
    waiting = dict.fromkeys(loose, 0)  # loose node -> how many of its senders are loose and not yet decided
    after: dict[str, list[str]] = {}  # loose node -> the loose nodes it sends to
    for node_id in loose:
        for sender in senders.get(node_id, ()):
            if sender in waiting:
                waiting[node_id] += 1
                after.setdefault(sender, []).append(node_id)
    ready = [node_id for node_id, count in waiting.items() if count == 0]
    while ready:
        node_id = ready.pop()
        sent = {owner.get(s) for s in senders.get(node_id, ())}
        if len(sent) == 1 and None not in sent:
            owner[node_id] = str(sent.pop())
        for target in after.get(node_id, ()):
            waiting[target] -= 1
            if waiting[target] == 0:
                ready.append(target)
    return owner


def _rebuild(
    nodes: Sequence[Node], edges: Sequence[Edge], owner: dict[str, str], groups: dict[str, GroupNode], edge_type: type
) -> tuple[list[Node], list[Edge]]:
    """Nodes with the hidden ones replaced by their group (where the first of them stood) and edges redirected."""
    shown: list[Node] = []
    placed = set()
    for node in nodes:
        gid = owner.get(node.id)
        if gid is None:
            shown.append(node)
            continue
        group = groups[gid]
        group.members.append(node.id)
        if gid not in placed:
            placed.add(gid)
            shown.append(group)
    kept: list[Edge] = []
    between: dict[tuple[str, str], list[Edge]] = {}
    for edge in edges:
        source = owner.get(edge.source, edge.source)
        target = owner.get(edge.target, edge.target)
        if source == target and source in groups:
            continue
        if source == edge.source and target == edge.target:
            kept.append(edge)
        else:
            between.setdefault((source, target), []).append(edge)
    for (source, target), joined in between.items():
        update: dict[str, Any] = {"source": source, "target": target}
        if edge_type is BackwardEdge and len(joined) > 1:
            update["grad"] = None  # several gradients met here: the group's inspector has them
        kept.append(replace(joined[0], **update))
    return [n for n in shown if not (isinstance(n, GroupNode) and not n.members)], kept
