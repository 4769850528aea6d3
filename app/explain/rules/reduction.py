"""Reductions (derivatives.yaml: sum, mean, max/min with and without dim, amax/amin): the gradient of a sum is
copied to every entry summed, a mean's is also divided by N, a max's goes to the entry that won."""

import math
from dataclasses import replace

import torch
from torch import Tensor

from ..expr import NEG, Expr, Form, Mask, Num, Shown, Sym, call, numel, spread, zero_where
from ..rule import RULES, Ctx, Rule, Slot, add, signed


def sizes(ctx: Ctx) -> tuple[int, ...]:
    return tuple(int(s) for s in ctx.raw("self_sym_sizes"))


def dims(ctx: Ctx, rank: int) -> tuple[int, ...]:
    """The reduced axes, non-negative (an empty or missing `dim` means all of them; a 0-d tensor has none, whatever
    `dim` says: torch takes 0 and -1 there as the tensor itself)."""
    if rank == 0:
        return ()
    dim = ctx.saved.get("dim")
    if dim is None or (isinstance(dim, (tuple, list)) and len(dim) == 0):
        return tuple(range(rank))
    listed = dim if isinstance(dim, (tuple, list)) else (dim,)
    return tuple(sorted(signed(d) % max(rank, 1) for d in listed))


def restore(grad, shape: tuple[int, ...], axes: tuple[int, ...], keepdim: bool):
    """The reduced gradient with its reduced axes put back (size 1), ready to broadcast to `shape`."""
    grad = torch.as_tensor(grad, dtype=torch.float64)
    if not keepdim:
        for axis in axes:
            grad = grad.unsqueeze(axis)
    return grad


def kept(expr: Expr, shape: tuple[int, ...], axes: tuple[int, ...], keepdim: bool) -> Expr:
    """A reduced value (the gradient received, the output) with its reduced axes put back (size 1), written as
    itself; its numbers show it so (`[[1], [2]]` for `[1, 2]` summed along axis 1), so that they broadcast against
    the input as written. A value reduced to one number stays one number (it broadcasts as it is)."""
    if keepdim or not axes or len(axes) == len(shape):
        return expr
    return Form("{0}", "{0}", [expr], lambda v: restore(v, shape, axes, False), prec=expr.prec, evaluated=True)


def _copied(ctx: Ctx, count: bool = False) -> Expr:
    """The gradient copied to every entry summed (`count`: divided by N first, for a mean)."""
    shape = sizes(ctx)
    axes = dims(ctx, len(shape))
    grad = kept(ctx.grad, shape, axes, bool(ctx.saved.get("keepdim", False)))
    return spread(grad / Num(_count(ctx), "N") if count else grad, shape)


def _count(ctx: Ctx) -> int:
    shape = sizes(ctx)
    return math.prod(shape[a] for a in dims(ctx, len(shape))) if shape else 1


def _selected(ctx: Ctx, word: str) -> Expr:
    """max/min along a dim: the gradient goes to the entry `indices` names, 0 elsewhere."""
    shape = sizes(ctx)
    written = ctx.integer("dim")  # (as the code wrote it, as the words say it)
    axis = written % max(len(shape), 1)
    keepdim = bool(ctx.raw("keepdim"))
    indices = restore(ctx.tensor("indices"), shape, (axis,), keepdim).long()
    mask = torch.zeros(shape, dtype=torch.float64).scatter_(axis, indices, 1.0) if shape else torch.ones(())
    grad = Form(
        "{0}",
        "{0}",
        [kept(ctx.grad, shape, (axis,), keepdim)],
        lambda g: torch.zeros(shape, dtype=torch.float64).scatter_(axis, indices, g) if shape else g,
        prec=ctx.grad.prec,
    )
    times = " ⊙ " if numel(ctx.grad.value()) > 1 else " · "
    return Form(
        "{0}" + times + "{1}",
        "{0}" + times + "{1}",
        [grad, Sym(f"1[{word} along axis {written}]", mask, f"1[{written}번 축의 {word}]")],
        lambda g, m: g,
    )


def _evenly(ctx: Ctx, word: str) -> Expr:
    """max()/min() of everything: the gradient is shared evenly among the entries equal to the result (selected, as
    evenly_distribute_backward's masked_fill does on the CPU; amax, aminmax and nansum multiply by their masks)."""
    x, result = ctx.tensor("self"), ctx.tensor("result")
    mask = ((x == result) | (torch.isnan(x) & torch.isnan(result))).to(torch.float64)
    count = int(mask.sum().item())
    return spread(ctx.grad, tuple(x.shape)) * Mask(f"1[{ctx.label(0, 'x')} = {word}]", mask) / Num(count, "count")


def _amax(ctx: Ctx, word: str) -> Expr:
    """amax/amin: the gradient is shared evenly among the entries equal to the extreme of their slice."""
    x, result = ctx.tensor("self"), ctx.tensor("result")
    axes = dims(ctx, x.dim())
    keepdim = bool(ctx.raw("keepdim"))
    mask = (x == restore(result, tuple(x.shape), axes, keepdim)).to(torch.float64)
    counts = mask.sum(dim=axes, keepdim=True) if axes else mask
    share = Sym(f"1[{ctx.label(0, 'x')} = {word}] / count", mask / counts)
    return spread(kept(ctx.grad, tuple(x.shape), axes, keepdim), tuple(x.shape)) * share


def reduction(node, title, forward, local, words, grad, params=None) -> Rule:
    return Rule(node, title, forward, local, words, (Slot("self", "x", grad),), params=params)


SUM_WORDS = (
    "Every entry of {x} was added to {y} as it is (times 1), so each gets a copy of the gradient {y} received.",
    "{x}의 모든 원소가 그대로(1배로) {y}에 더해졌으므로, 각 원소는 {y}에 들어온 그래디언트를 그대로 복사해 받습니다.",
)
MEAN_WORDS = (
    "Every entry of {x} counts 1/N in {y} (N = {N}), so each gets the gradient divided by N.",
    "{x}의 각 원소는 {y}에 1/N만큼(N = {N}) 기여하므로, 각 원소는 그래디언트를 N으로 나눈 값을 받습니다.",
)
add(
    reduction("SumBackward0", ("sum of all entries", "전체 합"), "{y} = Σ {x}", "∂{y}/∂{x}ᵢ = 1", SUM_WORDS, _copied),
    reduction(
        "SumBackward1",
        ("sum along axes", "축 방향 합"),
        ("{y} = Σ {x} along axis {dim}", "{y} = Σ {x} ({dim}번 축 방향)"),
        "∂{y}/∂{x}ᵢ = 1",
        SUM_WORDS,
        _copied,
        params=lambda c: {"dim": ", ".join(map(str, dims(c, len(sizes(c)))))},
    ),
    reduction(
        "MeanBackward0",
        ("mean of all entries", "전체 평균"),
        "{y} = (1/N) Σ {x}",
        "∂{y}/∂{x}ᵢ = 1/N",
        MEAN_WORDS,
        lambda c: _copied(c, count=True),
        params=lambda c: {"N": _count(c)},
    ),
    reduction(
        "MeanBackward1",
        ("mean along axes", "축 방향 평균"),
        ("{y} = (1/N) Σ {x} along axis {dim}", "{y} = (1/N) Σ {x} ({dim}번 축 방향)"),
        "∂{y}/∂{x}ᵢ = 1/N",
        MEAN_WORDS,
        lambda c: _copied(c, count=True),
        params=lambda c: {"N": _count(c), "dim": ", ".join(map(str, dims(c, len(sizes(c)))))},
    ),
    reduction(
        "MaxBackward0",
        ("maximum along an axis", "축 방향 최댓값"),
        ("{y} = max({x}) along axis {dim}", "{y} = max({x}) ({dim}번 축 방향)"),
        ("∂{y}/∂{x}ᵢ = 1 for the largest entry, else 0", "∂{y}/∂{x}ᵢ = 최댓값인 원소는 1, 나머지는 0"),
        (
            "Only the entry that was the maximum (its index was saved) gets the gradient; the others get 0. With a "
            "tie, only the first of the tied entries (the index max() returned) gets it; max(x) with no axis "
            "shares it among the ties instead.",
            "최댓값이었던 원소(저장된 인덱스)만 그래디언트를 받고, 나머지는 0을 받습니다. "
            "최댓값인 원소가 여러 개면 max()의 결과 인덱스가 가리키는 첫 번째 원소만 받습니다. "
            "축을 정하지 않은 max(x)가 같은 값들에 그래디언트를 똑같이 나눠 주는 것과 다릅니다.",
        ),
        lambda c: _selected(c, "argmax"),
        params=lambda c: {"dim": c.raw("dim")},
    ),
    reduction(
        "MinBackward0",
        ("minimum along an axis", "축 방향 최솟값"),
        ("{y} = min({x}) along axis {dim}", "{y} = min({x}) ({dim}번 축 방향)"),
        ("∂{y}/∂{x}ᵢ = 1 for the smallest entry, else 0", "∂{y}/∂{x}ᵢ = 최솟값인 원소는 1, 나머지는 0"),
        (
            "Only the entry that was the minimum (its index was saved) gets the gradient; the others get 0. With a "
            "tie, only the first of the tied entries (the index min() returned) gets it; min(x) with no axis "
            "shares it among the ties instead.",
            "최솟값이었던 원소(저장된 인덱스)만 그래디언트를 받고, 나머지는 0을 받습니다. "
            "최솟값인 원소가 여러 개면 min()의 결과 인덱스가 가리키는 첫 번째 원소만 받습니다. "
            "축을 정하지 않은 min(x)가 같은 값들에 그래디언트를 똑같이 나눠 주는 것과 다릅니다.",
        ),
        lambda c: _selected(c, "argmin"),
        params=lambda c: {"dim": c.raw("dim")},
    ),
    reduction(
        "MaxBackward1",
        ("maximum of all entries", "전체 최댓값"),
        "{y} = max({x})",
        ("∂{y}/∂{x}ᵢ = 1/count where {x}ᵢ = {y}, else 0", "∂{y}/∂{x}ᵢ = {x}ᵢ = {y}인 자리는 1/count, 나머지는 0"),
        (
            "The entries equal to the maximum share the gradient evenly; the others get 0.",
            "최댓값과 같은 원소들이 그래디언트를 똑같이 나눠 받고, 나머지는 0을 받습니다.",
        ),
        lambda c: _evenly(c, "max"),
    ),
    reduction(
        "MinBackward1",
        ("minimum of all entries", "전체 최솟값"),
        "{y} = min({x})",
        ("∂{y}/∂{x}ᵢ = 1/count where {x}ᵢ = {y}, else 0", "∂{y}/∂{x}ᵢ = {x}ᵢ = {y}인 자리는 1/count, 나머지는 0"),
        (
            "The entries equal to the minimum share the gradient evenly; the others get 0.",
            "최솟값과 같은 원소들이 그래디언트를 똑같이 나눠 받고, 나머지는 0을 받습니다.",
        ),
        lambda c: _evenly(c, "min"),
    ),
    reduction(
        "AmaxBackward0",
        ("maximum along axes", "축 방향 최댓값"),
        "{y} = amax({x})",
        (
            "∂{y}/∂{x}ᵢ = 1/count where {x}ᵢ is the maximum of its slice",
            "∂{y}/∂{x}ᵢ = {x}ᵢ가 자기 구간의 최댓값인 자리는 1/count",
        ),
        (
            "The entries equal to their slice's maximum share its gradient evenly.",
            "각 구간의 최댓값과 같은 원소들이 그 구간의 그래디언트를 똑같이 나눠 받습니다.",
        ),
        lambda c: _amax(c, "max"),
    ),
    reduction(
        "AminBackward0",
        ("minimum along axes", "축 방향 최솟값"),
        "{y} = amin({x})",
        (
            "∂{y}/∂{x}ᵢ = 1/count where {x}ᵢ is the minimum of its slice",
            "∂{y}/∂{x}ᵢ = {x}ᵢ가 자기 구간의 최솟값인 자리는 1/count",
        ),
        (
            "The entries equal to their slice's minimum share its gradient evenly.",
            "각 구간의 최솟값과 같은 원소들이 그 구간의 그래디언트를 똑같이 나눠 받습니다.",
        ),
        lambda c: _amax(c, "min"),
    ),
)


def _cumsum(ctx: Ctx) -> Expr:
    """cumsum (derivatives.yaml: cumsum_backward): entry i was added into every output j ≥ i, so it gets the sum of
    their gradients: a cumulative sum taken from the end."""
    dim = signed(ctx.raw("dim"))
    text = f"revcumsum({{0}}, {dim})"
    return Form(text, text, [ctx.grad], lambda g: g.flip(dim).cumsum(dim).flip(dim))


def _order(ctx: Ctx) -> float:
    """The norm's order: linalg_vector_norm's `ord`, aten::norm's `p` (None: 2)."""
    if "ord" in ctx.saved:
        return float(ctx.raw("ord"))
    p = ctx.raw("p")
    return 2.0 if p is None else float(p)


def _vector_norm(ctx: Ctx) -> Expr:
    """linalg_vector_norm (derivatives.yaml: linalg_vector_norm_backward): for order p, grad · sign(x)·|x|^(p-1) /
    ‖x‖^(p-1) (p = 2: grad · x / ‖x‖), 0 where the norm is 0."""
    x, norm = ctx.sym("self"), ctx.tensor("result")
    p = _order(ctx)
    shape = tuple(x.value().shape)
    axes = dims(ctx, len(shape))
    keepdim = bool(ctx.saved.get("keepdim", False))
    grad = kept(ctx.grad, shape, axes, keepdim)
    label = f"‖{x.text('en')}‖" if p == 2 else f"‖{x.text('en')}‖_{Num(p).label}"
    norm_sym = kept(Sym(label, norm), shape, axes, keepdim)
    norm = restore(norm, shape, axes, keepdim)

    if math.isinf(p) or p == 0:
        return _extreme_norm(ctx, x, grad, norm, p, shape, axes)

    def share(g, v, _norm):
        if p == 2:
            out = v * g / norm
        elif p == 1:
            out = torch.sign(v) * g
        else:  # (|x|^(p-1) taken as 0 where x = 0, as PyTorch does for p < 1)
            scaled = torch.where(v == 0, torch.zeros_like(v), torch.sign(v) * v.abs().pow(p - 1))
            out = scaled * g / norm.pow(p - 1)
        return torch.where(norm == 0, torch.zeros_like(out), out).expand(shape)

    times = " ⊙ " if numel(grad.value()) > 1 else " · "
    if p == 2:
        en = "{0}" + times + "{1} / {2}"
    elif p == 1:
        en = "{0}" + times + "sign({1})"
    else:
        exponent = Num(p - 1).label
        en = f"{{0}}{times}sign({{1}})·|{{1}}|^{exponent} / {{2}}^{exponent}"

    def plain(g, v, _norm):  # (the formula as written; PyTorch's 0 where the norm is 0 comes from zero_where)
        if p == 1:
            return (torch.sign(v) * g).expand(shape)
        if p == 2:
            return (v * g / norm).expand(shape)
        scaled = torch.where(v == 0, torch.zeros_like(v), torch.sign(v) * v.abs().pow(p - 1))
        return (scaled * g / norm.pow(p - 1)).expand(shape)

    zero = (norm == 0).expand(shape) if p != 1 else torch.zeros(shape, dtype=torch.bool)
    # (norm_backward multiplies the incoming gradient by the 0 for p = 2 and p < 1, `grad * (x / norm).masked_fill_(norm
    # == 0, 0)`, so a NaN gradient there stays NaN; for the other orders it fills grad / norm^(p-1) itself with 0)
    multiplied = torch.as_tensor(grad.value(), dtype=torch.float64).expand(shape) if p == 2 or p < 1 else None
    whole = Form(
        en,
        en,
        [grad, x, norm_sym],
        share if not bool(zero.any()) else plain,
        bound=lambda g, v, _norm: v * g / torch.where(norm == 0, 1, norm) if p == 2 else g,
    )
    return zero_where(whole, zero, f"{label} = 0", f"{label} = 0", multiplied)


def _extreme_norm(ctx: Ctx, x: Expr, grad: Expr, norm: torch.Tensor, p: float, shape, axes) -> Expr:
    """Order ±∞: ‖x‖ = max (min) |xᵢ|, so the gradient goes to the entries whose |x| is that, with their signs, shared
    evenly when several tie (and to NaN entries, as PyTorch's mask takes them). Order 0 counts the nonzero entries: a
    step function, PyTorch sends nothing (an undefined gradient, 0)."""
    if p == 0:
        return Form("0", "0", [grad], lambda g: torch.zeros(shape, dtype=torch.float64))
    v = x.value()
    mask = ((v.abs() == norm) | torch.isnan(v.abs())).to(torch.float64)
    count = mask.sum(axes, keepdim=True) if axes else mask
    word, word_ko = ("max", "최댓값") if p > 0 else ("min", "최솟값")
    name = x.text("en")
    picked = Sym(f"1[|{name}| = {word}] / count", mask / count, f"1[|{name}| = {word_ko}] / count")
    sign = call("sign", x, torch.sign)
    times = " ⊙ " if numel(grad.value()) > 1 else " · "
    en = "{0}" + times + "{1} ⊙ {2}"
    return Form(en, en, [grad, sign, picked], lambda g, s, m: (g * s * m).expand(shape))


add(
    Rule(
        "CumsumBackward0",
        ("cumulative sum", "누적 합"),
        "{y} = cumsum({x}, {dim})",
        ("∂{y}ⱼ/∂{x}ᵢ = 1 for j ≥ i", "∂{y}ⱼ/∂{x}ᵢ = 1 (j ≥ i일 때)"),
        (
            "Each entry of {x} was added into its own output and every later one along axis {dim}, so it gets the "
            "sum of their gradients: the gradient summed from the end (revcumsum).",
            "{x}의 각 원소는 {dim}번 축을 따라 자기 자리와 그 뒤의 모든 출력에 더해졌으므로, 그 출력들의 그래디언트를 "
            "모두 더한 값, 즉 끝에서부터 누적한 합(revcumsum)을 받습니다.",
        ),
        (Slot("self", "x", _cumsum),),
        params=lambda c: {"dim": signed(c.raw("dim"))},
    ),
    Rule(
        "LinalgVectorNormBackward0",
        ("vector norm", "벡터 노름"),
        ("{y} = ‖{x}‖ (order {p})", "{y} = ‖{x}‖ ({p}-노름)"),
        "∂{y}/∂{x} = sign({x})·|{x}|^(p-1) / {y}^(p-1) (p = 2: {x} / {y})",
        (
            "A norm grows in the direction of {x} itself: for order 2 each entry gets grad · {x} / ‖{x}‖ (0 where "
            "the norm is 0). Order ∞ (-∞) is the largest (smallest) |{x}|: only the entries at that value get grad, "
            "with their signs, shared evenly when tied. Order 0 counts the nonzero entries: a step, 0 everywhere.",
            "노름은 {x} 자신의 방향으로 커집니다. 2-노름이면 각 원소는 grad · {x} / ‖{x}‖를 받습니다"
            "(노름이 0인 곳은 0). ∞-노름(-∞-노름)은 |{x}|의 최댓값(최솟값)이므로 그 값을 가진 원소만 부호를 붙인 "
            "grad를 받고, 여럿이면 똑같이 나눠 받습니다. 0-노름은 0이 아닌 원소의 개수라서 계단 함수이고, "
            "그래디언트는 어디서나 0입니다.",
        ),
        (Slot("self", "x", _vector_norm),),
        params=lambda c: {"p": Num(_order(c)).label},
    ),
)
# aten::norm called directly (torch.norm and Tensor.norm go to linalg_vector_norm): derivatives.yaml gives it the
# same norm_backward, with the order saved as `p` (NormBackward2, 3: the overloads with a dtype, torch._VF.norm(x, p,
# dtype=...), the input converted to the gradient's dtype first)
add(
    *(
        replace(RULES["LinalgVectorNormBackward0"], node=f"NormBackward{index}")
        for index in (0, 1, 2, 3)  # (Scalar, ScalarOpt_dim, ScalarOpt_dtype, ScalarOpt_dim_dtype)
    )
)


# -- products, spreads, log-sum-exp ------------------------------------------------------------------------------


def _keepdim(ctx: Ctx) -> bool:
    return bool(ctx.saved.get("keepdim", False))


def restored(ctx: Ctx, expr: Expr, shape: tuple[int, ...], axes: tuple[int, ...]) -> Expr:
    """A reduced value (the gradient received, the output) with its reduced axes put back, written as itself."""
    return kept(expr, shape, axes, _keepdim(ctx))


def others_product(x: torch.Tensor, dim: int) -> torch.Tensor:
    """Each entry's product of the other entries along `dim` (the products before it times those after it: no
    division, so a zero entry gives its neighbours 0 and itself the product of the rest)."""
    n = x.shape[dim]
    if n == 0:
        return torch.ones_like(x)
    ones = torch.ones_like(x.narrow(dim, 0, 1))
    before = torch.cat([ones, x.narrow(dim, 0, n - 1)], dim).cumprod(dim)
    after = torch.cat([x.narrow(dim, 1, n - 1), ones], dim).flip(dim).cumprod(dim).flip(dim)
    return before * after


def _prod(ctx: Ctx) -> Expr:
    """prod (derivatives.yaml: prod_backward): each entry gets grad times the product of the other entries (grad · y/x
    where x ≠ 0; with zeros, written without the division, as prod_safe_zeros_backward computes it)."""
    x = ctx.tensor("self")
    shape = tuple(x.shape)
    if "dim" in ctx.saved:
        axes = dims(ctx, len(shape))
        others = others_product(x, axes[0]) if shape else torch.ones_like(x)
        grad = restored(ctx, ctx.grad, shape, axes)
    else:
        others = others_product(x.reshape(-1), 0).reshape(shape)
        grad = spread(ctx.grad, shape)
    name = ctx.label(0, "x")
    return grad * Sym(f"Π[j≠i] {name}ⱼ", others)


def _revcumsum(v: Tensor, d: int) -> Tensor:
    return v.flip(d).cumsum(d).flip(d)


def _cumprod_as_torch(g: Tensor, x: Tensor, y: Tensor, d: int) -> Tensor:
    """ATen's cumprod_backward (FunctionsManual.cpp, outside grad mode): revcumsum(grad ⊙ y) / x when x has no 0;
    else, along each slice, that sum over the entries before its first 0 (z), y[z - 1] · Σ[z≤j<z′] gradⱼ ·
    Π[z<k≤j] xₖ at z (z′ the next 0), and 0 after it. Equal to the product of the others wherever all is finite; an
    inf or NaN lands where torch's lands only this way (inf / inf is NaN, the division's, not the product's)."""
    w = y * g
    zero = x == 0
    if not bool(zero.any()):
        return _revcumsum(w, d) / x
    zeros_before = zero.long().cumsum(d)
    before = zeros_before == 0
    out = torch.where(before, _revcumsum(w.masked_fill(~before, 0.0), d) / x, torch.zeros_like(x))
    first_span = zeros_before == 1
    first = first_span.long().argmax(d, keepdim=True)  # (the first 0 of each slice; 0 where it has none)
    at_first = torch.zeros_like(first_span).scatter_(d, first, True) & first_span
    between = first_span & ~at_first
    later = (x.masked_fill(~between, 1.0).cumprod(d) * g.masked_fill(~first_span, 0.0)).sum(d, keepdim=True)
    earlier = y.gather(d, (first - 1).clamp(min=0)).masked_fill(first == 0, 1.0)
    return torch.where(at_first, later * earlier, out)


CUMPROD_AS_TORCH = (
    "(i < z: Σ[i≤j<z] {0}ⱼ·{1}ⱼ / {2}ᵢ; i = z: {1}[z-1] · Σ[z≤j<z′] {0}ⱼ · Π[z<k≤j] {2}ₖ; i > z: 0), z, z′: the first "
    "two zeros of {2}",
    "(i < z: Σ[i≤j<z] {0}ⱼ·{1}ⱼ / {2}ᵢ, i = z: {1}[z-1] · Σ[z≤j<z′] {0}ⱼ · Π[z<k≤j] {2}ₖ, i > z: 0), z와 z′은 {2}의 "
    "첫 번째와 두 번째 0의 자리",
)


def _cumprod(ctx: Ctx) -> Expr:
    """cumprod (derivatives.yaml: cumprod_backward): x_i is a factor of every output j ≥ i, whose derivative by it is
    the product of the other factors: grad_x_i = Σ_(j≥i) grad_j · Π_(k≤j, k≠i) x_k (no division: zeros are fine).
    With an inf or NaN among the values, the formula is the one PyTorch computes (`_cumprod_as_torch`), whose inf and
    NaN are where torch's are."""
    x = ctx.sym("self")
    dim = ctx.integer("dim")

    def grad(g, v):
        d = dim % max(v.dim(), 1)
        if v.dim() == 0:
            return g
        n, out = v.shape[d], torch.zeros_like(v)
        for i in range(n):
            factors = v.clone()
            factors.select(d, i).fill_(1.0)  # (x_i's own factor taken out)
            later = (g * factors.cumprod(d)).narrow(d, i, n - i).sum(d)
            out.select(d, i).copy_(later)
        return out

    xv, gv = x.value(), ctx.grad.value()
    finite = bool(torch.isfinite(xv).all()) and bool(torch.isfinite(torch.as_tensor(gv)).all())
    if finite or xv.dim() == 0 or xv.shape[dim % xv.dim()] == 1 or not ctx.has("result"):
        text = "Σ[j≥i] {0}ⱼ · Π[k≤j, k≠i] {1}ₖ"
        return Form(text, text, [ctx.grad, x], grad, bound=grad)
    d = dim % xv.dim()
    y = Sym(ctx.output_label(), ctx.tensor("result"))
    if not bool((xv == 0).any()):
        text = "revcumsum({0} ⊙ {1}) / {2}"
        return Form(text, text, [ctx.grad, y, x], lambda g, yv, v: _revcumsum(g * yv, d) / v)
    en, ko = CUMPROD_AS_TORCH
    return Form(en, ko, [ctx.grad, y, x], lambda g, yv, v: _cumprod_as_torch(g, v, yv, d))


def _spread_terms(ctx: Ctx) -> tuple[Expr, Expr, Expr, int, float]:
    """var and std: (the gradient received, broadcast back; x; its mean over the reduced axes; N; the correction)."""
    x = ctx.sym("self")
    shape = tuple(x.value().shape)
    axes = dims(ctx, len(shape))
    count = math.prod(shape[a] for a in axes) if shape else 1
    correction = ctx.saved.get("correction")
    correction = 1.0 if correction is None else float(correction)
    mean = Sym("mean", x.value().mean(axes, keepdim=True) if shape else x.value())
    return restored(ctx, ctx.grad, shape, axes), x, mean, count, correction


def _divisor(count: int, correction: float) -> Num:
    value = count - correction
    return Num(int(value) if value == int(value) else value, "(N - c)")


def _var(ctx: Ctx) -> Expr:
    """var (derivatives.yaml: var_backward): grad · 2·(x - mean)/(N - c)."""
    grad, x, mean, count, correction = _spread_terms(ctx)
    return Num(2) * grad * (x - mean) / _divisor(count, correction)


def _std(ctx: Ctx) -> Expr:
    """std (derivatives.yaml: std_backward): var's gradient times ∂√v/∂v = 1/(2·std): grad · (x - mean)/((N - c)·y),
    0 where the std is 0 (PyTorch's masked_fill)."""
    grad, x, mean, count, correction = _spread_terms(ctx)
    shape, axes = tuple(x.value().shape), dims(ctx, x.value().dim())
    y = restored(ctx, ctx.sym("result"), shape, axes)
    whole = grad * (x - mean) / (_divisor(count, correction) * y)
    zero = torch.broadcast_to(y.value() == 0, whole.value().shape)
    return zero_where(whole, zero, f"{ctx.output_label()} = 0", f"{ctx.output_label()} = 0")


def _logsumexp(ctx: Ctx) -> Expr:
    """logsumexp (derivatives.yaml: logsumexp_backward): grad · exp(x - y), the softmax of x along the axes."""
    x = ctx.sym("self")
    shape = tuple(x.value().shape)
    axes = dims(ctx, len(shape))
    y = restored(ctx, ctx.sym("result"), shape, axes)
    softmax = Form("exp({0} - {1})", "exp({0} - {1})", [x, y], lambda a, b: torch.exp(a - b))
    return restored(ctx, ctx.grad, shape, axes) * softmax


def _axes_param(ctx: Ctx) -> dict:
    shape = tuple(ctx.tensor("self").shape)
    return {"dim": ", ".join(map(str, dims(ctx, len(shape))))}


def _spread_params(ctx: Ctx) -> dict:
    shape = tuple(ctx.tensor("self").shape)
    axes = dims(ctx, len(shape))
    correction = ctx.saved.get("correction")
    correction = 1.0 if correction is None else float(correction)
    return {"dim": ", ".join(map(str, axes)), "N": math.prod(shape[a] for a in axes), "c": Num(correction).label}


PROD_WORDS = (
    "{y} is the product of the entries of {x}, so the derivative by one entry is the product of all the others: "
    "each entry gets grad times the product of the other entries (= grad · {y}/{x} where {x} is not 0; with a zero "
    "among them, only the zero gets a nonzero gradient, and with two zeros every entry gets 0).",
    "출력 {y}의 값은 {x}의 원소들을 모두 곱한 것이므로, 한 원소로 미분하면 나머지 원소들의 곱이 남습니다. 그래서 각 "
    "원소는 grad에 다른 원소들의 곱을 곱한 값을 받습니다({x}의 원소가 0이 아닌 곳에서는 grad · {y}/{x}와 같습니다. 0이 "
    "하나 있으면 그 0인 원소만 0이 아닌 그래디언트를 받고, 0이 둘 이상이면 모든 원소가 0을 받습니다).",
)
SPREAD_NOTE = (
    "mean is the mean over axis {dim}, N = {N} the number of entries averaged and c = {c} the correction "
    "(c = 1: Bessel's, the default).",
    "mean은 {dim}번 축 방향의 평균이고, N(= {N})은 평균 낸 원소 수, c(= {c})는 보정값입니다(기본값 c = 1은 베셀 보정).",
)
add(
    reduction(
        "ProdBackward0",
        ("product of all entries", "전체 곱"),
        "{y} = Π {x}",
        "∂{y}/∂{x}ᵢ = Π[j≠i] {x}ⱼ",
        PROD_WORDS,
        _prod,
    ),
    reduction(
        "ProdBackward1",
        ("product along an axis", "축 방향 곱"),
        ("{y} = Π {x} along axis {dim}", "{y} = Π {x} ({dim}번 축 방향)"),
        (
            "∂{y}/∂{x}ᵢ = Π[j≠i] {x}ⱼ (the other entries of its slice)",
            "∂{y}/∂{x}ᵢ = Π[j≠i] {x}ⱼ (같은 구간의 나머지 원소)",
        ),
        PROD_WORDS,
        _prod,
        params=_axes_param,
    ),
    Rule(
        "CumprodBackward0",
        ("cumulative product", "누적 곱"),
        "{y} = cumprod({x}, {dim})",
        ("∂{y}ⱼ/∂{x}ᵢ = Π[k≤j, k≠i] {x}ₖ for j ≥ i", "∂{y}ⱼ/∂{x}ᵢ = Π[k≤j, k≠i] {x}ₖ (j ≥ i일 때)"),
        (
            "Each entry of {x} is a factor of its own output and of every later one along axis {dim}; the derivative "
            "of such an output by it is the product of the other factors, so it gets Σ over those outputs of grad "
            "times that product (= revcumsum(grad ⊙ {y})/{x} where {x} is not 0; written without the division, "
            "zeros are fine).",
            "{x}의 각 원소는 {dim}번 축을 따라 자기 자리와 그 뒤의 모든 출력에 곱해진 인수입니다. "
            "그런 출력을 이 원소로 미분하면 다른 인수들의 곱이 남으므로, 각 원소는 그 출력들마다 grad에 그 곱을 곱해 "
            "모두 더한 값을 받습니다"
            "({x}의 원소가 0이 아닌 곳에서는 revcumsum(grad ⊙ {y})/{x}와 같고, 나눗셈 없이 계산하므로 0이 있어도 "
            "됩니다).",
        ),
        (Slot("self", "x", _cumprod),),
        params=lambda c: {"dim": c.integer("dim")},
    ),
    reduction(
        "VarBackward0",
        ("variance", "분산"),
        ("{y} = Σ ({x} - mean)² / (N - c) along axis {dim}", "{y} = Σ ({x} - mean)² / (N - c) ({dim}번 축 방향)"),
        "∂{y}/∂{x}ᵢ = 2·({x}ᵢ - mean)/(N - c)",
        (
            "Each entry of {x} moves the variance by 2·({x} - mean)/(N - c): the mean's own change cancels, because "
            "the deviations sum to 0. " + SPREAD_NOTE[0],
            "{x}의 각 원소는 분산을 2·({x} - mean)/(N - c)만큼 바꿉니다. 편차의 합이 0이므로 평균이 바뀌는 효과는 "
            "상쇄됩니다. " + SPREAD_NOTE[1],
        ),
        _var,
        params=_spread_params,
    ),
    reduction(
        "StdBackward0",
        ("standard deviation", "표준편차"),
        (
            "{y} = √(Σ ({x} - mean)² / (N - c)) along axis {dim}",
            "{y} = √(Σ ({x} - mean)² / (N - c)) ({dim}번 축 방향)",
        ),
        "∂{y}/∂{x}ᵢ = ({x}ᵢ - mean)/((N - c)·{y})",
        (
            "The standard deviation is the square root of the variance, so the variance's gradient 2·({x} - mean)/"
            "(N - c) is multiplied by 1/(2·{y}); where {y} = 0 PyTorch sends 0. " + SPREAD_NOTE[0],
            "표준편차는 분산의 제곱근이므로, 분산의 그래디언트 2·({x} - mean)/(N - c)에 1/(2·{y})의 값을 곱합니다. "
            "{y} = 0인 곳에는 PyTorch가 0을 보냅니다. " + SPREAD_NOTE[1],
        ),
        _std,
        params=_spread_params,
    ),
    reduction(
        "LogsumexpBackward0",
        ("log-sum-exp", "로그-합-지수(logsumexp)"),
        ("{y} = ln Σ exp({x}) along axis {dim}", "{y} = ln Σ exp({x}) ({dim}번 축 방향)"),
        "∂{y}/∂{x}ᵢ = exp({x}ᵢ - {y}) = softmax({x})ᵢ",
        (
            "The derivative of ln Σ exp by one entry is its exp over the sum: the softmax of {x} along the axis, "
            "exp({x} - {y}). Each entry gets grad times its softmax weight.",
            "ln Σ exp를 한 원소로 미분하면 그 원소의 exp를 합으로 나눈 값, 즉 축 방향 {x}의 소프트맥스 "
            "exp({x} - {y})의 값이 됩니다. 각 원소는 grad에 자기 소프트맥스 가중치를 곱한 값을 받습니다.",
        ),
        _logsumexp,
        params=_axes_param,
    ),
)


# -- kthvalue, median, nanmedian, cummax/cummin, logcumsumexp ------------------------------------------------------


def _cumulative_pick(ctx: Ctx) -> Expr:
    """cummax/cummin (derivatives.yaml: cummaxmin_backward): output j is the entry `indices[j]` of {x}, so grad is
    added back there (an entry that stayed the running max for several outputs gets the sum)."""
    x = ctx.tensor("self")
    dim = ctx.integer("dim")
    indices = ctx.tensor("indices").long()

    def fill(g):
        if x.dim() == 0:
            return g.reshape(())
        return torch.zeros(x.shape, dtype=torch.float64).scatter_add_(dim, indices, g)

    return Form(
        f"{{0}} added back at the saved indices along axis {dim}",  # (the axis as the code wrote it, as the words)
        f"{{0}} ({dim}번 축에서 저장된 인덱스 자리에 더함)",
        [ctx.grad, Shown("indices", indices)],
        lambda g, _indices: fill(g),
        nums="{0} → index {1}",
        bound=lambda g, _indices: fill(g),
    )


def _logcumsumexp(ctx: Ctx) -> Expr:
    """logcumsumexp (derivatives.yaml: logcumsumexp_backward): yⱼ = log Σ[i≤j] exp(xᵢ), so ∂yⱼ/∂xᵢ = exp(xᵢ - yⱼ)
    for j ≥ i and grad_xᵢ = Σ[j≥i] gradⱼ · exp(xᵢ - yⱼ) (each factor ≤ 1: computed pairwise, no overflow)."""
    x, y = ctx.sym("self"), ctx.sym("result")
    dim = ctx.integer("dim")

    def back(g, xv, yv):
        if xv.dim() == 0:
            return g * torch.exp(xv - yv)
        g, xv, yv = (t.movedim(dim, -1) for t in (g, xv, yv))
        n = xv.shape[-1]
        later = torch.ones(n, n, dtype=torch.bool).triu()  # [i, j]: j ≥ i
        weights = torch.exp(xv.unsqueeze(-1) - yv.unsqueeze(-2))
        # (logcumsumexp_backward splits grad into its positive and negative entries, taken in log space: a NaN entry
        # is neither and adds nothing, and an infinite one reaches only the entries i ≤ j)
        g = torch.nan_to_num(g, nan=0.0, posinf=math.inf, neginf=-math.inf)
        return torch.where(later, weights * g.unsqueeze(-2), 0.0).sum(-1).movedim(-1, dim)

    return Form(
        "Σ[j≥i] {0}ⱼ · exp({1}ᵢ - {2}ⱼ)",
        "Σ[j≥i] {0}ⱼ · exp({1}ᵢ - {2}ⱼ)",
        [ctx.grad, x, y],
        back,
        nums="Σ[j≥i] {0}ⱼ · exp({1}ᵢ - {2}ⱼ)",
        prec=NEG,
        bound=lambda g, xv, yv: g.abs().sum() if isinstance(g, torch.Tensor) else g,
    )


PICKED_WORDS = (
    "The output is one entry of {x} along axis {dim} (its index was saved): that entry gets the gradient, the "
    "others get 0.",
    "출력은 {dim}번 축에서 {x}의 원소 하나를 고른 것이므로(그 인덱스가 저장됨), 그 원소만 그래디언트를 받고 나머지는 "
    "0을 받습니다.",
)
add(
    reduction(
        "KthvalueBackward0",
        ("k-th smallest value along an axis", "축 방향 k번째로 작은 값"),
        ("{y} = kthvalue({x}, k) along axis {dim}", "{y} = kthvalue({x}, k) ({dim}번 축 방향)"),
        ("∂{y}/∂{x}ᵢ = 1 for the entry chosen, else 0", "∂{y}/∂{x}ᵢ = 고른 원소는 1, 나머지는 0"),
        PICKED_WORDS,
        lambda c: _selected(c, "kthvalue"),
        params=lambda c: {"dim": c.integer("dim")},
    ),
    reduction(
        "ModeBackward0",
        ("most frequent value along an axis", "축 방향 최빈값"),
        ("{y} = mode({x}) along axis {dim}", "{y} = mode({x}) ({dim}번 축 방향)"),
        ("∂{y}/∂{x}ᵢ = 1 for the entry chosen, else 0", "∂{y}/∂{x}ᵢ = 고른 원소는 1, 나머지는 0"),
        PICKED_WORDS,
        lambda c: _selected(c, "mode"),
        params=lambda c: {"dim": c.integer("dim")},
    ),
    *(
        reduction(
            node,
            ("median along an axis", "축 방향 중앙값"),
            (f"{{y}} = {op}({{x}}) along axis {{dim}}", f"{{y}} = {op}({{x}}) ({{dim}}번 축 방향)"),
            ("∂{y}/∂{x}ᵢ = 1 for the median entry, else 0", "∂{y}/∂{x}ᵢ = 중앙값인 원소는 1, 나머지는 0"),
            PICKED_WORDS,
            lambda c: _selected(c, "median"),
            params=lambda c: {"dim": c.integer("dim")},
        )
        for node, op in (("MedianBackward1", "median"), ("NanmedianBackward1", "nanmedian"))
    ),
    *(
        reduction(
            node,
            ("median of all entries", "전체 중앙값"),
            f"{{y}} = {op}({{x}})",
            ("∂{y}/∂{x}ᵢ = 1/count where {x}ᵢ = {y}, else 0", "∂{y}/∂{x}ᵢ = {x}ᵢ = {y}인 자리는 1/count, 나머지는 0"),
            (
                "The entries equal to the median share the gradient evenly; the others get 0.",
                "중앙값과 같은 원소들이 그래디언트를 똑같이 나눠 받고, 나머지는 0을 받습니다.",
            ),
            lambda c: _evenly(c, "median"),
        )
        for node, op in (("MedianBackward0", "median"), ("NanmedianBackward0", "nanmedian"))
    ),
    *(
        Rule(
            node,
            (f"running {word} (cum{word})", f"누적 {word_ko}(cum{word})"),
            (
                f"{{y}}ⱼ = {word}({{x}}₀, …, {{x}}ⱼ) along axis {{dim}}",
                f"{{y}}ⱼ = {word}({{x}}₀, …, {{x}}ⱼ) ({{dim}}번 축 방향)",
            ),
            (
                f"∂{{y}}ⱼ/∂{{x}}ᵢ = 1 if {{x}}ᵢ is the running {word} at j, else 0",
                f"∂{{y}}ⱼ/∂{{x}}ᵢ = j까지의 누적 {word_ko}이 {{x}}ᵢ이면 1, 아니면 0",
            ),
            (
                f"Each output is the {word} so far, one entry of {{x}} (its index was saved): that entry gets the "
                f"output's gradient, summed over every output it was the {word} for; the others get 0.",
                f"각 출력은 그때까지의 {word_ko}, 즉 {{x}}의 원소 하나이므로(그 인덱스가 저장됨), 그 원소가 그 출력의 "
                f"그래디언트를 받습니다. 여러 출력에서 {word_ko}이었던 원소는 그 그래디언트를 모두 더해 받고, 나머지는 "
                "0을 받습니다.",
            ),
            (Slot("self", "x", _cumulative_pick),),
            params=lambda c: {"dim": c.integer("dim")},
        )
        for node, word, word_ko in (("CummaxBackward0", "max", "최댓값"), ("CumminBackward0", "min", "최솟값"))
    ),
    Rule(
        "LogcumsumexpBackward0",
        ("running log-sum-exp", "누적 로그-합-지수(logcumsumexp)"),
        ("{y}ⱼ = log Σ[i≤j] exp({x}ᵢ) along axis {dim}", "{y}ⱼ = log Σ[i≤j] exp({x}ᵢ) ({dim}번 축 방향)"),
        ("∂{y}ⱼ/∂{x}ᵢ = exp({x}ᵢ - {y}ⱼ) for j ≥ i", "∂{y}ⱼ/∂{x}ᵢ = exp({x}ᵢ - {y}ⱼ) (j ≥ i일 때)"),
        (
            "Each entry of {x} went into its own output and every later one along axis {dim}, with weight "
            "exp({x}ᵢ - {y}ⱼ) (its share of that output's softmax), so it gets the sum of those outputs' gradients "
            "times these weights.",
            "{x}의 각 원소는 {dim}번 축을 따라 자기 자리와 그 뒤의 모든 출력에 가중치 exp({x}ᵢ - {y}ⱼ)(그 출력의 "
            "소프트맥스에서 차지하는 몫)로 들어갔으므로, 그 출력들의 그래디언트에 이 가중치를 곱해 모두 더한 값을 "
            "받습니다.",
        ),
        (Slot("self", "x", _logcumsumexp),),
        params=lambda c: {"dim": c.integer("dim")},
    ),
)


def _spread_and_mean(std: bool):
    """var_mean and std_mean (derivatives.yaml: var_mean_backward, std_mean_backward): two outputs, each with its own
    gradient: the spread's as var's (std's) rule gives it, plus the mean's, grad(mean)/N to every entry."""

    def grad(ctx: Ctx) -> Expr:
        x = ctx.sym("self")
        shape = tuple(x.value().shape)
        axes = dims(ctx, len(shape))
        count = math.prod(shape[a] for a in axes) if shape else 1
        correction = ctx.saved.get("correction")
        correction = 1.0 if correction is None else float(correction)
        mean = Sym("mean", x.value().mean(axes, keepdim=True) if shape else x.value())
        word = "std" if std else "var"
        received = [
            None if i >= len(ctx.grad_outputs) or ctx.grad_outputs[i] is None else ctx.grad_tensor(i) for i in (0, 1)
        ]
        if received[0] is None and received[1] is None:
            ctx.grad_tensor(0)  # (raises Missing: the node received nothing)
        terms: list[Expr] = []
        if received[0] is not None:
            g = restored(ctx, Sym(f"grad({word})", received[0]), shape, axes)
            if std:
                y = restored(ctx, Sym(word, ctx.tensor("result0")), shape, axes)
                whole = g * (x - mean) / (_divisor(count, correction) * y)
                zero = torch.broadcast_to(y.value() == 0, whole.value().shape)
                terms.append(zero_where(whole, zero, f"{word} = 0", f"{word} = 0"))
            else:
                terms.append(Num(2) * g * (x - mean) / _divisor(count, correction))
        if received[1] is not None:
            g = restored(ctx, Sym("grad(mean)", received[1]), shape, axes)
            terms.append(Form("{0}", "{0}", [g], lambda v: v.expand(shape), prec=g.prec) / Num(count, "N"))
        total = terms[0]
        for term in terms[1:]:
            total = total + term
        return total

    return grad


add(
    reduction(
        "VarMeanBackward0",
        ("variance and mean", "분산과 평균"),
        (
            "var, mean = var_mean({x}) along axis {dim}: var = Σ ({x} - mean)² / (N - c)",
            "var, mean = var_mean({x}) ({dim}번 축 방향): var = Σ ({x} - mean)² / (N - c)",
        ),
        "∂var/∂{x}ᵢ = 2·({x}ᵢ - mean)/(N - c), ∂mean/∂{x}ᵢ = 1/N",
        (
            "Two outputs, two gradients, added: the variance's sends 2·({x} - mean)/(N - c) times grad(var) (the "
            "mean's own change cancels), the mean's sends grad(mean)/N to every entry. " + SPREAD_NOTE[0],
            "출력이 둘이므로 그래디언트도 둘이고, 둘을 더합니다. 분산 쪽은 grad(var)에 2·({x} - mean)/(N - c)를 "
            "곱해 보내고(평균이 바뀌는 효과는 상쇄됨), 평균 쪽은 모든 원소에 grad(mean)/N을 보냅니다. "
            + SPREAD_NOTE[1],
        ),
        _spread_and_mean(std=False),
        params=_spread_params,
    ),
    reduction(
        "StdMeanBackward0",
        ("standard deviation and mean", "표준편차와 평균"),
        (
            "std, mean = std_mean({x}) along axis {dim}: std = √(Σ ({x} - mean)² / (N - c))",
            "std, mean = std_mean({x}) ({dim}번 축 방향): std = √(Σ ({x} - mean)² / (N - c))",
        ),
        "∂std/∂{x}ᵢ = ({x}ᵢ - mean)/((N - c)·std), ∂mean/∂{x}ᵢ = 1/N",
        (
            "Two outputs, two gradients, added: the standard deviation's sends ({x} - mean)/((N - c)·std) times "
            "grad(std) (0 where std = 0, as PyTorch does), the mean's sends grad(mean)/N to every entry. "
            + SPREAD_NOTE[0],
            "출력이 둘이므로 그래디언트도 둘이고, 둘을 더합니다. 표준편차 쪽은 grad(std)에 "
            "({x} - mean)/((N - c)·std)를 곱해 보내고(std = 0인 곳은 PyTorch처럼 0), 평균 쪽은 모든 원소에 "
            "grad(mean)/N을 보냅니다. " + SPREAD_NOTE[1],
        ),
        _spread_and_mean(std=True),
        params=_spread_params,
    ),
)


def _nansum(ctx: Ctx) -> Expr:
    """nansum_backward: grad copied to every entry summed, 0 at the NaN entries (they were left out)."""
    x = ctx.tensor("self")
    shape = tuple(x.shape)
    axes = dims(ctx, len(shape))
    keepdim = bool(ctx.saved.get("keepdim", False))
    copied = spread(kept(ctx.grad, shape, axes, keepdim), shape)
    return copied * Sym(
        f"1[{ctx.label(0, 'x')} is not NaN]", (~torch.isnan(x)).to(torch.float64), f"1[{ctx.label(0, 'x')} ≠ NaN]"
    )


def _aminmax(ctx: Ctx) -> Expr:
    """aminmax_backward: each of min and max shares its gradient evenly among the entries equal to it."""
    x = ctx.tensor("self")
    shape = tuple(x.shape)
    dim = ctx.saved.get("dim")
    axes = tuple(range(len(shape))) if dim is None else (signed(dim) % max(len(shape), 1),)
    keepdim = bool(ctx.saved.get("keepdim", False))
    terms: list[Expr] = []
    for index, key, word, word_ko in ((0, "min", "min", "최솟값"), (1, "max", "max", "최댓값")):
        if index >= len(ctx.grad_outputs) or ctx.grad_outputs[index] is None:
            continue
        g = ctx.grad_tensor(index)
        extreme = restore(ctx.tensor(key), shape, axes, keepdim)
        mask = (x == extreme).to(torch.float64)
        share = mask / (mask.sum(axes, keepdim=True) if shape else mask)
        spread_g = spread(kept(Sym(f"grad({word})", g), shape, axes, keepdim), shape)
        terms.append(
            spread_g
            * Sym(f"1[{ctx.label(0, 'x')} = {word}] / count", share, f"1[{ctx.label(0, 'x')} = {word_ko}] / count")
        )
    if not terms:
        ctx.grad_tensor(0)  # (raises Missing: the node received nothing)
    return terms[0] if len(terms) == 1 else terms[0] + terms[1]


add(
    reduction(
        "NansumBackward0",
        ("sum ignoring NaN", "NaN을 뺀 합"),
        ("{y} = Σ {x} (NaN entries left out)", "{y} = Σ {x}(NaN 원소는 뺌)"),
        ("∂{y}/∂{x}ᵢ = 1, 0 where {x}ᵢ is NaN", "∂{y}/∂{x}ᵢ = 1, NaN인 원소는 0"),
        (
            "Every entry that was not NaN was added as it is (times 1), so each gets a copy of the gradient; the "
            "NaN entries were left out and get 0.",
            "NaN이 아닌 원소는 모두 그대로(1배로) 더해졌으므로 그래디언트를 그대로 복사해 받고, 빠진 NaN 원소는 0을 "
            "받습니다.",
        ),
        _nansum,
    ),
    reduction(
        "AminmaxBackward0",
        ("minimum and maximum", "최솟값과 최댓값"),
        "min, max = aminmax({x})",
        (
            "∂min/∂{x}ᵢ = 1/count where {x}ᵢ = min, ∂max/∂{x}ᵢ = 1/count where {x}ᵢ = max",
            "∂min/∂{x}ᵢ = {x}ᵢ = min인 자리는 1/count, ∂max/∂{x}ᵢ = {x}ᵢ = max인 자리는 1/count",
        ),
        (
            "Two outputs, each one entry's value: the gradient of min goes to the entries equal to the minimum, "
            "that of max to those equal to the maximum, shared evenly when several tie; the two are added.",
            "출력 둘은 각각 원소 하나의 값입니다. min의 그래디언트는 최솟값과 같은 원소로, max의 그래디언트는 "
            "최댓값과 같은 원소로 가고, 여럿이 같으면 똑같이 나눠 가지며, 두 값을 더합니다.",
        ),
        _aminmax,
    ),
)


def _renorm_grad(x: torch.Tensor, g: torch.Tensor, p: float, dim: int, maxnorm: float) -> torch.Tensor:
    """renorm_backward: in each slice along `dim` whose p-norm n is over maxnorm, y = x · maxnorm/(n + 1e-7), so
    grad_x = maxnorm/(n + 1e-7) · (grad - (Σ grad·x) · ∂n/∂x / (n + 1e-7)); elsewhere grad."""
    axes = [a for a in range(x.dim()) if a != dim % max(x.dim(), 1)]
    norm = torch.linalg.vector_norm(x, p, axes, keepdim=True)
    if p == 2:
        slope = torch.where(norm == 0, 0.0, x / norm)
    elif p == 1:
        slope = torch.sign(x)
    elif math.isinf(p):  # (the entries at the largest |x|, sharing it equally)
        top = (x.abs() == norm).to(x.dtype)
        slope = torch.sign(x) * top / top.sum(axes, keepdim=True)
    else:
        slope = torch.where(norm == 0, 0.0, torch.sign(x) * x.abs().pow(p - 1) / norm.pow(p - 1))
    inverse = 1 / (norm + 1e-7)
    inner = (g * x).sum(axes, keepdim=True) * slope
    return torch.where(norm > maxnorm, maxnorm * inverse * (g - inverse * inner), g)


def _renorm(ctx: Ctx) -> Expr:
    x = ctx.sym("self")
    p, dim, maxnorm = float(ctx.raw("p")), signed(ctx.raw("dim")), float(ctx.raw("maxnorm"))
    slope = "{1}ᵢ / ‖{1}ᵢ‖" if p == 2 else "∂‖{1}ᵢ‖/∂{1}ᵢ"
    en = f"maxnorm/‖{{1}}ᵢ‖ · ({{0}} - (Σ {{0}}·{{1}}ᵢ)·{slope} / ‖{{1}}ᵢ‖) where ‖{{1}}ᵢ‖ > maxnorm, else {{0}}"
    ko = f"‖{{1}}ᵢ‖ > maxnorm인 조각은 maxnorm/‖{{1}}ᵢ‖ · ({{0}} - (Σ {{0}}·{{1}}ᵢ)·{slope} / ‖{{1}}ᵢ‖), 나머지는 {{0}}"
    return Form(en, ko, [ctx.grad, x], lambda g, v: _renorm_grad(v, g, p, dim, maxnorm), evaluated=True)


add(
    Rule(
        "RenormBackward0",
        ("renorm: slices scaled down to a maximum norm", "renorm: 조각의 노름을 최댓값으로 줄이기"),
        (
            "{y}ᵢ = {x}ᵢ · maxnorm/‖{x}ᵢ‖ where ‖{x}ᵢ‖ > maxnorm (each slice i along dim {dim}), else {x}ᵢ",
            "{dim}번 축을 따라 자른 조각 i마다, ‖{x}ᵢ‖ > maxnorm이면 {y}ᵢ = {x}ᵢ · maxnorm/‖{x}ᵢ‖, 아니면 {y}ᵢ = {x}ᵢ",
        ),
        (
            "∂{y}ᵢ/∂{x}ᵢ = maxnorm/‖{x}ᵢ‖ · (I - {x}ᵢ·∂‖{x}ᵢ‖/∂{x}ᵢ / ‖{x}ᵢ‖) where scaled, else I",
            "∂{y}ᵢ/∂{x}ᵢ = 줄인 조각은 maxnorm/‖{x}ᵢ‖ · (I - {x}ᵢ·∂‖{x}ᵢ‖/∂{x}ᵢ / ‖{x}ᵢ‖), 나머지는 I",
        ),
        (
            "Slices already within maxnorm pass the gradient unchanged. A scaled slice is {x}ᵢ divided by its own "
            "norm, so its gradient is scaled the same way, minus the part along the norm's own direction (moving "
            "{x}ᵢ that way only changes its length, which the scaling undoes). PyTorch adds 1e-7 to the norm.",
            "노름이 이미 maxnorm 이하인 조각은 그래디언트를 그대로 통과시킵니다. 줄인 조각은 {x}ᵢ를 자기 노름으로 "
            "나눈 값이므로, 그래디언트도 같은 비율로 줄이고 노름이 커지는 방향의 성분은 뺍니다(그 방향으로 움직이면 "
            "길이만 바뀌고, 그 길이는 다시 맞춰지기 때문입니다). PyTorch는 노름에 1e-7을 더합니다.",
        ),
        (Slot("self", "x", _renorm),),
        params=lambda c: {"dim": signed(c.raw("dim"))},
    ),
)


SEGMENT_REDUCED = ("sum", "mean", "max", "min")
SEGMENT_KO = {"sum": "합", "mean": "평균", "max": "최댓값", "min": "최솟값"}


def _segment_lengths(ctx: Ctx) -> torch.Tensor:
    """The segments' lengths along axis 0, as given or from the offsets given instead."""
    if ctx.has("lengths"):
        return ctx.tensor("lengths").long()
    return ctx.tensor("offsets").long().diff()


def _segment_reduce(ctx: Ctx) -> Expr:
    """segment_reduce (derivatives.yaml: _segment_reduce_backward), segments along axis 0: each entry gets its
    segment's grad (repeated by the lengths); mean: divided by the segment's length; max, min: only the entries equal
    to their segment's result or NaN (PyTorch's CPU kernel takes those), and where several are, a positive grad shared
    evenly among them, a negative one (or 0) given whole to each: the kernel divides only values above 0."""
    lengths, reduce, x = _segment_lengths(ctx), str(ctx.raw("reduce")), ctx.tensor("data")
    along = [-1] + [1] * (x.dim() - 1)  # (a value per entry along axis 0, broadcast over the others)
    repeated = Form(
        "repeat_interleave({0}, lengths)",
        "repeat_interleave({0}, lengths)",
        [ctx.grad],
        lambda g: g.repeat_interleave(lengths, dim=0),
    )
    if reduce == "sum":
        return repeated
    if reduce == "mean":
        per_entry = lengths.repeat_interleave(lengths).to(torch.float64).reshape(along)
        return repeated / Sym("length", per_entry, "길이")
    picked = (x == ctx.tensor("result").repeat_interleave(lengths, dim=0)) | torch.isnan(x)
    ties = torch.segment_reduce(picked.to(torch.float64), "sum", lengths=lengths, axis=0)
    shared = torch.as_tensor(ctx.grad.value(), dtype=torch.float64).expand(ties.shape) > 0
    shares = picked.to(torch.float64) / torch.where(shared, ties, 1).repeat_interleave(lengths, dim=0).clamp(min=1)
    label = ctx.label(0, "x")
    return repeated * Mask(
        f"1[{label} = its segment's {reduce}]", shares, f"1[{label} = 그 구간의 {SEGMENT_KO[reduce]}]", keep=picked
    )


add(
    Rule(
        "SegmentReduceBackward0",
        ("reducing segments (segment_reduce)", "구간별 축약(segment_reduce)"),
        (
            "{y}ₖ = the {reduce} of segment k of {x}: the next lengthsₖ entries along axis 0",
            "{y}ₖ = {x}의 k번째 구간(0번 축을 따라 이어지는 원소 lengthsₖ개)의 {reduce_ko}",
        ),
        (
            "∂{y}ₖ/∂{x}ᵢ = the {reduce}'s derivative for i in segment k, 0 elsewhere",
            "∂{y}ₖ/∂{x}ᵢ = i가 k번째 구간에 있으면 {reduce_ko}의 미분, 아니면 0",
        ),
        (
            "Each entry of {x} took part in its own segment's result only, so it gets that segment's grad: all of "
            "it for a sum, divided by the segment's length for a mean, and for a max or min only where the entry "
            "equals the result or is NaN. Where several do, PyTorch shares a positive grad evenly among them and "
            "gives a negative one whole to each.",
            "{x}의 각 원소는 자기가 속한 구간의 결과에만 쓰였으므로, 그 구간의 그래디언트를 받습니다. 합이면 그대로, "
            "평균이면 구간의 길이로 나눠서 받고, 최댓값이나 최솟값이면 결과와 같거나 NaN인 원소만 받습니다. 그런 "
            "원소가 여럿이면 PyTorch는 양수인 그래디언트는 똑같이 나눠 주고, 음수인 그래디언트는 나누지 않고 "
            "원소마다 그대로 줍니다.",
        ),
        (Slot("data", "x", _segment_reduce),),
        params=lambda c: {"reduce": str(c.raw("reduce")), "reduce_ko": SEGMENT_KO[str(c.raw("reduce"))]},
        supports=lambda c: (
            str(c.raw("reduce")) in SEGMENT_REDUCED
            and c.raw("initial") is None
            and c.integer("axis") == 0
            and (c.tensor("lengths") if c.has("lengths") else c.tensor("offsets")).dim() == 1
        ),
    ),
)
