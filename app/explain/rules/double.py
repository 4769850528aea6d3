"""Backward of a backward: with `create_graph=True` (a gradient penalty, a Hessian-vector product, MAML, a
physics loss on ∂u/∂x) the backward formulas themselves are recorded, and differentiating them again runs these
nodes (derivatives.yaml: tanh_backward, sigmoid_backward, threshold_backward, leaky_relu_backward,
select_backward, mse_loss_backward). Each one's forward op is the first backward's formula; its inputs are the
gradient that formula received (`grad_output`, letter g) and the values it read."""

import torch

from ..expr import NEG, Expr, Form, Num, Sym
from ..rule import Ctx, Rule, Slot, add
from .elementwise import indicator, zeros_for
from .shape import selected

AGAIN = (
    "With create_graph=True the first backward was itself recorded as a graph: this node differentiates its formula "
    "once more, for a second derivative.",
    "create_graph=True로 첫 번째 역전파의 계산도 그래프로 기록되었습니다. 이 노드는 그 식을 한 번 더 미분해 이계 "
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
        ("tanh's backward, differentiated again", "tanh 역전파를 다시 미분"),
        "{y} = {g}·(1 - {a}²)",
        "∂{y}/∂{g} = 1 - {a}², ∂{y}/∂{a} = -2·{a}·{g}",
        again(
            "({a} is tanh's output.) {g} gets grad · (1 - {a}²) and {a} gets grad · (-2·{a}·{g}).",
            "({a}는 tanh의 출력입니다.) {g}에는 grad · (1 - {a}²), {a}에는 grad · (-2·{a}·{g})가 전달됩니다.",
        ),
        (
            Slot("grad_output", "g", lambda c: c.grad * (1 - c.sym("output") ** 2)),
            Slot("output", "a", lambda c: c.grad * (Num(-2) * c.sym("output") * c.sym("grad_output"))),
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
            Slot("grad_output", "g", lambda c: c.grad * c.sym("output") * (1 - c.sym("output"))),
            Slot("output", "a", lambda c: c.grad * c.sym("grad_output") * (1 - Num(2) * c.sym("output"))),
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
                        ~(c.tensor("self") <= float(c.raw("threshold"))),
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
        ("leaky ReLU's backward, differentiated again", "leaky ReLU 역전파를 다시 미분"),
        "{y} = {g}·(1 if {a} > 0 else {slope})",
        "∂{y}/∂{g} = 1 if {a} > 0 else {slope}, ∂{y}/∂{a} = 0",
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
            "{y} = {dim}번 축의 [{index}] 자리에 {g}, 나머지는 0",
        ),
        ("grad_{g} = grad[{index}] along axis {dim}", "grad_{g} = {dim}번 축을 따라 grad[{index}]"),
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
    label = f"(1 if {ctx.label(1, 'a')} > 0 else {Num(slope).label})"
    return Sym(label, torch.where(a > 0, torch.ones_like(a), torch.full_like(a, slope)))


def _picked(ctx: Ctx) -> Expr:
    return selected(ctx.grad, ctx.integer("dim"), ctx.integer("index"))
