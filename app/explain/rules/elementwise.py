"""Element-by-element arithmetic and math functions (derivatives.yaml: add, sub, mul, div, neg, pow, exp, log,
sqrt, abs, sin, cos...). An input that broadcasting stretched gets its gradient summed back to its shape."""

import dataclasses
import math

import torch

from ..expr import Expr, Form, Mask, Num, Shown, Sym, call, reduced_axes, spread, summed_to, zero_where
from ..rule import RULES, Ctx, Missing, Rule, Slot, add
from ..show import show_shape

BROADCAST = (
    "Where an input was broadcast, its gradient is summed back to the input's shape (Σ).",
    "브로드캐스팅으로 늘어난 입력은 그래디언트를 다시 원래 모양으로 더해(Σ) 돌려줍니다.",
)


def scalar(ctx: Ctx, key: str, default: float = 1.0) -> float:
    """A saved number (`alpha`, `exponent`, a scalar `other`): a Python value or a 0-dim tensor."""
    value = ctx.raw(key) if ctx.has(key) or key in ctx.saved else default
    return value.item() if isinstance(value, torch.Tensor) else (default if value is None else value)


def operand(ctx: Ctx, key: str) -> Expr:
    """A forward input as formulas write it: a slot's tensor by its name, or the number the code gave where the op
    took a Python number (`torch.xlogy(x, 3.0)`: `other` saved as 3.0, no slot of its own)."""
    if ctx.slot_of(key) is None:
        return Num(float(scalar(ctx, key)))
    return ctx.sym(key)


def times(factor: float, expr: Expr) -> Expr:
    """`factor · expr`, or `expr` itself when the factor is 1."""
    return expr if factor == 1 else Num(factor) * expr


def back(ctx: Ctx, slot: int, expr: Expr) -> Expr:
    """`expr` summed back to the shape of slot `slot`'s input (undoing broadcasting)."""
    shape = ctx.input_shape(slot)
    return expr if shape is None else summed_to(expr, shape)


def alpha(ctx: Ctx) -> float:
    return scalar(ctx, "alpha")


def alpha_term(ctx: Ctx) -> str:
    value = alpha(ctx)
    return "" if value == 1 else f"{value:g}·"


def stretched(ctx: Ctx) -> bool:
    """Whether broadcasting stretched an input: one of known shape differs from the gradient received (a node that
    never ran: the inputs' shapes differ; when a shape cannot be read, it may have)."""
    received = getattr(ctx.grad_outputs[0], "shape", None) if ctx.grad_outputs else None
    shapes = [ctx.input_shape(slot) for slot in range(ctx.slot_count())]
    if received is None:
        known = {tuple(shape) for shape in shapes if shape is not None}
        return len(known) != 1 or None in shapes
    return any(shape is not None and tuple(shape) != tuple(received) for shape in shapes)


def broadcast_words(ctx: Ctx) -> tuple[str, str]:
    """What broadcasting did here, in this run's names and shapes: each input it stretched that gets a gradient,
    from which shape to which, and the axes its gradient is summed over (`b` from 3 to 2×3: over axis 0); BROADCAST
    where the shapes are not all known; ("", "") where nothing was stretched. (Every particle follows 모양, 의 or 에:
    the same whatever the name.)"""
    if not stretched(ctx):
        return "", ""
    received = getattr(ctx.grad_outputs[0], "shape", None) if ctx.grad_outputs else None
    shapes = [ctx.input_shape(slot) for slot in range(ctx.slot_count())]
    ran = received is not None
    if received is None:  # (a node that never ran: its output's shape is the inputs' broadcast)
        if None in shapes:
            return " " + BROADCAST[0], " " + BROADCAST[1]
        received = torch.broadcast_shapes(*shapes)
    out, en, ko = tuple(received), [], []
    for slot, spec in enumerate(ctx.slots()):
        shape = shapes[slot]
        if shape is None or tuple(shape) == out or ctx.number(slot) is not None:
            continue
        if ran and (slot >= len(ctx.grad_inputs) or ctx.grad_inputs[slot] is None):
            continue  # (stretched, but sent no gradient: nothing is summed)
        name, wide = ctx.label(slot, spec.letter), show_shape(out)
        if not len(shape):
            en.append(
                f"{name}, a single number, was broadcast to {wide}, so its gradient is the sum of all entries (Σ)."
            )
            ko.append(
                f"브로드캐스팅이 {name}의 값 하나를 {wide} 모양으로 늘렸으므로, 그래디언트의 모든 원소를 더해(Σ) "
                f"{name}에 돌려줍니다."
            )
            continue
        axes, narrow = ", ".join(map(str, reduced_axes(out, tuple(shape)))), show_shape(tuple(shape))
        if len(shape) == 1:  # (`from 3 to 2×3`, `3 모양`: a length read as a shape)
            en.append(
                f"{name} ({narrow} entries) was broadcast to {wide}, so its gradient is summed over axis {axes} back "
                f"to its {narrow} entries (Σ)."
            )
            ko.append(
                f"브로드캐스팅이 {name}의 원소 {narrow}개를 {wide} 모양으로 늘렸으므로, "
                f"그래디언트를 {axes}번 축을 따라 더해(Σ) {name}의 원소 {narrow}개에 돌려줍니다."
            )
            continue
        en.append(
            f"{name} was broadcast from {narrow} to {wide}, so its gradient is summed over axis {axes} back to "
            f"{narrow} (Σ)."
        )
        ko.append(
            f"브로드캐스팅이 {name}의 {narrow} 모양을 {wide} 모양으로 늘렸으므로, 그래디언트를 {axes}번 축을 따라 "
            f"더해(Σ) {name}에 {narrow} 모양으로 돌려줍니다."
        )
    if not en:  # (stretched only where no gradient goes: said generally where a shape is not known)
        return (" " + BROADCAST[0], " " + BROADCAST[1]) if None in shapes else ("", "")
    return " " + " ".join(en), " " + " ".join(ko)


def with_broadcast(words: tuple[str, str], params=None):
    """`words` ending with what broadcasting did where it stretched an input (`broadcast_words`), and the `params`
    that say so."""

    def said(ctx: Ctx) -> dict:
        found = dict(params(ctx)) if params is not None else {}
        en, ko = broadcast_words(ctx)
        found.update(broadcast_en=en, broadcast_ko=ko)
        return found

    return (words[0] + "{broadcast_en}", words[1] + "{broadcast_ko}"), said


def binary(node, title, forward, local, words, self_grad, other_grad, letters=("a", "b"), params=None) -> Rule:
    words, params = with_broadcast(words, params)
    return Rule(
        node,
        title,
        forward,
        local,
        words,
        (
            Slot("self", letters[0], lambda c: back(c, 0, self_grad(c))),
            Slot("other", letters[1], lambda c: back(c, 1, other_grad(c))),
        ),
        params=params,
    )


def unary(node, title, forward, local, words, grad, params=None, arg="self") -> Rule:
    return Rule(node, title, forward, local, words, (Slot(arg, "x", grad),), params=params)


ALPHA = {"params": lambda c: {"alpha": alpha_term(c)}}

add(
    binary(
        "AddBackward0",
        ("addition", "덧셈"),
        "{y} = {a} + {alpha}{b}",
        "∂{y}/∂{a} = 1, ∂{y}/∂{b} = {alpha}1",
        (
            "Addition passes the gradient it received (grad) on unchanged to both inputs.",
            "덧셈은 받은 그래디언트(grad)를 두 입력에 그대로 전달합니다.",
        ),
        lambda c: c.grad,
        lambda c: times(alpha(c), c.grad),
        **ALPHA,
    ),
    binary(
        "SubBackward0",
        ("subtraction", "뺄셈"),
        "{y} = {a} - {alpha}{b}",
        "∂{y}/∂{a} = 1, ∂{y}/∂{b} = -{alpha}1",
        (
            "Subtraction passes the gradient on unchanged to the first input and with its sign flipped to the second.",
            "뺄셈은 받은 그래디언트를 첫 번째 입력에는 그대로, 두 번째 입력에는 부호를 바꿔 전달합니다.",
        ),
        lambda c: c.grad,
        lambda c: -times(alpha(c), c.grad),
        **ALPHA,
    ),
    binary(
        "RsubBackward0",
        ("reversed subtraction", "뒤집힌 뺄셈"),
        "{y} = {b} - {alpha}{a}",
        "∂{y}/∂{a} = -{alpha}1, ∂{y}/∂{b} = 1",
        (
            "The input subtracted gets the gradient with its sign flipped; the other gets it unchanged.",
            "빼는 쪽 입력은 부호가 바뀐 그래디언트를, 다른 입력은 그래디언트를 그대로 받습니다.",
        ),
        lambda c: -times(alpha(c), c.grad),
        lambda c: c.grad,
        **ALPHA,
    ),
    binary(
        "MulBackward0",
        ("multiplication", "곱셈"),
        "{y} = {a} · {b}",
        "∂{y}/∂{a} = {b}, ∂{y}/∂{b} = {a}",
        (
            "Each input's gradient is the gradient received times the other input (the product rule).",
            "곱셈에서 각 입력에 대한 그래디언트는 받은 그래디언트에 다른 쪽 입력을 곱한 값입니다.",
        ),
        lambda c: c.grad * c.sym("other"),
        lambda c: c.grad * c.sym("self"),
    ),
    binary(
        "DivBackward0",
        ("division", "나눗셈"),
        "{y} = {a} / {b}",
        "∂{y}/∂{a} = 1/{b}, ∂{y}/∂{b} = -{a}/{b}²",
        (
            "The numerator's gradient is grad / {b}; the denominator's is -grad · {a} / {b}² (the quotient rule).",
            "분자에 대한 그래디언트는 grad / {b}, 분모에 대한 그래디언트는 -grad · {a} / {b}²입니다.",
        ),
        lambda c: c.grad / c.sym("other"),
        lambda c: -c.grad * c.sym("self") / c.sym("other") ** 2,
    ),
)


DIVISION_NOT_ROUNDED = dataclasses.replace(
    RULES["DivBackward0"],
    node="DivBackward2",
    title=("division (rounding_mode=None: nothing rounded)", "나눗셈(rounding_mode=None: 반올림 없음)"),
)


def _one_slot_scalar(node, title, forward, local, words, grad) -> Rule:
    return unary(node, title, forward, local, words, grad, params=lambda c: {"c": Num(scalar(c, "other")).label})


add(
    unary(
        "AddBackward1",
        ("adding a number", "수 더하기"),
        "{y} = {x} + c",
        "∂{y}/∂{x} = 1",
        ("Adding a constant passes the gradient on unchanged.", "상수를 더하면 그래디언트는 그대로 전달됩니다."),
        lambda c: c.grad,
    ),
    unary(
        "SubBackward1",
        ("subtracting a number", "수 빼기"),
        "{y} = {x} - c",
        "∂{y}/∂{x} = 1",
        ("Subtracting a constant passes the gradient on unchanged.", "상수를 빼면 그래디언트는 그대로 전달됩니다."),
        lambda c: c.grad,
    ),
    unary(
        "RsubBackward1",
        ("subtracting from a number", "수에서 빼기"),
        "{y} = {c} - {alpha}{x}",
        "∂{y}/∂{x} = -{alpha}1",
        ("The gradient goes on with its sign flipped.", "그래디언트의 부호를 바꿔 전달합니다."),
        lambda c: -times(alpha(c), c.grad),
        params=lambda c: {"alpha": alpha_term(c), "c": _subtracted_from(c)},
    ),
    _one_slot_scalar(
        "MulBackward1",
        ("multiplying by a number", "수 곱하기"),
        "{y} = {x} · {c}",
        "∂{y}/∂{x} = {c}",
        ("The gradient is multiplied by the same number.", "받은 그래디언트에 같은 수를 곱해 전달합니다."),
        lambda c: c.grad * Num(scalar(c, "other")),
    ),
    _one_slot_scalar(
        "DivBackward1",
        ("dividing by a number", "수로 나누기"),
        "{y} = {x} / {c}",
        "∂{y}/∂{x} = 1/{c}",
        ("The gradient is divided by the same number.", "받은 그래디언트를 같은 수로 나눠 전달합니다."),
        lambda c: c.grad / Num(scalar(c, "other")),
    ),
    unary(
        "NegBackward0",
        ("negation", "부호 바꾸기"),
        "{y} = -{x}",
        "∂{y}/∂{x} = -1",
        ("The gradient goes on with its sign flipped.", "그래디언트의 부호를 바꿔 전달합니다."),
        lambda c: -c.grad,
    ),
)


def _power(ctx: Ctx) -> Expr:
    """grad · n · x^(n-1) (PyTorch: pow_backward; a power of 0 sends 0)."""
    n = scalar(ctx, "exponent")
    x = ctx.sym("self")
    if n == 0:
        return ctx.grad * Mask("0", 0)  # (zeros, whatever grad holds)
    if n == 1:
        return ctx.grad
    return ctx.grad * Num(n) * x ** (n - 1)


def _exponent_text(ctx: Ctx) -> dict:
    """`n` and the local derivative `dx` as written: 2·x for x², 3·x² for x³, 0.5·x^(-0.5) for √x."""
    n = scalar(ctx, "exponent")
    x = Sym(ctx.label(0, "x"), 1.0)
    derivative = Num(0) if n == 0 else Num(1) if n == 1 else Num(n) * x ** (n - 1)
    return {"n": Num(n).label, "dx": derivative.text("en"), "xn": (x**n).text("en")}


def _subtracted_from(ctx: Ctx) -> str:
    """The number `c - x` subtracts from, as the code wrote it when the recorder has it (autograd saves none)."""
    value = ctx.saved.get("other")
    if isinstance(value, torch.Tensor) and value.dim() == 0:
        return Num(float(value)).label
    return "c"


def _exponent(ctx: Ctx) -> Expr:
    """`a ** b`'s exponent, saved as `exponent` (the `other` slot's): under the name the formulas give that slot."""
    return Sym(ctx.label(1, "b"), ctx.tensor("exponent"))


def _log_term(base: Expr, exponent: Expr) -> Expr:
    """ln(base), 0 where base = 0 and the exponent is >= 0 (PyTorch: pow_backward_exponent)."""

    def log(b, e):
        b = torch.as_tensor(b, dtype=torch.float64)
        return torch.where((b == 0) & (torch.as_tensor(e) >= 0), torch.zeros_like(b), b.log())

    return Form("ln({0})", "ln({0})", [base, exponent], log, nums="ln({0})")


add(
    unary(
        "PowBackward0",
        ("power", "거듭제곱"),
        "{y} = {xn}",
        "∂{y}/∂{x} = {dx}",
        (
            "The power rule: the gradient for {x} is the gradient received (grad) times {dx}.",
            "거듭제곱의 미분 법칙에 따라 {x}에 대한 그래디언트는 받은 그래디언트에 이 연산의 미분(국소 미분)을 곱한 "
            "grad · {dx}입니다.",
        ),
        _power,
        params=_exponent_text,
    ),
    binary(
        "PowBackward1",
        ("power", "거듭제곱"),
        "{y} = {a}^{b}",
        "∂{y}/∂{a} = {b}·{a}^({b}-1), ∂{y}/∂{b} = {y}·ln({a})",
        (
            "The base gets grad · {b}·{a}^({b}-1); the exponent gets grad · {y} · ln({a}).",
            "밑에는 grad · {b}·{a}^({b}-1), 지수에는 grad · {y} · ln({a})의 값이 전달됩니다.",
        ),
        lambda c: zero_where(
            c.grad
            * _exponent(c)
            * Form("{0}^({1} - 1)", "{0}^({1} - 1)", [c.sym("self"), _exponent(c)], lambda a, b: a ** (b - 1)),
            _zero_exponent(c),
            f"{c.label(1, 'b')} = 0",
            f"{c.label(1, 'b')} = 0",
        ),
        lambda c: c.grad * c.sym("result") * _log_term(c.sym("self"), c.sym("exponent")),
    ),
    Rule(
        "PowBackward2",
        ("a number raised to a tensor", "수의 텐서 거듭제곱"),
        "{y} = {c}^{x}",
        "∂{y}/∂{x} = {y}·ln({c})",
        ("The exponent gets grad · {y} · ln({c}).", "지수에는 grad · {y} · ln({c})의 값이 전달됩니다."),
        (
            Slot(
                "exponent",
                "x",
                lambda c: c.grad * c.sym("result") * _log_term(Num(scalar(c, "self")), c.sym("exponent")),
            ),
        ),
        params=lambda c: {"c": Num(scalar(c, "self")).label},  # (the number the code wrote, not a letter)
    ),
)

# One-input math functions: (node, title, forward, local derivative, words, gradient).
FUNCTIONS = [
    (
        "ExpBackward0",
        ("exponential", "지수 함수"),
        "{y} = exp({x})",
        "∂{y}/∂{x} = exp({x}) = {y}",
        (
            "exp is its own derivative: the gradient for {x} is grad · {y}.",
            "exp는 미분해도 자기 자신이므로 {x}에 대한 그래디언트는 grad · {y}입니다.",
        ),
        lambda c: c.grad * c.sym("result"),
    ),
    (
        "LogBackward0",
        ("natural logarithm", "자연로그"),
        "{y} = ln({x})",
        "∂{y}/∂{x} = 1/{x}",
        ("The gradient for {x} is grad / {x}.", "{x}에 대한 그래디언트는 grad / {x}입니다."),
        lambda c: c.grad / c.sym("self"),
    ),
    (
        "Log2Backward0",
        ("base-2 logarithm", "밑이 2인 로그"),
        "{y} = log₂({x})",
        "∂{y}/∂{x} = 1/({x}·ln 2)",
        ("The gradient for {x} is grad / ({x}·ln 2).", "{x}에 대한 그래디언트는 grad / ({x}·ln 2)입니다."),
        lambda c: c.grad / (c.sym("self") * Num(math.log(2), "ln 2")),
    ),
    (
        "Log10Backward0",
        ("base-10 logarithm", "상용로그"),
        "{y} = log₁₀({x})",
        "∂{y}/∂{x} = 1/({x}·ln 10)",
        ("The gradient for {x} is grad / ({x}·ln 10).", "{x}에 대한 그래디언트는 grad / ({x}·ln 10)입니다."),
        lambda c: c.grad / (c.sym("self") * Num(math.log(10), "ln 10")),
    ),
    (
        "Log1PBackward0",
        ("log(1 + x)", "log(1 + x)"),
        "{y} = ln(1 + {x})",
        "∂{y}/∂{x} = 1/(1 + {x})",
        ("The gradient for {x} is grad / (1 + {x}).", "{x}에 대한 그래디언트는 grad / (1 + {x})입니다."),
        lambda c: c.grad / (1 + c.sym("self")),
    ),
    (
        "SqrtBackward0",
        ("square root", "제곱근"),
        "{y} = √{x}",
        "∂{y}/∂{x} = 1/(2·√{x}) = 1/(2·{y})",
        ("The gradient for {x} is grad / (2·{y}).", "{x}에 대한 그래디언트는 grad / (2·{y})입니다."),
        lambda c: c.grad / (2 * c.sym("result")),
    ),
    (
        "RsqrtBackward0",
        ("reciprocal square root", "제곱근의 역수"),
        "{y} = 1/√{x}",
        "∂{y}/∂{x} = -{y}³/2",
        ("The gradient for {x} is -0.5 · grad · {y}³.", "{x}에 대한 그래디언트는 -0.5 · grad · {y}³입니다."),
        lambda c: Num(-0.5) * c.grad * c.sym("result") ** 3,
    ),
    (
        "ReciprocalBackward0",
        ("reciprocal", "역수"),
        "{y} = 1/{x}",
        "∂{y}/∂{x} = -1/{x}² = -{y}²",
        ("The gradient for {x} is -grad · {y}².", "{x}에 대한 그래디언트는 -grad · {y}²입니다."),
        lambda c: -c.grad * c.sym("result") ** 2,
    ),
    (
        "AbsBackward0",
        ("absolute value", "절댓값"),
        "{y} = |{x}|",
        "∂{y}/∂{x} = sign({x})",
        (
            "The gradient keeps its sign where {x} > 0, flips it where {x} < 0, and is 0 at {x} = 0.",
            "{x} > 0인 곳은 그래디언트를 그대로, {x} < 0인 곳은 부호를 바꿔, {x} = 0인 곳은 0을 보냅니다.",
        ),
        lambda c: c.grad * call("sign", c.sym("self"), torch.sign),
    ),
    (
        "SinBackward0",
        ("sine", "사인"),
        "{y} = sin({x})",
        "∂{y}/∂{x} = cos({x})",
        ("The gradient for {x} is grad · cos({x}).", "{x}에 대한 그래디언트는 grad · cos({x})입니다."),
        lambda c: c.grad * call("cos", c.sym("self"), torch.cos),
    ),
    (
        "CosBackward0",
        ("cosine", "코사인"),
        "{y} = cos({x})",
        "∂{y}/∂{x} = -sin({x})",
        ("The gradient for {x} is grad · (-sin({x})).", "{x}에 대한 그래디언트는 grad · (-sin({x}))입니다."),
        lambda c: c.grad * -call("sin", c.sym("self"), torch.sin),
    ),
    (
        "TanBackward0",
        ("tangent", "탄젠트"),
        "{y} = tan({x})",
        "∂{y}/∂{x} = 1 + {y}²",
        ("The gradient for {x} is grad · (1 + {y}²).", "{x}에 대한 그래디언트는 grad · (1 + {y}²)입니다."),
        lambda c: c.grad * (1 + c.sym("result") ** 2),
    ),
    (
        "ErfBackward0",
        ("error function", "오차 함수"),
        "{y} = erf({x})",
        "∂{y}/∂{x} = 2/√π · exp(-{x}²)",
        (
            "The gradient for {x} is grad · 2/√π · exp(-{x}²).",
            "{x}에 대한 그래디언트는 grad · 2/√π · exp(-{x}²)입니다.",
        ),
        lambda c: c.grad * Num(2 / math.sqrt(math.pi), "2/√π") * call("exp", -(c.sym("self") ** 2), torch.exp),
    ),
]
STEPS = [  # derivative 0 almost everywhere
    ("SignBackward0", ("sign", "부호"), "{y} = sign({x})"),
    ("FloorBackward0", ("floor", "내림"), "{y} = ⌊{x}⌋"),
    ("CeilBackward0", ("ceiling", "올림"), "{y} = ⌈{x}⌉"),
    ("RoundBackward0", ("rounding", "반올림"), "{y} = round({x})"),
    ("RoundBackward1", ("rounding to decimals", "소수점 자리 반올림"), "{y} = round({x}, decimals)"),
    ("TruncBackward0", ("truncation", "버림"), "{y} = trunc({x})"),
]
add(*(unary(node, title, forward, local, words, grad) for node, title, forward, local, words, grad in FUNCTIONS))
add(
    *(
        unary(
            node,
            title,
            forward,
            "∂{y}/∂{x} = 0",
            (
                "A step function is flat almost everywhere: it sends a gradient of 0.",
                "계단 모양 함수는 거의 모든 곳에서 평평하므로 그래디언트 0을 보냅니다.",
            ),
            lambda c: c.grad * Mask("0", 0),  # (PyTorch's zeros_like(grad): 0 even for an infinite grad)
        )
        for node, title, forward in STEPS
    )
)


def indicator(label: str, mask, nan=None, label_ko: str | None = None) -> Expr:
    """`1[x > 0]`: a 0/1 mask, written as its condition, shown as its values; `grad ⊙ 1[…]` selects, as PyTorch's
    `where(mask, grad, 0)` does (an infinite gradient where the mask is 0 gives 0, not NaN). `mask` is computed with
    PyTorch's own comparison, which decides the NaN entries (relu sends 0 where `y ≤ 0`: `~(y <= 0)`, 1 at a NaN, not
    `y > 0`); `nan`, where the values compared were NaN, lets the words say so (see `Mask`)."""
    return Mask(f"1[{label}]", mask, None if label_ko is None else f"1[{label_ko}]", nan=nan)


def compared(ctx: Ctx, first: str, second: str) -> tuple[torch.Tensor, torch.Tensor]:
    """Two saved tensors as PyTorch compares them in a backward (`self >= min`, `self == other`): both in their result
    dtype, handed back in float64 (a bfloat16 input and a float32 0-dim bound of 0.1 are compared in bfloat16, where
    the bound is bfloat16's 0.1, which an input of 0.1 equals)."""
    a, b = ctx.tensor(first), ctx.tensor(second)
    dtype = torch.result_type(ctx.raw(first), ctx.raw(second))
    if not dtype.is_floating_point or dtype is torch.float64:
        return a, b
    return a.to(dtype).to(torch.float64), b.to(dtype).to(torch.float64)


def zeros_for(ctx: Ctx, slot: int) -> Expr:
    """0 in the shape of slot `slot`'s input."""
    shape = ctx.input_shape(slot)
    return Num(0) if shape is None else spread(Num(0), shape)


def _clamp_bounds(ctx: Ctx) -> dict[str, str]:
    """The bounds the code gave (`min=0.5` alone, or both), as the forward op and its range write them."""
    low, high = ctx.saved.get("min"), ctx.saved.get("max")
    x = ctx.label(0, "x")
    given = [f"{key}={Num(float(v)).label}" for key, v in (("min", low), ("max", high)) if v is not None]
    if low is not None and high is not None:
        span = f"{Num(float(low)).label} ≤ {x} ≤ {Num(float(high)).label}"
    elif low is not None:
        span = f"{x} ≥ {Num(float(low)).label}"
    else:
        span = f"{x} ≤ {Num(float(high)).label}" if high is not None else "true"
    return {"bounds": ", ".join(given), "range": span}


def _clamp(ctx: Ctx) -> Expr:
    x = ctx.tensor("self")
    low, high = ctx.saved.get("min"), ctx.saved.get("max")
    keep = torch.ones_like(x, dtype=torch.bool)
    if low is not None:
        keep &= x >= ctx.as_input(low)
    if high is not None:
        keep &= x <= ctx.as_input(high)
    return ctx.grad * indicator(_clamp_bounds(ctx)["range"], keep)  # (as the local derivative writes it: lo ≤ x ≤ hi)


def _clamp_one(key: str, sign: str):
    def grad(ctx: Ctx) -> Expr:
        x, bound = ctx.tensor("self"), float(scalar(ctx, key))
        kernel = ctx.as_input(bound)
        keep = x >= kernel if sign == "≥" else x <= kernel
        return ctx.grad * indicator(f"{ctx.label(0, 'x')} {sign} {Num(bound).label}", keep)

    return grad


def _clamp_by_tensors(which: str):
    """clamp with tensor bounds (derivatives.yaml: clamp.Tensor; clamp_backward, clamp_backward_min_max): the output
    is min(max(x, lo), hi), so each entry's gradient goes to the one of the three it was taken from: x where
    lo ≤ x ≤ hi, lo where x < lo < hi, hi where x > hi or hi < lo (a missing bound takes no part)."""

    def grad(ctx: Ctx) -> Expr:
        has_low, has_high = ctx.has("min"), ctx.has("max")
        x = ctx.tensor("self")
        # (each comparison in the dtype of the two it compares, as PyTorch's is)
        x_low, low = compared(ctx, "self", "min") if has_low else (x, None)
        x_high, high = compared(ctx, "self", "max") if has_high else (x, None)
        both = compared(ctx, "min", "max") if has_low and has_high else None  # (lo and hi, compared with each other)
        name = ctx.label(0, "x")
        lo = ctx.label(1, "lo") if low is not None else None
        hi = ctx.label(2, "hi") if high is not None else None
        if which == "self":
            keep = torch.ones(
                torch.broadcast_shapes(*(t.shape for t in (x, low, high) if t is not None)), dtype=torch.bool
            )
            parts = []
            if low is not None:
                keep = keep & (x_low >= low)
                parts.append(f"{name} ≥ {lo}")
            if high is not None:
                keep = keep & (x_high <= high)
                parts.append(f"{name} ≤ {hi}")
            label_en, label_ko = " and ".join(parts) or "always", "이고 ".join(parts) or "항상"
            return back(ctx, 0, ctx.grad * indicator(label_en, keep, label_ko=label_ko))
        if which == "min":
            if low is None:
                raise Missing("the lower bound is not a tensor", "아래 경계가 텐서가 아닙니다")
            keep = x_low < low
            label = label_ko = f"{name} < {lo}"
            if both is not None:
                keep = keep & (both[0] < both[1])
                label, label_ko = label + f" and {lo} < {hi}", label_ko + f"이고 {lo} < {hi}"
            return back(ctx, 1, ctx.grad * indicator(label, keep, label_ko=label_ko))
        if high is None:
            raise Missing("the upper bound is not a tensor", "위 경계가 텐서가 아닙니다")
        keep = x_high > high
        label = label_ko = f"{name} > {hi}"
        if both is not None:
            keep = keep | (both[1] < both[0])
            label, label_ko = label + f" or {hi} < {lo}", label_ko + f" 또는 {hi} < {lo}"
        return back(ctx, 2, ctx.grad * indicator(label, keep, label_ko=label_ko))

    return grad


def _where(ctx: Ctx, first: bool) -> Expr:
    condition = ctx.tensor("condition").to(torch.bool)
    mask = condition if first else ~condition
    return ctx.grad * indicator("cond" if first else "not cond", mask)


def _masked_fill(ctx: Ctx) -> Expr:
    return ctx.grad * indicator("not mask", ~ctx.tensor("mask").to(torch.bool))


def _masked_fill_value(ctx: Ctx) -> Expr:
    """masked_fill's 0-dim value tensor: it went to every place the mask chose, so it gets their gradients summed."""
    mask = ctx.tensor("mask").to(torch.bool)
    return Form(
        "Σ {0} where mask",
        "mask 자리의 Σ {0}",
        [ctx.grad, Shown("mask", mask)],
        lambda g, m: torch.where(m.to(torch.bool), g, 0.0).sum(),
        nums="Σ where({1}, {0}, 0)",
    )


def _extreme(first: bool, biggest: bool):
    """maximum/minimum: the larger (smaller) input gets the gradient; a tie splits it in half. As derivatives.yaml
    computes it (maximum's self: `where(self == other, grad/2, grad).masked_fill_(self < other, 0)`), only the input
    that lost gets 0: where either is NaN (the output is NaN) both get the whole gradient."""

    def grad(ctx: Ctx) -> Expr:
        a, b = compared(ctx, "self", "other")
        mine, theirs = (a, b) if first else (b, a)
        loses = mine < theirs if biggest else mine > theirs
        share = torch.where(loses, 0.0, torch.where(a == b, 0.5, 1.0)).to(torch.float64)
        word, word_ko = ("max", "최댓값") if biggest else ("min", "최솟값")
        name = ctx.label(0 if first else 1, "a" if first else "b")
        nan = torch.isnan(a) | torch.isnan(b)
        return ctx.grad * indicator_share(f"{name} is the {word}", share, f"{name} = {word_ko}", nan=nan)

    return grad


LERP_WORDS = with_broadcast(
    (
        "The output is (1 - {w}) parts {a} and {w} parts {b}, so {a} gets grad · (1 - {w}) and {b} gets grad · {w}.",
        "출력은 {a}를 (1 - {w})만큼, {b}를 {w}만큼 섞은 값이므로 {a}에는 grad · (1 - {w}), {b}에는 grad · {w}가 "
        "전달됩니다.",
    ),
    lambda c: {"w": Num(scalar(c, "weight")).label},
)
LERP_WEIGHT_WORDS = with_broadcast(
    (
        "The output is (1 - {w}) parts {a} and {w} parts {b}: {a} gets grad · (1 - {w}), {b} gets grad · {w}, and "
        "the weight {w} gets grad · ({b} - {a}).",
        "출력은 {a}를 (1 - {w})만큼, {b}를 {w}만큼 섞은 값입니다. {a}에는 grad · (1 - {w}), {b}에는 grad · {w}, "
        "가중치 {w}에는 grad · ({b} - {a})가 전달됩니다.",
    )
)


def indicator_share(label: str, share, label_ko: str | None = None, nan=None) -> Expr:
    """A selection's shares (1, ½ at a tie, 0): selects as `indicator` does."""
    return Mask(f"1[{label}]", share, None if label_ko is None else f"1[{label_ko}]", nan=nan)


add(
    binary(
        "Atan2Backward0",
        ("two-argument arctangent", "두 인수 아크탄젠트(atan2)"),
        "{y} = atan2({a}, {b})",
        "∂{y}/∂{a} = {b}/({a}² + {b}²), ∂{y}/∂{b} = -{a}/({a}² + {b}²)",
        (
            "{y} is the angle of the point ({b}, {a}): {a} gets grad · {b}/({a}² + {b}²) and {b} gets "
            "-grad · {a}/({a}² + {b}²).",
            "{y}는 점 ({b}, {a})의 각도입니다. {a}에는 grad · {b}/({a}² + {b}²), {b}에는 -grad · {a}/({a}² + {b}²)가 "
            "전달됩니다.",
        ),
        lambda c: _at_origin_zero(c, c.grad * c.sym("other") / (c.sym("self") ** 2 + c.sym("other") ** 2)),
        lambda c: _at_origin_zero(c, -c.grad * c.sym("self") / (c.sym("self") ** 2 + c.sym("other") ** 2)),
    ),
    binary(
        "HypotBackward0",
        ("hypotenuse", "빗변 길이(hypot)"),
        "{y} = √({a}² + {b}²)",
        "∂{y}/∂{a} = {a}/{y}, ∂{y}/∂{b} = {b}/{y}",
        (
            "Each side gets grad times its own length over the hypotenuse: {a} gets grad · {a}/{y}, {b} gets "
            "grad · {b}/{y}.",
            "각 변은 grad에 (자기 길이 / 빗변 길이)를 곱한 값을 받습니다. {a}에는 grad · {a}/{y}, {b}에는 "
            "grad · {b}/{y}가 전달됩니다.",
        ),
        lambda c: c.grad * c.sym("self") / c.sym("result"),
        lambda c: c.grad * c.sym("other") / c.sym("result"),
    ),
    Rule(
        "DivBackward2",
        ("division with rounding", "반올림하는 나눗셈"),
        "{y} = {mode}({a} / {b})",
        "∂{y}/∂{a} = 0, ∂{y}/∂{b} = 0",
        (
            "A rounded quotient ({mode}) is flat between the steps where it jumps, so PyTorch sends 0 to both inputs.",
            "반올림한 몫({mode})은 값이 뛰는 곳 사이에서는 평평하므로, PyTorch는 두 입력 모두에 0을 보냅니다.",
        ),
        (Slot("self", "a", lambda c: zeros_for(c, 0)), Slot("other", "b", lambda c: zeros_for(c, 1))),
        params=lambda c: {"mode": str(c.raw("rounding_mode"))},
        # (`torch.div(a, b, rounding_mode=None)` makes this node too, and rounds nothing: a plain division's gradient)
        variant=lambda c: DIVISION_NOT_ROUNDED if c.raw("rounding_mode") is None else None,
    ),
    unary(
        "NanToNumBackward0",
        ("replacing NaN and infinities", "NaN과 무한대 바꾸기"),
        (
            "{y} = {x} where it is finite, a fixed number where it is NaN or ±inf",
            "{y} = 유한한 곳은 {x}, NaN이나 ±inf인 곳은 정해진 수",
        ),
        ("∂{y}/∂{x} = 1[{x} is finite]", "∂{y}/∂{x} = 1[{x}가 유한]"),
        (
            "Finite entries passed unchanged and get grad; NaN and ±inf entries were replaced by constants and get 0.",
            "유한한 원소는 그대로 지나갔으므로 grad를 받고, NaN이나 ±inf였던 원소는 상수로 바뀌었으므로 0을 받습니다.",
        ),
        lambda c: (  # (a product, not a selection: derivatives.yaml's grad * isfinite(self), NaN for inf · 0)
            c.grad
            * Sym(
                f"1[{c.label(0, 'x')} is finite]",
                torch.isfinite(c.tensor("self")).double(),
                f"1[{c.label(0, 'x')}가 유한]",
            )
        ),
    ),
    Rule(
        "LerpBackward0",
        ("linear interpolation", "선형 보간(lerp)"),
        "{y} = {a} + {w}·({b} - {a})",
        "∂{y}/∂{a} = 1 - {w}, ∂{y}/∂{b} = {w}",
        LERP_WORDS[0],
        (
            Slot("self", "a", lambda c: back(c, 0, c.grad * Num(1 - scalar(c, "weight")))),
            Slot("end", "b", lambda c: back(c, 1, c.grad * Num(scalar(c, "weight")))),
        ),
        params=LERP_WORDS[1],
    ),
    Rule(
        "LerpBackward1",
        ("linear interpolation", "선형 보간(lerp)"),
        "{y} = {a} + {w}·({b} - {a})",
        "∂{y}/∂{a} = 1 - {w}, ∂{y}/∂{b} = {w}, ∂{y}/∂{w} = {b} - {a}",
        LERP_WEIGHT_WORDS[0],
        (
            Slot("self", "a", lambda c: back(c, 0, c.grad * (1 - c.sym("weight")))),
            Slot("end", "b", lambda c: back(c, 1, c.grad * c.sym("weight"))),
            Slot("weight", "w", lambda c: back(c, 2, c.grad * (c.sym("end") - c.sym("self")))),
        ),
        params=LERP_WEIGHT_WORDS[1],
    ),
    unary(
        "ClampBackward1",
        ("clamp", "범위 자르기"),
        "{y} = clamp({x}, {bounds})",
        "∂{y}/∂{x} = 1[{range}]",
        (
            "The gradient passes where {x} was inside the range and is 0 where it was clipped.",
            "{x}의 값이 범위 안에 있던 곳은 그래디언트가 그대로 지나가고, 잘린 곳은 0이 됩니다.",
        ),
        _clamp,
        params=lambda c: _clamp_bounds(c),
    ),
    Rule(
        "ClampBackward0",
        ("clamp between tensors", "텐서 경계로 범위 자르기"),
        "{y} = clamp({x}, {lo}, {hi}) = min(max({x}, {lo}), {hi})",
        (
            "∂{y}/∂{x} = 1[{lo} ≤ {x} ≤ {hi}], ∂{y}/∂{lo} = 1[{x} < {lo} < {hi}], "
            "∂{y}/∂{hi} = 1[{x} > {hi} or {hi} < {lo}]",
            "∂{y}/∂{x} = 1[{lo} ≤ {x} ≤ {hi}], ∂{y}/∂{lo} = 1[{x} < {lo} < {hi}], "
            "∂{y}/∂{hi} = 1[{x} > {hi} 또는 {hi} < {lo}]",
        ),
        with_broadcast(
            (
                "Each output entry is one of the three inputs' entries: {x} where it lies inside the bounds, {lo} "
                "where {x} fell below it, {hi} where {x} rose above it (or where the bounds cross, {hi} < {lo}). "
                "That input gets grad there and the others get 0.",
                "출력의 각 원소는 세 입력 중 하나에서 그대로 가져온 값입니다. {x}의 값이 경계 안에 있으면 {x}, "
                "아래 경계보다 작았으면 {lo}, 위 경계보다 컸으면(또는 경계가 뒤집혀 {hi} < {lo}인 경우에는) {hi}에서 "
                "가져왔습니다. 그 자리의 grad는 값을 준 입력에만 전달되고, 나머지 입력은 0을 받습니다.",
            )
        )[0],
        (
            Slot("self", "x", _clamp_by_tensors("self")),
            Slot("min", "lo", _clamp_by_tensors("min")),
            Slot("max", "hi", _clamp_by_tensors("max")),
        ),
        params=with_broadcast(("", ""))[1],
    ),
    unary(
        "ClampMinBackward0",
        ("clamp from below", "아래쪽 자르기"),
        "{y} = max({x}, {bound})",
        "∂{y}/∂{x} = 1[{x} ≥ {bound}]",
        (
            "The gradient passes where {x} ≥ {bound} and is 0 elsewhere.",
            "{x} ≥ {bound}인 곳만 그래디언트가 지나가고 나머지는 0입니다.",
        ),
        _clamp_one("min", "≥"),
        params=lambda c: {"bound": Num(float(c.raw("min"))).label},  # (the number the code gave)
    ),
    unary(
        "ClampMaxBackward0",
        ("clamp from above", "위쪽 자르기"),
        "{y} = min({x}, {bound})",
        "∂{y}/∂{x} = 1[{x} ≤ {bound}]",
        (
            "The gradient passes where {x} ≤ {bound} and is 0 elsewhere.",
            "{x} ≤ {bound}인 곳만 그래디언트가 지나가고 나머지는 0입니다.",
        ),
        _clamp_one("max", "≤"),
        params=lambda c: {"bound": Num(float(c.raw("max"))).label},  # (the number the code gave)
    ),
    binary(
        "WhereBackward0",
        ("choice by a condition", "조건에 따른 선택"),
        "{y} = where(cond, {a}, {b})",
        "∂{y}/∂{a} = 1[cond], ∂{y}/∂{b} = 1[not cond]",
        (
            "Each entry's gradient goes to the input it was taken from: {a} where cond holds, {b} elsewhere.",
            "각 원소의 그래디언트는 그 값을 가져온 입력으로 갑니다. 조건(cond)이 참인 곳은 {a}, 거짓인 곳은 {b}입니다.",
        ),
        lambda c: _where(c, True),
        lambda c: _where(c, False),
    ),
    unary(
        "MaskedFillBackward0",
        ("masked fill", "마스크 채우기"),
        ("{y} = {x} with mask entries set to a value", "{y} = {x}의 mask 자리를 한 값으로 채움"),
        "∂{y}/∂{x} = 1[not mask]",
        (
            "Entries overwritten by the mask get 0; the others pass the gradient on.",
            "마스크로 덮어쓴 원소는 그래디언트 0, 나머지는 그대로 전달합니다.",
        ),
        _masked_fill,
    ),
    Rule(
        "MaskedFillBackward1",
        ("masked fill with a tensor", "텐서 값으로 마스크 채우기"),
        ("{y} = {x} with mask entries set to {v}", "{y} = {x}의 mask 자리를 {v}로 채움"),
        "∂{y}/∂{x} = 1[not mask], ∂{y}/∂{v} = 1[mask]",
        (
            "Entries overwritten by the mask get 0 and the others pass the gradient on to {x}; {v} went to every "
            "masked place, so it gets the sum of their gradients.",
            "마스크로 덮어쓴 원소는 그래디언트 0, 나머지는 {x}에 그대로 전달합니다. {v}는 mask 자리마다 들어갔으므로 "
            "그 자리들의 그래디언트를 모두 더한 값을 받습니다.",
        ),
        (Slot("self", "x", _masked_fill), Slot("value", "v", _masked_fill_value)),
    ),
    binary(
        "MaximumBackward0",
        ("element-wise maximum", "원소별 최댓값"),
        "{y} = maximum({a}, {b})",
        ("∂{y}/∂{a} = 1[{a} > {b}] (½ on ties)", "∂{y}/∂{a} = 1[{a} > {b}] (같으면 ½)"),
        (
            "The larger input of each pair gets the gradient; a tie gives each half.",
            "두 값 중 큰 쪽이 그래디언트를 받고, 같으면 절반씩 나눠 받습니다.",
        ),
        _extreme(True, True),
        _extreme(False, True),
    ),
    binary(
        "MinimumBackward0",
        ("element-wise minimum", "원소별 최솟값"),
        "{y} = minimum({a}, {b})",
        ("∂{y}/∂{a} = 1[{a} < {b}] (½ on ties)", "∂{y}/∂{a} = 1[{a} < {b}] (같으면 ½)"),
        (
            "The smaller input of each pair gets the gradient; a tie gives each half.",
            "두 값 중 작은 쪽이 그래디언트를 받고, 같으면 절반씩 나눠 받습니다.",
        ),
        _extreme(True, False),
        _extreme(False, False),
    ),
)


def _value(ctx: Ctx) -> float:
    return float(scalar(ctx, "value"))


def _value_term(ctx: Ctx) -> dict:
    value = _value(ctx)
    return {"value": "" if value == 1 else f"{Num(value).label}·", "scale": Num(value).label}


def _fused(node, title, forward, local, words, first, second) -> Rule:
    """addcmul and addcdiv: x + value·(a op b); x gets the gradient as it is, a and b theirs by the product or
    quotient rule (derivatives.yaml), each summed back to its shape where broadcasting stretched it."""
    words, params = with_broadcast(words, _value_term)
    return Rule(
        node,
        title,
        forward,
        local,
        words,
        (
            Slot("self", "x", lambda c: back(c, 0, c.grad)),
            Slot("tensor1", "a", lambda c: back(c, 1, first(c))),
            Slot("tensor2", "b", lambda c: back(c, 2, second(c))),
        ),
        params=params,
    )


add(
    _fused(
        "AddcmulBackward0",
        ("add a scaled product (addcmul)", "곱을 더하기(addcmul)"),
        "{y} = {x} + {value}{a} ⊙ {b}",
        "∂{y}/∂{x} = 1, ∂{y}/∂{a} = {value}{b}, ∂{y}/∂{b} = {value}{a}",
        (
            "{x} is added as it is, so it gets grad unchanged; {a} and {b} were multiplied, so each gets grad times "
            "the other (and the value the product was scaled by).",
            "그대로 더해진 {x}에는 grad가 그대로 전달되고, 서로 곱해진 두 텐서 {a}, {b}에는 각각 grad에 상대 쪽 "
            "텐서(와 곱에 곱한 value)를 곱한 값이 전달됩니다.",
        ),
        lambda c: times(_value(c), c.grad * c.sym("tensor2")),
        lambda c: times(_value(c), c.grad * c.sym("tensor1")),
    ),
    _fused(
        "AddcdivBackward0",
        ("add a scaled quotient (addcdiv)", "몫을 더하기(addcdiv)"),
        "{y} = {x} + {value}{a} / {b}",
        "∂{y}/∂{x} = 1, ∂{y}/∂{a} = {scale}/{b}, ∂{y}/∂{b} = -{value}{a}/{b}²",
        (
            "{x} is added as it is, so it gets grad unchanged; the numerator {a} gets grad / {b} and the denominator "
            "{b} gets -grad · {a} / {b}² (the quotient rule), both times the value the quotient was scaled by.",
            "그대로 더해진 {x}에는 grad가 그대로 전달됩니다. 분자 {a}에 대한 그래디언트는 grad / {b}, 분모 {b}에 대한 "
            "그래디언트는 -grad · {a} / {b}²이며(나눗셈의 미분 법칙), 둘 다 몫에 곱한 value를 곱합니다.",
        ),
        lambda c: times(_value(c), c.grad / c.sym("tensor2")),
        lambda c: -times(_value(c), c.grad * c.sym("tensor1") / c.sym("tensor2") ** 2),
    ),
)


def _xlogy_self(ctx: Ctx) -> Expr:
    """xlogy's first input: grad · log(y) (xlogy(grad, y): 0 where grad is 0), and 0 where x = 0 and y ≤ 0."""
    x, y = ctx.tensor("self"), ctx.tensor("other")
    dead = (x == 0) & (y <= 0)

    def value(g, yv):
        out = torch.xlogy(g, yv)
        return torch.where(dead, torch.zeros_like(out), out)

    return back(ctx, 0, Form("{0} · log({1})", "{0} · log({1})", [ctx.grad, operand(ctx, "other")], value))


def _sinc(ctx: Ctx) -> Expr:
    """sinc_backward: `where(x == 0, 0, grad · (πx·cos(πx) - sin(πx))/(πx²))`: 0 at x = 0 whatever grad is there (a
    NaN gradient too), so the 0 is a selection, not a factor."""

    def derivative(v):
        pi_x = v * math.pi
        out = (pi_x * torch.cos(pi_x) - torch.sin(pi_x)) / (v * v * math.pi)
        return torch.where(v == 0, torch.zeros_like(out), out)

    x = ctx.sym("self")
    inner = ctx.grad * Form(
        "(π{0}·cos(π{0}) - sin(π{0}))/(π{0}²)", "(π{0}·cos(π{0}) - sin(π{0}))/(π{0}²)", [x], derivative
    )
    name = x.text("en")
    return zero_where(inner, x.value() == 0, f"{name} = 0", f"{name} = 0")


def _logaddexp(first: bool):
    def grad(ctx: Ctx) -> Expr:
        a, b = ctx.sym("self"), ctx.sym("other")
        mine, other = (a, b) if first else (b, a)
        weight = Form(
            "1/(1 + exp({1} - {0}))", "1/(1 + exp({1} - {0}))", [mine, other], lambda m, o: 1 / (1 + torch.exp(o - m))
        )
        return back(ctx, 0 if first else 1, ctx.grad * weight)

    return grad


def _erfinv(ctx: Ctx) -> Expr:
    return ctx.grad * Form(
        "½·√π·exp(erfinv({0})²)",
        "½·√π·exp(erfinv({0})²)",
        [ctx.sym("self")],
        lambda v: 0.5 * math.sqrt(math.pi) * torch.exp(torch.erfinv(v) ** 2),
    )


def _copysign(ctx: Ctx) -> Expr:
    """copysign_tensor_self_backward: grad · y/x, 0 where x = 0 (the sign flip, ±1)."""
    x, y = ctx.tensor("self"), ctx.tensor("result")
    ratio = torch.where(x == 0, torch.zeros_like(x), y / torch.where(x == 0, torch.ones_like(x), x))
    name = ctx.label(0, "a")
    return back(ctx, 0, ctx.grad * Sym(f"({ctx.output_label()}/{name})", ratio))


def _nan_aware(first: bool, smallest: bool):
    """fmin/fmax: the entry taken gets the gradient: the first input where it wins or ties, or where the second is
    NaN; the second input elsewhere."""

    def grad(ctx: Ctx) -> Expr:
        a, b = compared(ctx, "self", "other")
        first_wins = ((a <= b) if smallest else (a >= b)) | torch.isnan(b)
        mask = first_wins if first else ~first_wins
        word = "fmin" if smallest else "fmax"
        name = ctx.label(0 if first else 1, "a" if first else "b")
        taken = (f"{name} taken by {word}", f"{'fmin이' if smallest else 'fmax가'} {name}의 값을 고른 곳")
        return back(ctx, 0 if first else 1, ctx.grad * indicator(taken[0], mask, label_ko=taken[1]))

    return grad


add(
    binary(
        "XlogyBackward0",
        ("x · log(y)", "x · log(y)"),
        ("{y} = {a} · log({b}) (0 where {a} = 0)", "{y} = {a} · log({b}) ({a} = 0인 곳은 0)"),
        "∂{y}/∂{a} = log({b}), ∂{y}/∂{b} = {a}/{b}",
        (
            "A product: {a} gets grad · log({b}) (0 where {a} = 0 and {b} ≤ 0, where xlogy is defined as 0), and "
            "{b} gets grad · {a}/{b}, the derivative of the logarithm times {a}.",
            "곱셈이므로 {a}에는 grad · log({b})가 전달되고({a} = 0이고 {b} ≤ 0인 곳은 xlogy를 0으로 정의하므로 0), "
            "{b}에는 로그의 미분에 {a}의 값을 곱한 grad · {a}/{b}의 값이 전달됩니다.",
        ),
        _xlogy_self,
        lambda c: c.grad * c.sym("self") / c.sym("other"),
    ),
    unary(
        "SincBackward0",
        ("sinc", "sinc"),
        "{y} = sin(π{x})/(π{x})",
        (
            "∂{y}/∂{x} = (π{x}·cos(π{x}) - sin(π{x}))/(π{x}²), 0 at {x} = 0",
            "∂{y}/∂{x} = (π{x}·cos(π{x}) - sin(π{x}))/(π{x}²), {x} = 0에서는 0",
        ),
        (
            "The quotient rule applied to sin(π{x})/(π{x}); at {x} = 0 the curve is flat, so PyTorch sends 0 there.",
            "sin(π{x})/(π{x})에 몫의 미분 법칙을 적용한 값입니다. {x} = 0에서는 곡선이 평평하므로 PyTorch가 0을 "
            "보냅니다.",
        ),
        _sinc,
    ),
    Rule(
        "LogaddexpBackward0",
        ("log of a sum of exponentials", "지수 합의 로그(logaddexp)"),
        "{y} = log(exp({a}) + exp({b}))",
        "∂{y}/∂{a} = 1/(1 + exp({b} - {a})), ∂{y}/∂{b} = 1/(1 + exp({a} - {b}))",
        with_broadcast(
            (
                "Each input gets grad times its share of the sum, exp(itself)/(exp({a}) + exp({b})): a softmax of "
                "the two, written so that no exponential overflows.",
                "각 입력은 합에서 자기가 차지하는 몫 exp(자기)/(exp({a}) + exp({b}))를 grad에 곱해 받습니다. 두 값의 "
                "소프트맥스이며, 지수 함수가 넘치지 않도록 쓴 식입니다.",
            )
        )[0],
        (Slot("self", "a", _logaddexp(True)), Slot("other", "b", _logaddexp(False))),
        params=with_broadcast(("", ""))[1],
    ),
    unary(
        "ErfinvBackward0",
        ("inverse error function", "역오차함수(erfinv)"),
        "{y} = erfinv({x})",
        "∂{y}/∂{x} = ½·√π·exp({y}²)",
        (
            "The derivative of an inverse function is 1 over the derivative of the function at the result: erf′(y) "
            "= 2/√π·exp(-y²), so the gradient is multiplied by ½·√π·exp({y}²).",
            "역함수의 미분은 결과 지점에서 원래 함수의 미분의 역수입니다. erf′(y) = 2/√π·exp(-y²)이므로 "
            "그래디언트에 ½·√π·exp({y}²)를 곱합니다.",
        ),
        _erfinv,
    ),
    Rule(
        "CopysignBackward0",
        ("copy the sign", "부호 복사(copysign)"),
        "{y} = |{a}| · sign({b})",
        "∂{y}/∂{a} = {y}/{a} (±1), ∂{y}/∂{b} = 0",
        (
            "The output is {a} with its sign flipped where the sign of {b} differs: {a} gets grad · (±1) (0 where "
            "{a} = 0), and {b}, whose sign only is read, gets 0.",
            "출력은 {b}의 부호가 다른 곳에서 {a}의 부호를 뒤집은 값입니다. {a}에는 grad · (±1)이 전달되고({a} = 0인 "
            "곳은 0), 부호만 읽힌 {b}에는 0이 전달됩니다.",
        ),
        (
            Slot("self", "a", _copysign),
            Slot("other", "b", lambda c: zeros_for(c, 1)),
        ),
    ),
    *(
        Rule(
            f"F{word}Backward0",
            (f"element-wise {word}imum ignoring NaN", f"NaN을 무시하는 원소별 {word_ko}"),
            f"{{y}} = f{word}({{a}}, {{b}})",
            (
                "∂{y}/∂{a} = 1 where {a} is taken, ∂{y}/∂{b} = 1 where {b} is taken",
                "∂{y}/∂{a} = {a}에서 가져온 곳은 1, ∂{y}/∂{b} = {b}에서 가져온 곳은 1",
            ),
            (
                "Each output entry is one input's entry (a NaN loses to a number; a tie goes to the first), so that "
                "input gets the gradient there and the other gets 0.",
                "출력의 각 원소는 한 입력의 원소를 그대로 가져온 것이므로(NaN과 수가 만나면 수를, 같으면 첫 번째 "
                "입력을 고름), 그 입력만 그래디언트를 받고 다른 입력은 0을 받습니다.",
            ),
            (
                Slot("self", "a", _nan_aware(True, word == "min")),
                Slot("other", "b", _nan_aware(False, word == "min")),
            ),
        )
        for word, word_ko in (("min", "최솟값"), ("max", "최댓값"))
    ),
)


# -- more functions of one entry (derivatives.yaml: sinh, cosh, asin, acos, atan, asinh, acosh, atanh, expm1, exp2,
# frac, lgamma, digamma, erfc, deg2rad, rad2deg, logit, sgn; remainder, fmod, logaddexp2, clamp_min/clamp_max with a
# tensor bound) --------------------------------------------------------------------------------------------------


def _one_over_root(sign: float, inner):
    """grad · sign/√(inner(x)): the inverse trigonometric and hyperbolic functions."""

    def grad(ctx: Ctx) -> Expr:
        x = ctx.sym("self")
        text = {"1 - x²": "√(1 - {0}²)", "x² + 1": "√({0}² + 1)", "x² - 1": "√({0}² - 1)"}[inner]
        root = Form(
            text,
            text,
            [x],
            {
                "1 - x²": lambda v: torch.sqrt(1 - v * v),
                "x² + 1": lambda v: torch.sqrt(v * v + 1),
                "x² - 1": lambda v: torch.sqrt(v * v - 1),
            }[inner],
        )
        return (-ctx.grad if sign < 0 else ctx.grad) / root

    return grad


def _at_origin_zero(ctx: Ctx, whole: Expr) -> Expr:
    """atan2's gradient, 0 at the origin (a² + b² = 0), where PyTorch's atan2_backward sends 0, not 0/0."""
    a, b = ctx.tensor("self"), ctx.tensor("other")
    origin = (a == 0) & (b == 0)
    shape = torch.broadcast_shapes(a.shape, b.shape)
    text = f"{ctx.label(0, 'a')}² + {ctx.label(1, 'b')}² = 0"
    return zero_where(whole, origin.expand(shape), text, text)


def _zero_exponent(ctx: Ctx) -> torch.Tensor:
    """Where `a ** b`'s exponent is 0, pow_backward_self sends 0 (not 0 · a^(-1), NaN at a = 0): only the entries
    where the formula alone would not give 0."""
    a, b = ctx.tensor("self"), ctx.tensor("exponent")
    shape = torch.broadcast_shapes(a.shape, b.shape)
    return ((b == 0) & ~torch.isfinite(a ** (b - 1))).expand(shape)


def _logit(ctx: Ctx) -> Expr:
    """logit_backward: grad/(x·(1 - x)); with eps, 0 outside [eps, 1 - eps] (where the input was clamped: the
    kernel's `x < lo || x > hi ? 0 : …`, which a NaN passes)."""
    x, eps = ctx.sym("self"), ctx.saved.get("eps")
    whole = ctx.grad / (x * (1 - x))
    if eps is None:  # (the kernel's `x < 0 || x > 1 ? NaN : …`: logit is not defined there)
        outside = (x.value() < 0) | (x.value() > 1)
        return Form("{0}", "{0}", [whole], lambda v: torch.where(outside, math.nan, v), prec=whole.prec)
    low = ctx.as_input(eps)
    inside = ~((x.value() < low) | (x.value() > ctx.as_input(1 - low)))  # (the kernel's hi = 1 - lo, in its dtype)
    label = f"{Num(float(eps)).label} ≤ {ctx.label(0, 'x')} ≤ 1 - {Num(float(eps)).label}"
    return whole * indicator(label, inside, nan=torch.isnan(x.value()))


def _rounded_quotient(mode: str):
    """remainder's (fmod's) second input: r = a - b·q with q = a/b rounded down (toward zero): -grad · q, the quotient
    worked out in the dtype torch divided in (float32's 0.3/0.1 is 3.0, float64's 2.9999999702 of the same inputs
    truncates to 2), then as float64."""

    def grad(ctx: Ctx) -> Expr:
        a, b = ctx.sym("self"), ctx.sym("other")
        name = "floor" if mode == "floor" else "trunc"
        dtype = torch.result_type(ctx.raw("self"), ctx.raw("other"))

        # (a float16 or bfloat16 input divided by a 0-dim tensor: ATen's kernel takes that number as it was given, in
        # float32, not rounded to the input's dtype: bfloat16's 0.7 over a float64 0.7 is 0.9989, floored to 0)
        as_number = dtype in (torch.float16, torch.bfloat16) and ctx.raw("other").dim() == 0
        work = torch.float32 if as_number else dtype

        def quotient(u: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
            top = u.to(dtype).to(work)
            return torch.div(top, w.to(work), rounding_mode=mode).to(u.dtype)

        q = Form(f"{name}({{0}}/{{1}})", f"{name}({{0}}/{{1}})", [a, b], quotient)
        return back(ctx, 1, -ctx.grad * q)

    return grad


def _unequal(ctx: Ctx) -> torch.Tensor:
    """nextafter's `self != other`, compared in the two's result dtype."""
    a, b = compared(ctx, "self", "other")
    return a != b


def _logaddexp2(first: bool):
    def grad(ctx: Ctx) -> Expr:
        a, b = ctx.sym("self"), ctx.sym("other")
        mine, other = (a, b) if first else (b, a)
        weight = Form(
            "1/(1 + 2^({1} - {0}))",
            "1/(1 + 2^({1} - {0}))",
            [mine, other],
            lambda m, o: 1 / (1 + torch.pow(2.0, o - m)),
        )
        return back(ctx, 0 if first else 1, ctx.grad * weight)

    return grad


def _clamp_tensor_one(key: str, which: str):
    """clamp_min / clamp_max with a tensor bound: x gets grad where it was kept (x ≥ min, x ≤ max), the bound where it
    was taken instead."""

    def grad(ctx: Ctx) -> Expr:
        x, bound = compared(ctx, "self", key)
        name, bound_name = ctx.label(0, "x"), ctx.label(1, "m")
        if which == "self":  # (derivatives.yaml: where(self >= min, grad, 0), where(self <= max, grad, 0))
            sign = "≥" if key == "min" else "≤"
            kept = x >= bound if key == "min" else x <= bound
            return back(ctx, 0, ctx.grad * indicator(f"{name} {sign} {bound_name}", kept))
        # (where(self < min, grad, 0), where(self > max, grad, 0): not the self's complement, a NaN gets neither)
        sign = "<" if key == "min" else ">"
        taken = x < bound if key == "min" else x > bound
        return back(ctx, 1, ctx.grad * indicator(f"{name} {sign} {bound_name}", taken))

    return grad


def _elu_in_place(ctx: Ctx) -> Expr:
    """elu_ (and selu_; derivatives.yaml: elu_backward(..., is_result=true, result)): from the output, s where y > 0,
    else i·(y + α·s) (= i·α·s·exp(i·x))."""
    y = ctx.tensor("result")
    a, s, i = (float(scalar(ctx, k)) for k in ("alpha", "scale", "input_scale"))
    factor = torch.where(y <= 0, i * (y + a * s), torch.full_like(y, s))  # (elu_backward's `y <= 0`: a NaN gets s)
    return ctx.grad * Sym(f"elu′ from {ctx.output_label()}", factor, f"{ctx.output_label()}에서 구한 elu′")


MORE_FUNCTIONS = [
    (
        "SinhBackward0",
        ("hyperbolic sine", "쌍곡사인"),
        "{y} = sinh({x})",
        "∂{y}/∂{x} = cosh({x})",
        ("The gradient for {x} is grad · cosh({x}).", "{x}에 대한 그래디언트는 grad · cosh({x})입니다."),
        lambda c: c.grad * call("cosh", c.sym("self"), torch.cosh),
    ),
    (
        "CoshBackward0",
        ("hyperbolic cosine", "쌍곡코사인"),
        "{y} = cosh({x})",
        "∂{y}/∂{x} = sinh({x})",
        ("The gradient for {x} is grad · sinh({x}).", "{x}에 대한 그래디언트는 grad · sinh({x})입니다."),
        lambda c: c.grad * call("sinh", c.sym("self"), torch.sinh),
    ),
    (
        "AsinBackward0",
        ("arcsine", "아크사인"),
        "{y} = asin({x})",
        "∂{y}/∂{x} = 1/√(1 - {x}²)",
        ("The gradient for {x} is grad / √(1 - {x}²).", "{x}에 대한 그래디언트는 grad / √(1 - {x}²)입니다."),
        _one_over_root(1, "1 - x²"),
    ),
    (
        "AcosBackward0",
        ("arccosine", "아크코사인"),
        "{y} = acos({x})",
        "∂{y}/∂{x} = -1/√(1 - {x}²)",
        ("The gradient for {x} is -grad / √(1 - {x}²).", "{x}에 대한 그래디언트는 -grad / √(1 - {x}²)입니다."),
        _one_over_root(-1, "1 - x²"),
    ),
    (
        "AtanBackward0",
        ("arctangent", "아크탄젠트"),
        "{y} = atan({x})",
        "∂{y}/∂{x} = 1/(1 + {x}²)",
        ("The gradient for {x} is grad / (1 + {x}²).", "{x}에 대한 그래디언트는 grad / (1 + {x}²)입니다."),
        lambda c: c.grad / (1 + c.sym("self") ** 2),
    ),
    (
        "AsinhBackward0",
        ("inverse hyperbolic sine", "역쌍곡사인"),
        "{y} = asinh({x})",
        "∂{y}/∂{x} = 1/√({x}² + 1)",
        ("The gradient for {x} is grad / √({x}² + 1).", "{x}에 대한 그래디언트는 grad / √({x}² + 1)입니다."),
        _one_over_root(1, "x² + 1"),
    ),
    (
        "AcoshBackward0",
        ("inverse hyperbolic cosine", "역쌍곡코사인"),
        "{y} = acosh({x})",
        "∂{y}/∂{x} = 1/√({x}² - 1)",
        ("The gradient for {x} is grad / √({x}² - 1).", "{x}에 대한 그래디언트는 grad / √({x}² - 1)입니다."),
        _one_over_root(1, "x² - 1"),
    ),
    (
        "AtanhBackward0",
        ("inverse hyperbolic tangent", "역쌍곡탄젠트"),
        "{y} = atanh({x})",
        "∂{y}/∂{x} = 1/(1 - {x}²)",
        ("The gradient for {x} is grad / (1 - {x}²).", "{x}에 대한 그래디언트는 grad / (1 - {x}²)입니다."),
        lambda c: c.grad / (1 - c.sym("self") ** 2),
    ),
    (
        "Expm1Backward0",
        ("exp(x) - 1", "exp(x) - 1"),
        "{y} = exp({x}) - 1",
        "∂{y}/∂{x} = exp({x}) = {y} + 1",
        ("The gradient for {x} is grad · ({y} + 1).", "{x}에 대한 그래디언트는 grad · ({y} + 1)입니다."),
        lambda c: c.grad * (c.sym("result") + 1),
    ),
    (
        "Exp2Backward0",
        ("power of 2", "2의 거듭제곱"),
        "{y} = 2^{x}",
        "∂{y}/∂{x} = 2^{x}·ln 2 = {y}·ln 2",
        ("The gradient for {x} is grad · {y} · ln 2.", "{x}에 대한 그래디언트는 grad · {y} · ln 2입니다."),
        lambda c: c.grad * c.sym("result") * Num(math.log(2), "ln 2"),
    ),
    (
        "FracBackward0",
        ("fractional part", "소수 부분"),
        "{y} = {x} - trunc({x})",
        "∂{y}/∂{x} = 1",
        (
            "The integer part taken away is a step function (flat almost everywhere), so the gradient passes "
            "unchanged.",
            "빼는 정수 부분은 거의 모든 곳에서 평평한 계단 함수이므로, 그래디언트가 그대로 전달됩니다.",
        ),
        lambda c: c.grad,
    ),
    (
        "LgammaBackward0",
        ("log-gamma", "로그 감마"),
        "{y} = ln|Γ({x})|",
        "∂{y}/∂{x} = ψ({x}) (digamma)",
        (
            "The gradient for {x} is grad · ψ({x}), the digamma function.",
            "{x}에 대한 그래디언트는 grad · ψ({x})(디감마 함수)입니다.",
        ),
        lambda c: c.grad * call("ψ", c.sym("self"), torch.digamma),
    ),
    (
        "DigammaBackward0",
        ("digamma", "디감마"),
        "{y} = ψ({x})",
        "∂{y}/∂{x} = ψ′({x}) (trigamma)",
        (
            "The gradient for {x} is grad · ψ′({x}), the trigamma function.",
            "{x}에 대한 그래디언트는 grad · ψ′({x})(트라이감마 함수)입니다.",
        ),
        lambda c: c.grad * call("ψ′", c.sym("self"), lambda v: torch.polygamma(1, v)),
    ),
    (
        "ErfcBackward0",
        ("complementary error function", "여오차 함수"),
        "{y} = erfc({x}) = 1 - erf({x})",
        "∂{y}/∂{x} = -2/√π · exp(-{x}²)",
        (
            "The gradient for {x} is grad · (-2/√π) · exp(-{x}²).",
            "{x}에 대한 그래디언트는 grad · (-2/√π) · exp(-{x}²)입니다.",
        ),
        lambda c: c.grad * Num(-2 / math.sqrt(math.pi), "(-2/√π)") * call("exp", -(c.sym("self") ** 2), torch.exp),
    ),
    (
        "Deg2RadBackward0",
        ("degrees to radians", "도를 라디안으로"),
        "{y} = {x} · π/180",
        "∂{y}/∂{x} = π/180",
        ("A constant factor: the gradient is multiplied by π/180.", "상수배이므로 그래디언트에 π/180을 곱합니다."),
        lambda c: c.grad * Num(math.pi / 180, "π/180"),
    ),
    (
        "Rad2DegBackward0",
        ("radians to degrees", "라디안을 도로"),
        "{y} = {x} · 180/π",
        "∂{y}/∂{x} = 180/π",
        ("A constant factor: the gradient is multiplied by 180/π.", "상수배이므로 그래디언트에 180/π를 곱합니다."),
        lambda c: c.grad * Num(180 / math.pi, "180/π"),
    ),
    (
        "LogitBackward0",
        ("logit (inverse sigmoid)", "로짓(시그모이드의 역함수)"),
        "{y} = log({x}/(1 - {x}))",
        "∂{y}/∂{x} = 1/({x}·(1 - {x}))",
        (
            "The gradient for {x} is grad / ({x}·(1 - {x})) (NaN outside [0, 1], where logit is not defined); with "
            "eps, entries outside [eps, 1 - eps] were clamped there and get 0.",
            "{x}에 대한 그래디언트는 grad / ({x}·(1 - {x}))입니다([0, 1] 밖에서는 로짓이 정의되지 않으므로 NaN). eps를 "
            "주었다면 [eps, 1 - eps] 밖의 원소는 경계로 잘렸으므로 0을 받습니다.",
        ),
        _logit,
    ),
    (
        "RemainderBackward0",
        ("remainder by a number", "수로 나눈 나머지"),
        "{y} = {x} mod c",
        "∂{y}/∂{x} = 1",
        (
            "{x} - c·floor({x}/c): the part taken away is flat almost everywhere, so the gradient passes unchanged.",
            "{x} - c·floor({x}/c)에서 빼는 부분은 거의 모든 곳에서 평평하므로, 그래디언트가 그대로 전달됩니다.",
        ),
        lambda c: c.grad,
    ),
    (
        "FmodBackward0",
        ("remainder by a number (fmod)", "수로 나눈 나머지(fmod)"),
        "{y} = fmod({x}, c)",
        "∂{y}/∂{x} = 1",
        (
            "{x} - c·trunc({x}/c): the part taken away is flat almost everywhere, so the gradient passes unchanged.",
            "{x} - c·trunc({x}/c)에서 빼는 부분은 거의 모든 곳에서 평평하므로, 그래디언트가 그대로 전달됩니다.",
        ),
        lambda c: c.grad,
    ),
]
add(*(unary(node, title, forward, local, words, grad) for node, title, forward, local, words, grad in MORE_FUNCTIONS))
add(
    unary(
        "SgnBackward0",
        ("sign", "부호"),
        "{y} = sgn({x})",
        "∂{y}/∂{x} = 0",
        (
            "A step function is flat almost everywhere: it sends a gradient of 0.",
            "계단 모양 함수는 거의 모든 곳에서 평평하므로 그래디언트 0을 보냅니다.",
        ),
        lambda c: c.grad * Mask("0", 0),
    ),
    *(
        binary(
            node,
            (title, title_ko),
            f"{{y}} = {op}({{a}}, {{b}}) = {{a}} - {{b}}·{rounding}({{a}}/{{b}})",
            f"∂{{y}}/∂{{a}} = 1, ∂{{y}}/∂{{b}} = -{rounding}({{a}}/{{b}})",
            (
                f"The quotient cut to an integer, {rounding}({{a}}/{{b}}), is flat almost everywhere, so {{a}} gets "
                f"grad unchanged and {{b}} gets -grad times that quotient.",
                f"정수로 자른 몫 {rounding}({{a}}/{{b}})는 거의 모든 곳에서 평평하므로, {{a}}에는 grad가 그대로, "
                f"{{b}}에는 -grad에 그 몫을 곱한 값이 전달됩니다.",
            ),
            lambda c: c.grad,
            _rounded_quotient(rounding),
        )
        for node, op, rounding, title, title_ko in (
            ("RemainderBackward1", "remainder", "floor", "remainder", "나머지"),
            ("FmodBackward1", "fmod", "trunc", "remainder (fmod)", "나머지(fmod)"),
        )
    ),
    Rule(
        "Logaddexp2Backward0",
        ("log base 2 of a sum of powers of 2", "2의 거듭제곱 합의 밑 2 로그(logaddexp2)"),
        "{y} = log₂(2^{a} + 2^{b})",
        "∂{y}/∂{a} = 1/(1 + 2^({b} - {a})), ∂{y}/∂{b} = 1/(1 + 2^({a} - {b}))",
        with_broadcast(
            (
                "Each input gets grad times its share of the sum, 2^itself/(2^{a} + 2^{b}).",
                "각 입력은 합에서 자기가 차지하는 몫 2^자기/(2^{a} + 2^{b})를 grad에 곱해 받습니다.",
            )
        )[0],
        (Slot("self", "a", _logaddexp2(True)), Slot("other", "b", _logaddexp2(False))),
        params=with_broadcast(("", ""))[1],
    ),
    *(
        Rule(
            node,
            (title, title_ko),
            f"{{y}} = {op}({{x}}, {{m}})",
            f"∂{{y}}/∂{{x}} = 1[{{x}} {keep} {{m}}], ∂{{y}}/∂{{m}} = 1[{{x}} {take} {{m}}]",
            with_broadcast(
                (
                    f"Each entry is {{x}} where {{x}} {keep} {{m}}, else {{m}}: the one taken gets grad there, the "
                    f"other 0.",
                    f"각 원소는 {{x}} {keep} {{m}}인 곳은 {{x}}, 나머지는 {{m}}에서 가져온 값이므로, 가져온 쪽만 그 "
                    f"자리의 grad를 받고 다른 쪽은 0을 받습니다.",
                )
            )[0],
            (Slot("self", "x", _clamp_tensor_one(key, "self")), Slot(key, "m", _clamp_tensor_one(key, "bound"))),
            params=with_broadcast(("", ""))[1],
        )
        for node, op, key, keep, take, title, title_ko in (
            ("ClampMinBackward1", "clamp_min", "min", "≥", "<", "clamp from below by a tensor", "텐서로 아래쪽 자르기"),
            ("ClampMaxBackward1", "clamp_max", "max", "≤", ">", "clamp from above by a tensor", "텐서로 위쪽 자르기"),
        )
    ),
    unary(
        "EluBackward1",
        ("ELU, in place", "ELU(제자리 연산)"),
        (
            "{y} = s·{x} if {x} > 0 else s·α·(exp(i·{x}) - 1), written over {x}",
            "{y} = {x} > 0인 곳은 s·{x}, 나머지는 s·α·(exp(i·{x}) - 1), {x} 자리에 덮어씀",
        ),
        ("∂{y}/∂{x} = s if {y} > 0 else i·({y} + α·s)", "∂{y}/∂{x} = {y} > 0인 곳은 s, 나머지는 i·({y} + α·s)"),
        (
            "elu_ (selu_) wrote its output over {x}, so backward reads the output: where {y} > 0 the gradient is "
            "multiplied by the scale s; elsewhere by i·s·α·exp(i·{x}), which equals i·({y} + α·s) (α = {alpha}, "
            "s = {scale}, i = {input_scale}).",
            "elu_(selu_)는 출력을 {x} 자리에 덮어썼으므로, 역전파는 출력을 읽습니다. {y} > 0인 곳은 그래디언트에 배율 "
            "s를 곱하고, 나머지는 i·s·α·exp(i·{x})를 곱하는데, 이 값은 i·({y} + α·s)와 같습니다(α = {alpha}, "
            "s = {scale}, i = {input_scale}).",
        ),
        _elu_in_place,
        params=lambda c: {k: Num(float(scalar(c, k))).label for k in ("alpha", "scale", "input_scale")},
    ),
)


# -- special functions (derivatives.yaml: polygamma, mvlgamma, i0, special_entr, special_xlog1py, special_erfcx,
# special_ndtri, special_log_ndtr, special_i0e, special_i1, special_i1e) ---------------------------------------------


def _n_param(ctx: Ctx) -> dict:
    return {"n": ctx.integer("n")}


def _polygamma(ctx: Ctx) -> Expr:
    n = ctx.integer("n")
    return ctx.grad * call(f"ψ⁽{n + 1}⁾", ctx.sym("self"), lambda v: torch.polygamma(n + 1, v))


def _mvlgamma(ctx: Ctx) -> Expr:
    """mvlgamma_backward: grad · Σᵢ ψ(x - i/2) for i = 0 … p - 1."""
    p = ctx.integer("p")

    def derivative(v):
        shifts = torch.arange(-p / 2 + 0.5, 0.5, 0.5, dtype=torch.float64)
        return torch.digamma(v.unsqueeze(-1) + shifts).sum(-1)

    text = f"Σ[i<{p}] ψ({{0}} - i/2)"
    return ctx.grad * Form(text, text, [ctx.sym("self")], derivative)


def _bessel_i1(scaled: bool):
    """i1_backward (i1e_backward): i0(x) - i1(x)/x (i0e(x) - i1e(x)·(sgn(x) + 1/x)), ½ where x is tiny."""

    def grad(ctx: Ctx) -> Expr:
        x, y = ctx.sym("self"), ctx.sym("result")
        eps = torch.finfo(ctx.raw("self").dtype).eps if ctx.raw("self").is_floating_point() else 1e-16

        def derivative(v, r):
            tiny = ~(v.abs() > eps)  # (PyTorch's own test, `abs > eps` not tiny: a NaN x takes the ½ too)
            safe = torch.where(tiny, torch.full_like(v, eps), v)
            if scaled:
                out = torch.special.i0e(safe) - r * (torch.sign(safe) + 1 / safe)
            else:
                out = torch.special.i0(safe) - r / safe
            return torch.where(tiny, torch.full_like(out, 0.5), out)

        text = "(i0e({0}) - {1}·(sgn({0}) + 1/{0}))" if scaled else "(i0({0}) - {1}/{0})"
        return ctx.grad * Form(text, text, [x, y], derivative)

    return grad


SPECIAL_FUNCTIONS = [
    (
        "PolygammaBackward0",
        ("polygamma", "폴리감마"),
        "{y} = ψ⁽ⁿ⁾({x}), n = {n}",
        "∂{y}/∂{x} = ψ⁽ⁿ⁺¹⁾({x})",
        (
            "The gradient for {x} is grad · ψ⁽ⁿ⁺¹⁾({x}), the next polygamma function.",
            "{x}에 대한 그래디언트는 grad · ψ⁽ⁿ⁺¹⁾({x})(다음 차수의 폴리감마 함수)입니다.",
        ),
        _polygamma,
    ),
    (
        "MvlgammaBackward0",
        ("multivariate log-gamma", "다변량 로그 감마"),
        "{y} = mvlgamma({x}, p) = const + Σ[i<p] ln Γ({x} - i/2)",
        "∂{y}/∂{x} = Σ[i<p] ψ({x} - i/2)",
        (
            "A sum of log-gamma functions: the gradient for {x} is grad · Σ ψ({x} - i/2).",
            "로그 감마 함수들의 합이므로 {x}에 대한 그래디언트는 grad · Σ ψ({x} - i/2)입니다.",
        ),
        _mvlgamma,
    ),
    (
        "I0Backward0",
        ("modified Bessel function I₀", "변형 베셀 함수 I₀"),
        "{y} = i0({x})",
        "∂{y}/∂{x} = i1({x})",
        ("The gradient for {x} is grad · i1({x}).", "{x}에 대한 그래디언트는 grad · i1({x})입니다."),
        lambda c: c.grad * call("i1", c.sym("self"), torch.special.i1),
    ),
    (
        "SpecialI0EBackward0",
        ("scaled Bessel function I₀ (i0e)", "지수 스케일 베셀 함수 I₀(i0e)"),
        "{y} = exp(-|{x}|)·i0({x})",
        "∂{y}/∂{x} = i1e({x}) - sgn({x})·{y}",
        (
            "The product rule: grad · (i1e({x}) - sgn({x})·{y}).",
            "곱의 미분 법칙으로 grad · (i1e({x}) - sgn({x})·{y})입니다.",
        ),
        lambda c: (
            c.grad
            * Form(
                "(i1e({0}) - sgn({0})·{1})",
                "(i1e({0}) - sgn({0})·{1})",
                [c.sym("self"), c.sym("result")],
                lambda v, r: torch.special.i1e(v) - torch.sign(v) * r,
            )
        ),
    ),
    (
        "SpecialI1Backward0",
        ("modified Bessel function I₁", "변형 베셀 함수 I₁"),
        "{y} = i1({x})",
        ("∂{y}/∂{x} = i0({x}) - {y}/{x} (½ at {x} = 0)", "∂{y}/∂{x} = i0({x}) - {y}/{x} ({x} = 0에서는 ½)"),
        (
            "The gradient for {x} is grad · (i0({x}) - {y}/{x}); at 0 the limit ½.",
            "{x}에 대한 그래디언트는 grad · (i0({x}) - {y}/{x})이고, 0에서는 극한값 ½입니다.",
        ),
        _bessel_i1(False),
    ),
    (
        "SpecialI1EBackward0",
        ("scaled Bessel function I₁ (i1e)", "지수 스케일 베셀 함수 I₁(i1e)"),
        "{y} = exp(-|{x}|)·i1({x})",
        (
            "∂{y}/∂{x} = i0e({x}) - {y}·(sgn({x}) + 1/{x}) (½ at {x} = 0)",
            "∂{y}/∂{x} = i0e({x}) - {y}·(sgn({x}) + 1/{x}) ({x} = 0에서는 ½)",
        ),
        (
            "The gradient for {x} is grad · (i0e({x}) - {y}·(sgn({x}) + 1/{x})); at 0 the limit ½.",
            "{x}에 대한 그래디언트는 grad · (i0e({x}) - {y}·(sgn({x}) + 1/{x}))이고, 0에서는 극한값 ½입니다.",
        ),
        _bessel_i1(True),
    ),
    (
        "SpecialEntrBackward0",
        ("entropy term -x·ln x", "엔트로피 항 -x·ln x"),
        "{y} = -{x}·ln {x}",
        "∂{y}/∂{x} = -(1 + ln {x})",
        ("The gradient for {x} is grad · (-(1 + ln {x})).", "{x}에 대한 그래디언트는 grad · (-(1 + ln {x}))입니다."),
        lambda c: c.grad * -(1 + call("ln", c.sym("self"), torch.log)),
    ),
    (
        "SpecialErfcxBackward0",
        ("scaled complementary error function", "스케일된 여오차 함수(erfcx)"),
        "{y} = exp({x}²)·erfc({x})",
        "∂{y}/∂{x} = 2·{x}·{y} - 2/√π",
        (
            "The gradient for {x} is grad · (2·{x}·{y} - 2/√π).",
            "{x}에 대한 그래디언트는 grad · (2·{x}·{y} - 2/√π)입니다.",
        ),
        lambda c: c.grad * (Num(2) * c.sym("self") * c.sym("result") - Num(2 / math.sqrt(math.pi), "2/√π")),
    ),
    (
        "SpecialNdtriBackward0",
        ("inverse of the normal CDF", "정규분포 누적분포함수의 역함수(ndtri)"),
        "{y} = Φ⁻¹({x})",
        "∂{y}/∂{x} = √(2π)·exp({y}²/2)",
        (
            "The derivative of an inverse is 1 over the density at the result: grad · √(2π)·exp({y}²/2).",
            "역함수의 미분은 결과 지점의 밀도의 역수이므로 grad · √(2π)·exp({y}²/2)입니다.",
        ),
        lambda c: (
            c.grad
            * Form(
                "√(2π)·exp({0}²/2)",
                "√(2π)·exp({0}²/2)",
                [c.sym("result")],
                lambda r: math.sqrt(2 * math.pi) * torch.exp(r * r / 2),
            )
        ),
    ),
    (
        "SpecialLogNdtrBackward0",
        ("log of the normal CDF", "정규분포 누적분포함수의 로그(log_ndtr)"),
        "{y} = ln Φ({x})",
        "∂{y}/∂{x} = φ({x})/Φ({x}) = exp(-({y} + {x}²/2))/√(2π)",
        (
            "The density over the CDF: grad · exp(-({y} + {x}²/2))/√(2π).",
            "밀도를 누적분포로 나눈 값이므로 grad · exp(-({y} + {x}²/2))/√(2π)입니다.",
        ),
        lambda c: (
            c.grad
            * Form(
                "exp(-({1} + {0}²/2))/√(2π)",
                "exp(-({1} + {0}²/2))/√(2π)",
                [c.sym("self"), c.sym("result")],
                lambda v, r: torch.exp(-(r + v * v / 2)) / math.sqrt(2 * math.pi),
            )
        ),
    ),
]
add(
    *(
        unary(node, title, forward, local, words, grad, params=_n_param if node == "PolygammaBackward0" else None)
        for node, title, forward, local, words, grad in SPECIAL_FUNCTIONS
    )
)


def _xlog1py_self(ctx: Ctx) -> Expr:
    x, y = ctx.tensor("self"), ctx.tensor("other")
    dead = (x == 0) & (y <= -1)

    def value(g, yv):
        out = torch.special.xlog1py(g, yv)
        return torch.where(dead, torch.zeros_like(out), out)

    return back(ctx, 0, Form("{0} · log1p({1})", "{0} · log1p({1})", [ctx.grad, operand(ctx, "other")], value))


add(
    binary(
        "SpecialXlog1PyBackward0",
        ("x · log(1 + y)", "x · log(1 + y)"),
        ("{y} = {a} · log(1 + {b}) (0 where {a} = 0)", "{y} = {a} · log(1 + {b}) ({a} = 0인 곳은 0)"),
        "∂{y}/∂{a} = log(1 + {b}), ∂{y}/∂{b} = {a}/(1 + {b})",
        (
            "A product: {a} gets grad · log(1 + {b}) (0 where {a} = 0 and {b} ≤ -1), and {b} gets "
            "grad · {a}/(1 + {b}).",
            "곱셈이므로 {a}에는 grad · log(1 + {b})가 전달되고({a} = 0이고 {b} ≤ -1인 곳은 0), {b}에는 "
            "grad · {a}/(1 + {b})의 값이 전달됩니다.",
        ),
        _xlog1py_self,
        lambda c: c.grad * c.sym("self") / (1 + c.sym("other")),
    ),
)


# -- the overloads with a Python number for one input (derivatives.yaml: xlogy.Scalar_Self, xlogy.Scalar_Other,
# special_xlog1py.self_scalar, special_xlog1py.other_scalar, copysign.Scalar, div.Scalar_mode), polygamma_ and the
# in-place inverse hyperbolic functions ---------------------------------------------------------------------------


def _number(key: str):
    return lambda c: {"c": Num(float(scalar(c, key))).label}


def _dead(ctx: Ctx, at: float) -> dict[str, str]:
    """The words for the entries x = 0 where the constant is past the logarithm's domain (PyTorch sends 0 there)."""
    if float(scalar(ctx, "other")) > at:
        return {"dead": "", "dead_ko": ""}
    x = ctx.label(0, "a")
    return {
        "dead": f", and 0 where {x} = 0 (the output is defined as 0 there)",
        "dead_ko": f"({x} = 0인 곳은 출력을 0으로 정의하므로 0)",
    }


add(
    Rule(
        "XlogyBackward1",
        ("c · log(y)", "c · log(y)"),
        "{y} = {c} · log({b})",
        "∂{y}/∂{b} = {c}/{b}",
        (
            "{c} is a number the code gave, so only {b} gets a gradient: grad · {c}/{b}, the derivative of the "
            "logarithm times {c}.",
            "{c}는 코드에 쓴 수이므로 {b}만 그래디언트를 받습니다. 로그의 미분에 {c}를 곱한 grad · {c}/{b}입니다.",
        ),
        (Slot("other", "b", lambda c: c.grad * Num(float(scalar(c, "self"))) / c.sym("other")),),
        params=_number("self"),
    ),
    Rule(
        "XlogyBackward2",
        ("x · log(c)", "x · log(c)"),
        ("{y} = {a} · log({c}) (0 where {a} = 0)", "{y} = {a} · log({c}) ({a} = 0인 곳은 0)"),
        "∂{y}/∂{a} = log({c})",
        (
            "{c} is a number the code gave, so the output is {a} times a constant: {a} gets grad · log({c}){dead}.",
            "{c}는 코드에 쓴 수이므로 출력은 {a}에 상수를 곱한 값입니다. {a}에는 grad · log({c})가 "
            "전달됩니다{dead_ko}.",
        ),
        (Slot("self", "a", _xlogy_self),),
        params=lambda c: _number("other")(c) | _dead(c, 0),
    ),
    Rule(
        "SpecialXlog1PyBackward1",
        ("c · log(1 + y)", "c · log(1 + y)"),
        "{y} = {c} · log(1 + {b})",
        "∂{y}/∂{b} = {c}/(1 + {b})",
        (
            "{c} is a number the code gave, so only {b} gets a gradient: grad · {c}/(1 + {b}).",
            "{c}는 코드에 쓴 수이므로 {b}만 그래디언트를 받습니다. grad · {c}/(1 + {b})입니다.",
        ),
        (Slot("other", "b", lambda c: c.grad * Num(float(scalar(c, "self"))) / (1 + c.sym("other"))),),
        params=_number("self"),
    ),
    Rule(
        "SpecialXlog1PyBackward2",
        ("x · log(1 + c)", "x · log(1 + c)"),
        ("{y} = {a} · log(1 + {c}) (0 where {a} = 0)", "{y} = {a} · log(1 + {c}) ({a} = 0인 곳은 0)"),
        "∂{y}/∂{a} = log(1 + {c})",
        (
            "{c} is a number the code gave, so the output is {a} times a constant: {a} gets grad · log(1 + {c}){dead}.",
            "{c}는 코드에 쓴 수이므로 출력은 {a}에 상수를 곱한 값입니다. {a}에는 grad · log(1 + {c})가 "
            "전달됩니다{dead_ko}.",
        ),
        (Slot("self", "a", _xlog1py_self),),
        params=lambda c: _number("other")(c) | _dead(c, -1),
    ),
    Rule(
        "CopysignBackward1",
        ("copy the sign of a number", "수의 부호 복사(copysign)"),
        "{y} = |{a}| · sign(c)",
        "∂{y}/∂{a} = {y}/{a} (±1)",
        (
            "The output is {a} with its sign flipped where it differs from the sign of the number c the code gave: "
            "{a} gets grad · (±1) (0 where {a} = 0).",
            "출력은 코드에 쓴 수 c와 부호가 다른 곳에서 {a}의 부호를 뒤집은 값입니다. {a}에는 grad · (±1)이 "
            "전달됩니다({a} = 0인 곳은 0).",
        ),
        (Slot("self", "a", _copysign),),
    ),
)
DIVISION_BY_A_NUMBER_NOT_ROUNDED = dataclasses.replace(
    RULES["DivBackward1"],
    node="DivBackward3",
    title=(
        "dividing by a number (rounding_mode=None: nothing rounded)",
        "수로 나누기(rounding_mode=None: 반올림 없음)",
    ),
)
add(
    Rule(
        "DivBackward3",
        ("dividing by a number with rounding", "수로 나누고 반올림"),
        "{y} = {mode}({x} / {c})",
        "∂{y}/∂{x} = 0",
        (
            "A rounded quotient ({mode}) is flat between the steps where it jumps, so PyTorch sends 0 to {x}.",
            "반올림한 몫({mode})은 값이 뛰는 곳 사이에서는 평평하므로, PyTorch는 {x}에 0을 보냅니다.",
        ),
        (Slot("self", "x", lambda c: zeros_for(c, 0)),),
        params=lambda c: {"mode": str(c.raw("rounding_mode")), **_number("other")(c)},
        variant=lambda c: DIVISION_BY_A_NUMBER_NOT_ROUNDED if c.raw("rounding_mode") is None else None,
    ),
    # polygamma_: derivatives.yaml's formula of polygamma, on the input as it was before the change
    dataclasses.replace(RULES["PolygammaBackward0"], node="PolygammaBackward1"),
)


def _no_derivative(name: str, slot: int | None = None):
    """The gradient of an input PyTorch cannot differentiate in: none (backward raises NotImplementedError when the
    input needs one); an input that needs none is said to be sent nothing."""

    def grad(ctx: Ctx) -> Expr:
        if slot is not None:  # (one input of several: it may need no gradient, and then nothing is raised)
            source = ctx.inputs[slot] if slot < len(ctx.inputs) else None
            if ctx.grad_inputs[slot] is None and (source is None or not source.requires_grad):
                raise Missing("this input needs no gradient", "이 입력은 그래디언트가 필요 없습니다")

        def value() -> torch.Tensor:
            raise Missing(
                f"PyTorch has no derivative for {name} (NotImplementedError)",
                f"PyTorch에는 {name}의 미분이 없습니다(NotImplementedError)",
            )

        return Form("none (PyTorch raises NotImplementedError)", "없음(PyTorch가 NotImplementedError를 냄)", [], value)

    return grad


add(
    *(
        Rule(
            f"{stem}Backward1",
            (f"{title[0]}, in place ({name}_)", f"{title[1]}(제자리 연산 {name}_)"),
            (f"{{y}} = {name}({{x}}), written over {{x}}", f"{{y}} = {name}({{x}}), {{x}} 자리에 덮어씀"),
            (f"∂{{y}}/∂{{x}}: none for {name}_ in PyTorch", f"∂{{y}}/∂{{x}}: PyTorch에는 {name}_의 미분이 없음"),
            (
                f"PyTorch defines no derivative for the in-place {name}_ (derivatives.yaml: not_implemented), so "
                f"backward stops at this node with NotImplementedError. The out-of-place torch.{name}({{x}}) has "
                f"one, {derivative}: write {{y}} = torch.{name}({{x}}) where a gradient must flow.",
                f"PyTorch에는 제자리 연산 {name}_의 미분이 정의되어 있지 않아(derivatives.yaml: not_implemented) "
                f"역전파가 이 노드에서 NotImplementedError를 내고 멈춥니다. 제자리가 아닌 torch.{name}({{x}})에는 "
                f"미분 {derivative}가 있으니, 그래디언트가 흘러야 하는 곳에서는 {{y}} = torch.{name}({{x}})로 "
                "쓰세요.",
            ),
            (Slot("self", "x", _no_derivative(f"{name}_")),),
        )
        for stem, name, title, derivative in (
            ("Acosh", "acosh", ("inverse hyperbolic cosine", "역쌍곡코사인"), "1/√(x² - 1)"),
            ("Asinh", "asinh", ("inverse hyperbolic sine", "역쌍곡사인"), "1/√(x² + 1)"),
            ("Atanh", "atanh", ("inverse hyperbolic tangent", "역쌍곡탄젠트"), "1/(1 - x²)"),
        )
    )
)


def _ldexp_other(ctx: Ctx) -> Expr:
    """derivatives.yaml: other gets grad · result · ln 2 (summed back where it was broadcast)."""
    grad = ctx.grad * ctx.sym("result") * Num(math.log(2), "ln 2")
    shape = ctx.input_shape(1)
    return grad if shape is None else summed_to(grad, shape)


def _ldexp_self(ctx: Ctx) -> Expr:
    """derivatives.yaml: self gets grad · 2^other, a power PyTorch takes in other's own dtype: an integer exponent's
    2^-1 is 0 there (the forward op's is 0.5)."""
    other = ctx.sym("other")
    base = 2 if _integer_exponent(ctx) else 2.0
    grad = ctx.grad * Form("2^{0}", "2^{0}", [other], lambda e: torch.pow(base, e))
    shape = ctx.input_shape(0)
    return grad if shape is None else summed_to(grad, shape)


def _integer_exponent(ctx: Ctx) -> bool:
    other = ctx.raw("other")
    return isinstance(other, torch.Tensor) and not (other.is_floating_point() or other.is_complex())


def _ldexp_words(ctx: Ctx) -> dict[str, str]:
    """Where an integer exponent is negative, the words say why x got 0 there."""
    try:
        negative = _integer_exponent(ctx) and bool((ctx.raw("other") < 0).any())
    except Missing:
        negative = False
    if not negative:
        return {"integer_en": "", "integer_ko": ""}
    x, e = ctx.label(0, "x"), ctx.label(1, "e")
    return {
        "integer_en": f" PyTorch takes 2^{e} in {e}'s integer type here, where a negative power is 0: where {e} is "
        f"negative, {x} gets 0 (the forward op used the fraction 2^{e}).",
        "integer_ko": f" 여기서 PyTorch는 2^{e}의 값을 {e}의 정수 자료형으로 계산하는데, 정수에서 음수 거듭제곱은 "
        f"0입니다. 그래서 {e}의 값이 음수인 곳에서는 {x}에 0이 전달됩니다(순전파에서는 2^{e}의 값으로 분수를 "
        "썼습니다).",
    }


add(
    Rule(
        "LdexpBackward0",
        ("ldexp (times a power of 2)", "ldexp(2의 거듭제곱 곱하기)"),
        "{y} = {x} · 2^{e}",
        "∂{y}/∂{x} = 2^{e}, ∂{y}/∂{e} = {y} · ln 2",
        (
            "ldexp multiplies {x} by 2 to the power {e}: {x} gets grad · 2^{e}, and {e} gets grad · {y} · ln 2 (the "
            "derivative of 2^{e} is 2^{e} · ln 2).{integer_en}",
            "ldexp는 {x}에 2의 {e}제곱을 곱합니다. {x}에는 grad · 2^{e}, {e}에는 grad · {y} · ln 2가 전달됩니다"
            "(2^{e}의 미분이 2^{e} · ln 2이므로).{integer_ko}",
        ),
        (Slot("self", "x", _ldexp_self), Slot("other", "e", _ldexp_other)),
        params=_ldexp_words,
    ),
)


# -- fake quantization, gamma samples ------------------------------------------------------------------------------


def _fake_quantize(ctx: Ctx) -> Expr:
    """fake_quantize_*_cachemask_backward: grad where the input fell inside the quantized range (the saved mask), 0
    where it was clipped: rounding itself is passed straight through (the straight-through estimator)."""
    return ctx.grad * Mask("1[inside the range]", ctx.tensor("mask").to(torch.float64), "1[범위 안]")


FAKE_QUANT = (
    "Fake quantization rounds {x} to the grid of the quantized integers and back. Rounding has slope 0 almost "
    "everywhere, so training passes the gradient straight through it (the straight-through estimator): grad where "
    "{x} fell inside the range quant_min … quant_max, 0 where it was clipped.",
    "가짜 양자화는 {x}를 양자화된 정수의 격자로 반올림했다가 되돌립니다. 반올림의 기울기는 거의 모든 곳에서 0이라, "
    "학습할 때는 그래디언트를 그대로 통과시킵니다(직통 추정, STE). 범위 quant_min … quant_max 안에 든 "
    "원소는 grad를, 잘린 원소는 0을 받습니다.",
)


def _standard_gamma(ctx: Ctx) -> Expr:
    """_standard_gamma's reparameterized gradient: grad · ∂y/∂α, the implicit derivative of the sample y in its
    concentration α with the sample's quantile held fixed (PyTorch's _standard_gamma_grad computes it)."""
    alpha, sample = ctx.sym("self"), ctx.sym("result")
    return ctx.grad * Form(
        "∂{1}/∂{0}",
        "∂{1}/∂{0}",
        [alpha, sample],
        lambda a, y: torch._standard_gamma_grad(a, y),
        evaluated=True,
    )


add(
    unary(
        "FakeQuantizePerTensorAffineCachemaskBackward0",
        ("fake quantization", "가짜 양자화"),
        "{y} = (clamp(round({x}/s) + z, quant_min, quant_max) - z)·s",
        ("∂{y}/∂{x} = 1[inside the range]", "∂{y}/∂{x} = 1[범위 안]"),
        FAKE_QUANT,
        _fake_quantize,
    ),
    unary(
        "FakeQuantizePerChannelAffineCachemaskBackward0",
        ("fake quantization per channel", "채널별 가짜 양자화"),
        "{y} = (clamp(round({x}/s_c) + z_c, quant_min, quant_max) - z_c)·s_c",
        ("∂{y}/∂{x} = 1[inside the range]", "∂{y}/∂{x} = 1[범위 안]"),
        FAKE_QUANT,
        _fake_quantize,
    ),
    unary(  # (what quantization-aware training's FusedMovingAvgObsFakeQuantize, the default QAT qconfig's, runs)
        "FusedMovingAvgObsFqHelperBackward0",
        ("fake quantization with a moving-average observer", "이동 평균 관찰자가 붙은 가짜 양자화"),
        (
            "{y} = (clamp(round({x}/s) + z, quant_min, quant_max) - z)·s, s and z from the running min and max",
            "{y} = (clamp(round({x}/s) + z, quant_min, quant_max) - z)·s, s와 z는 이동 평균 최솟값·최댓값에서",
        ),
        ("∂{y}/∂{x} = 1[inside the range]", "∂{y}/∂{x} = 1[범위 안]"),
        (
            FAKE_QUANT[0] + " The observer only updates the running min and max (and from them s and z) on the way: "
            "no gradient goes to them.",
            FAKE_QUANT[1] + " 관찰자는 지나가면서 이동 평균 최솟값과 최댓값(그리고 그로부터 s와 z)만 갱신하고, "
            "그쪽으로는 그래디언트가 가지 않습니다.",
        ),
        _fake_quantize,
    ),
    unary(
        "StandardGammaBackward0",
        ("gamma sample (reparameterized)", "감마 분포 샘플(재매개변수화)"),
        "{y} ~ Gamma({x}, 1)",
        ("∂{y}/∂{x}: the sample's change with its quantile held fixed", "∂{y}/∂{x}: 분위수를 고정했을 때 샘플의 변화"),
        (
            "The sample {y} is drawn, but its gradient is taken as if its quantile (its place in the distribution) "
            "stayed fixed while the concentration {x} moved: ∂{y}/∂{x}, computed by PyTorch's _standard_gamma_grad. "
            "This is what makes rsample of Gamma, Beta and Dirichlet differentiable.",
            "샘플 {y}는 무작위로 뽑히지만, 그래디언트는 농도 {x}가 바뀌어도 분포 안에서의 위치(분위수)는 그대로라고 "
            "보고 구합니다. 그 값 ∂{y}/∂{x}는 PyTorch의 _standard_gamma_grad가 계산합니다. 덕분에 Gamma, Beta, "
            "Dirichlet의 rsample을 미분할 수 있습니다.",
        ),
        _standard_gamma,
    ),
)


# -- the regularized incomplete gamma functions and Hurwitz zeta: a derivative in the second argument only; frexp --


def _gamma_density(sign: float):
    """igamma (igammac): the other input x gets ±grad · x^(a-1)·e^(-x)/Γ(a), the Gamma(a, 1) density at x."""

    def grad(ctx: Ctx) -> Expr:
        text = "{0}^({1} - 1)·exp(-{0})/Γ({1})"
        density = Form(
            text,
            text,
            [ctx.sym("other"), ctx.sym("self")],
            lambda x, a: torch.exp((a - 1) * torch.log(x) - x - torch.lgamma(a)),
        )
        return back(ctx, 1, ctx.grad * density if sign > 0 else -(ctx.grad * density))

    return grad


GAMMA_WORDS = (
    "{which} is the probability that a Gamma({a}, 1) draw is {side} {x}: as {x} grows it changes by the density there, "
    "x^(a-1)·e^(-x)/Γ(a), so {x} gets {sign}grad times that. PyTorch has no derivative in {a} (derivatives.yaml: "
    "not_implemented): backward raises NotImplementedError if {a} needs a gradient.",
    "{which}는 Gamma({a}, 1) 분포에서 뽑은 값이 {x}{side_ko} 확률입니다. {x}가 커지면 그 자리의 확률 밀도 "
    "x^(a-1)·e^(-x)/Γ(a)만큼 변하므로, {x}는 grad에 그 값을 {times}을 받습니다. PyTorch에는 {a}에 대한 미분이 "
    "없어서(derivatives.yaml: not_implemented) {a}에 그래디언트가 필요하면 역전파가 NotImplementedError를 냅니다.",
)
add(
    *(
        Rule(
            node,
            title,
            forward,
            (
                f"∂{{y}}/∂{{x}} = {sign}{{x}}^({{a}} - 1)·exp(-{{x}})/Γ({{a}}), ∂{{y}}/∂{{a}}: none in PyTorch",
                f"∂{{y}}/∂{{x}} = {sign}{{x}}^({{a}} - 1)·exp(-{{x}})/Γ({{a}}), ∂{{y}}/∂{{a}}: PyTorch에는 없음",
            ),
            (
                GAMMA_WORDS[0].replace("{which}", which).replace("{side}", side).replace("{sign}", sign),
                GAMMA_WORDS[1]
                .replace("{which}", which)
                .replace("{side_ko}", side_ko)
                .replace("{times}", "곱하고 부호를 바꾼 값" if sign else "곱한 값"),
            ),
            (Slot("self", "a", _no_derivative(name, 0)), Slot("other", "x", _gamma_density(-1.0 if sign else 1.0))),
        )
        for node, name, title, forward, which, side, side_ko, sign in (
            (
                "IgammaBackward0",
                "igamma (gammainc) in its first input",
                ("regularized lower incomplete gamma function", "정규화된 하부 불완전 감마 함수"),
                "{y} = P({a}, {x}) = γ({a}, {x})/Γ({a})",
                "P(a, x)",
                "at most",
                " 이하일",
                "",
            ),
            (
                "IgammacBackward0",
                "igammac (gammaincc) in its first input",
                ("regularized upper incomplete gamma function", "정규화된 상부 불완전 감마 함수"),
                "{y} = Q({a}, {x}) = Γ({a}, {x})/Γ({a})",
                "Q(a, x)",
                "above",
                "보다 클",
                "-",
            ),
        )
    )
)


def _zeta_other(ctx: Ctx) -> Expr:
    """special_zeta: q gets grad · (-s)·ζ(s + 1, q) (s a tensor, or the number the code gave)."""
    s = operand(ctx, "self")
    term = Form(
        "ζ({0} + 1, {1})", "ζ({0} + 1, {1})", [s, ctx.sym("other")], lambda sv, q: torch.special.zeta(sv + 1, q)
    )
    grad = -(ctx.grad * s * term)
    return back(ctx, ctx.slot_of("other") or 0, grad)


ZETA_WORDS = (
    "The Hurwitz zeta function ζ(s, q) = Σₖ 1/(k + q)^s: each term changes with q by -s/(k + q)^(s+1), so q gets "
    "grad · (-s)·ζ(s + 1, q). PyTorch has no derivative in s (derivatives.yaml: not_implemented): backward raises "
    "NotImplementedError if s needs a gradient.",
    "후르비츠 제타 함수 ζ(s, q) = Σₖ 1/(k + q)^s의 각 항은 q에 대해 -s/(k + q)^(s+1)만큼 변하므로, q는 "
    "grad · (-s)·ζ(s + 1, q)를 받습니다. PyTorch에는 s에 대한 미분이 없어서(derivatives.yaml: not_implemented) s에 "
    "그래디언트가 필요하면 역전파가 NotImplementedError를 냅니다.",
)
add(
    Rule(
        "SpecialZetaBackward0",
        ("Hurwitz zeta function", "후르비츠 제타 함수"),
        "{y} = ζ({s}, {q})",
        (
            "∂{y}/∂{q} = -{s}·ζ({s} + 1, {q}), ∂{y}/∂{s}: none in PyTorch",
            "∂{y}/∂{q} = -{s}·ζ({s} + 1, {q}), ∂{y}/∂{s}: PyTorch에는 없음",
        ),
        ZETA_WORDS,
        (Slot("self", "s", _no_derivative("zeta in its first input", 0)), Slot("other", "q", _zeta_other)),
    ),
    Rule(
        "SpecialZetaBackward1",
        ("Hurwitz zeta function", "후르비츠 제타 함수"),
        "{y} = ζ({c}, {q})",
        "∂{y}/∂{q} = -{c}·ζ({c} + 1, {q})",
        ZETA_WORDS,
        (Slot("other", "q", _zeta_other),),
        params=_number("self"),
    ),
    Rule(
        "SpecialZetaBackward2",
        ("Hurwitz zeta function", "후르비츠 제타 함수"),
        "{y} = ζ({s}, {c})",
        ("∂{y}/∂{s}: none in PyTorch", "∂{y}/∂{s}: PyTorch에는 없음"),
        ZETA_WORDS,
        (Slot("self", "s", _no_derivative("zeta in its first input")),),
        params=_number("other"),
    ),
    Rule(
        "FrexpBackward0",
        ("mantissa and exponent (frexp)", "가수와 지수로 나누기(frexp)"),
        ("{y} = {x} / 2^exponent, the mantissa (|{y}| in [0.5, 1))", "{y} = {x} / 2^exponent (가수, |{y}|는 [0.5, 1))"),
        "∂{y}/∂{x} = 1/2^exponent",
        (
            "frexp splits {x} into a mantissa {y} and an integer exponent with {x} = {y}·2^exponent. The exponent is "
            "a step (it gets no gradient); between its jumps the mantissa is {x} divided by a fixed power of 2, so "
            "{x} gets grad / 2^exponent.",
            "frexp는 {x}를 가수 {y}와 정수 지수로 나눕니다({x} = {y}·2^exponent). 지수는 계단 함수라 그래디언트를 "
            "받지 않고, 지수가 뛰는 곳 사이에서 가수는 {x}를 고정된 2의 거듭제곱으로 나눈 값이므로 {x}는 "
            "grad / 2^exponent를 받습니다.",
        ),
        (
            Slot(
                "self",
                "x",
                lambda c: c.grad / Form("2^{0}", "2^{0}", [Shown("exponent", c.tensor("exponent"))], torch.exp2),
            ),
        ),
        first_output=True,
    ),
)


add(
    Rule(
        "NextafterBackward0",
        ("next representable number (nextafter)", "바로 다음 표현 가능한 수(nextafter)"),
        (
            "{y} = the float right after {a} in the direction of {b}",
            "{y} = {b} 쪽으로 {a} 바로 다음에 오는 부동소수점 수",
        ),
        (
            "∂{y}/∂{a} = 1 where {a} ≠ {b}, else 0; ∂{y}/∂{b} = 0",
            "∂{y}/∂{a} = {a} ≠ {b}인 곳은 1, 나머지는 0; ∂{y}/∂{b} = 0",
        ),
        (
            "nextafter moves {a} by one step of the float grid toward {b}: PyTorch takes the output to move with {a}, "
            "so {a} gets grad (0 where {a} = {b}, where the output is {b} itself), and {b}, which only sets the "
            "direction, gets 0.",
            "nextafter는 {a}를 {b} 쪽으로 부동소수점 한 칸만큼 옮깁니다. PyTorch는 출력이 {a}와 함께 움직인다고 보므로 "
            "{a}에는 grad가 전달되고({a} = {b}인 곳은 출력이 {b} 자신이라 0), 방향만 정하는 {b}에는 0이 "
            "전달됩니다.",
        ),
        (
            Slot(
                "self",
                "a",
                lambda c: back(
                    c,
                    0,
                    c.grad * indicator(f"{c.label(0, 'a')} ≠ {c.label(1, 'b')}", _unequal(c)),
                ),
            ),
            Slot("other", "b", lambda c: zeros_for(c, 1)),
        ),
    ),
)
