"""Activations (derivatives.yaml: tanh, sigmoid, relu, gelu, silu, leaky_relu, elu, celu, softplus, hardtanh,
hardswish, hardsigmoid, mish, log_sigmoid, _softmax, _log_softmax; the backward kernels as
torch/_decomp/decompositions.py writes them)."""

import math
from dataclasses import replace

import numpy as np
import torch
import torch.nn.functional as F

from ..expr import Expr, Form, Mask, Num, Sym, by_cases, cases, summed_to
from ..rule import RULES, Ctx, Rule, Slot, add
from .elementwise import indicator, scalar


def unary(node, title, forward, local, words, grad, params=None, named=None) -> Rule:
    return Rule(node, title, forward, local, words, (Slot("self", "x", grad),), params=params, named=named)


def _gelu(ctx: Ctx) -> Expr:
    x = ctx.sym("self")
    if ctx.saved.get("approximate", "none") == "tanh":
        return ctx.grad * Form("gelu_tanh′({0})", "gelu_tanh′({0})", [x], _gelu_tanh_derivative)
    return ctx.grad * Form("(Φ({0}) + {0}·φ({0}))", "(Φ({0}) + {0}·φ({0}))", [x], _gelu_derivative)


def _gelu_derivative(x):
    cdf = 0.5 * (1 + torch.erf(x / math.sqrt(2)))
    pdf = torch.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)
    return cdf + x * pdf


def _gelu_tanh_derivative(x):
    beta, kappa = math.sqrt(2 / math.pi), 0.044715
    inner = torch.tanh(beta * (x + kappa * x**3))
    return 0.5 * (1 + inner) + 0.5 * x * (1 - inner**2) * beta * (1 + 3 * kappa * x**2)


def _silu(ctx: Ctx) -> Expr:
    x = ctx.sym("self")

    def derivative(v):
        s = torch.sigmoid(v)
        return s * (1 + v * (1 - s))

    return ctx.grad * Form("σ({0})·(1 + {0}·(1 - σ({0})))", "σ({0})·(1 + {0}·(1 - σ({0})))", [x], derivative)


def _leaky(ctx: Ctx) -> Expr:
    x, slope = ctx.tensor("self"), float(scalar(ctx, "negative_slope"))
    factor = torch.where(x > 0, torch.ones_like(x), torch.full_like(x, slope))
    return ctx.grad * by_cases(factor, ("1", f"{ctx.label(0, 'x')} > 0"), otherwise=Num(slope).label)


def _leaky_in_place(ctx: Ctx) -> Expr:
    """leaky_relu_ (derivatives.yaml: leaky_relu_backward(grad, result, negative_slope, true)): the input is gone,
    so the output's sign says which side each entry was on."""
    y, slope = ctx.tensor("result"), float(scalar(ctx, "negative_slope"))
    factor = torch.where(y > 0, torch.ones_like(y), torch.full_like(y, slope))
    return ctx.grad * by_cases(factor, ("1", f"{ctx.output_label()} > 0"), otherwise=Num(slope).label)


def _elu(ctx: Ctx) -> Expr:
    x = ctx.tensor("self")
    a, s, i = (float(scalar(ctx, k)) for k in ("alpha", "scale", "input_scale"))
    factor = torch.where(x <= 0, i * a * s * torch.exp(x * i), torch.full_like(x, s))
    from ..expr import Sym

    return ctx.grad * Sym(f"elu′({ctx.label(0, 'x')})", factor)


def _celu(ctx: Ctx) -> Expr:
    """celu (derivatives.yaml: elu_backward(grad, alpha, 1, 1/alpha, false, self)): 1 where x > 0, else exp(x/α)."""
    x, a = ctx.tensor("self"), float(scalar(ctx, "alpha"))
    inverse = 1.0 / float(np.float32(a))  # (PyTorch's 1/α, from α rounded to float32: `1.0/alpha.toFloat()`)
    factor = torch.where(x <= 0, a * inverse * torch.exp(x * inverse), torch.ones_like(x))  # (elu_backward: a NaN 1)
    return ctx.grad * by_cases(
        factor, ("1", f"{ctx.label(0, 'x')} > 0"), otherwise=f"exp({_celu_params(ctx)['scaled']})"
    )


def _celu_params(ctx: Ctx) -> dict:
    """α, and x/α as formulas write it (x itself when α = 1)."""
    a, name = float(scalar(ctx, "alpha")), ctx.label(0, "x")
    return {"alpha": Num(a).label, "scaled": name if a == 1 else f"{name}/{Num(a).label}"}


def _mish(ctx: Ctx) -> Expr:
    """mish (torch/_decomp: mish_backward): tanh(softplus(x)) + x·σ(x)·(1 - tanh²(softplus(x)))."""
    x = ctx.sym("self")

    def derivative(v):
        t = torch.tanh(F.softplus(v))
        return t + v * torch.sigmoid(v) * (1 - t * t)

    return ctx.grad * Form(
        "(tanh(sp({0})) + {0}·σ({0})·(1 - tanh²(sp({0}))))",
        "(tanh(sp({0})) + {0}·σ({0})·(1 - tanh²(sp({0}))))",
        [x],
        derivative,
    )


def _hardswish(ctx: Ctx) -> Expr:
    """hardswish (torch/_decomp: hardswish_backward): 0 up to -3 (selected: whatever grad holds), x/3 + 1/2 strictly
    between, 1 from 3 on."""
    x = ctx.tensor("self")
    factor = torch.where(x <= -3, torch.zeros_like(x), torch.where(x < 3, x / 3 + 0.5, torch.ones_like(x)))
    name = ctx.label(0, "x")
    label = cases(("0", f"{name} ≤ -3"), (f"{name}/3 + 1/2", f"{name} < 3"), otherwise="1")  # (a NaN: neither, 1)
    return ctx.grad * Mask(label[0], factor, label[1], keep=~(x <= -3), nan=torch.isnan(x))


def _hardsigmoid(ctx: Ctx) -> Expr:
    """hardsigmoid (torch/_decomp: hardsigmoid_backward): 1/6 strictly between -3 and 3, else 0."""
    x = ctx.tensor("self")
    sixth = float(np.float32(1 / 6))  # (PyTorch's kernel multiplies by 1.0f/6.0f, a float32 constant)
    return ctx.grad * indicator(f"-3 < {ctx.label(0, 'x')} < 3", (x > -3) & (x < 3)) * Num(sixth, "1/6")


def softplus_product(ctx: Ctx, opmath: bool) -> torch.Tensor:
    """β·x as torch works it out to compare it with the threshold (linear past it), in the dtype it computes in: the
    input's, float32 for a half-precision input in softplus_backward's kernel (`opmath`). float32's 0.3·10 is 3.0,
    not past a threshold of 3, where float64's 3.0000001 is."""
    raw = ctx.raw("self")
    dtype = raw.dtype if isinstance(raw, torch.Tensor) and raw.is_floating_point() else torch.float64
    if opmath and dtype in (torch.float16, torch.bfloat16):
        dtype = torch.float32
    return ctx.tensor("self").to(dtype) * float(scalar(ctx, "beta"))


def _softplus(ctx: Ctx) -> Expr:
    x = ctx.tensor("self")
    beta, threshold = float(scalar(ctx, "beta")), float(scalar(ctx, "threshold"))
    z = torch.exp(x * beta)
    factor = torch.where(softplus_product(ctx, True) > threshold, torch.ones_like(x), z / (z + 1))
    from ..expr import Sym

    return ctx.grad * Sym(f"σ({Num(beta).label}·{ctx.label(0, 'x')})", factor)


def _hardtanh(ctx: Ctx) -> Expr:
    """hardtanh_backward: `(x <= min || x >= max) ? 0 : grad` (a NaN passes)."""
    x = ctx.tensor("self")
    low, high = ctx.as_float_kernel(scalar(ctx, "min_val")), ctx.as_float_kernel(scalar(ctx, "max_val"))
    label = f"{Num(low).label} < {ctx.label(0, 'x')} < {Num(high).label}"
    return ctx.grad * indicator(label, ~((x <= low) | (x >= high)), nan=torch.isnan(x))


def _log_sigmoid(ctx: Ctx) -> Expr:
    x = ctx.sym("self")
    return ctx.grad * Form("σ(-{0})", "σ(-{0})", [x], lambda v: torch.sigmoid(-v))


def _dim(ctx: Ctx) -> int:
    return ctx.integer("dim")


def _along_axis(ctx: Ctx, formula: str, grad, bound) -> Expr:
    """A softmax's gradient: `formula` of grad ({0}) and the output ({1}), whose Σ sums along the softmax's axis (the
    texts name it); `grad(g, y, total)` computes it and `bound(g, y, total)` bounds it, `total` summing along it."""
    dim, y = _dim(ctx), ctx.sym("result")

    def total(t):
        return t.sum(dim, keepdim=True)

    return Form(
        formula.replace("Σ", f"Σ[axis {dim}]"),
        formula.replace("Σ", f"Σ[{dim}번 축]"),
        [ctx.grad, y],
        lambda g, v: grad(g, v, total),
        nums=formula.replace("Σ", f"Σ[{dim}]"),
        bound=lambda g, v: bound(g, v, total),
    )


def _softmax(ctx: Ctx) -> Expr:
    """y ⊙ (grad - Σ_dim(grad ⊙ y)) (PyTorch: _softmax_backward_data)."""
    return _along_axis(
        ctx,
        "{1} ⊙ ({0} - Σ({0} ⊙ {1}))",
        lambda g, y, total: y * (g - total(g * y)),
        lambda g, y, total: y * (g + total(g * y)),
    )


def _log_softmax(ctx: Ctx) -> Expr:
    """grad - exp(y) ⊙ Σ_dim grad (PyTorch: _log_softmax_backward_data)."""
    return _along_axis(
        ctx,
        "{0} - exp({1}) ⊙ Σ {0}",
        lambda g, y, total: g - y.exp() * total(g),
        lambda g, y, total: g + y.exp() * total(g),
    )


def _lambd(ctx: Ctx) -> str:
    return Num(float(ctx.raw("lambd"))).label


def _prelu_slopes(ctx: Ctx) -> Expr:
    x, w = ctx.tensor("self"), ctx.tensor("weight")
    slopes = torch.where(x > 0, torch.ones_like(x), w.expand_as(x))
    return by_cases(slopes, ("1", f"{ctx.label(0, 'x')} > 0"), otherwise=ctx.label(1, "w"))


def _prelu_weight(ctx: Ctx) -> Expr:
    x = ctx.sym("self")  # (_prelu_kernel_backward: `x > 0 ? 0 : x·grad`, NaN for a NaN x)
    negative = indicator(f"{x.text('en')} ≤ 0", ~(ctx.tensor("self") > 0), nan=torch.isnan(ctx.tensor("self")))
    return summed_to(ctx.grad * x * negative, tuple(ctx.tensor("weight").shape))


def _passed(x, threshold) -> tuple:
    """threshold_backward (relu's, threshold's): `x <= threshold ? 0 : grad`, so a NaN passes; the mask, and where x
    is NaN."""
    return ~(x <= float(threshold)), torch.isnan(x)


def _outside(ctx: Ctx) -> tuple:
    """hardshrink_backward, softshrink_backward: `(x >= -λ && x <= λ) ? 0 : grad`, so a NaN passes."""
    x, lambd = ctx.tensor("self"), ctx.as_input(ctx.raw("lambd"))
    return ~((x >= -lambd) & (x <= lambd)), torch.isnan(x)


def _threshold(ctx: Ctx) -> str:
    return Num(float(ctx.raw("threshold"))).label


add(
    unary(
        "TanhBackward0",
        ("hyperbolic tangent", "쌍곡탄젠트"),
        "{y} = tanh({x})",
        "∂{y}/∂{x} = 1 - {y}²",
        (
            "The gradient for {x} is grad · (1 - {y}²), computed from the output {y}.",
            "{x}에 대한 그래디언트는 출력 {y}의 값으로 계산한 grad · (1 - {y}²)입니다.",
        ),
        lambda c: c.grad * (1 - c.sym("result") ** 2),
    ),
    unary(
        "SigmoidBackward0",
        ("sigmoid", "시그모이드"),
        "{y} = σ({x}) = 1/(1 + exp(-{x}))",
        "∂{y}/∂{x} = {y}·(1 - {y})",
        (
            "The gradient for {x} is grad · {y} · (1 - {y}), computed from the output {y}.",
            "{x}에 대한 그래디언트는 출력 {y}의 값으로 계산한 grad · {y} · (1 - {y})입니다.",
        ),
        lambda c: c.grad * c.sym("result") * (1 - c.sym("result")),
    ),
    unary(
        "ReluBackward0",
        ("ReLU", "ReLU"),
        "{y} = max({x}, 0)",
        "∂{y}/∂{x} = 1[{y} > 0]",
        (
            "ReLU lets the gradient through where its output was positive and sends 0 where it cut the input to 0. "
            "At an input of exactly 0, where ReLU bends and has no derivative, PyTorch takes the slope to be 0.",
            "ReLU는 출력이 양수였던 곳에만 그래디언트를 통과시키고, 0으로 잘랐던 곳에는 0을 보냅니다. "
            "입력이 정확히 0인 곳은 ReLU가 꺾이는 점이라 미분값이 없는데, PyTorch는 이곳의 기울기를 0으로 정합니다.",
        ),
        lambda c: c.grad * indicator(f"{c.output_label()} > 0", *_passed(c.tensor("result"), 0.0)),
    ),
    unary(
        "ThresholdBackward0",
        ("threshold", "문턱값 자르기(threshold)"),
        (
            "{y} = {x} where {x} > {threshold}, a fixed value elsewhere",
            "{y} = {x} > {threshold}인 곳은 {x}, 나머지는 정해진 값",
        ),
        "∂{y}/∂{x} = 1[{x} > {threshold}]",
        (
            "Where {x} was above the threshold it passed unchanged and gets grad; where it was replaced by the "
            "fixed value it gets 0.",
            "{x}가 문턱값보다 컸던 곳은 값이 그대로 지나갔으므로 grad를 받고, 정해진 값으로 바뀐 곳은 0을 받습니다.",
        ),
        lambda c: (
            c.grad
            * indicator(
                f"{c.label(0, 'x')} > {_threshold(c)}",
                *_passed(c.tensor("self"), c.as_float_kernel(c.raw("threshold"))),
            )
        ),
        params=lambda c: {"threshold": _threshold(c)},
    ),
    *(
        unary(
            node,
            (title, title_ko),
            (forward, forward_ko),
            "∂{y}/∂{x} = 1[|{x}| > {lambd}]",
            (
                "Entries within ±{lambd} were set to 0 and get 0; the others " + moved + " and get grad.",
                "±{lambd} 안의 원소는 0이 되었으므로 0을 받고, 나머지 원소는 " + moved_ko + " grad를 받습니다.",
            ),
            lambda c: c.grad * indicator(f"|{c.label(0, 'x')}| > {_lambd(c)}", *_outside(c)),
            params=lambda c: {"lambd": _lambd(c)},
        )
        for node, title, title_ko, forward, forward_ko, moved, moved_ko in (
            (
                "SoftshrinkBackward0",
                "soft shrinkage",
                "소프트 축소(softshrink)",
                "{y} = {x} ∓ {lambd} outside ±{lambd}, 0 inside",
                "{y} = ±{lambd} 밖에서는 {x} ∓ {lambd}, 안에서는 0",
                "moved toward 0 by {lambd}, a shift that does not change the slope,",
                "{lambd}만큼 0 쪽으로 옮겨졌을 뿐 기울기는 1이므로",
            ),
            (
                "HardshrinkBackward0",
                "hard shrinkage",
                "하드 축소(hardshrink)",
                "{y} = {x} outside ±{lambd}, 0 inside",
                "{y} = ±{lambd} 밖에서는 {x}, 안에서는 0",
                "passed unchanged",
                "그대로 지나갔으므로",
            ),
        )
    ),
    Rule(
        "PreluKernelBackward0",
        ("PReLU (a leaky ReLU that learns its slope)", "PReLU(기울기를 학습하는 leaky ReLU)"),
        ("{y} = {x} where {x} > 0, {w}·{x} elsewhere", "{y} = {x} > 0인 곳은 {x}, 나머지는 {w}·{x}"),
        (
            "∂{y}/∂{x} = 1 if {x} > 0 else {w}, ∂{y}/∂{w} = 0 if {x} > 0 else {x}",
            "∂{y}/∂{x} = {x} > 0인 곳은 1, 나머지는 {w}; ∂{y}/∂{w} = {x} > 0인 곳은 0, 나머지는 {x}",
        ),
        (
            "Where {x} was positive it passed unchanged and gets grad; elsewhere it was multiplied by the slope {w}, "
            "so it gets grad · {w}, and the slope gets grad · {x} there, summed over every entry that shares it.",
            "{x}가 양수였던 곳은 그대로 지나갔으므로 grad를 받고, 나머지 곳은 기울기 {w}가 곱해졌으므로 grad · {w}를 "
            "받습니다. 기울기 {w}는 그곳들의 grad · {x}를, 자신을 함께 쓴 모든 원소에 걸쳐 더해 받습니다.",
        ),
        (
            Slot("self", "x", lambda c: c.grad * _prelu_slopes(c)),
            Slot("weight", "w", _prelu_weight),
        ),
    ),
    unary(
        "GeluBackward0",
        ("GELU", "GELU"),
        "{y} = {x}·Φ({x})",
        "∂{y}/∂{x} = Φ({x}) + {x}·φ({x})",
        (
            "Φ is the standard normal's cumulative distribution, φ its density (the tanh approximation when the "
            "forward used it).",
            "Φ는 표준정규분포의 누적분포함수, φ는 그 확률밀도함수입니다(순전파가 tanh 근사를 썼으면 그 근사식).",
        ),
        _gelu,
    ),
    unary(
        "SiluBackward0",
        ("SiLU (swish)", "SiLU(swish)"),
        "{y} = {x}·σ({x})",
        "∂{y}/∂{x} = σ({x})·(1 + {x}·(1 - σ({x})))",
        ("The product rule applied to {x}·σ({x}).", "{x}·σ({x})에 곱의 미분 법칙을 적용한 값입니다."),
        _silu,
    ),
    unary(
        "LeakyReluBackward0",
        ("leaky ReLU", "Leaky ReLU"),
        ("{y} = {x} if {x} > 0 else slope·{x}", "{y} = {x} > 0인 곳은 {x}, 나머지는 slope·{x}"),
        ("∂{y}/∂{x} = 1 if {x} > 0 else slope", "∂{y}/∂{x} = {x} > 0인 곳은 1, 나머지는 slope"),
        (
            "Where {x} > 0 the gradient passes; elsewhere it is scaled by the slope.",
            "{x} > 0인 곳은 그래디언트가 그대로, 나머지는 기울기(slope)를 곱해 전달됩니다.",
        ),
        _leaky,
    ),
    unary(
        "LeakyReluBackward1",
        ("leaky ReLU, in place", "제자리(in-place) Leaky ReLU"),
        ("{y} = {x} if {x} > 0 else slope·{x} (in place)", "{y} = {x} > 0인 곳은 {x}, 나머지는 slope·{x}(제자리 연산)"),
        ("∂{y}/∂{x} = 1 if {y} > 0 else slope", "∂{y}/∂{x} = {y} > 0인 곳은 1, 나머지는 slope"),
        (
            "Where the output {y} > 0 the gradient passes; elsewhere it is scaled by the slope. The op overwrote its "
            "input, so the output's sign tells the two sides apart (it is the input's sign for a positive slope).",
            "출력 {y} > 0인 곳은 그래디언트가 그대로, 나머지는 기울기(slope)를 곱해 전달됩니다. 제자리 연산이 입력을 "
            "덮어썼으므로 두 경우는 출력의 부호로 가립니다(기울기가 양수면 입력의 부호와 같습니다).",
        ),
        _leaky_in_place,
    ),
    unary(
        "EluBackward0",
        ("ELU", "ELU"),
        ("{y} = {x} if {x} > 0 else α·(exp({x}) - 1)", "{y} = {x} > 0인 곳은 {x}, 나머지는 α·(exp({x}) - 1)"),
        ("∂{y}/∂{x} = 1 if {x} > 0 else α·exp({x})", "∂{y}/∂{x} = {x} > 0인 곳은 1, 나머지는 α·exp({x})"),
        (
            "Where {x} > 0 the gradient passes (times the scale); elsewhere it is scaled by α·exp({x}).",
            "{x} > 0인 곳은 그래디언트가 (scale을 곱해) 그대로, 나머지는 α·exp({x})를 곱해 전달됩니다.",
        ),
        _elu,
    ),
    unary(
        "SoftplusBackward0",
        ("softplus", "softplus"),
        "{y} = ln(1 + exp(β·{x}))/β",
        "∂{y}/∂{x} = σ(β·{x})",
        (
            "The gradient for {x} is grad · σ(β·{x}) (grad itself past the threshold, where softplus is linear).",
            "{x}에 대한 그래디언트는 grad · σ(β·{x})입니다(임계값을 넘어 선형인 곳은 grad 그대로).",
        ),
        _softplus,
    ),
    unary(
        "HardtanhBackward0",
        ("hardtanh", "hardtanh"),
        "{y} = clamp({x}, min, max)",
        "∂{y}/∂{x} = 1[min < {x} < max]",
        (
            "The gradient passes inside the range and is 0 where the input was clipped.",
            "범위 안에서는 그래디언트가 지나가고, 잘린 곳은 0입니다.",
        ),
        _hardtanh,
    ),
    unary(
        "LogSigmoidBackward0",
        ("log-sigmoid", "로그 시그모이드"),
        "{y} = ln σ({x})",
        "∂{y}/∂{x} = σ(-{x})",
        (
            "The gradient for {x} is grad · σ(-{x}) = grad · (1 - σ({x})).",
            "{x}에 대한 그래디언트는 grad · σ(-{x}) = grad · (1 - σ({x}))입니다.",
        ),
        _log_sigmoid,
    ),
    unary(
        "SoftmaxBackward0",
        ("softmax", "소프트맥스"),
        ("{y} = softmax({x}) along axis {dim}", "{y} = softmax({x}) ({dim}번 축 방향)"),
        "∂{y}ᵢ/∂{x}ⱼ = {y}ᵢ·(δᵢⱼ - {y}ⱼ)",
        (
            "Every output depends on every input of its row, so the gradient for {x} is {y} ⊙ (grad - Σ grad ⊙ {y}) "
            "along the softmax axis.",
            "소프트맥스는 한 줄의 모든 입력이 모든 출력에 영향을 주므로, {x}에 대한 그래디언트는 소프트맥스 축을 따라 "
            "{y} ⊙ (grad - Σ grad ⊙ {y})입니다.",
        ),
        _softmax,
        params=lambda c: {"dim": _dim(c)},
        named="{y} = softmax({x})",
    ),
    unary(
        "LogSoftmaxBackward0",
        ("log-softmax", "로그 소프트맥스"),
        ("{y} = log_softmax({x}) along axis {dim}", "{y} = log_softmax({x}) ({dim}번 축 방향)"),
        "∂{y}ᵢ/∂{x}ⱼ = δᵢⱼ - softmax({x})ⱼ",
        (
            "The gradient for {x} is grad - softmax({x}) · Σ grad along the axis; softmax({x}) = exp({y}).",
            "{x}에 대한 그래디언트는 grad - softmax({x}) · (축 방향 grad의 합)이며, softmax({x}) = exp({y})입니다.",
        ),
        _log_softmax,
        params=lambda c: {"dim": _dim(c)},
        named="{y} = log_softmax({x})",
    ),
    unary(
        "CeluBackward0",
        ("CELU", "CELU"),
        (
            "{y} = {x} if {x} > 0 else α·(exp({scaled}) - 1), α = {alpha}",
            "{y} = {x} > 0인 곳은 {x}, 나머지는 α·(exp({scaled}) - 1), α = {alpha}",
        ),
        ("∂{y}/∂{x} = 1 if {x} > 0 else exp({scaled})", "∂{y}/∂{x} = {x} > 0인 곳은 1, 나머지는 exp({scaled})"),
        (
            "Where {x} > 0 the gradient passes unchanged; elsewhere it is scaled by exp({scaled}), the slope of "
            "the exponential curve.",
            "{x} > 0인 곳은 그래디언트가 그대로 전달되고, 나머지는 지수 곡선의 기울기 exp({scaled})의 값을 곱해 "
            "전달됩니다.",
        ),
        _celu,
        params=_celu_params,
    ),
    unary(
        "MishBackward0",
        ("Mish", "Mish"),
        "{y} = {x}·tanh(softplus({x}))",
        "∂{y}/∂{x} = tanh(sp({x})) + {x}·σ({x})·(1 - tanh²(sp({x})))",
        (
            "The product rule applied to {x}·tanh(sp({x})), sp = softplus: the derivative of softplus is σ, and "
            "that of tanh is 1 - tanh².",
            "{x}·tanh(sp({x}))에 곱의 미분 법칙을 적용한 값입니다(sp = softplus). softplus를 미분하면 σ, tanh를 "
            "미분하면 1 - tanh²입니다.",
        ),
        _mish,
    ),
    unary(
        "HardswishBackward0",
        ("hardswish", "hardswish"),
        "{y} = {x}·min(max({x} + 3, 0), 6)/6",
        (
            "∂{y}/∂{x} = 0 if {x} ≤ -3, {x}/3 + 1/2 if -3 < {x} < 3, 1 if {x} ≥ 3",
            "∂{y}/∂{x} = {x} ≤ -3인 곳은 0, -3 < {x} < 3인 곳은 {x}/3 + 1/2, {x} ≥ 3인 곳은 1",
        ),
        (
            "Up to -3 the output is flat 0, so no gradient passes; from 3 on it is {x} itself, so the gradient "
            "passes unchanged; in between the gradient is scaled by {x}/3 + 1/2 (PyTorch takes the corners -3 and 3 "
            "with the flat sides).",
            "-3 이하에서는 출력이 0으로 평평하므로 그래디언트가 지나가지 않고, 3 이상에서는 출력이 {x} "
            "그대로이므로 그래디언트도 그대로 전달되며, 그 사이에서는 {x}/3 + 1/2를 곱해 전달됩니다(꺾이는 점 -3과 "
            "3에서는 PyTorch가 바깥쪽 값을 씁니다).",
        ),
        _hardswish,
    ),
    unary(
        "HardsigmoidBackward0",
        ("hardsigmoid", "hardsigmoid"),
        "{y} = min(max({x} + 3, 0), 6)/6",
        ("∂{y}/∂{x} = 1/6 if -3 < {x} < 3, else 0", "∂{y}/∂{x} = -3 < {x} < 3인 곳은 1/6, 나머지는 0"),
        (
            "Between -3 and 3 the output is a straight line of slope 1/6, so the gradient is divided by 6; "
            "outside it is flat, so 0 passes.",
            "-3과 3 사이에서는 출력이 기울기 1/6인 직선이므로 그래디언트를 6으로 나눠 전달하고, 그 바깥은 평평하므로 "
            "0을 보냅니다.",
        ),
        _hardsigmoid,
    ),
)

# _safe_softmax (attention's math path: a row masked out entirely gives 0, not nan): derivatives.yaml gives it
# softmax's backward, _softmax_backward_data(grad, result, dim); a row of zeros sends 0 back.
add(
    replace(
        RULES["SoftmaxBackward0"],
        node="SafeSoftmaxBackward0",
        title=("softmax (safe: a row masked out entirely gives 0)", "소프트맥스(안전: 전부 가려진 줄은 0)"),
    )
)


def _glu(ctx: Ctx) -> Expr:
    """glu (derivatives.yaml: glu_backward): the input cut in two halves h₁, h₂ along `dim`, y = h₁ ⊙ σ(h₂): the
    first half gets grad ⊙ σ(h₂), the second grad ⊙ h₁ ⊙ σ(h₂) ⊙ (1 - σ(h₂)), put back side by side."""
    x, dim = ctx.tensor("self"), ctx.integer("dim")
    first, second = x.chunk(2, dim)
    h1, h2 = Sym("h₁", first), Sym("h₂", second)
    gate = Form("σ({0})", "σ({0})", [h2], torch.sigmoid)
    grad_first = ctx.grad * gate
    grad_second = ctx.grad * h1 * gate * (1 - gate)
    return Form(
        f"[{{0}}, {{1}}] along axis {dim}",
        f"{dim}번 축을 따라 [{{0}}, {{1}}]",
        [grad_first, grad_second],
        lambda u, w: torch.cat([u, w], dim),
        nums="[{0}, {1}]",
    )


add(
    unary(
        "GluBackward0",
        ("gated linear unit (GLU)", "게이트 선형 유닛(GLU)"),
        (
            "{y} = h₁ ⊙ σ(h₂), h₁ and h₂ the two halves of {x} along axis {dim}",
            "{y} = h₁ ⊙ σ(h₂), h₁과 h₂는 {dim}번 축을 따라 {x}의 값을 반으로 나눈 두 조각",
        ),
        "∂{y}/∂h₁ = σ(h₂), ∂{y}/∂h₂ = h₁·σ(h₂)·(1 - σ(h₂))",
        (
            "The second half gates the first through a sigmoid: the first half gets grad ⊙ σ(h₂) (as in a product), "
            "the second gets grad ⊙ h₁ times the sigmoid's derivative σ(h₂)·(1 - σ(h₂)); the two are put back side "
            "by side in the input's shape.",
            "뒤쪽 절반이 시그모이드를 거쳐 앞쪽 절반을 조절하는(게이트) 연산입니다. 앞쪽 절반에는 곱셈처럼 "
            "grad ⊙ σ(h₂)가, 뒤쪽 절반에는 grad ⊙ h₁에 시그모이드의 미분 σ(h₂)·(1 - σ(h₂))를 곱한 값이 전달되고, "
            "두 조각을 입력의 모양대로 다시 이어 붙입니다.",
        ),
        _glu,
        params=lambda c: {"dim": c.integer("dim")},
    ),
)


def _celu_in_place(ctx: Ctx) -> Expr:
    """celu_ (derivatives.yaml: elu_backward(grad, alpha, 1, 1/alpha, true, result)): the input was overwritten, so
    the output says which side each entry was on: 1 where y > 0, else (y + α)/α = exp(x/α)."""
    y, a = ctx.tensor("result"), float(scalar(ctx, "alpha"))
    inverse = 1.0 / float(np.float32(a))  # (PyTorch's 1/α, from α rounded to float32)
    factor = torch.where(y <= 0, (y + a) * inverse, torch.ones_like(y))  # (elu_backward's `y <= 0`: a NaN gets 1)
    name = ctx.output_label()
    alpha = Num(a).label
    return ctx.grad * by_cases(factor, ("1", f"{name} > 0"), otherwise=f"({name} + {alpha})/{alpha}")


add(
    unary(
        "CeluBackward1",
        ("CELU, in place", "CELU(제자리 연산)"),
        (
            "{y} = {x} if {x} > 0 else α·(exp({x}/α) - 1), α = {alpha}, written over {x}",
            "{y} = {x} > 0인 곳은 {x}, 나머지는 α·(exp({x}/α) - 1), α = {alpha}, {x} 자리에 덮어씀",
        ),
        (
            "∂{y}/∂{x} = 1 if {y} > 0 else exp({x}/α) = ({y} + α)/α",
            "∂{y}/∂{x} = {y} > 0인 곳은 1, 나머지는 exp({x}/α) = ({y} + α)/α",
        ),
        (
            "celu_ wrote its output over {x}, so backward reads the output instead: where {y} > 0 the gradient "
            "passes unchanged; elsewhere exp({x}/α), the slope of the curve, equals ({y} + α)/α.",
            "celu_는 출력을 {x} 자리에 덮어썼으므로, 역전파는 입력 대신 출력을 읽습니다. {y} > 0인 곳은 "
            "그래디언트가 그대로 전달되고, 나머지는 곡선의 미분값 exp({x}/α)를 곱하는데, 이 값은 ({y} + α)/α와 "
            "같습니다.",
        ),
        _celu_in_place,
        params=lambda c: {"alpha": Num(float(scalar(c, "alpha"))).label},
    ),
)


def _rrelu(ctx: Ctx) -> Expr:
    """rrelu_with_noise_backward: in training (a real range), grad · noise, each entry's own slope (1 where x > 0);
    else leaky ReLU's with the slope (lower + upper)/2."""
    x = ctx.tensor("self")
    lower, upper = float(scalar(ctx, "lower")), float(scalar(ctx, "upper"))
    if bool(ctx.raw("training")) and upper - lower > 1e-6:
        return ctx.grad * Sym("noise", ctx.tensor("noise"), "noise")
    slope = (lower + upper) / 2
    factor = torch.where(x > 0, torch.ones_like(x), torch.full_like(x, slope))
    return ctx.grad * by_cases(factor, ("1", f"{ctx.label(0, 'x')} > 0"), otherwise=Num(slope).label)


def _rrelu_params(ctx: Ctx) -> dict[str, str]:
    lower, upper = float(scalar(ctx, "lower")), float(scalar(ctx, "upper"))
    a, x = ctx.letter("a"), ctx.label(0, "x")  # (the slope's letter: not a name the snippet uses)
    if bool(ctx.raw("training")) and upper - lower > 1e-6:
        span = f"[{Num(lower).label}, {Num(upper).label}]"
        return {
            "a": a,
            "how_en": f"In training each entry's slope {a} was drawn at random from {span} and saved (noise: {a} "
            f"where {x} ≤ 0, 1 elsewhere), so the gradient is grad · noise.",
            "how_ko": f"학습 중에는 원소마다 음수 쪽 기울기(slope) {a}의 값을 {span}에서 무작위로 뽑아 "
            f"저장해 두었으므로(noise: {x} ≤ 0인 곳은 {a}, 나머지는 1), 그래디언트는 grad · noise입니다.",
        }
    slope = Num((lower + upper) / 2).label
    return {
        "a": a,
        "how_en": f"In eval mode the slope is fixed at (lower + upper)/2 = {slope}: the gradient passes where "
        f"{x} > 0 and is multiplied by {slope} elsewhere, as in leaky ReLU.",
        "how_ko": f"평가 모드에서는 음수 쪽 기울기(slope)가 (lower + upper)/2 = {slope}에 고정됩니다. "
        f"Leaky ReLU처럼 {x} > 0인 곳은 그래디언트가 그대로, 나머지는 {slope}의 값을 곱해 전달됩니다.",
    }


add(
    Rule(
        "RreluWithNoiseBackward0",
        ("randomized leaky ReLU (RReLU)", "무작위 Leaky ReLU(RReLU)"),
        ("{y} = {x} if {x} > 0 else {a}·{x}", "{y} = {x} > 0인 곳은 {x}, 나머지는 {a}·{x}"),
        ("∂{y}/∂{x} = 1 if {x} > 0 else {a}", "∂{y}/∂{x} = {x} > 0인 곳은 1, 나머지는 {a}"),
        ("{how_en}", "{how_ko}"),
        (Slot("self", "x", _rrelu),),
        params=_rrelu_params,
    ),
)


def _rrelu_in_place(ctx: Ctx) -> Expr:
    """rrelu_with_noise_ (derivatives.yaml: rrelu_with_noise_backward(grad, result, ..., self_is_result=true)): as
    `_rrelu`, the sign read from the output, which has the input's (the slopes are positive)."""
    lower, upper = float(scalar(ctx, "lower")), float(scalar(ctx, "upper"))
    if bool(ctx.raw("training")) and upper - lower > 1e-6:
        return ctx.grad * Sym("noise", ctx.tensor("noise"), "noise")
    y = ctx.tensor("result")
    slope = (lower + upper) / 2
    factor = torch.where(y > 0, torch.ones_like(y), torch.full_like(y, slope))
    return ctx.grad * by_cases(factor, ("1", f"{ctx.output_label()} > 0"), otherwise=Num(slope).label)


add(
    Rule(
        "RreluWithNoiseBackward1",
        ("randomized leaky ReLU (RReLU), in place", "무작위 Leaky ReLU(RReLU, 제자리 연산)"),
        (
            "{y} = {x} if {x} > 0 else {a}·{x}, written over {x}",
            "{y} = {x} > 0인 곳은 {x}, 나머지는 {a}·{x}, {x} 자리에 덮어씀",
        ),
        ("∂{y}/∂{x} = 1 if {y} > 0 else {a}", "∂{y}/∂{x} = {y} > 0인 곳은 1, 나머지는 {a}"),
        (
            "{how_en} rrelu_ wrote its output over {x}, so backward reads the output's sign instead, the same as "
            "{x}'s.",
            "{how_ko} rrelu_는 출력을 {x} 자리에 덮어썼으므로, 역전파는 입력 대신 부호가 같은 출력을 읽습니다.",
        ),
        (Slot("self", "x", _rrelu_in_place),),
        params=_rrelu_params,
    ),
)

# F.threshold(x, t, v, inplace=True): the in-place form saves the input as it was, and sends grad where it was above
# the threshold, as the out-of-place form does
add(replace(RULES["ThresholdBackward0"], node="ThresholdBackward1"))
