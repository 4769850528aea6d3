"""Turns a finished Recorder into the forward and backward graphs of the Run JSON (plain dicts, see app.graph).

Values are summarised end state first (every tensor's newest node, each leaf's final `.grad`), then the last
backward pass's gradients and older nodes, newest first: when a long run spends the budget of values
(summary.RUN_VALUES), what it cuts to statistics is its early history.
"""

import math
import warnings
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

import torch

from ..explain.node import broken
from ..explain.rule import labelled
from ..explain.rules.special import NOTHING_ARRIVED, returned_instead
from ..explain.template import Templates
from ..expression import TAKEN_OUT, expressions
from .explanation import Explainer
from .hints import hint_for
from .hooks import BackwardRecord, Grads, leaf_of
from .naming import alias_only, chosen, loop_names, lost_names, rebound_back, top_level_names
from .output import NAME_CHARS, fitted
from .peek import runs_python_dispatch
from .record import CUT_OPS, NEW_LEAF, PASSED_ON, OpRecord, Recorder, TensorRecord
from .saved import Saved, packed_text, text
from .summary import GRAD_PLACES, UNSET, Summaries, Summary, unreadable
from .torch_internals import DisableTorchDispatch, DisableTorchFunction, GradMode, Packed, is_wrapped
from .values import Kept, data_key, grad_fn_of

Graph = dict[str, list[dict[str, Any]]]


def blank_run(source: str | None) -> dict[str, Any]:
    """A Run of nothing yet (as `capture` returns it), for `source`."""
    return {
        "id": None,
        "code": source,
        "status": "ok",
        "error": None,
        "stdout": "",
        "stderr": "",
        "forward": {"nodes": [], "edges": []},
        "backward": {"nodes": [], "edges": []},
        "torch_version": str(torch.__version__),  # (a str subclass, which msgspec does not write)
        "backward_passes": 0,
        "backward_calls": [],
        "backward_inputs_given": [],
        "added_to_grads": [],
        "recorded_passes": None,
        "recording_paused": None,
        "recording_stopped": None,
        "explained_short_of_time": 0,
        "duration_ms": 0.0,
        "fold": None,
    }


def stopped_recording(run: dict[str, Any], recorder: Recorder) -> None:
    """Say in `run` why and where the recording stopped before the code ended, if it did: a limit on what is
    recorded (GraphLimit, RecordLimit) makes a run that otherwise ended well, or ran out of time after it, `limit`
    (the code's own error stays its error)."""
    out_of_time = run["status"] == "timeout" and run["error"] is not None
    note = recorder.stopped_note(run["error"]["line"] if out_of_time else None)
    if recorder.paused_passes:  # (a loop's passes past GRADWALK_MAX_RECORDED_PASSES ran unrecorded)
        run["recorded_passes"] = recorder.recorded_passes
    paused = recorder.paused_note()
    if paused is not None:
        paused["hint"] = hint_for(paused)
        run["recording_paused"] = paused
    if note is None:
        return
    note["hint"] = hint_for(note)
    run["recording_stopped"], run["recorded_passes"] = note, recorder.recorded_passes
    if run["status"] == "ok" or out_of_time:  # (out of time after a limit, as a graph too large for a run is)
        run["status"], run["error"] = "limit", dict(note)


def export_graphs(
    recorder: Recorder, source: str, time_left: Callable[[], float] = lambda: math.inf
) -> tuple[Graph, Graph]:
    """The forward and backward graphs as dicts shaped like `app.graph.ForwardGraph` and `BackwardGraph`; `source`:
    the snippet as it ran, for the names of the tensors it did not name (app.expression); `time_left()`: the seconds
    left before the run's time is up (app.capture.deadline), which bounds the explanations worked out in full."""
    with DisableTorchFunction(), DisableTorchDispatch(), GradMode(False):  # (nothing of the snippet's runs)
        return _Export(recorder, source, time_left).graphs()


def _explain_rank(record: BackwardRecord) -> tuple[int, float]:
    """Which nodes are explained in full first: the last backward pass's, root first, then earlier passes'."""
    return -(record.backward_pass or 0), record.order if record.order is not None else math.inf


def _ran_at(record: BackwardRecord) -> tuple[int, int]:
    return record.backward_pass or 0, record.order or 0


def _incoming(
    runs: list[tuple[Any, BackwardRecord, Any]], accumulators: dict, named: dict[Any, str]
) -> dict[tuple[Any, int | None], list]:
    """(AccumulateGrad node, pass) -> (path, gradient) of each edge into it in that pass, in the order they arrived,
    the backward call's own gradient first when the call started there (a leaf given as a root, or as `inputs`). A
    path is named after the node it comes from (`MulBackward0 slot 1`), and where two nodes of one kind send to the
    same leaf (`h = x + b`, then `h + b`), after the tensor each made too, from `named` (`AddBackward0 (h) slot 1`)."""
    passes = {(node, record.backward_pass) for node, record, _ in runs if record.name == "AccumulateGrad"}
    arrived: dict[tuple[Any, int | None], list] = {}
    for source, record, _ in sorted((run for run in runs if run[1].order is not None), key=lambda run: _ran_at(run[1])):
        flowed = record.flowed
        for slot, (target, _) in enumerate(record.next):
            key = (target, record.backward_pass)
            if target in accumulators and key in passes and slot < len(flowed) and flowed[slot] is not None:
                arrived.setdefault(key, []).append((source, record.name, slot, flowed[slot]))
    incoming: dict[tuple[Any, int | None], list] = {}
    for key, paths in arrived.items():
        sources = {(name, id(source)) for source, name, _, _ in paths}
        kinds = Counter(name for name, _ in sources)
        incoming[key] = [
            (
                f"{name} ({named[source]}) slot {slot}"
                if kinds[name] > 1 and source in named
                else f"{name} slot {slot}",
                grad,
            )
            for source, name, slot, grad in paths
        ]
    for node, record, _ in runs:
        given = record.seeds.get(record.backward_pass or 0, {}).get(0) if node in accumulators else None
        if given is not None:
            incoming.setdefault((node, record.backward_pass), []).insert(0, ("backward()", given))
    return incoming


def _held_after(run: BackwardRecord) -> torch.Tensor | None:
    """What an AccumulateGrad run left in its leaf's `.grad`: what it held before, plus what arrived (None: a value
    that cannot be read)."""
    arrived = run.grad_out[0].now() if isinstance(run.grad_out[0], Kept) else None
    before = run.grad_before[0] if run.grad_before else None
    held = before.now() if isinstance(before, Kept) else None
    if arrived is None or is_wrapped(arrived) or (before is not None and held is None):
        return None
    try:
        return arrived if held is None else held + arrived
    except RuntimeError:  # (shapes that do not add)
        return None


def _call_of(calls: list[str], number: int | None) -> str | None:
    return calls[number - 1] if number is not None and 0 < number <= len(calls) else None


def _returned(explain: dict[str, Any]) -> dict[str, Any]:
    """An AccumulateGrad that never ran because torch.autograd.grad() returned its leaf's gradient: said so, where
    its words said that nothing reached it (the leaf named as its formula `x.grad += …` names it)."""
    said = returned_instead(explain["formula"]["en"].partition(".grad += ")[0])
    words = explain["words"]
    return {
        **explain,
        "words": {
            "en": words["en"].replace(NOTHING_ARRIVED[0], said[0]),
            "ko": words["ko"].replace(NOTHING_ARRIVED[1], said[1]),
        },
    }


# Time said in words where a run's time ran short for full explanations (app.capture.deadline has the limits).
OUT_OF_TIME_REASON = (
    "the run's time (GRADWALK_RUN_CPU_S, GRADWALK_RUN_TIMEOUT_S) was nearly used up",
    "실행 시간(GRADWALK_RUN_CPU_S, GRADWALK_RUN_TIMEOUT_S)이 거의 다 되었습니다",
)


def brief_reason(most: int, passes: int = 1) -> tuple[str, str]:
    """Why a node past the bound has no numbers: said in every such node's words, so said briefly. Of `passes`
    backward passes, the last one's nodes are explained first (`_explain_rank`): a training loop's first pass, whose
    first node lacked its numbers, said they went to the first nodes backward ran."""
    if passes > 1:
        return (
            f"they are worked out for {most} nodes only, the last backward pass's first (GRADWALK_EXPLAIN_MAX_NODES)",
            f"마지막 역전파의 노드부터 {most}개에만 붙입니다(GRADWALK_EXPLAIN_MAX_NODES)",
        )
    return (
        f"they are worked out for the first {most} nodes backward runs (GRADWALK_EXPLAIN_MAX_NODES)",
        f"역전파가 먼저 실행한 노드 {most}개에만 붙입니다(GRADWALK_EXPLAIN_MAX_NODES)",
    )


# Ops that take only the shape or dtype of their second tensor: the values they give are the first one's.
LIKE_OTHER = frozenset({"view_as", "expand_as", "reshape_as", "type_as"})


# What an output torch saved under a number holds (derivatives.yaml's `result1`...), by (node, name): its labels said
# `saved result1`, `saved result2` of a batch norm's mean and 1/std.
SAVED_MEANS = {
    ("NativeBatchNormBackward0", "result1"): "mean",
    ("NativeBatchNormBackward0", "result2"): "invstd",
    ("NativeLayerNormBackward0", "result1"): "mean",
    ("NativeLayerNormBackward0", "result2"): "rstd",
    ("NativeGroupNormBackward0", "result1"): "mean",
    ("NativeGroupNormBackward0", "result2"): "rstd",
    ("MaxPool2DWithIndicesBackward0", "result1"): "indices",
    ("MaxPool3DWithIndicesBackward0", "result1"): "indices",
    ("AdaptiveMaxPool2DBackward0", "result1"): "indices",
    ("AdaptiveMaxPool3DBackward0", "result1"): "indices",
}


def _gave_back(op: OpRecord) -> bool:
    """Whether an op's one result is its one input, the same tensor (a dropout that dropped nothing)."""
    return len(op.inputs) == 1 and len(op.outputs) == 1 and op.outputs[0].kept.tensor is op.inputs[0].kept.tensor


def _is_factory(op: str) -> bool:
    """Ops that take only the shape, dtype and device of their tensor (`zeros_like`, `new_ones`), not its values."""
    return (op.endswith("_like") or op.startswith("new_")) and op != "new_tensor"


class _Export:
    def __init__(self, recorder: Recorder, source: str, time_left: Callable[[], float]):
        self.recorder = recorder
        self.source = source
        self.time_left = time_left
        self.summaries: Summaries = recorder.summaries
        self.tensors = [r for r in recorder.forward if isinstance(r, TensorRecord)]
        self.newest = {id(r) for r in recorder.latest.values()}  # each tensor's newest record
        self.values: dict[str, Summary] = {}  # tensor record id -> its value
        self.leaf_grads: dict[str, Summary | None] = {}  # newest record of a leaf -> its final .grad
        self.grads: dict[str, tuple[list, list]] = {}  # backward record id -> (grad_in, grad_out) summaries
        self.received: dict[str, list] = {}  # backward record id -> what it received before the snippet's pre hooks
        self.sent: dict[str, list] = {}  # backward record id -> what flowed on after the snippet's post hooks
        self.later: dict[str, list] = {}  # backward record id -> what it received in a pass run unrecorded after
        self.seeds: dict[str, list] = {}  # backward record id -> what the last pass that ran it started it with
        # autograd node -> what reached it in a later pass than it ran in (see Backward.arrived), as summaries
        self.arrived = {node: self._grads(grads) for node, grads in recorder.backward.arrived().items()}
        self.stopped = recorder.backward.stopped_in()  # autograd node -> the last pass that raised in it
        self.by_data: dict[tuple, TensorRecord] | None = None
        self.made_by: dict[tuple, TensorRecord] | None = None
        # (id(tensor), version, whether it stands for the live tensor) -> the newest record that shows the tensor so
        self.by_version = {(id(r.kept.tensor), r.kept.version, r.kept.live): r for r in self.tensors}
        self.vars: dict[str, str | None] = {}  # tensor record id -> its `var`
        self.exprs: dict[str, str] = {}  # tensor record id -> its `expr` (a tensor without a `var`)
        self.used: set[str] = set()  # every name the snippet gave a tensor

    def graphs(self) -> tuple[Graph, Graph]:
        self._summarise()
        self._older_leaf_grads()
        backward_ids = {node: record.id for node, record in self.recorder.backward.records.items()}
        forward, owner = self._forward(backward_ids)
        inside = {r.id: r.inside for r in self.tensors if r.inside is not None}
        ops = [op for op in self.recorder.forward if type(op) is OpRecord]
        numbers = {op.id: op.numbers for op in ops if op.numbers}
        calls = {op.id: op.call for op in ops if op.call}
        made_by = {r.id: r.made_by for r in self.tensors if r.made_by is not None}
        self.exprs = expressions(self.source, forward, inside, numbers, calls, self.recorder.raised_calls, made_by)
        self._name_grads()
        for node in forward["nodes"]:
            if node["id"] in self.exprs:  # (`<a module path of 1000 characters> → linear`: cut as every name is)
                node["expr"] = fitted(self.exprs[node["id"]])
        backward = self._backward(backward_ids, owner)
        # (a rule's float warnings, a NaN met: nothing of gradwalk's is printed; the module named, else it is looked up
        # in `sys.modules`, where a snippet may have put an object of its own)
        with warnings.catch_warnings(module=warnings):
            warnings.simplefilter("ignore")
            self._explain(backward["nodes"], owner)
        self.summaries.flush()  # fills in, in place, every summary dict handed out above
        return forward, backward

    def _name_grads(self) -> None:
        """An unnamed tensor that needs no gradient and is a leaf's `.grad` (read by an optimizer's step, or by
        `w.sub_(w.grad)`) is called `w.grad` after its leaf, whatever else its line says (`p.add_(p.grad,
        alpha=-lr)`: not `-lr`)."""
        backward, latest = self.recorder.backward, self.recorder.latest
        retained: dict[int, TensorRecord] | None = None  # id(.grad) -> a tensor that retains its grad (made once)
        for record in self.tensors:
            if record.requires_grad or record.id not in self.exprs:
                continue
            leaf = backward.grad_owner(record.kept.tensor)
            owner = latest.get(id(leaf)) if leaf is not None else None
            if owner is None:  # (`y.grad` of a `y.retain_grad()`: no AccumulateGrad wrote it)
                retained = _retained(latest.values()) if retained is None else retained
                owner = retained.get(id(record.kept.tensor))
            name = None if owner is None else self.vars.get(owner.id) or self.exprs.get(owner.id)
            if name:
                self.exprs[record.id] = f"{labelled(name)}.grad"

    # -- values, most important first ---------------------------------------------------------------------------

    def _summarise(self) -> None:
        """Every value, most telling first while the budget lasts: the tensors the snippet left bound at its top
        level as they ended (and their gradients), the last backward pass, then the rest newest first."""
        backward = self.recorder.backward.records
        for record in self.recorder.names.ended.values():
            self._value(record)
            if record.grad_fn in backward:
                self._node_grads(backward[record.grad_fn])
        newest = [r for r in self.tensors if id(r) in self.newest]
        for node in sorted(backward.values(), key=lambda r: -(r.backward_pass or 0)):
            self._node_grads(node)
        values = self.values
        for record in newest:
            if record.id not in values:
                self._value(record)
        for record in reversed(self.tensors):
            if record.id not in values:
                self._value(record)

    def _value(self, record: TensorRecord) -> None:
        if record.id in self.values:
            return
        tensor = record.tensor
        # (a meta tensor has no memory: it says so, META; nor has a FakeTensor, torch's subclass: TORCH_SUBCLASS)
        unset = record.unset and not tensor.is_meta and not runs_python_dispatch(tensor)
        self.values[record.id] = unreadable(tensor, UNSET) if unset else self.summaries.of_kept(record.kept)
        if id(record) in self.newest and record.is_leaf and record.requires_grad and grad_fn_of(tensor) is None:
            grad = tensor.grad  # a leaf's .grad: its value when the snippet ended
            self.leaf_grads[record.id] = None if grad is None else self.summaries(grad)

    def _older_leaf_grads(self) -> None:
        """A leaf's versions before its last (an optimizer's step changed it in place) get the `.grad` it held right
        after the last backward pass whose graph took that version in: what the step that followed read."""
        older = [r for r in self.tensors if r.is_leaf and r.requires_grad and id(r) not in self.newest]
        if not older:  # (the common case: no leaf was changed in place)
            return
        backward = self.recorder.backward.records
        accumulators = {
            id(leaf_of(n)): r for n, r in backward.items() if r.name == "AccumulateGrad" and r.order is not None
        }
        used_in: dict[str, int] = {}  # tensor record id -> the last pass whose graph took it in
        for op in self.recorder.forward:
            if isinstance(op, TensorRecord):
                continue
            last: int = max(
                (backward[o.grad_fn].backward_pass or 0 for o in op.outputs if o.grad_fn in backward), default=0
            )
            for record in op.inputs if last else ():
                used_in[record.id] = max(used_in.get(record.id, 0), last)
        for record in older:
            accumulator = accumulators.get(id(record.kept.tensor)) if record.id in used_in else None
            if accumulator is None:
                continue
            number = used_in[record.id]
            runs = [*(accumulator.earlier or ()), accumulator]
            ran = next((r for r in runs if r.backward_pass == number), None)
            if ran is not None and ran.grad_out and isinstance(ran.grad_out[0], Kept):
                held = _held_after(ran)
                arrived = ran.grad_out[0]
                if held is not None:
                    self.leaf_grads[record.id] = self.summaries(held)
                elif arrived.digest is not None and not (ran.grad_before and ran.grad_before[0] is not None):
                    # (nothing held before: `.grad` is what arrived, let go of while the snippet ran, as its summary)
                    self.leaf_grads[record.id] = self.summaries.of_kept(arrived)

    def _node_grads(self, node: BackwardRecord) -> None:
        if node.id not in self.grads:
            self.grads[node.id] = (self._grads(node.grad_in), self._grads(node.grad_out))
            if node.received is not None:
                self.received[node.id] = self._grads(node.received)
            if node.sent is not None:
                self.sent[node.id] = self._grads(node.sent)
            if node.later is not None:
                self.later[node.id] = self._grads(node.later)
            given = node.seeds.get(node.backward_pass or 0)
            if given is not None:
                self.seeds[node.id] = self._grads(tuple(given.get(slot) for slot in range(len(node.grad_out))))

    def _grads(self, grads: Grads) -> list[Summary | None]:
        summaries = self.summaries
        out: list[Summary | None] = []
        for held in grads:  # (Summaries.of_held, inlined: every gradient of a run passes here)
            if held is None:
                out.append(None)
            elif isinstance(held, Kept):
                out.append(summaries.of_kept(held, GRAD_PLACES))
            else:  # a digest made in the hook
                out.append(summaries.place(held, GRAD_PLACES))
        return out

    # -- the forward graph ---------------------------------------------------------------------------------------

    def _forward(self, backward_ids: dict) -> tuple[Graph, dict[str, str]]:
        nodes: list[dict[str, Any]] = []
        edges: list[dict[str, Any]] = []
        accumulators = {id(leaf_of(n)): i for n, i in backward_ids.items() if type(n).__name__ == "AccumulateGrad"}
        backward = self.recorder.backward.records
        owner: dict[str, str] = {}  # backward node id -> the forward tensor it belongs to (its newest)
        top_level, lost = top_level_names(self.tensors), lost_names(self.tensors)
        loops = loop_names(self.source or "")
        ended = self.recorder.names.ended.values()
        dropped = rebound_back(self.tensors, ended)
        not_var = alias_only(ended, top_level, lost, dropped, loops)
        if not_var:
            dropped = rebound_back(self.tensors, ended, not_var)
        passed_on = {
            id(out)
            for op in self.recorder.forward
            if isinstance(op, OpRecord) and op.op in PASSED_ON and _gave_back(op)
            for out in op.outputs
        }
        for record in self.recorder.forward:
            if isinstance(record, OpRecord):
                nodes.append(self._op(record))
                edges += [{"source": r.id, "target": record.id} for r in record.inputs]
                edges += [{"source": record.id, "target": r.id} for r in record.outputs]
                continue
            grad_fn_id = backward_ids.get(record.grad_fn) if record.grad_fn is not None else None
            accumulator = accumulators.get(id(record.tensor)) if record.is_leaf else None
            grad = self.leaf_grads.get(record.id)
            if grad_fn_id is not None:
                # what flowed into its node in the last pass that ran it (before the snippet's pre hooks on the node
                # replaced it; in a pass run unrecorded, if one ran it last), or reached it later without running it
                received = (
                    self.later.get(grad_fn_id)
                    or self.arrived.get(record.grad_fn)
                    or self.received.get(grad_fn_id)
                    or self.grads[grad_fn_id][1]
                )
                grad = received[record.output_nr] if record.output_nr < len(received) else None
                if grad is None and record.grad_fn in backward:
                    grad = self._earlier_grad(backward[record.grad_fn], record.output_nr)
                if grad is None and record.grad_fn in self.recorder.backward.paused_received:  # (walked as the run
                    grad = self._paused_grad(record)  # ended: made in a pass the recording paused for)
            elif record.grad_fn is not None and record.grad_fn in backward:
                grad = None
            elif record.grad_fn is not None:  # (made in a pass the recording paused for: see Backward.watch)
                grad = self._paused_grad(record)
            value = self.values[record.id]
            var, aliases = chosen(record, top_level, lost, dropped.get(id(record), ()), not_var, loops)
            if (var is not None and len(var) > NAME_CHARS) or aliases:
                var, aliases = None if var is None else fitted(var), [fitted(a) for a in aliases]
            if var is not None:
                self.vars[record.id] = var
                self.used.add(var)
                self.used.update(aliases)
            nodes.append(
                {
                    "id": record.id,
                    "kind": "tensor",
                    "var": var,
                    "aliases": aliases,
                    "line": record.line,
                    "forward_line": record.forward_line,
                    "shape": value["shape"],
                    "dtype": value["dtype"],
                    "requires_grad": record.requires_grad,
                    "is_leaf": record.is_leaf,
                    "version": max(record.kept.version, 0),
                    "value": value,
                    "grad": grad,
                    "grad_fn": grad_fn_id,
                    "grad_accumulator": accumulator,
                    "retains_grad": not record.is_leaf and _retains_grad(record.kept.tensor),
                }
            )
            link = grad_fn_id or accumulator
            if link is not None and (link not in owner or id(record) not in passed_on):
                owner[link] = record.id  # (the tensor an op made, not a dropout's that gave it back unchanged)
        return {"nodes": self._without_stale(nodes, edges), "edges": edges}, owner

    def _without_stale(self, nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The nodes but those of tensors made while the recording paused, met only as names (no line, no edge, no
        backward node), whose name a later recorded tensor took: a training loop's last iteration, recorded again,
        met the `pred` and `loss` of the iteration before bound, and a learner saw a second `loss` with no line."""
        linked = {edge["source"] for edge in edges} | {edge["target"] for edge in edges}
        taken: set[str] = set()
        kept: list[dict[str, Any]] = []
        for node in reversed(nodes):
            var = node.get("var")
            if node["kind"] == "tensor" and node["line"] is None and node["grad_fn"] is None:
                if var in taken and node["requires_grad"] and not node["is_leaf"] and node["id"] not in linked:
                    self.vars.pop(node["id"], None)
                    continue
            elif var is not None and node["kind"] == "tensor":
                taken.add(var)
            kept.append(node)
        return kept[::-1]

    def _earlier_grad(self, node: BackwardRecord, output_nr: int) -> Summary | None:
        """What flowed into output `output_nr` of `node` in its last recorded run that sent that output one: a node of
        several outputs (unbind's, qr's, split's) runs in a pass that gives some of them none (`b` of `a, b, c =
        t.unbind()` in `b.backward()`), and the others keep the gradient an earlier pass gave them, as in torch."""
        for past in (node, *reversed(node.earlier or ())):  # (its last run too: a pass run unrecorded came after it)
            got = past.received if past.received is not None else past.grad_out
            if output_nr < len(got) and got[output_nr] is not None:
                return self._grads(got[output_nr : output_nr + 1])[0]
        return None

    def _paused_grad(self, record: TensorRecord) -> Summary | None:
        """What flowed into a tensor made in the last pass run while the recording paused, if the pass kept it."""
        received = self.recorder.backward.paused_received.get(record.grad_fn)
        held = received[record.output_nr] if received is not None and record.output_nr < len(received) else None
        return None if held is None or held.now() is None else self.summaries.of_kept(held, GRAD_PLACES)

    def _op(self, op: OpRecord) -> dict[str, Any]:
        read = op.inputs[:1] if op.op in LIKE_OTHER else op.inputs  # (`x.view_as(p)` reads only p's shape)
        if op.op == "new_tensor":  # (`w.new_tensor(data)` copies data's values, and takes only w's dtype and device)
            read = op.inputs[1:]
        wanted = any(r.requires_grad for r in read)  # an input wants a gradient
        carried = op.gave_back or any(r.requires_grad for r in op.outputs)  # an output carries one on
        factory = _is_factory(op.op)  # (its result holds none of its input's values: never a cut, even under no_grad)
        # (what `.item()` took out, or `torch.tensor(x)` copied, never carries a gradient back, even into a tensor made
        # with requires_grad=True: `w = torch.tensor(x, requires_grad=True)` is a new leaf, and x.grad stays None; so
        # is `nn.Parameter(h)`)
        copied = op.op in TAKEN_OUT or op.op in NEW_LEAF
        # (inside a custom Function's forward(), which autograd runs under no_grad, nothing is cut: the gradient goes
        # back through the Function's own backward(), whatever its forward() computed with)
        wanted = wanted and not (op.outputs and all(r.applied is not None for r in op.outputs))
        cut = wanted and (copied or (not carried and not factory and (op.no_grad or op.op in CUT_OPS)))
        module = op.module
        return {
            "id": op.id,
            "kind": "op",
            "op": op.op if len(op.op) <= NAME_CHARS else fitted(op.op),
            "line": op.line,
            "module": module if module is None or len(module) <= NAME_CHARS else fitted(module),
            "calls": op.calls,
            "inside": op.inside if op.inside is None or len(op.inside) <= NAME_CHARS else fitted(op.inside),
            "no_grad": op.no_grad,
            "inference": op.inference,
            "cut": cut,
            "non_differentiable": wanted and not carried and not cut and not factory,
            "unchanged": op.op in PASSED_ON and _gave_back(op),
        }

    # -- the backward graph --------------------------------------------------------------------------------------

    def _backward(self, backward_ids: dict, owner: dict[str, str]) -> Graph:
        nodes: list[dict[str, Any]] = []
        edges: list[dict[str, Any]] = []
        for node, record in self.recorder.backward.records.items():
            grad_in, grad_out = self.grads[record.id]
            nodes.append(
                {
                    "id": record.id,
                    "kind": "grad_fn",
                    "name": record.name if len(record.name) <= NAME_CHARS else fitted(record.name),
                    "tensor": owner.get(record.id),
                    "grad_in": grad_in,
                    "grad_out": grad_out,
                    "order": record.order,
                    "backward_pass": record.backward_pass,
                    "saved": self._saved(record.saved, record.name),
                    "seed": self.seeds.get(record.id),
                    "grad_after": self._grad_after(record),
                    "earlier_runs": None if record.earlier is None else [self._run(past) for past in record.earlier],
                    "raised_in_pass": self.stopped.get(node),
                }
            )
            edges += self._edges(record, backward_ids, self.sent.get(record.id, grad_in))
        return {"nodes": nodes, "edges": edges}

    def _run(self, past: BackwardRecord) -> dict[str, Any]:
        """A run of a node in a recorded pass before its last one (`BackwardRecord.earlier`)."""
        given = past.seeds.get(past.backward_pass or 0)
        return {
            "backward_pass": past.backward_pass,
            "order": past.order,
            "grad_in": self._grads(past.grad_in),
            "grad_out": self._grads(past.grad_out),
            "sent": None if past.sent is None else self._grads(past.sent),
            "seed": None if given is None else self._grads(tuple(given.get(k) for k in range(len(past.grad_out)))),
            "grad_after": self._grad_after(past),
            "explain": None,
        }

    def _grad_after(self, run: BackwardRecord) -> Summary | None:
        """For an AccumulateGrad run that added into a `.grad` already there (an earlier pass's, or zeros): what the
        leaf's `.grad` held after it; else None (it holds what arrived, `grad_out`). A leaf that several passes add
        into, unchanged between them, is one node whose `grad` is its last: the page shows each step's `.grad`."""
        if run.name != "AccumulateGrad" or run.order is None or not run.grad_before or run.grad_before[0] is None:
            return None
        held = _held_after(run)
        return None if held is None else self.summaries(held)

    def _explain(self, nodes: list[dict[str, Any]], owner: dict[str, str]) -> None:
        """Every backward node's `explain`, and each of its earlier runs', from the values as PyTorch used them (see
        explanation.py)."""
        records = self.recorder.backward.records
        by_id = {r.id: r for r in self.tensors}
        accumulators = {node: record for node, record in records.items() if record.name == "AccumulateGrad"}
        # each run to explain: (its node, its record, where its `explain` goes), the node's last run first
        runs: list[tuple[Any, BackwardRecord, dict[str, Any]]] = []
        for node_dict, (node, record) in zip(nodes, records.items(), strict=True):
            runs.append((node, record, node_dict))
            runs += [
                (node, past, run)
                for past, run in zip(record.earlier or (), node_dict["earlier_runs"] or (), strict=True)
            ]
        names = {**self.vars, **self.exprs}  # (what labels call each tensor: the formulas call it the same)
        makes = {node: names.get(owner.get(record.id, "")) for node, record in records.items()}
        incoming = _incoming(runs, accumulators, {node: name for node, name in makes.items() if name})
        explainer = Explainer(
            self.recorder.forward,
            names,
            self.used,
            self.summaries.max_elements,
            accumulators,
            self._record_of,
            records,
            self.recorder.backward.chosen,
            graph_of_backward="create_graph" in (self.source or ""),  # (a backward that records a graph asks so)
            source=self.source,
        )
        backward = self.recorder.backward
        hooks_ran = {(node, backward.pass_of(task)) for node, task in self.recorder.hooks_ran}
        # leaves' AccumulateGrad nodes a torch.autograd.grad() pass sent a gradient to (it returned it instead)
        returned = {
            target
            for record in records.values()
            for run in (record, *(record.earlier or ()))
            if run.order is not None and _call_of(backward.calls, run.backward_pass) == "grad"
            for (target, _), sent in zip(record.next, run.grad_in or (), strict=False)
            if target in accumulators and sent is not None  # (not a leaf the call did not ask for)
        }
        most = self.recorder.explain_max_nodes
        templates: Templates | None = None
        full: set[int] | None = None
        if len(runs) > most:  # the last pass's runs in full, root first; the others by their formulas
            ranked = sorted((record for _, record, _ in runs), key=_explain_rank)
            full = {id(r) for r in ranked[:most]}
            passes = len({record.backward_pass for _, record, _ in runs})
            templates = Templates(brief_reason(most, passes), self.used)
        # A full explanation's numbers cost by its tensors' size (a convolution's, 0.1-0.5 s), not by the nodes the
        # time the stop left was reckoned by: past half of that time, the rest have their formulas only, else the
        # run's limit killed the run as it made its Run (its graphs and what it printed lost).
        late: Templates | None = None
        for node, record, into in runs:
            if full is not None and id(record) not in full and records[node] is not record:
                continue  # (an earlier run past the bound: the page says so, and its last run is explained)
            tensor_id = owner.get(record.id)
            hooked = (node, record.backward_pass) in hooks_ran  # (the gradient it took in is the snippet's hook's)
            tensor = by_id.get(tensor_id) if tensor_id is not None else None
            brief = None if full is None or id(record) in full else templates
            if brief is None and self.time_left() < self.recorder.export_reserve_s() / 2:
                late = late or Templates(OUT_OF_TIME_REASON, self.used)
                brief = late
                self.recorder.explained_short_of_time += 1
            try:
                into["explain"] = explainer.explain(
                    node, record, tensor, incoming.get((node, record.backward_pass), ()), hooked, brief
                )
                if node in returned and record.order is None and into["explain"] is not None:
                    into["explain"] = _returned(into["explain"])
            except Exception as error:  # (a rule's bug met outside explain_node's own guard: one node, not the run)
                grads = record.grad_in or [None] * len(record.next)
                into["explain"] = broken(record.name, grads, [None] * len(grads), error)
        for node_dict, node in zip(nodes, records, strict=True):  # (what labels call a node with no tensor)
            made = explainer.made_names.get(node)
            if made is not None:
                node_dict["expr"] = fitted(made)

    def _edges(self, record: BackwardRecord, backward_ids: dict, grad_in: list) -> list[dict[str, Any]]:
        edges = []
        for k, (target, input_nr) in enumerate(record.next):
            target_id = backward_ids.get(target) if target is not None else None
            if target_id is None:
                continue  # no gradient flows there, or the graph was capped before reaching it
            grad = grad_in[k] if k < len(grad_in) else None
            edges.append({"source": record.id, "slot": k, "target": target_id, "input_nr": input_nr, "grad": grad})
        return edges

    def _saved(self, saved: Saved | None, node: str = "") -> list[dict[str, Any]] | None:
        if saved is None:
            return None
        entries = []
        for name, value in saved:
            entry: dict[str, Any] = {"name": fitted(name), "tensor": None, "value": None, "repr": None}
            if isinstance(value, Kept):
                record = self._record_of(value)
                if record is not None:
                    entry["tensor"] = record.id  # (its value is that node's)
                else:
                    entry["value"] = self.summaries.of_kept(value)
                    means = SAVED_MEANS.get((node, name))
                    if means is not None and math.prod(entry["value"]["shape"]):  # (eval mode's empty statistics)
                        entry["means"] = means
            elif isinstance(value, Packed):
                entry["repr"] = packed_text(value)
            else:
                entry["repr"] = text(value)
            entries.append(entry)
        return entries

    def _record_of(self, kept: Kept) -> TensorRecord | None:
        """The forward node a saved tensor is, showing the same value: the same tensor object at the same version,
        or the tensor an op made (autograd saves outputs as new objects), or another object on the same data."""
        tensor = kept.tensor
        record = self.by_version.get((id(tensor), kept.version, kept.live))
        if record is not None:
            return record
        if kept.stale:
            return None
        if self.made_by is None or self.by_data is None:  # (made at the first saved tensor that is no record's)
            live = [r for r in self.tensors if not r.kept.stale]
            self.made_by = {(r.grad_fn, r.output_nr): r for r in live if r.grad_fn is not None}
            self.by_data = {key: r for r in live if (key := data_key(r.kept.tensor)) is not None}
        if (grad_fn := grad_fn_of(tensor)) is not None:
            found = self.made_by.get((grad_fn, tensor.output_nr))
            if found is not None:
                return found
        key = data_key(tensor)
        return None if key is None else self.by_data.get(key)


def _retains_grad(tensor: torch.Tensor) -> bool:
    """Whether `.retain_grad()` was called on a non-leaf tensor (False where torch cannot say: a torch.func wrapper)."""
    try:
        return bool(tensor.retains_grad)
    except RuntimeError:
        return False


def _retained(records: Iterable[TensorRecord]) -> dict[int, TensorRecord]:
    """id(`.grad`) -> the record of the non-leaf tensor that holds it (`y.retain_grad()`)."""
    found: dict[int, TensorRecord] = {}
    for record in records:
        tensor = record.kept.tensor
        try:
            grad = tensor.grad if not tensor.is_leaf and tensor.retains_grad else None
        except RuntimeError:  # (a tensor that cannot say: a torch.func wrapper)
            continue
        if grad is not None:
            found[id(grad)] = record
    return found
