"""Formulas that compute: one tree gives a gradient's formula (`grad · 2 · x`), the same formula with the run's
numbers (`1 · 2 · 2`) and its value, so the text shown and the value checked can never differ.

Leaves are `Sym` (a named value: `grad`, `x`, `W`), `Num` (a constant) and `Mask` (`1[x > 0]`: multiplying by it
selects); Python's operators build the rest (`*` element by element, `@` the matrix product, `/`, `+`, `-`, `**`);
`.T` transposes; `Call` applies a named function (`cos(x)`); `Form` is any other formula, written as templates in
English, Korean and numbers.
Values are float64 tensors (or Python numbers); everything runs under `torch.no_grad()` (see `explain_node`).
"""

import math
import operator
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

import torch
from torch import Tensor

from .show import show_number, show_tensor

ADD, MUL, NEG, POW, ATOM = 1, 2, 3, 4, 5
SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
Value = Any  # a float64 tensor or a Python number


def magnitude(value: Value) -> float:
    """The largest finite absolute value in `value` (0 for an empty tensor, or one of no finite value): the scale of
    a computation, which a masked `-inf` (log_softmax of masked logits) would make infinite, and so of no use."""
    if isinstance(value, Tensor):
        if value.numel() == 0:
            return 0.0
        found = (value.to(torch.float64) if value.dtype is torch.bool else value).abs()  # (a mask has no abs())
        if found.is_floating_point() and not bool(torch.isfinite(found).all()):
            found = found[torch.isfinite(found)]
            if not found.numel():
                return 0.0
        return float(found.max())
    found_number = abs(float(value))
    return found_number if math.isfinite(found_number) else 0.0


def numel(value: Value) -> int:
    return value.numel() if isinstance(value, Tensor) else 1


def _operator(op: str) -> tuple[Callable[["Expr", "Expr | float"], "Expr"], Callable[["Expr", float], "Expr"]]:
    """The methods of the arithmetic operator `op` (`*`, `/`, `+`, `-`): `formula op x` and `number op formula`."""

    def forward(self: "Expr", other: "Expr | float") -> "Expr":
        return Bin(op, self, lift(other))

    def reflected(self: "Expr", other: float) -> "Expr":
        return Bin(op, lift(other), self)

    return forward, reflected


class Expr:
    """A formula node: `text(lang)` writes it with names, `numbers(limit)` with the run's values, `value()`
    computes it, `scale()` bounds the magnitudes met on the way (what float rounding is relative to)."""

    prec = ATOM

    def value(self) -> Value:
        raise NotImplementedError

    def text(self, lang: str) -> str:
        raise NotImplementedError

    def numbers(self, limit: int) -> str:
        raise NotImplementedError

    def scale(self) -> float:
        return magnitude(self.value())

    def parts(self) -> Sequence["Expr"]:
        """The formulas this one is made of."""
        return ()

    __mul__, __rmul__ = _operator("*")
    __truediv__, __rtruediv__ = _operator("/")
    __add__, __radd__ = _operator("+")
    __sub__, __rsub__ = _operator("-")

    def __matmul__(self, other: "Expr") -> "Expr":
        return Bin("@", self, other)

    def __neg__(self) -> "Expr":
        return Neg(self)

    def __pow__(self, exponent: float) -> "Expr":
        return Pow(self, exponent)

    @property
    def T(self) -> "Expr":
        return Form("{0}ᵀ", "{0}ᵀ", [self], lambda a: a.transpose(-1, -2), prec=POW, evaluated=True)


def lift(value: "Expr | float") -> "Expr":
    return value if isinstance(value, Expr) else Num(value)


class Cached(Expr):
    _value: Value | None = None

    def value(self) -> Value:
        if self._value is None:
            self._value = self.compute()
        return self._value

    def compute(self) -> Value:
        raise NotImplementedError


class Sym(Expr):
    """A named value: the gradient received (`grad`), an input (`x`), a saved result (`y`)."""

    def __init__(self, label: str, value: Value, label_ko: str | None = None):
        self.label, self.label_ko, self._value = label, label_ko or label, value

    def value(self) -> Value:
        return self._value

    def text(self, lang: str) -> str:
        return self.label_ko if lang == "ko" else self.label

    def numbers(self, limit: int) -> str:
        return show_tensor(self._value, limit)


class Shown(Sym):
    """A value the numbers show that is no factor of the formula (the index a gradient goes back by): not part of
    the computation's scale."""

    def scale(self) -> float:
        return 0.0


class Num(Sym):
    """A constant of the formula (`2`, `N`): written as its label (or its value), shown as its value."""

    def __init__(self, value: float | int, label: str | None = None):
        super().__init__(label if label is not None else show_number(value), value)


class Mask(Sym):
    """A mask (`1[x > 0]`: 1 or 0 at each entry), a selection's shares (`1[a is the max]`: ½ at a tie) or the 0 of a
    step: multiplying by it selects, as PyTorch's backward formulas do (`where(mask, grad, 0)`, `masked_fill`,
    `zeros_like`): where `keep` is False (by default, where the mask is 0) the product is 0 whatever the other factor
    holds, an infinite or NaN gradient too (inf · 0 would be NaN).

    `keep` is computed with PyTorch's own comparison, which decides the entries where a compared value is NaN (every
    comparison with NaN is false): relu's `threshold_backward` sends 0 where `y ≤ 0`, so a NaN passes, where clamp's
    `where(x ≥ min, grad, 0)` stops it. `nan` (the entries a NaN was compared at) lets the words say so where a NaN
    passes, which `1[y > 0]` read alone would not tell."""

    def __init__(
        self,
        label: str,
        value: Value,
        label_ko: str | None = None,
        keep: Tensor | None = None,
        nan: Tensor | None = None,
    ):
        value = torch.as_tensor(value, dtype=torch.float64)
        super().__init__(label, value, label_ko)
        self.keep = value != 0 if keep is None else keep.to(torch.bool)
        self.passes_nan = nan is not None and bool((nan.to(torch.bool) & self.keep).any())


def _wrap(text: str, inner: int, outer: int, strict: bool = False) -> str:
    return f"({text})" if inner < outer or (strict and inner == outer) else text


def _signed(text: str) -> str:
    """A negative number written after an operator goes in parentheses: `3 - (-2)`."""
    return f"({text})" if text.startswith("-") else text


class Bin(Cached):
    """`a * b` (element by element: `·` with a scalar, `⊙` between tensors), `a @ b` (matrix product, `·`),
    `a / b`, `a + b`, `a - b`."""

    SIGNS: ClassVar[dict[str, str]] = {"+": " + ", "-": " - ", "/": " / ", "@": " · "}
    # (only the one operator: all four at once failed on a bool mask, `a - b` being refused for bools)
    OPERATORS: ClassVar[dict[str, Callable[[Any, Any], Any]]] = {
        "+": operator.add,
        "-": operator.sub,
        "*": operator.mul,
        "/": operator.truediv,
        "@": operator.matmul,
    }

    def __init__(self, op: str, left: Expr, right: Expr):
        self.op, self.left, self.right = op, left, right
        self.prec = ADD if op in "+-" else MUL
        self.dropped = False  # (a mask's product: whether it dropped an infinite or NaN value)

    def compute(self) -> Value:
        a, b = self.left.value(), self.right.value()
        value = self.OPERATORS[self.op](a, b)
        keeps = [side.keep for side in (self.left, self.right) if isinstance(side, Mask)] if self.op == "*" else []
        if not keeps:
            return value
        keep = keeps[0] if len(keeps) == 1 else keeps[0] & keeps[1]
        self.dropped = bool((~keep & ~torch.isfinite(value)).any())
        return torch.where(keep, value, 0.0)

    def parts(self) -> Sequence[Expr]:
        return (self.left, self.right)

    def sign(self) -> str:
        if self.op == "*":
            both = numel(self.left.value()) > 1 and numel(self.right.value()) > 1
            return " ⊙ " if both else " · "
        return self.SIGNS[self.op]

    def text(self, lang: str) -> str:
        left = _wrap(self.left.text(lang), self.left.prec, self.prec)
        right = _wrap(self.right.text(lang), self.right.prec, self.prec, strict=self.op in "-/")
        return left + self.sign() + right

    def numbers(self, limit: int) -> str:
        self.value()
        if self.dropped:  # (a 0/1 mask stopped an infinite or NaN value: inf · 0 would read as NaN)
            mask, other = (self.left, self.right) if isinstance(self.left, Mask) else (self.right, self.left)
            assert isinstance(mask, Mask)
            chosen = mask.keep.expand_as(mask.value()) if mask.keep.dim() <= mask.value().dim() else mask.keep
            if not bool(((mask.value() != 0) == chosen).all()):  # (kept where the mask is 0: NLL's weight 0 of a
                # target, whose -inf · 0 is NaN there): what is kept, written apart from the mask's values
                kept = show_tensor(mask.keep.to(torch.float64), limit)
                return f"where({kept}, {other.numbers(limit)} · {mask.numbers(limit)}, 0)"
            if bool(((mask.value() == 0) | (mask.value() == 1)).all()):
                return f"where({mask.numbers(limit)}, {other.numbers(limit)}, 0)"
        left = _wrap(self.left.numbers(limit), self.left.prec, self.prec)
        right = _wrap(self.right.numbers(limit), self.right.prec, self.prec, strict=self.op in "-/")
        return left + self.sign() + _signed(right)

    def scale(self) -> float:
        parts = [magnitude(self.value()), self.left.scale(), self.right.scale()]
        if self.op == "@":  # the products summed: |a| · |b|
            parts.append(magnitude(self.left.value().abs() @ self.right.value().abs()))
        return max(parts)


class Sum(Cached):
    """`a + b + c + …` of any number of terms, added left to right as `Bin` would: one node, so that a leaf reached by
    a thousand paths is no thousand-deep tree (walking it overflowed Python's stack)."""

    prec = ADD

    def __init__(self, terms: Sequence[Expr]):
        self.terms = list(terms)
        self.largest = 0.0  # the largest partial sum met (once computed)

    def compute(self) -> Value:
        total = self.terms[0].value()
        for term in self.terms[1:]:
            total = total + term.value()
            self.largest = max(self.largest, magnitude(total))
        return total

    def parts(self) -> Sequence[Expr]:
        return self.terms

    def text(self, lang: str) -> str:
        first, *rest = self.terms
        return " + ".join([_wrap(first.text(lang), first.prec, ADD), *(_wrap(t.text(lang), t.prec, ADD) for t in rest)])

    def numbers(self, limit: int) -> str:
        first, *rest = self.terms
        written = [_wrap(first.numbers(limit), first.prec, ADD)]
        return " + ".join(written + [_signed(_wrap(t.numbers(limit), t.prec, ADD)) for t in rest])

    def scale(self) -> float:
        self.value()
        return max(magnitude(self.value()), self.largest, *(t.scale() for t in self.terms))


def sum_of(terms: Sequence[Expr]) -> Expr:
    """The sum of `terms` (one or more), as one formula."""
    return terms[0] if len(terms) == 1 else Sum(terms)


class Neg(Cached):
    prec = NEG

    def __init__(self, inner: Expr):
        self.inner = inner

    def compute(self) -> Value:
        return -self.inner.value()

    def parts(self) -> Sequence[Expr]:
        return (self.inner,)

    def text(self, lang: str) -> str:
        return "-" + _wrap(self.inner.text(lang), self.inner.prec, NEG)

    def numbers(self, limit: int) -> str:
        return "-" + _signed(_wrap(self.inner.numbers(limit), self.inner.prec, NEG))

    def scale(self) -> float:
        return self.inner.scale()


def _exponent(value: float) -> str:
    text = show_number(value)
    return text.translate(SUPERSCRIPTS) if text.lstrip("-").isdigit() else f"^({text})"


class Pow(Cached):
    """`x²`, `x^(0.5)`; a power of 1 is written as its base."""

    prec = POW

    def __init__(self, base: Expr, exponent: float):
        self.base, self.exponent = base, exponent

    def compute(self) -> Value:
        return self.base.value() ** self.exponent

    def parts(self) -> Sequence[Expr]:
        return (self.base,)

    def text(self, lang: str) -> str:
        base = _wrap(self.base.text(lang), self.base.prec, ATOM)
        return base if self.exponent == 1 else base + _exponent(self.exponent)

    def numbers(self, limit: int) -> str:
        base = self.base.numbers(limit)
        base = f"({base})" if base.startswith("-") or self.base.prec < ATOM else base
        return base if self.exponent == 1 else base + _exponent(self.exponent)

    def scale(self) -> float:
        return max(magnitude(self.value()), self.base.scale())


class Form(Cached):
    """Any other formula: templates with `{0}`, `{1}`... for its arguments, in English, Korean and for the
    numbers (language-neutral; the English template by default), and the function computing its value.
    `bound` (optional) computes, from the arguments' absolute values, the magnitudes met on the way.
    `copies`: the value is its one argument's copied to a larger shape (a sum's gradient to every entry summed): the
    whole numbers of a slot then read `[[1], [2]] → [[1, 1], [2, 2]]`, not `=` between values of different shapes."""

    def __init__(
        self,
        en: str,
        ko: str,
        args: Sequence[Expr],
        fn: Callable[..., Value],
        *,
        nums: str | None = None,
        prec: int = ATOM,
        bound: Callable[..., Value] | None = None,
        evaluated: bool = False,
        copies: bool = False,
    ):
        self.en, self.ko, self.nums, self.args, self.fn = en, ko, nums or en, list(args), fn
        self.prec, self.bound, self.evaluated, self.copies = prec, bound, evaluated, copies

    def compute(self) -> Value:
        return self.fn(*(a.value() for a in self.args))

    def parts(self) -> Sequence[Expr]:
        return self.args

    def text(self, lang: str) -> str:
        return (self.ko if lang == "ko" else self.en).format(*(a.text(lang) for a in self.args))

    def numbers(self, limit: int) -> str:
        """The template with the arguments' numbers, or (`evaluated`: `Xᵀ` shows the transposed matrix) the
        value itself."""
        if self.evaluated:
            return show_tensor(self.value(), limit)
        return self.nums.format(*(a.numbers(limit) for a in self.args))

    def scale(self) -> float:
        parts = [magnitude(self.value()), *(a.scale() for a in self.args)]
        if self.bound is not None:
            parts.append(magnitude(self.bound(*(_abs(a.value()) for a in self.args))))
        return max(parts)


def drops_non_finite(expr: Expr) -> bool:
    """Whether a mask in `expr` (once computed) dropped an infinite or NaN value: 0 there, where a product is NaN."""
    return (isinstance(expr, Bin) and expr.dropped) or any(drops_non_finite(part) for part in expr.parts())


def passes_nan(expr: Expr) -> bool:
    """Whether a mask in `expr` passes the gradient at an entry where it compared a NaN (PyTorch's test, false there,
    was the one that sends 0)."""
    return (isinstance(expr, Mask) and expr.passes_nan) or any(passes_nan(part) for part in expr.parts())


def _abs(value: Value) -> Value:
    return value.abs() if isinstance(value, Tensor) and value.is_floating_point() else value


def call(name: str, arg: Expr, fn: Callable[[Value], Value], name_ko: str | None = None) -> Expr:
    """A named function of one argument: `cos(x)`."""
    return Form(f"{name}({{0}})", f"{name_ko or name}({{0}})", [arg], fn)


def reduced_axes(shape: Sequence[int], target: Sequence[int]) -> tuple[int, ...]:
    """The axes of `shape` that broadcasting made from `target` (summed to undo it), as `at::sum_to` finds them."""
    lead = len(shape) - len(target)
    axes = list(range(lead))
    axes += [lead + i for i, size in enumerate(target) if size == 1 and shape[lead + i] != 1]
    return tuple(axes)


def sum_to(value: Tensor, target: Sequence[int]) -> Tensor:
    """Sum `value` back to `target`'s shape (undoing broadcasting)."""
    target = tuple(target)
    if tuple(value.shape) == target:
        return value
    axes = reduced_axes(tuple(value.shape), target)
    if axes:
        value = value.sum(dim=axes, keepdim=True)
    return value.reshape(target)


def summed_to(inner: Expr, target: Sequence[int]) -> Expr:
    """`inner` summed back to `target` (`Σ[axis 0] grad`); `inner` itself when the shapes already agree."""
    value = inner.value()
    shape = tuple(value.shape) if isinstance(value, Tensor) else ()
    target = tuple(target)
    if shape == target:
        return inner
    axes = reduced_axes(shape, target)
    if len(axes) == len(shape) or not axes:
        en = ko = nums = "Σ {0}"
    else:
        listed = ", ".join(map(str, axes))
        en, ko, nums = f"Σ[axis {listed}] {{0}}", f"Σ[{listed}번 축] {{0}}", f"Σ[{listed}] {{0}}"
    return Form(en, ko, [inner], lambda v: sum_to(v, target), nums=nums, prec=NEG, bound=lambda v: sum_to(v, target))


def spread(inner: Expr, shape: Sequence[int]) -> Expr:
    """`inner` broadcast to `shape` (written as itself: `grad / N` for the mean's scalar `grad`)."""
    return Form(
        "{0}",
        "{0}",
        [inner],
        lambda v: torch.as_tensor(v, dtype=torch.float64).expand(tuple(shape)),
        prec=inner.prec,
        copies=True,
    )


def cases(*branches: tuple[str, str], otherwise: str) -> tuple[str, str]:
    """A factor by cases, (English, Korean): `cases(("1", "x > 0"), otherwise="slope")` is `(1 if x > 0 else slope)`
    and `(x > 0이면 1, 아니면 slope)`, as a Korean teacher says it (not English words inside Korean text)."""
    en = ", ".join(f"{value} if {cond}" for value, cond in branches)
    ko = ", ".join(f"{cond}이면 {value}" for value, cond in branches)
    return f"({en}{', else' if len(branches) > 1 else ' else'} {otherwise})", f"({ko}, 아니면 {otherwise})"


def by_cases(value: Value, *branches: tuple[str, str], otherwise: str) -> Sym:
    """`value`, a factor by cases, written as `cases` writes it in each language."""
    label, label_ko = cases(*branches, otherwise=otherwise)
    return Sym(label, value, label_ko)


def zero_where(inner: Expr, zero: Tensor, cond_en: str, cond_ko: str, times: Tensor | None = None) -> Expr:
    """`inner`, but 0 where `zero` holds, as PyTorch's backward sets it (`masked_fill_(norm == 0, 0)`, `where(b == 0,
    0, …)`): where the formula alone would give 0/0 or 0·∞. Written `where(‖x‖ = 0, 0, …)`, its numbers with the
    entries `zero` holds as 1, only when some entry is so (else `inner` itself). `times`: the gradient PyTorch
    multiplies that 0 by (`grad * (x / norm).masked_fill_(norm == 0, 0)`), whose NaN or infinite entries give NaN
    there, where a selection gives 0."""
    if not bool(zero.any()):
        return inner
    shown = show_tensor(zero.to(torch.float64), 1_000_000) if zero.dim() else "1"
    there = 0.0 if times is None else torch.as_tensor(times, dtype=torch.float64) * 0.0
    return Form(
        f"where({cond_en}, 0, {{0}})",
        f"where({cond_ko}, 0, {{0}})",
        [inner],
        lambda v: torch.where(zero, there, torch.as_tensor(v, dtype=torch.float64)),
        nums=f"where({shown}, 0, {{0}})",
    )
