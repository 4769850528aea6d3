"""Layers whose backward is one fused kernel (derivatives.yaml: native_layer_norm, native_batch_norm,
convolution, _scaled_dot_product_flash_attention_for_cpu, mkldnn_rnn_layer, embedding). Each gradient is
recomputed here from its textbook formula in float64, by another route than PyTorch's kernel (the
normalization formulas, a transposed convolution and unfolded patches, softmax attention written out, an LSTM
unrolled through time), and checked against what the kernel sent."""

import math
from collections.abc import Callable

import torch
import torch.nn.functional as F

from ..expr import Expr, Form
from ..rule import Ctx, Missing, Rule, Slot, Words, add


def computed(en: str, ko: str, ctx: Ctx, fn, bound=None) -> Expr:
    """A formula too big to write out term by term: its text, and its value computed from the grad by `fn`."""
    return Form(en, ko, [ctx.grad], fn, nums="{0} → …", bound=bound)


# -- layer norm and batch norm ----------------------------------------------------------------------------


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
        gw = g * weight if weight is not None else g
        return rstd / n * (n * gw - gw.sum(axes, keepdim=True) - x_hat * (gw * x_hat).sum(axes, keepdim=True))

    if which == "input":
        return computed(
            "(rstd/N)·(N·ĝ - Σĝ - x̂·Σ(ĝ·x̂)), ĝ = grad·w",
            "(rstd/N)·(N·ĝ - Σĝ - x̂·Σ(ĝ·x̂)), ĝ = grad·w",
            ctx,
            grad_input,
            bound=lambda g: (
                rstd * (g.abs() * (weight.abs() if weight is not None else 1)) * (1 + x_hat.abs()).pow(2) * 3
            ),
        )
    if which == "weight":
        return computed(
            "Σ (grad · x̂) over the batch",
            "배치 전체의 Σ (grad · x̂)",
            ctx,
            lambda g: (g * x_hat).sum(lead) if lead else g * x_hat,
            bound=lambda g: (g * x_hat.abs()).sum(lead) if lead else g * x_hat.abs(),
        )
    return computed(
        "Σ grad over the batch",
        "배치 전체의 Σ grad",
        ctx,
        lambda g: g.sum(lead) if lead else g,
        bound=lambda g: g.sum(lead) if lead else g,
    )


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
        return weight * invstd / n * (n * g - g.sum(axes, keepdim=True) - x_hat * (g * x_hat).sum(axes, keepdim=True))

    if which == "input":
        en = "(w·invstd/N)·(N·grad - Σgrad - x̂·Σ(grad·x̂))" if training else "grad · w · invstd (running statistics)"
        ko = "(w·invstd/N)·(N·grad - Σgrad - x̂·Σ(grad·x̂))" if training else "grad · w · invstd (누적 통계)"
        return computed(
            en,
            ko,
            ctx,
            grad_input,
            bound=lambda g: weight.abs() * invstd * (g + g.sum(axes, keepdim=True) / n * (1 + x_hat.abs()).pow(2)) * 3,
        )
    if which == "weight":
        return computed(
            "Σ (grad · x̂) per channel",
            "채널별 Σ (grad · x̂)",
            ctx,
            lambda g: (g * x_hat).sum(axes),
            bound=lambda g: (g * x_hat.abs()).sum(axes),
        )
    return computed("Σ grad per channel", "채널별 Σ grad", ctx, lambda g: g.sum(axes), bound=lambda g: g.sum(axes))


NORM_WORDS = (
    "Normalization: x̂ = (x - mean)·rstd, then y = x̂·w + b. The input's gradient also flows through the mean "
    "and the spread, which every entry of the group shares; the weight gets Σ grad·x̂, the bias Σ grad.",
    "정규화: x̂ = (x - 평균)·rstd, 그다음 y = x̂·w + b. 입력에 대한 그래디언트는 그룹의 모든 원소가 함께 쓰는 평균과 "
    "분산을 거쳐서도 흐르므로 식이 길어집니다. 가중치는 Σ grad·x̂, 편향은 Σ grad를 받습니다.",
)


def _norm(node: str, title: Words, forward: Words, grad: Callable[[Ctx, str], Expr]) -> Rule:
    """A normalization: its input x, weight w and bias b each get `grad(ctx, which)`."""
    slots = (
        Slot("input", "x", lambda c: grad(c, "input")),
        Slot("weight", "w", lambda c: grad(c, "weight")),
        Slot("bias", "b", lambda c: grad(c, "bias")),
    )
    return Rule(node, title, forward, ("see the formulas of each input", "입력마다의 식을 보세요"), NORM_WORDS, slots)


add(
    _norm(
        "NativeLayerNormBackward0",
        ("layer normalization", "레이어 정규화"),
        ("{y} = (x - mean)·rstd·w + b over the last axes", "{y} = (x - 평균)·rstd·w + b (마지막 축들에 대해)"),
        _layer_norm,
    ),
    _norm(
        "NativeBatchNormBackward0",
        ("batch normalization", "배치 정규화"),
        ("{y} = (x - mean)·invstd·w + b per channel", "{y} = (x - 평균)·invstd·w + b (채널별)"),
        _batch_norm,
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

    return computed(
        "conv_transpose(grad, W)",
        "conv_transpose(grad, W)",
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
    cols = F.unfold(x, kernel, dilation=dilation, padding=padding, stride=stride)  # (N, C·kh·kw, L)

    def grad(g, patches=cols):
        g = (g.unsqueeze(2) if x0.dim() == 3 else g).reshape(g.shape[0], out_channels, -1)  # (N, O, L)
        o, c = out_channels // groups, per_group * kernel[0] * kernel[1]
        parts = [
            torch.einsum("nol,ncl->oc", g[:, k * o : (k + 1) * o], patches[:, k * c : (k + 1) * c])
            for k in range(groups)
        ]
        return torch.cat(parts).reshape(w0.shape)

    return computed(
        "Σ over batch and positions of grad × the input patch",
        "배치와 위치 전체의 Σ grad × 입력 조각",
        ctx,
        grad,
        bound=lambda g: grad(g, cols.abs()),
    )


def _conv_bias(ctx: Ctx) -> Expr:
    return computed(
        "Σ grad over batch and positions",
        "배치와 위치 전체의 Σ grad",
        ctx,
        lambda g: g.sum([0, *range(2, g.dim())]),
        bound=lambda g: g.sum([0, *range(2, g.dim())]),
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
    return (
        int(ctx.raw("mode")) == 2
        and not ctx.raw("batch_sizes")
        and bool(ctx.raw("has_biases"))
        and not bool(ctx.raw("batch_first"))
    )


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
    "input": ("Σ over steps: dgates_t · W_ih", "시간 단계별 dgates_t · W_ih"),
    "weight0": ("Σ_t dgates_tᵀ · x_t", "Σ_t dgates_tᵀ · x_t"),
    "weight1": ("Σ_t dgates_tᵀ · h_(t-1)", "Σ_t dgates_tᵀ · h_(t-1)"),
    "weight2": ("Σ_t dgates_t", "Σ_t dgates_t"),
    "weight3": ("Σ_t dgates_t", "Σ_t dgates_t"),
    "hx_": ("dgates_0 · W_hh", "dgates_0 · W_hh"),
    "cx_": ("dc_0 · f_0", "dc_0 · f_0"),
}


def _lstm_slot(which: str):
    def grad(ctx: Ctx) -> Expr:
        values = _lstm(ctx)
        scale = max(float(v.abs().max()) for v in values.values() if v.numel()) * 10
        return Form(
            LSTM_TEXT[which][0],
            LSTM_TEXT[which][1],
            [ctx.grad],
            lambda g: values[which],
            nums="{0} → …",
            bound=lambda g: torch.tensor(scale),
        )

    return grad


# -- embedding ------------------------------------------------------------------------------------------------


def _embedding(ctx: Ctx) -> Expr:
    if bool(ctx.raw("sparse")):
        raise Missing("a sparse gradient", "희소(sparse) 그래디언트입니다")
    indices = ctx.tensor("indices").long().reshape(-1)
    rows, padding = ctx.integer("weight_sym_argsize_0"), ctx.integer("padding_idx")
    counts = torch.bincount(indices, minlength=rows).to(torch.float64)

    def grad(g):
        g = g.reshape(indices.numel(), -1)
        if bool(ctx.raw("scale_grad_by_freq")):
            g = g / counts[indices].unsqueeze(1)
        out = torch.zeros(rows, g.shape[1], dtype=torch.float64).index_add_(0, indices, g)
        if padding >= 0:
            out[padding] = 0
        return out

    return computed(
        "grad rows added back to the rows they looked up",
        "grad의 각 행을 조회했던 행으로 모아 더함",
        ctx,
        grad,
        bound=lambda g: grad(g),
    )


add(
    Rule(
        "ConvolutionBackward0",
        ("convolution", "합성곱"),
        "{y} = conv({x}, {W}) + {b}",
        "∂L/∂{x} = conv_transpose(grad, {W}), ∂L/∂{W} = Σ grad × patches of {x}, ∂L/∂{b} = Σ grad",
        (
            "Each output entry is a weighted sum of one patch of the input, so the input gets the gradient spread back "
            "through the same weights (a transposed convolution), each weight gets the sum of grad × the input values "
            "it met, and the bias the sum of grad.",
            "각 출력 원소는 입력의 한 조각에 가중치를 곱해 더한 값이므로, 입력은 같은 가중치를 거꾸로 거친 "
            "그래디언트(전치 "
            ""
            ""
            ""
            "합성곱)를, 가중치는 자신이 만났던 입력 값과 grad의 곱을 모두 더한 값을, 편향은 grad의 합을 받습니다.",
        ),
        (Slot("input", "x", _conv_input), Slot("weight", "W", _conv_weight), Slot("bias", "b", _conv_bias)),
        supports=lambda c: not bool(c.raw("transposed")) and c.tensor("input").dim() in (3, 4),
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
            "Attention is two matrix products with a softmax between them; the chain rule goes back through "
            "each: V gets "
            "Pᵀ·grad, and Q and K get the softmax's gradient dS times the other one (and the scale).",
            "어텐션은 두 번의 행렬 곱 사이에 소프트맥스가 있는 연산이므로, 연쇄 법칙으로 하나씩 거슬러 갑니다. "
            "V는 Pᵀ·grad를, "
            ""
            ""
            ""
            "Q와 K는 소프트맥스의 그래디언트 dS에 서로의 값(과 scale)을 곱한 값을 받습니다.",
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
        "h_t, c_t = LSTM(x_t, h_(t-1), c_(t-1)) for every step t",
        "backpropagation through time",
        (
            "The LSTM ran the same cell at every step, so backward walks the steps in reverse (backpropagation through "
            "time): at each step the gradient of h and c goes through the gates (σ and tanh), and the weights add up "
            "what every step sends them.",
            "LSTM은 매 시간 단계마다 같은 셀을 실행했으므로, 역전파는 단계를 거꾸로 거슬러 갑니다(시간에 대한 "
            "역전파, BPTT). "
            ""
            ""
            ""
            "단계마다 h와 c의 그래디언트가 게이트(σ와 tanh)를 지나고, 가중치는 모든 단계가 보낸 그래디언트를 더해 "
            "받습니다.",
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
