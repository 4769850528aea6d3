"""Layers whose backward is one fused kernel (derivatives.yaml: native_layer_norm, native_batch_norm,
convolution, _scaled_dot_product_flash_attention_for_cpu, mkldnn_rnn_layer, embedding). Each gradient is
recomputed here from its textbook formula in float64, by another route than PyTorch's kernel (the
normalization formulas, a transposed convolution and unfolded patches, softmax attention written out, an LSTM
unrolled through time), and checked against what the kernel sent."""

import itertools
import math
from collections.abc import Callable
from typing import Any

import torch
import torch.nn.functional as F

from ..expr import Expr, Form, Shown, Sym
from ..rule import Ctx, Missing, Rule, Slot, Words, add
from .image import resampled, tap


def computed(en: str, ko: str, ctx: Ctx, fn, bound=None, shown: tuple[tuple[str, torch.Tensor], ...] = ()) -> Expr:
    """A formula too big to write out term by term: its text, and its value computed from the grad by `fn`. `shown`:
    the values it uses besides the grad, named as the formula names them, written in its numbers (a normalization's
    x̂ and rstd: its numbers were `grad → … = result`, none of the step's own values)."""
    if not shown:
        return Form(en, ko, [ctx.grad], fn, nums="{0} → …", bound=bound)
    nums = "{0} → … (" + ", ".join(f"{name} = {{{k}}}" for k, (name, _) in enumerate(shown, 1)) + ")"
    return Form(
        en,
        ko,
        [ctx.grad, *(Shown(name, value) for name, value in shown)],
        lambda g, *_: fn(g),
        nums=nums,
        bound=None if bound is None else lambda g, *_: bound(g),
    )


# -- layer norm and batch norm ----------------------------------------------------------------------------


def normalized_grad(
    g: torch.Tensor, x_hat: torch.Tensor, rstd: torch.Tensor, axes: tuple[int, ...], n: int
) -> torch.Tensor:
    """What a normalization's input gets of the gradient `g` of x̂ = (x - mean)·rstd, mean and rstd the input's own
    over `axes` (`n` entries each): (rstd/N)·(N·g - Σg - x̂·Σ(g·x̂)) (PyTorch's layer and batch norm backward)."""
    return rstd / n * (n * g - g.sum(axes, keepdim=True) - x_hat * (g * x_hat).sum(axes, keepdim=True))


def _layer_norm(ctx: Ctx, which: str) -> Expr:
    x = ctx.tensor("input")
    count = len(ctx.raw("normalized_shape"))
    axes = tuple(range(x.dim() - count, x.dim()))
    lead = tuple(range(x.dim() - count))
    mean, rstd = ctx.tensor("result1"), ctx.tensor("result2")
    weight = ctx.tensor("weight") if ctx.has("weight") else None
    n = math.prod(x.shape[a] for a in axes)
    x_hat = (x - mean) * rstd

    def grad_input(g):
        return normalized_grad(g * weight if weight is not None else g, x_hat, rstd, axes, n)

    if which == "input":
        return computed(
            "(rstd/N)·(N·ĝ - Σĝ - x̂·Σ(ĝ·x̂)), ĝ = grad·w",
            "(rstd/N)·(N·ĝ - Σĝ - x̂·Σ(ĝ·x̂)), ĝ = grad·w",
            ctx,
            grad_input,
            bound=lambda g: (
                rstd * (g.abs() * (weight.abs() if weight is not None else 1)) * (1 + x_hat.abs()).pow(2) * 3
            ),
            shown=(("x̂", x_hat), ("rstd", rstd), ("N", torch.tensor(n)))
            + ((("w", weight),) if weight is not None else ()),
        )
    if which == "weight":
        return computed(
            "Σ (grad · x̂) over the batch",
            "배치 전체의 Σ (grad · x̂)",
            ctx,
            lambda g: (g * x_hat).sum(lead) if lead else g * x_hat,
            bound=lambda g: (g * x_hat.abs()).sum(lead) if lead else g * x_hat.abs(),
            shown=(("x̂", x_hat),),
        )
    return computed(
        "Σ grad over the batch",
        "배치 전체의 Σ grad",
        ctx,
        lambda g: g.sum(lead) if lead else g,
        bound=lambda g: g.sum(lead) if lead else g,
    )


def _batch_norm_params(ctx: Ctx) -> dict[str, object]:
    """Batch norm in training normalizes with the batch's mean and invstd, in eval mode with the running ones."""
    if bool(ctx.raw("training")):
        return {"rstd": "invstd", "mean": "mean", "mean_ko": "평균"}
    return {"running": True, "mean": "running_mean", "mean_ko": "running_mean"}


def _batch_norm(ctx: Ctx, which: str) -> Expr:
    x = ctx.tensor("input")
    shape = [1, x.shape[1]] + [1] * (x.dim() - 2)
    axes = tuple(a for a in range(x.dim()) if a != 1)
    training = bool(ctx.raw("training"))
    if training:
        mean, invstd = ctx.tensor("result1").view(shape), ctx.tensor("result2").view(shape)
    else:
        eps = float(ctx.raw("eps"))
        mean = ctx.tensor("running_mean").view(shape)
        invstd = (ctx.tensor("running_var") + eps).rsqrt().view(shape)
    weight = ctx.tensor("weight").view(shape) if ctx.has("weight") else torch.ones(shape, dtype=torch.float64)
    n = x.numel() // x.shape[1]
    x_hat = (x - mean) * invstd

    def grad_input(g):
        if not training:
            return g * weight * invstd
        return weight * normalized_grad(g, x_hat, invstd, axes, n)

    if which == "input":
        en = "(w·invstd/N)·(N·grad - Σgrad - x̂·Σ(grad·x̂))" if training else "grad · w · invstd (running statistics)"
        ko = "(w·invstd/N)·(N·grad - Σgrad - x̂·Σ(grad·x̂))" if training else "grad · w · invstd (누적 통계)"
        stats = (("x̂", x_hat), ("invstd", invstd.flatten()), ("N", torch.tensor(n))) if training else ()
        return computed(
            en,
            ko,
            ctx,
            grad_input,
            bound=lambda g: weight.abs() * invstd * (g + g.sum(axes, keepdim=True) / n * (1 + x_hat.abs()).pow(2)) * 3,
            shown=(*stats, ("w", weight.flatten()), *(() if training else (("invstd", invstd.flatten()),))),
        )
    return _per_channel(ctx, which, x_hat, axes)


def _per_channel(ctx: Ctx, which: str, x_hat: torch.Tensor, axes: tuple[int, ...]) -> Expr:
    """A channel normalization's weight (Σ grad · x̂) or bias (Σ grad) gradient, summed over `axes`."""
    if which == "weight":
        return computed(
            "Σ (grad · x̂) per channel",
            "채널별 Σ (grad · x̂)",
            ctx,
            lambda g: (g * x_hat).sum(axes),
            bound=lambda g: (g * x_hat.abs()).sum(axes),
            shown=(("x̂", x_hat),),
        )
    return computed("Σ grad per channel", "채널별 Σ grad", ctx, lambda g: g.sum(axes), bound=lambda g: g.sum(axes))


def _group_norm(ctx: Ctx, which: str) -> Expr:
    """Layer normalization per group of channels (derivatives.yaml: native_group_norm)."""
    x = ctx.tensor("input")
    n, c, groups = x.shape[0], x.shape[1], ctx.integer("group")
    mean, rstd = ctx.tensor("result1").unsqueeze(-1), ctx.tensor("result2").unsqueeze(-1)
    x_hat_g = (x.reshape(n, groups, -1) - mean) * rstd
    x_hat = x_hat_g.reshape(x.shape)
    per_channel = [1, c] + [1] * (x.dim() - 2)
    weight = ctx.tensor("weight").view(per_channel) if ctx.has("weight") else None
    axes = (0, *range(2, x.dim()))

    gamma = weight.reshape(c) if weight is not None else torch.ones(c, dtype=torch.float64)

    def sums(g):  # (ATen's GroupNormKernel: Σ grad·x and Σ grad per sample and channel, then per group times γ)
        ds, db = (g * x).reshape(n, c, -1).sum(-1), g.reshape(n, c, -1).sum(-1)
        return (
            ds,
            db,
            (ds * gamma).reshape(n, groups, -1).sum(-1, keepdim=True),
            (db * gamma).reshape(n, groups, -1).sum(-1, keepdim=True),
        )

    def grad_input(g):
        """(rstd/N)·(N·ĝ - Σĝ - x̂·Σ(ĝ·x̂)), as ATen's kernel computes it: grad·γ·rstd + c2·x + c3 with c2 = (Σĝ·mean -
        Σ(ĝ·x))·rstd³/N and c3 = -c2·mean - Σĝ·rstd/N, so that an inf or NaN ends where torch's does."""
        _, _, ds, db = sums(g)
        m = x.numel() // (n * groups)
        c2 = (db * mean - ds) * rstd.pow(3) / m
        c3 = -c2 * mean - db * rstd / m
        c1 = (rstd * gamma.reshape(1, groups, -1)).unsqueeze(-1)  # (n, groups, channels per group, 1)
        shape = (n, groups, c // groups, -1)
        out = c1 * g.reshape(shape) + (c2 * x.reshape(n, groups, -1) + c3).reshape(shape)
        return out.reshape(x.shape)

    def grad_weight(g):  # (ATen: Σ over the samples of (Σ grad·x - Σ grad · mean) · rstd, per channel)
        ds, db, _, _ = sums(g)
        per_group = (ds.reshape(n, groups, -1) - db.reshape(n, groups, -1) * mean) * rstd
        return per_group.reshape(n, c).sum(0)

    if which == "weight":
        return computed(
            "Σ (grad · x̂) per channel",
            "채널별 Σ (grad · x̂)",
            ctx,
            grad_weight,
            bound=lambda g: (g * x_hat.abs()).sum(axes),
            shown=(("x̂", x_hat),),
        )
    if which == "input":
        return computed(
            "(rstd/N)·(N·ĝ - Σĝ - x̂·Σ(ĝ·x̂)) per group, ĝ = grad·w",
            "그룹별 (rstd/N)·(N·ĝ - Σĝ - x̂·Σ(ĝ·x̂)), ĝ = grad·w",
            ctx,
            grad_input,
            bound=lambda g: (
                rstd.mean() * (g.abs() * (weight.abs() if weight is not None else 1)) * (1 + x_hat.abs()).pow(2) * 3
            ),
        )
    return _per_channel(ctx, which, x_hat, axes)


NORM_WORDS = (
    "Normalization: x̂ = (x - mean)·{rstd}, then y = x̂·w + b. The input's gradient also flows through the mean "
    "and the spread, which every entry of the group shares, so its formula is longer; the weight gets Σ grad·x̂, "
    "the bias Σ grad.",
    "정규화: x̂ = (x - 평균)·{rstd}, 그다음 y = x̂·w + b. 입력에 대한 그래디언트는 그룹의 모든 원소가 함께 쓰는 평균과 "
    "분산을 거쳐서도 흐르므로 식이 길어집니다. 가중치는 Σ grad·x̂, 편향은 Σ grad를 받습니다.",
)
# eval mode (`model.eval()`, training=False): the running statistics are constants, nothing flows through them
RUNNING_WORDS = (
    "In eval mode the running statistics are used: x̂ = (x - running_mean)·invstd with invstd = 1/√(running_var + "
    "eps), then y = x̂·w + b. They are constants kept from training, not computed from this batch, so the input's "
    "gradient is just grad · w · invstd; the weight gets Σ grad·x̂, the bias Σ grad.",
    "평가 모드에서는 누적 통계(running statistics)를 씁니다: x̂ = (x - running_mean)·invstd, "
    "invstd = 1/√(running_var + eps), 그다음 y = x̂·w + b. 이 통계는 이번 배치로 계산한 값이 아니라 학습 중에 모아 둔 "
    "상수이므로, 입력에 대한 그래디언트는 grad · w · invstd뿐입니다. 가중치는 Σ grad·x̂, 편향은 Σ grad를 받습니다.",
)


def _norm(
    node: str,
    title: Words,
    forward: Words,
    grad: Callable[[Ctx, str], Expr],
    params: Callable[[Ctx], dict[str, object]] = lambda c: {"rstd": "rstd"},
) -> Rule:
    """A normalization: its input x, weight w and bias b each get `grad(ctx, which)`."""
    slots = (
        Slot("input", "x", lambda c: grad(c, "input")),
        Slot("weight", "w", lambda c: grad(c, "weight")),
        Slot("bias", "b", lambda c: grad(c, "bias")),
    )
    return Rule(
        node,
        title,
        forward,
        ("see the formulas of each input", "각 입력의 식을 보세요"),
        ("{words_en}", "{words_ko}"),
        slots,
        params=lambda c: _norm_words(c, params(c)),
        first_output=True,
    )


def _norm_words(ctx: Ctx, params: dict[str, object]) -> dict[str, object]:
    """The words of a normalization (the running statistics' in eval mode), with their own values filled in."""
    words = RUNNING_WORDS if params.get("running") else NORM_WORDS
    en, ko = (text.replace("{rstd}", str(params.get("rstd", "rstd"))) for text in words)
    return {**params, "words_en": en, "words_ko": ko}


add(
    _norm(
        "NativeLayerNormBackward0",
        ("layer normalization", "레이어 정규화"),
        ("{y} = (x - mean)·rstd·w + b over the last axes", "{y} = (x - 평균)·rstd·w + b (마지막 축들에 대해)"),
        _layer_norm,
    ),
    _norm(
        "NativeGroupNormBackward0",
        ("group normalization", "그룹 정규화"),
        (
            "{y} = (x - mean)·rstd·w + b over each group of channels",
            "{y} = (x - 평균)·rstd·w + b (채널 그룹마다)",
        ),
        _group_norm,
    ),
    _norm(
        "NativeBatchNormBackward0",
        ("batch normalization", "배치 정규화"),
        ("{y} = (x - {mean})·invstd·w + b per channel", "{y} = (x - {mean_ko})·invstd·w + b (채널별)"),
        _batch_norm,
        params=_batch_norm_params,
    ),
)

# -- convolution --------------------------------------------------------------------------------------------


def _conv_params(ctx: Ctx):
    x, w = ctx.tensor("input"), ctx.tensor("weight")
    stride, padding, dilation = (tuple(int(v) for v in ctx.raw(k)) for k in ("stride", "padding", "dilation"))
    return x, w, stride, padding, dilation, int(ctx.raw("groups"))


def _as_2d(x, w, stride, padding, dilation):
    """A 1-D convolution as a 2-D one of height 1."""
    if x.dim() == 3:
        return x.unsqueeze(2), w.unsqueeze(2), (1, *stride), (0, *padding), (1, *dilation)
    return x, w, stride, padding, dilation


def _correlated(source, g, w_shape, stride, padding, dilation, groups):
    """Σ over batch and positions of `g` × the patch of `source` each position met, for every weight entry (a weight
    of `w_shape`: g's channels in groups by its first axis, source's by its second): a convolution's weight gradient
    (source = its input, g = grad), or a transposed one's (source = grad, g = its input). Any number of spatial axes:
    a patch is read at each kernel offset with strided slices of the padded source."""
    kernel, positions = tuple(w_shape[2:]), tuple(g.shape[2:])
    pads = [p for value in reversed(padding) for p in (value, value)]
    padded = F.pad(source, pads)
    out, per = w_shape[0] // groups, w_shape[1]
    result = torch.zeros(w_shape, dtype=torch.float64)
    for offset in itertools.product(*(range(k) for k in kernel)):
        reads: list[Any] = [...]
        reads += [
            slice(o * d, o * d + (n - 1) * s + 1, s)
            for o, d, n, s in zip(offset, dilation, positions, stride, strict=True)
        ]
        window = padded[tuple(reads)]
        for k in range(groups):
            place: list[Any] = [slice(k * out, (k + 1) * out), slice(None), *offset]
            result[tuple(place)] = torch.einsum(
                "no...,nc...->oc", g[:, k * out : (k + 1) * out], window[:, k * per : (k + 1) * per]
            )
    return result


def _conv3d_slot(ctx: Ctx, which: str) -> Expr:
    """A 3-D convolution's (or transposed convolution's) input or weight gradient: the transposed operation of grad
    by the weight (for a transposed convolution, the convolution), and `_correlated` patches."""
    x, w, stride, padding, dilation, groups = _conv_params(ctx)
    weight = ctx.label(1, "W")
    if _transposed(ctx):
        if which == "input":

            def conv(g, kernel=w):
                return _crop(F.conv3d(g, kernel, None, stride, padding, dilation, groups), tuple(x.shape))

            return computed(
                f"conv(grad, {weight})", f"conv(grad, {weight})", ctx, conv, bound=lambda g: conv(g, w.abs())
            )

        def spread(g, source=x):
            return _correlated(g, source, tuple(w.shape), stride, padding, dilation, groups)

        return computed(
            "Σ over batch and positions of x × the patch of grad it reached",
            "배치와 위치 전체의 Σ x × x가 닿은 grad 패치",
            ctx,
            spread,
            bound=lambda g: spread(g.abs(), x.abs()),
        )
    if which == "input":

        def back(g, kernel=w):
            extra = [
                x.shape[2 + i]
                - ((g.shape[2 + i] - 1) * stride[i] - 2 * padding[i] + dilation[i] * (w.shape[2 + i] - 1) + 1)
                for i in range(3)
            ]
            return F.conv_transpose3d(g, kernel, None, stride, padding, tuple(extra), groups, dilation)

        return computed(
            f"conv_transpose(grad, {weight})",
            f"conv_transpose(grad, {weight})",
            ctx,
            back,
            bound=lambda g: back(g.abs(), w.abs()),
        )

    def patches(g, source=x):
        return _correlated(source, g, tuple(w.shape), stride, padding, dilation, groups)

    return computed(
        "Σ over batch and positions of grad × the input patch",
        "배치와 위치 전체의 Σ grad × 입력 패치",
        ctx,
        patches,
        bound=lambda g: patches(g.abs(), x.abs()),
    )


def _conv_input(ctx: Ctx) -> Expr:
    x0, w0, stride, padding, dilation, groups = _conv_params(ctx)
    x, w, stride, padding, dilation = _as_2d(x0, w0, stride, padding, dilation)

    def grad(g):
        g = g.unsqueeze(2) if x0.dim() == 3 else g
        kernel = w.shape[2:]
        extra = [
            x.shape[2 + i] - ((g.shape[2 + i] - 1) * stride[i] - 2 * padding[i] + dilation[i] * (kernel[i] - 1) + 1)
            for i in range(2)
        ]
        out = F.conv_transpose2d(g, w, None, stride, padding, tuple(extra), groups, dilation)
        return out.squeeze(2) if x0.dim() == 3 else out

    weight = ctx.label(1, "W")  # (the snippet's name for the weight, as the node's formula writes it)
    return computed(
        f"conv_transpose(grad, {weight})",
        f"conv_transpose(grad, {weight})",
        ctx,
        grad,
        bound=lambda g: (
            F.conv_transpose2d(
                g.unsqueeze(2) if x0.dim() == 3 else g, w.abs(), None, stride, padding, 0, groups, dilation
            )
            .abs()
            .max()
        ),
    )


def _conv_weight(ctx: Ctx) -> Expr:
    x0, w0, stride, padding, dilation, groups = _conv_params(ctx)
    x, w, stride, padding, dilation = _as_2d(x0, w0, stride, padding, dilation)
    out_channels, per_group = w.shape[0], w.shape[1]
    kernel = tuple(w.shape[2:])
    made: list[torch.Tensor] = []  # the input's patches, made when the numbers are worked out, not for formulas

    def cols() -> torch.Tensor:  # (N, C·kh·kw, L): a batch's patches take 0.1-0.5 s to make
        if not made:
            made.append(F.unfold(x, kernel, dilation=dilation, padding=padding, stride=stride))
        return made[0]

    def grad(g, patches=None):
        patches = cols() if patches is None else patches
        g = (g.unsqueeze(2) if x0.dim() == 3 else g).reshape(g.shape[0], out_channels, -1)  # (N, O, L)
        o, c = out_channels // groups, per_group * kernel[0] * kernel[1]
        parts = [
            torch.einsum("nol,ncl->oc", g[:, k * o : (k + 1) * o], patches[:, k * c : (k + 1) * c])
            for k in range(groups)
        ]
        return torch.cat(parts).reshape(w0.shape)

    return computed(
        "Σ over batch and positions of grad × the input patch",
        "배치와 위치 전체의 Σ grad × 입력 패치",
        ctx,
        grad,
        bound=lambda g: grad(g, cols().abs()),
    )


def _conv_bias(ctx: Ctx) -> Expr:
    if not _biased(ctx):  # (a layer made with bias=False: nothing was added, so no formula is written for it)
        raise Missing("no bias was added", "편향을 더하지 않았습니다")
    return computed(
        "Σ grad over batch and positions",
        "배치와 위치 전체의 Σ grad",
        ctx,
        lambda g: g.sum([0, *range(2, g.dim())]),
        bound=lambda g: g.sum([0, *range(2, g.dim())]),
    )


# -- transposed convolution ------------------------------------------------------------------------------------


def _crop(value, shape):
    """`value` cut to `shape`'s spatial sizes (a stride-1 output_padding makes the plain convolution one longer)."""
    return value[(..., *(slice(0, size) for size in shape[2:]))]


def _conv_transpose_input(ctx: Ctx) -> Expr:
    """A transposed convolution is the adjoint of a convolution with the same weight: its input's gradient is that
    convolution of grad."""
    x0, w0, stride, padding, dilation, groups = _conv_params(ctx)
    x, w, stride, padding, dilation = _as_2d(x0, w0, stride, padding, dilation)

    def conv(g, weight=w):
        g = g.unsqueeze(2) if x0.dim() == 3 else g
        out = _crop(F.conv2d(g, weight, None, stride, padding, dilation, groups), tuple(x.shape))
        return out.squeeze(2) if x0.dim() == 3 else out

    weight = ctx.label(1, "W")
    return computed(f"conv(grad, {weight})", f"conv(grad, {weight})", ctx, conv, bound=lambda g: conv(g, w.abs()))


def _conv_transpose_weight(ctx: Ctx) -> Expr:
    """Weight (C_in, C_out/groups, k...): grad_W = Σ over batch and positions of x × the patch of grad it reached
    (the convolution's weight gradient with the roles of input and grad exchanged)."""
    x0, w0, stride, padding, dilation, groups = _conv_params(ctx)
    x, w, stride, padding, dilation = _as_2d(x0, w0, stride, padding, dilation)
    in_channels, per_group = w.shape[0], w.shape[1]
    kernel = tuple(w.shape[2:])

    def grad(g, source=x):
        g = g.unsqueeze(2) if x0.dim() == 3 else g
        patches = F.unfold(g, kernel, dilation=dilation, padding=padding, stride=stride)  # (N, C_out·kh·kw, L')
        positions = [
            (g.shape[2 + i] + 2 * padding[i] - dilation[i] * (kernel[i] - 1) - 1) // stride[i] + 1 for i in range(2)
        ]
        patches = patches.reshape(g.shape[0], -1, *positions)[:, :, : x.shape[2], : x.shape[3]]
        patches = patches.reshape(g.shape[0], patches.shape[1], -1)
        inputs = source.reshape(source.shape[0], in_channels, -1)  # (N, C_in, L)
        i, c = in_channels // groups, per_group * kernel[0] * kernel[1]
        parts = [
            torch.einsum("nil,ncl->ic", inputs[:, k * i : (k + 1) * i], patches[:, k * c : (k + 1) * c])
            for k in range(groups)
        ]
        return torch.cat(parts).reshape(w0.shape)

    return computed(
        "Σ over batch and positions of x × the patch of grad it reached",
        "배치와 위치 전체의 Σ x × x가 닿은 grad 패치",
        ctx,
        grad,
        bound=lambda g: grad(g.abs(), x.abs()),
    )


def _convolution_slots(ctx: Ctx) -> tuple[Slot, ...]:
    if ctx.tensor("input").dim() == 5:
        return (
            Slot("input", "x", lambda c: _conv3d_slot(c, "input")),
            Slot("weight", "W", lambda c: _conv3d_slot(c, "weight")),
            Slot("bias", "b", _conv_bias),
        )
    if bool(ctx.raw("transposed")):
        return (
            Slot("input", "x", _conv_transpose_input),
            Slot("weight", "W", _conv_transpose_weight),
            Slot("bias", "b", _conv_bias),
        )
    return (Slot("input", "x", _conv_input), Slot("weight", "W", _conv_weight), Slot("bias", "b", _conv_bias))


CONV_WORDS = (
    "Each output entry is a weighted sum of one patch of the input, so the input gets the gradient spread back "
    "through the same weights (a transposed convolution), each weight gets the sum of grad × the input values "
    "it met, and the bias the sum of grad.",
    "각 출력 원소는 입력의 한 패치에 가중치를 곱해 더한 값이므로, 입력은 같은 가중치를 거꾸로 거친 "
    "그래디언트(전치 합성곱)를, 가중치는 자신이 만났던 입력 값과 grad의 곱을 모두 더한 값을, 편향은 grad의 합을 "
    "받습니다.",
)
CONV_UNBIASED = (
    "Each output entry is a weighted sum of one patch of the input (no bias was added), so the input gets the "
    "gradient spread back through the same weights (a transposed convolution), and each weight gets the sum of "
    "grad × the input values it met.",
    "각 출력 원소는 입력의 한 패치에 가중치를 곱해 더한 값이므로(편향은 더하지 않았습니다), 입력은 같은 가중치를 "
    "거꾸로 거친 그래디언트(전치 합성곱)를, 가중치는 자신이 만났던 입력 값과 grad의 곱을 모두 더한 값을 받습니다.",
)
CONV_TRANSPOSE_WORDS = (
    "A transposed convolution spreads each input entry over a patch of the output through the weights (the "
    "convolution run backwards), so backward is an ordinary convolution: the input gets conv(grad, W), each weight "
    "gets the sum of the input value × the grad entries it was spread onto, and the bias the sum of grad.",
    "전치 합성곱은 입력의 각 원소를 가중치를 거쳐 출력의 한 패치에 펼쳐 놓는 연산(합성곱을 거꾸로 한 것)이므로, "
    "역전파는 보통의 합성곱이 됩니다. 입력은 conv(grad, W)를, 가중치는 입력 값과 그 값이 펼쳐진 자리의 grad를 곱해 "
    "모두 더한 값을, 편향은 grad의 합을 받습니다.",
)


CONV_TRANSPOSE_UNBIASED = (
    "A transposed convolution spreads each input entry over a patch of the output through the weights (the "
    "convolution run backwards; no bias was added), so backward is an ordinary convolution: the input gets "
    "conv(grad, W), and each weight gets the sum of the input value × the grad entries it was spread onto.",
    "전치 합성곱은 입력의 각 원소를 가중치를 거쳐 출력의 한 패치에 펼쳐 놓는 연산(합성곱을 거꾸로 한 것이며, 편향은 "
    "더하지 않았습니다)이므로, 역전파는 보통의 합성곱이 됩니다. 입력은 conv(grad, W)를, 가중치는 입력 값과 그 값이 "
    "펼쳐진 자리의 grad를 곱해 모두 더한 값을 받습니다.",
)


def _transposed(ctx: Ctx) -> bool:
    return bool(ctx.raw("transposed"))


def _convolution_settings(ctx: Ctx) -> dict[str, str]:
    """The stride, padding, dilation and groups the code gave, where not the default (`(stride 2, padding 1)`), and
    what groups do to the gradient."""
    given = []
    for key in ("stride", "padding", "dilation", "output_padding"):
        values = tuple(int(v) for v in ctx.raw(key)) if key in ctx.saved else ()
        default = 1 if key in ("stride", "dilation") else 0
        if any(v != default for v in values):
            given.append(f"{key} {values[0] if len(set(values)) == 1 else values}")
    groups = int(ctx.raw("groups")) if "groups" in ctx.saved else 1
    if groups > 1:
        given.append(f"groups {groups}")
    settings = f" ({', '.join(given)})" if given else ""
    if groups == 1:
        return {"settings": settings, "groups_en": "", "groups_ko": ""}
    return {
        "settings": settings,
        "groups_en": f" With groups={groups} the channels are split into {groups} groups: each output channel saw "
        "only its own group's input channels, so the gradient goes back only to those.",
        "groups_ko": f" 그룹 수가 {groups}개(groups={groups})라서 채널이 {groups}개 그룹으로 나뉘어 있고, "
        "각 출력 채널은 자기 그룹의 입력 채널만 사용합니다. 그래서 그래디언트도 그 채널로만 돌아갑니다.",
    }


def _convolution_params(ctx: Ctx) -> dict:
    """What differs between a convolution and a transposed one (the node class is the same): the names are put in
    here (`label`), as a template cannot hold a placeholder inside a parameter."""
    x, w = ctx.label(0, "x"), ctx.label(1, "W")
    b = ctx.label(2, "b") if _biased(ctx) else None
    bias = {"bias": f" + {b}"} if b is not None else {"bias": ""}
    db = f", ∂L/∂{b} = Σ grad" if b is not None else ""
    if _transposed(ctx):
        words = CONV_TRANSPOSE_WORDS if b is not None else CONV_TRANSPOSE_UNBIASED
        return {
            "kind": "transposed convolution",
            "kind_ko": "전치 합성곱",
            "op": "conv_transpose",
            "local": f"∂L/∂{x} = conv(grad, {w}), ∂L/∂{w} = Σ {x} × patches of grad{db}",
            "local_ko": f"∂L/∂{x} = conv(grad, {w}), ∂L/∂{w} = Σ {x} × (grad의 패치들){db}",
            "words_en": words[0],
            "words_ko": words[1],
            **bias,
        }
    words = CONV_WORDS if b is not None else CONV_UNBIASED
    return {
        "kind": "convolution",
        "kind_ko": "합성곱",
        "op": "conv",
        "local": f"∂L/∂{x} = conv_transpose(grad, {w}), ∂L/∂{w} = Σ grad × patches of {x}{db}",
        "local_ko": f"∂L/∂{x} = conv_transpose(grad, {w}), ∂L/∂{w} = Σ grad × ({x}의 패치들){db}",
        "words_en": words[0],
        "words_ko": words[1],
        **bias,
    }


def _biased(ctx: Ctx) -> bool:
    """Whether the convolution added a bias: autograd saves its size, `(0,)` (or None) for `bias=None` (a layer made
    with bias=False). Not recorded: assumed, as most layers have one."""
    if "bias_sym_sizes_opt" not in ctx.saved:
        return True
    sizes = ctx.saved["bias_sym_sizes_opt"]
    return bool(sizes) and tuple(int(v) for v in sizes) != (0,)


# -- adaptive pooling -----------------------------------------------------------------------------------------


def _bins(size: int, out: int):
    """The averaging matrix of adaptive pooling along one axis (out × size): output i averages the entries
    floor(i·size/out) to ceil((i+1)·size/out) - 1."""
    matrix = torch.zeros(out, size, dtype=torch.float64)
    for i in range(out):
        start, end = (i * size) // out, -(-((i + 1) * size) // out)
        matrix[i, start:end] = 1.0 / (end - start)
    return matrix


def _adaptive_avg(ctx: Ctx, axes: int) -> Expr:
    x = ctx.tensor("self")
    out = tuple(ctx.grad_tensor().shape[-axes:])
    matrices = [_bins(x.shape[x.dim() - axes + i], out[i]) for i in range(axes)]
    spec = "...ij,ih,jw->...hw" if axes == 2 else "...ijk,id,jh,kw->...dhw"

    def share(g):
        return resampled(spec, g, [[tap(m)] for m in matrices])

    return computed(
        "grad of each output cell shared evenly among its window's entries (overlaps added)",
        "각 출력 칸의 grad를 그 창의 원소들에 똑같이 나눠 줌(겹치면 더함)",
        ctx,
        share,
        bound=share,
    )


def _adaptive_max(ctx: Ctx, axes: int) -> Expr:
    x, indices = ctx.tensor("self"), ctx.tensor("result1").long()  # result1: each window's argmax
    lead = x.dim() - axes

    def fill(g):
        flat = torch.zeros(*x.shape[:lead], math.prod(x.shape[lead:]), dtype=torch.float64)
        return flat.scatter_add_(lead, indices.flatten(lead), g.flatten(lead)).view(x.shape)

    return Form(
        "{0} at each window's max (repeats added)",
        "{0} (각 창의 최댓값 자리, 겹치면 더함)",
        [ctx.grad],
        fill,
        nums="{0} → argmax",
        bound=fill,
    )


def _pooling(grad: Callable[[Ctx, int], Expr], axes: int) -> Callable[[Ctx], Expr]:
    """A pooling rule's gradient over `axes` spatial axes."""
    return lambda ctx: grad(ctx, axes)


def _pooling_params(axes: int) -> Callable[[Ctx], dict]:
    """A pooling rule's template values over `axes` spatial axes."""
    return lambda ctx: _avg_params(ctx, axes)


ADAPTIVE_AVG_WORDS = (
    "Adaptive average pooling cuts {x} into as many windows as the output has cells (floor(i·n/m) to "
    "ceil((i+1)·n/m) along each axis) and averages each: every entry of a window gets that cell's grad divided by "
    "the window's size, and an entry in two overlapping windows gets the sum.",
    "적응형 평균 풀링은 {x}의 원소들을 출력 칸 수만큼의 창(각 축에서 floor(i·n/m)부터 ceil((i+1)·n/m)까지)으로 "
    "묶어 각각 평균을 냅니다. 그래서 창의 각 원소는 그 칸의 grad를 창의 크기로 나눈 값을 받고, 겹치는 두 창에 모두 "
    "속한 원소는 그 합을 받습니다.",
)
ADAPTIVE_MAX_WORDS = (
    "Each window's gradient goes to the entry that was its maximum (its index was saved); the others get 0; an "
    "entry that won several windows gets the sum.",
    "각 창(window)의 그래디언트는 그 창의 최댓값이었던 원소(저장된 인덱스)로 가고, 나머지는 0을 받습니다. 여러 창에서 "
    "최댓값이었던 원소는 그 그래디언트를 모두 더해 받습니다.",
)


FRACTIONAL_MAX_WORDS = (
    "The windows were placed at random steps (so that the output has the size asked for), and each window kept "
    "its maximum: its gradient goes to the entry that was that maximum (its index was saved); the others get 0; an "
    "entry that won several windows gets the sum.",
    "창(window)들은 원하는 출력 크기가 되도록 무작위 간격으로 놓였고, 각 창은 최댓값을 남겼습니다. 그래서 각 창의 "
    "그래디언트는 그 최댓값이었던 원소(저장된 인덱스)로 가고, 나머지는 0을 받습니다. 여러 창에서 최댓값이었던 "
    "원소는 그 그래디언트를 모두 더해 받습니다.",
)


# -- attention ----------------------------------------------------------------------------------------------


def _attention(ctx: Ctx, which: str) -> Expr:
    if float(ctx.raw("dropout_p")) > 0:
        raise Missing(
            "attention dropout's random mask is not saved", "어텐션 드롭아웃의 무작위 마스크는 저장되지 않습니다"
        )
    q, k, v = ctx.tensor("query"), ctx.tensor("key"), ctx.tensor("value")
    scale = ctx.raw("scale")
    scale = 1 / math.sqrt(q.shape[-1]) if scale is None else float(scale)
    scores = q @ k.transpose(-1, -2) * scale
    if ctx.has("attn_mask"):
        mask = ctx.tensor("attn_mask")
        scores = scores.masked_fill(~mask, -math.inf) if mask.dtype == torch.bool else scores + mask
    if bool(ctx.raw("is_causal")):
        keep = torch.ones(scores.shape[-2:], dtype=torch.bool).tril()
        scores = scores.masked_fill(~keep, -math.inf)
    p = torch.softmax(scores, -1)

    def grads(g):
        dp = g @ v.transpose(-1, -2)
        ds = p * (dp - (dp * p).sum(-1, keepdim=True))
        return {"query": ds @ k * scale, "key": ds.transpose(-1, -2) @ q * scale, "value": p.transpose(-1, -2) @ g}

    text = {
        "query": (
            "scale · dS · K, dS = P ⊙ (grad·Vᵀ - Σ(grad·Vᵀ ⊙ P))",
            "scale · dS · K, dS = P ⊙ (grad·Vᵀ - Σ(grad·Vᵀ ⊙ P))",
        ),
        "key": ("scale · dSᵀ · Q", "scale · dSᵀ · Q"),
        "value": ("Pᵀ · grad, P = softmax(Q·Kᵀ·scale)", "Pᵀ · grad, P = softmax(Q·Kᵀ·scale)"),
    }[which]
    return computed(
        *text,
        ctx,
        lambda g: grads(g)[which],
        bound=lambda g: (
            (g @ v.abs().transpose(-1, -2)).abs().max() * (q.abs().max() + k.abs().max() + 1) * scale * q.shape[-2]
            + (p.transpose(-1, -2) @ g).abs().max()
        ),
    )


# -- LSTM ---------------------------------------------------------------------------------------------------


def _lstm_supported(ctx: Ctx) -> bool:
    # (batch_first: the layer gets its input already time-first, and gives its output so)
    return int(ctx.raw("mode")) == 2 and not ctx.raw("batch_sizes") and bool(ctx.raw("has_biases"))


def _lstm(ctx: Ctx) -> dict:
    """Backpropagation through time, written out: every step's gates recomputed, then walked backwards."""
    x, h0, c0 = ctx.tensor("input"), ctx.tensor("hx_"), ctx.tensor("cx_")
    w_ih, w_hh, b_ih, b_hh = (ctx.tensor(f"weight{i}") for i in range(4))
    steps = range(x.shape[0] - 1, -1, -1) if bool(ctx.raw("reverse")) else range(x.shape[0])
    h, c, cache = h0, c0, []
    for t in steps:
        i, f, g, o = (x[t] @ w_ih.T + b_ih + h @ w_hh.T + b_hh).chunk(4, -1)
        i, f, g, o = i.sigmoid(), f.sigmoid(), g.tanh(), o.sigmoid()
        c_prev, c = c, f * c + i * g
        cache.append((t, h, c_prev, c, i, f, g, o))
        h = o * c.tanh()
    outputs = [ctx.grad_outputs[k] for k in range(3)] + [None] * (3 - len(ctx.grad_outputs))
    grad_out, grad_h, grad_c = (torch.zeros(1) if g is None else g.detach().double() for g in outputs)
    dh = grad_h + torch.zeros_like(h0)
    dc = grad_c + torch.zeros_like(c0)
    dx, sums = torch.zeros_like(x), [torch.zeros_like(w) for w in (w_ih, w_hh, b_ih, b_hh)]
    for t, h_prev, c_prev, c_t, i, f, g, o in reversed(cache):
        if grad_out.dim() == 3:
            dh = dh + grad_out[t]
        tanh_c = c_t.tanh()
        dc = dc + dh * o * (1 - tanh_c**2)
        gates = torch.cat(
            [dc * g * i * (1 - i), dc * c_prev * f * (1 - f), dc * i * (1 - g**2), dh * tanh_c * o * (1 - o)], -1
        )
        dx[t] = gates @ w_ih
        sums[0] += gates.T @ x[t]
        sums[1] += gates.T @ h_prev
        sums[2] += gates.sum(0)
        sums[3] += gates.sum(0)
        dh, dc = gates @ w_hh, dc * f
    return {
        "input": dx,
        "weight0": sums[0],
        "weight1": sums[1],
        "weight2": sums[2],
        "weight3": sums[3],
        "hx_": dh,
        "cx_": dc,
    }


LSTM_TEXT = {
    "input": ("dgates_t · W_ih at each step t", "각 시간 단계 t에서 dgates_t · W_ih"),
    "weight0": ("Σ_t dgates_tᵀ · x_t", "Σ_t dgates_tᵀ · x_t"),
    "weight1": ("Σ_t dgates_tᵀ · h_(t-1)", "Σ_t dgates_tᵀ · h_(t-1)"),
    "weight2": ("Σ_t dgates_t", "Σ_t dgates_t"),
    "weight3": ("Σ_t dgates_t", "Σ_t dgates_t"),
    "hx_": ("dgates_0 · W_hh", "dgates_0 · W_hh"),
    "cx_": ("dc_0 ⊙ f_0", "dc_0 ⊙ f_0"),
}


def _lstm_received(ctx: Ctx) -> Expr:
    """The first gradient the layer received: its output's, else (the output unused: `_, (h, c) = lstm(x)`, an
    encoder's) h_n's, else c_n's."""
    for index, label in enumerate(("grad", "grad_h_n", "grad_c_n")):
        if index < len(ctx.grad_outputs) and ctx.grad_outputs[index] is not None:
            return Sym(label, ctx.grad_tensor(index))
    return ctx.grad  # (none: Missing says so)


def _lstm_worked_out(ctx: Ctx) -> dict:
    """`_lstm(ctx)`, worked out once for all of the node's slots, and only for numbers (a formula needs none of it:
    over a batch of sequences it took 60 ms a slot, seven slots a node)."""
    found = ctx.worked_out.get(_lstm)
    if found is None:
        found = ctx.worked_out[_lstm] = _lstm(ctx)
    return found


def _lstm_slot(which: str):
    def grad(ctx: Ctx) -> Expr:
        for name in ("input", "hx_", "cx_", "weight0", "weight1", "weight2", "weight3"):
            ctx.tensor(name)  # (a value that could not be read says so now, as the formula is written)

        def bound(g: torch.Tensor) -> torch.Tensor:
            values = _lstm_worked_out(ctx)
            return torch.tensor(max(float(v.abs().max()) for v in values.values() if v.numel()) * 10)

        return Form(
            LSTM_TEXT[which][0],
            LSTM_TEXT[which][1],
            [_lstm_received(ctx)],
            lambda g: _lstm_worked_out(ctx)[which],
            nums="{0} → …",
            bound=bound,
        )

    return grad


# -- embedding ------------------------------------------------------------------------------------------------


def _embedding(ctx: Ctx) -> Expr:
    sparse = bool(ctx.raw("sparse"))  # (the same formula: the sparse gradient stands for that dense one, unchecked)
    indices = ctx.tensor("indices").long().reshape(-1)
    rows, padding = ctx.integer("weight_sym_argsize_0"), ctx.integer("padding_idx")
    counts = torch.bincount(indices, minlength=rows).to(torch.float64)

    def grad(g):
        if sparse:
            raise Missing("a sparse gradient", "희소(sparse) 그래디언트입니다")
        g = g.reshape(indices.numel(), -1)
        if bool(ctx.raw("scale_grad_by_freq")):
            g = g / counts[indices].unsqueeze(1)
        out = torch.zeros(rows, g.shape[1], dtype=torch.float64).index_add_(0, indices, g)
        if padding >= 0:
            out[padding] = 0
        return out

    return Form(  # (the numbers name the rows looked up: an index looked up twice gets two grad rows added)
        "grad rows added back to the rows they looked up",
        "grad의 각 행을 조회했던 행으로 모아 더함",
        [ctx.grad, Shown("indices", ctx.tensor("indices").long())],
        lambda g, _indices: grad(g),
        nums="{0} → index {1}",
        bound=lambda g, _indices: grad(g),
    )


def _bags(ctx: Ctx) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(the looked-up rows, the bag of each, which of them count: not padding_idx, inside the last bag)."""
    indices = ctx.tensor("indices").long().reshape(-1)
    bags = ctx.grad_tensor().shape[0]
    if ctx.tensor("indices").dim() == 2:  # (a 2-D input: one bag per row, no offsets)
        per_bag = ctx.tensor("indices").shape[1]
        bag = torch.arange(indices.numel()) // max(per_bag, 1)
        return indices, bag, indices != ctx.integer("padding_idx")
    offsets = ctx.tensor("offsets").long().reshape(-1)
    end = int(offsets[bags]) if offsets.numel() > bags else indices.numel()
    position = torch.arange(indices.numel())
    bag = (torch.searchsorted(offsets[:bags], position, right=True) - 1).clamp(min=0)
    counted = (position < end) & (indices != ctx.integer("padding_idx"))
    return indices, bag, counted


def _embedding_bag(ctx: Ctx) -> Expr:
    """_embedding_bag_backward: each bag's gradient row goes back to the rows the bag looked up (times the entry's
    weight in sum mode, over the bag's size in mean mode; in max mode to the row that held each column's max)."""
    if bool(ctx.raw("sparse")):
        raise Missing("a sparse gradient", "희소(sparse) 그래디언트입니다")
    if bool(ctx.raw("scale_grad_by_freq")):  # (the divisors PyTorch 2.13's CPU kernel uses are not each row's count)
        raise Missing(
            "with scale_grad_by_freq, PyTorch divides by counts gradwalk does not reproduce",
            "scale_grad_by_freq를 쓰면 PyTorch가 나누는 횟수를 gradwalk가 재현하지 못합니다",
        )
    mode, rows = ctx.integer("mode"), ctx.integer("weight_sym_argsize_0")
    indices, bag, counted = _bags(ctx)
    weights = ctx.tensor("per_sample_weights") if ctx.has("per_sample_weights") else None

    def grad(g):
        out = torch.zeros(rows, g.shape[1], dtype=torch.float64)
        if mode == 2:
            chosen = ctx.tensor("result3").long()
            columns = torch.arange(g.shape[1]).expand_as(chosen)
            filled = ctx.tensor("result2").reshape(-1)[: chosen.shape[0]] > 0  # (an empty bag's max is no row's)
            keep = (chosen >= 0) & filled.unsqueeze(1)
            return out.index_put_((chosen[keep], columns[keep]), g[keep], accumulate=True)
        share = g[bag]
        if mode == 1:
            share = share / ctx.tensor("result2")[bag].clamp(min=1).unsqueeze(1)
        if weights is not None:
            share = share * weights.unsqueeze(1)
        return out.index_add_(0, indices[counted], share[counted])

    en, ko = {
        0: ("grad of each bag added to the rows it looked up", "각 묶음(bag)의 grad를 그 묶음이 조회한 행들에 더함"),
        1: (
            "grad of each bag divided by its size, added to the rows it looked up",
            "각 묶음(bag)의 grad를 묶음 크기로 나눠 그 묶음이 조회한 행들에 더함",
        ),
        2: (
            "grad of each bag added, column by column, to the row that held the max",
            "각 묶음(bag)의 grad를 열마다 최댓값을 가졌던 행에 더함",
        ),
    }[mode]
    if weights is not None:
        en, ko = (
            en.replace("grad of each bag", "grad of each bag × each entry's weight"),
            ko.replace("grad를", "grad에 원소별 가중치를 곱해"),
        )
    return computed(en, ko, ctx, grad, bound=grad)


def _embedding_bag_weights(ctx: Ctx) -> Expr:
    """per_sample_weights (sum mode): each entry's weight multiplied its row, so it gets Σ grad of its bag ⊙ that
    row."""
    indices, bag, counted = _bags(ctx)
    table = ctx.tensor("weight")

    def grad(g):
        return torch.where(counted, (g[bag] * table[indices]).sum(1), 0.0)

    return computed(
        "Σ over columns of grad of its bag ⊙ the row it looked up",
        "열 방향 Σ (자기 묶음의 grad ⊙ 자기가 조회한 행)",
        ctx,
        grad,
        bound=lambda g: (g[bag] * table[indices].abs()).sum(1),
    )


EMBEDDING_BAG_MODES = {0: ("sum", "합"), 1: ("mean", "평균"), 2: ("max", "최댓값")}


add(
    Rule(
        "ConvolutionBackward0",
        ("{kind}", "{kind_ko}"),
        "{y} = {op}({x}, {W}){bias}{settings}",
        ("{local}", "{local_ko}"),
        ("{words_en}{groups_en}", "{words_ko}{groups_ko}"),
        _convolution_slots,
        params=lambda c: {**_convolution_params(c), **_convolution_settings(c)},
        supports=lambda c: c.tensor("input").dim() in (3, 4, 5),
    ),
    Rule(
        "ScaledDotProductFlashAttentionForCpuBackward0",
        ("scaled dot-product attention", "스케일드 닷 프로덕트 어텐션"),
        "{y} = softmax(Q·Kᵀ·scale) · V",
        (
            "P = softmax(Q·Kᵀ·scale): ∂L/∂V = Pᵀ·grad, ∂L/∂Q, ∂L/∂K through softmax",
            "P = softmax(Q·Kᵀ·scale): ∂L/∂V = Pᵀ·grad, ∂L/∂Q와 ∂L/∂K는 softmax를 거쳐 계산",
        ),
        (
            "Attention is two matrix products with a softmax between them; the chain rule goes back through each: "
            "V gets Pᵀ·grad, and Q and K get the softmax's gradient dS times the other one (and the scale).",
            "어텐션은 두 번의 행렬 곱 사이에 소프트맥스가 있는 연산이므로, 연쇄 법칙으로 하나씩 거슬러 갑니다. "
            "V는 Pᵀ·grad를, Q와 K는 소프트맥스의 그래디언트 dS에 서로의 값(과 scale)을 곱한 값을 받습니다.",
        ),
        (
            Slot("query", "Q", lambda c: _attention(c, "query")),
            Slot("key", "K", lambda c: _attention(c, "key")),
            Slot("value", "V", lambda c: _attention(c, "value")),
        ),
        supports=lambda c: c.tensor("query").shape[:-2] == c.tensor("key").shape[:-2],
    ),
    Rule(
        "MkldnnRnnLayerBackward0",
        ("LSTM layer", "LSTM 층"),
        (
            "h_t, c_t = LSTM(x_t, h_(t-1), c_(t-1)) for every step t",
            "모든 시간 단계 t에서 h_t, c_t = LSTM(x_t, h_(t-1), c_(t-1))",
        ),
        ("backpropagation through time", "시간에 대한 역전파(BPTT)"),
        (
            "The LSTM ran the same cell at every step, so backward walks the steps in reverse (backpropagation through "
            "time): at each step the gradient of h and c goes through the gates (σ and tanh), and the weights add up "
            "what every step sends them.",
            "LSTM은 매 시간 단계마다 같은 셀을 실행했으므로, 역전파는 단계를 거꾸로 거슬러 갑니다(시간에 대한 "
            "역전파, BPTT). 단계마다 h와 c의 그래디언트가 게이트(σ와 tanh)를 지나고, 가중치는 모든 단계가 보낸 "
            "그래디언트를 더해 받습니다.",
        ),
        tuple(
            Slot(arg, letter, _lstm_slot(arg))
            for arg, letter in (
                ("input", "x"),
                ("weight0", "W_ih"),
                ("weight1", "W_hh"),
                ("weight2", "b_ih"),
                ("weight3", "b_hh"),
                ("hx_", "h0"),
                ("cx_", "c0"),
            )
        ),
        supports=_lstm_supported,
    ),
    Rule(
        "EmbeddingBagBackward0",
        ("embedding bags", "임베딩 묶음(EmbeddingBag)"),
        ("{y}[b] = {mode} of {W}[indices of bag b]", "{y}[b] = {W}[묶음 b의 인덱스]의 {mode_ko}"),
        (
            "∂{y}[b]/∂{W}[r] = 1 (sum), 1/size of b (mean), 1 where row r held the max (max), for the rows r bag b "
            "looked up",
            "∂{y}[b]/∂{W}[r] = 묶음 b가 조회한 행 r에 대해 1(합), 1/묶음 크기(평균), 최댓값을 가졌던 행만 1(최댓값)",
        ),
        (
            "Each bag combined the rows it looked up ({mode}), so each of those rows gets the bag's gradient back: "
            "whole for a sum (times the entry's weight when per_sample_weights were given, and each weight gets "
            "grad ⊙ its row summed), divided by the bag's size for a mean, and for a max only in the columns where "
            "that row was the largest. Rows looked up several times add up; padding_idx gets 0.",
            "각 묶음(bag)은 자기가 조회한 행들을 {mode_ko}로 합쳤으므로, 그 행들은 묶음의 그래디언트를 "
            "돌려받습니다. 합이면 그대로(per_sample_weights가 있으면 원소의 가중치를 곱해서, 가중치에는 "
            "grad ⊙ 자기 행을 열 방향으로 더한 값이 전달됨), 평균이면 묶음 크기로 나눠서, 최댓값이면 그 행이 "
            "가장 컸던 열에만 전달됩니다. 여러 번 조회된 행은 그 값들을 더해 받고, padding_idx 행은 0을 받습니다.",
        ),
        (
            Slot("weight", "W", _embedding_bag),
            Slot("per_sample_weights", "w", _embedding_bag_weights),
        ),
        params=lambda c: {
            "mode": EMBEDDING_BAG_MODES[c.integer("mode")][0],
            "mode_ko": EMBEDDING_BAG_MODES[c.integer("mode")][1],
        },
    ),
    Rule(
        "EmbeddingBackward0",
        ("embedding lookup", "임베딩 조회"),
        "{y} = {W}[indices]",
        ("∂L/∂{W}[r] = Σ grad of the positions that looked up row r", "∂L/∂{W}[r] = r행을 조회한 위치들의 grad의 합 Σ"),
        (
            "Each looked-up row gets back the gradient of every position that used it (summed); rows never looked up "
            "get 0.",
            "조회된 각 행은 그 행을 쓴 모든 위치의 그래디언트를 더해 받고, 한 번도 조회되지 않은 행은 0을 받습니다.",
        ),
        (Slot("weight", "W", _embedding),),
    ),
)

add(
    *(
        Rule(
            f"AdaptiveAvgPool{axes}DBackward0",
            ("adaptive average pooling", "적응형 평균 풀링"),
            f"{{y}} = adaptive_avg_pool{axes}d({{x}})",
            (
                "∂{y}ᵢ/∂{x}ⱼ = 1/(size of window i) for the entries j of window i",
                "∂{y}ᵢ/∂{x}ⱼ = 1/(창 i의 크기) (j가 창 i의 원소일 때)",
            ),
            ADAPTIVE_AVG_WORDS,
            (Slot("self", "x", _pooling(_adaptive_avg, axes)),),
        )
        for axes in (2, 3)
    ),
    *(
        Rule(
            f"AdaptiveMaxPool{axes}DBackward0",
            ("adaptive max pooling", "적응형 최대 풀링"),
            f"{{y}} = adaptive_max_pool{axes}d({{x}})",
            ("grad_{x} = grad at each window's max, 0 elsewhere", "grad_{x} = 각 창의 최댓값 자리는 grad, 나머지는 0"),
            ADAPTIVE_MAX_WORDS,
            (Slot("self", "x", _pooling(_adaptive_max, axes)),),
        )
        for axes in (2, 3)
    ),
    *(
        Rule(
            f"FractionalMaxPool{axes}DBackward0",
            ("fractional max pooling", f"분수 최대 풀링(FractionalMaxPool{axes}d)"),
            f"{{y}} = fractional_max_pool{axes}d({{x}})",
            ("grad_{x} = grad at each window's max, 0 elsewhere", "grad_{x} = 각 창의 최댓값 자리는 grad, 나머지는 0"),
            FRACTIONAL_MAX_WORDS,
            (Slot("self", "x", _pooling(_adaptive_max, axes)),),
        )
        for axes in (2, 3)
    ),
)


# -- average pooling -------------------------------------------------------------------------------------------


def _per_axis(values, axes: int) -> list[int]:
    listed = [int(v) for v in values]
    return listed * axes if len(listed) == 1 else listed


def _avg_windows(size: int, out: int, kernel: int, stride: int, pad: int):
    """Along one axis (ATen's avg_pool kernels): output o covers o·stride - pad to that + kernel, cut at size + pad
    (the count with padding), then at 0 and size (the entries it sums); the 0/1 matrix out × size of the entries each
    output sums, the count of its window with padding and without."""
    matrix = torch.zeros(out, size, dtype=torch.float64)
    padded, inside = torch.zeros(out, dtype=torch.float64), torch.zeros(out, dtype=torch.float64)
    for o in range(out):
        start = o * stride - pad
        end = min(start + kernel, size + pad)
        padded[o] = end - start
        start, end = max(start, 0), min(end, size)
        matrix[o, start:end] = 1.0
        inside[o] = max(end - start, 0)
    return matrix, padded, inside


def _avg_setting(ctx: Ctx, axes: int) -> tuple[list, "torch.Tensor", str]:
    """The windows' matrices, each output's divisor, and the divisor in words."""
    x = ctx.tensor("self")
    out = tuple(ctx.grad_tensor().shape[-axes:])
    kernel = _per_axis(ctx.raw("kernel_size"), axes)
    stride = _per_axis(ctx.raw("stride"), axes) or kernel
    padding = _per_axis(ctx.raw("padding"), axes)
    windows = [_avg_windows(x.shape[x.dim() - axes + i], out[i], kernel[i], stride[i], padding[i]) for i in range(axes)]
    override = ctx.raw("divisor_override")
    if override is not None:
        return [w[0] for w in windows], torch.full(out, float(override), dtype=torch.float64), f"= {int(override)}"
    which = 1 if bool(ctx.raw("count_include_pad")) else 2
    divisor = windows[0][which]
    for window in windows[1:]:
        divisor = divisor.unsqueeze(-1) * window[which]
    return [w[0] for w in windows], divisor, "with padding" if which == 1 else "without padding"


def _avg_pool(ctx: Ctx, axes: int) -> Expr:
    matrices, divisor, _ = _avg_setting(ctx, axes)
    spec = "...ij,ih,jw->...hw" if axes == 2 else "...ijk,id,jh,kw->...dhw"

    def share(g):
        return resampled(spec, g / divisor, [[tap(m)] for m in matrices])

    return computed(
        "grad of each output cell divided by d and added to every entry of its window (overlaps added)",
        "각 출력 칸의 grad를 d로 나눠 그 창의 모든 원소에 더함(겹치면 더함)",
        ctx,
        share,
        bound=share,
    )


def _avg_params(ctx: Ctx, axes: int) -> dict:
    _, _, divides = _avg_setting(ctx, axes)
    kernel = _per_axis(ctx.raw("kernel_size"), axes)
    stride = _per_axis(ctx.raw("stride"), axes) or kernel
    en = {
        "with padding": "the window's size, padding counted",
        "without padding": "the count of the window's entries inside {x}",
    }.get(divides, f"{divides.removeprefix('= ')}, as divisor_override says")
    ko = {
        "with padding": "패딩까지 센 창의 크기",
        "without padding": "창 안에서 {x}에 속한 원소의 개수",
    }.get(divides, f"divisor_override로 준 {divides.removeprefix('= ')}")
    return {
        "kernel": tuple(kernel),
        "stride": tuple(stride),
        "padding": tuple(_per_axis(ctx.raw("padding"), axes)),
        "divisor": en.replace("{x}", ctx.label(0, "x")),
        "divisor_ko": ko.replace("{x}", ctx.label(0, "x")),
    }


add(
    *(
        Rule(
            f"AvgPool{axes}DBackward0",
            ("average pooling", "평균 풀링"),
            (
                f"{{y}} = avg_pool{axes}d({{x}}, kernel {{kernel}}, stride {{stride}}, padding {{padding}})",
                f"{{y}} = avg_pool{axes}d({{x}}, 커널 {{kernel}}, 스트라이드 {{stride}}, 패딩 {{padding}})",
            ),
            (
                "∂{y}ᵢ/∂{x}ⱼ = 1/dᵢ for the entries j of window i (dᵢ: {divisor})",
                "∂{y}ᵢ/∂{x}ⱼ = 1/dᵢ (j가 창 i의 원소일 때; dᵢ는 {divisor_ko})",
            ),
            (
                "Each output cell is the sum of its window of {x} divided by d ({divisor}), so every entry of the "
                "window gets that cell's grad divided by d, and an entry in several overlapping windows gets the sum.",
                "각 출력 칸은 {x}에서 자기 창의 원소들을 더해 d({divisor_ko})로 나눈 값이므로, 창의 각 원소는 그 칸의 "
                "grad를 d로 나눈 값을 받고, 겹치는 여러 창에 속한 원소는 그 값들을 모두 더해 받습니다.",
            ),
            (Slot("self", "x", _pooling(_avg_pool, axes)),),
            params=_pooling_params(axes),
        )
        for axes in (2, 3)
    ),
)


# -- weight normalization ----------------------------------------------------------------------------------------


def _norm_axes(ctx: Ctx) -> tuple[int, ...]:
    """The axes of v its norms run over: all but `dim` (every axis when dim = -1, as norm_except_dim takes it)."""
    rank, dim = ctx.tensor("v").dim(), ctx.integer("dim")
    return tuple(range(rank)) if dim == -1 else tuple(a for a in range(rank) if a != dim % rank)


def _weight_norm(which: str):
    """_weight_norm_interface_backward: w = g·v/‖v‖, so g gets Σ grad ⊙ v/‖v‖ and v gets
    (g/‖v‖)·(grad - v·Σ(grad ⊙ v)/‖v‖²), the part of grad along v taken out (scaling v does not change w)."""

    def grad(ctx: Ctx) -> Expr:
        v, g, norms = ctx.tensor("v"), ctx.tensor("g"), ctx.tensor("result1")
        axes = _norm_axes(ctx)
        shape = [1 if a in axes else n for a, n in enumerate(v.shape)]
        norms, g = norms.reshape(shape), g.reshape(shape)

        def along(gr):
            return (gr * v).sum(axes, keepdim=True)

        if which == "g":
            return computed(
                "Σ (grad ⊙ v)/‖v‖ over each norm's entries",
                "노름마다 Σ (grad ⊙ v)/‖v‖",
                ctx,
                lambda gr: (along(gr) / norms).reshape(ctx.tensor("g").shape),
                bound=lambda gr: (gr * v.abs()).sum(axes, keepdim=True).reshape(ctx.tensor("g").shape) / norms.abs(),
            )
        return computed(
            "(g/‖v‖)·(grad - v·Σ(grad ⊙ v)/‖v‖²)",
            "(g/‖v‖)·(grad - v·Σ(grad ⊙ v)/‖v‖²)",
            ctx,
            lambda gr: g / norms * (gr - v * along(gr) / norms**2),
            bound=lambda gr: (g / norms).abs() * (gr + v.abs() * (gr * v.abs()).sum(axes, keepdim=True) / norms**2),
        )

    return grad


add(
    Rule(
        "WeightNormInterfaceBackward0",
        ("weight normalization", "가중치 정규화(WeightNorm)"),
        (
            "{y} = {g} · {v}/‖{v}‖ (a norm per slice along axis {dim})",
            "{y} = {g} · {v}/‖{v}‖({dim}번 축의 조각마다 노름)",
        ),
        "∂L/∂{g} = Σ grad ⊙ {v}/‖{v}‖, ∂L/∂{v} = ({g}/‖{v}‖)·(grad - {v}·Σ(grad ⊙ {v})/‖{v}‖²)",
        (
            "The weight is split into a length {g} and a direction {v}/‖{v}‖. The length gets how much grad points "
            "along the direction; the direction gets grad scaled by {g}/‖{v}‖ with its part along {v} taken out, "
            "since stretching {v} does not change the weight.",
            "가중치를 크기({g})와 방향({v}/‖{v}‖)으로 나눈 연산입니다. 크기에는 grad가 그 방향으로 얼마나 "
            "향하는지(내적)가 전달되고, 방향에는 grad를 {g}/‖{v}‖배 한 뒤 {v} 방향 성분을 뺀 값이 전달됩니다. "
            "{v}의 크기를 늘여도 가중치는 바뀌지 않기 때문입니다.",
        ),
        (Slot("v", "v", _weight_norm("v")), Slot("g", "g", _weight_norm("g"))),
        params=lambda c: {"dim": c.integer("dim")},
        output="w",
    ),
)


# -- a convolution's backward, differentiated again (a gradient penalty) -------------------------------------------


def _received(ctx: Ctx, index: int) -> torch.Tensor | None:
    """The gradient the node received for its output `index` (float64), None where PyTorch passed none."""
    if index >= len(ctx.grad_outputs) or ctx.grad_outputs[index] is None:
        return None
    return ctx.grad_tensor(index)


def _conv2d_input_grad(g, w, x_shape, stride, padding, dilation, groups):
    """The input's gradient of a 2-D convolution (a transposed convolution of `g` by `w`, sized as the input)."""
    kernel = w.shape[2:]
    extra = [
        x_shape[2 + i] - ((g.shape[2 + i] - 1) * stride[i] - 2 * padding[i] + dilation[i] * (kernel[i] - 1) + 1)
        for i in range(2)
    ]
    return F.conv_transpose2d(g, w, None, stride, padding, tuple(extra), groups, dilation)


def _conv2d_weight_grad(x, g, w_shape, stride, padding, dilation, groups):
    """The weight's gradient of a 2-D convolution: Σ over batch and positions of `g` × the patch of `x`."""
    kernel = tuple(w_shape[2:])
    cols = F.unfold(x, kernel, dilation=dilation, padding=padding, stride=stride)
    g = g.reshape(g.shape[0], w_shape[0], -1)
    o, c = w_shape[0] // groups, w_shape[1] * kernel[0] * kernel[1]
    parts = [
        torch.einsum("nol,ncl->oc", g[:, k * o : (k + 1) * o], cols[:, k * c : (k + 1) * c]) for k in range(groups)
    ]
    return torch.cat(parts).reshape(w_shape)


def _double_conv(ctx: Ctx) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """_convolution_double_backward for a plain 1-D or 2-D convolution y = conv(x, W) + b, whose backward made
    gx = conv_transpose(gO, W), gW = Σ gO × patches of x, gb = Σ gO. Given the gradients ggx, ggW, ggb those
    received: gO gets conv(ggx, W) + conv(x, ggW) + ggb, x gets conv_transpose(gO, ggW), W gets Σ gO × patches of
    ggx (each product's other factor held fixed)."""
    x0, w0, stride, padding, dilation, groups = _conv_params(ctx)
    x, w, stride, padding, dilation = _as_2d(x0, w0, stride, padding, dilation)
    flat = x0.dim() == 3
    g_out = ctx.tensor("grad_output")
    g_out = g_out.unsqueeze(2) if flat else g_out
    ggx, ggw, ggb = (_received(ctx, i) for i in range(3))
    if flat:
        ggx = None if ggx is None else ggx.unsqueeze(2)
        ggw = None if ggw is None else ggw.unsqueeze(2)
    to_out = torch.zeros_like(g_out)
    to_x, to_w = torch.zeros_like(x), torch.zeros_like(w)
    if ggx is not None:
        to_out = to_out + F.conv2d(ggx, w, None, stride, padding, dilation, groups)
        to_w = _conv2d_weight_grad(ggx, g_out, tuple(w.shape), stride, padding, dilation, groups)
    if ggw is not None:
        to_out = to_out + F.conv2d(x, ggw, None, stride, padding, dilation, groups)
        to_x = _conv2d_input_grad(g_out, ggw, tuple(x.shape), stride, padding, dilation, groups)
    if ggb is not None:
        to_out = to_out + ggb.reshape(1, -1, 1, 1)
    if flat:
        return to_out.squeeze(2), to_x.squeeze(2), to_w.squeeze(2)
    return to_out, to_x, to_w


def _double_conv_text(ctx: Ctx, which: int) -> tuple[str, str]:
    """The formula of slot `which`, with only the terms of the gradients the node received."""
    x, w = ctx.label(1, "x"), ctx.label(2, "W")
    got = [_received(ctx, i) is not None for i in range(3)]
    if which == 0:
        terms = [t for t, on in zip((f"conv(gg_{x}, {w})", f"conv({x}, gg_{w})", "gg_b"), got, strict=True) if on]
        text = " + ".join(terms) or "0"
        return text, text
    if which == 1:
        return (f"conv_transpose(gO, gg_{w})",) * 2 if got[1] else ("0", "0")
    return (f"Σ gO × patches of gg_{x}", f"Σ gO × (gg_{x}의 패치들)") if got[0] else ("0", "0")


def _double_conv_slot(which: int):
    def grad(ctx: Ctx) -> Expr:
        en, ko = _double_conv_text(ctx, which)
        return Form(en, ko, [ctx.sym("input"), ctx.sym("weight")], lambda *_: _double_conv(ctx)[which], evaluated=True)

    return grad


add(
    Rule(
        "ConvolutionBackwardBackward0",
        ("a convolution's backward, differentiated again", "합성곱의 역전파를 다시 미분"),
        (
            "(g_{x}, g_{W}, g_b) = the convolution's backward of gO: g_{x} = conv_transpose(gO, {W}), g_{W} = Σ gO × "
            "patches of {x}",
            "(g_{x}, g_{W}, g_b) = 합성곱의 역전파: g_{x} = conv_transpose(gO, {W}), g_{W} = Σ gO × ({x}의 패치들)",
        ),
        (
            "∂/∂gO = conv(gg_{x}, {W}) + conv({x}, gg_{W}) + gg_b, ∂/∂{x} = conv_transpose(gO, gg_{W}), "
            "∂/∂{W} = Σ gO × patches of gg_{x}",
            "∂/∂gO = conv(gg_{x}, {W}) + conv({x}, gg_{W}) + gg_b, ∂/∂{x} = conv_transpose(gO, gg_{W}), "
            "∂/∂{W} = Σ gO × (gg_{x}의 패치들)",
        ),
        (
            "Backward of a convolution was itself recorded (create_graph=True, as a gradient penalty does), and "
            "now runs backward. Each of its results is a product of two things: g_{x} of gO and {W}, g_{W} of gO and "
            "{x}. So each factor gets the gradient that result received (gg_{x}, gg_{W}) passed through the other "
            "factor, by the same convolutions.",
            "합성곱의 역전파 자체가 (그래디언트 페널티처럼 create_graph=True로) 기록되었고, 이제 그 역전파를 "
            "거슬러 갑니다. 그 결과는 모두 두 값의 곱입니다(g_{x} = gO와 {W}의 곱, g_{W} = gO와 {x}의 곱). 그래서 "
            "각 인수는 그 결과가 받은 그래디언트(gg_{x}, gg_{W})를 다른 인수와 같은 합성곱으로 엮은 값을 받습니다.",
        ),
        (
            Slot("grad_output", "gO", _double_conv_slot(0)),
            Slot("input", "x", _double_conv_slot(1)),
            Slot("weight", "W", _double_conv_slot(2)),
        ),
        supports=lambda c: not bool(c.raw("transposed")) and c.tensor("input").dim() in (3, 4),
        extra={"double": True},
    ),
)
