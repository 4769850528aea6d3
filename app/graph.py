"""The Run and its graphs: the contract between the capture worker, the server and API users. Pure data.

`docs/run.schema.json` is `Run.model_json_schema()`; a test keeps it in step with this module.
"""

import hashlib
import json
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, model_serializer

from .gc_pause import gc_paused


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Summary(Model):
    """A tensor's values: all of them, or the first `max_elements` (then `truncated`) with statistics."""

    shape: list[int]
    dtype: str
    data: JsonValue = Field(
        description="A number, or nested lists of numbers; NaN and infinities as the "
        'strings "nan", "inf", "-inf"; null when unreadable.'
    )
    truncated: bool = False
    min: float | str | None = Field(None, description="Statistics of all values, when `truncated`.")
    max: float | str | None = None
    mean: float | str | None = None
    unreadable: str | None = Field(
        None, description="Why the values could not be read (`data` is null then), e.g. a torch.func wrapper."
    )

    @model_serializer(mode="wrap")
    def _drop_absent_statistics(self, handler):
        data = handler(self)
        for key in ("min", "max", "mean", "unreadable"):
            if data.get(key) is None:
                data.pop(key, None)
        return data


class TensorNode(Model):
    """A tensor of the forward graph; each in-place change of a tensor gives it a new node (`version`)."""

    id: str
    kind: Literal["tensor"] = "tensor"
    var: str | None = Field(
        description="The snippet's name for it: the name bound at its top level (`k`, `parts[0]`, `net.0.weight` "
        "for module parameters), else the innermost function's."
    )
    aliases: list[str] = Field([], description="Every other name the snippet bound to it, top-level ones first.")
    line: int | None
    shape: list[int]
    dtype: str
    requires_grad: bool
    is_leaf: bool
    version: int = Field(description="Its in-place version counter when this node was recorded.")
    value: Summary
    grad: Summary | None = Field(
        description="Leaves: the final `.grad`. Others: the gradient that flowed "
        "into it in the last backward pass that reached it."
    )
    grad_fn: str | None = Field(description="The backward node that made it (non-leaf tensors).")
    grad_accumulator: str | None = Field(None, description="The AccumulateGrad backward node of a leaf.")


class OpNode(Model):
    """A tensor operation the snippet ran (an operator, a tensor method, a torch function)."""

    id: str
    kind: Literal["op"] = "op"
    op: str
    line: int | None
    module: str | None = Field(
        None,
        description="The nn.Module it ran in: the innermost running module's qualified name (`model.0`), or the "
        "class names of modules the snippet never named (`Net/Linear`); null outside any module.",
    )
    calls: list[int] = Field(
        [],
        description="The module calls it ran in, outermost first: every nn.Module call of the run has a number "
        "(1 for the first), so two calls of one module can be told apart. Empty outside any module.",
    )
    no_grad: bool = Field(False, description="Ran with gradient recording off (no_grad, inference).")
    cut: bool = Field(
        False,
        description="Tracking stopped here: an input requires grad, its outputs do not, through `detach`, `.data`, "
        "`no_grad` or `inference_mode`.",
    )
    non_differentiable: bool = Field(
        False,
        description="An input requires grad, but the op has no derivative and its outputs do not (comparisons, "
        "argmax, integer results). Factories such as `ones_like` are neither this nor a cut.",
    )


class GroupNode(Model):
    """Nodes a folded view shows as one (only in answers asked for with `fold`): the repetitions between the
    first and the last of a repeated block, or one call of a module."""

    id: str = Field(description="Stable for the same run: pass it in `expand` to see its nodes.")
    kind: Literal["group"] = "group"
    reason: Literal["repeat", "module"]
    label: str = Field(description="What it holds: the ops of one repetition and their count, or the module.")
    count: int = Field(description="Repetitions folded into it (1 for a module call).")
    module: str | None = Field(None, description="The module its ops ran in, indices dropped for repeats.")
    line: int | None = None
    members: list[str] = Field([], description="The ids of this graph's nodes it hides.")


class Fold(Model):
    """How a folded view was made (absent from a whole Run)."""

    budget: int = Field(description="The node budget asked for (`fold`).")
    expand: list[str] = Field(description="The groups asked to stay unfolded (`expand`).")
    groups: int = Field(description="How many groups this view made.")


class ForwardEdge(Model):
    source: str
    target: str


class SavedValue(Model):
    """One `_saved_*` attribute of a backward node, read before backward freed it."""

    name: str
    tensor: str | None = Field(None, description="The forward tensor node it is, when it is one (its value is there).")
    value: Summary | None = Field(None, description="Its value, for a saved tensor that is no forward tensor node.")
    repr: str | None = Field(
        None,
        description="Non-tensor values (ints, sizes, scalars) as text; or what the snippet's saved-tensor pack hook "
        "made of a tensor (never unpacked: that would run its unpack hook).",
    )


class GradFnNode(Model):
    """An autograd Node (`grad_fn`), as walked through `next_functions`."""

    id: str
    kind: Literal["grad_fn"] = "grad_fn"
    name: str
    tensor: str | None = Field(
        description="The forward tensor it belongs to: the output it made, or, for AccumulateGrad, the leaf it fills."
    )
    grad_in: list[Summary | None] = Field(
        description="Gradients it produced, one per `next_functions` entry (torch's `grad_inputs`)."
    )
    grad_out: list[Summary | None] = Field(
        description="Gradients it received, one per output of the forward op (torch's `grad_outputs`)."
    )
    order: int | None = Field(
        description="Position in which backward ran it (0 first), in the last pass that ran it; null if it never ran."
    )
    backward_pass: int | None = Field(None, description="Which backward pass (1 first) `order` is from.")
    saved: list[SavedValue] | None = Field(
        None, description="Its saved tensors and values; null when they were already freed when gradwalk saw it."
    )


class BackwardEdge(Model):
    """One non-None entry of `source.next_functions`, the way gradients flow (duplicates kept)."""

    source: str
    target: str
    input_nr: int
    grad: Summary | None = Field(description="The gradient that flowed along it in the last pass.")


ForwardNode = Annotated[TensorNode | OpNode | GroupNode, Field(discriminator="kind")]
BackwardNode = Annotated[GradFnNode | GroupNode, Field(discriminator="kind")]


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
    type: str = Field(examples=["RuntimeError", "SyntaxError", "GraphLimit"])
    message: str
    line: int | None = Field(None, description="Line in the snippet (after its common indent is removed).")
    column: int | None = None
    hint: Hint | None = Field(None, description="What the error means and what to do, in English and Korean.")


class Run(Model):
    """One run of a snippet: what it printed, its forward and backward graphs, and how it ended."""

    id: str | None = None
    code: str | None = Field(None, description="The snippet as it was sent (the page of a run shows it again).")
    status: Literal["ok", "error", "timeout", "limit"]
    error: RunError | None = None
    stdout: str = ""
    stderr: str = ""
    forward: ForwardGraph = ForwardGraph()
    backward: BackwardGraph = BackwardGraph()
    torch_version: str | None = None
    backward_passes: int = Field(0, description="How many backward passes ran.")
    duration_ms: float | None = Field(None, description="Time the capture took, in milliseconds.")
    fold: Fold | None = Field(None, description="Set when this is a folded view (`fold`), not the whole run.")


BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def make_run_id(code: str, options: dict, torch_version: str) -> str:
    """A short id of letters and digits (12), the same for the same code, options and torch version."""
    key = json.dumps({"code": code, "options": options, "torch": torch_version}, sort_keys=True)
    number = int.from_bytes(hashlib.sha256(key.encode()).digest()[:9], "big") % 62**12
    digits = []
    for _ in range(12):
        number, digit = divmod(number, 62)
        digits.append(BASE62[digit])
    return "".join(digits)


def parse_run(data: bytes | str) -> Run:
    """Validate a Run's JSON (raises pydantic's ValidationError)."""
    with gc_paused():
        return Run.model_validate_json(data)
