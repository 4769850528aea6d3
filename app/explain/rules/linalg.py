"""Matrix products and transposes (derivatives.yaml: mm, bmm, mv, dot, addmm, baddbmm, t, transpose, permute;
`matmul` and `linear` are made of these)."""

import torch

from ..expr import Expr, Form, Num
from ..rule import Ctx, Rule, Slot, add, signed
from .elementwise import back, scalar


def times(factor: float, expr: Expr) -> Expr:
    return expr if factor == 1 else Num(factor) * expr


MM_WORDS = (
    "For a matrix product the chain rule takes transposes: the left input gets grad · {B}ᵀ, the right one "
    "{A}ᵀ · grad (matrix products, shapes as the inputs').",
    "행렬 곱의 연쇄 법칙은 전치를 씁니다. 왼쪽 입력은 grad · {B}ᵀ, 오른쪽 입력은 {A}ᵀ · grad를 받습니다"
    "(모두 행렬 곱이며, 결과는 각 입력과 같은 모양입니다).",
)


def _mm(node: str, title, left: str, right: str, forward: str) -> Rule:
    return Rule(
        node,
        title,
        forward,
        "∂L/∂{A} = grad · {B}ᵀ, ∂L/∂{B} = {A}ᵀ · grad",
        MM_WORDS,
        (
            Slot(left, "A", lambda c: c.grad @ c.sym(right).T),
            Slot(right, "B", lambda c: c.sym(left).T @ c.grad),
        ),
    )


def _outer(a: Expr, b: Expr) -> Expr:
    return Form(
        "{0} ⊗ {1}",
        "{0} ⊗ {1}",
        [a, b],
        lambda u, v: torch.outer(u, v),
        nums="{0} ⊗ {1}",
        bound=lambda u, v: torch.outer(u, v),
    )


def _addmm(ctx: Ctx, which: str) -> Expr:
    beta, alpha = float(scalar(ctx, "beta")), float(scalar(ctx, "alpha"))
    if which == "self":
        return back(ctx, 0, times(beta, ctx.grad))
    if which == "mat1":
        return times(alpha, ctx.grad @ ctx.sym("mat2").T)
    return times(alpha, ctx.sym("mat1").T @ ctx.grad)


def _baddbmm(ctx: Ctx, which: str) -> Expr:
    beta, alpha = float(scalar(ctx, "beta")), float(scalar(ctx, "alpha"))
    if which == "self":
        return back(ctx, 0, times(beta, ctx.grad))
    if which == "batch1":
        return times(alpha, ctx.grad @ ctx.sym("batch2").T)
    return times(alpha, ctx.sym("batch1").T @ ctx.grad)


def _transpose(ctx: Ctx) -> Expr:
    a, b = ctx.integer("dim0"), ctx.integer("dim1")
    return Form(f"transpose({{0}}, {a}, {b})", f"transpose({{0}}, {a}, {b})", [ctx.grad], lambda g: g.transpose(a, b))


def _permute(ctx: Ctx) -> Expr:
    order = [signed(d) for d in ctx.raw("dims")]
    rank = len(order)
    inverse = [0] * rank
    for position, axis in enumerate(order):
        inverse[axis % rank] = position
    listed = ", ".join(map(str, inverse))
    return Form(f"permute({{0}}, ({listed}))", f"permute({{0}}, ({listed}))", [ctx.grad], lambda g: g.permute(*inverse))


ADD_WORDS = (
    "{b} was added (times β) and gets the gradient summed back to its shape; the product part works as in a "
    "matrix product: {A} gets grad · {B}ᵀ, {B} gets {A}ᵀ · grad (times α).",
    "더해진 {b}에는 그래디언트를 자기 모양으로 합친 값이 (β배로) 전달되고, 곱 부분은 행렬 곱과 같이 {A}에는 "
    "grad · {B}ᵀ, {B}에는 {A}ᵀ · grad가 (α배로) 전달됩니다.",
)
add(
    _mm("MmBackward0", ("matrix product", "행렬 곱"), "self", "mat2", "{y} = {A} · {B}"),
    _mm("BmmBackward0", ("batched matrix product", "배치 행렬 곱"), "self", "mat2", "{y}[i] = {A}[i] · {B}[i]"),
    Rule(
        "MvBackward0",
        ("matrix-vector product", "행렬-벡터 곱"),
        "{y} = {A} · {v}",
        "∂L/∂{A} = grad ⊗ {v}, ∂L/∂{v} = {A}ᵀ · grad",
        (
            "The matrix gets the outer product grad ⊗ {v}; the vector gets {A}ᵀ · grad.",
            "행렬에는 외적 grad ⊗ {v}, 벡터에는 {A}ᵀ · grad가 전달됩니다.",
        ),
        (
            Slot("self", "A", lambda c: _outer(c.grad, c.sym("vec"))),
            Slot("vec", "v", lambda c: c.sym("self").T @ c.grad),
        ),
    ),
    Rule(
        "DotBackward0",
        ("dot product", "내적"),
        "{y} = {a} · {b} = Σ {a}ᵢ{b}ᵢ",
        "∂{y}/∂{a} = {b}, ∂{y}/∂{b} = {a}",
        (
            "Each vector gets the gradient times the other vector.",
            "각 벡터는 받은 그래디언트에 다른 쪽 벡터를 곱한 값을 받습니다.",
        ),
        (
            Slot("self", "a", lambda c: c.grad * c.sym("tensor")),
            Slot("tensor", "b", lambda c: c.grad * c.sym("self")),
        ),
    ),
    Rule(
        "AddmmBackward0",
        ("matrix product plus a bias", "행렬 곱 더하기 편향"),
        "{y} = β·{b} + α·({A} · {B})",
        "∂L/∂{b} = β·Σ grad, ∂L/∂{A} = α·grad · {B}ᵀ, ∂L/∂{B} = α·{A}ᵀ · grad",
        ADD_WORDS,
        (
            Slot("self", "b", lambda c: _addmm(c, "self")),
            Slot("mat1", "A", lambda c: _addmm(c, "mat1")),
            Slot("mat2", "B", lambda c: _addmm(c, "mat2")),
        ),
    ),
    Rule(
        "BaddbmmBackward0",
        ("batched matrix product plus a tensor", "배치 행렬 곱 더하기 텐서"),
        "{y} = β·{b} + α·({A} · {B})",
        "∂L/∂{b} = β·Σ grad, ∂L/∂{A} = α·grad · {B}ᵀ, ∂L/∂{B} = α·{A}ᵀ · grad",
        ADD_WORDS,
        (
            Slot("self", "b", lambda c: _baddbmm(c, "self")),
            Slot("batch1", "A", lambda c: _baddbmm(c, "batch1")),
            Slot("batch2", "B", lambda c: _baddbmm(c, "batch2")),
        ),
    ),
    Rule(
        "TBackward0",
        ("transpose", "전치"),
        "{y} = {x}ᵀ",
        "grad_{x} = gradᵀ",
        (
            "Transposing moves entries without changing them, so the gradient is transposed back.",
            "전치는 값을 바꾸지 않고 자리만 옮기므로, 그래디언트도 다시 전치해 돌려줍니다.",
        ),
        (Slot("self", "x", lambda c: c.grad.T if c.grad.value().dim() == 2 else c.grad),),
    ),
    Rule(
        "TransposeBackward0",
        ("swapping two axes", "두 축 바꾸기"),
        "{y} = transpose({x}, {d0}, {d1})",
        "grad_{x} = transpose(grad, {d0}, {d1})",
        (
            "Swapping axes moves entries without changing them, so the gradient's axes are swapped back.",
            "축을 바꾸는 연산은 값을 옮기기만 하므로, 그래디언트의 축을 다시 바꿔 돌려줍니다.",
        ),
        (Slot("self", "x", _transpose),),
        params=lambda c: {"d0": c.raw("dim0"), "d1": c.raw("dim1")},
    ),
    Rule(
        "PermuteBackward0",
        ("reordering axes", "축 순서 바꾸기"),
        "{y} = permute({x}, {dims})",
        "grad_{x} = permute(grad, inverse order)",
        (
            "Reordering axes moves entries without changing them; the gradient's axes are put back in the input's "
            "order.",
            "축 순서를 바꾸는 연산은 값을 옮기기만 하므로, 그래디언트의 축을 입력의 순서로 되돌립니다.",
        ),
        (Slot("self", "x", _permute),),
        params=lambda c: {"dims": tuple(signed(d) for d in c.raw("dims"))},
    ),
)
