"""The Run and its graphs: the contract between the capture worker, the server and API users. Pure data.

The models are msgspec Structs. A Run that comes from a worker's child is untrusted: `parse_run` decodes it
against these types and `check_run` enforces what types cannot say (node limits, ids that exist, values that
fit their shape), so the server stores only what `encode` writes again from a checked Run. `docs/run.schema.json`
is `run_schema()`; a test keeps it in step with this module.
"""

import hashlib
import json
import re
from collections.abc import Iterator
from typing import Annotated, Any, ClassVar, Literal

import msgspec
from msgspec import Meta, Struct

from .gc_pause import gc_paused

# Node ids: a letter or three, then digits (`t12`, `o3`, `b7`; folded groups `ro12`, `mo40`). `parse_run` checks
# them (`check_ids`): nothing a forged Run puts in an id reaches DOT, HTML or a URL as anything but letters and
# digits. The check is not the type's, so that a stored run written by other means can still be drawn (DOT quotes
# every id, the page rebuilds every picture): `parse_run(data, check_ids=False)`.
NODE_ID = r"[a-z]{1,3}[0-9]{1,9}"
NodeId = Annotated[str, Meta(max_length=1000, extra_json_schema={"pattern": f"^{NODE_ID}$"})]
RUN_ID = r"[0-9A-Za-z]{1,32}"
RunId = Annotated[str, Meta(pattern=f"^{RUN_ID}$")]
NOT_FINITE = Literal["nan", "inf", "-inf"]
Number = float | NOT_FINITE  # (msgspec refuses numbers past float's range: infinities only as strings)
Line = Annotated[int, Meta(ge=0)] | None
Name = Annotated[str, Meta(max_length=1000)]
# A tensor's shape. torch takes more dimensions than MAX_DIMS, no real code does; each size fits torch's int64.
MAX_DIMS = 1024
Shape = Annotated[list[Annotated[int, Meta(ge=0, le=2**63 - 1)]], Meta(max_length=MAX_DIMS)]
NESTED_DIMS = 64  # the most dimensions a summary's data nests (one for a complex number's parts); more: sent flat


def _doc(text: str) -> Meta:
    """A field's description in the JSON Schema: `Annotated[kind, _doc("...")]`."""
    return Meta(description=text)


class Model(Struct, kw_only=True, forbid_unknown_fields=True):
    """Every struct of the Run: unknown fields are refused."""


class Summary(Model, omit_defaults=True, gc=False):
    """A tensor's values: all of them, or the first `max_elements` (then `truncated`) with statistics."""

    shape: Shape
    dtype: Name
    data: Annotated[
        msgspec.Raw,
        Meta(
            description="A number, or nested lists of numbers shaped like `shape` (when `truncated`: a flat list of "
            "the first values); a complex number as `[real, imag]`, one level deeper than `shape`; NaN and "
            'infinities as the strings "nan", "inf", "-inf"; null when unreadable.',
            extra_json_schema={"type": ["number", "boolean", "string", "array", "null"]},
        ),
    ]
    truncated: bool
    min: Annotated[Number | None, _doc("Statistics of all values, when `truncated`.")] = None
    max: Number | None = None
    mean: Number | None = None
    unreadable: Annotated[
        str | None,
        _doc(
            "Why the values could not be read (`data` is null then), e.g. a torch.func wrapper, or why they mean "
            "nothing yet: memory `torch.empty` (or the like) gave that no op has written to (`not filled yet: ...`)."
        ),
    ] = None

    def values(self) -> Any:
        """`data` as Python values."""
        return msgspec.json.decode(self.data)


class TensorNode(Model, tag_field="kind", tag="tensor", kw_only=True, gc=False):
    """A tensor of the forward graph; each in-place change of a tensor gives it a new node (`version`)."""

    kind: ClassVar[str] = "tensor"
    id: NodeId
    var: Annotated[
        Name | None,
        _doc(
            "The snippet's name for it: the name bound at its top level (`k`, `parts[0]`, `net.0.weight` for module "
            "parameters), else the innermost function's."
        ),
    ]
    aliases: Annotated[list[Name], _doc("Every other name the snippet bound to it, top-level ones first.")] = []
    expr: Annotated[
        Name | None,
        _doc(
            "For a tensor the snippet did not name (`var` null): the source expression that made it (`X @ W`, "
            "`torch.tanh(…) * 2` where an operand has a node of its own), else the op that made it "
            "(`model.0 → linear`). "
            "Set by the capture engine from the code (app/expression.py); what labels, the page and the explanations' "
            "formulas call the tensor."
        ),
    ] = None
    line: Line
    forward_line: Annotated[
        Line,
        _doc(
            "The output of a custom `torch.autograd.Function`: the line of its `forward()` that computed it (`line` "
            "is the line of the `.apply(...)` call that made it and its backward node)."
        ),
    ] = None
    shape: Shape
    dtype: Name
    requires_grad: bool
    is_leaf: bool
    version: Annotated[int, _doc("Its in-place version counter when this node was recorded.")]
    value: Summary
    grad: Annotated[
        Summary | None,
        _doc(
            "Leaves: the final `.grad` (an earlier version of a leaf, changed in place since: its `.grad` right after "
            "the last backward pass that used that version). Others: the gradient that flowed into it in the last "
            "backward pass that reached it."
        ),
    ]
    grad_fn: Annotated[NodeId | None, _doc("The backward node that made it (non-leaf tensors).")]
    grad_accumulator: Annotated[NodeId | None, _doc("The AccumulateGrad backward node of a leaf.")] = None
    retains_grad: Annotated[
        bool,
        _doc("A non-leaf tensor on which the snippet called `.retain_grad()`: PyTorch keeps its `.grad` too."),
    ] = False


class OpNode(Model, tag_field="kind", tag="op", gc=False):
    """A tensor operation the snippet ran (an operator, a tensor method, a torch function)."""

    kind: ClassVar[str] = "op"
    id: NodeId
    op: Name
    line: Line
    module: Annotated[
        Name | None,
        _doc(
            "The nn.Module it ran in: the innermost running module's qualified name (`model.0`), or the class names "
            "of modules the snippet never named (`Net/Linear`); null outside any module."
        ),
    ] = None
    calls: Annotated[
        list[int],
        _doc(
            "The module calls it ran in, outermost first: every nn.Module call of the run has a number (1 for the "
            "first), so two calls of one module can be told apart. Empty outside any module."
        ),
    ] = []
    inside: Annotated[
        Name | None,
        _doc(
            "Outside any module: the function the snippet's line called that ran this op inside it, by name "
            "(`log_prob` of `dist.log_prob(u)`, `jacobian`, a class for its `__init__`, `sum` for the additions of "
            "Python's `sum(...)`), when that function is not the op itself; null otherwise."
        ),
    ] = None
    no_grad: Annotated[bool, _doc("Ran with gradient recording off (no_grad, inference).")] = False
    inference: Annotated[bool, _doc("Ran under torch.inference_mode() (`no_grad` is true too).")] = False
    cut: Annotated[
        bool,
        _doc(
            "Tracking stopped here: an input requires grad, its outputs do not, through `detach`, `.data`, "
            "`no_grad` or `inference_mode`; or an input requires grad and the op (`item`, `tolist`, `numpy`) took "
            "its values out of the graph, the code making a tensor of them, or copied them into a new leaf "
            "(`torch.tensor(x, requires_grad=True)`, `new_tensor`), or made a new leaf of their memory "
            "(`Parameter`: `nn.Parameter(h)`)."
        ),
    ] = False
    non_differentiable: Annotated[
        bool,
        _doc(
            "An input requires grad, but the op has no derivative and its outputs do not (comparisons, argmax, "
            "integer results). Factories such as `ones_like` are neither this nor a cut."
        ),
    ] = False
    unchanged: Annotated[
        bool,
        _doc(
            "It gave its input back unchanged, the same tensor, with no backward node: a dropout in eval mode "
            "(`model.eval()`, `training=False`) or with p = 0. Its output is a new node of that tensor."
        ),
    ] = False


class GroupNode(Model, tag_field="kind", tag="group", gc=False):
    """Nodes a folded view shows as one (only in answers asked for with `fold`): the repetitions between the
    first and the last of a repeated block, or one call of a module."""

    kind: ClassVar[str] = "group"
    id: Annotated[NodeId, _doc("Stable for the same run: pass it in `expand` to see its nodes.")]
    reason: Literal["repeat", "module"]
    label: Annotated[str, _doc("What it holds: the ops of one repetition and their count, or the module.")]
    count: Annotated[int, _doc("Repetitions folded into it (1 for a module call).")]
    module: Annotated[str | None, _doc("The module its ops ran in, indices dropped for repeats.")] = None
    line: Line = None
    members: Annotated[list[NodeId], _doc("The ids of this graph's nodes it hides.")] = []
    passes: Annotated[
        list[int], _doc("In the backward graph, the backward passes its nodes ran in, in order (empty if none ran).")
    ] = []


class Fold(Model):
    """How a folded view was made (absent from a whole Run)."""

    budget: Annotated[int, _doc("The node budget asked for (`fold`).")]
    expand: Annotated[list[str], _doc("The groups asked to stay unfolded (`expand`).")]
    groups: Annotated[int, _doc("How many groups this view made.")]


class ForwardEdge(Model, gc=False):
    source: NodeId
    target: NodeId


class SavedValue(Model, gc=False):
    """One `_saved_*` attribute of a backward node, read before backward freed it."""

    name: Name
    tensor: Annotated[NodeId | None, _doc("The forward tensor node it is, when it is one (its value is there).")] = None
    value: Annotated[Summary | None, _doc("Its value, for a saved tensor that is no forward tensor node.")] = None
    repr: Annotated[
        str | None,
        _doc(
            "Non-tensor values (ints, sizes, scalars) as text; or what a saved-tensor pack hook (the snippet's, "
            "torch.utils.checkpoint's, save_on_cpu's) made of a tensor (never unpacked: that would run its unpack "
            "hook)."
        ),
    ] = None
    means: Annotated[
        str | None,
        _doc(
            "What a value torch saved under a number holds, where gradwalk knows (`result1` of a batch norm: "
            "`mean`, `result2`: `invstd`; a layer norm's `rstd`; a max pool's `indices`); else null."
        ),
    ] = None


class Words(Model):
    """The same text in English and Korean."""

    en: str
    ko: str


class Check(Model):
    """A rule's gradient, recomputed from the run's values, against the one PyTorch produced."""

    ok: bool
    max_abs_err: Number
    max_rel_err: Number


class ExplainedInput(Model):
    """One `next_functions` slot of an explained backward node."""

    slot: int
    to: Annotated[NodeId | None, _doc("The forward tensor this gradient is for.")]
    formula: Words
    numbers: Annotated[str | None, _doc("The chain rule with this run's values (small tensors).")] = None
    check: Check | None = None


class Explanation(Model):
    """What a backward node computes, in words and formulas, checked against PyTorch's own numbers."""

    rule: str
    words: Words
    formula: Annotated[Words, _doc("Its local derivative.")]
    inputs: list[ExplainedInput]


GRAD_AFTER = (
    "For AccumulateGrad, when this run added into a `.grad` its leaf already held (an earlier pass's, or zeros): "
    "the leaf's `.grad` after it; else null (it then holds what arrived, `grad_out`)."
)


class NodeRun(Model, gc=False):
    """A backward node's run in a recorded backward pass before the last one that ran it."""

    backward_pass: Annotated[int, _doc("Which backward pass (1 first) ran it.")]
    order: Annotated[int, _doc("Position in which that pass ran it (0 first).")]
    grad_in: Annotated[list[Summary | None], _doc("Gradients it produced then, one per `next_functions` entry.")]
    grad_out: Annotated[list[Summary | None], _doc("Gradients it received then, one per output of the forward op.")]
    sent: Annotated[
        list[Summary | None] | None,
        _doc("What flowed on along its edges then, when the snippet's post hooks replaced `grad_in`; else null."),
    ] = None
    seed: Annotated[
        list[Summary | None] | None, _doc("What the snippet's backward call itself started it with then, or null.")
    ] = None
    explain: Annotated[Explanation | None, _doc("The node's explanation with that pass's numbers.")] = None
    grad_after: Annotated[Summary | None, _doc(GRAD_AFTER)] = None


class GradFnNode(Model, tag_field="kind", tag="grad_fn", gc=False):
    """An autograd Node (`grad_fn`), as walked through `next_functions`."""

    kind: ClassVar[str] = "grad_fn"
    id: NodeId
    name: Name
    tensor: Annotated[
        NodeId | None,
        _doc("The forward tensor it belongs to: the output it made, or, for AccumulateGrad, the leaf it fills."),
    ]
    grad_in: Annotated[
        list[Summary | None], _doc("Gradients it produced, one per `next_functions` entry (torch's `grad_inputs`).")
    ]
    grad_out: Annotated[
        list[Summary | None], _doc("Gradients it received, one per output of the forward op (torch's `grad_outputs`).")
    ]
    order: Annotated[
        int | None,
        _doc("Position in which backward ran it (0 first), in the last pass that ran it; null if it never ran."),
    ]
    backward_pass: Annotated[int | None, _doc("Which backward pass (1 first) `order` is from.")] = None
    expr: Annotated[
        Name | None,
        _doc(
            "For a node with no forward tensor (`tensor` null): what its output is, as its explanation calls it: "
            "`model.weightᵀ` (the transpose inside F.linear), or a formula of its inputs' names (`x² · 3`) for a "
            "tensor torch made along the way (inside an op, or in a backward pass with create_graph=True). "
            "Else null."
        ),
    ] = None
    seed: Annotated[
        list[Summary | None] | None,
        _doc(
            "What the snippet's backward call itself started this node with in that pass, one per output (the "
            "gradient it passed, or 1 for a one-element output): `grad_out` is this plus what its incoming edges "
            "carried. Null when that pass did not start here."
        ),
    ] = None
    saved: Annotated[
        list[SavedValue] | None,
        _doc("Its saved tensors and values; null when they were already freed when gradwalk saw it."),
    ] = None
    grad_after: Annotated[Summary | None, _doc(GRAD_AFTER)] = None
    explain: Annotated[Explanation | None, _doc("What it computes and why, or null (no rule for this node yet).")] = (
        None
    )
    earlier_runs: Annotated[
        list[NodeRun] | None,
        _doc(
            "Its runs in recorded passes before `backward_pass`, oldest first: a leaf's AccumulateGrad runs in every "
            "pass of a training loop, and `retain_graph=True` lets a graph run again. Null when one pass ran it."
        ),
    ] = None
    raised_in_pass: Annotated[
        int | None,
        _doc(
            "The last backward pass that raised an exception while it ran (its backward function, or a hook on it): "
            "that pass stopped here. Null when no pass did."
        ),
    ] = None


class BackwardEdge(Model, gc=False):
    """One non-None entry of `source.next_functions`, the way gradients flow (duplicates kept)."""

    source: NodeId
    target: NodeId
    input_nr: int
    grad: Annotated[Summary | None, _doc("The gradient that flowed along it in the last pass.")]
    slot: Annotated[
        int | None,
        _doc("Which `next_functions` entry of the source it is: its gradient in an earlier run is `grad_in[slot]`."),
    ] = None


ForwardNode = TensorNode | OpNode | GroupNode
BackwardNode = GradFnNode | GroupNode


class ForwardGraph(Model):
    nodes: list[ForwardNode] = []
    edges: list[ForwardEdge] = []


class BackwardGraph(Model):
    nodes: list[BackwardNode] = []
    edges: list[BackwardEdge] = []


class Hint(Model):
    en: str
    ko: str


class RunError(Model):
    type: Annotated[Name, _doc("RuntimeError, SyntaxError, GraphLimit, ...")]
    message: str
    line: Annotated[Line, _doc("Line in the snippet (after its common indent is removed).")] = None
    column: Line = None
    hint: Annotated[Hint | None, _doc("What the error means and what to do, in English and Korean.")] = None
    backward_pass: Annotated[
        int | None,
        _doc(
            "The backward pass that raised it, when backward did (the node it stopped in has `raised_in_pass`); null "
            "otherwise."
        ),
    ] = None


class Run(Model, kw_only=True):
    """One run of a snippet: what it printed, its forward and backward graphs, and how it ended."""

    id: RunId | None = None
    code: Annotated[str | None, _doc("The snippet as it was sent (the page of a run shows it again).")] = None
    status: Literal["ok", "error", "timeout", "limit"]
    error: RunError | None = None
    stdout: str = ""
    stderr: str = ""
    forward: ForwardGraph = msgspec.field(default_factory=ForwardGraph)
    backward: BackwardGraph = msgspec.field(default_factory=BackwardGraph)
    torch_version: str | None = None
    backward_passes: Annotated[int, _doc("How many backward passes ran.")] = 0
    backward_calls: Annotated[
        list[Literal["backward", "grad"]],
        _doc(
            "What started each backward pass, in order: `backward` (`.backward()`, `torch.autograd.backward`: the "
            "gradients go into the leaves' `.grad`) or `grad` (`torch.autograd.grad`: they are returned, no `.grad` "
            "changes). Empty in runs stored before it."
        ),
    ] = []
    backward_inputs_given: Annotated[
        list[bool],
        _doc(
            "For each backward pass, in order: true when its call named the tensors it computes gradients for "
            "(`backward(inputs=...)`, `torch.autograd.grad`), so that other leaves get none from it. Empty in runs "
            "stored before it."
        ),
    ] = []
    added_to_grads: Annotated[
        list[bool | None],
        _doc(
            "For each recorded backward pass, in order: true when a leaf's `.grad` still held gradients (not all zero) "
            "as the pass added to it, so that they accumulated; false when every `.grad` it added to was None or zero "
            "(`zero_grad()` ran in between); null when it added to no `.grad` (`torch.autograd.grad`) or a value was "
            "not kept. Empty in runs stored before it."
        ),
    ] = []
    recorded_passes: Annotated[
        int | None,
        _doc(
            "How many backward passes the graphs show when some ran unrecorded: the recording stopped before the "
            "code ended (`recording_stopped`), or a loop ran past GRADWALK_MAX_RECORDED_PASSES (its later passes "
            "ran unrecorded, but for its last iteration where its end is known; the recording resumed with the code "
            "after it). `backward_passes` counts every pass; "
            "null when every pass was recorded."
        ),
    ] = None
    recording_paused: Annotated[
        RunError | None,
        _doc(
            "Where the recording first paused in a loop that took the graphs to half the nodes a run may hold "
            "(GRADWALK_MAX_NODES, or as many as a Run of GRADWALK_MAX_RESULT_BYTES holds; after a resume, half of "
            "what was left), type `LoopPaused`: the loop's later iterations ran unrecorded (each torch call only "
            "checked for the loop's end), and the recording resumed with the code after it. The status stays `ok`, "
            "and the output is all there. Null when no loop paused so."
        ),
    ] = None
    recording_stopped: Annotated[
        RunError | None,
        _doc(
            "Why and where the recording stopped before the code ended: `GraphLimit` at GRADWALK_MAX_NODES or "
            "`RecordLimit` after GRADWALK_RECORD_CPU_S (the status is `limit` if the code then ended well, with this "
            "as its `error`). The code ran on unrecorded from `line` (each torch call only checked): what it printed "
            "is all in `stdout`, and `backward_passes` counts every pass. Null when the whole run was recorded."
        ),
    ] = None
    explained_short_of_time: Annotated[
        int,
        _doc(
            "How many backward nodes have their explanation's formulas only, not its numbers, because the run's time "
            "(GRADWALK_RUN_CPU_S, GRADWALK_RUN_TIMEOUT_S) was nearly used up when they were explained: how busy the "
            "machine was decided that, not the code, so the API runs the snippet again when it is asked for again."
        ),
    ] = 0
    duration_ms: Annotated[float | None, _doc("Time the capture took, in milliseconds.")] = None
    fold: Annotated[Fold | None, _doc("Set when this is a folded view (`fold`), not the whole Run.")] = None


class InvalidRun(ValueError):
    """Bytes that are not a Run within the limits; the message says the first problem found."""


_decoder = msgspec.json.Decoder(Run)
_encoder = msgspec.json.Encoder()
ELEMENT = int | float | bool | NOT_FINITE | None  # one value of a tensor (bool and int tensors keep their kind)
_data_decoders: dict[int, msgspec.json.Decoder[Any]] = {}
NULL = msgspec.Raw(b"null")  # (a Raw equals a Raw, never bytes)


def _data_decoder(dims: int) -> msgspec.json.Decoder[Any]:
    """The decoder of `dims` nested lists of values."""
    decoder = _data_decoders.get(dims)
    if decoder is None:
        kind: Any = ELEMENT
        for _ in range(dims):
            kind = list[kind]
        decoder = _data_decoders[dims] = msgspec.json.Decoder(kind)
    return decoder


def _fits(data: list[Any], shape: list[int]) -> bool:
    """Whether nested lists `data` have exactly the lengths `shape` says at every level."""
    if len(data) != shape[0]:
        return False
    if len(shape) == 1:
        return True
    rest = shape[1:]
    return all(_fits(row, rest) for row in data)


def element_count(shape: list[int], most: int) -> int:
    """How many values a tensor of `shape` holds, counted up to `most` (past it: `most + 1`). A forged shape of
    thousands of sizes near 2**64 multiplies out to a number of tens of thousands of digits, whose product held the
    server's one interpreter lock for seconds."""
    if 0 in shape:
        return 0
    count = 1
    for size in shape:
        count *= size
        if count > most:
            return most + 1
    return count


def listed_count(shape: list[int], most: int) -> int:
    """How many entries a summary that lists a tensor of `shape` whole writes at its deepest level, counted up to
    `most` (past it: `most + 1`): its values, or, for a tensor with no values, the empty lists its sizes before the
    first 0 make. Such a tensor was listed whole however many lists that took: `torch.zeros(300_000, 0)` was 300,000
    empty lists, and a 7-line snippet made a 59 MB Run of 15 forward nodes whose forward DOT was 29 MB and took 26 s."""
    return element_count(shape[: shape.index(0)] if 0 in shape else shape, most)


def _value_shape(summary: Summary) -> list[int]:
    """How a summary's values nest: its shape, and for complex dtypes one more level, `[real, imag]`."""
    return [*summary.shape, 2] if summary.dtype.startswith("complex") else summary.shape


def _check_summaries(summaries: list[Summary], max_elements: int) -> None:
    """Every summary's data is values of its kind (numbers, booleans, "nan"/"inf"/"-inf", null), nested as its
    shape says (a flat list of at most `max_elements` when truncated, with its statistics). Summaries of as many
    dimensions are decoded together, as one JSON array: one decoder call, not one per summary."""
    by_dims: dict[int, list[Summary]] = {}
    for summary in summaries:
        if summary.data == NULL:
            continue
        if summary.truncated:
            if summary.min is None or summary.max is None or summary.mean is None:
                raise InvalidRun("a truncated summary without its statistics")
            dims = 1
        else:
            dims = len(_value_shape(summary))
            if listed_count(_value_shape(summary), max_elements) > max_elements:
                raise InvalidRun(f"a summary of more values (or empty lists) than max_elements = {max_elements}")
            if dims > NESTED_DIMS:
                raise InvalidRun(f"a summary nested more than {NESTED_DIMS} levels deep")
        by_dims.setdefault(dims, []).append(summary)
    for dims, group in by_dims.items():
        try:
            every = _data_decoder(dims + 1).decode(b"[" + b",".join(bytes(s.data) for s in group) + b"]")
        except msgspec.DecodeError as exc:
            raise InvalidRun(f"summary data: {exc}") from None
        for summary, data in zip(group, every, strict=True):
            if summary.truncated:
                shape = _value_shape(summary)  # (one nested too deep lists its values flat, maybe all of them)
                whole = len(data) >= element_count(shape, len(data)) and len(shape) <= NESTED_DIMS
                whole = whole and len(data) > 0  # (a tensor with no values may be cut: its empty lists, listed_count)
                if len(data) > max_elements or whole:
                    raise InvalidRun("a truncated summary with more values than it may list")
            elif dims and not _fits(data, _value_shape(summary)):
                raise InvalidRun("summary data not shaped like its shape")


def _summaries(run: Run) -> list[Summary]:
    """Every Summary of a Run."""
    found = []
    for node in run.forward.nodes:
        if isinstance(node, TensorNode):
            found.append(node.value)
            if node.grad is not None:
                found.append(node.grad)
    for back in run.backward.nodes:
        if isinstance(back, GradFnNode):
            found += [g for g in back.grad_in if g is not None]
            found += [g for g in back.grad_out if g is not None]
            found += [g for g in back.seed or () if g is not None]
            found += [s.value for s in back.saved or () if s.value is not None]
            found += [back.grad_after] if back.grad_after is not None else []
            for past in back.earlier_runs or ():
                for grads in (past.grad_in, past.grad_out, past.sent or (), past.seed or (), (past.grad_after,)):
                    found += [g for g in grads if g is not None]
    found += [e.grad for e in run.backward.edges if e.grad is not None]
    return found


def _references(run: Run) -> Iterator[tuple[str, str | None, set[str]]]:
    """(what, id, the ids it must be one of) for every id a Run's nodes and edges point at."""
    forward = {node.id for node in run.forward.nodes}
    backward = {node.id for node in run.backward.nodes}
    if len(forward) != len(run.forward.nodes) or len(backward) != len(run.backward.nodes):
        raise InvalidRun("two nodes with the same id")
    for edge in run.forward.edges:
        yield "a forward edge", edge.source, forward
        yield "a forward edge", edge.target, forward
    for back_edge in run.backward.edges:
        yield "a backward edge", back_edge.source, backward
        yield "a backward edge", back_edge.target, backward
    for node in run.forward.nodes:
        if isinstance(node, TensorNode):
            yield "grad_fn", node.grad_fn, backward
            yield "grad_accumulator", node.grad_accumulator, backward
        elif isinstance(node, GroupNode):
            for member in node.members:
                yield "a group member", member, forward
    for back in run.backward.nodes:
        if isinstance(back, GradFnNode):
            yield "a backward node's tensor", back.tensor, forward
            for saved in back.saved or ():
                yield "a saved tensor", saved.tensor, forward
            for explain in [back.explain, *(past.explain for past in back.earlier_runs or ())]:
                for explained in explain.inputs if explain else ():
                    yield "an explanation", explained.to, forward
        else:
            for member in back.members:
                yield "a group member", member, backward


_ID_LINES = re.compile(f"{NODE_ID}(?:\n{NODE_ID})*")


def check_ids(run: Run) -> Run:
    """`run` itself if every node's id is a node id (`t12`); else InvalidRun. (`check_run` checks that every id a
    node or an edge names is one of its graph's nodes.)"""
    named = [node.id for graph in (run.forward, run.backward) for node in graph.nodes]
    if named and _ID_LINES.fullmatch("\n".join(named)) is None:  # one regex call for them all
        bad = next(node_id for node_id in named if not re.fullmatch(NODE_ID, node_id))
        raise InvalidRun(f"a node id that is not letters then digits: {bad[:40]!r}")
    return run


# What a run's error message may add to GRADWALK_MAX_OUTPUT_BYTES: the note that it was cut (app.capture.output).
CUT_NOTE_BYTES = 64


def check_run(
    run: Run, *, max_nodes: int, max_elements: int, max_output_bytes: int | None = None, max_edges: int | None = None
) -> Run:
    """`run` itself if it keeps the limits (its printed text and error message within `max_output_bytes`, its
    edges within `max_edges`, if given) and every id it names exists; else InvalidRun."""
    nodes = len(run.forward.nodes) + len(run.backward.nodes)
    if nodes > max_nodes:
        raise InvalidRun(f"{nodes} nodes, over max_nodes = {max_nodes}")
    edges = len(run.forward.edges) + len(run.backward.edges)
    if max_edges is not None and edges > max_edges:
        raise InvalidRun(f"{edges} edges, over max_edges = {max_edges}")
    if max_output_bytes is not None:
        message = run.error.message if run.error is not None else ""
        for what, text, most in (
            ("stdout", run.stdout, max_output_bytes),
            ("stderr", run.stderr, max_output_bytes),
            ("the error message", message, max_output_bytes + CUT_NOTE_BYTES),
        ):
            if len(text) > most // 4 and len(text.encode("utf-8", "surrogatepass")) > most:
                raise InvalidRun(f"{what} is over max_output_bytes = {max_output_bytes} bytes")
    for what, node_id, known in _references(run):
        if node_id is not None and node_id not in known:
            raise InvalidRun(f"{what} names {node_id!r}, which is not a node of its graph")
    with gc_paused():
        _check_summaries(_summaries(run), max_elements)
    return run


def parse_run(data: bytes | str, *, check_ids: bool = True) -> Run:
    """Decode a Run's JSON against the models (InvalidRun says why it is not one), its node ids checked unless
    `check_ids` is False (a stored run, to be drawn). For the server's own stored Runs this is all; a child's Run
    goes through `check_run` too."""
    with gc_paused():
        try:
            run = _decoder.decode(data)
        except msgspec.DecodeError as exc:  # (ValidationError is one)
            raise InvalidRun(str(exc)) from None
        except RecursionError:
            raise InvalidRun("JSON nested too deep") from None
        return _check_ids(run) if check_ids else run


_check_ids = check_ids  # (parse_run's keyword hides the function inside it)


def failed_run(status: Literal["error", "timeout", "limit"], kind: str, message: str, **kept: Any) -> Run:
    """A Run that ended without graphs: `status`, and an error of type `kind` saying `message`; `kept` are fields
    of the Run kept from what it had (stdout, stderr, torch_version, ...)."""
    return Run(status=status, error=RunError(type=kind, message=message), **kept)


def out_of_memory(exc: BaseException) -> bool:
    """Whether `exc` says the run's memory limit was reached: Python's MemoryError (pybind11 turns C++'s bad_alloc
    into one), or torch's CPU allocator refusing, which raises a plain RuntimeError that only its message tells."""
    return isinstance(exc, MemoryError) or (
        isinstance(exc, RuntimeError) and "DefaultCPUAllocator" in exception_text(exc)
    )


def exception_text(exc: BaseException) -> str:
    """`str(exc)` that never raises (a snippet's exception may have a `__str__` that does), as UTF-8 can carry it."""
    try:
        text = str(exc)
    except Exception:
        text = "<exception str() failed>"
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


class _Code(Struct):
    code: str | None = None


def stored_code(data: bytes) -> str | None:
    """The `code` of a stored run's JSON (None when it has none or is no JSON object)."""
    try:
        return msgspec.json.decode(data, type=_Code).code
    except (msgspec.DecodeError, RecursionError):
        return None


def valid_run_id(run_id: str) -> bool:
    """Whether `run_id` is one the server makes (only such ids go into a page or an address)."""
    return re.fullmatch(RUN_ID, run_id) is not None


def encode(run: Run) -> bytes:
    """A Run's JSON, as the API serves it."""
    return _encoder.encode(run)


def run_schema() -> dict[str, Any]:
    """The JSON Schema of the Run (the structs it uses under `$defs`)."""
    schema = msgspec.json.schema(Run)
    definitions = schema.pop("$defs")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **definitions.pop("Run"), "$defs": definitions}


def openapi_components() -> dict[str, Any]:
    """The Run's schema and those it uses, as OpenAPI components (`#/components/schemas/<name>`)."""
    (_,), components = msgspec.json.schema_components([Run], ref_template="#/components/schemas/{name}")
    return components


BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
# A run's id names what made it, so that after an upgrade the same snippet runs again instead of answering with
# the Run an older engine made (without its explanations, with its mistakes). Raise RUN_FORMAT with any change to
# what a capture records or explains; runs made before keep their ids and pages.
RUN_FORMAT = 15


def make_run_id(code: str, options: dict[str, Any], torch_version: str) -> str:
    """A short id of letters and digits (12), the same for the same code, options, torch version and RUN_FORMAT."""
    key = json.dumps({"code": code, "options": options, "torch": torch_version, "format": RUN_FORMAT}, sort_keys=True)
    number = int.from_bytes(hashlib.sha256(key.encode()).digest()[:9], "big") % 62**12
    digits = []
    for _ in range(12):
        number, digit = divmod(number, 62)
        digits.append(BASE62[digit])
    return "".join(digits)
