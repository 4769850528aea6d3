"""Losses (derivatives.yaml: mse_loss, nll_loss, binary_cross_entropy(_with_logits), smooth_l1_loss, huber_loss;
the kernels as torch/_decomp/decompositions.py writes them). `cross_entropy` is log_softmax then nll_loss, two
nodes. Reduction 0 = none, 1 = mean (divides by N), 2 = sum."""

import dataclasses
import math

import torch
import torch.nn.functional as F

from ..expr import Expr, Form, Mask, Num, Sym, cases
from ..rule import RULES, Ctx, Rule, Slot, Words, add
from .elementwise import scalar

MEAN = 1
# binary_cross_entropy's kernel keeps x·(1 - x) off 0 by EPSILON, a float (`constexpr float EPSILON = 1e-12`): in
# float64 too it is 1e-12 rounded to float32, 4e-9 from 1e-12, which at x = 0 or 1 is the whole gradient's error
BCE_EPSILON = float(torch.tensor(1e-12, dtype=torch.float32))


def _per_entry(ctx: Ctx, expr: Expr) -> Expr:
    """A loss's per-entry derivative times the gradient received, divided by N for a mean."""
    reduction = ctx.integer("reduction")
    shape = tuple(ctx.tensor("self").shape)
    grad = ctx.grad
    if reduction == MEAN:
        count = max(1, int(torch.Size(shape).numel()))
        return grad * expr / Num(count, "N")
    return grad * expr


def _reduced(ctx: Ctx) -> dict:
    """How the losses are reduced, for the formulas: `agg` (mean, Σ, or none: one loss per entry) and `over_n` (the
    mean's `/N`)."""
    reduction = ctx.integer("reduction")
    return {"agg": {0: "", 1: "mean", 2: "Σ"}[reduction], "over_n": "/N" if reduction == MEAN else ""}


def _reduction_word(ctx: Ctx) -> dict:
    count = int(ctx.tensor("self").numel())
    return {
        **_reduced(ctx),
        "red": {
            0: "none, one loss per entry",
            1: f"the mean over N = {count} entries, so each entry's gradient is divided by N",
            2: "the sum, so each entry's gradient is used as it is",
        }[ctx.integer("reduction")],
        "red_ko": {
            0: "원소마다 구한 손실을 그대로 둡니다(reduction='none')",
            1: f"원소마다 구한 손실 N개(N = {count})의 평균이 최종 손실이므로, 각 원소의 그래디언트도 N으로 "
            "나눕니다(reduction='mean')",
            2: "원소마다 구한 손실을 모두 더한 값이 최종 손실이므로, 각 원소의 그래디언트는 그대로입니다"
            "(reduction='sum')",
        }[ctx.integer("reduction")],
        "N": count,
    }


def _mse(ctx: Ctx, sign: int) -> Expr:
    x, t = ctx.sym("self"), ctx.sym("target")
    diff = 2 * (x - t) if sign > 0 else 2 * (t - x)
    return _per_entry(ctx, diff)


def _nll(ctx: Ctx) -> Expr:
    """-grad at each sample's target class (times its class weight), / the total weight for a mean."""
    x, target = ctx.tensor("self"), ctx.tensor("target").long()
    ignore, reduction = ctx.integer("ignore_index"), ctx.integer("reduction")
    weight = ctx.saved.get("weight")
    class_dim = 0 if x.dim() == 1 else 1
    keep = target != ignore
    safe = torch.where(keep, target, torch.zeros_like(target))
    weights = torch.ones(x.shape[class_dim], dtype=torch.float64) if weight is None else ctx.tensor("weight")
    picked = weights[safe] * keep.to(torch.float64)
    onehot = torch.zeros_like(x).scatter_(class_dim, safe.unsqueeze(class_dim), picked.unsqueeze(class_dim))
    # (PyTorch's kernel writes only the target entries, -w · grad, of the rows not ignored: a selection)
    target_place = torch.zeros_like(x, dtype=torch.bool).scatter_(class_dim, safe.unsqueeze(class_dim), True)
    target_place &= keep.unsqueeze(class_dim)
    label = "onehot(target)" if weight is None else "w·onehot(target)"
    mask = Mask(label, onehot, keep=target_place)
    if reduction == 0:  # one loss per sample: each row gets its own gradient
        grad = Form("{0}", "{0}", [ctx.grad], lambda g: g.unsqueeze(class_dim), evaluated=True)
        return -grad * mask
    if reduction == MEAN:
        total = float(ctx.tensor("total_weight")) if ctx.has("total_weight") else float(picked.sum())
        divisor = Num(total, "N" if weight is None else "Σw")
        # (every target ignored, or weighted 0 or NaN: the kernel divides first, then writes the targets' places)
        if total == 0 or not math.isfinite(total):
            return -ctx.grad / divisor * mask
        return -ctx.grad * mask / divisor
    return -ctx.grad * mask


def _nll_params(ctx: Ctx) -> dict:
    """What the NLL's mean divides by, in words: N counts only the samples not ignored (`ignore_index`), and with class
    weights it is Σw, the sum of the weights of the samples' targets (PyTorch's `total_weight`)."""
    target = ctx.tensor("target").long()
    ignore, weighted = ctx.integer("ignore_index"), ctx.saved.get("weight") is not None
    mean = ctx.integer("reduction") == MEAN
    total, ignored = target.numel(), int((target == ignore).sum())
    en = ko = ""
    if ignored:
        verb = "is" if ignored == 1 else "are"
        en = f" {ignored} of the {total} targets {verb} ignore_index ({ignore}): those samples get 0"
        ko = f" 정답 {total}개 중 {ignored}개가 ignore_index({ignore})라서 그 샘플들은 0을 받"
        if mean and not weighted:
            en += f" and are not counted in N (N = {total - ignored})."
            ko += f"고 N에도 들어가지 않습니다(N = {total - ignored})."
        else:
            en, ko = en + ".", ko + "습니다."
    if weighted and mean:
        en += " With class weights the mean divides by Σw, the sum of the samples' target weights, not by N."
        ko += " 클래스 가중치가 있으면 평균을 낼 때 N이 아니라 각 샘플의 정답 클래스 가중치를 더한 Σw로 나눕니다."
    return {
        **_reduced(ctx),
        "w_c": "w_c" if weighted else "1",
        "over": ("/Σw" if weighted else "/N") if mean else "",
        "extra_en": en,
        "extra_ko": ko,
    }


def _bce(ctx: Ctx) -> Expr:
    """grad · (x - t) / max(x·(1 - x), 1e-12) · w (/ N)."""
    x, t = ctx.sym("self"), ctx.sym("target")
    core: Expr = Form(
        "({0} - {1}) / ({0}·(1 - {0}))",
        "({0} - {1}) / ({0}·(1 - {0}))",
        [x, t],
        lambda a, b: (a - b) / torch.clamp(a * (1 - a), min=BCE_EPSILON),
    )
    if ctx.has("weight"):
        core = core * Sym(ctx.letter("w"), ctx.tensor("weight"))
    return _per_entry(ctx, core)


def _bce_target(ctx: Ctx) -> Expr:
    """grad · (ln(1 - x) - ln(x)) · w (/ N) (PyTorch: binary_cross_entropy_target_backward, -logit(x), the logarithms
    not clamped as the loss's are: ±inf at x = 0 and 1)."""
    x = ctx.sym("self")
    core: Expr = Form("(ln(1 - {0}) - ln({0}))", "(ln(1 - {0}) - ln({0}))", [x], lambda a: -torch.logit(a))
    if ctx.has("weight"):
        core = core * Sym(ctx.letter("w"), ctx.tensor("weight"))
    return _per_entry(ctx, core)


def _bce_logits(ctx: Ctx) -> Expr:
    """grad · (σ(x) - t) · w (/ N); with pos_weight p: ((p·t + 1 - t)·σ(x) - p·t)."""
    x, t = ctx.sym("self"), ctx.sym("target")
    if ctx.has("pos_weight"):
        p = Sym(ctx.letter("p"), ctx.tensor("pos_weight"))
        core: Expr = Form(
            "(({2}·{1} + 1 - {1})·σ({0}) - {2}·{1})",
            "(({2}·{1} + 1 - {1})·σ({0}) - {2}·{1})",
            [x, t, p],
            lambda a, b, w: (w * b + 1 - b) * torch.sigmoid(a) - w * b,
        )
    else:
        core = Form("(σ({0}) - {1})", "(σ({0}) - {1})", [x, t], lambda a, b: torch.sigmoid(a) - b)
    if ctx.has("weight"):
        core = core * Sym(ctx.letter("w"), ctx.tensor("weight"))
    return _per_entry(ctx, core)


SMOOTH_L1_SLOPE = cases(("d/β", "|d| < β"), otherwise="sign(d)")
SLOPE = {False: SMOOTH_L1_SLOPE[0], True: "clamp(d, -δ, δ)"}  # smooth L1's, Huber's (d = x - t)
SLOPE_KO = {False: SMOOTH_L1_SLOPE[1], True: "clamp(d, -δ, δ)"}


def _bce_logits_target(ctx: Ctx) -> Expr:
    """grad · -x · w (/ N); with pos_weight p: grad · (ln(1 - σ(x)) - p·ln σ(x)) · w (/ N) (PyTorch:
    binary_cross_entropy_with_logits_target_backward)."""
    x = ctx.sym("self")
    if ctx.has("pos_weight"):
        p = Sym(ctx.letter("p"), ctx.tensor("pos_weight"))
        core: Expr = Form(
            "(ln(1 - σ({0})) - {1}·ln σ({0}))",
            "(ln(1 - σ({0})) - {1}·ln σ({0}))",
            [x, p],
            # (as log_sigmoid, which PyTorch's kernel takes: 1 - σ(x) is 0 in float64 from x ≈ 37 on, ln 0 = -inf)
            lambda a, w: F.logsigmoid(-a) - w * F.logsigmoid(a),
        )
    else:
        core = -x
    if ctx.has("weight"):
        core = core * Sym(ctx.letter("w"), ctx.tensor("weight"))
    return _per_entry(ctx, core)


def smooth_slope(ctx: Ctx, huber: bool) -> Sym:
    """The slope of smooth L1 (or Huber) at d = x - t, entry by entry (its backward's factor, before N)."""
    x, t = ctx.tensor("self"), ctx.tensor("target")
    beta = float(scalar(ctx, "delta" if huber else "beta"))
    d = x - t
    # (the kernels test the two sides, `d <= -β ? -1 : d >= β ? 1 : d/β`: a NaN difference is neither, NaN)
    if huber:
        slope = torch.where(d <= -beta, -beta, torch.where(d >= beta, beta, d))
    elif beta == 0:
        slope = torch.sign(d)
    else:
        slope = torch.where(d <= -beta, -1.0, torch.where(d >= beta, 1.0, d / beta))
    return Sym(SLOPE[huber], slope, SLOPE_KO[huber])


def _smooth_l1(ctx: Ctx, huber: bool, sign: int = 1) -> Expr:
    """The slope of smooth L1 (or Huber) at d = x - t; `sign` -1: the target's, whose slope is the input's negated."""
    slope = smooth_slope(ctx, huber)
    return _per_entry(ctx, -slope if sign < 0 else slope)


LOSS_WORDS = ("Reduction: {red}.", "{red_ko}.")


def _smooth_loss(node: str, title: Words, loss: str, huber: bool) -> Rule:
    """Smooth L1 loss, or Huber loss (`huber`): like squared error for small differences, absolute error for large."""
    return Rule(
        node,
        title,
        f"{{y}} = {{agg}}({loss}({{x}} - {{t}}))",
        (
            f"∂{{y}}/∂{{x}} = {SLOPE[huber]}{{over_n}}, d = {{x}} - {{t}}",
            f"∂{{y}}/∂{{x}} = {SLOPE_KO[huber]}{{over_n}}, d = {{x}} - {{t}}",
        ),
        (
            "Small differences are treated like squared error, large ones like absolute error. " + LOSS_WORDS[0],
            "작은 차이는 제곱 오차처럼, 큰 차이는 절댓값 오차처럼 다룹니다. " + LOSS_WORDS[1],
        ),
        (Slot("self", "x", lambda c: _smooth_l1(c, huber)), Slot("target", "t", lambda c: _smooth_l1(c, huber, -1))),
        params=_reduction_word,
    )


add(
    Rule(
        "MseLossBackward0",
        ("mean squared error", "평균 제곱 오차"),
        "{y} = {agg}(({x} - {t})²)",
        "∂{y}/∂{x} = 2·({x} - {t}){over_n}",
        (
            "Each entry gets grad · 2·({x} - {t}). " + LOSS_WORDS[0],
            "각 원소는 grad · 2·({x} - {t})를 받습니다. " + LOSS_WORDS[1],
        ),
        (Slot("self", "x", lambda c: _mse(c, 1)), Slot("target", "t", lambda c: _mse(c, -1))),
        params=_reduction_word,
    ),
    Rule(
        "NllLossBackward0",
        ("negative log-likelihood", "음의 로그 가능도"),
        "{y} = -{agg}({x}[i, target_i])",
        (
            "∂{y}/∂{x}[i, c] = -{w_c}{over} if c = target_i else 0",
            "∂{y}/∂{x}[i, c] = -{w_c}{over} (c = target_i일 때), 다른 클래스는 0",
        ),
        (
            "Only each sample's target class gets a gradient: -grad (times its class weight), divided by N for a "
            "mean; every other class gets 0. With log_softmax before it, this is cross entropy.{extra_en}",
            "각 샘플의 정답 클래스만 그래디언트 -grad를 (클래스 가중치를 곱해) 받고, 평균이면 N으로 나눕니다. 다른 "
            "클래스는 0입니다. 앞에 log_softmax가 있으면 이 둘이 교차 엔트로피입니다.{extra_ko}",
        ),
        (Slot("self", "x", _nll),),
        params=lambda c: _nll_params(c),
    ),
    Rule(
        "NllLoss2DBackward0",
        ("negative log-likelihood (per position)", "음의 로그 가능도(위치별)"),
        "{y} = -{agg}({x}[i, target_i, …])",
        (
            "∂{y}/∂{x}[i, c, …] = -{w_c}{over} if c = target_i else 0",
            "∂{y}/∂{x}[i, c, …] = -{w_c}{over} (c = target_i일 때), 다른 클래스는 0",
        ),
        (
            "Only the target class at each position gets -grad (divided by N for a mean); the others get 0.{extra_en}",
            "각 위치의 정답 클래스만 -grad를 받고(평균이면 N으로 나눔), 다른 클래스는 0입니다.{extra_ko}",
        ),
        (Slot("self", "x", _nll),),
        params=lambda c: _nll_params(c),
    ),
    Rule(
        "BinaryCrossEntropyBackward0",
        ("binary cross entropy", "이진 교차 엔트로피"),
        "{y} = -{agg}({t}·ln {x} + (1 - {t})·ln(1 - {x}))",
        "∂{y}/∂{x} = ({x} - {t}) / ({x}·(1 - {x})){over_n}",
        (
            "Each probability gets grad · ({x} - {t}) / ({x}·(1 - {x})). " + LOSS_WORDS[0],
            "각 확률은 grad · ({x} - {t}) / ({x}·(1 - {x}))를 받습니다. " + LOSS_WORDS[1],
        ),
        (Slot("self", "x", _bce), Slot("target", "t", _bce_target)),
        params=_reduction_word,
    ),
    Rule(
        "BinaryCrossEntropyWithLogitsBackward0",
        ("binary cross entropy on logits", "로짓의 이진 교차 엔트로피"),
        "{y} = BCE(σ({x}), {t})",
        "∂{y}/∂{x} = (σ({x}) - {t}){over_n}",
        (
            "Sigmoid and cross entropy together have the simple derivative σ({x}) - {t}. " + LOSS_WORDS[0],
            "시그모이드와 교차 엔트로피를 합치면 미분이 σ({x}) - {t}로 간단해집니다. " + LOSS_WORDS[1],
        ),
        (Slot("self", "x", _bce_logits), Slot("target", "t", _bce_logits_target)),
        params=_reduction_word,
    ),
    _smooth_loss("SmoothL1LossBackward0", ("smooth L1 loss", "smooth L1 손실"), "smooth_l1", huber=False),
    _smooth_loss("HuberLossBackward0", ("Huber loss", "Huber 손실"), "huber", huber=True),
)


def soft_margin_z(ctx: Ctx, x: torch.Tensor, t: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The label t and z = e^(-t·x), as torch's soft margin backwards work them out, in the inputs' dtype (float32's
    e^100 is inf: torch's z/(1 + z) there is NaN, not the 1 of float64)."""
    dtype = torch.result_type(ctx.raw("self"), ctx.raw("target"))
    t = t.to(dtype)
    return t, (x.to(dtype) * -t).exp()


def soft_margin_slope(ctx: Ctx, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    """soft_margin_loss_backward's -t·z/(1 + z), in the inputs' dtype (soft_margin_z), handed back in float64."""
    t, z = soft_margin_z(ctx, x, t)
    return (-t * z / (z + 1)).to(torch.float64)


def _soft_margin(ctx: Ctx) -> Expr:
    """grad · -t·σ(-t·x) (/ N): soft_margin_loss_backward's -t·e^(-t·x)/(1 + e^(-t·x))."""
    x, t = ctx.sym("self"), Sym(ctx.letter("t"), ctx.tensor("target"))  # (the target is no slot: it takes no grad)
    return _per_entry(
        ctx, Form("(-{1}·σ(-{1}·{0}))", "(-{1}·σ(-{1}·{0}))", [x, t], lambda a, b: soft_margin_slope(ctx, a, b))
    )


add(
    Rule(
        "SoftMarginLossBackward0",
        ("soft margin loss", "소프트 마진 손실"),
        "{y} = {agg}(ln(1 + e^(-{t}·{x})))",
        "∂{y}/∂{x} = -{t}·σ(-{t}·{x}){over_n}",
        (
            "Each score gets grad · -{t}·σ(-{t}·{x}): much where it is on the wrong side of its label ±1, little "
            "where it is well on the right side. " + LOSS_WORDS[0],
            "각 점수는 grad · -{t}·σ(-{t}·{x})를 받습니다. 레이블(±1)의 반대쪽에 있으면 크게, 맞는 쪽으로 멀리 있으면 "
            "작게 받습니다. " + LOSS_WORDS[1],
        ),
        (Slot("self", "x", _soft_margin),),
        params=lambda c: {**_reduction_word(c), "t": c.letter("t")},
    ),
)


# -- multi-class hinge (multi_margin_loss) and CTC -----------------------------------------------------------------


def _margin_gaps(ctx: Ctx, margin: float, rows: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """z = margin - x[target] + x[j] for the rows' entries j, as the margin losses' kernels work it out: in the
    input's dtype, the margin rounded to it, left to right (float32's 0.9 - 0.9 + 0 is 0, not past the margin; in
    float64, with the margin 0.9 not rounded, it was 2.4e-8 and the check made the class count)."""
    dtype = ctx.raw("self").dtype
    picked = rows.expand(*targets.shape[:-1], rows.shape[-1]).gather(-1, targets)
    return (ctx.as_input(margin) - picked.to(dtype) + rows.to(dtype)).to(torch.float64)


def _margin_slopes(ctx: Ctx) -> torch.Tensor:
    """multi_margin_loss_backward's per-entry slopes, before grad and the division by C (and N): at each other
    class j with z = margin - x[target] + x[j] > 0, p·z^(p-1) (times the target's class weight); at the target,
    minus their sum."""
    x, target = ctx.tensor("self"), ctx.tensor("target").long()
    rows = x.reshape(-1, x.shape[-1])
    picked = target.reshape(-1)
    p = int(scalar(ctx, "p"))
    z = _margin_gaps(ctx, float(scalar(ctx, "margin")), rows, picked.unsqueeze(1))
    slope = (z > 0).to(torch.float64) * (1.0 if p == 1 else 2 * z)
    if ctx.has("weight"):
        slope = slope * ctx.tensor("weight")[picked].unsqueeze(1)
    slope = slope.scatter(1, picked.unsqueeze(1), 0.0)
    slope = slope.scatter(1, picked.unsqueeze(1), -slope.sum(1, keepdim=True))
    return slope.reshape(x.shape)


def _multilabel_slopes(ctx: Ctx) -> torch.Tensor:
    """multilabel_margin_loss_backward's per-entry slopes, before grad and the division by C (and N): for every
    target class j of a row (its target's entries before the first -1) and every class i that is none of them, with
    z = 1 - x[j] + x[i] > 0, +1 at i and -1 at j."""
    x, target = ctx.tensor("self"), ctx.tensor("target").long()
    rows, targets = x.reshape(-1, x.shape[-1]), target.reshape(-1, x.shape[-1])
    listed = (targets == -1).cumsum(1) == 0  # (a row's targets end at its first -1)
    chosen = targets.clamp(min=0)
    others = torch.zeros_like(rows).scatter_add(1, chosen, listed.to(rows.dtype)) == 0  # (no target class of the row)
    z = _margin_gaps(ctx, 1.0, rows.unsqueeze(1), chosen.unsqueeze(2))  # (row, target slot, class)
    active = ((z > 0) & listed.unsqueeze(2) & others.unsqueeze(1)).to(torch.float64)
    slope = active.sum(1)
    slope = slope.scatter_add(1, chosen, -active.sum(2))
    return slope.reshape(x.shape)


def _multilabel_margin(ctx: Ctx) -> Expr:
    x = ctx.tensor("self")
    classes = x.shape[-1]
    rows = 1 if x.dim() == 1 else x.shape[0]
    slopes = Form(
        "(+1 at each other class i and -1 at the target class j, for every pair with z > 0)",
        "(z > 0인 쌍마다 다른 클래스 i에 +1, 정답 클래스 j에 -1)",
        [ctx.sym("self")],
        lambda _: _multilabel_slopes(ctx),
        evaluated=True,
    )
    grad: Expr = ctx.grad
    if ctx.integer("reduction") == 0 and x.dim() == 2:
        grad = Form("grad", "grad", [ctx.grad], lambda g: g.unsqueeze(1), evaluated=True)
    count = classes * rows if ctx.integer("reduction") == MEAN else classes
    return grad * slopes / Num(count, "(C·N)" if ctx.integer("reduction") == MEAN and rows > 1 else "C")


def _multi_margin(ctx: Ctx) -> Expr:
    x = ctx.tensor("self")
    classes = x.shape[-1]
    rows = 1 if x.dim() == 1 else x.shape[0]
    p = int(scalar(ctx, "p"))
    h = "1" if p == 1 else "2z"
    w = "·w[target]" if ctx.has("weight") else ""
    slopes = Form(
        f"({h}{w} at each other class where z > 0, minus their sum at the target)",
        f"(z > 0인 다른 클래스마다 {h}{w}, 정답 클래스는 그 합의 음수)",
        [ctx.sym("self")],
        lambda _: _margin_slopes(ctx),
        evaluated=True,
    )
    grad: Expr = ctx.grad
    if ctx.integer("reduction") == 0 and x.dim() == 2:
        grad = Form("grad", "grad", [ctx.grad], lambda g: g.unsqueeze(1), evaluated=True)
    count = classes * rows if ctx.integer("reduction") == MEAN else classes
    return grad * slopes / Num(count, "(C·N)" if ctx.integer("reduction") == MEAN and rows > 1 else "C")


def _ctc_alpha_beta(lp: torch.Tensor, labels: torch.Tensor, length: int) -> tuple[torch.Tensor, torch.Tensor]:
    """The CTC forward (α) and backward (β) variables in log space of one sample over its first `length` time steps:
    `labels` is the target with blanks around and between (l′, 2·L + 1 long)."""
    states = labels.numel()
    neg = torch.full((length, states), -math.inf, dtype=torch.float64)
    alpha, beta = neg.clone(), neg.clone()
    emit = lp[:length, labels]  # (time, state): log p of each state's label
    skip = torch.zeros(
        states, dtype=torch.bool
    )  # (a state may be reached from two back: a label unlike the one two back)
    skip[2:] = (labels[2:] != labels[:-2]) & (labels[2:] != labels[0])
    alpha[0, : min(2, states)] = emit[0, : min(2, states)]
    for t in range(1, length):
        prev = alpha[t - 1]
        one = torch.cat([neg[0, :1], prev[:-1]])
        two = torch.where(skip, torch.cat([neg[0, :2], prev[:-2]]), -math.inf)
        alpha[t] = torch.logsumexp(torch.stack([prev, one, two]), 0) + emit[t]
    beta[length - 1, max(0, states - 2) :] = emit[length - 1, max(0, states - 2) :]
    skip_back = torch.zeros(states, dtype=torch.bool)
    skip_back[:-2] = skip[2:]
    for t in range(length - 2, -1, -1):
        after = beta[t + 1]
        one = torch.cat([after[1:], neg[0, :1]])
        two = torch.where(skip_back, torch.cat([after[2:], neg[0, :2]]), -math.inf)
        beta[t] = torch.logsumexp(torch.stack([after, one, two]), 0) + emit[t]
    return alpha, beta


def _ctc_grad(ctx: Ctx) -> torch.Tensor:
    """ctc_loss_backward: at each time t < T_n, p(c) - Σ_{s: l′ₛ = c} α_t(s)·β_t(s) / (p(c)·P(target)), times the
    sample's grad; 0 past T_n (zero_infinity: 0 for a sample whose loss is infinite)."""
    lp, grad_out = ctx.tensor("log_probs"), ctx.grad_tensor(0)
    batched = lp.dim() == 3
    lp3 = lp if batched else lp.unsqueeze(1)
    targets = ctx.tensor("targets").long()
    in_lengths = [int(v) for v in ctx.raw("input_lengths")]
    tg_lengths = [int(v) for v in ctx.raw("target_lengths")]
    blank, nll = ctx.integer("blank"), ctx.tensor("result0").reshape(-1)
    out = torch.zeros_like(lp3)
    start = 0
    for n in range(lp3.shape[1]):
        if targets.dim() == 2 or not batched:
            target = (targets[n] if targets.dim() == 2 else targets)[: tg_lengths[n]]
        else:
            target, start = targets[start : start + tg_lengths[n]], start + tg_lengths[n]
        labels = torch.full((2 * target.numel() + 1,), blank, dtype=torch.long)
        labels[1::2] = target
        length = in_lengths[n]
        if length == 0:
            continue
        alpha, beta = _ctc_alpha_beta(lp3[:, n], labels, length)
        both = alpha + beta  # (time, state)
        per_class = torch.full((length, lp3.shape[2]), -math.inf, dtype=torch.float64)
        for c in labels.unique().tolist():
            per_class[:, c] = torch.logsumexp(both[:, labels == c], 1)
        here = lp3[:length, n]
        g = (here.exp() - (per_class + nll[n] - here).exp()) * grad_out.reshape(-1)[n]
        if bool(ctx.raw("zero_infinity")) and math.isinf(float(nll[n])):
            g = torch.zeros_like(g)
        out[:length, n] = g
    return out if batched else out.squeeze(1)


def _ctc(ctx: Ctx) -> Expr:
    return Form(
        "grad · (p - Σ α·β / (p·P(target))) at each time step",
        "grad · (p - Σ α·β / (p·P(target))) (시간 단계마다)",
        [ctx.grad, ctx.sym("log_probs")],
        lambda g, lp: _ctc_grad(ctx),
        nums="grad · (p - Σ α·β / (p·P(target)))",
        evaluated=True,
    )


add(
    Rule(
        "MultiMarginLossBackward0",
        ("multi-class hinge loss", "다중 클래스 힌지 손실"),
        "{y} = {agg}(Σ_(j ≠ target) max(0, {margin} - {x}[target] + {x}[j]){pow} / C)",
        (
            "∂{y}/∂{x}[j] = {h}1[z > 0]/C{over_n}, ∂{y}/∂{x}[target] = -Σⱼ ∂{y}/∂{x}[j], "
            "z = {margin} - {x}[target] + {x}[j]"
        ),
        (
            "Each wrong class j whose score comes within the margin of the target's (z > 0) adds to the loss: it "
            "gets grad · {hw}/C, and the target class gets minus the sum of those, pushing its score up. Classes "
            "already beyond the margin get 0. Reduction: {red}.",
            "정답 점수와의 차이가 마진 안에 들어온(z > 0) 오답 클래스 j마다 손실이 생깁니다. 그 클래스는 "
            "grad · {hw}/C를 받고, 정답 클래스는 그 합의 음수를 받아 점수가 올라가는 쪽으로 갑니다. 이미 마진 "
            "밖에 있는 클래스는 0을 받습니다. {red_ko}.",
        ),
        (Slot("self", "x", _multi_margin),),
        params=lambda c: {
            **_reduced(c),
            "red": {0: "none", 1: "mean over the samples", 2: "sum"}[c.integer("reduction")],
            "red_ko": {
                0: "샘플마다 손실을 그대로 둡니다(reduction='none')",
                1: "샘플 손실의 평균이 최종 손실입니다(reduction='mean')",
                2: "샘플 손실을 모두 더한 값이 최종 손실입니다(reduction='sum')",
            }[c.integer("reduction")],
            "margin": Num(float(scalar(c, "margin"))).label,
            "pow": "" if int(scalar(c, "p")) == 1 else "²",
            "h": "" if int(scalar(c, "p")) == 1 else "2z·",
            "hw": "1" if int(scalar(c, "p")) == 1 else "2z",
        },
    ),
    Rule(
        "MultilabelMarginLossBackward0",
        ("multi-label hinge loss", "다중 레이블 힌지 손실"),
        "{y} = {agg}(Σ_(j ∈ targets) Σ_(i ∉ targets) max(0, 1 - {x}[j] + {x}[i]) / C)",
        (
            "∂{y}/∂{x}[i] = 1[z > 0]/C{over_n}, ∂{y}/∂{x}[j] = -1[z > 0]/C{over_n} per pair, z = 1 - {x}[j] + {x}[i]",
            "쌍 (j, i)마다 ∂{y}/∂{x}[i] = 1[z > 0]/C{over_n}, ∂{y}/∂{x}[j] = -1[z > 0]/C{over_n}, "
            "z = 1 - {x}[j] + {x}[i]",
        ),
        (
            "Every target class j of a sample should score at least 1 more than every class i that is not a target "
            "(the target list ends at its first -1). Each pair within that margin (z > 0) adds to the loss: the "
            "other class i gets grad · 1/C, pushing its score down, and the target class j gets -grad · 1/C, pushing "
            "its score up; a class in several such pairs gets the sum. Pairs already beyond the margin give 0. "
            "Reduction: {red}.",
            "한 샘플의 모든 정답 클래스 j는 정답이 아닌 모든 클래스 i보다 점수가 1 이상 높아야 합니다(정답 목록은 "
            "처음 나오는 -1에서 끝납니다). 그 마진 안에 있는(z > 0) 쌍마다 손실이 생깁니다. 다른 클래스 i는 "
            "grad · 1/C를 받아 점수가 내려가는 쪽으로, 정답 클래스 j는 -grad · 1/C를 받아 점수가 올라가는 쪽으로 "
            "갑니다. 여러 쌍에 들어간 클래스는 그 값들을 더해 받습니다. 이미 마진 밖에 있는 쌍은 0을 줍니다. "
            "{red_ko}.",
        ),
        (Slot("self", "x", _multilabel_margin),),
        params=lambda c: {
            **_reduced(c),
            "red": {0: "none", 1: "mean over the samples", 2: "sum"}[c.integer("reduction")],
            "red_ko": {
                0: "샘플마다 손실을 그대로 둡니다(reduction='none')",
                1: "샘플 손실의 평균이 최종 손실입니다(reduction='mean')",
                2: "샘플 손실을 모두 더한 값이 최종 손실입니다(reduction='sum')",
            }[c.integer("reduction")],
        },
    ),
    Rule(
        "CtcLossBackward0",
        ("CTC loss", "CTC 손실"),
        (
            "{y} = -ln P(target | {x}), P summed over every alignment of the target to the time steps",
            "{y} = -ln P(target | {x}), P는 정답을 시간 단계에 맞춰 펼치는 모든 정렬 경로의 합",
        ),
        "∂{y}/∂{x}[t, c] = p_t(c) - Σ_(s: l′ₛ = c) α_t(s)·β_t(s) / (p_t(c)·P(target))",
        (
            "The loss sums over every way of spreading the target over the time steps (with blanks). α (forward) "
            "and β (backward) add up those paths, so α_t(s)·β_t(s)/p_t(c) is the weight of the paths that emit class "
            "c at time t. Each log-probability gets grad · (p - that share): the classes the good paths use are "
            "pushed up, the rest down. Time steps past a sample's input length get 0.",
            "이 손실은 정답을 (빈칸을 섞어) 시간 단계에 펼치는 모든 정렬 경로를 더한 것입니다. α(앞에서부터)와 "
            "β(뒤에서부터)가 그 경로들을 더해 두므로, α_t(s)·β_t(s)/p_t(c)는 시간 t에 클래스 c를 내는 경로들의 "
            "몫입니다. 각 로그 확률은 grad · (p - 그 몫)을 받습니다. 좋은 경로가 쓰는 클래스는 올라가고 나머지는 "
            "내려갑니다. 샘플의 입력 길이를 넘는 시간 단계는 0을 받습니다.",
        ),
        (Slot("log_probs", "x", _ctc),),
        first_output=True,
    ),
)
# _ctc_loss.Tensor (torch._ctc_loss with the lengths as tensors; F.ctc_loss turns them into lists first): the same
# ctc_loss_backward
add(dataclasses.replace(RULES["CtcLossBackward0"], node="CtcLossBackward1"))
