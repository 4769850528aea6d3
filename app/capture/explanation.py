"""Each backward node's explanation (app.explain), from the values the recorder kept of it: the gradients its hook
received, its saved tensors as they were when saved, and the forward tensors its gradients go to.

Called once per backward node at export. Values are read through `Kept.now()`: a copy made before an in-place
change (an optimizer step after backward) or the unchanged tensor, so every rule sees what PyTorch used when the
node ran. A value that cannot be read (a torch.func wrapper, a meta tensor, a tensor changed unannounced, one the
snippet's saved-tensor hook packed) reaches the rules as `Unreadable`: what needs it is not checked, and the words
say why.
"""

import ast
import bisect
import math
import re
from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from typing import Any

import torch

from ..explain import Unreadable, explain_node
from ..explain.node import bare, enclosed, fill_korean_format, forward_formula
from ..explain.rule import RULES, Ctx, as_variant, labelled
from ..explain.show import show_number
from ..explain.template import EXACT, Exact, Number, Templates, exact, is_transposed, number_kind, untransposed
from ..expression import walk
from .hooks import BackwardRecord
from .peek import OWN_DISPATCH, runs_own_dispatch, runs_python_dispatch
from .record import TensorRecord
from .saved import Saved
from .summary import Summary
from .torch_internals import Packed, gradient_shape, is_wrapped, sparse_out_of_bounds
from .values import Kept

DERIVED_DEPTH = 8  # nodes with no tensor named one after another from their inputs' names, at most

# The gates an LSTM or a GRU cell computes inside its op (nn.LSTMCell, nn.GRUCell, nn.GRU's every step), by the
# piece of the split gates they read, as torch's documentation names them: (letter, the name used when the snippet
# has that letter, short name in English and Korean, what it does in English and Korean).
Gate = tuple[str, str, str, str, str, str]
LSTM_GATES: tuple[Gate, ...] = (
    (
        "i",
        "input_gate",
        "input gate",
        "입력 게이트",
        "how much of the cell gate's candidate enters the cell state (σ, between 0 and 1)",
        "셀 게이트의 후보 값을 셀 상태에 얼마나 넣을지 정합니다(σ, 0과 1 사이)",
    ),
    (
        "f",
        "forget_gate",
        "forget gate",
        "망각 게이트",
        "how much of the previous cell state is kept (σ, between 0 and 1)",
        "이전 셀 상태를 얼마나 남길지 정합니다(σ, 0과 1 사이)",
    ),
    (
        "g",
        "cell_gate",
        "cell gate",
        "셀 게이트",
        "the candidate values added to the cell state (tanh, between -1 and 1)",
        "셀 상태에 더할 후보 값입니다(tanh, -1과 1 사이)",
    ),
    (
        "o",
        "output_gate",
        "output gate",
        "출력 게이트",
        "how much of tanh(c) goes out as the hidden state h (σ, between 0 and 1)",
        "tanh(c)를 은닉 상태 h로 얼마나 내보낼지 정합니다(σ, 0과 1 사이)",
    ),
)
GRU_GATES: tuple[Gate, ...] = (
    (
        "r",
        "reset_gate",
        "reset gate",
        "리셋 게이트",
        "how much of the previous hidden state goes into the new gate (σ, between 0 and 1)",
        "이전 은닉 상태를 새 게이트에 얼마나 넣을지 정합니다(σ, 0과 1 사이)",
    ),
    (
        "z",
        "update_gate",
        "update gate",
        "업데이트 게이트",
        "how much of the previous hidden state is kept; the rest comes from the new gate (σ, between 0 and 1)",
        "이전 은닉 상태를 얼마나 남길지 정하고, 나머지는 새 게이트에서 채웁니다(σ, 0과 1 사이)",
    ),
    (
        "n",
        "new_gate",
        "new gate",
        "새 게이트",
        "the candidate hidden state (tanh, between -1 and 1)",
        "후보 은닉 상태입니다(tanh, -1과 1 사이)",
    ),
)
# Saved tensors the rules' formulas call by torch's name, where the formula writes it as code (`target_i`,
# `onehot(target)`, `weight[indices]`; not the words' "target class"): the snippet's name is written instead.
CALLED_BY_TORCH = {name: re.compile(rf"(?<![\w.]){name}(?=_i\b|[)\],])") for name in ("target", "indices")}
# where()'s saved condition, which its formulas call `cond`: by the code's own expression too (`x > 0`)
CONDITION = re.compile(r"(?<![\w.])(not )?cond(?![\w.])")
SPLITS = frozenset({"UnsafeSplitBackward0", "SplitBackward0"})
GATE_WORD = re.compile(r"(?<![\w.])[^\W\d]\w*[₀-₉]*(?![\w.₀-₉])")  # a name a gate may have: `i`, `z₂`, `input_gate₁`
GATE_NODES = frozenset({"SigmoidBackward0", "TanhBackward0"})
SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")

FUNCTORCH = (
    "a torch.func wrapper: its values exist only inside the transform",
    "torch.func 변환 안에서만 값이 있는 텐서입니다",
)
CHANGED_UNSEEN = (
    "it was changed in place before gradwalk could keep a copy",
    "gradwalk가 사본을 남기기 전에 제자리에서 바뀌었습니다",
)
PACKED = {
    "snippet": (
        "the snippet's saved-tensor hook packed it (unpacking it would run the snippet's code)",
        "코드에서 건 saved-tensor 훅이 포장한 값입니다(풀면 그 코드가 실행됩니다)",
    ),
    "checkpoint": (
        "torch.utils.checkpoint did not keep it (a checkpointed segment computes its values again when backward "
        "reaches it, and gradwalk does not run that computation to read them)",
        "torch.utils.checkpoint가 이 값을 남겨 두지 않았습니다(체크포인트 구간은 역전파가 그 구간에 이르렀을 때 값을 "
        "다시 계산하는데, gradwalk는 값을 읽으려고 그 계산을 실행하지 않습니다)",
    ),
    "torch": (
        "a saved-tensor hook of torch's own (torch.autograd.graph.save_on_cpu, say) packed it, and gradwalk does "
        "not unpack it",
        "torch가 제공하는 saved-tensor 훅(예: torch.autograd.graph.save_on_cpu)이 포장한 값이라 gradwalk가 풀지 "
        "않았습니다",
    ),
}
OUT_OF_BOUNDS = (
    "a sparse tensor with an index outside its size (torch checks them only when asked): reading it would write past "
    "the end of its memory",
    "크기를 벗어난 인덱스가 있는 희소 텐서입니다(torch는 요청할 때만 인덱스를 검사합니다). 읽으면 메모리 끝을 넘어 "
    "쓰게 됩니다",
)
NOT_KEPT = (
    "the gradient was too large to keep",
    "그래디언트가 너무 커서 남겨 두지 않았습니다",
)
LET_GO = (
    "a value the snippet no longer held, summarised while it ran to keep its memory down (GRADWALK_KEEP_VALUES_MB)",
    "코드가 더는 쓰지 않는 값이라, 메모리를 아끼려고 실행 중에 요약만 남겼습니다(GRADWALK_KEEP_VALUES_MB)",
)
META = (
    "it is a meta tensor: it has a shape and a dtype but no values",
    "값 없이 모양과 dtype만 있는 meta 텐서입니다",
)
NESTED = (
    "it is a nested tensor (pieces of different shapes), which the formulas do not cover",
    "모양이 다른 조각들로 된 중첩(nested) 텐서라서 공식이 다루지 않습니다",
)
TORCH_SUBCLASS = (
    "it is a tensor subclass of torch's own (`__torch_dispatch__`: a MaskedTensor, say), and the rules are written "
    "for plain tensors",
    "torch가 제공하는 텐서 하위 클래스(`__torch_dispatch__`, 예: MaskedTensor)인데, 규칙은 일반 텐서에 맞춰 쓰여 "
    "있습니다",
)
NEVER_RAN = (
    "no backward pass ran this node, so there is no gradient to check (the formulas say what it would compute)",
    "이 노드를 실행한 역전파가 없어서 검사할 그래디언트가 없습니다(공식은 실행되었다면 계산했을 값을 보여 줍니다)",
)
STRIDED = torch.strided
BackwardCFunction = torch.autograd.function.BackwardCFunction
Args = tuple[Any, Any, Any, Any, Any, Any, Any]  # explain_node's first seven arguments
# Binary operators between two tensors, and losses between a prediction and a target: the two operands of each
# one's result (a slot with no gradient is still named by them: `F.mse_loss(pred, y)` writes y, not a letter).
OPERATORS = frozenset(
    {"add", "sub", "mul", "truediv", "div", "matmul"}
    | {"mse_loss", "smooth_l1_loss", "huber_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits"}
)
# Nodes whose two slots are an operator's two operands, in order (a slot with no gradient is still named); where's
# are its two choices.
OPERANDS = frozenset(
    {"AddBackward0", "SubBackward0", "MulBackward0", "DivBackward0", "MmBackward0"}
    | {"MseLossBackward0", "SmoothL1LossBackward0", "HuberLossBackward0", "BinaryCrossEntropyBackward0"}
    | {"BinaryCrossEntropyWithLogitsBackward0", "WhereBackward0"}
)


def _shape(tensor: torch.Tensor | None) -> tuple[int, ...] | None:
    try:
        return None if tensor is None else tuple(tensor.shape)
    except Exception:  # (whatever a broken tensor raises)
        return None


def value_of(held: Any) -> Any:
    """What the rules get for one kept value: the tensor as it was, or Unreadable with the reason."""
    if isinstance(held, Kept):
        tensor = held.now()
        if tensor is None:
            return Unreadable(LET_GO if held.digest is not None else CHANGED_UNSEEN, _shape(held.tensor))
        if is_wrapped(tensor):
            return Unreadable(FUNCTORCH, _shape(tensor))
        if runs_python_dispatch(tensor):
            if runs_own_dispatch(tensor):
                return Unreadable(OWN_DISPATCH, _shape(tensor))
            # (torch's own subclass, whose attributes run none of the snippet's code: a jagged nested tensor is one)
            return Unreadable(NESTED) if tensor.is_nested else Unreadable(TORCH_SUBCLASS, _shape(tensor))
        if tensor.is_meta:  # (`with torch.device("meta")`: shapes worked out, nothing to compute with)
            return Unreadable(META, _shape(tensor))
        if tensor.is_nested:
            return Unreadable(NESTED)
        if tensor.layout is not STRIDED:  # (a sparse gradient: the rules work on the dense tensor it stands for)
            return Unreadable(OUT_OF_BOUNDS, _shape(tensor)) if sparse_out_of_bounds(tensor) else tensor.to_dense()
        return tensor
    if isinstance(held, Packed):
        return Unreadable(PACKED[held.by])
    return held


def _as_it_was(kept: Kept) -> torch.Tensor | None:
    """An input as the op met it, for its shape and layout: its copy, the tensor while unchanged (or the stand-in of
    its shape once let go of), else None (changed since, `b.unsqueeze_(0)`: the gradient sent to it has its shape)."""
    if kept.copy is not None or kept.digest is not None:
        return kept.copy if kept.copy is not None else kept.tensor
    return kept.now()


def grads_of(grads: Sequence[Kept | Summary | None]) -> list:
    out: list = []
    for held in grads:
        if held is None or isinstance(held, Kept):
            out.append(None if held is None else value_of(held))
        else:  # a digest: only its summary was kept
            out.append(Unreadable(NOT_KEPT, tuple(held["shape"])))
    return out


def saved_of(saved: Saved) -> dict[str, Any]:
    """The saved values by name, as the rules read them: `name[i]` entries (a list of tensors) as one list."""
    values: dict[str, Any] = {}
    for name, held in saved:
        value = value_of(held)
        if name.endswith("]") and "[" in name:
            values.setdefault(name[: name.index("[")], []).append(value)
        else:
            values[name] = value
    return values


# The ops that write a tensor's values into places of another (`base.scatter(dim, index, src)`): their first input is
# what they write into.
WRITES_INTO = frozenset(
    {"scatter", "scatter_add", "scatter_reduce", "index_add", "index_copy", "index_put", "masked_scatter", "index_fill"}
)

# The ops that drop entries at random by multiplying by a mask of 0s and 1/(1 - p)s (a MulBackward0 in training mode).
DROPOUTS = frozenset({"dropout", "dropout1d", "dropout2d", "dropout3d", "feature_dropout"})


class Explainer:
    """Explains the backward nodes of one export: knows which forward tensor each gradient goes to, and names.
    `names`: forward record id -> what labels call it (its `var`, else its `expr`: app.expression); `avoid`: the
    snippet's names (letters formulas use are not among them)."""

    def __init__(
        self,
        forward: list,
        names: dict[str, str | None],
        avoid: Collection[str],
        max_elements: int,
        accumulators: Collection[Any] = (),
        record_of: Callable[[Kept], TensorRecord | None] = lambda kept: None,
        records: Mapping[Any, BackwardRecord] | None = None,
        chosen: Collection[int] = (),
        graph_of_backward: bool = True,
        source: str | None = None,
    ):
        tensors = [r for r in forward if isinstance(r, TensorRecord)]
        self.source = source  # the snippet as it ran: which numbers its lines write out (`x * 3`, not `x * k`)
        self.literals: dict[int, set[float]] | None = None  # line -> the numbers written on it, once needed
        self.chosen = chosen  # the passes that computed chosen inputs' gradients only (autograd.grad, inputs=)
        # whether a backward pass may have recorded a graph (the code asks for create_graph): a tensor torch made along
        # the way may then be backward's, else it was made inside an op
        self.graph_of_backward = graph_of_backward
        self.names, self.avoid, self.max_elements = names, avoid, max_elements
        self.record_of = record_of  # the forward node a saved tensor is (export's), if any
        self.records = records or {}  # backward node -> its record (a name for what a node with no tensor made)
        self.derived: dict[Any, str | None] = {}  # node -> forward_formula's name for its output
        # each backward pass's derived names (a name is one tensor's within a pass; a training loop's every pass makes
        # its own F.cross_entropy log-softmax, each `log_softmax(logits)` as each pass's logits is `logits`)
        self.derived_in: dict[int | None, set[str]] = {}
        self.named: set[str] | None = None  # the names labels use, bare (what a derived name may not be), once needed
        self.made_names: dict[Any, str] = {}  # node with no forward tensor -> what its explanation calls its output
        # the two operands of each operator's result (a slot that gets no gradient is still named by them)
        self.operands = {
            op.outputs[0].id: op.inputs[-2:]  # (`torch.where(cond, a, b)`: a and b)
            for op in forward
            if not isinstance(op, TensorRecord)
            and len(op.outputs) == 1
            and ((op.op in OPERATORS and len(op.inputs) == 2) or (op.op == "where" and len(op.inputs) == 3))
        }
        # the tensor an op wrote into (`torch.zeros(6).scatter(0, index, x)`'s zeros), by its result: its slot is
        # named by it even where it got no gradient (the words said `s = u with x scattered`)
        self.written_into = {
            op.outputs[0].id: op.inputs[0]
            for op in forward
            if not isinstance(op, TensorRecord) and op.op.rstrip("_") in WRITES_INTO and op.inputs and op.outputs
        }
        # the Python number an operator took as an operand, by its result: ("self" or "other", the number); and the
        # line of its op
        self.numbers: dict[str, tuple[str, float]] = {}
        self.number_lines: dict[str, int | None] = {}
        for op in forward:
            if isinstance(op, TensorRecord) or not op.numbers or len(op.outputs) != 1 or len(op.inputs) != 1:
                continue
            for number in op.numbers:
                if number is not None:
                    self.numbers[op.outputs[0].id] = (("self", "other")[op.numbers.index(number)], number)
                    self.number_lines[op.outputs[0].id] = op.line
        # the results of dropout ops (their MulBackward0's second operand is the random mask, with no forward node)
        self.dropped = {
            op.outputs[0].id
            for op in forward
            if not isinstance(op, TensorRecord) and op.op in DROPOUTS and len(op.outputs) == 1
        }
        self.made: dict[tuple[Any, int], list[TensorRecord]] = {}  # (grad_fn, output_nr) -> records, in order
        self.leaves: dict[int, list[TensorRecord]] = {}  # id(leaf) -> its leaf records, in order
        self.first: dict[Any, int] = {}  # grad_fn -> position of the first record it made
        self.tensors = tensors
        self.forward = forward
        # node -> (name, what it is in en, ko, short name in en, ko) for LSTM and GRU gates, once needed
        self.gates: dict[Any, tuple[str, str, str, str, str]] | None = None
        self.attention: dict[Any, int] | None = None  # scaled_dot_product_attention's scalings -> d, once needed
        self.pieces: dict[Any, tuple[str, str]] = {}  # a cell's split node -> which gate each piece is (en, ko)
        self.gate_named: dict[str, tuple[str, str, str, str, str]] | None = None  # a gate's name -> its gate
        for record in tensors:
            if record.grad_fn is not None:
                self.made.setdefault((record.grad_fn, record.output_nr), []).append(record)
                self.first.setdefault(record.grad_fn, int(record.id[1:]))
            elif record.requires_grad:
                self.leaves.setdefault(id(record.kept.tensor), []).append(record)
        for node in accumulators:  # (an AccumulateGrad node's one slot: its leaf, as if the node made it)
            found = self.leaves.get(id(node.variable))
            if found is not None:
                self.made[(node, 0)] = found

    def _before(self, records: list[TensorRecord] | None, limit: int | None) -> TensorRecord | None:
        """The newest of `records` (in the order recorded) recorded before position `limit` (the first if none
        is)."""
        if not records:
            return None
        if limit is None or len(records) == 1:
            return records[-1] if limit is None else records[0]
        found = bisect.bisect_left(records, limit, key=lambda r: int(r.id[1:]))  # (`t12`: the 12th forward node)
        return records[max(found - 1, 0)]

    def name(self, record: TensorRecord) -> str | None:
        """What formulas call a forward tensor: what labels call it, else nothing (a letter)."""
        return self.names.get(record.id)

    def _targets(self, node: Any, record: BackwardRecord) -> list[TensorRecord | None]:
        """The forward tensor each slot's gradient is for (an AccumulateGrad's: its leaf), as it was when the node's
        op ran."""
        limit, made = self.first.get(node), self.made
        targets: list[TensorRecord | None] = []
        for key in record.next:
            found = made.get(key)
            if found is None:
                targets.append(None)
            else:
                targets.append(found[0] if len(found) == 1 else self._before(found, limit))
        return targets

    def explain(
        self,
        node: Any,
        record: BackwardRecord,
        owner: TensorRecord | None,
        incoming: Sequence[tuple[str, Any]],
        hooked: bool = False,
        templates: Templates | None = None,
    ) -> dict | None:
        """The node's `explain`: in full, or (given `templates`, past GRADWALK_EXPLAIN_MAX_NODES) its formulas only,
        from the one template made for its kind of node with its own names filled in."""
        output_name = self.names.get(owner.id) if owner is not None else None
        if owner is None:  # (nn.Linear's weightᵀ, `1 / t`'s 1/t: as the node it goes to names it)
            output_name = self._unrecorded(node) or self._derived(node)
            if output_name:
                self.made_names[node] = output_name
        if record.name == "AccumulateGrad":
            targets: list[TensorRecord | None] = []
            names: list[str | None] = [output_name]
            to: list[str | None] = [owner.id if owner is not None else None]
        else:
            targets = self._targets(node, record)
            names = [None if t is None else self.names.get(t.id) for t in targets]
            to = [None if t is None else t.id for t in targets]
            if record.name in OPERANDS and None in names:  # (an operand's slot named even if it got no gradient)
                limit = self.first.get(node)
                operands = self.operands.get(f"t{limit}") if limit is not None else None
                if operands is not None and len(operands) == len(names):
                    names = [n if n is not None else self.name(r) for n, r in zip(names, operands, strict=True)]
                    to = [t if t is not None else r.id for t, r in zip(to, operands, strict=True)]
                    targets = [t if t is not None else r for t, r in zip(targets, operands, strict=True)]  # (shapes)
            if names and names[0] is None:  # (the tensor an op wrote into, which needs no gradient)
                limit = self.first.get(node)
                base = self.written_into.get(f"t{limit}") if limit is not None else None
                if base is not None and targets[0] is None:
                    names[0], to[0], targets[0] = self.name(base), base.id, base
            if None in names and record.saved:
                names = self._saved_names(record, names)
            if None in names:  # (nn.Linear's weight transposed inside F.linear, `1 / t`'s 1/t: no forward node)
                names = [
                    n if n is not None else self._unrecorded(key[0]) or self._derived(key[0])
                    for n, key in zip(names, record.next, strict=True)
                ]
        dropout = record.name == "MulBackward0" and owner is not None and owner.id in self.dropped and len(names) == 2
        if dropout and names[1] is None:
            names = [names[0], "dropout_mask" if "mask" in self.avoid else "mask"]
        transposed = any(is_transposed(n) for n in names)
        renamed = output_name if record.name != "AccumulateGrad" and _uses_name(names, output_name) else None
        if renamed is not None:  # (`b.mul_(2)`, `x = x * 2`: `b′ = b · 2`, not `b = b · 2` and `∂b/∂b = 2`)
            output_name = f"{renamed}′"
        made = self._made(node, record, targets, to, names, output_name, incoming, hooked, templates, transposed)
        if owner is None and output_name and made is not None and node not in self._gate_names():
            made = _made_inside(made, record.name, output_name, self.graph_of_backward)  # (a gate says so itself)
        if renamed is not None and made is not None:
            made = _renamed(made, renamed)
        if dropout and made is not None and names[1] is not None:
            made = _dropped(made, names[0], names[1], saved_of(record.saved or []).get("other"))
        if made is not None and self._gate_names():
            made = self._gates_said(node, made, names, output_name)
        if made is not None and record.saved:
            made = self._saved_named(made, record)
        d = self._attention_scaled().get(node) if made is not None and record.name == "MulBackward1" else None
        if made is not None and d is not None:
            made = _attention_scale(made, d, saved_of(record.saved or []).get("other"))
        return made

    def _made(
        self,
        node: Any,
        record: BackwardRecord,
        targets: list[TensorRecord | None],
        to: list[str | None],
        names: list[str | None],
        output_name: str | None,
        incoming: Sequence[tuple[str, Any]],
        hooked: bool,
        templates: Templates | None,
        transposed: bool,
    ) -> dict | None:
        """explain's answer, for the names it chose."""

        def arguments() -> tuple[Args, dict[str, Any]]:
            return self._arguments(node, record, targets, to, names, output_name, incoming, hooked)

        def alone(templates: Templates | None) -> dict | None:
            args, kwargs = arguments()
            if templates is None:
                made = explain_node(*args, self.max_elements, avoid=self.avoid, **kwargs)
            else:
                made = explain_node(*args, 0, avoid=self.avoid, brief=templates.brief, **kwargs)
            if transposed and made is not None and "ᵀ" in str(made):  # (str(): one C call, where most have none)
                return _untransposed(made)
            return made

        if templates is None or templates.one_by_one:  # (in full; or brief, as every template must give it)
            return alone(templates)
        made = templates.made
        numbers: list[tuple[str, Any]] = []  # (the saved values its kind holds as Numbers: name, value)
        try:
            kind = (
                *_kind(node, record, targets, incoming, hooked, numbers),
                *self._number_kind(node, record, numbers),
                self._unsent(node, record),
            )
            if len({value for _, value in numbers}) < len(numbers):  # (equal numbers: a tie, `torch.maximum(a, a)`)
                kind, numbers = exact(kind, [value for _, value in numbers]), []
            key = templates.key(kind, names, output_name)
            template = (
                made[key]
                if key in made
                else templates.make(key, arguments, names, output_name, [n for n, _ in numbers])
            )
            if template is EXACT:  # (its text depends on the values: a template of their own)
                key = templates.key(exact(kind, [value for _, value in numbers]), names, output_name)
                numbers = []
                template = made[key] if key in made else templates.make(key, arguments, names, output_name)
        except TypeError:  # (a saved value that cannot be a key: this node is explained on its own)
            return alone(templates)
        if template is None or isinstance(template, Exact):
            return None
        shown = [show_number(value) for _, value in numbers]
        return template.fill(to, templates.labels_of(names, output_name), transposed, shown, templates.reads)

    def _saved_names(self, record: BackwardRecord, names: list[str | None]) -> list[str | None]:
        """Slots that got no gradient named by the tensor the node saved for them (nn.Linear's input `x`, saved as
        addmm's `mat1`), so the words say `x`, not a letter."""
        rule = RULES.get(record.name)
        if rule is None:
            return names
        slots = rule.slots
        # (slots that depend on the node's saved values: a convolution's, transposed or not; a variant's own rule's)
        if callable(slots) or rule.variant is not None:
            try:
                slots = as_variant(Ctx(rule, (), (), saved_of(record.saved or []), (), (), None)).slots()
            except Exception:  # (a value it needs was not recorded: the letters stay)
                return names
        saved = dict(record.saved or ())
        named = list(names)
        for index, slot in enumerate(slots[: len(named)]):
            kept = saved.get(slot.arg) if named[index] is None else None
            if type(kept) is Kept:
                found = self.record_of(kept)
                named[index] = self.names.get(found.id) if found is not None else None
        return named

    def _unrecorded(self, node: Any) -> str | None:
        """A name for the output of a node torch made inside an op, with no forward node of its own: `model.weightᵀ`
        for F.linear's TBackward0 of a named leaf, `1/(1 + e)` for the ReciprocalBackward0 of `1 / (1 + e)` (which
        torch runs as reciprocal, then times 1)."""
        kind = type(node).__name__ if node is not None else None
        if kind not in ("TBackward0", "ReciprocalBackward0") or not node.next_functions:
            return None
        source, output_nr = node.next_functions[0]
        if kind == "TBackward0":
            leaf = getattr(source, "variable", None) if type(source).__name__ == "AccumulateGrad" else None
            records = self.leaves.get(id(leaf)) if leaf is not None else None
            name = self.names.get(records[-1].id) if records else None
            return f"{name}ᵀ" if name else None
        found = self.made.get((source, output_nr)) or self.leaves.get(id(getattr(source, "variable", None)))
        record = self._before(found, self.first.get(node)) if found else None
        name = self.names.get(record.id) if record is not None else None
        if not name:
            return None
        return f"1/{labelled(name)}"

    def _derived(self, node: Any, depth: int = 0) -> str | None:
        """A name for the output of a node with no forward tensor and none `_unrecorded` gives: what it computes,
        written with its inputs' names (`x²`, then `(x²) · 3`), for the nodes torch made along the way: inside an
        op, or while backward ran with create_graph=True (a gradient penalty, a second derivative)."""
        if node in self.derived:
            return self.derived[node]
        record = self.records.get(node)
        gate = self._gate_names().get(node)
        if gate is not None and record is not None:  # (an LSTM's or a GRU's gate: as torch's documentation names it)
            self.derived[node] = gate[0]
            self.derived_in.setdefault(record.backward_pass, set()).add(gate[0])
            return gate[0]
        name = None
        if record is not None and record.name != "AccumulateGrad" and depth < DERIVED_DEPTH:
            limit = self.first.get(node)
            names = []
            for source, output_nr in record.next:
                found = self.made.get((source, output_nr)) if source is not None else None
                if found:
                    names.append(self.names.get((self._before(found, limit) or found[0]).id))
                elif source is not None:
                    names.append(self._unrecorded(source) or self._derived(source, depth + 1))
                else:
                    names.append(None)
            name = forward_formula(record.name, self._saved(node, record), names)
            if name is not None and self.named is None:
                self.named = {bare(n) for n in self.names.values() if n}
            taken = self.derived_in.setdefault(record.backward_pass, set())
            if name is not None and (name in (self.named or ()) or name in taken):
                name = None  # (`x¹` is written `x`: one name, one tensor)
            if name is not None:
                taken.add(name)
        self.derived[node] = name
        return name

    def _gate_names(self) -> dict[Any, tuple[str, str, str, str, str]]:
        """The gates of each LSTM and GRU cell torch computed inside an op (nodes with no forward tensor), by node:
        (name, what it is in English, in Korean, its short name in English, in Korean). Named as torch's
        documentation names them (`i`, `f`, `g`, `o`; `r`, `z`, `n`), with the step as a subscript where a pass ran
        several cells (in the order torch made them), written out where one cell's letter is the snippet's
        (`input_gate`). Their steps said `y = sigmoid(u)`."""
        if self.gates is not None:
            return self.gates
        self.gates, self.pieces = {}, {}
        cells: dict[frozenset, tuple[tuple[Gate, ...], list[tuple[Any, int]]]] = {}  # splits -> (table, gates)
        for op in self.forward:
            if isinstance(op, TensorRecord) or not ("lstm" in op.op or "gru" in op.op):
                continue
            table = LSTM_GATES if "lstm" in op.op else GRU_GATES
            inside = self._inside(op)
            for node in inside:
                record = self.records[node]
                found = self._gate(record, inside, table) if record.name in GATE_NODES and record.next else None
                if found is not None:
                    cells.setdefault(found[1], (table, []))[1].append((node, found[0]))
        taken = set(self.avoid)  # (and every word of the labels: `xs[i]` takes i)
        for label in self.names.values() if cells else ():
            taken.update(re.findall(r"[^\W\d]\w*", label or ""))
        by_pass: dict[int | None, list[frozenset]] = {}
        for splits, (_, gates) in cells.items():
            by_pass.setdefault(self.records[gates[0][0]].backward_pass, []).append(splits)
        for keys in by_pass.values():
            keys.sort(key=lambda splits: min(split._sequence_nr() for split in splits))
            for step, splits in enumerate(keys, 1):
                table, gates = cells[splits]
                after = str(step).translate(SUBSCRIPTS) if len(keys) > 1 else ""
                cell = "LSTM" if table is LSTM_GATES else "GRU"
                # (a letter the code uses is written out, for every gate of the cell alike; one with the step's
                # subscript, i₁, is no name of the code's)
                written_out = not after and any(g[0] in taken for g in table)
                named = ", ".join((g[1] if written_out else g[0]) + after for g in table)
                shorts = (
                    ", ".join(g[2].removesuffix(" gate") for g in table),
                    ", ".join(g[3].removesuffix(" 게이트") for g in table),
                )
                for split in splits:  # (its step joins the gates' gradients back: said which piece is which)
                    self.pieces[split] = (
                        f"The pieces are the {cell} cell's gates before their σ and tanh, in order {named} "
                        f"({shorts[0]} gates).",
                        f"이 조각들은 σ나 tanh를 거치기 전의 {cell} 셀 게이트 값으로, 순서대로 {named}"
                        f"({shorts[1]} 게이트)입니다.",
                    )
                for node, index in gates:
                    letter, written, short_en, short_ko, what_en, what_ko = table[index]
                    name = written if written_out else letter
                    self.gates[node] = (
                        name + after,
                        f"{name + after} is the {cell} cell's {short_en}: {what_en}.",
                        fill_korean_format("{0}는 " + f"{cell} 셀의 {short_ko}로, {what_ko}.", [name + after]),
                        short_en,
                        short_ko,
                    )
        return self.gates

    def _saved_named(self, made: dict, record: BackwardRecord) -> dict:
        """`made` with a saved tensor that gets no gradient, and that the formulas call by torch's name (`target`,
        `indices`), called by the snippet's (`onehot(labels)`, `emb.weight[idx]`) where it has a plain one."""
        renames: list[tuple[re.Pattern, Any]] = []
        for name, held in record.saved or ():
            if type(held) is not Kept or not (name in CALLED_BY_TORCH or name == "condition"):
                continue
            found = self.record_of(held)
            own = self.names.get(found.id) if found is not None else None
            if own and name == "condition" and record.name == "WhereBackward0":
                said = own if own.isidentifier() or enclosed(own) else f"({own})"
                renames.append((CONDITION, lambda m, own=own, said=said: f"not {said}" if m[1] else own))
            elif own and own != name and own.isidentifier() and name in CALLED_BY_TORCH:
                renames.append((CALLED_BY_TORCH[name], own))
        if not renames:
            return made

        def renamed(text: str) -> str:
            for pattern, own in renames:
                text = pattern.sub(own, text)
            return text

        def words(pair: dict) -> dict:
            return {language: renamed(text) for language, text in pair.items()}

        inputs = [{**entry, "formula": words(entry["formula"])} for entry in made["inputs"]]
        return {**made, "words": words(made["words"]), "formula": words(made["formula"]), "inputs": inputs}

    def _attention_scaled(self) -> dict[Any, int]:
        """The products by a number F.scaled_dot_product_attention made inside its op (it scales the query and the
        key each by the square root of its scale), by node: the query's last size d (the default scale is 1/√d)."""
        if self.attention is None:
            self.attention = {}
            for op in self.forward:
                if isinstance(op, TensorRecord) or op.op != "scaled_dot_product_attention" or not op.inputs:
                    continue
                shape = op.inputs[0].kept.tensor.shape
                for node in self._inside(op):
                    if self.records[node].name == "MulBackward1" and len(shape):
                        self.attention[node] = int(shape[-1])
        return self.attention

    def _inside(self, op: Any) -> set[Any]:
        """The backward nodes torch made inside `op`: reached from its outputs' nodes through nodes with no forward
        tensor of their own (the leaves' AccumulateGrad left out)."""
        roots = {out.grad_fn for out in op.outputs if out.grad_fn is not None}
        inside: set[Any] = set()
        stack = list(roots)
        while stack:
            node = stack.pop()
            record = self.records.get(node)
            if node in inside or record is None or record.name == "AccumulateGrad":
                continue
            if node in self.first and node not in roots:  # (an input's: made by another op)
                continue
            inside.add(node)
            stack.extend(source for source, _ in record.next if source is not None)
        return inside

    def _gate(self, record: BackwardRecord, inside: set[Any], table: tuple[Gate, ...]) -> tuple[int, frozenset] | None:
        """Which gate of `table` a sigmoid or tanh node inside a cell is, and the split nodes of its cell; None if it
        is none. An LSTM's gates are sigmoid, sigmoid, tanh, sigmoid of the four pieces of one split; a GRU's reset
        and update gates are sigmoid of the sum of piece 0 (1) of the input's split and of the hidden state's; its
        new gate is tanh of piece 2 of the input's plus the reset gate times piece 2 of the hidden state's."""
        source, index = record.next[0]
        tanh = record.name == "TanhBackward0"
        reads = self.records.get(source) if source in inside else None
        if reads is None:
            return None
        if table is LSTM_GATES:
            return (
                (index, frozenset((source,))) if reads.name in SPLITS and index < 4 and tanh == (index == 2) else None
            )
        if reads.name != "AddBackward0":
            return None
        pieces = []
        for part, part_nr in reads.next:
            held = self.records.get(part) if part in inside else None
            if held is not None and held.name in SPLITS:
                pieces.append((part, part_nr))
            elif held is not None and held.name == "MulBackward0" and tanh:  # (r ⊙ the hidden state's piece)
                pieces += [(s, nr) for s, nr in held.next if s in inside and self.records[s].name in SPLITS]
        indexes = {nr for _, nr in pieces}
        if len(pieces) != 2 or len(indexes) != 1 or indexes != ({2} if tanh else indexes - {2}):
            return None
        return indexes.pop(), frozenset(split for split, _ in pieces)

    def _gates_said(self, node: Any, made: dict, names: Sequence[str | None], output_name: str | None) -> dict:
        """`made` with what the LSTM's or GRU's gates it speaks of are: its own (`i is the LSTM cell's input
        gate: ...`), and those its formula uses (`(f: forget gate)`)."""
        gates = self.gates or {}
        own = gates.get(node)
        if own is not None:
            said = own[1], own[2]
        elif node in self.pieces:
            said = self.pieces[node]
        else:
            # (the names' words looked up among the gates' names: one pass over the text, not one search per gate,
            # which took minutes on an LSTM run over 300 steps)
            if self.gate_named is None:
                self.gate_named = {gate[0]: gate for gate in gates.values()}
            text = " ".join(n for n in (output_name, *names) if n)
            shown = {
                word: self.gate_named[word]
                for word in GATE_WORD.findall(text)  # (in the order the words name them, one per name)
                if word in self.gate_named
            }
            if not shown:
                return made
            said = (
                "(" + ", ".join(f"{name}: {gate[3]}" for name, gate in shown.items()) + ")",
                "(" + ", ".join(f"{name}: {gate[4]}" for name, gate in shown.items()) + ")",
            )
        words = made["words"]
        return {**made, "words": {"en": f"{words['en']} {said[0]}", "ko": f"{words['ko']} {said[1]}"}}

    def _number(self, node: Any, record: BackwardRecord) -> tuple[str, float] | None:
        """The number the snippet wrote as one operand of the operator this node is the backward of, if any."""
        if record.name not in OPERANDS and record.name != "RsubBackward1":  # (`1 - x`: the 1, never saved)
            return None
        limit = self.first.get(node)
        return self.numbers.get(f"t{limit}") if limit is not None else None

    def _number_kind(self, node: Any, record: BackwardRecord, numbers: list[tuple[str, Any]]) -> tuple:
        """`_number` as a brief explanation's text may depend on it: a Number (its name and value appended to
        `numbers`) where `_saved` gives it to the rules and it is a plain decimal, else as it is."""
        number = self._number(node, record)
        if number is None or any(name == number[0] for name, _ in record.saved or ()):
            return (None,)  # (none, or one `_saved` leaves out: the node saved the value, `x * lr`'s `other`)
        kind = number_kind(number[1])
        if kind.__class__ is Number:
            numbers.append(number)
        return (number[0], kind)

    def _saved(self, node: Any, record: BackwardRecord) -> dict[str, Any]:
        """The node's saved values, with the number it has for an operand when it did not save it (`x + 1`: the
        1), so that formulas write it."""
        saved = saved_of(record.saved) if record.saved is not None else {}
        number = self._number(node, record)
        if number is not None and number[0] not in saved:
            saved[number[0]] = torch.tensor(number[1], dtype=torch.float64)
        return saved

    def _unsent(self, node: Any, record: BackwardRecord) -> tuple[str, ...]:
        """Why each slot a node that ran sent nothing to got nothing (explain_node's `unsent`): its input needs no
        gradient (no next node; "written" where it is a number the code wrote), or this pass did not ask for it, or
        PyTorch passed an all-zero gradient as none. (A Python Function's backward gives what it returns, asked for or
        not: its None is its own.)"""
        number = self._number(node, record)  # (`x * 3`: the 3 is a number the code wrote, no tensor that needs none)
        written = ("self", "other").index(number[0]) if number is not None else None
        # (`x * k` with `k = m.item()`: a Python number, but none the code wrote)
        as_written = "written" if number is None or self._written(node, number[1]) else "number"
        if record.order is None or None not in record.grad_in:  # (a node that never ran: its number all the same)
            return () if written is None else (*(["needless"] * written), as_written)
        chosen = record.backward_pass in self.chosen and not isinstance(node, BackwardCFunction)
        asked = "unasked" if chosen else "empty"
        return tuple(
            (as_written if index == written else "needless") if target is None else asked
            for index, (target, _) in enumerate(record.next)
        )

    def _written(self, node: Any, number: float) -> bool:
        """Whether the line of the op behind `node` writes `number` out (`x * 3`, `x * -0.5`), not a name for it
        (`x * k`: a number from `.item()`, or computed); where the line is not known, as if it did."""
        limit = self.first.get(node)
        line = self.number_lines.get(f"t{limit}") if limit is not None else None
        if line is None or not self.source:
            return True
        if self.literals is None:
            self.literals = {}
            try:
                tree = ast.parse(self.source)
            except (SyntaxError, ValueError, MemoryError, RecursionError):
                return True
            for each in walk(tree):
                value = each.value if isinstance(each, ast.Constant) else None
                if isinstance(each, ast.Constant) and isinstance(value, int | float) and not isinstance(value, bool):
                    for at in range(each.lineno, (each.end_lineno or each.lineno) + 1):
                        self.literals.setdefault(at, set()).update((value, -value))
        return number in self.literals.get(line, ())

    def _arguments(
        self,
        node: Any,
        record: BackwardRecord,
        targets: list[TensorRecord | None],
        to: list[str | None],
        names: list[str | None],
        output_name: str | None,
        incoming: Sequence[tuple[str, Any]],
        hooked: bool,
    ) -> tuple[Args, dict[str, Any]]:
        """explain_node's arguments for one node: the values as PyTorch used them."""
        ran = record.order is not None
        if record.name == "AccumulateGrad":
            grad_out = grads_of(record.grad_out) if ran else [None]
            values = list(zip([label for label, _ in incoming], grads_of([g for _, g in incoming]), strict=True))
            args: Args = ("AccumulateGrad", grad_out, (), {}, [node.variable], to, names)
            before = (
                (record.backward_pass or 0, grads_of(record.grad_before)[0]) if ran and record.grad_before else None
            )
            return args, {"output_name": output_name, "incoming": values, "hooks": hooked, "grad_before": before}
        if ran:
            grad_out, grad_in = grads_of(record.grad_out), grads_of(record.grad_in)
        else:  # (its formulas as for any gradient of the output's shape, sent where its arrows go)
            grad_out = [Unreadable(NEVER_RAN, gradient_shape(node, 0))]
            grad_in = [
                None if target is None else Unreadable(NEVER_RAN, gradient_shape(target, input_nr))
                for target, input_nr in record.next
            ]
        args = (
            record.name,
            grad_out,
            grad_in,
            self._saved(node, record),
            [None if t is None or is_wrapped(t.kept.tensor) else _as_it_was(t.kept) for t in targets],
            to,
            names,
        )
        user_function = isinstance(node, BackwardCFunction)
        return args, {
            "output_name": output_name,
            "unsent": self._unsent(node, record),
            "hooks": hooked,
            "user_function": user_function,
            "function_module": function_module(node) if user_function else None,
        }


def function_module(node: Any) -> str | None:
    """The module a Python autograd.Function's class is defined in, read from the classes' own dicts (running
    nothing of the snippet's)."""
    forward_class = vars(type(node)).get("_forward_cls")
    module = vars(forward_class).get("__module__") if isinstance(forward_class, type) else None
    return module if type(module) is str else None


def _kind(
    node: Any,
    record: BackwardRecord,
    targets: list[TensorRecord | None],
    incoming: Sequence,
    hooked: bool,
    numbers: list[tuple[str, Any]],
) -> tuple:
    """What a node's brief explanation depends on, as a key: nodes of one kind share one template. An
    AccumulateGrad's text depends on its leaf's name and its paths alone; another node's on the shapes and dtypes
    of the gradients it received and sent, and of what it saved (or of its inputs, where no gradient shows them);
    the saved values it holds as Numbers are appended to `numbers`."""
    ran = record.order is not None
    if record.name == "AccumulateGrad":
        received = ran and bool(record.grad_out) and record.grad_out[0] is not None
        kind: list[Hashable] = [record.name, ran, hooked, received]
        for label, grad in incoming:
            kind += (label, grad is None, grad.__class__ is Kept)  # (a gradient not kept is unreadable: said so)
        return tuple(kind)
    kind = [record.name, ran, hooked, node.__class__]
    if ran:
        _kinds_of(record.grad_out, kind)
        kind.append("|")  # (grad_out and grad_in may differ in length)
        _kinds_of(record.grad_in, kind)
    _saved_kinds(record.saved, kind, numbers)
    if not ran or None in record.grad_in:  # (else each input's shape is its gradient's)
        _kinds_of([None if t is None else t.kept for t in targets], kind)
    if not ran:  # (the shapes its formulas are written for: see Explainer._arguments)
        kind.append(gradient_shape(node, 0))
        kind += [None if target is None else gradient_shape(target, nr) for target, nr in record.next]
    return tuple(kind)


def _kinds_of(values: Sequence[Any], kind: list[Hashable]) -> None:
    """Append to `kind` what the formulas of a brief explanation depend on in each kept value: its shape and dtype
    (a value that cannot be read is written as any value of its shape). One flat loop: it runs for every node past
    GRADWALK_EXPLAIN_MAX_NODES."""
    append = kind.append
    for held in values:
        if held is None:
            append(None)
        elif held.__class__ is Kept:
            tensor = held.copy
            if tensor is None:
                tensor = held.tensor
            try:
                append(tensor.size())  # (size() costs a third of .shape)
            except RuntimeError:  # a nested tensor: no one size
                append("nested")
            append(tensor.dtype)
        else:  # a large gradient read in the hook: only its summary was kept
            append(tuple(held["shape"]))
            append(held["dtype"])


def _saved_kinds(saved: Saved | None, kind: list[Hashable], numbers: list[tuple[str, Any]]) -> None:
    """Append the saved values as their text may depend on them: tensors by shape and dtype, and by value when
    they hold one number (`x * 3` writes the 3: a 0-dim plain decimal as a Number, its name and value appended to
    `numbers`); plain values as they are."""
    if saved is None:
        kind.append("freed")
        return
    append = kind.append
    for name, held in saved:
        append(name)
        if held.__class__ is Kept:
            _kinds_of((held,), kind)
            if math.prod(kind[-2]) == 1:  # type: ignore[call-overload]  # (one number: its value is written)
                value = value_of(held)
                if not isinstance(value, torch.Tensor):
                    append("unreadable")
                    continue
                item = value.item()
                number = number_kind(item) if not kind[-2] and "[" not in name else item  # (0-dim, one name)
                if number.__class__ is Number:
                    numbers.append((name, item))
                append(number)
        elif held.__class__ is Packed:
            append(("packed", held.by))
        elif held.__class__ is list:  # (unhashable)
            append(repr(held))
        else:
            append(held)


def _dropped(made: dict, kept: str | None, mask: str, values: Any) -> dict:
    """A dropout's product by its random mask (`values`, as saved): the words say what the mask holds, with this
    run's 1/(1 - p), and so where the gradient goes."""
    if not isinstance(values, torch.Tensor) or not values.numel():
        return made
    scale = float(values.max())
    name, name_ko = (labelled(kept), labelled(kept)) if kept else ("the input", "입력")
    if scale > 0:
        shown, p = show_number(scale), show_number(1 - 1 / scale)
        said = (
            f"Dropout made {mask} at random (training mode): 0 where it dropped an entry, 1/(1 - p) = {shown} where "
            f"it kept one (p = {p}). So {name} gets the gradient only where its entry was kept, times {shown}.",
            f"드롭아웃(학습 모드)이 {mask}를 무작위로 만들었습니다. 버린 원소는 0, 남긴 원소는 1/(1 - p) = {shown}"
            f"입니다(p = {p}). 그래서 {name_ko}에는 남긴 원소 자리로만 그래디언트가 {shown}배가 되어 돌아갑니다.",
        )
    else:  # (p is not known from the mask: p = 1, or a small tensor whose every entry this run dropped)
        said = (
            f"Dropout made {mask} at random (training mode) and this run dropped every entry: {mask} is all 0, and so "
            f"is the gradient {name} gets.",
            f"드롭아웃(학습 모드)이 {mask}를 무작위로 만들었고, 이번 실행에서는 모든 원소를 버렸습니다. {mask}는 "
            f"모두 0이고, {name_ko}에 돌아가는 그래디언트도 모두 0입니다.",
        )
    words = made["words"]
    return {**made, "words": {"en": f"{words['en']} {said[0]}", "ko": f"{words['ko']} {said[1]}"}}


def _attention_scale(made: dict, d: int, value: Any) -> dict:
    """F.scaled_dot_product_attention's product of its query (or key) by √scale: the words say why that number (its
    0.8409 was said of nowhere, where attention written by hand divides q · kᵀ by √d = 1.4142)."""
    if not isinstance(value, (int, float)) or value <= 0:
        return made
    scale = value * value
    shown, whole = show_number(value), show_number(scale)
    default = abs(scale * math.sqrt(d) - 1) < 1e-6
    said = (
        f"F.scaled_dot_product_attention multiplies the query and the key each by {shown} = √{whole}, so q · kᵀ is "
        f"multiplied by {whole} in all"
        + (
            f", 1/√d with d = {d} (the query's last size): its default scale."
            if default
            else ", the scale it was given."
        ),
        fill_korean_format(
            "F.scaled_dot_product_attention은 query와 key에 각각 {0}를 곱하므로, ", [f"{shown} = √{whole}"]
        )
        + f"q · kᵀ에 곱해지는 값은 모두 합쳐 {whole}입니다"
        + (f". 기본 스케일인 1/√d이고, d는 query의 마지막 크기({d})입니다." if default else ". 지정한 스케일입니다."),
    )
    words = made["words"]
    return {**made, "words": {"en": f"{words['en']} {said[0]}", "ko": f"{words['ko']} {said[1]}"}}


def _made_inside(made: dict, kind: str, name: str, by_backward: bool = True) -> dict:
    """A tensor torch made inside an op (no line of the snippet's, no forward node): said so, where the words would
    read `model.weightᵀ = model.weightᵀ` (F.linear's transpose), `(1/t) = 1/t` (`1 / t`, run as a reciprocal,
    then a product by 1) or `(x² · 3) = x² · 3` (a name `_derived` gave). `by_backward`: whether a backward pass
    may have made it (create_graph=True); where none could, the words say an op made it (F.cross_entropy's
    log-softmax was said to come from an op "or while a backward pass ran with create_graph=True" in a plain MLP)."""
    label = labelled(name)
    if kind == "TBackward0":
        weight = name[:-1]
        said = (
            f"{name} is {weight} with its rows and columns swapped, made inside F.linear (what nn.Linear calls), which "
            "multiplies by it.",
            f"{name}는 {weight}의 행과 열을 바꾼 것으로, F.linear(nn.Linear가 호출하는 함수) 안에서 만들어져 "
            "곱해집니다.",
        )
    elif kind == "ReciprocalBackward0":
        said = (
            f"torch runs a number divided by a tensor as the reciprocal {name}, then a product by the number.",
            f"torch는 수를 텐서로 나누는 연산을 역수 {name}를 구한 뒤 그 수를 곱하는 것으로 계산합니다.",
        )
    elif by_backward:  # (named by forward_formula: `x² · 3.`, `log_softmax(z) along axis 1.`)
        said = (
            ", a tensor with no line of its own in the code (torch made it along the way, inside an op or while a "
            "backward pass ran with create_graph=True).",
            ". 이 텐서는 코드의 어느 줄에서도 직접 만들지 않았으며, torch가 연산 안에서 또는 create_graph=True로 "
            "역전파를 실행하면서 만든 것입니다.",
        )
    else:
        said = (
            ", a tensor with no line of its own in the code (torch made it along the way, inside an op).",
            ". 이 텐서는 코드의 어느 줄에서도 직접 만들지 않았으며, torch가 연산 안에서 만든 것입니다.",
        )
    words = {}
    for language, text in made["words"].items():
        # (`Title: y = y. …`: the words say y once, `Title: y. …`, where explain_node has not already)
        title, colon, rest = text.partition(": ")
        rest = rest.removeprefix(f"{label} = ")
        sentence, stop, after = rest.partition(". ")
        if not stop:
            sentence, after = rest.removesuffix("."), ""
        if not colon or name not in sentence:
            words[language] = text
        elif kind in ("TBackward0", "ReciprocalBackward0"):
            words[language] = f"{title}: {said[language == 'ko']} {after}".rstrip() if sentence == name else text
        else:
            words[language] = f"{title}: {sentence}{said[language == 'ko']} {after}".rstrip()
    return {**made, "words": words}


def _uses_name(names: Sequence[str | None], name: str | None) -> bool:
    """Whether an input is called `name`, or is made from a tensor called so (an LSTM step's `c = (f₂ · c) + …`, where
    the code binds c again to the new cell state)."""
    if not name:
        return False
    if name in names:
        return True
    inside = [n for n in names if n is not None and n != name and name in n]  # (most have none: no search)
    if not inside:
        return False
    pattern = re.compile(rf"(?<![\w.′]){re.escape(name)}(?![\w′])")
    return any(pattern.search(n) is not None for n in inside)


def _renamed(made: dict, name: str) -> dict:
    """An explanation whose output has its input's name (changed in place, or the name bound again to the result):
    its formulas call the output by that name with a prime mark, and its words say what that is."""
    said = (
        f" {name}′ is the new value of {name}: the code calls this node's output by the name of its input (changed in "
        "place, or the name bound again to the result).",
        " "
        + fill_korean_format("{0}는 {1}의 새 값입니다. ", [f"{name}′", name])
        + "코드가 이 노드의 출력을 입력과 같은 이름으로 부릅니다(제자리 연산으로 바꿨거나, 결과를 같은 이름에 다시 "
        "저장했습니다).",
    )
    words = made["words"]
    return {**made, "words": {"en": words["en"] + said[0], "ko": words["ko"] + said[1]}}


def _untransposed(value: Any) -> Any:
    """An explanation whose formulas transpose a name that is a transpose (`model.weightᵀ`, `W.T`): `Wᵀᵀ` and
    `W.Tᵀ` written `W`."""
    if isinstance(value, str):
        return untransposed(value)
    if isinstance(value, dict):
        return {key: _untransposed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_untransposed(item) for item in value]
    return value
