"""Rearranging and resampling images (derivatives.yaml: pixel_shuffle, pixel_unshuffle, im2col, col2im,
upsample_nearest1d/2d/3d, _upsample_nearest_exact1d/2d/3d, upsample_linear1d, upsample_bilinear2d,
upsample_trilinear3d). Each is linear in its input: an output entry is a copy of one input entry or a weighted sum
of a few, so each input entry gets back the gradients of the outputs it went to, times the same weights. The rules
rebuild which input went where (a table of positions, or each axis's weights as a matrix) and send the gradient
back along it, rather than calling the backward kernels themselves."""

import itertools
import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy
import torch
import torch.nn.functional as F
from torch import Tensor

from ..expr import Expr, Form, Sym
from ..rule import Ctx, Rule, Slot, Words, add
from .reduction import sizes


def _moved(en: str, ko: str, ctx: Ctx, fn) -> Expr:
    return Form(en, ko, [ctx.grad], fn, nums="{0} → …", bound=fn)


# Along one axis, out × size: the weight by which each output reads an input entry, and where it reads one (0/1).
Tap = tuple[Tensor, Tensor]


def tap(weights: Tensor) -> Tap:
    """Weights each output reads its input entries by, every non-zero one read once (a window, a copy)."""
    return weights, (weights != 0).to(weights.dtype)


def resampled(spec: str, g: Tensor, axes: Sequence[Sequence[Tap]]) -> Tensor:
    """`einsum(spec, g, *weights)`: a gradient sent back by separable weights (per axis, the taps an output reads its
    input by: its entries of a window, the 2 of linear interpolation, the 4 of cubic), added up as ATen's pooling and
    resampling kernels add it, one `g · w` per tap read. An infinite or NaN gradient so reaches the entries its taps
    read, as IEEE says (`inf · w`, `inf · 0 = NaN`, `inf - inf = NaN`), and no other: a plain product of matrices
    multiplies it by every 0 weight and puts NaN everywhere."""
    weights = [sum(w for w, _ in taps) for taps in axes]
    finite = torch.isfinite(g)
    if bool(finite.all()):
        return torch.einsum(spec, g, *weights)
    result = torch.einsum(spec, torch.where(finite, g, 0), *weights)
    counts = {key: torch.zeros_like(result) for key in ("nan", "zero", "plus", "minus")}
    for taps in itertools.product(*axes):  # (exact counts: sums of 0s and ±1s)
        read, signs = [t for _, t in taps], [torch.sign(w) for w, _ in taps]
        for value, same, other in ((math.inf, "plus", "minus"), (-math.inf, "minus", "plus")):
            mask = (g == value).to(result.dtype)
            weighted, signed = torch.einsum(spec, mask, *(s.abs() for s in signs)), torch.einsum(spec, mask, *signs)
            counts["zero"] += torch.einsum(spec, mask, *read) - weighted
            counts[same] += (weighted + signed) / 2  # (a product of weights > 0 keeps the infinity's sign)
            counts[other] += (weighted - signed) / 2
        counts["nan"] += torch.einsum(spec, torch.isnan(g).to(result.dtype), *read)
    plus, minus = counts["plus"] > 0, counts["minus"] > 0
    result = result.masked_fill(minus, -math.inf).masked_fill(plus, math.inf)
    return result.masked_fill((counts["nan"] > 0) | (counts["zero"] > 0) | (plus & minus), math.nan)


# -- pixel shuffle -------------------------------------------------------------------------------------------------


def _pixel_shuffle(ctx: Ctx) -> Expr:
    r = ctx.integer("upscale_factor")
    text = f"pixel_unshuffle({{0}}, {r})"
    return Form(text, text, [ctx.grad], lambda g: F.pixel_unshuffle(g, r))


def _pixel_unshuffle(ctx: Ctx) -> Expr:
    r = ctx.integer("downscale_factor")
    text = f"pixel_shuffle({{0}}, {r})"
    return Form(text, text, [ctx.grad], lambda g: F.pixel_shuffle(g, r))


# -- unfold (im2col) and fold (col2im) -----------------------------------------------------------------------------


def _pair(value) -> tuple[int, int]:
    listed = [int(v) for v in value]
    return (listed[0], listed[0]) if len(listed) == 1 else (listed[0], listed[1])


def _positions(ctx: Ctx, height: int, width: int) -> Tensor:
    """For each (kernel offset, patch) entry of the columns, the flat position in the image it was read from (-1: the
    zero padding). Made by unfolding the positions themselves."""
    kernel, dilation = _pair(ctx.raw("kernel_size")), _pair(ctx.raw("dilation"))
    padding, stride = _pair(ctx.raw("padding")), _pair(ctx.raw("stride"))
    grid = torch.arange(1, height * width + 1, dtype=torch.float64).view(1, 1, height, width)
    table = F.unfold(grid, kernel, dilation=dilation, padding=padding, stride=stride)[0]
    return table.long() - 1  # (kernel entries, patches)


def _im2col(ctx: Ctx) -> Expr:
    """unfold: column (c·k + j, l) was read from channel c, position positions[j, l]: each image entry gets the sum
    of the column entries read from it."""
    height, width = ctx.integer("self_sym_argsize_minus_2"), ctx.integer("self_sym_argsize_minus_1")
    table = _positions(ctx, height, width)
    kernel_entries = table.shape[0]

    def back(g: Tensor) -> Tensor:
        lead = g.shape[:-2]
        channels = g.shape[-2] // kernel_entries
        cols = g.reshape(*lead, channels, kernel_entries, g.shape[-1])
        inside = table >= 0
        out = torch.zeros(*lead, channels, height * width, dtype=torch.float64)
        out.index_add_(out.dim() - 1, table[inside], cols[..., inside])
        return out.reshape(*lead, channels, height, width)

    return _moved(
        "each column entry added back to the image position it was read from (overlaps added)",
        "열의 각 원소를 그 값을 읽어 온 이미지 위치에 다시 더함(겹치면 더함)",
        ctx,
        back,
    )


def _col2im(ctx: Ctx) -> Expr:
    """fold: image position p summed the column entries that fold put there, so each column entry gets grad at p."""

    def back(g: Tensor) -> Tensor:
        height, width = g.shape[-2], g.shape[-1]
        table = _positions(ctx, height, width)
        lead, channels = g.shape[:-3], g.shape[-3]
        flat = torch.cat([g.reshape(*lead, channels, height * width), torch.zeros(*lead, channels, 1)], -1)
        picked = flat[..., table]  # (the padding's -1 picks the zero appended)
        return picked.reshape(*lead, channels * table.shape[0], table.shape[1])

    return _moved(
        "grad at the image position each column entry was added to",
        "열의 각 원소가 더해졌던 이미지 위치의 grad",
        ctx,
        back,
    )


# -- upsampling -----------------------------------------------------------------------------------------------------

AXES = {1: ("scales",), 2: ("scales_h", "scales_w"), 3: ("scales_d", "scales_h", "scales_w")}


def _scale(ctx: Ctx, key: str, size: int, out: int, align_corners: bool) -> float:
    """The step in input coordinates per output entry (ATen's area_pixel_compute_scale)."""
    if align_corners:
        return (size - 1) / (out - 1) if out > 1 else 0.0
    given = ctx.saved.get(key)
    return 1.0 / float(given) if given is not None and float(given) > 0 else size / out


def _nearest_taps(size: int, out: int, scale: float, exact: bool) -> list[Tap]:
    """Output o copies input min(floor(o·scale), size - 1) (nearest-exact: floor((o + ½)·scale)), computed in float32
    as ATen does."""
    position = torch.arange(out, dtype=torch.float32)
    if exact:
        position = position + 0.5
    source = torch.floor(position * torch.tensor(scale, dtype=torch.float32)).long().clamp(max=size - 1)
    matrix = torch.zeros(out, size, dtype=torch.float64)
    matrix[torch.arange(out), source] = 1.0
    return [tap(matrix)]


def _read(out: int, size: int, reads: list[list[tuple[int, float]]]) -> list[Tap]:
    """The taps of outputs that each read the same number of input entries, `reads[o][k]` = (entry, weight)."""
    taps = []
    for k in range(len(reads[0]) if reads else 0):
        weights, read = torch.zeros(out, size, dtype=torch.float64), torch.zeros(out, size, dtype=torch.float64)
        for o, entries in enumerate(reads):
            weights[o, entries[k][0]], read[o, entries[k][0]] = entries[k][1], 1.0
        taps.append((weights, read))
    return taps


def _linear_taps(size: int, out: int, scale: float, align_corners: bool) -> list[Tap]:
    """Output o is (1 - λ)·input[i] + λ·input[i + 1] at the source point s (align_corners: o·scale, else (o + ½)·scale
    - ½, not below 0), i = floor(s), λ = s - i; i + 1 is i itself at the last entry, and where the output is as long
    as the input (ATen's compute_source_index_and_lambda: a copy, λ = 0)."""
    reads = []
    for o in range(out):
        source = o * scale if align_corners else max((o + 0.5) * scale - 0.5, 0.0)
        low = min(math.floor(source), size - 1)
        high = low + 1 if low < size - 1 and out != size else low
        weight = source - low if out != size else 0.0
        reads.append([(low, 1.0 - weight), (high, weight)])
    return _read(out, size, reads)


CUBIC_A = -0.75  # ATen's cubic convolution coefficient


def _cubic_taps(size: int, out: int, scale: float, align_corners: bool) -> list[Tap]:
    """Output o is Σₖ wₖ·input[i - 1 + k] (k = 0…3, indices clamped to the edge) at the source point s (align_corners:
    o·scale, else (o + ½)·scale - ½), i = floor(s), t = s - i, wₖ the cubic convolution weights."""

    def near(x: float) -> float:  # |x| ≤ 1
        return ((CUBIC_A + 2) * x - (CUBIC_A + 3)) * x * x + 1

    def far(x: float) -> float:  # 1 < |x| < 2
        return ((CUBIC_A * x - 5 * CUBIC_A) * x + 8 * CUBIC_A) * x - 4 * CUBIC_A

    reads = []
    for o in range(out):
        source = o * scale if align_corners else (o + 0.5) * scale - 0.5
        start = math.floor(source)
        t = source - start
        weights = (far(t + 1), near(t), near(1 - t), far(2 - t))
        reads.append([(min(max(start - 1 + k, 0), size - 1), w) for k, w in enumerate(weights)])
    return _read(out, size, reads)


def _triangle(x: Any) -> Any:
    x = abs(x)
    return 1 - x if x < 1 else 0 * x


def _cubic_aa(x: Any) -> Any:  # (antialiasing's cubic filter takes a = -0.5, PIL's)
    a, x = -0.5, abs(x)
    if x < 1:
        return ((a + 2) * x - (a + 3)) * x * x + 1
    if x < 2:
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
    return 0 * x


def _antialiased_taps(size: int, out: int, scale: float, cubic: bool, single: bool) -> list[Tap]:
    """ATen's antialiased interpolation (_compute_indices_min_size_weights_aa): output o is centred at c = scale·(o +
    ½) in input coordinates; the filter (a triangle of half-width 1, or the cubic of half-width 2), stretched by the
    scale when shrinking (scale ≥ 1), weighs the inputs j whose centres j + ½ fall under it, and the weights are
    divided by their sum. `single`: in float32 where ATen computes in it (any input but float64), so that a weight
    ATen rounds to 0 is 0 here (an infinite gradient times it is NaN)."""
    real: Callable[[Any], Any] = numpy.float32 if single else float
    width = 4 if cubic else 2
    scale = real(scale)
    support = real(width * 0.5 * float(scale)) if scale >= 1 else real(width * 0.5)
    inverse = real(1 / float(scale)) if scale >= 1 else real(1.0)
    most = math.ceil(support) * 2 + 1
    shape = _cubic_aa if cubic else _triangle
    weights, read = torch.zeros(out, size, dtype=torch.float64), torch.zeros(out, size, dtype=torch.float64)
    for o in range(out):
        centre = real(float(scale) * (o + 0.5))
        low = max(int(float(centre - support) + 0.5), 0)  # (truncated toward 0, as C++'s cast)
        count = min(max(min(int(float(centre + support) + 0.5), size) - low, 0), most)
        row = [shape(real((float(real(j + low) - centre) + 0.5) * float(inverse))) for j in range(count)]
        total = sum(row, real(0))
        weights[o, low : low + count] = torch.tensor(
            [float(w / total if total != 0 else w) for w in row], dtype=torch.float64
        )
        read[o, low : low + count] = 1.0
    return [(weights, read)]


AA_WEIGHTS_MAX = 1 << 20  # (entries of a one-hot batch, size × size: 4 MB of float32 at most, a 1024-wide axis)


def _kernel_weights(size: int, out: int, cubic: bool, single: bool, align: bool, given: float | None) -> Tensor | None:
    """The antialiased weights of one axis as ATen's own kernel computes them, out × size: its forward on a batch of
    one-hot rows (what output o reads of input j is row j's output o). ATen's CPU kernel works the filter out with
    fused multiply-adds (`-ffp-contract`), so a weight float32 arithmetic gives as 0 at the filter's edge is 1e-14
    there, and an inf gradient times it is ±inf, not NaN: no emulation gets each such weight as the build does.
    None past AA_WEIGHTS_MAX entries (the computed weights are used)."""
    if size * size > AA_WEIGHTS_MAX:
        return None
    op = torch.ops.aten._upsample_bicubic2d_aa if cubic else torch.ops.aten._upsample_bilinear2d_aa
    rows = torch.eye(size, dtype=torch.float32 if single else torch.float64).view(size, 1, 1, size)
    try:
        read = op(rows, [1, out], align, None, given)
    except (RuntimeError, TypeError):  # (an op this torch lacks or reads otherwise: the computed weights stay)
        return None
    return read.view(size, out).T.to(torch.float64)


def _upsample(kind: str, axes: int):
    def grad(ctx: Ctx) -> Expr:
        shape = sizes(ctx)
        out = [int(v) for v in ctx.raw("output_size")]
        align = bool(ctx.saved.get("align_corners", False))
        received = ctx.grad_outputs[0] if ctx.grad_outputs else None  # (as it came: grad_tensor() is float64)
        single = not (isinstance(received, Tensor) and received.dtype == torch.float64)
        taps = []  # per axis
        for i, key in enumerate(AXES[axes]):
            size = shape[len(shape) - axes + i]
            scale = _scale(ctx, key, size, out[i], align and kind in ("linear", "cubic", "aa_linear", "aa_cubic"))
            if kind in ("aa_linear", "aa_cubic"):
                (weights, read), *_ = _antialiased_taps(size, out[i], scale, kind == "aa_cubic", single)
                given = ctx.saved.get(key)
                given = float(given) if given is not None else None
                exact = _kernel_weights(size, out[i], kind == "aa_cubic", single, align, given)
                taps.append([(weights if exact is None else exact, read)])
            elif kind == "linear":
                taps.append(_linear_taps(size, out[i], scale, align))
            elif kind == "cubic":
                taps.append(_cubic_taps(size, out[i], scale, align))
            else:
                taps.append(_nearest_taps(size, out[i], scale, kind == "exact"))
        letters = "dhw"[-axes:]
        spec = (
            "..."
            + "".join(c.upper() for c in letters)
            + ","
            + ",".join(f"{c.upper()}{c}" for c in letters)
            + "->..."
            + letters
        )

        def back(g: Tensor) -> Tensor:
            return resampled(spec, g, taps)

        if kind != "nearest" and kind != "exact":
            return _moved(
                "grad of each output entry shared among the input entries it was interpolated from, by the same "
                "weights",
                "출력 각 원소의 grad를 그 원소를 보간할 때 쓴 입력 원소들에 같은 가중치로 나눠 줌",
                ctx,
                back,
            )
        return _moved(
            "grad of the output entries copied from each input entry, added up",
            "각 입력 원소를 복사해 간 출력 원소들의 grad를 모두 더함",
            ctx,
            back,
        )

    return grad


NEAREST_WORDS: Words = (
    "Nearest-neighbour upsampling copies each input entry to every output entry whose source point falls on it, so "
    "each input entry gets the sum of the gradients of its copies.",
    "최근접 업샘플링은 각 입력 원소를 그 원소에 대응하는 모든 출력 자리로 복사하므로, 각 입력 원소는 자기 "
    "복사본들의 그래디언트를 모두 더해 받습니다.",
)
LINEAR_WORDS: Words = (
    "Each output entry is a weighted average of the 2 (per axis) nearest input entries, with weights 1 - λ and λ "
    "from where its source point falls between them (align_corners={align}); the gradient goes back by the same "
    "weights, and an input entry gets the sum over every output entry it took part in.",
    "각 출력 원소는 (축마다) 가장 가까운 입력 원소 2개를, 대응점이 그 사이 어디에 있는지에 따라 1 - λ와 λ의 "
    "가중치로 평균한 값입니다(align_corners={align}). 그래디언트도 같은 가중치로 돌아가므로, 각 입력 원소는 자기가 "
    "참여한 모든 출력 원소에서 온 값을 더해 받습니다.",
)


CUBIC_WORDS: Words = (
    "Each output entry is a weighted sum of the 4 (per axis) nearest input entries, with the cubic convolution "
    "weights (a = -0.75) of where its source point falls (align_corners={align}; past the edge the edge entry is "
    "used again); the gradient goes back by the same weights, and an input entry gets the sum over every output "
    "entry it took part in.",
    "각 출력 원소는 (축마다) 가장 가까운 입력 원소 4개에, 대응점의 위치로 정해지는 3차 합성곱 가중치(a = -0.75)를 "
    "곱해 더한 값입니다(align_corners={align}; 가장자리 밖은 가장자리 원소를 다시 씀). 그래디언트도 같은 가중치로 "
    "돌아가므로, 각 입력 원소는 자기가 참여한 모든 출력 원소에서 온 값을 더해 받습니다.",
)
ANTIALIAS_WORDS: Words = (
    "With antialias=True each output entry is a weighted average of the input entries under a filter centred on "
    "its source point ({filter}), stretched to the step between output entries when shrinking so that every input "
    "entry takes part; the weights are divided by their sum (align_corners={align}). The gradient goes back by the "
    "same weights, and an input entry gets the sum over every output entry it took part in.",
    "antialias=True이면 각 출력 원소는 대응점을 중심으로 한 필터({filter_ko}) 아래의 입력 원소들을 가중 평균한 "
    "값입니다. 줄일 때는 필터를 출력 원소 사이 간격만큼 넓혀 모든 입력 원소가 참여하게 하고, 가중치는 그 합으로 "
    "나눕니다(align_corners={align}). 그래디언트도 같은 가중치로 돌아가므로, 각 입력 원소는 자기가 참여한 모든 출력 "
    "원소에서 온 값을 더해 받습니다.",
)
FILTERS = {
    "aa_linear": ("a triangle 1 - |t| of half-width 1", "반폭 1인 삼각형 1 - |t|"),
    "aa_cubic": ("the cubic convolution kernel with a = -0.5, of half-width 2", "반폭 2인 3차 합성곱 커널, a = -0.5"),
}
LOCALS: dict[str, Words] = {
    "linear": (
        "∂{y}ₒ/∂{x}ᵢ = the weight of input i in output o (1 - λ, λ or 0)",
        "∂{y}ₒ/∂{x}ᵢ = 출력 o에서 입력 i의 가중치(1 - λ, λ 또는 0)",
    ),
    "cubic": (
        "∂{y}ₒ/∂{x}ᵢ = the cubic weight of input i in output o (0 past 2 entries away)",
        "∂{y}ₒ/∂{x}ᵢ = 출력 o에서 입력 i의 3차 가중치(2칸보다 멀면 0)",
    ),
    "nearest": (
        "∂{y}ₒ/∂{x}ᵢ = 1 if output o is a copy of input i, else 0",
        "∂{y}ₒ/∂{x}ᵢ = 출력 o가 입력 i의 복사본이면 1, 아니면 0",
    ),
    "aa": (
        "∂{y}ₒ/∂{x}ᵢ = the filter's weight of input i in output o, over the sum of its weights",
        "∂{y}ₒ/∂{x}ᵢ = 출력 o에서 입력 i의 필터 가중치를 가중치 합으로 나눈 값",
    ),
}
MODES = {
    ("linear", 1): "'linear'",
    ("linear", 2): "'bilinear'",
    ("linear", 3): "'trilinear'",
    ("cubic", 2): "'bicubic'",
    ("aa_linear", 2): "'bilinear', antialias=True",
    ("aa_cubic", 2): "'bicubic', antialias=True",
}


def _upsample_rule(node: str, kind: str, axes: int, title: Words) -> Rule:
    words = {"linear": LINEAR_WORDS, "cubic": CUBIC_WORDS}.get(kind, NEAREST_WORDS)
    local = LOCALS["nearest" if kind == "exact" else "aa" if kind.startswith("aa_") else kind]
    if kind.startswith("aa_"):
        words = (
            ANTIALIAS_WORDS[0].replace("{filter}", FILTERS[kind][0]),
            ANTIALIAS_WORDS[1].replace("{filter_ko}", FILTERS[kind][1]),
        )
    return Rule(
        node,
        title,
        ("{y} = interpolate({x}, size={size}, mode={mode})", "{y} = interpolate({x}, size={size}, mode={mode})"),
        local,
        words,
        (Slot("self", "x", _upsample(kind, axes)),),
        params=lambda c: {
            "size": tuple(int(v) for v in c.raw("output_size")),
            "mode": MODES.get((kind, axes), "'nearest-exact'" if kind == "exact" else "'nearest'"),
            "align": bool(c.saved.get("align_corners", False)),
        },
    )


add(
    Rule(
        "PixelShuffleBackward0",
        ("pixel shuffle", "픽셀 셔플"),
        "{y} = pixel_shuffle({x}, {r})",
        "grad_{x} = pixel_unshuffle(grad, {r})",
        (
            "Pixel shuffle only moves entries: each group of r² channels becomes an r×r block of pixels. The "
            "gradient is moved back by the opposite rearrangement, pixel_unshuffle.",
            "픽셀 셔플은 값의 자리만 옮깁니다. 채널 r²개 묶음이 r×r 픽셀 블록이 됩니다. 그래디언트는 반대 방향의 "
            "재배치인 pixel_unshuffle로 제자리에 돌려보냅니다.",
        ),
        (Slot("self", "x", _pixel_shuffle),),
        params=lambda c: {"r": c.integer("upscale_factor")},
    ),
    Rule(
        "PixelUnshuffleBackward0",
        ("pixel unshuffle", "픽셀 언셔플"),
        "{y} = pixel_unshuffle({x}, {r})",
        "grad_{x} = pixel_shuffle(grad, {r})",
        (
            "Pixel unshuffle only moves entries: each r×r block of pixels becomes r² channels. The gradient is moved "
            "back by the opposite rearrangement, pixel_shuffle.",
            "픽셀 언셔플은 값의 자리만 옮깁니다. r×r 픽셀 블록이 채널 r²개가 됩니다. 그래디언트는 반대 방향의 "
            "재배치인 pixel_shuffle로 제자리에 돌려보냅니다.",
        ),
        (Slot("self", "x", _pixel_unshuffle),),
        params=lambda c: {"r": c.integer("downscale_factor")},
    ),
    Rule(
        "Im2ColBackward0",
        ("unfold: patches as columns (im2col)", "unfold: 조각을 열로 펼치기(im2col)"),
        (
            "{y} = unfold({x}, kernel {kernel}, stride {stride})",
            "{y} = unfold({x}, 커널 {kernel}, 스트라이드 {stride})",
        ),
        ("grad_{x} = fold(grad): each column entry back to where it was read", "grad_{x} = fold(grad)"),
        (
            "unfold copies every sliding patch of the image into a column, so an image entry appears once per patch "
            "that covers it. Backward is fold (col2im): each column entry's gradient is added back to the position it "
            "was read from, and overlapping patches add up; the zero padding gets nothing.",
            "unfold는 이미지에서 미끄러지는 창(patch)마다 값을 복사해 열로 만들므로, 한 이미지 원소는 자기를 덮는 "
            "창의 수만큼 나타납니다. 역전파는 fold(col2im)입니다. 각 열 원소의 그래디언트를 그 값을 읽어 온 자리에 "
            "다시 더하고, 겹치는 창에서 온 값은 합쳐집니다. 0 패딩 자리는 아무것도 받지 않습니다.",
        ),
        (Slot("self", "x", _im2col),),
        params=lambda c: {"kernel": _pair(c.raw("kernel_size")), "stride": _pair(c.raw("stride"))},
    ),
    Rule(
        "Col2ImBackward0",
        ("fold: columns back into an image (col2im)", "fold: 열을 이미지로 합치기(col2im)"),
        ("{y} = fold({x}, kernel {kernel}, stride {stride})", "{y} = fold({x}, 커널 {kernel}, 스트라이드 {stride})"),
        ("grad_{x} = unfold(grad): each column entry gets grad where it was added", "grad_{x} = unfold(grad)"),
        (
            "fold adds every column entry into the image position of its patch (overlapping patches add up), so "
            "each column entry gets the gradient at that position: backward is unfold (im2col); entries that fell "
            "on the padding get 0.",
            "fold는 열의 각 원소를 자기 창이 덮는 이미지 위치에 더하므로(겹치는 창은 합쳐짐), 각 열 원소는 그 "
            "위치의 그래디언트를 받습니다. 즉 역전파는 unfold(im2col)이고, 패딩 자리에 떨어진 원소는 0을 받습니다.",
        ),
        (Slot("self", "x", _col2im),),
        params=lambda c: {"kernel": _pair(c.raw("kernel_size")), "stride": _pair(c.raw("stride"))},
    ),
    _upsample_rule("UpsampleNearest1DBackward0", "nearest", 1, ("nearest upsampling", "최근접 업샘플링")),
    _upsample_rule("UpsampleNearest2DBackward0", "nearest", 2, ("nearest upsampling", "최근접 업샘플링")),
    _upsample_rule("UpsampleNearest3DBackward0", "nearest", 3, ("nearest upsampling", "최근접 업샘플링")),
    _upsample_rule("UpsampleNearestExact1DBackward0", "exact", 1, ("nearest upsampling", "최근접 업샘플링")),
    _upsample_rule("UpsampleNearestExact2DBackward0", "exact", 2, ("nearest upsampling", "최근접 업샘플링")),
    _upsample_rule("UpsampleNearestExact3DBackward0", "exact", 3, ("nearest upsampling", "최근접 업샘플링")),
    _upsample_rule("UpsampleLinear1DBackward0", "linear", 1, ("linear upsampling", "선형 보간 업샘플링")),
    _upsample_rule("UpsampleBilinear2DBackward0", "linear", 2, ("bilinear upsampling", "쌍선형 보간 업샘플링")),
    _upsample_rule("UpsampleTrilinear3DBackward0", "linear", 3, ("trilinear upsampling", "삼선형 보간 업샘플링")),
    _upsample_rule("UpsampleBicubic2DBackward0", "cubic", 2, ("bicubic upsampling", "쌍삼차 보간 업샘플링")),
    _upsample_rule(
        "UpsampleBilinear2DAaBackward0",
        "aa_linear",
        2,
        ("bilinear resizing with antialiasing", "안티에일리어싱 쌍선형 보간 크기 조절"),
    ),
    _upsample_rule(
        "UpsampleBicubic2DAaBackward0",
        "aa_cubic",
        2,
        ("bicubic resizing with antialiasing", "안티에일리어싱 쌍삼차 보간 크기 조절"),
    ),
)


# -- max_unpool, affine_grid, grid_sample --------------------------------------------------------------------------


def _unpool(axes: int):
    """max_unpool (derivatives.yaml: max_pool_double_backward): each input entry was written at its index in the
    output's plane, so it gets the gradient there (a gather)."""

    def grad(ctx: Ctx) -> Expr:
        indices = ctx.tensor("indices").long()

        def taken(g: Tensor) -> Tensor:
            flat = g.flatten(-axes)
            return flat.gather(-1, indices.flatten(-axes)).view(indices.shape)

        return Form("grad[indices]", "grad[indices]", [ctx.grad], taken)

    return grad


def _base_grid(size: tuple[int, ...], align: bool) -> Tensor:
    """affine_grid's unit grid: each output point's normalized coordinates (x, y[, z]) and a 1, one row a point."""
    k = len(size) - 2
    eye = torch.eye(k, k + 1, dtype=torch.float64).unsqueeze(0)
    coords = F.affine_grid(eye, [1, 1, *size[2:]], align_corners=align).reshape(-1, k)
    return torch.cat([coords, torch.ones(coords.shape[0], 1, dtype=torch.float64)], 1)


def _affine_grid(ctx: Ctx) -> Expr:
    size = tuple(int(v) for v in ctx.raw("size"))
    base = _base_grid(size, bool(ctx.raw("align_corners")))
    k = len(size) - 2

    rows = Form("grad", "grad", [ctx.grad], lambda g: g.reshape(size[0], -1, k), evaluated=True)
    return rows.T @ Sym("P", base)


GRID_MODES = {0: "bilinear", 1: "nearest", 2: "bicubic"}
GRID_PADDING = {0: "zeros", 1: "border", 2: "reflection"}


GRID_PADDING_WORDS = {
    1: (
        " With padding_mode='border' a position outside is moved onto the edge: there it does not move with {g}, so "
        "that point of {g} gets 0.",
        " padding_mode='border'이면 바깥 위치는 가장자리로 옮겨지므로, 격자 점이 조금 움직여도 읽는 위치가 변하지 "
        "않아 그 점은 0을 받습니다.",
    ),
    2: (
        " With padding_mode='reflection' a position outside is mirrored back in: each mirror flips the direction it "
        "moves in, so the sign of that point's gradient flips too.",
        " padding_mode='reflection'이면 바깥 위치는 거울처럼 안쪽으로 되비춰지므로, 한 번 비출 때마다 움직이는 방향이 "
        "바뀌고 그 점의 그래디언트 부호도 바뀝니다.",
    ),
}


BICUBIC_WORDS = (
    " With mode='bicubic' each point mixes the 4×4 pixels around it by cubic weights (a = -0.75), and {g}'s point "
    "gets grad times how fast those weights change; the padding only decides what a tap outside the image reads.",
    " mode='bicubic'이면 각 점은 주변 4×4 픽셀을 3차 가중치(a = -0.75)로 섞고, 격자의 점은 그 가중치가 변하는 "
    "빠르기에 grad를 곱한 값을 받습니다. 패딩은 이미지 밖의 픽셀 자리에서 읽을 값만 정합니다.",
)


def _grid_params(ctx: Ctx) -> dict[str, str]:
    padding = int(ctx.raw("padding_mode"))
    words = GRID_PADDING_WORDS.get(padding, ("", "")) if int(ctx.raw("interpolation_mode")) != 2 else BICUBIC_WORDS
    g = ctx.label(1, "g")
    return {
        "mode": GRID_MODES.get(int(ctx.raw("interpolation_mode")), "?"),
        "padding": GRID_PADDING.get(padding, "?"),
        "pad_en": words[0].replace("{g}", g),
        "pad_ko": words[1].replace("{g}", g),
    }


def _grid_supported(ctx: Ctx) -> bool:
    return int(ctx.raw("interpolation_mode")) in (0, 1, 2) and int(ctx.raw("padding_mode")) in (0, 1, 2)


def _reflected(pixel: Tensor, twice_low: int, twice_high: int) -> tuple[Tensor, Tensor]:
    """ATen's reflect_coordinates_set_grad: the position mirrored back into [low, high] by reflections at its ends,
    and ±1, how it moves as the position does (each reflection flips it)."""
    if twice_low == twice_high:
        return torch.zeros_like(pixel), torch.zeros_like(pixel)
    low, span = twice_low / 2, (twice_high - twice_low) / 2
    shifted = pixel - low
    sign = torch.where(shifted < 0, -1.0, 1.0)
    shifted = shifted.abs()
    extra = torch.fmod(shifted, span)
    even = torch.floor(shifted / span).remainder(2) == 0
    return torch.where(even, extra + low, span - extra + low), torch.where(even, sign, -sign)


def _unnormalize(coord: Tensor, size: int, align: bool, padding: int, volume: bool) -> tuple[Tensor, Tensor]:
    """A normalized grid coordinate as a pixel position, and its derivative: for 'border' clipped to the image, for
    'reflection' mirrored into it first (then clipped), the derivative 0 where clipped and flipped by each mirror.
    Worked out in the grid's own dtype, by the formula ATen's CPU kernel uses (an image's vectorized, a volume's
    scalar one), then as float64: a float32 grid point a rounding away from a pixel (0.2499999702 + 1 is 1.25 in
    float32) lies on the pixel for torch: which pixels it reads, and the gradient its position gets, change there."""
    scale = (size - 1) / 2 if align else size / 2
    if volume:
        pixel = (coord + 1) / 2 * (size - 1) if align else ((coord + 1) * size - 1) / 2
    else:
        pixel = (coord + 1) * scale if align else (coord + 1) * scale - 0.5
    slope = torch.full_like(coord, scale)
    if padding == 2:
        pixel, flip = _reflected(pixel, 0, 2 * (size - 1)) if align else _reflected(pixel, -1, 2 * size - 1)
        slope = slope * flip
    if padding in (1, 2):
        inside = (pixel > 0) & (pixel < size - 1)
        pixel, slope = pixel.clamp(0, size - 1), torch.where(inside, slope, 0.0)
    return pixel.to(torch.float64), slope.to(torch.float64)


def _grid_dtype(ctx: Ctx) -> torch.dtype:
    """The dtype torch worked the grid's positions out in: the grid's own (float32, and a 3-D bfloat16 or float16 grid
    in its dtype, rounded at each step: ATen's scalar loop), float64 for the others."""
    grid = ctx.raw("grid")
    if isinstance(grid, Tensor) and grid.dtype in (torch.float32, torch.bfloat16, torch.float16):
        return grid.dtype
    return torch.float64


def _grid_sample(ctx: Ctx, absolute: bool = False) -> tuple[Tensor, Tensor]:
    """grid_sampler_2d_backward and grid_sampler_3d_backward, bilinear (trilinear) or nearest, zeros, border or
    reflection padding: each output point reads the 2ᵏ pixels around its position (ix, iy[, iz]) with weights
    Π (1 - d) or d per axis (d: the position's fraction past the lower pixel; the nearest pixel alone for
    'nearest'), so each of them gets grad times its weight; the point's position gets grad times how the weighted
    sum changes along each axis, times the pixels per unit of the grid (0 for nearest). `absolute`: the same sums of
    every term's magnitude, the scale the kernel's roundings are relative to (bfloat16 sums a bicubic point's 32
    products in bfloat16)."""
    if int(ctx.raw("interpolation_mode")) == 2:
        return _grid_bicubic(ctx, absolute)
    image, grid, g = ctx.tensor("input"), ctx.tensor("grid"), ctx.grad_tensor(0)
    if absolute:
        image, g = image.abs(), g.abs()
    align, padding = bool(ctx.raw("align_corners")), int(ctx.raw("padding_mode"))
    n, c = image.shape[:2]
    k = grid.shape[-1]
    sizes = list(reversed(image.shape[2:]))  # (width, height[, depth]): the grid's order of axes
    strides = [math.prod(sizes[:axis]) for axis in range(k)]
    exact = grid.to(_grid_dtype(ctx))  # (float64 holds a float32 grid exactly: this gives it back)
    found = [_unnormalize(exact[..., axis], sizes[axis], align, padding, k == 3) for axis in range(k)]
    positions = [pixel.reshape(n, -1) for pixel, _ in found]
    slopes = [slope.reshape(n, -1) for _, slope in found]
    grad_image = torch.zeros(n, c, math.prod(sizes), dtype=torch.float64)
    flat = image.reshape(n, c, -1)
    g = g.reshape(n, c, -1)
    nearest = int(ctx.raw("interpolation_mode")) == 1
    corners: list[tuple[list[Tensor], Tensor, list[Tensor] | None]] = []
    if nearest:
        corners.append(([torch.round(p) for p in positions], torch.ones_like(positions[0]), None))
    else:
        one = torch.ones_like(positions[0])
        lows = [p.floor() for p in positions]
        fractions = [p - low for p, low in zip(positions, lows, strict=True)]
        for bits in itertools.product((0, 1), repeat=k):
            factors = [f if bit else 1 - f for f, bit in zip(fractions, bits, strict=True)]
            slopes_here = [  # ∂weight/∂position along each axis: ± the other axes' factors
                (1 if bits[axis] or absolute else -1)
                * math.prod((factors[o] for o in range(k) if o != axis), start=one)
                for axis in range(k)
            ]
            where = [low + bit for low, bit in zip(lows, bits, strict=True)]
            corners.append((where, math.prod(factors, start=one), slopes_here))
    grads = [torch.zeros_like(positions[0]) for _ in range(k)]
    for where, weight, along in corners:
        inside = torch.ones_like(weight, dtype=torch.bool)
        index = torch.zeros_like(weight, dtype=torch.long)
        for axis in range(k):
            inside &= (where[axis] >= 0) & (where[axis] <= sizes[axis] - 1)
            index += where[axis].nan_to_num(0.0).clamp(0, sizes[axis] - 1).long() * strides[axis]  # (NaN: outside)
        weight = torch.where(inside, weight, 0.0)
        grad_image.scatter_add_(2, index.unsqueeze(1).expand(n, c, -1), g * weight.unsqueeze(1))
        if along is not None:
            value = torch.where(inside.unsqueeze(1), flat.gather(2, index.unsqueeze(1).expand(n, c, -1)), 0.0)
            seen = (g * value).sum(1)
            grads = [  # (a corner outside adds nothing, as in ATen's loop: a NaN position's slope is NaN)
                total + torch.where(inside, seen * slope, 0.0) for total, slope in zip(grads, along, strict=True)
            ]
    if absolute:
        slopes = [slope.abs() for slope in slopes]
    grad_grid = torch.stack([total * slope for total, slope in zip(grads, slopes, strict=True)], -1)
    return grad_image.reshape(image.shape), grad_grid.reshape(grid.shape)


def _cubic_weights(t: Tensor) -> tuple[list[Tensor], list[Tensor]]:
    """The cubic convolution weights (a = -0.75) of the 4 taps at -1, 0, 1, 2 from a point t ∈ [0, 1) past the
    second, and their derivatives in t."""
    a = CUBIC_A

    def near(x: Tensor) -> Tensor:  # |x| ≤ 1
        return ((a + 2) * x - (a + 3)) * x * x + 1

    def near_slope(x: Tensor) -> Tensor:
        return (3 * (a + 2) * x - 2 * (a + 3)) * x

    def far(x: Tensor) -> Tensor:  # 1 < |x| < 2
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a

    def far_slope(x: Tensor) -> Tensor:
        return (3 * a * x - 10 * a) * x + 8 * a

    weights = [far(t + 1), near(t), near(1 - t), far(2 - t)]
    slopes = [far_slope(t + 1), near_slope(t), -near_slope(1 - t), -far_slope(2 - t)]
    return weights, slopes


def _tap(where: Tensor, size: int, align: bool, padding: int) -> Tensor:
    """Where a bicubic tap reads (ATen's compute_coordinates): clipped to the image for 'border', mirrored into it and
    clipped for 'reflection', as it is for 'zeros' (a tap outside reads 0)."""
    if padding == 2:
        where = _reflected(where, 0, 2 * (size - 1))[0] if align else _reflected(where, -1, 2 * size - 1)[0]
    if padding in (1, 2):
        where = where.clamp(0, size - 1)
    return where


def _grid_bicubic(ctx: Ctx, absolute: bool = False) -> tuple[Tensor, Tensor]:
    """grid_sampler_2d_backward, bicubic: each output point reads the 4×4 pixels around its position (ix, iy) with
    the cubic weights wᵢ(dx)·wⱼ(dy), so each gets grad times its weight; the position gets grad times the pixels
    weighted by the weights' slopes, times the pixels per grid unit (the padding moves the taps, not the position)."""
    image, grid, g = ctx.tensor("input"), ctx.tensor("grid"), ctx.grad_tensor(0)
    align, padding = bool(ctx.raw("align_corners")), int(ctx.raw("padding_mode"))
    n, c, height, width = image.shape
    scale_x = (width - 1) / 2 if align else width / 2
    scale_y = (height - 1) / 2 if align else height / 2
    ix = ((grid[..., 0] + 1) * scale_x - (0 if align else 0.5)).reshape(n, -1)
    iy = ((grid[..., 1] + 1) * scale_y - (0 if align else 0.5)).reshape(n, -1)
    x0, y0 = ix.floor(), iy.floor()
    wx, sx = _cubic_weights(ix - x0)
    wy, sy = _cubic_weights(iy - y0)
    if absolute:  # (the magnitudes of the terms summed: see _grid_sample)
        image, g = image.abs(), g.abs()
        wx, sx, wy, sy = ([t.abs() for t in ts] for ts in (wx, sx, wy, sy))
    flat = image.reshape(n, c, -1)
    g = g.reshape(n, c, -1)
    grad_image = torch.zeros(n, c, height * width, dtype=torch.float64)
    grad_x, grad_y = torch.zeros_like(ix), torch.zeros_like(iy)
    for i in range(4):
        tx = _tap(x0 - 1 + i, width, align, padding)
        for j in range(4):
            ty = _tap(y0 - 1 + j, height, align, padding)
            inside = (tx >= 0) & (tx <= width - 1) & (ty >= 0) & (ty <= height - 1)
            # (a NaN position is outside: read from 0, with weight 0)
            index = (
                ty.nan_to_num(0.0).clamp(0, height - 1).long() * width + tx.nan_to_num(0.0).clamp(0, width - 1).long()
            ).unsqueeze(1)
            weight = torch.where(inside, wx[i] * wy[j], 0.0)
            grad_image.scatter_add_(2, index.expand(n, c, -1), g * weight.unsqueeze(1))
            value = torch.where(inside.unsqueeze(1), flat.gather(2, index.expand(n, c, -1)), 0.0)
            seen = (g * value).sum(1)
            grad_x, grad_y = grad_x + seen * sx[i] * wy[j], grad_y + seen * wx[i] * sy[j]
    grad_grid = torch.stack([grad_x * scale_x, grad_y * scale_y], -1).reshape(grid.shape)
    return grad_image.reshape(image.shape), grad_grid


def _grid_input(ctx: Ctx) -> Expr:
    nearest = int(ctx.raw("interpolation_mode")) == 1
    if int(ctx.raw("interpolation_mode")) == 2:
        text = "Σ over the 4×4 pixels around each point of grad · its cubic weight"
        ko = "각 점을 둘러싼 4×4 픽셀에 grad · 그 3차 가중치를 더함"
    elif ctx.rule.node == "GridSampler3DBackward0":
        text = "grad at the nearest voxel" if nearest else "Σ over the 8 voxels around each point of grad · its weight"
        ko = "각 점의 가장 가까운 복셀에 grad" if nearest else "각 점을 둘러싼 복셀 8개에 grad · 그 가중치를 더함"
    else:
        text = "grad at the nearest pixel" if nearest else "Σ over the 4 pixels around each point of grad · its weight"
        ko = "각 점의 가장 가까운 픽셀에 grad" if nearest else "각 점을 둘러싼 픽셀 4개에 grad · 그 가중치를 더함"
    return Form(
        text,
        ko,
        [ctx.grad, ctx.sym("input")],
        lambda *_: _grid_sample(ctx)[0],
        evaluated=True,
        bound=lambda *_: _grid_sample(ctx, absolute=True)[0],
    )


def _grid_grid(ctx: Ctx) -> Expr:
    if int(ctx.raw("interpolation_mode")) == 1:
        return Form("0", "0", [ctx.grad], lambda g: _grid_sample(ctx)[1], evaluated=True)
    if ctx.rule.node == "GridSampler3DBackward0":
        en = "Σ_c grad · ∂(weighted voxels)/∂(ix, iy, iz) · voxels per grid unit"
        ko = "Σ_c grad · ∂(가중합)/∂(ix, iy, iz) · 격자 한 칸당 복셀 수"
    else:
        en = "Σ_c grad · ∂(weighted pixels)/∂(ix, iy) · pixels per grid unit"
        ko = "Σ_c grad · ∂(가중합)/∂(ix, iy) · 격자 한 칸당 픽셀 수"
    return Form(
        en,
        ko,
        [ctx.grad, ctx.sym("input")],
        lambda *_: _grid_sample(ctx)[1],
        evaluated=True,
        bound=lambda *_: _grid_sample(ctx, absolute=True)[1],
    )


add(
    Rule(
        "MaxUnpool2DBackward0",
        ("max unpooling", "최댓값 언풀링"),
        (
            "{y} = max_unpool2d({x}, indices): each entry written at its index, 0 elsewhere",
            "{y} = max_unpool2d({x}, indices)",
        ),
        "∂{y}[indices]/∂{x} = 1",
        (
            "Unpooling writes each entry of {x} at the place max pooling took it from and fills the rest with 0, so "
            "each entry gets back the gradient at that place; the filled zeros send nothing.",
            "언풀링은 {x}의 각 원소를 최댓값 풀링이 그 값을 가져온 자리에 쓰고 나머지는 0으로 채웁니다. 그래서 각 "
            "원소는 그 자리의 그래디언트를 돌려받고, 채운 0 자리는 아무것도 보내지 않습니다.",
        ),
        (Slot("self", "x", _unpool(2)),),
    ),
    Rule(
        "MaxUnpool3DBackward0",
        ("max unpooling", "최댓값 언풀링"),
        (
            "{y} = max_unpool3d({x}, indices): each entry written at its index, 0 elsewhere",
            "{y} = max_unpool3d({x}, indices)",
        ),
        "∂{y}[indices]/∂{x} = 1",
        (
            "Unpooling writes each entry of {x} at the place max pooling took it from and fills the rest with 0, so "
            "each entry gets back the gradient at that place.",
            "언풀링은 {x}의 각 원소를 최댓값 풀링이 그 값을 가져온 자리에 쓰고 나머지는 0으로 채웁니다. 그래서 각 "
            "원소는 그 자리의 그래디언트를 돌려받습니다.",
        ),
        (Slot("self", "x", _unpool(3)),),
    ),
    Rule(
        "AffineGridGeneratorBackward0",
        ("affine sampling grid", "아핀 샘플링 격자"),
        (
            "{y} = P · {θ}ᵀ: each point (x, y, 1) of the unit grid P moved by {θ}",
            "{y} = P · {θ}ᵀ: 단위 격자 P의 각 점 (x, y, 1)을 {θ}로 옮긴 것",
        ),
        ("∂{y}[point]/∂{θ} = the point's (x, y, 1)", "∂{y}[점]/∂{θ} = 그 점의 (x, y, 1)"),
        (
            "Each grid point is {θ} times the point's own coordinates (x, y, 1), so {θ} gets, summed over the points, "
            "grad at the point times those coordinates: gradᵀ · P.",
            "격자의 각 점은 {θ}에 그 점의 좌표 (x, y, 1)을 곱한 값입니다. 그래서 {θ}는 점마다 grad에 그 좌표를 "
            "곱해 모두 더한 값, 즉 gradᵀ · P를 받습니다.",
        ),
        (Slot("theta", "θ", _affine_grid),),
    ),
    Rule(
        "GridSampler2DBackward0",
        ("sampling an image at grid points (grid_sample)", "격자 점에서 이미지 샘플링(grid_sample)"),
        "{y} = grid_sample({x}, {g}, mode='{mode}', padding_mode='{padding}')",
        (
            "∂{y}/∂{x} = each point's interpolation weights, ∂{y}/∂{g} = the slope of the interpolation",
            "∂{y}/∂{x} = 각 점의 보간 가중치, ∂{y}/∂{g} = 보간값의 기울기",
        ),
        (
            "Each output point reads {x} at the position {g} gives ((-1, -1) top left, (1, 1) bottom right), "
            "mixing the pixels around it by how close they are. So each pixel gets grad times its weight, summed "
            "over the points that read it, and each point of {g} gets grad times how fast the mixed value changes "
            "as the position moves, scaled from pixels to grid units.{pad_en}",
            "출력의 각 점은 {g}가 주는 위치((-1, -1)이 왼쪽 위, (1, 1)이 오른쪽 아래)에서 {x}를 읽고, 주변 픽셀을 "
            "가까운 정도에 따라 섞습니다. 그래서 각 픽셀은 자기를 읽은 점들에서 grad · 가중치를 모아 받고, {g}의 "
            "각 점은 위치가 움직일 때 섞인 값이 변하는 빠르기에 grad를 곱한 값을 (픽셀 단위를 격자 단위로 바꿔) "
            "받습니다.{pad_ko}",
        ),
        (Slot("input", "x", _grid_input), Slot("grid", "g", _grid_grid)),
        params=_grid_params,
        supports=_grid_supported,
    ),
    Rule(
        "GridSampler3DBackward0",
        ("sampling a volume at grid points (grid_sample)", "격자 점에서 3차원 입력 샘플링(grid_sample)"),
        "{y} = grid_sample({x}, {g}, mode='{mode}', padding_mode='{padding}')",
        (
            "∂{y}/∂{x} = each point's interpolation weights, ∂{y}/∂{g} = the slope of the interpolation",
            "∂{y}/∂{x} = 각 점의 보간 가중치, ∂{y}/∂{g} = 보간값의 기울기",
        ),
        (
            "Each output point reads the volume {x} at the position (x, y, z) {g} gives (-1 and 1 the two ends of "
            "each axis), mixing the 8 voxels around it by how close they are ('bilinear' on a 5-D input is "
            "trilinear; 'nearest' takes the closest one). So each voxel gets grad times its weight, summed over the "
            "points that read it, and each point of {g} gets grad times how fast the mixed value changes as the "
            "position moves along each axis, scaled from voxels to grid units.{pad_en}",
            "출력의 각 점은 {g}가 주는 위치 (x, y, z)(각 축의 양 끝이 -1과 1)에서 3차원 입력 {x}를 읽고, 주변 복셀 "
            "8개를 가까운 정도에 따라 섞습니다(5차원 입력에서 'bilinear'는 삼선형 보간이고, 'nearest'는 가장 가까운 "
            "복셀 하나를 씁니다). 그래서 각 복셀은 자기를 읽은 점들에서 grad · 가중치를 모아 받고, {g}의 각 점은 "
            "위치가 각 축을 따라 움직일 때 섞인 값이 변하는 빠르기에 grad를 곱한 값을 (복셀 단위를 격자 단위로 "
            "바꿔) 받습니다.{pad_ko}",
        ),
        (Slot("input", "x", _grid_input), Slot("grid", "g", _grid_grid)),
        params=_grid_params,
        supports=_grid_supported,
    ),
)
