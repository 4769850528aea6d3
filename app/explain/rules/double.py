"""Backward of a backward: with `create_graph=True` (a gradient penalty, a Hessian-vector product, MAML, a
physics loss on ∂u/∂x) the backward formulas themselves are recorded, and differentiating them again runs these
nodes (derivatives.yaml: tanh_backward, sigmoid_backward, threshold_backward, leaky_relu_backward,
select_backward, mse_loss_backward, gelu_backward, softplus_backward, hardtanh_backward, _softmax_backward_data,
_log_softmax_backward_data, nll_loss_backward, nll_loss2d_backward, hardshrink_backward, softshrink_backward,
soft_margin_loss_backward, rrelu_with_noise_backward). Each one's forward op is the first backward's
formula; its inputs are the gradient that formula received (`grad_output`, letter g) and the values it read."""

import math

import torch

from ..expr import NEG, Expr, Form, Mask, Num, Shown, Sym, by_cases
from ..rule import Ctx, Rule, Slot, add
from .activation import _gelu_derivative, _gelu_tanh_derivative, softplus_product
from .elementwise import _no_derivative, back, indicator, scalar, zeros_for
from .loss import SLOPE, SLOPE_KO, smooth_slope, soft_margin_slope, soft_margin_z
from .nn import normalized_grad
from .shape import indexing, selected

AGAIN = (
    "With create_graph=True the first backward was itself recorded as a graph: this node differentiates its formula "
    "once more, for a second derivative.",
    "create_graph=True로 첫 번째 역전파의 계산도 그래프로 기록되었습니다. 이 노드는 그 식을 한 번 더 미분해 2차 "
    "미분을 구합니다.",
)


def again(en: str, ko: str) -> tuple[str, str]:
    """The words of a backward-of-backward node: what it is, then what each input gets."""
    return AGAIN[0] + " " + en, AGAIN[1] + " " + ko


def _mse_n(ctx: Ctx) -> int:
    """N for a mean (the loss's input's element count), 1 for a sum or none."""
    return ctx.tensor("self").numel() if ctx.integer("reduction") == 1 else 1


def _mse_grad_output(ctx: Ctx) -> Expr:
    """grad_g = Σ grad · 2·(x - t)/N (elementwise when the loss was not reduced)."""
    part = ctx.grad * (Num(2) * (ctx.sym("self") - ctx.sym("target")))
    n = _mse_n(ctx)
    part = part if n == 1 else part / Num(n)
    if ctx.integer("reduction") == 0:
        return part
    return _sum(part)


def _sum(inner: Expr) -> Expr:
    """Σ inner: the gradient of a scalar summed over every entry it scaled."""
    return Form("Σ {0}", "Σ {0}", [inner], lambda v: v.sum(), prec=NEG)


def _mse_input(ctx: Ctx, sign: int) -> Expr:
    """grad_x = grad · g · 2/N, and its negative for the target."""
    part = ctx.grad * ctx.sym("grad_output") * Num(2)
    n = _mse_n(ctx)
    part = part if n == 1 else part / Num(n)
    return part if sign > 0 else -part


add(
    Rule(
        "TanhBackwardBackward0",
        ("tanh's backward, differentiated again", "쌍곡탄젠트 역전파를 다시 미분"),
        "{y} = {g}·(1 - {a}²)",
        "∂{y}/∂{g} = 1 - {a}², ∂{y}/∂{a} = -2·{a}·{g}",
        again(
            "({a} is tanh's output.) {g} gets grad · (1 - {a}²) and {a} gets grad · (-2·{a}·{g}).",
            "({a}는 tanh의 출력입니다.) {g}에는 grad · (1 - {a}²), {a}에는 grad · (-2·{a}·{g})가 전달됩니다.",
        ),
        (
            Slot("grad_output", "g", lambda c: back(c, 0, c.grad * (1 - c.sym("output") ** 2))),
            Slot("output", "a", lambda c: back(c, 1, c.grad * (Num(-2) * c.sym("output") * c.sym("grad_output")))),
        ),
        output="h",
    ),
    Rule(
        "SigmoidBackwardBackward0",
        ("sigmoid's backward, differentiated again", "시그모이드 역전파를 다시 미분"),
        "{y} = {g}·{a}·(1 - {a})",
        "∂{y}/∂{g} = {a}·(1 - {a}), ∂{y}/∂{a} = {g}·(1 - 2·{a})",
        again(
            "({a} is the sigmoid's output.) {g} gets grad · {a}·(1 - {a}) and {a} gets grad · {g}·(1 - 2·{a}).",
            "({a}는 시그모이드의 출력입니다.) {g}에는 grad · {a}·(1 - {a}), {a}에는 grad · {g}·(1 - 2·{a})가 "
            "전달됩니다.",
        ),
        (
            Slot("grad_output", "g", lambda c: back(c, 0, c.grad * c.sym("output") * (1 - c.sym("output")))),
            Slot("output", "a", lambda c: back(c, 1, c.grad * c.sym("grad_output") * (1 - Num(2) * c.sym("output")))),
        ),
        output="h",
    ),
    Rule(
        "ThresholdBackwardBackward0",
        ("ReLU's (threshold's) backward, differentiated again", "ReLU(threshold) 역전파를 다시 미분"),
        "{y} = {g}·1[{a} > {threshold}]",
        "∂{y}/∂{g} = 1[{a} > {threshold}], ∂{y}/∂{a} = 0",
        again(
            "{g} gets grad where {a} > {threshold} and 0 elsewhere; {a} only chose where to pass, so it gets 0.",
            "{g}에는 {a} > {threshold}인 곳에만 grad가, 나머지는 0이 전달됩니다. {a}는 통과시킬 자리를 고르기만 "
            "했으므로 0을 받습니다.",
        ),
        (
            Slot(
                "grad_output",
                "g",
                lambda c: (
                    c.grad
                    * indicator(  # (threshold_backward: `a <= threshold ? 0 : grad`, a NaN passes)
                        f"{c.label(1, 'a')} > {c.raw('threshold')}",
                        ~(c.tensor("self") <= c.as_float_kernel(c.raw("threshold"))),
                        nan=torch.isnan(c.tensor("self")),
                    )
                ),
            ),
            Slot("self", "a", lambda c: zeros_for(c, 1)),
        ),
        params=lambda c: {"threshold": Num(float(c.raw("threshold"))).label},
        output="h",
    ),
    Rule(
        "LeakyReluBackwardBackward0",
        ("leaky ReLU's backward, differentiated again", "Leaky ReLU 역전파를 다시 미분"),
        ("{y} = {g}·(1 if {a} > 0 else {slope})", "{y} = {g}·({a} > 0이면 1, 아니면 {slope})"),
        (
            "∂{y}/∂{g} = 1 if {a} > 0 else {slope}, ∂{y}/∂{a} = 0",
            "∂{y}/∂{g} = {a} > 0인 곳은 1, 나머지는 {slope}; ∂{y}/∂{a} = 0",
        ),
        again(
            "{g} gets grad where {a} > 0 and grad · {slope} elsewhere; {a} only chose the slope, so it gets 0.",
            "{g}에는 {a} > 0인 곳은 grad, 나머지는 grad·{slope} 값이 전달됩니다. {a}는 기울기만 "
            "골랐으므로 0을 받습니다.",
        ),
        (
            Slot("grad_output", "g", lambda c: c.grad * _slopes(c)),
            Slot("self", "a", lambda c: zeros_for(c, 1)),
        ),
        params=lambda c: {"slope": Num(float(c.raw("negative_slope"))).label},
        output="h",
    ),
    Rule(
        "SelectBackwardBackward0",
        ("picking one index's backward, differentiated again", "인덱스 하나 고르기의 역전파를 다시 미분"),
        (
            "{y} = {g} placed at [{index}] of axis {dim}, 0 elsewhere",
            "{y} = [{index}] 자리({dim}번 축)에 {g}, 나머지는 0",
        ),
        ("grad_{g} = grad[{index}] along axis {dim}", "grad_{g} = grad[{index}] ({dim}번 축 방향)"),
        again(
            "{g} gets back what grad holds at that place, grad[{index}] along axis {dim}.",
            "{g}에는 grad에서 그 자리의 값, 곧 {dim}번 축의 grad[{index}] 값이 전달됩니다.",
        ),
        (Slot("grad_output", "g", lambda c: _picked(c)),),
        params=lambda c: {"dim": c.integer("dim"), "index": c.integer("index")},
        output="h",
    ),
    Rule(
        "MseLossBackwardBackward0",
        ("mean squared error's backward, differentiated again", "평균 제곱 오차 역전파를 다시 미분"),
        "{y} = {g}·2·({x} - {t})/N",
        "∂{y}/∂{g} = 2·({x} - {t})/N, ∂{y}/∂{x} = 2·{g}/N, ∂{y}/∂{t} = -2·{g}/N",
        again(
            "Here N = {N} (the count of entries for a mean, 1 otherwise). {g} gets Σ grad · 2·({x} - {t})/N, "
            "{x} gets grad · 2·{g}/N and {t} its negative.",
            "여기서 N = {N}입니다(평균이면 원소 개수, 아니면 1). {g}에는 Σ grad · 2·({x} - {t})/N, "
            "{x}에는 grad · 2·{g}/N, {t}에는 그 부호를 바꾼 값이 전달됩니다.",
        ),
        (
            Slot("grad_output", "g", _mse_grad_output),
            Slot("self", "x", lambda c: _mse_input(c, 1)),
            Slot("target", "t", lambda c: _mse_input(c, -1)),
        ),
        params=lambda c: {"N": _mse_n(c)},
        output="h",
    ),
)


def _slopes(ctx: Ctx) -> Expr:
    slope = float(ctx.raw("negative_slope"))
    a = ctx.tensor("self")
    slopes = torch.where(a > 0, torch.ones_like(a), torch.full_like(a, slope))
    return by_cases(slopes, ("1", f"{ctx.label(1, 'a')} > 0"), otherwise=Num(slope).label)


def _picked(ctx: Ctx) -> Expr:
    return selected(ctx.grad, ctx.integer("dim"), ctx.integer("index"))


# -- activations and softmax, differentiated again (gradient penalties, input-gradient regularisers, PINNs) --------


def _gelu_second(x: torch.Tensor, approximate: str) -> torch.Tensor:
    """GELU's second derivative: φ(x)·(2 - x²) exactly, or that of its tanh approximation x·(1 + tanh u)/2 with
    u = √(2/π)·(x + 0.044715·x³)."""
    if approximate == "tanh":
        beta, kappa = math.sqrt(2 / math.pi), 0.044715
        u1, u2 = beta * (1 + 3 * kappa * x**2), beta * 6 * kappa * x
        t = torch.tanh(beta * (x + kappa * x**3))
        return (1 - t**2) * (u1 - x * t * u1**2 + 0.5 * x * u2)
    return torch.exp(-0.5 * x * x) / math.sqrt(2 * math.pi) * (2 - x * x)


def _gelu_slots(ctx: Ctx) -> tuple[Slot, ...]:
    tanh = ctx.saved.get("approximate", "none") == "tanh"
    first = _gelu_tanh_derivative if tanh else _gelu_derivative
    name = "gelu_tanh" if tanh else "gelu"
    return (
        Slot(
            "grad_output",
            "g",
            lambda c: back(c, 0, c.grad * Form(f"{name}′({{0}})", f"{name}′({{0}})", [c.sym("self")], first)),
        ),
        Slot(
            "self",
            "x",
            lambda c: back(
                c,
                1,
                c.grad
                * c.sym("grad_output")
                * Form(
                    f"{name}″({{0}})",
                    f"{name}″({{0}})",
                    [c.sym("self")],
                    lambda v: _gelu_second(v, "tanh" if tanh else "none"),
                ),
            ),
        ),
    )


def _softplus_sides(ctx: Ctx) -> tuple[float, float, torch.Tensor]:
    """beta, threshold and β·x (past the threshold softplus is linear: its slope is 1, its curvature 0)."""
    beta, threshold = float(scalar(ctx, "beta")), float(scalar(ctx, "threshold"))
    return beta, threshold, ctx.tensor("self") * beta


def _softplus_slope(ctx: Ctx) -> Expr:
    """softplus_backward itself: `β·x > threshold ? grad : grad·σ(β·x)`."""
    beta, threshold, bx = _softplus_sides(ctx)
    label = f"σ({Num(beta).label}·{ctx.label(1, 'x')})"
    linear = softplus_product(ctx, True) > threshold
    return back(ctx, 0, ctx.grad * Sym(label, torch.where(linear, torch.ones_like(bx), torch.sigmoid(bx))))


def _softplus_curvature(ctx: Ctx) -> Expr:
    """softplus_double_backward: `grad·g·β·σ(β·x)·(1 - σ(β·x))` where β·x < threshold, else 0 (β·x and the comparison
    torch's tensor ops, in the input's dtype)."""
    beta, threshold, bx = _softplus_sides(ctx)
    s = torch.sigmoid(bx)
    b, x = Num(beta).label, ctx.label(1, "x")
    curved = softplus_product(ctx, False) < threshold
    curvature = Sym(f"{b}·σ({b}·{x})·(1 - σ({b}·{x}))", torch.where(curved, beta * s * (1 - s), 0 * s))
    return back(ctx, 1, ctx.grad * ctx.sym("grad_output") * curvature)


def _hardtanh_pass(ctx: Ctx) -> Expr:
    """hardtanh_backward on the incoming gradient: `(x <= min || x >= max) ? 0 : grad` (a NaN passes)."""
    x = ctx.tensor("self")
    low, high = ctx.as_float_kernel(scalar(ctx, "min_val")), ctx.as_float_kernel(scalar(ctx, "max_val"))
    label = f"{Num(low).label} < {ctx.label(1, 'x')} < {Num(high).label}"
    return back(ctx, 0, ctx.grad * indicator(label, ~((x <= low) | (x >= high)), nan=torch.isnan(x)))


def _axis(ctx: Ctx, en: str, args: list[Expr], fn, bound) -> Expr:
    """A formula whose Σ sums along the softmax's axis (the texts name it): `fn(*values, total)` computes it and
    `bound(*magnitudes, total)` bounds it, `total` summing along that axis."""
    dim = ctx.integer("dim")

    def total(t: torch.Tensor) -> torch.Tensor:
        return t.sum(dim, keepdim=True)

    return Form(
        en.replace("Σ", f"Σ[axis {dim}]"),
        en.replace("Σ", f"Σ[{dim}번 축]"),
        args,
        lambda *values: fn(*values, total),
        nums=en.replace("Σ", f"Σ[{dim}]"),
        bound=lambda *values: bound(*values, total),
    )


def _log_softmax_again_g(ctx: Ctx) -> Expr:
    """grad - Σ(grad ⊙ exp(a)): the first backward is linear in g."""
    return _axis(
        ctx,
        "{0} - Σ({0} ⊙ exp({1}))",
        [ctx.grad, ctx.sym("output")],
        lambda grad, a, total: grad - total(grad * a.exp()),
        lambda grad, a, total: grad + total(grad * a.exp()),
    )


def _log_softmax_again_a(ctx: Ctx) -> Expr:
    """-grad ⊙ exp(a) ⊙ Σ g."""
    return _axis(
        ctx,
        "-{0} ⊙ exp({1}) ⊙ Σ {2}",
        [ctx.grad, ctx.sym("output"), ctx.sym("grad_output")],
        lambda grad, a, g, total: -grad * a.exp() * total(g),
        lambda grad, a, g, total: grad * a.exp() * total(g),
    )


def _softmax_again_g(ctx: Ctx) -> Expr:
    """p ⊙ (grad - Σ(grad ⊙ p)): the first backward is linear in g."""
    return _axis(
        ctx,
        "{1} ⊙ ({0} - Σ({0} ⊙ {1}))",
        [ctx.grad, ctx.sym("output")],
        lambda grad, p, total: p * (grad - total(grad * p)),
        lambda grad, p, total: p * (grad + total(grad * p)),
    )


def _softmax_again_p(ctx: Ctx) -> Expr:
    """grad ⊙ (g - Σ(g ⊙ p)) - g ⊙ Σ(grad ⊙ p) (PyTorch: softmax_double_backward)."""
    return _axis(
        ctx,
        "{0} ⊙ ({2} - Σ({2} ⊙ {1})) - {2} ⊙ Σ({0} ⊙ {1})",
        [ctx.grad, ctx.sym("output"), ctx.sym("grad_output")],
        lambda grad, p, g, total: grad * (g - total(g * p)) - g * total(grad * p),
        lambda grad, p, g, total: grad * (g + total(g * p)) + g * total(grad * p),
    )


def _nll_again(ctx: Ctx) -> Expr:
    """The first backward put -w[tᵢ]·g (/ Σw for a mean) at each sample's target class: g gets -Σ grad there, as
    nll_loss(grad, target) computes it (each row's own for reduction='none')."""
    grad = ctx.grad_tensor(0)
    target = ctx.tensor("target").long()
    ignore, reduction = ctx.integer("ignore_index"), ctx.integer("reduction")
    class_dim = 0 if grad.dim() == 1 else 1
    keep = target != ignore
    safe = torch.where(keep, target, torch.zeros_like(target))
    weights = ctx.tensor("weight") if ctx.has("weight") else torch.ones(grad.shape[class_dim], dtype=torch.float64)
    picked = weights[safe] * keep.to(torch.float64)
    placed = torch.zeros_like(grad).scatter_(class_dim, safe.unsqueeze(class_dim), picked.unsqueeze(class_dim))
    label = "onehot(target)" if not ctx.has("weight") else "w·onehot(target)"
    # (nll_loss(grad, target) reads grad at the targets only: an inf or NaN elsewhere in a row is not multiplied by 0)
    place = torch.zeros_like(grad, dtype=torch.bool).scatter_(class_dim, safe.unsqueeze(class_dim), True)
    place &= keep.unsqueeze(class_dim)
    mark = Mask(label, placed, keep=place)
    if reduction == 0:
        return Form(
            "-Σ[class] {0} ⊙ {1}",
            "-Σ[클래스] {0} ⊙ {1}",
            [ctx.grad, mark],
            lambda a, b: -torch.where(place, a * b, 0.0).sum(class_dim),
        )
    total = float(picked.sum())
    summed = Form(
        "-Σ {0} ⊙ {1}", "-Σ {0} ⊙ {1}", [ctx.grad, mark], lambda a, b: -torch.where(place, a * b, 0.0).sum(), prec=NEG
    )
    return summed / Num(total, "N" if not ctx.has("weight") else "Σw") if reduction == 1 else summed


add(
    Rule(
        "GeluBackwardBackward0",
        ("GELU's backward, differentiated again", "GELU 역전파를 다시 미분"),
        "{y} = {g}·gelu′({x})",
        "∂{y}/∂{g} = gelu′({x}), ∂{y}/∂{x} = {g}·gelu″({x})",
        again(
            "gelu′ is GELU's slope Φ({x}) + {x}·φ({x}) and gelu″ = φ({x})·(2 - {x}²) its curvature (those of the tanh "
            "approximation when the forward used it). {g} gets grad · gelu′({x}) and {x} gets grad · {g} · "
            "gelu″({x}).",
            "gelu′는 GELU의 기울기 Φ({x}) + {x}·φ({x}), gelu″ = φ({x})·(2 - {x}²)는 그 곡률입니다(순전파가 tanh "
            "근사를 썼으면 그 근사식의 값). {g}에는 grad · gelu′({x}), {x}에는 grad · {g} · gelu″({x})가 전달됩니다.",
        ),
        _gelu_slots,
        output="h",
    ),
    Rule(
        "SoftplusBackwardBackward0",
        ("softplus's backward, differentiated again", "softplus 역전파를 다시 미분"),
        "{y} = {g}·σ(β·{x})",
        "∂{y}/∂{g} = σ(β·{x}), ∂{y}/∂{x} = {g}·β·σ(β·{x})·(1 - σ(β·{x}))",
        again(
            "(β = {beta}; past the threshold β·{x} > {threshold} softplus is a straight line: slope 1, curvature 0.) "
            "{g} gets grad · σ(β·{x}) and {x} gets grad · {g} · β·σ(β·{x})·(1 - σ(β·{x})).",
            "(β = {beta}. β·{x} > {threshold}인 곳에서 softplus는 직선이라 기울기는 1, 곡률은 0입니다.) {g}에는 "
            "grad · σ(β·{x}), {x}에는 grad · {g} · β·σ(β·{x})·(1 - σ(β·{x}))가 전달됩니다.",
        ),
        (Slot("grad_output", "g", _softplus_slope), Slot("self", "x", _softplus_curvature)),
        params=lambda c: {
            "beta": Num(float(scalar(c, "beta"))).label,
            "threshold": Num(float(scalar(c, "threshold"))).label,
        },
        output="h",
    ),
    Rule(
        "HardtanhBackwardBackward0",
        ("hardtanh's (clamp's) backward, differentiated again", "hardtanh(clamp) 역전파를 다시 미분"),
        "{y} = {g}·1[min < {x} < max]",
        "∂{y}/∂{g} = 1[min < {x} < max], ∂{y}/∂{x} = 0",
        again(
            "{g} gets grad inside the range and 0 where {x} was clipped; {x} only chose where to pass, so it gets 0.",
            "{g}에는 범위 안에서는 grad가, {x}가 잘린 곳에서는 0이 전달됩니다. {x}는 통과시킬 자리를 고르기만 "
            "했으므로 0을 받습니다.",
        ),
        (Slot("grad_output", "g", _hardtanh_pass), Slot("self", "x", lambda c: zeros_for(c, 1))),
        output="h",
    ),
    Rule(
        "LogSoftmaxBackwardDataBackward0",
        ("log-softmax's backward, differentiated again", "로그 소프트맥스 역전파를 다시 미분"),
        ("{y} = {g} - exp({a}) ⊙ Σ {g} along axis {dim}", "{y} = {g} - exp({a}) ⊙ ({dim}번 축 방향 {g}의 합)"),
        "grad_{g} = grad - Σ(grad ⊙ exp({a})), grad_{a} = -grad ⊙ exp({a}) ⊙ Σ {g}",
        again(
            "({a} is log-softmax's output, so exp({a}) is the softmax.) The first backward is linear in {g}: {g} "
            "gets grad - Σ(grad ⊙ exp({a})) along the axis, and {a} gets -grad ⊙ exp({a}) ⊙ Σ {g}.",
            "({a}는 로그 소프트맥스의 출력이라 exp({a})가 소프트맥스 값입니다.) 첫 번째 역전파는 {g}에 대해 "
            "선형이므로 {g}에는 grad - Σ(grad ⊙ exp({a}))(축 방향 합), {a}에는 -grad ⊙ exp({a}) ⊙ Σ {g}가 "
            "전달됩니다.",
        ),
        (Slot("grad_output", "g", _log_softmax_again_g), Slot("output", "a", _log_softmax_again_a)),
        params=lambda c: {"dim": c.integer("dim")},
        output="h",
    ),
    Rule(
        "SoftmaxBackwardDataBackward0",
        ("softmax's backward, differentiated again", "소프트맥스 역전파를 다시 미분"),
        ("{y} = {p} ⊙ ({g} - Σ({g} ⊙ {p})) along axis {dim}", "{y} = {p} ⊙ ({g} - Σ({g} ⊙ {p}))({dim}번 축 방향 합)"),
        "grad_{g} = {p} ⊙ (grad - Σ(grad ⊙ {p})), grad_{p} = grad ⊙ ({g} - Σ({g} ⊙ {p})) - {g} ⊙ Σ(grad ⊙ {p})",
        again(
            "({p} is the softmax's output.) {g} gets {p} ⊙ (grad - Σ(grad ⊙ {p})), the softmax's own backward "
            "applied to grad; {p} gets grad ⊙ ({g} - Σ({g} ⊙ {p})) - {g} ⊙ Σ(grad ⊙ {p}), by the product rule.",
            "({p}는 소프트맥스의 출력입니다.) {g}에는 grad에 소프트맥스 역전파를 그대로 적용한 "
            "{p} ⊙ (grad - Σ(grad ⊙ {p})), {p}에는 곱의 미분 법칙으로 grad ⊙ ({g} - Σ({g} ⊙ {p})) - "
            "{g} ⊙ Σ(grad ⊙ {p})가 전달됩니다.",
        ),
        (Slot("grad_output", "g", _softmax_again_g), Slot("output", "p", _softmax_again_p)),
        params=lambda c: {"dim": c.integer("dim")},
        output="h",
    ),
    Rule(
        "NllLossBackwardBackward0",
        ("negative log-likelihood's backward, differentiated again", "음의 로그 가능도 역전파를 다시 미분"),
        (
            "{y} = -{g}·w·onehot(target) (/ Σw for a mean)",
            "{y} = -{g}·w·onehot(target) (평균이면 Σw로 나눔)",
        ),
        (
            "grad_{g} = -Σ grad ⊙ w·onehot(target) (/ Σw), grad_{x} = 0",
            "grad_{g} = -Σ grad ⊙ w·onehot(target) (/ Σw), grad_{x} = 0",
        ),
        again(
            "The first backward put -{g} (times the class weight w, divided by Σw for a mean) at each sample's "
            "target class. {g} gets back minus the sum of grad at those places; {x} (the log-probabilities) did not "
            "enter that formula, so it gets 0.",
            "첫 번째 역전파는 각 샘플의 정답 클래스 자리에 -{g}를 (클래스 가중치 w를 곱하고, 평균이면 Σw로 나눠) "
            "놓았습니다. 그래서 {g}에는 그 자리들의 grad를 더해 부호를 바꾼 값이 전달되고, {x}(로그 확률)는 그 식에 "
            "들어가지 않았으므로 0을 받습니다.",
        ),
        (Slot("grad_output", "g", _nll_again), Slot("self", "x", lambda c: zeros_for(c, 1))),
        supports=lambda c: c.grad_tensor(0).dim() <= 2,
        output="h",
    ),
    Rule(
        "NllLoss2DBackwardBackward0",
        (
            "negative log-likelihood's (per position) backward, differentiated again",
            "음의 로그 가능도(위치별) 역전파를 다시 미분",
        ),
        (
            "{y} = -{g}·w·onehot(target) (/ Σw for a mean)",
            "{y} = -{g}·w·onehot(target) (평균이면 Σw로 나눔)",
        ),
        (
            "grad_{g} = -Σ grad ⊙ w·onehot(target) (/ Σw), grad_{x} = 0",
            "grad_{g} = -Σ grad ⊙ w·onehot(target) (/ Σw), grad_{x} = 0",
        ),
        again(
            "The first backward put -{g} (times the class weight w, divided by Σw for a mean) at each sample's "
            "target class. {g} gets back minus the sum of grad at those places; {x} (the log-probabilities) did not "
            "enter that formula, so it gets 0.",
            "첫 번째 역전파는 각 샘플의 정답 클래스 자리에 -{g}를 (클래스 가중치 w를 곱하고, 평균이면 Σw로 나눠) "
            "놓았습니다. 그래서 {g}에는 그 자리들의 grad를 더해 부호를 바꾼 값이 전달되고, {x}(로그 확률)는 그 식에 "
            "들어가지 않았으므로 0을 받습니다.",
        ),
        (Slot("grad_output", "g", _nll_again), Slot("self", "x", lambda c: zeros_for(c, 1))),
        output="h",
    ),
)


def _sliced(ctx: Ctx) -> Expr:
    """slice_backward's backward: grad's part at the slice (derivatives.yaml: grad.slice(dim, start, end, step))."""
    dim, start, end, step = (ctx.integer(k) for k in ("dim", "start", "end", "step"))
    where = f"{start}:{end}" + (f":{step}" if step != 1 else "")
    rank = ctx.grad.value().dim() if isinstance(ctx.grad.value(), torch.Tensor) else 1
    return Form(
        f"{{0}}[{where} of axis {dim}]",
        f"{{0}}[{dim}번 축의 {where}]",
        [ctx.grad],
        lambda g: g[(slice(None),) * (dim % g.dim()) + (slice(start, end, step),)],
        nums="{0}" + indexing(rank, dim, where),
    )


add(
    Rule(
        "SliceBackwardBackward0",
        ("taking a slice's backward, differentiated again", "슬라이싱 역전파를 다시 미분"),
        (
            "{y} = {g} placed at [{where}] of axis {dim}, 0 elsewhere",
            "{y} = [{where}] 자리({dim}번 축)에 {g}, 나머지는 0",
        ),
        ("grad_{g} = grad[{where}] along axis {dim}", "grad_{g} = grad[{where}] ({dim}번 축 방향)"),
        again(
            "{g} gets back what grad holds at those places, grad[{where}] along axis {dim}.",
            "{g}에는 grad에서 그 자리들의 값, 곧 {dim}번 축의 grad[{where}] 값이 전달됩니다.",
        ),
        (Slot("grad_output", "g", _sliced),),
        params=lambda c: {
            "dim": c.integer("dim"),
            "where": f"{c.integer('start')}:{c.integer('end')}"
            + (f":{c.integer('step')}" if c.integer("step") != 1 else ""),
        },
        output="h",
    ),
)


# -- more activations, the regression and binary losses, and poolings, differentiated again -----------------------
# (derivatives.yaml: elu_backward, hardswish_backward, log_sigmoid_backward, huber_loss_backward,
# smooth_l1_loss_backward, binary_cross_entropy_backward, avg_pool2d_backward, adaptive_avg_pool2d_backward,
# max_pool2d_with_indices_backward; the formulas FunctionsManual.cpp computes them by)

BCE_EPS = 1e-12  # (binary_cross_entropy's kernels keep x·(1 - x) away from 0 by it, for every dtype)


def _elu_values(ctx: Ctx) -> tuple[torch.Tensor, float, float, float, bool]:
    """The saved input (or, after an in-place elu_, output), α, scale, input_scale and whether it is the output."""
    a, s, i = (float(scalar(ctx, k)) for k in ("alpha", "scale", "input_scale"))
    return ctx.tensor("self_or_result"), a, s, i, bool(ctx.raw("is_result"))


def _elu_slope(ctx: Ctx) -> Expr:
    """elu_backward on grad: scale where x > 0, else s·α·i·exp(i·x) (from the output y: i·(y + s·α))."""
    x, a, s, i, is_result = _elu_values(ctx)
    negative = i * (x + s * a) if is_result else i * a * s * torch.exp(x * i)
    return back(
        ctx, 0, ctx.grad * Sym(f"elu′({ctx.label(1, 'x')})", torch.where(x <= 0, negative, torch.full_like(x, s)))
    )


def _elu_curvature(ctx: Ctx) -> Expr:
    """elu_double_backward: grad·g·s·α·i²·exp(i·x) where x < 0 (from the output y: grad·g·i), else 0."""
    x, a, s, i, is_result = _elu_values(ctx)
    curvature = torch.full_like(x, i) if is_result else i * i * a * s * torch.exp(x * i)
    # (full_like, not s + 0·x: a NaN or infinite x takes the branch PyTorch's where gives it, not 0·inf = NaN)
    factor = Sym(f"elu″({ctx.label(1, 'x')})", torch.where(x < 0, curvature, torch.zeros_like(x)))
    return back(ctx, 1, ctx.grad * ctx.sym("grad_output") * factor)


def _hardswish_slope(ctx: Ctx) -> Expr:
    """hardswish_backward on grad: 0 up to -3, x/3 + 1/2 strictly between, 1 from 3 on (as the first backward)."""
    x = ctx.tensor("self")
    factor = torch.where(x <= -3, torch.zeros_like(x), torch.where(x < 3, x / 3 + 0.5, torch.ones_like(x)))
    name = ctx.label(1, "x")
    return back(
        ctx, 0, ctx.grad * by_cases(factor, ("0", f"{name} ≤ -3"), (f"{name}/3 + 1/2", f"{name} < 3"), otherwise="1")
    )


def _hardswish_curvature(ctx: Ctx) -> Expr:
    """grad·g/3 strictly between -3 and 3, else 0."""
    x = ctx.tensor("self")
    inside = indicator(f"-3 < {ctx.label(1, 'x')} < 3", (x > -3) & (x < 3))
    return back(ctx, 1, ctx.grad * ctx.sym("grad_output") * inside / Num(3))


def _log_sigmoid_curvature(ctx: Ctx) -> Expr:
    """log_sigmoid_double_backward: grad·g·(σ(x) - 1)·σ(x) = -grad·g·σ(x)·σ(-x)."""
    curvature = Form(
        "-σ({0})·σ(-{0})", "-σ({0})·σ(-{0})", [ctx.sym("self")], lambda v: -torch.sigmoid(v) * torch.sigmoid(-v)
    )
    return back(ctx, 1, ctx.grad * ctx.sym("grad_output") * curvature)


def _loss_n(ctx: Ctx) -> int:
    """N for a mean (the loss's input's element count), 1 for a sum or none."""
    return max(1, ctx.tensor("self").numel()) if ctx.integer("reduction") == 1 else 1


def _over_n(ctx: Ctx, expr: Expr) -> Expr:
    n = _loss_n(ctx)
    return expr if n == 1 else expr / Num(n, "N")


def _loss_grad_output(ctx: Ctx, per_entry: Expr) -> Expr:
    """What the loss's gradient g gets: grad ⊙ the first backward's per-entry factor (/N), summed when g was one
    number (a mean or a sum), entry by entry when the loss was not reduced."""
    part = _over_n(ctx, ctx.grad * per_entry)
    return part if ctx.integer("reduction") == 0 else _sum(part)


def _smooth_difference(ctx: Ctx, huber: bool) -> tuple[torch.Tensor, float]:
    """d = x - t as torch's double backward works it out, in the inputs' dtype (float32's 0.7 - 0.2 is 0.5, not
    inside β = 0.5, where float64's 0.49999998 of the same inputs is), and the width δ or β."""
    dtype = torch.result_type(ctx.raw("self"), ctx.raw("target"))
    return ctx.tensor("self").to(dtype) - ctx.tensor("target").to(dtype), float(
        scalar(ctx, "delta" if huber else "beta")
    )


def _smooth_slope(ctx: Ctx, huber: bool) -> Expr:
    """The first backward's per-entry factor: Huber's clamp(d, -δ, δ), smooth L1's d/β inside (-β, β), else ±1."""
    return _loss_grad_output(ctx, smooth_slope(ctx, huber))


def _smooth_curvature(ctx: Ctx, huber: bool, sign: int) -> Expr:
    """grad·g·1[|d| < δ] for Huber, grad·g·1[|d| < β]/β for smooth L1 (0 for β = 0), /N for a mean; the target's is
    the input's negated."""
    d, width = _smooth_difference(ctx, huber)
    # (a factor, not a selection: the double backwards multiply by (d < β).type_as(grad), so a NaN or infinite grad
    # outside the band gives NaN there, as in PyTorch)
    inside = Sym(f"1[|d| < {'δ' if huber else 'β'}]", (d.abs() < width).to(torch.float64))
    part = ctx.grad * ctx.sym("grad_output") * inside
    if not huber:
        part = part / Num(width, "β") if width != 0 else part * Num(0)
    part = _over_n(ctx, part)
    return back(ctx, 1 if sign > 0 else 2, part if sign > 0 else -part)


def _smooth_again(node: str, title: tuple[str, str], huber: bool) -> Rule:
    width = "δ" if huber else "β"
    slope, slope_ko = SLOPE[huber], SLOPE_KO[huber]
    curvature = "1[|d| < δ]" if huber else "1[|d| < β]/β"
    return Rule(
        node,
        title,
        (f"{{y}} = {{g}}·{slope}/N, d = {{x}} - {{t}}", f"{{y}} = {{g}}·{slope_ko}/N, d = {{x}} - {{t}}"),
        (
            f"∂{{y}}/∂{{g}} = {slope}/N, ∂{{y}}/∂{{x}} = {{g}}·{curvature}/N",
            f"∂{{y}}/∂{{g}} = {slope_ko}/N, ∂{{y}}/∂{{x}} = {{g}}·{curvature}/N",
        ),
        again(
            f"Here d = {{x}} - {{t}}, {width} = {{width}} and N = {{N}} (the count of entries for a mean, 1 "
            f"otherwise). {{g}} gets Σ grad · {slope}/N (entry by entry when the loss was not reduced), {{x}} gets "
            f"grad · {{g}} · {curvature}/N and {{t}} its negative: the loss curves only where |d| < {width}.",
            f"여기서 d = {{x}} - {{t}}, {width} = {{width}}, N = {{N}}입니다(평균이면 원소 개수, 아니면 1). {{g}}에는 "
            f"Σ grad · {slope_ko}/N(reduction='none'이면 원소별로), {{x}}에는 grad · {{g}} · {curvature}/N, {{t}}에는 "
            f"그 부호를 바꾼 값이 전달됩니다. 손실이 휘는 곳은 |d| < {width}인 곳뿐입니다.",
        ),
        (
            Slot("grad_output", "g", lambda c: _smooth_slope(c, huber)),
            Slot("self", "x", lambda c: _smooth_curvature(c, huber, 1)),
            Slot("target", "t", lambda c: _smooth_curvature(c, huber, -1)),
        ),
        params=lambda c: {"N": _loss_n(c), "width": Num(_smooth_difference(c, huber)[1]).label},
        output="h",
    )


def _bce_weighted(ctx: Ctx, expr: Expr) -> Expr:
    return expr * Sym(ctx.letter("w"), ctx.tensor("weight")) if ctx.has("weight") else expr


def _bce_slope(ctx: Ctx) -> Expr:
    """binary_cross_entropy_double_backward_grad_output: (x - t)/((x + ε)·(1 - x + ε))·w per entry."""
    core = Form(
        "({0} - {1})/(({0} + ε)·(1 - {0} + ε))",
        "({0} - {1})/(({0} + ε)·(1 - {0} + ε))",
        [ctx.sym("self"), ctx.sym("target")],
        lambda x, t: (x - t) / ((x + BCE_EPS) * (1 - x + BCE_EPS)),
    )
    return _loss_grad_output(ctx, _bce_weighted(ctx, core))


def _bce_curvature(ctx: Ctx) -> Expr:
    """binary_cross_entropy_double_backward: grad·g·(x² - 2·x·t + t)/((x + ε)²·(1 - x + ε)²)·w (/N)."""
    core = Form(
        "({0}² - 2·{0}·{1} + {1})/(({0} + ε)²·(1 - {0} + ε)²)",
        "({0}² - 2·{0}·{1} + {1})/(({0} + ε)²·(1 - {0} + ε)²)",
        [ctx.sym("self"), ctx.sym("target")],
        lambda x, t: (x * x - 2 * x * t + t) / ((x + BCE_EPS) ** 2 * (1 - x + BCE_EPS) ** 2),
    )
    return back(ctx, 1, _over_n(ctx, _bce_weighted(ctx, ctx.grad * ctx.sym("grad_output") * core)))


def _bce_target_again(ctx: Ctx) -> Expr:
    """binary_cross_entropy_double_backward_target: -grad·g·w/max(x·(1 - x), ε) (/N)."""
    core = Form(
        "1/({0}·(1 - {0}))",
        "1/({0}·(1 - {0}))",
        [ctx.sym("self")],
        lambda x: 1 / torch.clamp(x * (1 - x), min=BCE_EPS),
    )
    return back(ctx, 2, -_over_n(ctx, _bce_weighted(ctx, ctx.grad * ctx.sym("grad_output") * core)))


def _pooled(ctx: Ctx, en: str, ko: str, pool) -> Expr:
    """The pooling run again on grad: the first backward spread each window's g over its window, linearly."""
    return Form(en, ko, [ctx.grad], pool, bound=pool)


def _avg_pooled(ctx: Ctx) -> Expr:
    params = {k: ctx.raw(k) for k in ("kernel_size", "stride", "padding", "ceil_mode", "count_include_pad")}
    divisor = ctx.raw("divisor_override")
    return _pooled(
        ctx,
        "avg_pool2d({0})",
        "avg_pool2d({0})",
        lambda g: torch.nn.functional.avg_pool2d(g, divisor_override=divisor, **params),
    )


def _adaptive_pooled(ctx: Ctx) -> Expr:
    size = (ctx.integer("grad_output_sym_argsize_minus_2"), ctx.integer("grad_output_sym_argsize_minus_1"))
    return _pooled(
        ctx,
        f"adaptive_avg_pool2d({{0}}, {size})",
        f"adaptive_avg_pool2d({{0}}, {size})",
        lambda g: torch.nn.functional.adaptive_avg_pool2d(g, size),
    )


def _max_gathered(ctx: Ctx) -> Expr:
    """max_pool_double_backward: grad read at each window's saved argmax."""
    indices = ctx.tensor("indices").long()

    def gather(g: torch.Tensor) -> torch.Tensor:
        return g.flatten(-2).gather(-1, indices.flatten(-2)).view(indices.shape)

    return _pooled(ctx, "{0} at each window's max", "{0} (각 창의 최댓값 자리)", gather)


POOL_AGAIN = again(
    "The first backward spread {g} over the windows, linearly, and did not read {x}'s values: {g} gets grad pooled "
    "the same way again ({pool}), and {x} gets 0.",
    "첫 번째 역전파는 {g}를 각 창(window)에 선형으로 나눠 놓았을 뿐 {x}의 값은 쓰지 않았습니다. 그래서 {g}에는 "
    "grad를 같은 방식으로 다시 풀링한 값({pool_ko})이, {x}에는 0이 전달됩니다.",
)


def _pool_again(node: str, title: tuple[str, str], pool: tuple[str, str], slot_formula) -> Rule:
    """A pooling's backward differentiated again: `pool` (English, Korean) says what {g} gets, from grad."""
    return Rule(
        node,
        title,
        ("{y} = {g} spread back over the windows of {x}", "{y} = {g}를 {x}의 창에 다시 펼침"),
        (f"grad_{{g}} = {pool[0]}, grad_{{x}} = 0", f"grad_{{g}} = {pool[1]}, grad_{{x}} = 0"),
        POOL_AGAIN,
        (Slot("grad_output", "g", slot_formula), Slot("self", "x", lambda c: zeros_for(c, 1))),
        params=lambda c: {"pool": pool[0], "pool_ko": pool[1]},
        output="h",
    )


add(
    Rule(
        "EluBackwardBackward0",
        ("ELU's backward, differentiated again", "ELU 역전파를 다시 미분"),
        "{y} = {g}·elu′({x})",
        "∂{y}/∂{g} = elu′({x}), ∂{y}/∂{x} = {g}·elu″({x})",
        again(
            "elu′ is ELU's slope (its scale where {x} > 0, α·exp({x}) times the scales below) and elu″ its curvature "
            "(0 where {x} > 0, the same α·exp({x}) below). {g} gets grad · elu′({x}) and {x} gets grad · {g} · "
            "elu″({x}).",
            "elu′는 ELU의 기울기({x} > 0인 곳은 scale, 그 아래는 α·exp({x})에 scale을 곱한 값), "
            "elu″는 그 곡률({x} > 0인 곳은 0, 그 아래는 같은 α·exp({x}))입니다. "
            "{g}에는 grad · elu′({x}), {x}에는 grad · {g} · elu″({x})가 전달됩니다.",
        ),
        (Slot("grad_output", "g", _elu_slope), Slot("self_or_result", "x", _elu_curvature)),
        output="h",
    ),
    Rule(
        "HardswishBackwardBackward0",
        ("hardswish's backward, differentiated again", "hardswish 역전파를 다시 미분"),
        (
            "{y} = {g}·(0 if {x} ≤ -3, {x}/3 + 1/2 if {x} < 3, else 1)",
            "{y} = {g}·({x} ≤ -3이면 0, {x} < 3이면 {x}/3 + 1/2, 아니면 1)",
        ),
        (
            "∂{y}/∂{g} = hardswish′({x}), ∂{y}/∂{x} = {g}/3 if -3 < {x} < 3 else 0",
            "∂{y}/∂{g} = hardswish′({x}); ∂{y}/∂{x} = -3 < {x} < 3인 곳은 {g}/3, 나머지는 0",
        ),
        again(
            "Between -3 and 3 hardswish is the parabola {x}·({x} + 3)/6, whose slope {x}/3 + 1/2 rises by 1/3 per "
            "unit; outside it is flat or a straight line. {g} gets grad times that slope, and {x} gets grad · {g}/3 "
            "between -3 and 3, 0 elsewhere.",
            "-3과 3 사이에서 hardswish는 포물선 {x}·({x} + 3)/6이고, 그 기울기 {x}/3 + 1/2는 {x}가 1 커질 때마다 "
            "1/3씩 커집니다. 그 밖에서는 평평하거나 직선입니다. {g}에는 grad에 그 기울기를 곱한 값이, {x}에는 -3과 3 "
            "사이에서 grad · {g}/3, 나머지는 0이 전달됩니다.",
        ),
        (Slot("grad_output", "g", _hardswish_slope), Slot("self", "x", _hardswish_curvature)),
        output="h",
    ),
    Rule(
        "LogSigmoidBackwardBackward0",
        ("log-sigmoid's backward, differentiated again", "로그 시그모이드 역전파를 다시 미분"),
        "{y} = {g}·σ(-{x})",
        "∂{y}/∂{g} = σ(-{x}), ∂{y}/∂{x} = -{g}·σ({x})·σ(-{x})",
        again(
            "{g} gets grad · σ(-{x}) and {x} gets grad · {g} · (-σ({x})·σ(-{x})), the slope of σ(-{x}).",
            "{g}에는 grad · σ(-{x}), {x}에는 σ(-{x})의 기울기를 곱한 grad · {g} · (-σ({x})·σ(-{x}))가 전달됩니다.",
        ),
        (
            Slot(
                "grad_output",
                "g",
                lambda c: back(c, 0, c.grad * Form("σ(-{0})", "σ(-{0})", [c.sym("self")], lambda v: torch.sigmoid(-v))),
            ),
            Slot("self", "x", _log_sigmoid_curvature),
        ),
        output="h",
    ),
    _smooth_again(
        "HuberLossBackwardBackward0",
        ("Huber loss's backward, differentiated again", "Huber 손실 역전파를 다시 미분"),
        huber=True,
    ),
    _smooth_again(
        "SmoothL1LossBackwardBackward0",
        ("smooth L1 loss's backward, differentiated again", "smooth L1 손실 역전파를 다시 미분"),
        huber=False,
    ),
    Rule(
        "BinaryCrossEntropyBackwardBackward0",
        ("binary cross entropy's backward, differentiated again", "이진 교차 엔트로피 역전파를 다시 미분"),
        "{y} = {g}·({x} - {t})/({x}·(1 - {x}))/N",
        "∂{y}/∂{x} = {g}·({x}² - 2·{x}·{t} + {t})/({x}²·(1 - {x})²)/N",
        again(
            "Here N = {N} (the count of entries for a mean, 1 otherwise) and ε = 1e-12 keeps the denominators off 0. "
            "{g} gets Σ grad · ({x} - {t})/(({x} + ε)·(1 - {x} + ε))/N (entry by entry when the loss was not "
            "reduced), {x} gets grad · {g} · ({x}² - 2·{x}·{t} + {t})/(({x} + ε)²·(1 - {x} + ε)²)/N and {t} gets "
            "-grad · {g}/({x}·(1 - {x}))/N (each times the weight w when one was given).",
            "여기서 N = {N}입니다(평균이면 원소 개수, 아니면 1). ε = 1e-12는 분모가 0이 되지 않게 합니다. {g}에는 "
            "Σ grad · ({x} - {t})/(({x} + ε)·(1 - {x} + ε))/N(reduction='none'이면 원소별로), {x}에는 grad · {g} · "
            "({x}² - 2·{x}·{t} + {t})/(({x} + ε)²·(1 - {x} + ε)²)/N, {t}에는 -grad · {g}/({x}·(1 - {x}))/N이 "
            "전달됩니다(가중치 w를 주었으면 각각 w를 곱함).",
        ),
        (
            Slot("grad_output", "g", _bce_slope),
            Slot("self", "x", _bce_curvature),
            Slot("target", "t", _bce_target_again),
        ),
        params=lambda c: {"N": _loss_n(c)},
        output="h",
    ),
    _pool_again(
        "AvgPool2DBackwardBackward0",
        ("average pooling's backward, differentiated again", "평균 풀링 역전파를 다시 미분"),
        ("avg_pool2d(grad)", "avg_pool2d(grad)"),
        _avg_pooled,
    ),
    _pool_again(
        "AdaptiveAvgPool2DBackwardBackward0",
        ("adaptive average pooling's backward, differentiated again", "적응형 평균 풀링 역전파를 다시 미분"),
        ("adaptive_avg_pool2d(grad)", "adaptive_avg_pool2d(grad)"),
        _adaptive_pooled,
    ),
    _pool_again(
        "MaxPool2DWithIndicesBackwardBackward0",
        ("max pooling's backward, differentiated again", "최대 풀링 역전파를 다시 미분"),
        ("grad at each window's max", "각 창의 최댓값 자리의 grad"),
        _max_gathered,
    ),
)


# -- layer normalization's backward, differentiated again (a WGAN-GP critic with LayerNorm, a transformer's input
# gradient penalised) ------------------------------------------------------------------------------------------


def _layer_norm_first(ctx: Ctx):
    """The first backward as a function of (g, x, w), in float64: (grad_input, grad_weight, grad_bias). mean and rstd
    are the input's own (eps read back from the saved rstd), so their dependence on x is differentiated too, as
    PyTorch's layer_norm_double_backward does."""
    x = ctx.tensor("input")
    shape = tuple(ctx.raw("normalized_shape"))
    axes = tuple(range(x.dim() - len(shape), x.dim()))
    lead = tuple(range(x.dim() - len(shape)))
    n = math.prod(shape)
    saved_rstd = ctx.tensor("rstd").reshape(x.shape[: len(lead)] + (1,) * len(shape))
    eps = 1 / saved_rstd**2 - x.var(axes, unbiased=False, keepdim=True)
    has_weight = ctx.has("weight")

    def first(g: torch.Tensor, x_: torch.Tensor, w: torch.Tensor):
        mean = x_.mean(axes, keepdim=True)
        rstd = (((x_ - mean) ** 2).mean(axes, keepdim=True) + eps).rsqrt()
        x_hat = (x_ - mean) * rstd
        grad_input = normalized_grad(g * w if has_weight else g, x_hat, rstd, axes, n)
        return grad_input, (g * x_hat).sum(lead), g.sum(lead)

    weight = ctx.tensor("weight") if has_weight else torch.ones(shape, dtype=torch.float64)
    return first, x, weight


add(
    Rule(
        "NativeLayerNormBackwardBackward0",
        ("layer normalization's backward, differentiated again", "레이어 정규화 역전파를 다시 미분"),
        (
            "(grad_{x}, grad_{w}, grad_b) = layer_norm_backward({g}, {x}, {w})",
            "(grad_{x}, grad_{w}, grad_b) = layer_norm_backward({g}, {x}, {w})",
        ),
        ("see the formulas of each input", "각 입력의 식을 보세요"),
        again(
            "The first backward made three gradients from {g}, {x} and {w}: the input's (through x̂ = (x - mean)·rstd, "
            "whose mean and rstd depend on {x} too), the weight's Σ {g}·x̂ and the bias's Σ {g}. Each of {g}, {x} and "
            "{w} gets what those three received, carried back through that computation (a vector-Jacobian product, "
            "computed here from the recorded values); mean and rstd, worked out from {x}, get nothing of their own.",
            "첫 번째 역전파는 {g}, {x}, {w}로 세 그래디언트를 만들었습니다. "
            "입력의 그래디언트(x̂ = (x - 평균)·rstd를 거치며, 평균과 rstd도 {x}에 따라 달라짐), "
            "가중치의 그래디언트 Σ {g}·x̂, 편향의 그래디언트 Σ {g}입니다. {g}, {x}, {w}에는 그 셋이 받은 값을 이 "
            "계산을 거슬러 전한 값(벡터-야코비 곱, 여기서는 기록된 값으로 계산)이 전달됩니다. {x}로 구한 평균과 rstd는 "
            "따로 받지 않습니다.",
        ),
        (
            Slot("grad_out", "g", lambda c: _norm_again(c, _layer_norm_first, 0)),
            Slot("input", "x", lambda c: _norm_again(c, _layer_norm_first, 1)),
            Slot("mean", "μ", lambda c: Num(0)),
            Slot("rstd", "r", lambda c: Num(0)),
            Slot("weight", "w", lambda c: _norm_again(c, _layer_norm_first, 2)),
            Slot("bias", "b", lambda c: zeros_for(c, 5)),
        ),
        output="h",
    ),
)


def _batch_norm_first(ctx: Ctx):
    """Batch normalization's first backward as a function of (g, x, w), in float64 (see `_layer_norm_first`): in
    training the batch's mean and invstd are the input's own, in eval mode the running statistics are constants."""
    x = ctx.tensor("input")
    shape = [1, x.shape[1]] + [1] * (x.dim() - 2)
    axes = tuple(a for a in range(x.dim()) if a != 1)
    n = x.numel() // x.shape[1]
    eps, training = float(ctx.raw("eps")), bool(ctx.raw("train"))
    has_weight = ctx.has("weight")
    if not training:
        running_mean = ctx.tensor("running_mean").view(shape)
        running_invstd = (ctx.tensor("running_var") + eps).rsqrt().view(shape)

    def first(g: torch.Tensor, x_: torch.Tensor, w: torch.Tensor):
        w_ = w.view(shape)
        if training:
            mean = x_.mean(axes, keepdim=True)
            invstd = (((x_ - mean) ** 2).mean(axes, keepdim=True) + eps).rsqrt()
            x_hat = (x_ - mean) * invstd
            grad_input = w_ * normalized_grad(g, x_hat, invstd, axes, n)
        else:
            x_hat = (x_ - running_mean) * running_invstd
            grad_input = g * w_ * running_invstd
        return grad_input, (g * x_hat).sum(axes), g.sum(axes)

    weight = ctx.tensor("weight") if has_weight else torch.ones(x.shape[1], dtype=torch.float64)
    return first, x, weight


def _norm_again(ctx: Ctx, made, argument: int, incoming: str = "grad_out") -> Expr:
    """What the first backward's argument `argument` (0: g, 1: x, 2: w) gets: the vector-Jacobian product of the
    first backward `made(ctx)` gives with the gradients its outputs received (0 for one that got none); `incoming`:
    the name the node saved g under."""
    first, x, weight = made(ctx)
    g = ctx.tensor(incoming)
    outputs = first(g, x, weight)
    received = [
        ctx.grad_tensor(i) if i < len(ctx.grad_outputs) and ctx.grad_outputs[i] is not None else torch.zeros_like(out)
        for i, out in enumerate(outputs)
    ]

    def product(*grads: torch.Tensor) -> torch.Tensor:
        pull = torch.func.vjp(first, g, x, weight)[1]
        return pull(tuple(grads))[argument]

    letter = "gxw"[argument]
    en, ko = f"∂(first backward)/∂{letter} applied to grad", f"grad에 ∂(첫 번째 역전파)/∂{letter}를 적용"
    grads = [Sym("grad" if i == 0 else f"grad{i}", value) for i, value in enumerate(received)]
    return Form(en, ko, grads, product, nums=en)


add(
    Rule(
        "NativeBatchNormBackwardBackward0",
        ("batch normalization's backward, differentiated again", "배치 정규화 역전파를 다시 미분"),
        (
            "(grad_{x}, grad_{w}, grad_b) = batch_norm_backward({g}, {x}, {w})",
            "(grad_{x}, grad_{w}, grad_b) = batch_norm_backward({g}, {x}, {w})",
        ),
        ("see the formulas of each input", "각 입력의 식을 보세요"),
        again(
            "The first backward made three gradients from {g}, {x} and {w}: the input's (in training through the "
            "batch's mean and invstd, which depend on {x} too; in eval mode grad · w · invstd of the running "
            "statistics), the weight's Σ {g}·x̂ and the bias's Σ {g}, per channel. Each of {g}, {x} and {w} gets what "
            "those three received, carried back through that computation (a vector-Jacobian product, computed here "
            "from the recorded values); the running statistics get nothing.",
            "첫 번째 역전파는 {g}, {x}, {w}로 채널마다 세 그래디언트를 만들었습니다. 입력의 그래디언트(학습 "
            "중에는 {x}에 따라 달라지는 배치의 평균과 invstd를 거치고, 평가 모드에서는 누적 통계로 grad · w · "
            "invstd), 가중치의 그래디언트 Σ {g}·x̂, 편향의 그래디언트 Σ {g}입니다. {g}, {x}, {w}에는 그 셋이 받은 "
            "값을 이 계산을 거슬러 전한 값(벡터-야코비 곱, 여기서는 기록된 값으로 계산)이 전달되고, 누적 통계는 "
            "받지 않습니다.",
        ),
        (
            Slot("grad_out", "g", lambda c: _norm_again(c, _batch_norm_first, 0)),
            Slot("input", "x", lambda c: _norm_again(c, _batch_norm_first, 1)),
            Slot("weight", "w", lambda c: _norm_again(c, _batch_norm_first, 2)),
            Slot("running_mean", "μ", lambda c: Num(0)),
            Slot("running_var", "σ²", lambda c: Num(0)),
        ),
        output="h",
    ),
)


# -- padding, adaptive max pooling, 3-d average pooling and upsampling, differentiated again: like the poolings
# above, each first backward is linear in its gradient and reads no value of the input


def _padded(ctx: Ctx, mode: str) -> Expr:
    padding = tuple(ctx.raw("padding"))
    return _pooled(
        ctx,
        f"pad({{0}}, {padding}, '{mode}')",
        f"pad({{0}}, {padding}, '{mode}')",
        lambda g: torch.nn.functional.pad(g, padding, mode=mode),
    )


def _avg_pooled_3d(ctx: Ctx) -> Expr:
    kernel, stride, padding = (list(ctx.raw(k)) for k in ("kernel_size", "stride", "padding"))
    ceil_mode, include_pad, divisor = ctx.raw("ceil_mode"), ctx.raw("count_include_pad"), ctx.raw("divisor_override")
    return _pooled(
        ctx,
        "avg_pool3d({0})",
        "avg_pool3d({0})",
        lambda g: torch.ops.aten.avg_pool3d(g, kernel, stride, padding, ceil_mode, include_pad, divisor),
    )


SCALES = {1: ("scales",), 2: ("scales_h", "scales_w"), 3: ("scales_d", "scales_h", "scales_w")}


def _upsampled(ctx: Ctx, op: str, rank: int, mode: str) -> Expr:
    """The upsampling itself (`aten.<op>`) run on grad: its first backward was the upsampling's transpose."""
    size = list(ctx.raw("output_size"))
    scales = [ctx.raw(k) for k in SCALES[rank]]
    corners = [bool(ctx.raw("align_corners"))] if "align_corners" in ctx.saved else []
    upsample = getattr(torch.ops.aten, op)
    text = f"interpolate({{0}}, {tuple(size)}, {mode})"
    return _pooled(ctx, text, text, lambda g: upsample(g, size, *corners, *scales))


UPSAMPLE_AGAIN = again(
    "The first backward summed {g} back over the pixels each output pixel was read from, linearly: {g} gets grad "
    "upsampled the same way again ({pool}).",
    "첫 번째 역전파는 {g}를 각 출력 픽셀이 읽었던 픽셀들로 선형으로 모아 더했습니다. 그래서 {g}에는 grad를 같은 "
    "방식으로 다시 키운 값({pool_ko})이 전달됩니다.",
)


def _upsample_again(node: str, op: str, rank: int, mode: str, title: tuple[str, str]) -> Rule:
    pool = (f"interpolate(grad, {mode})", f"interpolate(grad, {mode})")
    return Rule(
        node,
        (f"{title[0]}'s backward, differentiated again", f"{title[1]} 역전파를 다시 미분"),
        ("{y} = {g} summed back to the input's pixels", "{y} = {g}를 입력 픽셀로 모아 더함"),
        (f"grad_{{g}} = {pool[0]}", f"grad_{{g}} = {pool[1]}"),
        UPSAMPLE_AGAIN,
        (Slot("grad_output", "g", lambda c: _upsampled(c, op, rank, mode)),),
        params=lambda c: {"pool": pool[0], "pool_ko": pool[1]},
        output="h",
    )


add(
    *(
        _pool_again(
            f"{kind}Pad{rank}DBackwardBackward0",
            (f"{word} padding's backward, differentiated again", f"{word_ko} 역전파를 다시 미분"),
            (f"pad(grad, '{mode}')", f"pad(grad, '{mode}')"),
            lambda c, mode=mode: _padded(c, mode),
        )
        for kind, word, word_ko, mode in (
            ("Reflection", "reflection", "거울처럼 채우기(reflect 패딩)", "reflect"),
            ("Replication", "replication", "가장자리 반복으로 채우기(replicate 패딩)", "replicate"),
        )
        for rank in (1, 2)  # (the 3-d pads' backward is differentiated as the pad itself, a node of its own)
    ),
    _pool_again(
        "AdaptiveMaxPool2DBackwardBackward0",
        ("adaptive max pooling's backward, differentiated again", "적응형 최대 풀링 역전파를 다시 미분"),
        ("grad at each window's max", "각 창의 최댓값 자리의 grad"),
        _max_gathered,
    ),
    _pool_again(
        "AvgPool3DBackwardBackward0",
        ("3-d average pooling's backward, differentiated again", "3차원 평균 풀링 역전파를 다시 미분"),
        ("avg_pool3d(grad)", "avg_pool3d(grad)"),
        _avg_pooled_3d,
    ),
    *(
        _upsample_again(f"Upsample{kind}BackwardBackward0", op, rank, mode, title)
        for kind, rank, op, mode, title in (
            ("Nearest1D", 1, "upsample_nearest1d", "nearest", ("nearest upsampling", "최근접 업샘플링")),
            ("Nearest2D", 2, "upsample_nearest2d", "nearest", ("nearest upsampling", "최근접 업샘플링")),
            ("Nearest3D", 3, "upsample_nearest3d", "nearest", ("nearest upsampling", "최근접 업샘플링")),
            (
                "NearestExact1D",
                1,
                "_upsample_nearest_exact1d",
                "nearest-exact",
                ("nearest upsampling", "최근접 업샘플링"),
            ),
            (
                "NearestExact2D",
                2,
                "_upsample_nearest_exact2d",
                "nearest-exact",
                ("nearest upsampling", "최근접 업샘플링"),
            ),
            (
                "NearestExact3D",
                3,
                "_upsample_nearest_exact3d",
                "nearest-exact",
                ("nearest upsampling", "최근접 업샘플링"),
            ),
            ("Linear1D", 1, "upsample_linear1d", "linear", ("linear upsampling", "선형 보간 업샘플링")),
            ("Bilinear2D", 2, "upsample_bilinear2d", "bilinear", ("bilinear upsampling", "쌍선형 보간 업샘플링")),
            (
                "Bilinear2DAa",
                2,
                "_upsample_bilinear2d_aa",
                "bilinear",
                ("antialiased bilinear resizing", "안티에일리어싱 쌍선형 보간 크기 조절"),
            ),
            ("Bicubic2D", 2, "upsample_bicubic2d", "bicubic", ("bicubic upsampling", "쌍삼차 보간 업샘플링")),
            (
                "Bicubic2DAa",
                2,
                "_upsample_bicubic2d_aa",
                "bicubic",
                ("antialiased bicubic resizing", "안티에일리어싱 쌍삼차 보간 크기 조절"),
            ),
            ("Trilinear3D", 3, "upsample_trilinear3d", "trilinear", ("trilinear upsampling", "삼선형 보간 업샘플링")),
        )
    ),
)


def _prelu_first(ctx: Ctx):
    """PReLU's first backward (_prelu_kernel_backward) as a function of (g, x, w), in float64: the input's gradient
    g·(1 if x > 0 else w) and the weight's, entry by entry, g·(0 if x > 0 else x) (summed to w's shape after it)."""

    def first(g: torch.Tensor, x: torch.Tensor, w: torch.Tensor):
        positive = x >= 0  # (as PyTorch's double backward tests it; its first backward passes x = 0 times w)
        return g * torch.where(positive, torch.ones_like(x), w), g * torch.where(positive, torch.zeros_like(x), x)

    return first, ctx.tensor("self"), ctx.tensor("weight")


def _prelu_weight_again(ctx: Ctx) -> Expr:
    """The slope's share: grad · g where x < 0, else 0, summed to the slope's shape (as PyTorch sums it)."""
    x = ctx.tensor("self")
    return back(ctx, 2, ctx.grad * ctx.sym("grad_output") * indicator(f"{ctx.label(1, 'x')} < 0", ~(x >= 0)))


add(
    Rule(
        "PreluKernelBackwardBackward0",
        ("PReLU's backward, differentiated again", "PReLU(기울기를 학습하는 leaky ReLU) 역전파를 다시 미분"),
        (
            "(grad_{x}, grad_{w}) = ({g}·(1 if {x} > 0 else {w}), {g}·(0 if {x} > 0 else {x}))",
            "(grad_{x}, grad_{w}) = ({g}·({x} > 0이면 1, 아니면 {w}), {g}·({x} > 0이면 0, 아니면 {x}))",
        ),
        ("see the formulas of each input", "각 입력의 식을 보세요"),
        again(
            "The first backward made two gradients from {g}, {x} and {w}: the input's {g}·(1 if {x} > 0 else {w}) and "
            "the slope's {g}·(0 if {x} > 0 else {x}). Each of {g}, {x} and {w} gets what those two received, carried "
            "back through them (a vector-Jacobian product, computed here from the recorded values): {g} gets grad · "
            "(1 or {w}) plus grad2 · (0 or {x}), {x} gets grad2 · {g} where {x} < 0, and {w} gets Σ grad · {g} there.",
            "첫 번째 역전파는 {g}, {x}, {w}로 두 그래디언트를 만들었습니다. 입력의 그래디언트 "
            "{g}·({x} > 0이면 1, 아니면 {w})와 기울기 매개변수의 그래디언트 {g}·({x} > 0이면 0, 아니면 {x})입니다. "
            "{g}, {x}, {w}에는 그 둘이 받은 값을 이 계산을 거슬러 전한 값"
            "(벡터-야코비 곱, 여기서는 기록된 값으로 계산)이 전달됩니다. "
            "{g}에는 grad · (1 또는 {w}) + grad2 · (0 또는 {x}), {x}에는 {x} < 0인 곳의 grad2 · {g}, "
            "{w}에는 그곳의 Σ grad · {g}가 전달됩니다.",
        ),
        (
            Slot("grad_output", "g", lambda c: _norm_again(c, _prelu_first, 0, "grad_output")),
            Slot("self", "x", lambda c: _norm_again(c, _prelu_first, 1, "grad_output")),
            Slot("weight", "w", _prelu_weight_again),
        ),
        output="h",
    ),
)


# -- diagonal, GLU and embedding lookups, differentiated again; embedding_bag, which PyTorch cannot --------------------


def _diagonal_again(ctx: Ctx) -> Expr:
    """diagonal_backward placed g on the diagonal of zeros: g gets grad's diagonal back (derivatives.yaml)."""
    offset, dim1, dim2 = ctx.integer("offset"), ctx.integer("dim1"), ctx.integer("dim2")
    text = f"diagonal({{0}}, {offset}, {dim1}, {dim2})"
    return Form(text, text, [ctx.grad], lambda g: g.diagonal(offset, dim1, dim2))


def _vjp_again(ctx: Ctx, first, argument: int, letters: str) -> Expr:
    """What the first backward's argument `argument` gets: the vector-Jacobian product of `first` (a function of the
    saved `grad_output` and `self`) with grad, computed from the recorded values."""
    g, x = ctx.tensor("grad_output"), ctx.tensor("self")

    def product(grad: torch.Tensor) -> torch.Tensor:
        return torch.func.vjp(first, g, x)[1](grad)[argument]

    letter = letters[argument]
    en, ko = f"∂(first backward)/∂{letter} applied to grad", f"grad에 ∂(첫 번째 역전파)/∂{letter}를 적용"
    return Form(en, ko, [ctx.grad], product, nums=en)


def _glu_first(ctx: Ctx):
    dim = ctx.integer("dim")
    return lambda g, x: torch.ops.aten.glu_backward(g, x, dim)


def _embedding_again(ctx: Ctx) -> Expr:
    """embedding_dense_backward added each row of g into the weight's row its index names: g gets grad's rows back,
    looked up by the same indices (0 at the padding index, which got nothing)."""
    indices = ctx.tensor("indices").long()
    padding = ctx.integer("padding_idx")

    def rows(g: torch.Tensor, index: torch.Tensor) -> torch.Tensor:
        looked_up = torch.nn.functional.embedding(index, g)
        return looked_up.masked_fill((index == padding).unsqueeze(-1), 0) if padding >= 0 else looked_up

    return Form("{0}[indices]", "{0}[indices]", [ctx.grad, Shown("indices", indices)], rows, nums="{0}[{1}]")


add(
    Rule(
        "DiagonalBackwardBackward0",
        ("taking a diagonal's backward, differentiated again", "대각선 꺼내기의 역전파를 다시 미분"),
        ("{y} = {g} placed on the diagonal ({offset}, {dim1}, {dim2}), 0 elsewhere", "{y} = 대각선에 {g}, 나머지 0"),
        ("grad_{g} = the diagonal of grad", "grad_{g} = grad의 대각선"),
        again(
            "The first backward put {g} on the diagonal of zeros, so {g} gets back what grad holds on that diagonal.",
            "첫 번째 역전파는 {g}를 0으로 채운 텐서의 대각선에 놓았습니다. 그래서 {g}에는 grad의 그 대각선 값이 "
            "전달됩니다.",
        ),
        (Slot("grad_output", "g", _diagonal_again),),
        params=lambda c: {"offset": c.integer("offset"), "dim1": c.integer("dim1"), "dim2": c.integer("dim2")},
        output="h",
    ),
    Rule(
        "GluBackwardBackward0",
        ("GLU's backward, differentiated again", "게이트 선형 유닛(GLU) 역전파를 다시 미분"),
        (
            "{y} = glu_backward({g}, {x}): [{g}·σ(b), {g}·a·σ(b)·(1 - σ(b))] for {x} = [a, b]",
            "{y} = glu_backward({g}, {x}): {x} = [a, b]일 때 [{g}·σ(b), {g}·a·σ(b)·(1 - σ(b))]",
        ),
        ("see the formulas of each input", "각 입력의 식을 보세요"),
        again(
            "GLU splits {x} in two halves a and b and gives a·σ(b); its first backward made a's gradient {g}·σ(b) "
            "and b's {g}·a·σ(b)·(1 - σ(b)). Each of {g} and {x} gets what those received, carried back through them "
            "(a vector-Jacobian product, computed here from the recorded values).",
            "GLU는 {x}를 두 반쪽 a와 b로 나누어 a·σ(b)를 냅니다. 첫 번째 역전파는 a의 그래디언트 {g}·σ(b)와 b의 "
            "그래디언트 {g}·a·σ(b)·(1 - σ(b))를 만들었습니다. {g}와 {x}에는 그 둘이 받은 값을 이 계산을 거슬러 "
            "전한 값(벡터-야코비 곱, 여기서는 기록된 값으로 계산)이 전달됩니다.",
        ),
        (
            Slot("grad_output", "g", lambda c: _vjp_again(c, _glu_first(c), 0, "gx")),
            Slot("self", "x", lambda c: _vjp_again(c, _glu_first(c), 1, "gx")),
        ),
        output="h",
    ),
    Rule(
        "EmbeddingDenseBackwardBackward0",
        ("embedding lookup's backward, differentiated again", "임베딩 조회 역전파를 다시 미분"),
        ("{y} = each row of {g} added into the weight row its index names", "{y} = {g}의 각 행을 인덱스의 행에 더함"),
        ("grad_{g} = grad[indices]", "grad_{g} = grad[indices]"),
        again(
            "The first backward added each row of {g} into the row of the table its index names, so {g} gets grad's "
            "rows looked up by the same indices (0 where the index is the padding index).",
            "첫 번째 역전파는 {g}의 각 행을 인덱스가 가리키는 표의 행에 더했습니다. 그래서 {g}에는 같은 인덱스로 "
            "grad에서 찾은 행이 전달됩니다(인덱스가 padding_idx인 곳은 0).",
        ),
        (Slot("grad_output", "g", _embedding_again),),
        output="h",
    ),
    Rule(
        "EmbeddingBagBackwardBackward0",
        ("embedding bags' backward, differentiated again", "임베딩 묶음(EmbeddingBag) 역전파를 다시 미분"),
        ("{y} = embedding_bag_backward({g})", "{y} = embedding_bag_backward({g})"),
        ("∂{y}/∂{g}: none in PyTorch", "∂{y}/∂{g}: PyTorch에는 없음"),
        (
            "PyTorch defines no derivative for the backward of embedding_bag (derivatives.yaml: not_implemented), so "
            "a gradient taken with create_graph=True (MAML's inner step, a gradient penalty) stops here with "
            "NotImplementedError when it is differentiated again. nn.Embedding followed by .mean(1) or .sum(1) "
            "computes the same bags and can be differentiated twice.",
            "PyTorch에는 embedding_bag 역전파의 미분이 정의되어 있지 않아(derivatives.yaml: not_implemented), "
            "create_graph=True로 구한 그래디언트(MAML의 안쪽 단계, 그래디언트 페널티)를 다시 미분하면 이 노드에서 "
            "NotImplementedError가 납니다. nn.Embedding 다음에 .mean(1)이나 .sum(1)을 쓰면 같은 값을 계산하면서 두 번 "
            "미분할 수 있습니다.",
        ),
        (
            Slot("grad", "g", _no_derivative("_embedding_bag_backward", 0)),
            Slot("per_sample_weights", "p", _no_derivative("_embedding_bag_backward", 1)),
        ),
        output="h",
    ),
)


# -- shrinkage, soft margin and RReLU, differentiated again (derivatives.yaml: hardshrink_backward, softshrink_backward,
# soft_margin_loss_backward, rrelu_with_noise_backward) ------------------------------------------------------------


def _shrink_pass(ctx: Ctx) -> Expr:
    """hardshrink_backward and softshrink_backward on the incoming gradient: `(x >= -λ && x <= λ) ? 0 : grad` (λ in the
    input's dtype, a NaN passes)."""
    x, lambd = ctx.tensor("self"), ctx.as_input(ctx.raw("lambd"))
    label = f"|{ctx.label(1, 'x')}| > {Num(float(ctx.raw('lambd'))).label}"
    return back(ctx, 0, ctx.grad * indicator(label, ~((x >= -lambd) & (x <= lambd)), nan=torch.isnan(x)))


def _shrink_again(node: str, title: tuple[str, str]) -> Rule:
    return Rule(
        node,
        title,
        "{y} = {g}·1[|{x}| > {lambd}]",
        "∂{y}/∂{g} = 1[|{x}| > {lambd}], ∂{y}/∂{x} = 0",
        again(
            "{g} gets grad outside ±{lambd} and 0 inside, where the first backward sent 0; {x} only chose where to "
            "pass, so it gets 0.",
            "{g}에는 ±{lambd} 밖에서는 grad가, 첫 번째 역전파가 0을 보낸 안쪽에서는 0이 전달됩니다. {x}는 통과시킬 "
            "자리를 고르기만 했으므로 0을 받습니다.",
        ),
        (Slot("grad_output", "g", _shrink_pass), Slot("self", "x", lambda c: zeros_for(c, 1))),
        params=lambda c: {"lambd": Num(float(c.raw("lambd"))).label},
        output="h",
    )


def _soft_margin_slope(ctx: Ctx) -> Expr:
    """soft_margin_loss_backward with a gradient of 1: -t·z/(1 + z) = -t·σ(-t·x) (/N), summed against grad."""
    label = f"(-{ctx.letter('t')}·σ(-{ctx.letter('t')}·{ctx.label(1, 'x')}))"
    return _loss_grad_output(ctx, Sym(label, soft_margin_slope(ctx, ctx.tensor("self"), ctx.tensor("target"))))


def _soft_margin_curvature(ctx: Ctx) -> Expr:
    """soft_margin_loss_double_backward(grad·g): grad·g·t²·z/(1 + z)² = grad·g·t²·σ(t·x)·σ(-t·x) (/N)."""
    t, z = soft_margin_z(ctx, ctx.tensor("self"), ctx.tensor("target"))
    tl, x = ctx.letter("t"), ctx.label(1, "x")
    curvature = Sym(f"{tl}²·σ({tl}·{x})·σ(-{tl}·{x})", (t * t * z / ((z + 1) * (z + 1))).to(torch.float64))
    return back(ctx, 1, _over_n(ctx, ctx.grad * ctx.sym("grad_output") * curvature))


def _rrelu_drawn(ctx: Ctx) -> bool:
    """rrelu_with_noise_backward multiplies by the saved noise only in training with lower < upper; otherwise (eval,
    where the noise is never filled in) it is leaky ReLU's backward with the slope (lower + upper)/2."""
    return bool(ctx.raw("training")) and float(scalar(ctx, "upper")) - float(scalar(ctx, "lower")) > 1e-6


def _rrelu_again_slopes(ctx: Ctx) -> Expr:
    if _rrelu_drawn(ctx):
        return back(ctx, 0, ctx.grad * Sym("noise", ctx.tensor("noise"), "noise"))
    x = ctx.tensor("self")
    slope = (float(scalar(ctx, "lower")) + float(scalar(ctx, "upper"))) / 2
    slopes = torch.where(x > 0, torch.ones_like(x), torch.full_like(x, slope))
    return back(ctx, 0, ctx.grad * by_cases(slopes, ("1", f"{ctx.label(1, 'x')} > 0"), otherwise=Num(slope).label))


def _rrelu_again_params(ctx: Ctx) -> dict[str, str]:
    lower, upper = float(scalar(ctx, "lower")), float(scalar(ctx, "upper"))
    a, x, g = ctx.letter("a"), ctx.label(1, "x"), ctx.label(0, "g")
    if _rrelu_drawn(ctx):
        span = f"[{Num(lower).label}, {Num(upper).label}]"
        return {
            "a": a,
            "how_en": f"In training the first backward multiplied {g} by the saved noise ({a}, drawn from {span}, "
            f"where {x} ≤ 0; 1 elsewhere)",
            "how_ko": f"학습 중에는 첫 번째 역전파가 저장해 둔 noise({x} ≤ 0인 곳은 {span}에서 뽑은 {a}, 나머지는 "
            f"1)를 {g}에 곱했습니다.",
            "passed_en": "grad · noise",
            "passed_ko": "grad · noise가",
        }
    slope = Num((lower + upper) / 2).label
    return {
        "a": a,
        "how_en": f"In eval mode the slope {a} is fixed at (lower + upper)/2 = {slope}, as in leaky ReLU",
        "how_ko": f"평가 모드에서는 Leaky ReLU처럼 음수 쪽 기울기 {a}의 값이 (lower + upper)/2 = {slope}에 고정됩니다.",
        "passed_en": f"grad where {x} > 0 and grad · {slope} elsewhere",
        "passed_ko": f"{x} > 0인 곳은 grad, 나머지는 grad·{slope} 값이",
    }


add(
    _shrink_again(
        "HardshrinkBackwardBackward0",
        ("hard shrinkage's backward, differentiated again", "하드 축소(hardshrink) 역전파를 다시 미분"),
    ),
    _shrink_again(
        "SoftshrinkBackwardBackward0",
        ("soft shrinkage's backward, differentiated again", "소프트 축소(softshrink) 역전파를 다시 미분"),
    ),
    Rule(
        "SoftMarginLossBackwardBackward0",
        ("soft margin loss's backward, differentiated again", "소프트 마진 손실 역전파를 다시 미분"),
        "{y} = {g}·(-{t}·σ(-{t}·{x}))/N",
        "∂{y}/∂{g} = -{t}·σ(-{t}·{x})/N, ∂{y}/∂{x} = {g}·{t}²·σ({t}·{x})·σ(-{t}·{x})/N",
        again(
            "Here N = {N} (the count of entries for a mean, 1 otherwise); the label {t} takes no gradient. {g} gets "
            "Σ grad · -{t}·σ(-{t}·{x})/N (entry by entry when the loss was not reduced) and {x} gets grad · {g} · "
            "{t}²·σ({t}·{x})·σ(-{t}·{x})/N: the loss curves most where {t}·{x} is near 0.",
            "여기서 N = {N}입니다(평균이면 원소 개수, 아니면 1). 레이블 {t}는 그래디언트를 받지 않습니다. {g}에는 "
            "Σ grad · -{t}·σ(-{t}·{x})/N(reduction='none'이면 원소별로), {x}에는 grad · {g} · "
            "{t}²·σ({t}·{x})·σ(-{t}·{x})/N이 전달됩니다. 손실은 {t}·{x}가 0 근처일 때 가장 크게 휩니다.",
        ),
        (Slot("grad_output", "g", _soft_margin_slope), Slot("self", "x", _soft_margin_curvature)),
        params=lambda c: {"N": _loss_n(c), "t": c.letter("t")},
        output="h",
    ),
    Rule(
        "RreluWithNoiseBackwardBackward0",
        (
            "randomized leaky ReLU's (RReLU's) backward, differentiated again",
            "무작위 Leaky ReLU(RReLU) 역전파를 다시 미분",
        ),
        ("{y} = {g}·(1 if {x} > 0 else {a})", "{y} = {g}·({x} > 0이면 1, 아니면 {a})"),
        (
            "∂{y}/∂{g} = 1 if {x} > 0 else {a}, ∂{y}/∂{x} = 0",
            "∂{y}/∂{g} = {x} > 0인 곳은 1, 나머지는 {a}; ∂{y}/∂{x} = 0",
        ),
        again(
            "{how_en}, so {g} gets {passed_en}; {x} only chose the slope, so it gets 0.",
            "{how_ko} 그래서 {g}에는 {passed_ko} 전달되고, {x}는 기울기만 골랐으므로 0을 받습니다.",
        ),
        (Slot("grad_output", "g", _rrelu_again_slopes), Slot("self", "x", lambda c: zeros_for(c, 1))),
        params=_rrelu_again_params,
        output="h",
    ),
)
