"""What a rule is, and the values it reads.

A `Rule` is data: the node class it explains, its name in words (English, Korean), the forward op and local
derivative as templates, and one `Slot` per `next_functions` entry: the forward input it stands for (its
`derivatives.yaml` name, `self`, `other`, `mat2`, and the letter used when the snippet has no name for it) and
the formula of its gradient, built from the `Ctx` as an `Expr` (which also computes it). Templates name values
in braces: `{x}`, `{W}`... (a slot's letter, replaced by the snippet's name), `{y}` (the node's output) and
whatever `params` returns.
"""

import functools
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import Tensor

from .expr import Expr, Num, Sym
from .show import materialized

Words = tuple[str, str]  # (English, Korean)
PLAIN_NAME = re.compile(r"^[\w.\[\]']+′?$")  # (′: an output named as its input, app.capture.explanation)
SPARE_LETTERS = ("u", "v", "p", "q", "r", "s")
_WORD = re.compile(r"[^\W\d]\w*")
_CLOSING = {"(": ")", "[": "]", "{": "}"}


@functools.lru_cache(maxsize=8192)
def is_plain(name: str) -> bool:
    """Whether a formula writes the name as it is, with no brackets of its own: a name, or one expression nothing can
    split: a call, an attribute, an index, in any chain (`model(x)`, `b.detach()`, `(a + b).sum()`, `parts[0]`).
    Anything else (`y_pred - y_true`, `x ** 2`) is bracketed: `2·(y_pred - y_true)`."""
    return PLAIN_NAME.match(name) is not None or atom_end(name, 0) == len(name)


def atom_end(text: str, at: int) -> int | None:
    """Where the one expression nothing can split that starts at `text[at]` ends (see `is_plain`); None if none
    starts there."""
    found = _WORD.match(text, at)
    end = found.end() if found else _closed(text, at) if text[at : at + 1] == "(" else None
    while end is not None and end < len(text):
        if text[end] == ".":
            found = _WORD.match(text, end + 1)
            if found is None:
                return end
            end = found.end()
        elif text[end] in "([":
            closed = _closed(text, end)
            if closed is None:
                return end
            end = closed
        elif text[end] in "ᵀ′":
            end += 1
        else:
            break
    return end


def _closed(text: str, at: int) -> int | None:
    """Where the bracket opened at `text[at]` is closed, plus one (quoted text skipped); None if it never is."""
    waiting = []
    quote = None
    for i in range(at, len(text)):
        c = text[i]
        if quote is not None:
            quote = None if c == quote else quote
        elif c in "'\"":
            quote = c
        elif c in _CLOSING:
            waiting.append(_CLOSING[c])
        elif c in ")]}":
            if not waiting or waiting.pop() != c:
                return None
            if not waiting:
                return i + 1
    return None


def labelled(name: str) -> str:
    """`name` as formulas write it: bracketed unless it is plain (`is_plain`)."""
    return name if is_plain(name) else f"({name})"


class Missing(Exception):
    """A value a rule needs was not recorded; `args` is the (English, Korean) reason."""


class Unreadable:
    """A value the recorder holds but cannot read (a torch.func wrapper once its transform is over, a tensor changed
    in place unannounced, one the snippet's saved-tensor hook packed), given where a tensor would be: whatever
    needs it is not checked, and the words say why (`reason`: English, Korean). `shape` when it could be read."""

    __slots__ = ("reason", "shape")

    def __init__(self, reason: Words, shape: tuple[int, ...] | None = None):
        self.reason, self.shape = reason, shape

    def missing(self) -> Missing:
        return Missing(*self.reason)


def left_out(brief: Words) -> Words:
    """The note of an explanation given without numbers and checks, and why."""
    return f"Numbers and check left out: {brief[0]}.", f"숫자와 검사는 생략했습니다: {brief[1]}."


def unreadable_in(value: object) -> "Unreadable | None":
    """The Unreadable `value` is or holds (in a list or tuple), else None."""
    if isinstance(value, Unreadable):
        return value
    if isinstance(value, (list, tuple)):
        return next((v for v in value if isinstance(v, Unreadable)), None)
    return None


@dataclass(frozen=True)
class Slot:
    arg: str  # the forward input's name in derivatives.yaml: self, other, mat2, exponent
    letter: str  # what formulas call it when the snippet has no name for it
    grad: Callable[["Ctx"], Expr]  # its gradient, from the gradient received and the saved values


@dataclass(frozen=True)
class Rule:
    node: str  # the backward node class: PowBackward0
    title: Words  # the op in words: ("power", "거듭제곱")
    forward: Words | str  # the forward op: "{y} = {x}^{n}" (a pair when it has words: English, Korean)
    local: Words | str  # the local derivative(s): "∂{y}/∂{x} = {n}·{x}^{n-1}"
    words: Words  # what backward does here, in plain words
    slots: tuple[Slot, ...] | Callable[["Ctx"], tuple[Slot, ...]]
    params: Callable[["Ctx"], Mapping[str, object]] | None = None
    supports: Callable[["Ctx"], bool] | None = None  # False: a variant the rule does not cover (no explanation)
    # another rule for the variant the node's saved values say it is (torch.div with rounding_mode=None: a plain
    # division's), or None for this one
    variant: Callable[["Ctx"], "Rule | None"] | None = None
    output: str = "y"  # what formulas call the output when the snippet has no name for it
    checked: bool = True  # False: PyTorch runs code gradwalk does not reproduce (a custom Function)
    # True: the formulas take the gradient of the first output only; the others (a normalization's mean and rstd)
    # receive one only in a double backward, and then nothing is checked (`left_out`)
    first_output: bool = False
    extra: dict = field(default_factory=dict)
    # the forward op without words, where `forward` has them: "{y} = log_softmax({x})", the name of an output the
    # snippet never bound (F.cross_entropy's), one name in every step that meets it
    named: str | None = None


def outputs_left_out(rule: Rule, grad_outputs: Sequence[object]) -> list[int]:
    """The outputs past the first whose gradient a `first_output` rule leaves out, though it is not zero."""
    if not rule.first_output:
        return []
    return [
        index
        for index, grad in enumerate(grad_outputs)
        if index and isinstance(grad, Tensor) and grad.numel() and bool(grad.ne(0).any())
    ]


def _as_tensor(value: object) -> Tensor:
    if isinstance(value, Tensor):
        tensor = materialized(value.detach())
        return tensor.to(torch.float64) if tensor.is_floating_point() else tensor
    return torch.tensor(value, dtype=torch.float64)


@dataclass(eq=False)
class Ctx:
    """The values of one backward node as the recorder has them (see `explain_node`), read-only, float64 for computing;
    `avoid`: names the snippet uses, which no letter a formula gives an unnamed tensor may be."""

    rule: Rule
    grad_outputs: Sequence[Tensor | None]
    grad_inputs: Sequence[Tensor | None]
    saved: Mapping[str, Any]
    inputs: Sequence[Tensor | None]
    names: Sequence[str | None]
    output_name: str | None
    avoid: Collection[str] = ()
    _letters: dict[int, str] = field(default_factory=dict, init=False)
    # (each value converted once: rules ask for the same ones often)
    _tensors: dict[object, Tensor] = field(default_factory=dict, init=False)
    # (what a rule works out once for all of a node's slots, by the function that works it out: an LSTM's backward)
    worked_out: dict[object, Any] = field(default_factory=dict, init=False)

    # -- names ---------------------------------------------------------------------------------------

    def slot_count(self) -> int:
        return len(self.grad_inputs)

    def given_name(self, slot: int) -> str | None:
        name = self.names[slot] if slot < len(self.names) else None
        if not name:
            return None
        return labelled(name)

    def number(self, slot: int) -> str | None:
        """A number the snippet wrote in slot `slot` (`x * 3`: an unnamed 0-dim `other` that was sent no gradient,
        saved by the node) as formulas write it (`3`); else None."""
        if self.given_name(slot) is not None or (slot < len(self.grad_inputs) and self.grad_inputs[slot] is not None):
            return None
        try:
            slots = self.slots()
        except Missing:  # (slots that depend on a value that could not be read)
            return None
        value = self.saved.get(slots[slot].arg) if slot < len(slots) else None
        if not isinstance(value, Tensor) or value.dim() != 0 or value.is_complex():
            return None
        return Num(value.item()).label

    def label(self, slot: int, letter: str) -> str:
        """What formulas call slot `slot`: the snippet's name for it, the number it wrote there, or `letter`
        (another letter if the snippet uses that one)."""
        given = self.given_name(slot) or self.number(slot)
        if given is not None:
            return given
        if slot not in self._letters:
            taken = {n for n in self.names if n} | {self.output_name} | set(self._letters.values()) | set(self.avoid)
            choice = next((c for c in (letter, *SPARE_LETTERS) if c not in taken), f"{letter}{slot}")
            self._letters[slot] = choice
        return self._letters[slot]

    def letter(self, preferred: str) -> str:
        """A letter for a tensor the formulas name that is no slot's (a loss's `weight`, `pos_weight`): `preferred`,
        or a spare one where the snippet or a slot already uses it."""
        taken = {n for n in self.names if n} | {self.output_name} | set(self._letters.values()) | set(self.avoid)
        return next((c for c in (preferred, *SPARE_LETTERS) if c not in taken), f"{preferred}′")

    def output_label(self) -> str:
        if self.output_name:
            return labelled(self.output_name)
        taken = {n for n in self.names if n} | set(self.avoid)
        return next((c for c in (self.rule.output, "out", "z", "h") if c not in taken), "result")

    # -- values --------------------------------------------------------------------------------------

    def has(self, key: str) -> bool:
        return key in self.saved and self.saved[key] is not None

    def raw(self, key: str) -> Any:
        """A saved value as recorded (`exponent`, `dim`, `self_sym_sizes`...); ints as the code wrote them (autograd
        hands a negative `dim` or `index` back as an unsigned 64-bit number: `x[:, -1]` saved 2⁶⁴ - 1)."""
        if key not in self.saved:
            raise Missing(f"the saved value `{key}` was not recorded", f"저장된 값 `{key}`이(가) 기록되지 않았습니다")
        value = self.saved[key]
        unreadable = unreadable_in(value)
        if unreadable is not None:
            raise unreadable.missing()
        if type(value) is int:
            return signed(value)
        if type(value) in (list, tuple) and value and all(type(v) is int for v in value):
            return type(value)(signed(v) for v in value)
        return value

    def as_input(self, value: float, like: str = "self") -> float:
        """`value` as the kernel sees it: rounded to the dtype of the saved tensor `like` (a bound of 0.7 given for a
        float32 input is compared as float32's 0.7, which an input of 0.7 equals)."""
        tensor = self.saved.get(like)
        if not isinstance(tensor, Tensor) or not tensor.is_floating_point() or tensor.dtype is torch.float64:
            return float(value)
        return float(torch.tensor(float(value), dtype=tensor.dtype))

    def as_float_kernel(self, value: float, like: str = "self") -> float:
        """`value` as a kernel that works half precision in float32 sees it (ATen's hardtanh and threshold kernels
        turn the bound and a float16 or bfloat16 input to float32 before comparing): rounded to float32 for a float32,
        float16 or bfloat16 input (a bound of 0.7 is float32's 0.7, which bfloat16's 0.7, 0.69921875, is under), else
        as given."""
        tensor = self.saved.get(like)
        if not isinstance(tensor, Tensor) or tensor.dtype not in (torch.float32, torch.float16, torch.bfloat16):
            return float(value)
        return float(torch.tensor(float(value), dtype=torch.float32))

    def integer(self, key: str) -> int:
        """A saved int (`dim`, `index`, `start`): autograd hands negative SymInts back as unsigned 64-bit
        numbers (-1 as 2**64 - 1), which this undoes."""
        return signed(self.raw(key))

    def tensor(self, key: str) -> Tensor:
        """A saved tensor, detached, float64 when it is a float."""
        found = self._tensors.get(key)
        if found is not None:
            return found
        value = self.raw(key)
        if value is None:
            raise Missing(f"the saved tensor `{key}` was not recorded", f"저장된 텐서 `{key}`이(가) 없습니다")
        found = self._tensors[key] = _as_tensor(value)
        return found

    def grad_tensor(self, index: int = 0) -> Tensor:
        """The gradient the node received for its output `index` (zeros when PyTorch passed none)."""
        grad = self.grad_outputs[index] if index < len(self.grad_outputs) else None
        if grad is None:
            raise Missing("the gradient this node received was not recorded", "이 노드가 받은 그래디언트가 없습니다")
        if isinstance(grad, Unreadable):
            raise grad.missing()
        found = self._tensors.get(index)
        if found is None:
            found = self._tensors[index] = _as_tensor(grad)
        return found

    @property
    def grad(self) -> Sym:
        return Sym("grad", self.grad_tensor(0))

    def slot_of(self, arg: str) -> int | None:
        for index, slot in enumerate(self.slots()):
            if slot.arg == arg:
                return index
        return None

    def sym(self, key: str, letter: str | None = None) -> Expr:
        """A saved tensor under the name formulas use: a slot's (`self` -> `x`), the output's (`result` -> `y`),
        or `letter`; a number the snippet wrote (`x * 3`: a saved 0-dim `other` with no gradient) as itself."""
        value = self.tensor(key)
        if key == "result":
            return Sym(self.output_label(), value)
        slot = self.slot_of(key)
        if slot is None:
            return Sym(letter or key, value)
        no_grad = slot >= len(self.grad_inputs) or self.grad_inputs[slot] is None
        if no_grad and value.dim() == 0 and self.given_name(slot) is None:
            return Num(value.item())
        return Sym(self.label(slot, letter or self.slots()[slot].letter), value)

    def input_shape(self, slot: int) -> tuple[int, ...] | None:
        """The shape of the forward input of `slot`: from the input itself, else from the gradient PyTorch sent
        there (a shape, not values: the values are what is checked); None for a slot that got no gradient."""
        source = self.inputs[slot] if slot < len(self.inputs) else None
        if source is None:
            source = self.grad_inputs[slot] if slot < len(self.grad_inputs) else None
        if isinstance(source, Unreadable):
            return source.shape
        if source is None:
            return None
        return tuple(source.shape)

    def slots(self) -> tuple[Slot, ...]:
        slots = self.rule.slots
        return slots(self) if callable(slots) else slots

    def mapping(self) -> dict[str, str]:
        """Template values: each slot's letter -> its name, `y` -> the output's name, and the rule's params."""
        values = {slot.letter: self.label(i, slot.letter) for i, slot in enumerate(self.slots())}
        values["y"] = self.output_label()
        if self.rule.params is not None:
            values.update({k: str(v) for k, v in self.rule.params(self).items()})
        return values


def signed(value: Any) -> int:
    """An int as saved by autograd, negative again when it came back as an unsigned 64-bit number."""
    value = int(value)
    return value - (1 << 64) if value >= 1 << 63 else value


def as_variant(ctx: Ctx) -> Ctx:
    """`ctx` under the rule of the variant its node is (`Rule.variant`), or itself."""
    other = ctx.rule.variant(ctx) if ctx.rule.variant is not None else None
    if other is None:
        return ctx
    return Ctx(other, ctx.grad_outputs, ctx.grad_inputs, ctx.saved, ctx.inputs, ctx.names, ctx.output_name, ctx.avoid)


RULES: dict[str, Rule] = {}


def add(*rules: Rule) -> None:
    """Register rules (one per node class; a later one replaces an earlier one of the same class)."""
    for rule in rules:
        RULES[rule.node] = rule
