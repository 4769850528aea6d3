"""Reductions (derivatives.yaml: sum, mean, max/min with and without dim, amax/amin): the gradient of a sum is
copied to every entry summed, a mean's is also divided by N, a max's goes to the entry that won."""

import math

import torch

from ..expr import Expr, Form, Num, Sym, spread
from ..rule import Ctx, Rule, Slot, add, signed


def sizes(ctx: Ctx) -> tuple[int, ...]:
    return tuple(int(s) for s in ctx.raw("self_sym_sizes"))


def dims(ctx: Ctx, rank: int) -> tuple[int, ...]:
    """The reduced axes, non-negative (an empty or missing `dim` means all of them)."""
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


def _copied(ctx: Ctx) -> Expr:
    shape = sizes(ctx)
    axes = dims(ctx, len(shape))
    keepdim = bool(ctx.saved.get("keepdim", False))
    return Form("{0}", "{0}", [ctx.grad], lambda g: restore(g, shape, axes, keepdim).expand(shape), prec=ctx.grad.prec)


def _count(ctx: Ctx) -> int:
    shape = sizes(ctx)
    return math.prod(shape[a] for a in dims(ctx, len(shape))) if shape else 1


def _selected(ctx: Ctx, word: str) -> Expr:
    """max/min along a dim: the gradient goes to the entry `indices` names, 0 elsewhere."""
    shape = sizes(ctx)
    axis = ctx.integer("dim") % max(len(shape), 1)
    keepdim = bool(ctx.raw("keepdim"))
    indices = restore(ctx.tensor("indices"), shape, (axis,), keepdim).long()
    mask = torch.zeros(shape, dtype=torch.float64).scatter_(axis, indices, 1.0) if shape else torch.ones(())
    grad = Form(
        "{0}",
        "{0}",
        [ctx.grad],
        lambda g: (
            torch.zeros(shape, dtype=torch.float64).scatter_(axis, indices, restore(g, shape, (axis,), keepdim))
            if shape
            else g
        ),
        prec=ctx.grad.prec,
    )
    return Form(
        "{0} · {1}",
        "{0} · {1}",
        [grad, Sym(f"1[{word} along axis {axis}]", mask, f"1[{axis}번 축의 {word}]")],
        lambda g, m: g,
    )


def _evenly(ctx: Ctx, word: str) -> Expr:
    """max()/min() of everything: the gradient is shared evenly among the entries equal to the result."""
    x, result = ctx.tensor("self"), ctx.tensor("result")
    mask = ((x == result) | (torch.isnan(x) & torch.isnan(result))).to(torch.float64)
    count = int(mask.sum().item())
    return spread(ctx.grad, tuple(x.shape)) * Sym(f"1[{ctx.label(0, 'x')} = {word}]", mask) / Num(count, "count")


def _amax(ctx: Ctx, word: str) -> Expr:
    """amax/amin: the gradient is shared evenly among the entries equal to the extreme of their slice."""
    x, result = ctx.tensor("self"), ctx.tensor("result")
    axes = dims(ctx, x.dim())
    keepdim = bool(ctx.raw("keepdim"))
    mask = (x == restore(result, tuple(x.shape), axes, keepdim)).to(torch.float64)
    counts = mask.sum(dim=axes, keepdim=True) if axes else mask
    share = Sym(f"1[{ctx.label(0, 'x')} = {word}] / count", mask / counts)
    grad = Form("{0}", "{0}", [ctx.grad], lambda g: restore(g, tuple(x.shape), axes, keepdim).expand(x.shape))
    return grad * share


def reduction(node, title, forward, local, words, grad, params=None) -> Rule:
    return Rule(node, title, forward, local, words, (Slot("self", "x", grad),), params=params)


SUM_WORDS = (
    "Every entry of {x} added to {y} with weight 1, so each gets a copy of the gradient {y} received.",
    "{x}의 모든 원소가 가중치 1로 {y}에 더해졌으므로, 각 원소는 {y}에 들어온 그래디언트를 그대로 복사해 받습니다.",
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
        ("{y} = Σ {x} along axis {dim}", "{y} = {dim}번 축을 따라 Σ {x}"),
        "∂{y}/∂{x}ᵢ = 1",
        SUM_WORDS,
        _copied,
        params=lambda c: {"dim": dims(c, len(sizes(c)))},
    ),
    reduction(
        "MeanBackward0",
        ("mean of all entries", "전체 평균"),
        "{y} = (1/N) Σ {x}",
        "∂{y}/∂{x}ᵢ = 1/N",
        MEAN_WORDS,
        lambda c: _copied(c) / Num(_count(c), "N"),
        params=lambda c: {"N": _count(c)},
    ),
    reduction(
        "MeanBackward1",
        ("mean along axes", "축 방향 평균"),
        ("{y} = (1/N) Σ {x} along axis {dim}", "{y} = {dim}번 축을 따라 (1/N) Σ {x}"),
        "∂{y}/∂{x}ᵢ = 1/N",
        MEAN_WORDS,
        lambda c: _copied(c) / Num(_count(c), "N"),
        params=lambda c: {"N": _count(c), "dim": dims(c, len(sizes(c)))},
    ),
    reduction(
        "MaxBackward0",
        ("maximum along an axis", "축 방향 최댓값"),
        ("{y} = max({x}) along axis {dim}", "{y} = {dim}번 축을 따라 max({x})"),
        ("∂{y}/∂{x}ᵢ = 1 for the largest entry, else 0", "∂{y}/∂{x}ᵢ = 최댓값인 원소는 1, 나머지는 0"),
        (
            "Only the entry that was the maximum (its index was saved) gets the gradient; the others get 0.",
            "최댓값이었던 원소(저장된 인덱스)만 그래디언트를 받고, 나머지는 0을 받습니다.",
        ),
        lambda c: _selected(c, "argmax"),
        params=lambda c: {"dim": c.raw("dim")},
    ),
    reduction(
        "MinBackward0",
        ("minimum along an axis", "축 방향 최솟값"),
        ("{y} = min({x}) along axis {dim}", "{y} = {dim}번 축을 따라 min({x})"),
        ("∂{y}/∂{x}ᵢ = 1 for the smallest entry, else 0", "∂{y}/∂{x}ᵢ = 최솟값인 원소는 1, 나머지는 0"),
        (
            "Only the entry that was the minimum (its index was saved) gets the gradient; the others get 0.",
            "최솟값이었던 원소(저장된 인덱스)만 그래디언트를 받고, 나머지는 0을 받습니다.",
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


def _vector_norm(ctx: Ctx) -> Expr:
    """linalg_vector_norm (derivatives.yaml: linalg_vector_norm_backward): for order p, grad · sign(x)·|x|^(p-1) /
    ‖x‖^(p-1) (p = 2: grad · x / ‖x‖), 0 where the norm is 0."""
    x, norm = ctx.sym("self"), ctx.tensor("result")
    p = float(ctx.raw("ord"))
    shape = tuple(x.value().shape)
    axes = dims(ctx, len(shape))
    keepdim = bool(ctx.saved.get("keepdim", False))
    norm = restore(norm, shape, axes, keepdim)
    grad = Form("{0}", "{0}", [ctx.grad], lambda g: restore(g, shape, axes, keepdim), prec=ctx.grad.prec)

    def share(g, v):
        if p == 2:
            out = v * g / norm
        elif p == 1:
            out = torch.sign(v) * g
        else:  # (|x|^(p-1) taken as 0 where x = 0, as PyTorch does for p < 1)
            scaled = torch.where(v == 0, torch.zeros_like(v), torch.sign(v) * v.abs().pow(p - 1))
            out = scaled * g / norm.pow(p - 1)
        return torch.where(norm == 0, torch.zeros_like(out), out).expand(shape)

    label = f"‖{x.text('en')}‖" if p == 2 else f"‖{x.text('en')}‖_{Num(p).label}"
    if p == 2:
        en = "{0} · {1} / " + label
    elif p == 1:
        en = "{0} · sign({1})"
    else:
        exponent = Num(p - 1).label
        en = f"{{0}} · sign({{1}})·|{{1}}|^{exponent} / {label}^{exponent}"
    return Form(en, en, [grad, x], share, bound=lambda g, v: v * g / torch.where(norm == 0, 1, norm) if p == 2 else g)


add(
    Rule(
        "CumsumBackward0",
        ("cumulative sum", "누적 합"),
        "{y} = cumsum({x}, {dim})",
        "∂{y}ⱼ/∂{x}ᵢ = 1 for j ≥ i",
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
        "{y} = ‖{x}‖ (order {p})",
        "∂{y}/∂{x} = sign({x})·|{x}|^(p-1) / {y}^(p-1) (p = 2: {x} / {y})",
        (
            "A norm grows in the direction of {x} itself: for order 2 each entry gets grad · {x} / ‖{x}‖ (0 where "
            "the norm is 0).",
            "노름은 {x} 자신의 방향으로 커집니다. 2-노름이면 각 원소는 grad · {x} / ‖{x}‖를 받습니다"
            "(노름이 0인 곳은 0).",
        ),
        (Slot("self", "x", _vector_norm),),
        params=lambda c: {"p": Num(float(c.raw("ord"))).label},
        supports=lambda c: math.isfinite(float(c.raw("ord"))) and float(c.raw("ord")) != 0,
    ),
)
