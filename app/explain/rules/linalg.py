"""Matrix products, transposes and distances (derivatives.yaml: mm, bmm, mv, dot, vdot, addmm, addmv, addr, baddbmm,
trace, t, transpose, permute, _cdist_forward, _pdist_forward; `matmul` and `linear` are made of these)."""

import math

import torch

from ..expr import MUL, Expr, Form, Num, Sym
from ..rule import Ctx, Missing, Rule, Slot, Words, add, signed
from .elementwise import back, scalar, times

MM_WORDS = (
    "The chain rule takes transposes: {A} gets grad · {B}ᵀ and {B} gets {A}ᵀ · grad (matrix products, each the "
    "shape of its input{shapes}).{same}",
    "연쇄 법칙을 적용하면 전치 행렬이 나옵니다. {A}에는 grad · {B}ᵀ, {B}에는 {A}ᵀ · grad가 전달되며(둘 다 행렬 곱), "
    "결과는 각 입력과 같은 모양입니다{shapes_ko}.{same_ko}",
)


def _shape_of(value: object) -> tuple[int, ...] | None:
    shape = getattr(value, "shape", None)
    return None if shape is None else tuple(int(n) for n in shape)


def _shapes(ctx: Ctx, left: int, right: int) -> str | None:
    """The matrix product's gradients in shapes, the left input's then the right's (`2×2 · 2×3 = 2×3, 3×2 · 2×2 =
    3×2`): a learner checks `A.grad = grad · Bᵀ` by its shapes first. None where a shape is not known or not a
    matrix's."""
    grads, slots = ctx.grad_outputs, ctx.slots()
    shapes = [_shape_of(grads[0]) if grads else None]
    for slot in (left, right):  # (an input that needs no gradient: the shape of what the node saved of it)
        shapes.append(ctx.input_shape(slot) or _shape_of(ctx.saved.get(slots[slot].arg)))
    if any(shape is None or len(shape) != 2 for shape in shapes):
        return None
    (gm, gn), (am, an), (bm, bn) = shapes  # type: ignore[misc]
    return f"{gm}×{gn} · {bn}×{bm} = {am}×{an}, {an}×{am} · {gm}×{gn} = {bm}×{bn}"


def _mm_shapes(ctx: Ctx) -> dict[str, str]:
    found = _shapes(ctx, 0, 1)
    return {"shapes": f": {found}" if found else "", "shapes_ko": f"({found})" if found else ""}


def _same_tensor(ctx: Ctx) -> dict[str, str]:
    """`a @ a`: one tensor is both inputs, and the words said `a gets grad · aᵀ and a gets aᵀ · grad`, two gradients
    for one tensor; they say it gets their sum (its AccumulateGrad adds them)."""
    name = ctx.given_name(0)
    if name is None or name != ctx.given_name(1):
        return {"same": "", "same_ko": ""}
    return {
        "same": f" Here both inputs are one tensor, {name}: it gets the sum of the two.",
        "same_ko": f" 여기서는 두 입력이 같은 텐서({name})이므로, {name}에는 두 값을 더한 것이 전달됩니다.",
    }


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
        params=lambda c: {**_same_tensor(c), **(_mm_shapes(c) if node == "MmBackward0" else NO_SHAPES)},
    )


ADD_WORDS = (
    "{b} was added{by_beta} and gets the gradient summed back to its shape; the product part works as in a "
    "matrix product: {A} gets grad · {B}ᵀ, {B} gets {A}ᵀ · grad{by_alpha}{shapes}.",
    "더해진 {b}에는 그래디언트를 자기 모양으로 합친 값이{by_beta_ko} 전달되고, 곱 부분은 행렬 곱과 같이 {A}에는 "
    "grad · {B}ᵀ, {B}에는 {A}ᵀ · grad가{by_alpha_ko} 전달됩니다{shapes_ko}.",
)
NO_SHAPES = {"shapes": "", "shapes_ko": ""}


def _addmm_shapes(ctx: Ctx) -> dict[str, str]:
    found = _shapes(ctx, 1, 2)
    return {"shapes": f" (in shapes: {found})" if found else "", "shapes_ko": f"(모양: {found})" if found else ""}


def _scales(ctx: Ctx) -> dict[str, str]:
    """addmm's β and α as the formulas write them: left out when 1 (nn.Linear's), else the number and `·`."""
    beta, alpha = float(scalar(ctx, "beta")), float(scalar(ctx, "alpha"))
    return {
        "beta": "" if beta == 1 else f"{beta:g}·",
        "alpha": "" if alpha == 1 else f"{alpha:g}·",
        "by_beta": "" if beta == 1 else f" (times {beta:g})",
        "by_alpha": "" if alpha == 1 else f" (times {alpha:g})",
        "by_beta_ko": "" if beta == 1 else f" ({beta:g}배로)",
        "by_alpha_ko": "" if alpha == 1 else f" ({alpha:g}배로)",
    }


def _mm_plus(node: str, title: Words, left: str, right: str) -> Rule:
    """addmm and baddbmm: β·self + α·(left · right), the product's inputs getting their gradients as in `_mm` (β and
    α written only when not 1)."""
    return Rule(
        node,
        title,
        "{y} = {beta}{b} + {alpha}({A} · {B})",
        "∂L/∂{b} = {beta}Σ grad, ∂L/∂{A} = {alpha}grad · {B}ᵀ, ∂L/∂{B} = {alpha}{A}ᵀ · grad",
        ADD_WORDS,
        (
            Slot("self", "b", lambda c: back(c, 0, times(float(scalar(c, "beta")), c.grad))),
            Slot(left, "A", lambda c: times(float(scalar(c, "alpha")), c.grad @ c.sym(right).T)),
            Slot(right, "B", lambda c: times(float(scalar(c, "alpha")), c.sym(left).T @ c.grad)),
        ),
        params=lambda c: {**_scales(c), **(_addmm_shapes(c) if node == "AddmmBackward0" else NO_SHAPES)},
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


def _trace(ctx: Ctx) -> Expr:
    shape = tuple(int(n) for n in ctx.raw("self_sym_sizes"))

    def on_diagonal(g):
        out = torch.zeros(shape, dtype=torch.float64)
        out.diagonal().fill_(float(g))
        return out

    return Form("{0} on the diagonal, 0 elsewhere", "{0} (대각선 자리, 나머지 0)", [ctx.grad], on_diagonal)


def _transpose(ctx: Ctx) -> Expr:
    a, b = ctx.integer("dim0"), ctx.integer("dim1")
    return Form(f"transpose({{0}}, {a}, {b})", f"transpose({{0}}, {a}, {b})", [ctx.grad], lambda g: g.transpose(a, b))


def _inverse_order(ctx: Ctx) -> list[int]:
    """The order that puts permute's axes back: axis `dims[i]` of the input is axis i of the output."""
    order = [signed(d) for d in ctx.raw("dims")]
    inverse = [0] * len(order)
    for position, axis in enumerate(order):
        inverse[axis % len(order)] = position
    return inverse


def _permute(ctx: Ctx) -> Expr:
    inverse = _inverse_order(ctx)
    listed = ", ".join(map(str, inverse))
    return Form(f"permute({{0}}, ({listed}))", f"permute({{0}}, ({listed}))", [ctx.grad], lambda g: g.permute(inverse))


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
        "AddmvBackward0",
        ("matrix-vector product plus a vector", "행렬-벡터 곱 더하기 벡터"),
        "{y} = β·{b} + α·({A} · {v})",
        "∂L/∂{b} = β·grad, ∂L/∂{A} = α·grad ⊗ {v}, ∂L/∂{v} = α·{A}ᵀ · grad",
        (
            "{b} was added (times β) and gets the gradient summed back to its shape; as in a matrix-vector product "
            "the matrix gets the outer product grad ⊗ {v} and the vector {A}ᵀ · grad (times α).",
            "더해진 {b}에는 그래디언트를 자기 모양으로 합친 값이 (β배로) 전달되고, 행렬-벡터 곱과 같이 행렬에는 외적 "
            "grad ⊗ {v}, 벡터에는 {A}ᵀ · grad가 (α배로) 전달됩니다.",
        ),
        (
            Slot("self", "b", lambda c: back(c, 0, times(float(scalar(c, "beta")), c.grad))),
            Slot("mat", "A", lambda c: times(float(scalar(c, "alpha")), _outer(c.grad, c.sym("vec")))),
            Slot("vec", "v", lambda c: times(float(scalar(c, "alpha")), c.sym("mat").T @ c.grad)),
        ),
    ),
    Rule(
        "AddrBackward0",
        ("outer product plus a matrix", "외적 더하기 행렬"),
        "{y} = β·{b} + α·({u} ⊗ {v})",
        "∂L/∂{b} = β·grad, ∂L/∂{u} = α·grad · {v}, ∂L/∂{v} = α·gradᵀ · {u}",
        (
            "{b} was added (times β) and gets the gradient summed back to its shape; entry (i, j) of the outer "
            "product is {u}ᵢ·{v}ⱼ, so {u} gets grad · {v} and {v} gets gradᵀ · {u} (times α).",
            "더해진 {b}에는 그래디언트를 자기 모양으로 합친 값이 (β배로) 전달됩니다. 외적의 (i, j) 원소는 {u}ᵢ·{v}ⱼ"
            "이므로 {u}에는 grad · {v}, {v}에는 gradᵀ · {u}가 (α배로) 전달됩니다.",
        ),
        (
            Slot("self", "b", lambda c: back(c, 0, times(float(scalar(c, "beta")), c.grad))),
            Slot("vec1", "u", lambda c: times(float(scalar(c, "alpha")), c.grad @ c.sym("vec2"))),
            Slot("vec2", "v", lambda c: times(float(scalar(c, "alpha")), c.grad.T @ c.sym("vec1"))),
        ),
    ),
    Rule(
        "TraceBackward0",
        ("trace (sum of the diagonal)", "대각합(trace)"),
        "{y} = Σᵢ {x}ᵢᵢ",
        ("∂{y}/∂{x}ᵢⱼ = 1 if i = j else 0", "∂{y}/∂{x}ᵢⱼ = 대각 원소(i = j)는 1, 나머지는 0"),
        (
            "Only the diagonal entries were added up, so each of them gets grad and every other entry gets 0.",
            "대각선 원소만 더했으므로 대각선 원소는 각각 grad를 받고, 나머지 원소는 0을 받습니다.",
        ),
        (Slot("self", "x", _trace),),
    ),
    _mm_plus("AddmmBackward0", ("matrix product plus a bias", "편향을 더한 행렬 곱"), "mat1", "mat2"),
    _mm_plus(
        "BaddbmmBackward0", ("batched matrix product plus a tensor", "배치 행렬 곱 더하기 텐서"), "batch1", "batch2"
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
        "grad_{x} = permute(grad, {back})",
        (
            "Reordering axes moves entries without changing them; the gradient's axes are put back in the input's "
            "order.",
            "축 순서를 바꾸는 연산은 값을 옮기기만 하므로, 그래디언트의 축을 입력의 순서로 되돌립니다.",
        ),
        (Slot("self", "x", _permute),),
        params=lambda c: {"dims": tuple(signed(d) for d in c.raw("dims")), "back": tuple(_inverse_order(c))},
    ),
)


# -- vdot and distances ---------------------------------------------------------------------------------------------


def _distance_derivative(diff: torch.Tensor, dist: torch.Tensor, p: float, dtype: torch.dtype) -> torch.Tensor:
    """∂‖u‖ₚ/∂u at u = `diff` (the last axis), ‖u‖ₚ = `dist` (broadcast), as ATen's distance kernels take it: 0 where
    the distance is 0 (a subgradient), sign(u) for p = 1, u/‖u‖ for p = 2, sign(u) where |u| is the largest for
    p = ∞, sign(u)·|u|^(p-1)/‖u‖^(p-1) otherwise (0 where u = 0 when p < 1); 0 for p = 0 (a count of entries).
    `dtype`: the one PyTorch computed in (which entry equals the largest is decided in it, as the kernel does)."""
    zero = torch.zeros((), dtype=torch.float64)
    # (the kernels' sign keeps a NaN, where torch.sign(NaN) is 0)
    sign = torch.where(torch.isnan(diff), diff, torch.sign(diff))
    if p == 0:
        return torch.zeros_like(diff)
    if p == 1:
        return sign
    if p == 2:
        return torch.where(dist == 0, zero, diff / dist)
    if math.isinf(p):  # (the kernel's 1 - min(1, ⌈| |u| - d |⌉): 1 where |u| = d, and NaN where either is)
        off = (diff.to(dtype).abs() - dist.to(dtype)).abs().ceil().to(torch.float64)
        return sign * (1 - torch.minimum(torch.ones((), dtype=torch.float64), off))
    out = sign * diff.abs().pow(p - 1) / dist.pow(p - 1)
    if p < 1:
        out = torch.where(diff == 0, zero, out)
    return torch.where(dist == 0, zero, out)


def _distance_terms(
    g: torch.Tensor, diff: torch.Tensor, dist: torch.Tensor, p: float, dtype: torch.dtype
) -> torch.Tensor:
    """grad · ∂‖u‖ₚ/∂u per pair, as ATen's distance kernels compute it: the 0 where the distance is 0 (and where u = 0
    for p < 1) is chosen, not a product (`dist == 0 ? 0 : grad · …`), and p = 0 sends 0 whatever grad holds; so an
    inf or NaN gradient gives 0 there, not inf · 0 = NaN."""
    if p == 0:
        return torch.zeros_like(diff * g)
    terms = g * _distance_derivative(diff, dist, p, dtype)
    if p == 1 or math.isinf(p):  # (products in the kernel too: grad · sign(u), grad · sign(u) · 1[|u| = d])
        return terms
    zero = dist == 0
    if p < 1:
        zero = zero | (diff == 0)
    return torch.where(zero, torch.zeros((), dtype=terms.dtype), terms)


def _dtype(ctx: Ctx, key: str) -> torch.dtype:
    """The dtype a saved tensor had (the rules compute in float64)."""
    value = ctx.raw(key)
    return value.dtype if isinstance(value, torch.Tensor) and value.is_floating_point() else torch.float64


def _norm_index(p: float) -> str:
    """The p of a p-norm as its index after ‖u‖: a subscript for a whole number (‖u‖₂), else `_1.5`, `_∞`."""
    label = "∞" if p == math.inf else Num(p).label
    return label.translate(SUBSCRIPT_DIGITS) if label.isdigit() else f"_{label}"


SUBSCRIPT_DIGITS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _p_text(p: float) -> tuple[str, str]:
    """The derivative of the p-norm of u = the difference, in words for formulas (English, Korean)."""
    if p == 0:
        return "0", "0"
    if p == 1:
        return "sign(u)", "sign(u)"
    if p == 2:
        return "u/d", "u/d"
    if math.isinf(p):
        return "sign(u)·1[|u| = d]", "sign(u)·1[|u| = d]"
    return f"sign(u)·|u|^{p - 1:g}/d^{p - 1:g}", f"sign(u)·|u|^{p - 1:g}/d^{p - 1:g}"


def _cdist(ctx: Ctx, first: bool) -> Expr:
    p, dtype = float(ctx.raw("p")), _dtype(ctx, "result")
    x1, x2 = ctx.sym("x1"), ctx.sym("x2")
    result = Sym(ctx.output_label(), ctx.tensor("result"))

    def value(g, a, b, d):
        diff = a.unsqueeze(-2) - b.unsqueeze(-3)  # [..., i, j, :] = aᵢ - bⱼ
        terms = _distance_terms(g.unsqueeze(-1), diff, d.unsqueeze(-1), p, dtype)
        return terms.sum(-2) if first else -terms.sum(-3)

    derivative, derivative_ko = _p_text(p)
    if first:
        en, ko = f"Σⱼ {{0}}ᵢⱼ · {derivative}", f"Σⱼ {{0}}ᵢⱼ · {derivative_ko}"
    else:
        en, ko = f"-Σᵢ {{0}}ᵢⱼ · {derivative}", f"-Σᵢ {{0}}ᵢⱼ · {derivative_ko}"
    en += ", u = {1}ᵢ - {2}ⱼ, d = {3}ᵢⱼ"
    ko += ", u = {1}ᵢ - {2}ⱼ, d = {3}ᵢⱼ"
    expr = Form(en, ko, [ctx.grad, x1, x2, result], value, nums="{0} → …")
    return back(ctx, 0 if first else 1, expr)


def _euclidean(ctx: Ctx, first: bool) -> Expr:
    """_euclidean_dist_backward: r = grad/d (0 where d = 0), then a's gradient aᵢ·Σⱼ rᵢⱼ - Σⱼ rᵢⱼ·bⱼ and b's
    bⱼ·Σᵢ rᵢⱼ - Σᵢ rᵢⱼ·aᵢ: Σ r·(aᵢ - bⱼ)/d, computed as PyTorch does, with the saved d (the matrix product's, which
    for rows that (nearly) coincide is not quite the exact distance)."""
    x1, x2 = ctx.sym("x1"), ctx.sym("x2")
    result = Sym(ctx.output_label(), ctx.tensor("result"))

    def ratio(g, d):
        return torch.where(d == 0, torch.zeros((), dtype=g.dtype), g / d)

    def value(g, a, b, d):
        r = ratio(g, d)
        if first:
            return a * r.sum(-1, keepdim=True) - r @ b
        return b * r.sum(-2).unsqueeze(-1) - r.mT @ a

    def bound(g, a, b, d):  # (the magnitudes the two terms reach before they cancel)
        r = ratio(g, d)
        if first:
            return a * r.sum(-1, keepdim=True) + r @ b
        return b * r.sum(-2).unsqueeze(-1) + r.mT @ a

    if first:
        en, ko = "Σⱼ {0}ᵢⱼ · u/d, u = {1}ᵢ - {2}ⱼ, d = {3}ᵢⱼ", "Σⱼ {0}ᵢⱼ · u/d, u = {1}ᵢ - {2}ⱼ, d = {3}ᵢⱼ"
    else:
        en, ko = "-Σᵢ {0}ᵢⱼ · u/d, u = {1}ᵢ - {2}ⱼ, d = {3}ᵢⱼ", "-Σᵢ {0}ᵢⱼ · u/d, u = {1}ᵢ - {2}ⱼ, d = {3}ᵢⱼ"
    return Form(en, ko, [ctx.grad, x1, x2, result], value, nums="{0} → …", bound=bound)


def _pdist(ctx: Ctx) -> Expr:
    p, dtype = float(ctx.raw("p")), _dtype(ctx, "result")
    x = ctx.sym("self")
    result = Sym(ctx.output_label(), ctx.tensor("result"))

    def value(g, xv, d):
        n = xv.shape[0]
        rows, cols = torch.triu_indices(n, n, 1)
        pairs = torch.zeros(n, n, dtype=torch.float64)
        pairs[rows, cols] = g
        pairs = pairs + pairs.T  # (each pair's gradient reaches both of its rows)
        dist = torch.zeros(n, n, dtype=torch.float64)
        dist[rows, cols] = d
        dist = dist + dist.T
        diff = xv.unsqueeze(1) - xv.unsqueeze(0)
        terms = _distance_terms(pairs.unsqueeze(-1), diff, dist.unsqueeze(-1), p, dtype)
        own = torch.eye(n, dtype=torch.bool).unsqueeze(-1)  # (a row with itself is no pair: NaN - NaN adds nothing)
        return torch.where(own, torch.zeros((), dtype=terms.dtype), terms).sum(1)

    derivative, derivative_ko = _p_text(p)
    en = f"Σ[pairs (i, j)] {{0}}ᵢⱼ · {derivative}, u = {{1}}ᵢ - {{1}}ⱼ, d = {{2}}ᵢⱼ"
    ko = f"Σ[쌍 (i, j)] {{0}}ᵢⱼ · {derivative_ko}, u = {{1}}ᵢ - {{1}}ⱼ, d = {{2}}ᵢⱼ"
    return Form(en, ko, [ctx.grad, x, result], value, nums="{0} → …")


DISTANCE_WORDS = (
    "Each distance d = ‖u‖ₚ (u = the difference of the two rows) changes by ∂d/∂u ({derivative}) when u does, so "
    "every row gets the gradients of its distances times that, with a minus sign for the row subtracted; where a "
    "distance is 0 PyTorch takes 0 (the norm has no derivative there).",
    "각 거리 d = ‖u‖ₚ(u는 두 행의 차)는 u가 변할 때 ∂d/∂u({derivative})만큼 변하므로, 각 행은 자기가 들어간 "
    "거리들의 그래디언트에 그 값을 곱해 더한 값을 받습니다(빼진 쪽 행은 부호가 반대). 거리가 0인 곳에서는 노름을 "
    "미분할 수 없으므로 PyTorch는 0을 씁니다.",
)

add(
    Rule(
        "VdotBackward0",
        ("dot product (vdot)", "내적(vdot)"),
        "{y} = vdot({a}, {b}) = Σ {a}ᵢ{b}ᵢ",
        "∂{y}/∂{a} = {b}, ∂{y}/∂{b} = {a}",
        (
            "For real vectors vdot is the dot product: each vector gets the gradient times the other vector (for "
            "complex ones the first is conjugated).",
            "실수 벡터에서 vdot은 내적과 같으므로, 각 벡터는 받은 그래디언트에 다른 쪽 벡터를 곱한 값을 받습니다"
            "(복소수라면 첫 번째 벡터에 켤레를 취합니다).",
        ),
        (
            Slot("self", "a", lambda c: c.grad * c.sym("other")),
            Slot("other", "b", lambda c: c.grad * c.sym("self")),
        ),
    ),
    Rule(
        "CdistBackward0",
        ("pairwise distances between two sets of rows", "두 행 집합 사이의 거리"),
        "{y}ᵢⱼ = ‖{a}ᵢ - {b}ⱼ‖{p}",
        "∂{y}ᵢⱼ/∂{a}ᵢ = ∂d/∂u = {derivative}, ∂{y}ᵢⱼ/∂{b}ⱼ = -∂d/∂u (u = {a}ᵢ - {b}ⱼ, d = {y}ᵢⱼ)",
        DISTANCE_WORDS,
        (Slot("x1", "a", lambda c: _cdist(c, True)), Slot("x2", "b", lambda c: _cdist(c, False))),
        params=lambda c: {"p": _norm_index(float(c.raw("p"))), "derivative": _p_text(float(c.raw("p")))[0]},
        output="D",
    ),
    Rule(
        "EuclideanDistBackward0",
        ("Euclidean distances between two sets of rows", "두 행 집합 사이의 유클리드 거리"),
        "{y}ᵢⱼ = ‖{a}ᵢ - {b}ⱼ‖₂ = √(‖{a}ᵢ‖² - 2·{a}ᵢ·{b}ⱼ + ‖{b}ⱼ‖²)",
        "∂{y}ᵢⱼ/∂{a}ᵢ = u/d, ∂{y}ᵢⱼ/∂{b}ⱼ = -u/d (u = {a}ᵢ - {b}ⱼ, d = {y}ᵢⱼ)",
        (
            "torch.cdist with p = 2 and more than 25 rows on a side computes all the distances with one matrix "
            "product, √(‖{a}ᵢ‖² - 2·{a}ᵢ·{b}ⱼ + ‖{b}ⱼ‖²). Each distance d grows along u = {a}ᵢ - {b}ⱼ at the rate "
            "u/d, so row {a}ᵢ gets Σⱼ grad · u/d and row {b}ⱼ the same with a minus sign; where d = 0 PyTorch takes "
            "0. PyTorch computes it as {a}ᵢ·Σⱼ r - Σⱼ r·{b}ⱼ with r = grad/d, from d as the product gave it: rows "
            "that almost coincide can get a d a little off, and a large gradient from it.",
            "torch.cdist는 p = 2이고 한쪽 행이 25개보다 많으면 모든 거리를 행렬 곱 한 번으로 "
            "√(‖{a}ᵢ‖² - 2·{a}ᵢ·{b}ⱼ + ‖{b}ⱼ‖²)와 같이 계산합니다. 각 거리 d는 u = {a}ᵢ - {b}ⱼ 방향으로 u/d의 "
            "비율로 커지므로, 행 {a}ᵢ는 Σⱼ grad · u/d를 받고 행 {b}ⱼ는 부호만 반대인 값을 받습니다. d = 0인 곳에서는 "
            "PyTorch가 0을 씁니다. PyTorch는 r = grad/d로 두고 {a}ᵢ·Σⱼ r - Σⱼ r·{b}ⱼ를 계산하며, d는 행렬 곱으로 "
            "얻은 값을 그대로 씁니다. 그래서 거의 겹치는 두 행은 d가 조금 어긋나고, 그 때문에 큰 그래디언트를 받을 "
            "수 있습니다.",
        ),
        (Slot("x1", "a", lambda c: _euclidean(c, True)), Slot("x2", "b", lambda c: _euclidean(c, False))),
        output="D",
    ),
    Rule(
        "PdistBackward0",
        ("pairwise distances between rows", "행 사이의 거리"),
        ("{y} = [‖{x}ᵢ - {x}ⱼ‖{p} for i < j]", "{y} = [i < j인 ‖{x}ᵢ - {x}ⱼ‖{p}]"),
        "∂{y}ᵢⱼ/∂{x}ᵢ = ∂d/∂u = {derivative}, ∂{y}ᵢⱼ/∂{x}ⱼ = -∂d/∂u (u = {x}ᵢ - {x}ⱼ, d = {y}ᵢⱼ)",
        DISTANCE_WORDS,
        (Slot("self", "x", _pdist),),
        params=lambda c: {"p": _norm_index(float(c.raw("p"))), "derivative": _p_text(float(c.raw("p")))[0]},
        output="D",
    ),
)


def _cross(ctx: Ctx, first: bool) -> Expr:
    dim = signed(ctx.raw("dim"))
    a, b = ctx.sym("self"), ctx.sym("other")
    if first:  # ∂(a × b)/∂a applied back: b × grad
        expr = Form("{0} × {1}", "{0} × {1}", [b, ctx.grad], lambda bv, g: torch.linalg.cross(bv, g, dim=dim))
    else:  # grad × a
        expr = Form("{1} × {0}", "{1} × {0}", [a, ctx.grad], lambda av, g: torch.linalg.cross(g, av, dim=dim))
    return back(ctx, 0 if first else 1, expr)


add(
    Rule(
        "LinalgCrossBackward0",
        ("cross product", "벡터곱(외적)"),
        "{y} = {a} × {b}",
        "∂L/∂{a} = {b} × grad, ∂L/∂{b} = grad × {a}",
        (
            "The cross product is linear in each vector, and ⟨grad, {a} × {b}⟩ = ⟨{b} × grad, {a}⟩ = ⟨grad × {a}, "
            "{b}⟩ (the triple product turns around): so {a} gets {b} × grad and {b} gets grad × {a}.",
            "벡터곱은 각 벡터에 대해 선형이고, ⟨grad, {a} × {b}⟩ = ⟨{b} × grad, {a}⟩ = ⟨grad × {a}, {b}⟩(스칼라 "
            "삼중곱의 순환)이므로 {a}에는 {b} × grad, {b}에는 grad × {a}의 값이 전달됩니다.",
        ),
        (Slot("self", "a", lambda c: _cross(c, True)), Slot("other", "b", lambda c: _cross(c, False))),
    ),
)


def _addbmm(which: str):
    """addbmm: β·self + α·Σ_b batch1[b] · batch2[b]: each pair of the sum gets the matrix product's gradients."""

    def grad(ctx: Ctx) -> Expr:
        alpha = float(scalar(ctx, "alpha"))
        if which == "self":
            return back(ctx, 0, times(float(scalar(ctx, "beta")), ctx.grad))
        if which == "batch1":
            text = "{0} · {1}[b]ᵀ"
            expr = Form(text, text, [ctx.grad, ctx.sym("batch2")], lambda g, b2: g.unsqueeze(0) @ b2.mT)
        else:
            text = "{1}[b]ᵀ · {0}"
            expr = Form(text, text, [ctx.grad, ctx.sym("batch1")], lambda g, b1: b1.mT @ g.unsqueeze(0))
        return times(alpha, expr)

    return grad


def _dist(first: bool):
    """dist (derivatives.yaml: norm_backward(grad, self - other, p, result)): the p-norm of u = a - b over every
    entry; b gets minus a's."""

    def grad(ctx: Ctx) -> Expr:
        p, dtype = float(scalar(ctx, "p")), _dtype(ctx, "result")
        a, b, d = ctx.sym("self"), ctx.sym("other"), Sym(ctx.output_label(), ctx.tensor("result"))

        def value(g, av, bv, dv):
            u = av - bv
            if math.isinf(p):
                mask = (u.to(dtype).abs() == dv.to(dtype)) | torch.isnan(u)  # (decided in PyTorch's dtype)
                out = torch.sign(u) * g * mask / mask.sum()
            elif p == 0:
                out = torch.zeros_like(u)
            elif p == 1:
                out = torch.sign(u) * g
            elif p == 2:
                out = torch.zeros_like(u) if dv == 0 else g * u / dv
            else:
                powered = torch.sign(u) * u.abs().pow(p - 1)
                if p < 1:
                    powered = torch.where(u == 0, torch.zeros_like(u), powered)
                out = torch.zeros_like(u) if dv == 0 and p >= 1 else powered * g / dv.pow(p - 1)
            return out if first else -out

        derivative, derivative_ko = _p_text(p)
        sign = "" if first else "-"
        en = f"{sign}{{0}} · {derivative}, u = {{1}} - {{2}}, d = {{3}}"
        ko = f"{sign}{{0}} · {derivative_ko}, u = {{1}} - {{2}}, d = {{3}}"
        if math.isinf(p):
            en, ko = en.replace("1[|u| = d]", "1[|u| = d]/count"), ko.replace("1[|u| = d]", "1[|u| = d]/count")
        return back(ctx, 0 if first else 1, Form(en, ko, [ctx.grad, a, b, d], value, nums="{0} → …"))

    return grad


add(
    Rule(
        "AddbmmBackward0",
        ("sum of batched matrix products plus a matrix", "배치 행렬 곱의 합 더하기 행렬"),
        "{y} = β·{b} + α·Σ_k {A}[k] · {B}[k]",
        "∂L/∂{b} = β·grad, ∂L/∂{A}[k] = α·grad · {B}[k]ᵀ, ∂L/∂{B}[k] = α·{A}[k]ᵀ · grad",
        (
            "{b} was added (times β) and gets grad summed back to its shape; every product of the sum got the same "
            "grad, so as in a matrix product {A}[k] gets grad · {B}[k]ᵀ and {B}[k] gets {A}[k]ᵀ · grad (times α).",
            "더해진 {b}에는 grad를 자기 모양으로 합친 값이 (β배로) 전달되고, 합 안의 모든 곱이 같은 grad를 받았으므로 "
            "행렬 곱과 같이 {A}[k]에는 grad · {B}[k]ᵀ, {B}[k]에는 {A}[k]ᵀ · grad가 (α배로) 전달됩니다.",
        ),
        (
            Slot("self", "b", _addbmm("self")),
            Slot("batch1", "A", _addbmm("batch1")),
            Slot("batch2", "B", _addbmm("batch2")),
        ),
    ),
    Rule(
        "DistBackward0",
        ("distance (p-norm of the difference)", "거리(차의 p-노름)"),
        "{y} = ‖{a} - {b}‖{p}",
        "∂{y}/∂{a} = ∂d/∂u = {derivative}, ∂{y}/∂{b} = -∂d/∂u (u = {a} - {b}, d = {y})",
        (
            "The norm of the difference over every entry: {a} gets grad times the norm's derivative ({derivative}, "
            "as for a vector norm; for p = ∞ shared among the entries at the largest |u|), and {b} the same with a "
            "minus sign.",
            "모든 원소에 걸친 차의 노름입니다. {a}에는 grad에 노름의 미분({derivative}, 벡터 노름과 같고 p = ∞이면 "
            "|u|가 가장 큰 원소들이 나눠 가짐)을 곱한 값이, {b}에는 부호만 반대인 값이 전달됩니다.",
        ),
        (Slot("self", "a", _dist(True)), Slot("other", "b", _dist(False))),
        params=lambda c: {"p": _norm_index(float(scalar(c, "p"))), "derivative": _p_text(float(scalar(c, "p")))[0]},
        output="d",
    ),
)


def _trilinear(which: int):
    """_trilinear (F.bilinear: yₖ = uᵀ·Wₖ·v): each input is broadcast along the axes `expand` names, the three are
    multiplied and summed over `sumdim`; so an input gets grad (broadcast back over the summed axes) times the other
    two, summed over the axes it was broadcast along."""

    def grad(ctx: Ctx) -> Expr:
        keys = ("i1", "i2", "i3")
        expands = [sorted(signed(d) for d in ctx.raw(f"expand{i + 1}")) for i in range(3)]
        summed = sorted(signed(d) for d in ctx.raw("sumdim"))

        def widened(t, axes):
            for axis in axes:
                t = t.unsqueeze(axis)
            return t

        others = [i for i in range(3) if i != which]

        def value(g, first, second):
            """As _trilinear_backward calls _trilinear: the gradient in this input's place among the three, the first
            two multiplied and summed over the axes the third lacks (but axis 1, the one ATen loops over, its
            `unroll_dim`), then times the third and summed over the rest: an inf gradient meets the other two's sum,
            not each term of it (inf - inf would be NaN)."""
            operands, axes = [first, second], [expands[others[0]], expands[others[1]]]
            operands.insert(which, g)
            axes.insert(which, summed)
            one, two, three = (widened(t, a) for t, a in zip(operands, axes, strict=True))
            mine = expands[which]
            early = [d for d in mine if d in axes[2] and d != 1]
            pair = one * two
            pair = pair.sum(early, keepdim=True) if early else pair
            product = pair * three
            late = [d for d in mine if d not in early]
            product = product.sum(late, keepdim=True) if late else product
            return product.squeeze(tuple(mine)) if mine else product

        letters = ("u", "W", "v")
        a, b = (ctx.sym(keys[i], letters[i]) for i in others)
        text = "Σ grad ⊙ {1} ⊙ {2} (over the axes of the others)"
        text_ko = "Σ grad ⊙ {1} ⊙ {2}(다른 입력들만 가진 축에 대해)"
        return Form(text, text_ko, [ctx.grad, a, b], value, nums="{0} → …")

    return grad


add(
    Rule(
        "TrilinearBackward0",
        ("bilinear form (F.bilinear, nn.Bilinear)", "쌍선형 형식(F.bilinear, nn.Bilinear)"),
        "{y}ₖ = {u}ᵀ · {W}ₖ · {v} = Σᵢⱼ {u}ᵢ·{W}ₖᵢⱼ·{v}ⱼ",
        "∂{y}ₖ/∂{u}ᵢ = Σⱼ {W}ₖᵢⱼ·{v}ⱼ, ∂{y}ₖ/∂{W}ₖᵢⱼ = {u}ᵢ·{v}ⱼ, ∂{y}ₖ/∂{v}ⱼ = Σᵢ {u}ᵢ·{W}ₖᵢⱼ",
        (
            "Each output is a sum of products of one entry from each of the three inputs, so each input gets grad "
            "times the other two, summed over the axes only the others have ({u} gets Σ grad·{W}·{v}, {W} gets "
            "grad·{u}·{v} summed over the batch, {v} gets Σ grad·{u}·{W}).",
            "각 출력은 세 입력에서 원소를 하나씩 골라 곱한 값들의 합이므로, 각 입력은 grad에 나머지 두 입력을 곱하고 "
            "다른 입력들만 가진 축에 대해 더한 값을 받습니다({u}에는 Σ grad·{W}·{v}, {W}에는 배치에 걸쳐 더한 "
            "grad·{u}·{v}, {v}에는 Σ grad·{u}·{W}).",
        ),
        (Slot("i1", "u", _trilinear(0)), Slot("i2", "W", _trilinear(1)), Slot("i3", "v", _trilinear(2))),
    ),
)


# -- a sparse matrix times a dense one (torch.sparse.mm, torch.sparse.addmm: graph convolutions) ----------------------


def _sparse_left(ctx: Ctx) -> Sym:
    """The sparse matrix, as the dense one it stands for (its numbers are then the matrix's)."""
    return Sym(ctx.label(1, "A"), ctx.tensor("mat1").to_dense())


def _stored_product(a: torch.Tensor, g: torch.Tensor) -> torch.Tensor:
    """Aᵀ · grad over A's stored (nonzero) entries only, as a sparse product adds them: an inf or NaN in grad meets
    no 0 of A (a dense product makes inf · 0 = NaN there)."""
    terms = a.unsqueeze(-1) * g.unsqueeze(-2)  # [i, k, j] = A[i, k] · grad[i, j]
    return torch.where((a != 0).unsqueeze(-1), terms, torch.zeros((), dtype=terms.dtype)).sum(0)


def _sparse_product(a: Sym, g: Expr) -> Expr:
    return Form(
        "{0}ᵀ · {1}",
        "{0}ᵀ · {1}",
        [a, g],
        _stored_product,
        prec=MUL,
        bound=lambda av, gv: av.T @ gv,
    )


def _sparse_gradient(ctx: Ctx) -> Expr:
    """mm_mat1_sparse_backward: α · (grad · Bᵀ) kept at A's nonzero entries only (a sparse gradient: not checked)."""

    def sparse(g, b):
        raise Missing("a sparse gradient", "희소(sparse) 그래디언트입니다")

    alpha = float(scalar(ctx, "alpha"))
    factor = "" if alpha == 1 else f"{Num(alpha).label} · "
    text = factor + "({0} · {1}ᵀ) at the nonzero entries of " + ctx.label(1, "A")
    text_ko = factor + "({0} · {1}ᵀ) (" + ctx.label(1, "A") + "의 0이 아닌 자리만)"
    return Form(text, text_ko, [ctx.grad, ctx.sym("mat2")], sparse)


add(
    Rule(
        "SparseAddmmBackward0",
        ("sparse matrix product", "희소 행렬 곱"),
        "{y} = {added}{alpha}({A} · {B})",
        (
            "∂L/∂{A} = {alpha}grad · {B}ᵀ at {A}'s nonzero entries, ∂L/∂{B} = {alpha}{A}ᵀ · grad",
            "∂L/∂{A} = {alpha}grad · {B}ᵀ ({A}의 0이 아닌 자리만), ∂L/∂{B} = {alpha}{A}ᵀ · grad",
        ),
        (
            "{A} is sparse (only its nonzero entries are stored), but the product works as any matrix product: "
            "{B} gets {A}ᵀ · grad, and {A} would get grad · {B}ᵀ kept at its nonzero entries (its gradient is sparse "
            "too).",
            "희소 행렬 {A}에는 0이 아닌 원소만 저장되어 있지만, 곱은 보통의 행렬 곱과 같습니다. {B}에는 {A}ᵀ · grad가 "
            "전달되고, {A}에는 grad · {B}ᵀ 중 자기의 0이 아닌 자리의 값만 전달됩니다(그래디언트도 희소 텐서입니다).",
        ),
        (
            Slot("self", "b", lambda c: back(c, 0, times(float(scalar(c, "beta")), c.grad))),
            Slot("mat1", "A", _sparse_gradient),
            Slot("mat2", "B", lambda c: times(float(scalar(c, "alpha")), _sparse_product(_sparse_left(c), c.grad))),
        ),
        params=lambda c: {**_scales(c), "added": _added(c)},
    ),
)


def _added(ctx: Ctx) -> str:
    """`β·b + ` of torch.sparse.addmm; nothing for torch.sparse.mm (β = 0: no tensor is added)."""
    beta = float(scalar(ctx, "beta"))
    return "" if beta == 0 else f"{_scales(ctx)['beta']}{ctx.label(0, 'b')} + "
