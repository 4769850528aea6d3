"""Shape and indexing (derivatives.yaml: view, reshape, expand, squeeze, unsqueeze, cat, stack, split, unbind,
select, slice, index, index_select, gather, clone, _to_copy): entries move or are copied, never changed, so
the gradient moves back to where each entry came from (copies summed, entries not taken get 0)."""

import dataclasses
import math
from collections.abc import Callable, Sequence

import torch
import torch.nn.functional as F
from torch import Tensor

from ..expr import NEG, Expr, Form, Mask, Num, Shown, Sym, summed_to
from ..rule import RULES, Ctx, Missing, Rule, Slot, add, signed
from .reduction import sizes

MOVE_WORDS = (
    "The values only move, so the gradient moves back to where each entry came from.",
    "값은 자리만 옮겨지므로, 그래디언트도 각 원소가 원래 있던 자리로 되돌아갑니다.",
)
PICK_WORDS = (
    "The entries taken get their gradient back in place; the entries not taken get 0.",
    "골라낸 원소는 제자리로 그래디언트를 돌려받고, 고르지 않은 원소는 0을 받습니다.",
)


def _shape_text(shape) -> str:
    return "×".join(map(str, shape)) if len(shape) else "()"


def _reshaped(ctx: Ctx) -> Expr:
    shape = sizes(ctx)
    text = f"reshape({{0}}, {_shape_text(shape)})"
    return Form(text, text, [ctx.grad], lambda g: g.reshape(shape))


def _unsqueezed(ctx: Ctx) -> Expr:
    dim = ctx.integer("dim")
    text = f"squeeze({{0}}, {dim})"
    return Form(text, text, [ctx.grad], lambda g: g.squeeze(dim))


def _placed(
    ctx: Ctx,
    where_en: str,
    where_ko: str,
    place,
    shape: tuple[int, ...] | None = None,
    nums: str | None = None,
    indices: Sequence[Tensor] = (),
) -> Expr:
    """The gradient written into zeros of the input's shape (`shape`, else the saved sizes) by `place(zeros, grad)`,
    0 elsewhere. `nums` (with `indices`, shown as `{1}`, `{2}`...): how the numbers say where, in no language."""
    shape = sizes(ctx) if shape is None else shape

    def fill(g, *_index):
        out = torch.zeros(shape, dtype=torch.float64)
        place(out, g)
        return out

    return Form(
        f"{{0}} at {where_en}, 0 elsewhere",
        f"{{0}} ({where_ko}, 나머지 0)",
        [ctx.grad, *(Shown(f"index{k}", index) for k, index in enumerate(indices))],
        fill,
        nums=nums or f"{{0}} → {where_en}",
    )


def _select(ctx: Ctx) -> Expr:
    dim, index = ctx.integer("dim"), ctx.integer("index")
    at = _select_at(ctx)
    return _placed(ctx, at, f"{at} 자리", lambda out, g: out.select(dim, index).copy_(g), nums=f"{{0}} → {at}")


def _select_at(ctx: Ctx) -> str:
    """Where a select took its entry, as Python indexes it (`[0]`, `[:, -1]`): what the code wrote, in no language."""
    return indexing(len(sizes(ctx)), ctx.integer("dim"), str(ctx.integer("index")))


def _strided(ctx: Ctx) -> tuple[tuple[int, ...], tuple[int, ...], int]:
    return (
        tuple(int(s) for s in ctx.raw("size")),
        tuple(signed(s) for s in ctx.raw("stride")),
        signed(ctx.saved.get("storage_offset") or 0),
    )


def _strided_params(ctx: Ctx) -> dict[str, object]:
    size, stride, offset = _strided(ctx)
    return {"size": list(size), "stride": list(stride), "offset": offset}


def _as_strided(ctx: Ctx) -> Expr:
    """Each entry of grad added back at the place of the input's memory it was read from (the input laid out in
    order from its start: `_reads_in_order`)."""
    size, stride, offset = _strided(ctx)

    def place(out, g):
        flat = out.view(-1)
        read = torch.arange(flat.numel()).as_strided(size, stride, offset)
        flat.index_add_(0, read.reshape(-1), g.reshape(-1))

    where = f"the places read (stride {list(stride)}, offset {offset})"
    return _placed(ctx, where, f"읽어 온 자리: 보폭 {list(stride)}, 시작 {offset}", place, ctx.input_shape(0))


def _reads_in_order(ctx: Ctx) -> bool:
    """The view's input is laid out in order from the start of its memory, so a place in memory is a place in it; an
    input the recorder does not hold (made inside an op: `torch.stft` frames the padded signal it made) is taken to
    be so, as a fresh tensor is, and the check tells if it was not."""
    source = ctx.inputs[0] if ctx.inputs else None
    if source is None:
        return ctx.input_shape(0) is not None
    return isinstance(source, torch.Tensor) and source.is_contiguous() and source.storage_offset() == 0


def _pad(ctx: Ctx) -> tuple[int, ...]:
    return tuple(signed(n) for n in ctx.raw("pad"))


def _unpad(ctx: Ctx) -> Expr:
    """constant_pad_nd's backward: the gradient padded by the negated amounts, which cuts the padding off."""
    cut = [-n for n in _pad(ctx)]
    return Form(
        "{0} without the padding",
        "{0} (덧붙인 가장자리 제외)",
        [ctx.grad],
        lambda g: torch.nn.functional.pad(g, cut),
        nums=f"pad({{0}}, {cut})",
    )


def _index_added(ctx: Ctx) -> Expr:
    """index_add's source: the rows of grad it was added to, times α (shaped as the source: a 0-dim one stays so)."""
    dim, alpha = ctx.integer("dim"), float(ctx.raw("alpha"))
    index = ctx.tensor("index").long()
    shape = ctx.input_shape(1)

    def rows(g):
        picked = g.index_select(dim, index) if g.dim() else g
        return (alpha * picked).reshape(shape) if shape is not None else alpha * picked

    factor = "" if alpha == 1 else f"{Num(alpha).label}·"
    return Form(
        f"{factor}{{0}}[index] (axis {dim})",
        f"{factor}{{0}}[index] ({dim}번 축)",
        [ctx.grad, Shown("index", index)],
        lambda g, _index: rows(g),
        nums=f"{factor}index_select({{0}}, {dim}, {{1}})",
    )


def _padding(ctx: Ctx) -> tuple[int, ...]:
    return tuple(signed(n) for n in ctx.raw("padding"))


def _copies_added(mode: str):
    """Reflection and replication padding's backward: every output entry is a copy of one input entry (which one:
    the same padding applied to the input's positions), and its gradient is added back there."""

    def grad(ctx: Ctx) -> Expr:
        x = ctx.tensor("self")
        positions = torch.arange(x.numel(), dtype=torch.float64).reshape(x.shape)
        source = torch.nn.functional.pad(positions, list(_padding(ctx)), mode=mode).round().long().reshape(-1)

        def added(g):
            out = torch.zeros(x.numel(), dtype=torch.float64).index_add_(0, source, g.reshape(-1))
            return out.reshape(x.shape)

        return Form(
            "{0} added back from every copy",
            "{0} (복사본마다 원래 원소로 더해 모음)",
            [ctx.grad],
            added,
            nums="{0} → …",
        )

    return grad


def _slice(ctx: Ctx) -> Expr:
    dim, step = ctx.integer("dim"), ctx.integer("step")
    size = sizes(ctx)[dim]
    start, end = (None if ctx.saved.get(k) is None else signed(ctx.saved[k]) for k in ("start", "end"))
    start, end, _ = slice(start, end, step).indices(size)
    at = _slice_at(ctx)

    def place(out, g):
        index = [slice(None)] * out.dim()
        index[dim] = slice(start, end, step)
        out[tuple(index)] = g

    return _placed(ctx, at, f"{at} 자리", place, nums=f"{{0}} → {at}")


def _slice_at(ctx: Ctx) -> str:
    """Where a slice took its entries, as Python indexes it (`[1:3]`, `[:, :2]`), its ends as numbers, an end at the
    axis's own end left out as the code writes it (`x[1:]` was said `x[1:3]`)."""
    shape, dim, step = sizes(ctx), ctx.integer("dim"), ctx.integer("step")
    start, end = (None if ctx.saved.get(k) is None else signed(ctx.saved[k]) for k in ("start", "end"))
    start, end, _ = slice(start, end, step).indices(shape[dim])
    ends = f"{start or ''}:{'' if end == shape[dim] else end}"
    return indexing(len(shape), dim, ends + (f":{step}" if step != 1 else ""))


def _index(ctx: Ctx) -> Expr:
    indices = ctx.raw("indices")
    listed = [None if i is None else i.detach() for i in indices]
    if any(i is not None and i.dtype not in (torch.int64, torch.int32, torch.bool, torch.uint8) for i in listed):
        raise Missing("an index of a kind gradwalk does not read", "gradwalk가 읽지 못하는 종류의 인덱스입니다")

    def put(out, g):  # (aten's index_put_ takes None for an axis taken whole, `x[:, [0, 0, 1]]`; Tensor's does not)
        torch.ops.aten.index_put_(out, listed, g, True)

    numbered = iter(range(1, len(listed) + 1))
    at = ", ".join(":" if i is None else f"{{{next(numbered)}}}" for i in listed)
    shown = [i for i in listed if i is not None]
    where = ("the indexed positions (repeats added)", "인덱스가 가리킨 자리, 겹치면 더함")
    return _placed(ctx, *where, put, nums=f"{{0}} → [{at}]", indices=shown)


def _index_select(ctx: Ctx) -> Expr:
    dim, index = ctx.integer("dim"), ctx.tensor("index").long()
    return _placed(
        ctx,
        f"the chosen rows of axis {dim} (repeats added)",
        f"{dim}번 축에서 고른 자리, 겹치면 더함",
        lambda out, g: out.index_add_(dim, index, g),
        nums="{0} → " + indexing(len(sizes(ctx)), dim, "{1}"),
        indices=[index],
    )


def _gather(ctx: Ctx) -> Expr:
    if ctx.saved.get("sparse_grad"):
        raise Missing("a sparse gradient", "희소(sparse) 그래디언트입니다")
    dim, index = ctx.integer("dim"), ctx.tensor("index").long()
    x = ctx.tensor("self")

    def fill(g):
        return torch.zeros(x.shape, dtype=torch.float64).scatter_add_(dim, index, g)

    return Form(
        f"{{0}} scattered back along axis {dim} (repeats added)",
        f"{{0}} ({dim}번 축을 따라 원래 자리로, 겹치면 더함)",
        [ctx.grad, Shown("index", index)],
        lambda g, _index: fill(g),
        nums="{0} → index {1}",
    )


def _cat_slots(ctx: Ctx) -> tuple[Slot, ...]:
    dim = ctx.integer("dim")
    lengths = []
    for slot in range(ctx.slot_count()):
        shape = ctx.input_shape(slot)
        if shape is None:
            raise Missing("the shape of an input that got no gradient", "그래디언트를 받지 않은 입력의 모양")
        lengths.append(0 if shape == (0,) else shape[dim])
    slots, start = [], 0
    for slot, length in enumerate(lengths):
        slots.append(Slot(f"tensors[{slot}]", f"x{slot}", _narrow(dim, start, length)))
        start += length
    return tuple(slots)


def indexing(rank: int, dim: int, item: str) -> str:
    """`item` taken along axis `dim` of a tensor of `rank` axes, as Python indexes it: `[1:3]` along axis 0,
    `[:, 1:3]` along axis 1, `[..., 1:3]` along the last of three or more (the numbers' `[[0, 1], [2, 3]][0]` would read
    as the first row even when the first column was meant)."""
    axis = dim % rank if rank else 0
    if axis == 0:
        return f"[{item}]"
    if axis == rank - 1 and rank > 2:
        return f"[..., {item}]"
    return "[" + ":, " * axis + item + "]"


def _rank(expr: Expr) -> int:
    value = expr.value()
    return value.dim() if isinstance(value, Tensor) else 0


def _narrow(dim: int, start: int, length: int):
    def grad(ctx: Ctx) -> Expr:
        text = f"{{0}}[{start}:{start + length} of axis {dim}]"
        text_ko = f"{{0}}[{dim}번 축의 {start}:{start + length}]"
        nums = "{0}" + indexing(_rank(ctx.grad), dim, f"{start}:{start + length}")
        return Form(text, text_ko, [ctx.grad], lambda g: g.narrow(dim, start, length), nums=nums)

    return grad


def selected(grad: Expr, dim: int, index: int) -> Expr:
    """`grad[index]` along axis `dim` (what one slice of a stack, or one placed entry, gets back)."""
    return Form(
        f"{{0}}[{index} of axis {dim}]",
        f"{{0}}[{dim}번 축의 {index}]",
        [grad],
        lambda g: g.select(dim, index),
        nums="{0}" + indexing(_rank(grad), dim, str(index)),
    )


def _stack_slots(ctx: Ctx) -> tuple[Slot, ...]:
    dim = ctx.integer("dim")

    def pick(index: int):
        return lambda c: selected(c.grad, dim, index)

    return tuple(Slot(f"tensors[{i}]", f"x{i}", pick(i)) for i in range(ctx.slot_count()))


def _outputs(ctx: Ctx) -> list[Expr | None]:
    """The gradients of every output of a split/unbind (zeros where an output got none)."""
    return [
        Sym(f"grad{i}", g.detach().to(torch.float64)) if g is not None else None for i, g in enumerate(ctx.grad_outputs)
    ]


def _split(ctx: Ctx) -> Expr:
    dim, shape = ctx.integer("dim"), sizes(ctx)
    dim %= len(shape)
    if "split_sizes" in ctx.saved:
        lengths = [signed(s) for s in ctx.raw("split_sizes")]
    else:
        size = ctx.integer("split_size")
        lengths = [min(size, shape[dim] - s) for s in range(0, shape[dim], size)] or [0]
    return _joined(ctx, dim, lengths, "cat")


def _split_params(ctx: Ctx) -> dict[str, object]:
    """What split was given: the pieces' size (or sizes) and the axis."""
    if "split_sizes" in ctx.saved:
        return {"sizes": [signed(s) for s in ctx.raw("split_sizes")], "dim": ctx.integer("dim")}
    return {"size": ctx.integer("split_size"), "dim": ctx.integer("dim")}


def _unbind(ctx: Ctx) -> Expr:
    dim = ctx.integer("dim")
    return _joined(ctx, dim, None, "stack")


def _joined(ctx: Ctx, dim: int, lengths, how: str) -> Expr:
    grads = _outputs(ctx)
    known = [g for g in grads if g is not None]
    if not known:
        raise Missing("no output gradient was recorded", "출력 그래디언트가 기록되지 않았습니다")
    template = known[0].value()
    parts: list[Expr] = []
    for i, g in enumerate(grads):
        if g is None:
            shape = list(template.shape)
            if lengths is not None:
                shape[dim] = lengths[i]
            g = Sym("0", torch.zeros(shape, dtype=torch.float64))
        parts.append(g)
    placeholders = ", ".join(f"{{{i}}}" for i in range(len(parts)))
    text = f"{how}([{placeholders}], {dim})"

    def join(*values):
        return torch.cat(values, dim) if how == "cat" else torch.stack(values, dim)

    return Form(text, text, parts, join)


def _max_pool(ctx: Ctx, axes: int = 2) -> Expr:
    x, indices = ctx.tensor("self"), ctx.tensor("result1").long()  # result1: the argmax indices
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


SQUEEZE = ("squeeze", "크기 1인 축 없애기")
SPLIT_WORDS = (
    "The pieces' gradients are joined back in order (0 for a piece that got none).",
    "조각들의 그래디언트를 순서대로 다시 이어 붙입니다(그래디언트를 받지 못한 조각은 0).",
)


def _dim_param(ctx: Ctx) -> dict[str, object]:
    """The axis (or axes) the code gave, as it wrote them (negative ones too)."""
    dim = ctx.raw("dim")
    return {"dim": dim[0] if isinstance(dim, tuple) and len(dim) == 1 else dim}


def _view_shape(ctx: Ctx) -> dict[str, object]:
    """The shape a view made, as view's arguments (`2, 3`: what `view(-1, 3)` asked for, worked out): its output's,
    which the gradient it received has; `…` where it received none."""
    shape = getattr(ctx.grad_outputs[0], "shape", None) if ctx.grad_outputs else None
    return {"shape": "…" if shape is None else ", ".join(map(str, shape)) or "()"}


def one(node, title, forward, local, words, grad, params=None) -> Rule:
    return Rule(node, title, forward, local, words, (Slot("self", "x", grad),), params=params)


def _same(ctx: Ctx) -> Expr:
    return ctx.grad


def _expand(ctx: Ctx) -> Expr:
    return summed_to(ctx.grad, sizes(ctx))


RESHAPE = ("reshape", "모양 바꾸기")
add(
    one(
        "ViewBackward0",
        ("view (reshape)", "view(모양 바꾸기)"),
        "{y} = {x}.view({shape})",
        "grad_{x} = reshape(grad)",
        MOVE_WORDS,
        _reshaped,
        _view_shape,
    ),
    one("UnsafeViewBackward0", RESHAPE, "{y} = reshape({x})", "grad_{x} = reshape(grad)", MOVE_WORDS, _reshaped),
    *(
        one(node, SQUEEZE, "{y} = squeeze({x})", "grad_{x} = reshape(grad)", MOVE_WORDS, _reshaped)
        for node in ("SqueezeBackward0", "SqueezeBackward3")  # (squeeze, squeeze_)
    ),
    *(  # (squeeze(dim), squeeze(dims), squeeze_(dim), squeeze_(dims))
        one(node, SQUEEZE, "{y} = squeeze({x}, {dim})", "grad_{x} = reshape(grad)", MOVE_WORDS, _reshaped, _dim_param)
        for node in ("SqueezeBackward1", "SqueezeBackward2", "SqueezeBackward4", "SqueezeBackward5")
    ),
    one(
        "UnsqueezeBackward0",
        ("unsqueeze", "크기 1인 축 넣기"),
        "{y} = unsqueeze({x}, {dim})",
        "grad_{x} = squeeze(grad, {dim})",
        MOVE_WORDS,
        _unsqueezed,
        params=lambda c: {"dim": c.raw("dim")},
    ),
    one(
        "ExpandBackward0",
        ("expand (broadcast)", "expand(브로드캐스팅)"),
        "{y} = {x}.expand({shape})",
        ("grad_{x} = Σ grad over the copies", "grad_{x} = 복사본들의 grad를 모두 더한 Σ grad"),
        (
            "Each entry of {x} was copied several times; the copies' gradients are summed back (Σ).",
            "{x}의 각 원소가 여러 번 복사되었으므로, 복사본들의 그래디언트를 모두 더해(Σ) 돌려줍니다.",
        ),
        _expand,
        _view_shape,  # (the shape it made, as expand's arguments: `x.expand(2, 3)`, not `x.expand(…)`)
    ),
    one(
        "CloneBackward0",
        ("copy", "복사"),
        "{y} = {x}.clone()",
        "∂{y}/∂{x} = 1",
        ("A copy passes the gradient on unchanged.", "복사본은 그래디언트를 그대로 전달합니다."),
        _same,
    ),
    one(
        "AliasBackward0",
        ("alias", "별칭"),
        "{y} = {x}",
        "∂{y}/∂{x} = 1",
        (
            "The same values under another name: the gradient passes on unchanged.",
            "같은 값을 다른 이름으로 부를 뿐이므로 그래디언트를 그대로 전달합니다.",
        ),
        _same,
    ),
    one(
        "ToCopyBackward0",
        ("dtype or device conversion", "dtype/장치 변환"),
        "{y} = {x}.to(…)",
        "∂{y}/∂{x} = 1",
        (
            "A conversion keeps the values, so the gradient passes on (converted back).",
            "변환은 값을 유지하므로 그래디언트를 (원래 형식으로 바꿔) 그대로 전달합니다.",
        ),
        _same,
    ),
    one(
        "SelectBackward0",
        ("picking one index", "인덱스 하나 고르기"),
        "{y} = {x}{at}",
        ("grad_{x} = grad at {at}, 0 elsewhere", "grad_{x} = {at} 자리는 grad, 나머지는 0"),
        PICK_WORDS,
        _select,
        params=lambda c: {"at": _select_at(c)},
    ),
    Rule(
        "AsStridedBackward0",
        ("a strided view (as_strided)", "보폭으로 읽은 뷰(as_strided)"),
        (
            "{y} = {x} read in memory with size {size}, stride {stride}, offset {offset}",
            "{y} = {x}의 메모리를 크기 {size}, 보폭 {stride}, 시작 위치 {offset}로 읽은 뷰",
        ),
        (
            "grad_{x} = grad added back where each entry was read, 0 where nothing was read",
            "grad_{x} = 각 원소를 읽어 온 자리에 grad를 더해 돌려놓고, 읽지 않은 자리는 0",
        ),
        (
            "This view reads {x}'s memory directly: `as_strided` in the code, or the view PyTorch rebuilds this way "
            "to replay an in-place change made through a view (see CopySlices). Each entry of grad goes back to the "
            "place of {x} it was read from; a place read several times gets the sum, a place never read gets 0.",
            "이 뷰는 {x}의 메모리를 직접 읽습니다. 코드의 `as_strided`이거나, 뷰를 거친 제자리(in-place) 연산을 "
            "역전파에서 되풀이하려고 PyTorch가 이렇게 다시 만든 뷰입니다(CopySlices 참고). grad의 각 원소는 {x}에서 "
            "읽어 온 자리로 돌아가고, 여러 번 읽은 자리는 그 합을, 한 번도 읽지 않은 자리는 0을 받습니다.",
        ),
        (Slot("self", "x", _as_strided),),
        params=_strided_params,
        supports=_reads_in_order,
    ),
    one(
        "ConstantPadNdBackward0",
        ("padding with a constant", "상수로 채우기(pad)"),
        ("{y} = {x} with {pad} more entries at the edges (pad)", "{y} = 가장자리에 {pad}만큼 원소를 덧붙인 {x}(pad)"),
        ("grad_{x} = grad with the padding cut off", "grad_{x} = 덧붙인 가장자리를 잘라 낸 grad"),
        (
            "The added entries were constants, not {x}: the gradient of the padding is dropped and each entry of "
            "{x} gets grad from its own place (a negative pad cropped {x}: the cropped entries get 0).",
            "덧붙인 원소는 {x}가 아니라 상수이므로, 가장자리의 그래디언트는 버리고 {x}의 각 원소는 자기 자리의 grad를 "
            "받습니다(음수 pad로 잘라 낸 원소는 0을 받습니다).",
        ),
        _unpad,
        params=lambda c: {"pad": list(_pad(c))},
    ),
    Rule(
        "IndexAddBackward0",
        ("adding slices at given indices (index_add)", "정해진 인덱스에 조각 더하기(index_add)"),
        (
            "{y} = {x} with α·{s} added at the places index names (axis {dim})",
            "{y} = index가 가리키는 자리({dim}번 축)에 α·{s}를 더한 {x}",
        ),
        ("∂L/∂{x} = grad, ∂L/∂{s} = α·grad[index]", "∂L/∂{x} = grad, ∂L/∂{s} = α·grad[index]"),
        (
            "{x} passed through unchanged, so it gets grad; each slice of {s} along axis {dim} was added (times α) "
            "at one place of the output, so it gets back grad at that place (times α).",
            "{x}는 그대로 지나갔으므로 grad를 받고, {dim}번 축을 따라 자른 {s}의 각 조각은 출력의 한 자리에 (α배로) "
            "더해졌으므로 그 자리의 grad를 (α배로) 돌려받습니다.",
        ),
        (Slot("self", "x", lambda c: c.grad), Slot("source", "s", _index_added)),
        params=lambda c: {"dim": c.integer("dim")},
    ),
    *(
        one(
            f"{kind}Pad{rank}DBackward0",
            title,
            (
                f"{{y}} = {{x}} padded by {how_en} (padding {{pad}})",
                f"{{y}} = {how_ko} 채운 {{x}}(패딩 {{pad}})",
            ),
            (
                "grad_{x} = grad of each entry plus the grad of every copy made of it",
                "grad_{x} = 각 원소의 grad + 그 원소의 복사본들이 받은 grad",
            ),
            (
                f"The padding is made of copies of {{x}}'s entries ({how_en}), so each entry of {{x}} gets its own "
                "grad plus the grad of every copy made of it.",
                f"패딩은 {{x}}의 원소를 복사한 것이므로({how_ko}), {{x}}의 각 원소는 자기 자리의 grad에 자신의 "
                "복사본들이 받은 grad를 모두 더해 받습니다.",
            ),
            _copies_added(mode),
            params=lambda c: {"pad": list(_padding(c))},
        )
        for kind, mode, title, how_en, how_ko in (
            (
                "Reflection",
                "reflect",
                ("padding by reflection", "거울처럼 채우기(reflect 패딩)"),
                "mirroring across the edge",
                "가장자리를 기준으로 거울처럼",
            ),
            (
                "Replication",
                "replicate",
                ("padding by repeating the edge", "가장자리 반복으로 채우기(replicate 패딩)"),
                "repeating the edge entry",
                "가장자리 원소를 반복해",
            ),
        )
        for rank in (1, 2, 3)
    ),
    one(
        "SliceBackward0",
        ("slicing", "슬라이싱"),
        "{y} = {x}{at}",
        ("grad_{x} = grad at {at}, 0 elsewhere", "grad_{x} = {at} 자리는 grad, 나머지는 0"),
        PICK_WORDS,
        _slice,
        params=lambda c: {"at": _slice_at(c)},
    ),
    one(
        "IndexBackward0",
        ("indexing", "인덱싱"),
        "{y} = {x}[indices]",
        ("grad_{x} = grad at the indexed positions, 0 elsewhere", "grad_{x} = 인덱스로 고른 자리는 grad, 나머지는 0"),
        (
            PICK_WORDS[0] + " An entry picked several times gets the sum of its copies' gradients.",
            PICK_WORDS[1] + " 여러 번 골라진 원소는 그 복사본들의 그래디언트를 모두 더해 받습니다.",
        ),
        _index,
    ),
    one(
        "IndexSelectBackward0",
        ("index_select", "index_select"),
        "{y} = index_select({x}, {dim}, index)",
        ("grad_{x} = grad added back at the chosen rows", "grad_{x} = 골랐던 행 자리에 grad를 더해 돌려놓음"),
        PICK_WORDS,
        _index_select,
        params=lambda c: {"dim": c.raw("dim")},
    ),
    one(
        "GatherBackward0",
        ("gather", "gather"),
        "{y} = gather({x}, {dim}, index)",
        (
            "grad_{x} = scatter_add(grad) back to where each entry came from",
            "grad_{x} = scatter_add(grad): 각 원소가 왔던 자리로 돌려보냄",
        ),
        PICK_WORDS,
        _gather,
        params=lambda c: {"dim": c.raw("dim")},
    ),
    *(
        one(node, ("split", "나누기"), forward, "grad_{x} = cat(grads)", SPLIT_WORDS, _split, params=_split_params)
        for node, forward in (
            ("SplitBackward0", "{y} = split({x}, {size}, {dim})"),
            ("SplitWithSizesBackward0", "{y} = split({x}, {sizes}, {dim})"),
            ("UnsafeSplitBackward0", "{y} = split({x}, {size}, {dim})"),
            ("UnsafeSplitWithSizesBackward0", "{y} = split({x}, {sizes}, {dim})"),
        )
    ),
    one(
        "MaxPool2DWithIndicesBackward0",
        ("max pooling", "최대 풀링"),
        "{y} = max_pool({x})",
        ("grad_{x} = grad at each window's max, 0 elsewhere", "grad_{x} = 각 창의 최댓값 자리는 grad, 나머지는 0"),
        (
            "Each window's gradient goes to the entry that was its maximum (its index was saved); the others get 0; an "
            "entry that won several windows gets the sum.",
            "각 창(window)의 그래디언트는 그 창의 최댓값이었던 원소(저장된 인덱스)로 가고, 나머지는 0을 "
            "받습니다. 여러 창에서 최댓값이었던 원소는 그 그래디언트를 모두 더해 받습니다.",
        ),
        _max_pool,
    ),
    one(
        "UnbindBackward0",
        ("unbind", "풀어 나누기"),
        "{y} = unbind({x}, {dim})",
        "grad_{x} = stack(grads)",
        (
            "The slices' gradients are stacked back (0 for a slice that got none).",
            "조각들의 그래디언트를 다시 쌓습니다(그래디언트를 받지 못한 조각은 0).",
        ),
        _unbind,
        params=lambda c: {"dim": c.integer("dim")},
    ),
    Rule(
        "CatBackward0",
        ("concatenation", "이어 붙이기"),
        ("{y} = cat([…], axis {dim})", "{y} = cat([…], {dim}번 축)"),
        ("grad of each input = its part of grad", "각 입력의 그래디언트 = grad에서 자기 부분"),
        (
            "Each input gets back the part of the gradient where its entries were placed.",
            "각 입력은 자기 원소들이 놓였던 부분의 그래디언트를 돌려받습니다.",
        ),
        _cat_slots,
        params=lambda c: {"dim": c.raw("dim")},
    ),
    Rule(
        "StackBackward0",
        ("stacking", "쌓기"),
        ("{y} = stack([…], axis {dim})", "{y} = stack([…], {dim}번 축)"),
        ("grad of input i = grad[i]", "i번 입력의 그래디언트 = grad[i]"),
        ("Each input gets back its own slice of the gradient.", "각 입력은 그래디언트에서 자기 조각을 돌려받습니다."),
        _stack_slots,
        params=lambda c: {"dim": c.raw("dim")},
    ),
)


# -- index_put, diag_embed ----------------------------------------------------------------------------------------


def _put_indices(ctx: Ctx) -> list:
    listed = [None if i is None else i.detach() for i in ctx.raw("indices")]
    if any(i is not None and i.dtype not in (torch.int64, torch.int32, torch.bool, torch.uint8) for i in listed):
        raise Missing("an index of a kind gradwalk does not read", "gradwalk가 읽지 못하는 종류의 인덱스입니다")
    return listed


def _put_self(ctx: Ctx) -> Expr:
    """index_put (derivatives.yaml): the tensor written into gets grad, but 0 at the positions overwritten (they
    no longer hold its values); added into (accumulate=True), every position still holds its value: grad."""
    if bool(ctx.raw("accumulate")):
        return ctx.grad
    listed = _put_indices(ctx)
    kept = torch.ops.aten.index_put(
        torch.ones(ctx.grad_tensor().shape, dtype=torch.float64), listed, torch.zeros((), dtype=torch.float64)
    )
    return ctx.grad * Mask("1[not overwritten]", kept, "1[덮어쓰지 않은 자리]")


def _put_values(ctx: Ctx) -> Expr:
    """index_put (derivatives.yaml: grad.index(indices)): each value gets the gradient of the position it was put
    in, summed back to the values' shape where they were broadcast."""
    listed = _put_indices(ctx)
    taken = Form("{0}[indices]", "{0}[indices]", [ctx.grad], lambda g: torch.ops.aten.index(g, listed))
    shape = ctx.input_shape(1)
    return taken if shape is None else summed_to(taken, shape)


def _diagonal(ctx: Ctx) -> Expr:
    offset, dim1, dim2 = (ctx.integer(k) for k in ("offset", "dim1", "dim2"))
    text = f"diagonal({{0}}, {offset}, {dim1}, {dim2})"
    return Form(text, text, [ctx.grad], lambda g: g.diagonal(offset, dim1, dim2))


add(
    Rule(
        "IndexPutBackward0",
        ("writing at indices (index_put)", "인덱스 자리에 쓰기(index_put)"),
        ("{y} = {x} with {y}[indices] = {v}{added}", "{y} = {x}의 indices 자리에 {v}를 {added_ko} 텐서"),
        (
            "∂{y}/∂{x} = 1 where not overwritten, ∂{y}[indices]/∂{v} = 1",
            "∂{y}/∂{x} = 덮어쓰지 않은 자리는 1, ∂{y}[indices]/∂{v} = 1",
        ),
        (
            "The positions written hold {v} now, not {x}: each value of {v} gets the gradient of the position it "
            "went to (added back to its shape where it was broadcast), and {x} gets the gradient everywhere else "
            "(everywhere, when the values were added in with accumulate=True).",
            "쓰인 자리에는 이제 {x}의 값 대신 {v}의 값이 들어 있습니다. 그래서 {v}의 각 값은 자기가 들어간 자리의 "
            "그래디언트를 받고(브로드캐스팅되었으면 원래 모양으로 더해서), {x}에는 나머지 자리의 그래디언트가 "
            "전달됩니다(accumulate=True로 더해 넣었으면 모든 자리의 그래디언트).",
        ),
        (Slot("self", "x", _put_self), Slot("values", "v", _put_values)),
        params=lambda c: {
            "added": " (added in)" if bool(c.raw("accumulate")) else "",
            "added_ko": "더해 넣은" if bool(c.raw("accumulate")) else "쓴",
        },
    ),
    one(
        "DiagEmbedBackward0",
        ("embedding on a diagonal (diag_embed)", "대각선에 놓기(diag_embed)"),
        "{y} = diag_embed({x}, {offset}, {dim1}, {dim2})",
        (
            "∂{y}/∂{x}: each entry of {x} sits at one place of {y}'s diagonal",
            "∂{y}/∂{x}: {x}의 각 원소는 {y}의 대각선 위 한 자리에 놓임",
        ),
        (
            "The entries of {x} were placed on a diagonal of {y} (everything else 0), so each gets back the gradient "
            "of its place: the diagonal of grad.",
            "{x}의 원소들은 {y}의 대각선에 놓였으므로(나머지는 0), 각 원소는 자기 자리의 그래디언트, 즉 grad의 "
            "대각선을 돌려받습니다.",
        ),
        _diagonal,
        params=lambda c: {k: c.integer(k) for k in ("offset", "dim1", "dim2")},
    ),
)


# -- in-place transposes and unsqueeze, _reshape_alias, flip, roll, repeat, triu/tril, diagonal, topk, sort -------


def _t(ctx: Ctx) -> Expr:
    return ctx.grad.T if ctx.grad_tensor().dim() == 2 else ctx.grad


def _transposed(ctx: Ctx) -> Expr:
    a, b = ctx.integer("dim0"), ctx.integer("dim1")
    text = f"transpose({{0}}, {a}, {b})"
    return Form(text, text, [ctx.grad], lambda g: g.transpose(a, b))


def _flip(ctx: Ctx) -> Expr:
    axes = tuple(signed(d) for d in ctx.raw("dims"))
    text = f"flip({{0}}, {axes})"
    return Form(text, text, [ctx.grad], lambda g: g.flip(axes))


def _roll(ctx: Ctx) -> Expr:
    """roll (derivatives.yaml): grad rolled back, every shift negated."""
    shifts = [signed(s) for s in ctx.raw("shifts")]
    axes = [signed(d) for d in ctx.raw("dims")]
    back = [-s for s in shifts]
    text = f"roll({{0}}, {tuple(back)}, {tuple(axes)})" if axes else f"roll({{0}}, {back[0]})"
    return Form(text, text, [ctx.grad], lambda g: g.roll(back, axes) if axes else g.roll(back[0]))


def _repeat(ctx: Ctx) -> Expr:
    """repeat_backward: grad cut into its copies of {x} (a block per repeat, leading new axes too), summed."""
    repeats = [signed(r) for r in ctx.raw("repeats")]
    shape = sizes(ctx)
    lead = len(repeats) - len(shape)
    full = (1,) * lead + shape

    def fold(g):
        split = []
        for r, s in zip(repeats, full, strict=True):
            split += [r, s]
        return g.reshape(split).sum(dim=tuple(range(0, 2 * len(full), 2))).reshape(shape)

    return Form(
        "Σ over the copies of {0}",
        "{0}의 복사본들을 모두 더한 Σ",
        [ctx.grad],
        fold,
        nums=f"Σ[repeat{tuple(repeats)}] {{0}}".replace(",)", ")"),
        prec=NEG,
        bound=fold,
    )


def _triangle(which: str):
    def grad(ctx: Ctx) -> Expr:
        k = ctx.integer("diagonal")
        text = f"{which}({{0}}, {k})"
        return Form(text, text, [ctx.grad], lambda g: getattr(g, which)(k))

    return grad


def _diagonal_back(ctx: Ctx) -> Expr:
    """diagonal_backward: grad written on the same diagonal of zeros of the input's shape."""
    offset, dim1, dim2 = (ctx.integer(k) for k in ("offset", "dim1", "dim2"))
    shape = sizes(ctx)

    def fill(g):
        out = torch.zeros(shape, dtype=torch.float64)
        out.diagonal(offset, dim1, dim2).copy_(g)
        return out

    return Form(
        f"{{0}} on the diagonal (offset {offset}, axes {dim1}, {dim2}), 0 elsewhere",
        f"{{0}} (오프셋 {offset}, {dim1}번·{dim2}번 축의 대각선 자리, 나머지 0)",
        [ctx.grad],
        fill,
        nums="{0} → diagonal",
    )


def _chosen(ctx: Ctx) -> Expr:
    """value_selecting_reduction_backward (keepdim): grad scattered back to the positions `indices` names."""
    shape = sizes(ctx)
    written = ctx.integer("dim")  # (as the code wrote it, as the words say it)
    axis = written % max(len(shape), 1)
    indices = ctx.tensor("indices").long()

    def fill(g):
        if not shape:
            return g.reshape(())
        return torch.zeros(shape, dtype=torch.float64).scatter_(axis, indices, g)

    return Form(
        f"{{0}} scattered back to the saved indices along axis {written}, 0 elsewhere",
        f"{{0}} ({written}번 축에서 저장된 인덱스 자리로, 나머지 0)",
        [ctx.grad, Shown("indices", indices)],
        lambda g, _indices: fill(g),
        nums="{0} → indices {1}",
    )


TRANSPOSE_WORDS = (
    "Transposing in place moves entries without changing them, so the gradient is transposed back.",
    "제자리 전치는 값을 바꾸지 않고 자리만 옮기므로, 그래디언트도 다시 전치해 돌려줍니다.",
)
CHOSEN_WORDS = (
    "The output's entries are entries of {x} (their positions along axis {dim} were saved as indices): each gets "
    "its gradient back at the place it came from, and the entries not taken get 0.",
    "출력의 원소들은 {x}의 원소를 골라 온 것이므로({dim}번 축에서의 자리가 인덱스로 저장됨), 각 원소는 원래 자리로 "
    "그래디언트를 돌려받고, 고르지 않은 원소는 0을 받습니다.",
)
add(
    one(
        "TBackward1",
        ("transpose in place", "제자리 전치"),
        "{y} = {x}.t_()",
        "grad_{x} = gradᵀ",
        TRANSPOSE_WORDS,
        _t,
    ),
    one(
        "TransposeBackward1",
        ("swapping two axes in place", "제자리에서 두 축 바꾸기"),
        "{y} = {x}.transpose_({d0}, {d1})",
        "grad_{x} = transpose(grad, {d0}, {d1})",
        (
            "Swapping axes in place moves entries without changing them, so the gradient's axes are swapped back.",
            "제자리에서 축을 바꾸는 연산은 값을 옮기기만 하므로, 그래디언트의 축을 다시 바꿔 돌려줍니다.",
        ),
        _transposed,
        params=lambda c: {"d0": c.integer("dim0"), "d1": c.integer("dim1")},
    ),
    one(
        "UnsqueezeBackward1",
        ("unsqueeze in place", "제자리에서 크기 1인 축 넣기"),
        "{y} = {x}.unsqueeze_({dim})",
        "grad_{x} = squeeze(grad, {dim})",
        MOVE_WORDS,
        _unsqueezed,
        params=lambda c: {"dim": c.integer("dim")},
    ),
    one(
        "ReshapeAliasBackward0",
        RESHAPE,
        "{y} = reshape({x})",
        "grad_{x} = reshape(grad)",
        MOVE_WORDS,
        _reshaped,
    ),
    one(
        "FlipBackward0",
        ("flip", "뒤집기"),
        "{y} = flip({x}, {dims})",
        "grad_{x} = flip(grad, {dims})",
        (
            "Flipping moves entries without changing them, so the gradient is flipped back along the same axes.",
            "뒤집기는 값을 바꾸지 않고 자리만 옮기므로, 그래디언트도 같은 축을 따라 다시 뒤집어 돌려줍니다.",
        ),
        _flip,
        params=lambda c: {"dims": tuple(signed(d) for d in c.raw("dims"))},
    ),
    one(
        "RollBackward0",
        ("roll", "굴리기(roll)"),
        "{y} = roll({x}, {shifts}, {dims})",
        "grad_{x} = roll(grad, {back}, {dims})",
        (
            "Rolling moves entries around without changing them, so the gradient is rolled back the other way.",
            "굴리기는 값을 바꾸지 않고 자리만 돌려 옮기므로, 그래디언트를 반대 방향으로 굴려 돌려줍니다.",
        ),
        _roll,
        params=lambda c: {
            "shifts": tuple(signed(s) for s in c.raw("shifts")),
            "back": tuple(-signed(s) for s in c.raw("shifts")),
            "dims": tuple(signed(d) for d in c.raw("dims")),
        },
    ),
    one(
        "RepeatBackward0",
        ("repeat (tiling)", "반복(repeat)"),
        "{y} = {x}.repeat{repeats}",
        ("grad_{x} = Σ grad over the copies", "grad_{x} = 복사본들의 grad를 모두 더한 Σ grad"),
        (
            "{y} holds several copies of {x} side by side; each entry of {x} gets the sum of its copies' gradients.",
            "{y}에는 {x}의 복사본이 나란히 여러 개 들어 있으므로, {x}의 각 원소는 자기 복사본들의 그래디언트를 모두 "
            "더해 받습니다.",
        ),
        _repeat,
        params=lambda c: {"repeats": tuple(signed(r) for r in c.raw("repeats"))},
    ),
    *(
        one(
            node,
            title,
            f"{{y}} = {which}({{x}}, {{k}})",
            (f"grad_{{x}} = {which}(grad, {{k}}): {kept_en}", f"grad_{{x}} = {which}(grad, {{k}}): {kept_ko}"),
            (
                f"The entries kept ({kept_en}) pass their gradient on; the entries set to 0 get 0.",
                f"남긴 원소({kept_ko})는 그래디언트를 그대로 전달하고, 0으로 바꾼 원소는 0을 받습니다.",
            ),
            _triangle(which),
            params=lambda c: {"k": c.integer("diagonal")},
        )
        for node, which, title, kept_en, kept_ko in (
            (
                "TriuBackward0",
                "triu",
                ("upper triangle", "위 삼각 부분"),
                "on and above diagonal {k}",
                "{k}번 대각선과 그 위",
            ),
            (
                "TrilBackward0",
                "tril",
                ("lower triangle", "아래 삼각 부분"),
                "on and below diagonal {k}",
                "{k}번 대각선과 그 아래",
            ),
        )
    ),
    *(
        one(
            node,
            ("taking a diagonal", "대각선 꺼내기"),
            "{y} = diagonal({x}, {offset}, {dim1}, {dim2})",
            ("grad_{x} = grad on that diagonal, 0 elsewhere", "grad_{x} = 그 대각선 자리는 grad, 나머지는 0"),
            (
                "The diagonal's entries get their gradient back in place; the entries off it get 0.",
                "대각선의 원소들은 제자리로 그래디언트를 돌려받고, 대각선 밖의 원소는 0을 받습니다.",
            ),
            _diagonal_back,
            params=lambda c: {k: c.integer(k) for k in ("offset", "dim1", "dim2")},
        )
        for node in ("DiagonalBackward0", "DiagonalBackward0_copy")
    ),
    one(
        "TopkBackward0",
        ("top-k", "상위 k개(top-k)"),
        ("{y} = topk({x}, k) along axis {dim}", "{y} = topk({x}, k) ({dim}번 축 방향)"),
        ("grad_{x} = grad at the k chosen entries, 0 elsewhere", "grad_{x} = 고른 k개 자리는 grad, 나머지는 0"),
        CHOSEN_WORDS,
        _chosen,
        params=lambda c: {"dim": c.integer("dim")},
    ),
    *(
        one(
            node,
            ("sorting", "정렬"),
            ("{y} = sort({x}) along axis {dim}", "{y} = sort({x}) ({dim}번 축 방향)"),
            (
                "grad_{x} = grad put back at each entry's original place",
                "grad_{x} = 각 원소의 원래 자리로 grad를 되돌려 놓음",
            ),
            (
                "Sorting only reorders the entries (each one's original place along axis {dim} was saved as indices), "
                "so each gets its gradient back at the place it came from.",
                "정렬은 원소의 순서만 바꾸므로({dim}번 축에서의 원래 자리가 인덱스로 저장됨), 각 원소는 원래 자리로 "
                "그래디언트를 돌려받습니다.",
            ),
            _chosen,
            params=lambda c: {"dim": c.integer("dim")},
        )
        for node in ("SortBackward0", "SortBackward1")
    ),
)


# view_as_real / view_as_complex: the same memory read as pairs of reals or as complex numbers. The rules' values are
# real, so the complex side is written, not computed: these slots are never checked (the words say why).
def _complex_view(en: str, ko: str) -> Expr:
    from ..node import COMPLEX
    from .special import Unknown

    return Unknown(en, ko, COMPLEX)


add(
    Rule(
        "ViewAsRealBackward0",
        ("complex numbers viewed as pairs of reals", "복소수를 실수 쌍으로 보기"),
        "{y} = view_as_real({z}): {y}[..., 0] = Re {z}, {y}[..., 1] = Im {z}",
        "grad_{z} = grad[..., 0] + i·grad[..., 1]",
        (
            "No value changes: the last axis of {y} holds each number's real and imaginary parts, so the gradient "
            "goes back as the complex number grad[..., 0] + i·grad[..., 1] (view_as_complex).",
            "값은 바뀌지 않고, {y}의 마지막 축에 각 수의 실수부와 허수부가 놓일 뿐입니다. 그래서 그래디언트는 "
            "복소수 grad[..., 0] + i·grad[..., 1](view_as_complex)로 돌아갑니다.",
        ),
        (
            Slot(
                "self",
                "z",
                lambda c: _complex_view("view_as_complex(grad)", "view_as_complex(grad)"),
            ),
        ),
    ),
    Rule(
        "ViewAsComplexBackward0",
        ("pairs of reals viewed as complex numbers", "실수 쌍을 복소수로 보기"),
        "{y} = view_as_complex({x}) = {x}[..., 0] + i·{x}[..., 1]",
        ("grad_{x} = [Re grad, Im grad] along the last axis", "grad_{x} = [Re grad, Im grad] (마지막 축 방향)"),
        (
            "No value changes: each pair of {x} becomes one complex number, so the gradient's real and imaginary "
            "parts go back to the two entries of each pair (view_as_real).",
            "값은 바뀌지 않고 {x}의 두 값이 복소수 하나가 될 뿐입니다. 그래서 그래디언트의 실수부와 허수부가 각 "
            "쌍의 두 원소로 돌아갑니다(view_as_real).",
        ),
        (Slot("self", "x", lambda c: _complex_view("view_as_real(grad)", "view_as_real(grad)")),),
    ),
)


def _rot90(ctx: Ctx) -> Expr:
    k, axes = ctx.integer("k"), tuple(signed(d) for d in ctx.raw("dims"))
    text = f"rot90({{0}}, {-k}, {axes})"
    return Form(text, text, [ctx.grad], lambda g: torch.rot90(g, -k, axes))


def _windows(ctx: Ctx) -> Expr:
    """Tensor.unfold (derivatives.yaml: unfold_backward): window w took entries w·step … w·step + size - 1 along the
    axis; each entry gets the sum of its copies' gradients."""
    shape, axis = sizes(ctx), ctx.integer("dimension")
    size, step = ctx.integer("size"), ctx.integer("step")
    axis %= max(len(shape), 1)

    def back(g):
        out = torch.zeros(shape, dtype=torch.float64)
        if not shape:
            return out + g.sum()
        for w in range(g.shape[axis]):
            out.narrow(axis, w * step, size).add_(g.select(axis, w).movedim(-1, axis))
        return out

    return Form(
        "grad of each window added back where the window was taken (overlaps added)",
        "각 창(window)의 grad를 그 창을 떼어 낸 자리에 다시 더함(겹치면 더함)",
        [ctx.grad],
        back,
        nums="{0} → …",
        bound=back,
    )


add(
    Rule(
        "Rot90Backward0",
        ("rotation by 90°", "90° 회전"),
        "{y} = rot90({x}, {k}, {dims})",
        "grad_{x} = rot90(grad, -{k}, {dims})",
        (
            "Rotating only moves entries, so the gradient is rotated back the other way.",
            "회전은 값의 자리만 옮기므로, 그래디언트를 반대 방향으로 회전해 돌려줍니다.",
        ),
        (Slot("self", "x", _rot90),),
        params=lambda c: {"k": c.integer("k"), "dims": tuple(signed(d) for d in c.raw("dims"))},
    ),
    Rule(
        "UnfoldBackward0",
        ("sliding windows (Tensor.unfold)", "미끄러지는 창(Tensor.unfold)"),
        "{y} = {x}.unfold({dim}, {size}, {step})",
        (
            "∂{y}[w, …, j]/∂{x}ᵢ = 1 where i = w·{step} + j along axis {dim}",
            "∂{y}[w, …, j]/∂{x}ᵢ = 1 ({dim}번 축에서 i = w·{step} + j일 때)",
        ),
        (
            "Each window copies {size} entries starting every {step} along axis {dim}; an entry appears in every "
            "window that covers it, so it gets the sum of those copies' gradients (entries no window covers get 0).",
            "각 창은 {dim}번 축을 따라 {step}칸마다 시작해 원소 {size}개를 복사합니다. 한 원소는 자기를 덮는 모든 "
            "창에 나타나므로, 그 복사본들의 그래디언트를 모두 더해 받습니다(어떤 창에도 들어가지 않은 원소는 0).",
        ),
        (Slot("self", "x", _windows),),
        params=lambda c: {"dim": c.integer("dimension"), "size": c.integer("size"), "step": c.integer("step")},
    ),
)


def _masked_select(ctx: Ctx) -> Expr:
    """masked_select_backward: the selected entries get their gradient back in place (the input and the mask
    broadcast against each other; a stretched input sums it back)."""
    x, mask = ctx.tensor("self"), ctx.tensor("mask").to(torch.bool)
    shape = torch.broadcast_shapes(x.shape, mask.shape)

    def back(g):
        out = torch.zeros(shape, dtype=torch.float64)
        out[mask.expand(shape)] = g
        return out

    expr = Form(
        "grad at the entries where mask is True, 0 elsewhere",
        "mask가 True인 자리는 grad, 나머지는 0",
        [ctx.grad],
        back,
        nums="{0} → …",
        bound=back,
    )
    return summed_to(expr, tuple(x.shape))


def _take(ctx: Ctx) -> Expr:
    shape, index = tuple(ctx.tensor("self").shape), ctx.tensor("index").long().reshape(-1)

    def back(g):
        count = max(1, int(torch.tensor(shape).prod())) if shape else 1
        flat = torch.zeros(count, dtype=torch.float64).index_add_(0, index % count, g.reshape(-1))
        return flat.reshape(shape)

    return Form(
        "grad added back at each flat index taken (repeats added)",
        "가져온 각 평탄 인덱스 자리에 grad를 다시 더함(여러 번 가져오면 더함)",
        [ctx.grad],
        back,
        nums="{0} → …",
        bound=back,
    )


def _scatter_add_source(ctx: Ctx) -> Expr:
    dim, index = ctx.integer("dim"), ctx.tensor("index").long()
    text = f"gather({{0}}, {dim}, index)"
    return Form(
        text,
        text,
        [ctx.grad, Shown("index", index)],
        lambda g, i: g.gather(dim, i),
        nums=f"gather({{0}}, {dim}, {{1}})",
    )


def _block_slots(ctx: Ctx) -> tuple[Slot, ...]:
    """block_diag: tensor k sits in the k-th diagonal block; its gradient is that block of grad."""
    shapes = []
    for slot in range(ctx.slot_count()):
        shape = ctx.input_shape(slot)
        if shape is None:
            raise Missing("the shape of an input that got no gradient", "그래디언트를 받지 않은 입력의 모양")
        shapes.append(tuple(shape))
    as_matrix = [(1, 1) if len(s) == 0 else (1, s[0]) if len(s) == 1 else s for s in shapes]

    def block(k: int):
        row, col = sum(m[0] for m in as_matrix[:k]), sum(m[1] for m in as_matrix[:k])
        rows, cols = as_matrix[k]

        def grad(c: Ctx) -> Expr:
            text = f"{{0}}[{row}:{row + rows}, {col}:{col + cols}]"
            return Form(text, text, [c.grad], lambda g: g[row : row + rows, col : col + cols].reshape(shapes[k]))

        return grad

    return tuple(Slot(f"tensors[{k}]", "t" if k == 0 else f"t{k}", block(k)) for k in range(len(shapes)))


add(
    Rule(
        "MaskedSelectBackward0",
        ("selecting by a mask", "마스크로 골라내기"),
        "{y} = {x}[mask]",
        ("∂{y}/∂{x}ᵢ = 1 where mask is True, else 0", "∂{y}/∂{x}ᵢ = mask가 True인 자리는 1, 나머지는 0"),
        PICK_WORDS,
        (Slot("self", "x", _masked_select),),
    ),
    Rule(
        "TakeBackward0",
        ("taking entries by flat index", "평탄 인덱스로 원소 가져오기"),
        "{y} = take({x}, index)",
        ("grad_{x} = grad added at the flat indices taken", "grad_{x} = 가져온 평탄 인덱스 자리에 grad를 더함"),
        (
            "Each output entry is a copy of one entry of {x} (counted as if {x} were flat): that entry gets the "
            "gradient back, an entry taken several times gets the sum, and the rest get 0.",
            "출력의 각 원소는 {x}의 값들을 한 줄로 폈을 때의 원소 하나를 복사한 것입니다. 그 원소는 그래디언트를 "
            "돌려받고, 여러 번 가져온 원소는 그 합을, 나머지는 0을 받습니다.",
        ),
        (Slot("self", "x", _take),),
    ),
    Rule(
        "ScatterAddBackward0",
        ("adding into places by index", "인덱스 자리에 더하기(scatter_add)"),
        ("{y} = {x}, then {y}[index] += {s} along axis {dim}", "{y} = {x}, 그다음 {dim}번 축을 따라 {y}[index] += {s}"),
        ("∂{y}/∂{x} = 1, ∂{y}[index]/∂{s} = 1", "∂{y}/∂{x} = 1, ∂{y}[index]/∂{s} = 1"),
        (
            "Addition, placed by index: {x} gets grad unchanged, and each entry of {s} gets the gradient of the place "
            "it was added to (grad gathered by the same index).",
            "자리를 인덱스로 정한 덧셈입니다. {x}에는 grad가 그대로 전달되고, {s}의 각 원소는 자기가 더해진 자리의 "
            "그래디언트(같은 인덱스로 gather한 grad)를 받습니다.",
        ),
        (Slot("self", "x", lambda c: c.grad), Slot("src", "s", _scatter_add_source)),
        params=lambda c: {"dim": c.integer("dim")},
    ),
    Rule(
        "BlockDiagBackward0",
        ("block-diagonal matrix", "블록 대각 행렬"),
        "{y} = block_diag(…)",
        ("grad_tₖ = the k-th diagonal block of grad", "grad_tₖ = grad의 k번째 대각 블록"),
        (
            "Each input was copied into its own block on the diagonal (zeros elsewhere), so each gets its block of "
            "the gradient back; the zeros between blocks came from no input.",
            "각 입력은 대각선 위의 자기 블록에 복사되었고 나머지는 0이므로, 각 입력은 그래디언트에서 자기 블록을 "
            "돌려받습니다. 블록 사이의 0은 어느 입력에서도 오지 않았습니다.",
        ),
        _block_slots,
    ),
)


# index_fill, index_copy, scatter: entries overwritten in place by index. The overwritten entries of the input were
# not used, so they get 0; what was written gets the gradient of the places it went to.


def _overwritten(ctx: Ctx, how: str) -> Expr:
    dim, index = ctx.integer("dim"), ctx.tensor("index").long()
    if how == "index":  # (the numbers as torch's call: one text for both languages)
        text, text_ko = f"{{0}}, 0 at the indices filled along axis {dim}", f"{{0}}({dim}번 축에서 채운 인덱스는 0)"
        nums = f"index_fill({{0}}, {dim}, {{1}}, 0)"
        return Form(text, text_ko, [ctx.grad, Shown("index", index)], lambda g, i: g.index_fill(dim, i, 0.0), nums=nums)
    text, text_ko = f"{{0}}, 0 where scattered along axis {dim}", f"{{0}}({dim}번 축에서 scatter한 자리는 0)"
    nums = f"scatter({{0}}, {dim}, {{1}}, 0)"
    return Form(text, text_ko, [ctx.grad, Shown("index", index)], lambda g, i: g.scatter(dim, i, 0.0), nums=nums)


def _filled_value(ctx: Ctx) -> Expr:
    dim, index = ctx.integer("dim"), torch.unique(ctx.tensor("index").long())
    text, text_ko = f"Σ {{0}} at the indices filled along axis {dim}", f"{dim}번 축에서 채운 인덱스 자리의 Σ {{0}}"
    nums = f"Σ index_select({{0}}, {dim}, {{1}})"
    return Form(text, text_ko, [ctx.grad, Shown("index", index)], lambda g, i: g.index_select(dim, i).sum(), nums=nums)


def _copied_source(ctx: Ctx) -> Expr:
    dim, index = ctx.integer("dim"), ctx.tensor("index").long()
    shape = tuple(ctx.tensor("source").shape) if ctx.has("source") else None
    text = f"index_select({{0}}, {dim}, index)"

    def value(g, _index):
        picked = g.index_select(dim, index)
        return picked.reshape(shape) if shape is not None else picked

    return Form(text, text, [ctx.grad, Shown("index", index)], value, nums=f"index_select({{0}}, {dim}, {{1}})")


OVERWRITE_WORDS = (
    "The entries written over were not used, so {x} gets grad with 0 at those places; what was written gets the "
    "gradient of the places it went to.",
    "덮어쓴 자리의 원래 값은 쓰이지 않았으므로 {x}에는 그 자리만 0으로 바꾼 grad가 전달되고, 써 넣은 값에는 그 값이 "
    "들어간 자리의 그래디언트가 전달됩니다.",
)
add(
    Rule(
        "IndexFillBackward0",
        ("filling by index", "인덱스 자리 채우기"),
        (
            "{y} = {x} with the indices along axis {dim} set to a number",
            "{y} = {x}에서 {dim}번 축의 인덱스 자리를 수로 채움",
        ),
        ("∂{y}/∂{x} = 0 at the filled places, 1 elsewhere", "∂{y}/∂{x} = 채운 자리는 0, 나머지는 1"),
        OVERWRITE_WORDS,
        (Slot("self", "x", lambda c: _overwritten(c, "index")),),
        params=lambda c: {"dim": c.integer("dim")},
    ),
    Rule(
        "IndexFillBackward1",
        ("filling by index", "인덱스 자리 채우기"),
        (
            "{y} = {x} with the indices along axis {dim} set to {v}",
            "{y} = {x}에서 {dim}번 축의 인덱스 자리를 {v}의 값으로 채움",
        ),
        ("∂{y}/∂{x} = 0 at the filled places, 1 elsewhere", "∂{y}/∂{x} = 채운 자리는 0, 나머지는 1"),
        OVERWRITE_WORDS,
        (Slot("self", "x", lambda c: _overwritten(c, "index")), Slot("value", "v", _filled_value)),
        params=lambda c: {"dim": c.integer("dim")},
    ),
    Rule(
        "IndexCopyBackward0",
        ("copying in by index", "인덱스 자리에 복사하기"),
        (
            "{y} = {x} with {s} copied to the indices along axis {dim}",
            "{y} = {x}에서 {dim}번 축의 인덱스 자리에 {s}의 값을 복사",
        ),
        ("∂{y}/∂{x} = 0 at the copied places, 1 elsewhere", "∂{y}/∂{x} = 복사한 자리는 0, 나머지는 1"),
        OVERWRITE_WORDS,
        (Slot("self", "x", lambda c: _overwritten(c, "index")), Slot("source", "s", _copied_source)),
        params=lambda c: {"dim": c.integer("dim")},
    ),
    Rule(
        "ScatterBackward0",
        ("writing into places by index", "인덱스 자리에 써 넣기(scatter)"),
        ("{y} = {x} with {s} scattered along axis {dim}", "{y} = {x}에 {dim}번 축을 따라 {s}의 값을 scatter"),
        ("∂{y}/∂{x} = 0 where written, ∂{y}[index]/∂{s} = 1", "∂{y}/∂{x} = 써 넣은 자리는 0, ∂{y}[index]/∂{s} = 1"),
        OVERWRITE_WORDS,
        (Slot("self", "x", lambda c: _overwritten(c, "scatter")), Slot("src", "s", _scatter_add_source)),
        params=lambda c: {"dim": c.integer("dim")},
    ),
    Rule(
        "ScatterBackward1",
        ("writing a number into places by index", "인덱스 자리에 수 써 넣기(scatter)"),
        ("{y} = {x} with a number scattered along axis {dim}", "{y} = {x}에 {dim}번 축을 따라 수를 scatter"),
        ("∂{y}/∂{x} = 0 where written, 1 elsewhere", "∂{y}/∂{x} = 써 넣은 자리는 0, 나머지는 1"),
        OVERWRITE_WORDS,
        (Slot("self", "x", lambda c: _overwritten(c, "scatter")),),
        params=lambda c: {"dim": c.integer("dim")},
    ),
)


add(
    dataclasses.replace(
        RULES["MaxPool2DWithIndicesBackward0"],
        node="MaxPool3DWithIndicesBackward0",
        slots=(Slot("self", "x", lambda c: _max_pool(c, 3)),),
    )
)


def _channel_shuffle(ctx: Ctx) -> Expr:
    groups = ctx.integer("groups")

    def back(g):
        channels = g.shape[1]
        return F.channel_shuffle(g, channels // groups) if channels % groups == 0 else g

    text = f"channel_shuffle({{0}}, C/{groups})"
    return Form(text, text, [ctx.grad], back)


def _narrow_copy(ctx: Ctx) -> Expr:
    dim, start, length = ctx.integer("dim"), ctx.integer("start"), ctx.integer("length")
    return _placed(
        ctx,
        f"[{start}:{start + length}] along axis {dim}",
        f"{dim}번 축의 [{start}:{start + length}]",
        lambda out, g: out.narrow(dim, start % out.shape[dim], length).copy_(g),
        nums="{0} → " + indexing(len(sizes(ctx)), dim, f"{start}:{start + length}"),
    )


def _masked_scatter(which: str):
    """masked_scatter: the places where mask is True take source's entries in order; x keeps the others."""

    def grad(ctx: Ctx) -> Expr:
        mask = ctx.tensor("mask").to(torch.bool)
        if which == "self":
            expr = ctx.grad * indicator_of("not mask", ~mask)
            shape = ctx.input_shape(0)
            return expr if shape is None else summed_to(expr, shape)
        sizes_ = tuple(int(n) for n in ctx.raw("source_sym_sizes"))

        def back(g):
            taken = g[mask.expand(g.shape)]
            count = math.prod(sizes_)
            out = torch.zeros(count, dtype=torch.float64)
            out[: min(count, taken.numel())] = taken[:count]
            return out.reshape(sizes_)

        return Form(
            "grad at the True places of mask, in order (0 for source entries not used)",
            "mask가 True인 자리의 grad를 차례대로(쓰이지 않은 source 원소는 0)",
            [ctx.grad],
            back,
            nums="{0} → …",
            bound=back,
        )

    return grad


def indicator_of(label: str, mask) -> Expr:
    return Mask(f"1[{label}]", mask)


add(
    Rule(
        "ChannelShuffleBackward0",
        ("channel shuffle", "채널 섞기"),
        "{y} = channel_shuffle({x}, {groups})",
        "grad_{x} = channel_shuffle(grad, C/{groups})",
        (
            "Shuffling channels only moves them: the gradient's channels are moved back by the inverse shuffle "
            "(with C/groups groups).",
            "채널 섞기는 채널의 자리만 옮기므로, 그래디언트의 채널을 반대로 섞어(C/groups개 그룹으로) 제자리에 "
            "돌려놓습니다.",
        ),
        (Slot("self", "x", _channel_shuffle),),
        params=lambda c: {"groups": c.integer("groups")},
    ),
    Rule(
        "NarrowCopyBackward0",
        ("narrowing (a copy)", "구간 잘라 복사하기"),
        ("{y} = {x}.narrow_copy({dim}, {start}, {length})", "{y} = {x}.narrow_copy({dim}, {start}, {length})"),
        ("grad_{x} = grad in the copied range, 0 elsewhere", "grad_{x} = 복사한 구간은 grad, 나머지는 0"),
        PICK_WORDS,
        (Slot("self", "x", _narrow_copy),),
        params=lambda c: {"dim": c.integer("dim"), "start": c.integer("start"), "length": c.integer("length")},
    ),
    Rule(
        "MaskedScatterBackward0",
        ("scattering by a mask", "마스크 자리에 차례로 채우기(masked_scatter)"),
        (
            "{y} = {x} with its True places of mask filled from {s}",
            "{y} = {x}에서 mask가 True인 자리를 {s}의 값으로 채움",
        ),
        (
            "∂{y}/∂{x} = 1[not mask], ∂{y}/∂{s}ₖ = 1 at the k-th True place",
            "∂{y}/∂{x} = 1[not mask], ∂{y}/∂{s}ₖ = k번째 True 자리에서 1",
        ),
        (
            "The True places of mask take {s}'s entries in order and {x} keeps the rest: {x} gets grad where mask is "
            "False, and the k-th entry of {s} gets grad at the k-th True place.",
            "mask가 True인 자리는 {s}의 원소를 차례대로 받고 나머지는 {x}의 값을 유지합니다. 그래서 {x}에는 mask가 "
            "False인 자리의 grad가, {s}의 k번째 원소에는 k번째 True 자리의 grad가 전달됩니다.",
        ),
        (Slot("self", "x", _masked_scatter("self")), Slot("source", "s", _masked_scatter("source"))),
    ),
)


def _copy_source(ctx: Ctx) -> Expr:
    """CopyBackwards: the values copied in came from the source, which gets grad (summed back where it was
    broadcast to the destination's shape)."""
    shape = ctx.input_shape(1)
    return ctx.grad if shape is None else summed_to(ctx.grad, shape)


def _overwritten_all(ctx: Ctx) -> Expr:
    shape = ctx.input_shape(0)
    return Num(0) if shape is None else Form("0", "0", [ctx.grad], lambda g: torch.zeros(shape, dtype=torch.float64))


add(
    one(
        "Identity",
        ("identity", "항등 연산"),
        "{y} = {x}",
        "∂{y}/∂{x} = 1",
        (
            "The same values under another tensor (as unpack_dual hands out a dual tensor's primal): the gradient "
            "passes on unchanged.",
            "같은 값을 다른 텐서로 내놓은 것이므로(unpack_dual이 이중 텐서의 primal을 꺼낼 때처럼) 그래디언트를 그대로 "
            "전달합니다.",
        ),
        _same,
    ),
    Rule(
        "CopyBackwards",
        ("in-place copy", "제자리 복사"),
        ("{y} = {x} with every value replaced by {s}'s (copy_)", "{y} = {x}의 값을 모두 {s}의 값으로 바꿈(copy_)"),
        "∂{y}/∂{x} = 0, ∂{y}/∂{s} = 1",
        (
            "copy_ overwrites every entry of {x} with {s}'s: the old values no longer count, so {x} gets 0, and {s} "
            "gets grad unchanged.",
            "copy_는 {x}의 모든 원소를 {s}의 값으로 덮어씁니다. 원래 값은 더 이상 결과에 쓰이지 않으므로 {x}에는 0이, "
            "{s}에는 grad가 그대로 전달됩니다.",
        ),
        (Slot("self", "x", _overwritten_all), Slot("src", "s", _copy_source)),
    ),
)


# -- scatter_reduce ------------------------------------------------------------------------------------------------

REDUCED = {"sum": ("sum", "합"), "mean": ("mean", "평균"), "amax": ("max", "최댓값"), "amin": ("min", "최솟값")}
REDUCED["prod"] = ("product", "곱")


def _scatter_product(ctx: Ctx) -> tuple[Tensor, Tensor]:
    """scatter_reduce_backward, prod, as PyTorch computes it: each value gets grad times the product of the others at
    its place (a zero counted as 1 where it is the only one there; two zeros make every share 0)."""
    dim, index, include = ctx.integer("dim"), ctx.tensor("index").long(), bool(ctx.raw("include_self"))
    x, src, result, g = ctx.tensor("self"), ctx.tensor("src"), ctx.tensor("result"), ctx.grad_tensor(0)
    g = g.expand(x.shape)
    masked_self = x.masked_fill(x == 0, 1)
    grad_self = g * masked_self.scatter_reduce(dim, index, src, "prod", include_self=include) / masked_self
    zero = src == 0
    zeros = torch.zeros_like(x).scatter_add(dim, index, zero.to(x.dtype)).gather(dim, index)
    single = zero & (zeros == 1)
    masked_result = x.scatter_reduce(dim, index, src.masked_fill(single, 1), "prod", include_self=include)
    grad_src = torch.where(
        single, (g * masked_result).gather(dim, index), (g * result).gather(dim, index) / src.masked_fill(zero, 1)
    )
    if not include:
        grad_self = grad_self.masked_fill(torch.zeros(x.shape, dtype=torch.bool).scatter_(dim, index, True), 0)
    return grad_self, grad_src


def _scatter_reduce(ctx: Ctx, which: str) -> Expr:
    """derivatives.yaml: scatter_reduce_backward. Sum: x keeps grad, src takes grad gathered at its place; mean: both
    divided by N, the values averaged at each place; amax/amin: only the values equal to the result, grad shared
    evenly among them. Without include_self, x's entries written to get 0."""
    reduce, include = str(ctx.raw("reduce")), bool(ctx.raw("include_self"))
    if reduce == "prod":
        en, ko = "{0} · the product of the others at its place", "{0} · 같은 자리의 다른 값들의 곱"
        if which == "self" and not include:
            en, ko = en + " (0 where written)", ko + " (쓰인 자리는 0)"
        slot = 0 if which == "self" else 1
        return Form(en, ko, [ctx.grad], lambda g: _scatter_product(ctx)[slot], evaluated=True)
    dim, index = ctx.integer("dim"), ctx.tensor("index").long()
    x, src, result = ctx.tensor("self"), ctx.tensor("src"), ctx.tensor("result")
    written = torch.zeros(x.shape, dtype=torch.bool).scatter_(dim, index, True)
    base = torch.ones_like(x) if include else torch.zeros_like(x)
    share: Expr | None = None  # what each place's gradient is divided by
    picked_self = picked_src = None  # (amax, amin: the values equal to the result)
    if reduce == "mean":
        count = base.scatter_add(dim, index, torch.ones_like(src))
        share = Sym("N", count.masked_fill(count == 0, 1))
    elif reduce in ("amax", "amin"):
        picked_self = x == result
        picked_src = src == result.gather(dim, index)
        count = picked_self.to(torch.float64).scatter_add(dim, index, picked_src.to(torch.float64))
        share = Sym("count", count)
    place = ctx.grad if share is None else ctx.grad / share
    if which == "src":
        gathered = Form(
            f"gather({{0}}, {dim}, index)",
            f"gather({{0}}, {dim}, index)",
            [place, Shown("index", index)],
            lambda g, i: g.expand(x.shape).gather(dim, i),
            nums=f"gather({{0}}, {dim}, {{1}})",
        )
        if picked_src is None:
            return gathered
        # (a product, as PyTorch's (src == value) * grad / N: a place whose result is NaN, equal to nothing, has N = 0
        # and sends NaN, 0 · inf, where a selection would send 0)
        return gathered * Sym("1[src = result at its place]", picked_src.to(torch.float64), "1[src = 그 자리의 result]")
    keep = ~written if not include else torch.ones_like(written)
    if picked_self is not None and include:  # (without include_self only the entries not written equal the result)
        return place * Sym(f"1[{ctx.label(0, 'x')} = result]", picked_self.to(torch.float64))
    if include:
        return place
    return place * Mask("1[not written]", keep.to(torch.float64), "1[쓰이지 않은 자리]", keep=keep)


add(
    Rule(
        "ScatterReduceBackward0",
        ("scatter-reduce", "scatter_reduce(인덱스 자리로 모아 줄이기)"),
        (
            "{y} = {x}, then {y}[index] = the {reduce} of the src values sent there along axis {dim}{self_en}",
            "{y} = {x}, 그다음 {dim}번 축을 따라 {y}[index] = 그 자리로 보낸 src 값들의 {reduce_ko}{self_ko}",
        ),
        ("see the formulas of each input", "각 입력의 식을 보세요"),
        (
            "{how_en} Entries of {x} no index wrote keep their value, so they get grad unchanged.",
            "{how_ko} 어떤 인덱스도 가리키지 않은 {x}의 원소는 값이 그대로이므로 grad를 그대로 받습니다.",
        ),
        (
            Slot("self", "x", lambda c: _scatter_reduce(c, "self")),
            Slot("src", "s", lambda c: _scatter_reduce(c, "src")),
        ),
        params=lambda c: _scatter_reduce_params(c),
        supports=lambda c: str(c.raw("reduce")) in REDUCED,
    ),
)

SCATTER_HOW = {
    "sum": (
        "Each place adds its values, so each value sent there gets that place's grad (gathered by the same index).",
        "각 자리는 보낸 값들을 더하므로, 보낸 값마다 그 자리의 grad를 (같은 인덱스로 gather해) 받습니다.",
    ),
    "mean": (
        "Each place averages N values, so every one of them gets that place's grad / N.",
        "각 자리는 N개 값의 평균이므로, 그 값들은 모두 그 자리의 grad / N을 받습니다.",
    ),
    "amax": (
        "Only the values equal to the result at their place get its grad, shared evenly when several tie.",
        "각 자리의 결과와 같은 값만 그 자리의 grad를 받고, 여럿이 같으면 똑같이 나눠 받습니다.",
    ),
}
SCATTER_HOW["amin"] = SCATTER_HOW["amax"]
SCATTER_HOW["prod"] = (
    "Each place multiplies its values, so each gets that place's grad times the product of the others (a zero among "
    "them makes it 0; the one zero of a product gets the product of the rest).",
    "각 자리는 보낸 값들을 곱하므로, 각 값은 그 자리의 grad에 다른 값들의 곱을 곱해 받습니다(그중 0이 있으면 0이고, "
    "곱에 하나뿐인 0은 나머지의 곱을 받습니다).",
)


def _scatter_reduce_params(ctx: Ctx) -> dict[str, object]:
    reduce, include = str(ctx.raw("reduce")), bool(ctx.raw("include_self"))
    word, word_ko = REDUCED.get(reduce, (reduce, reduce))
    how_en, how_ko = SCATTER_HOW.get(reduce, ("", ""))
    if include:
        self_en, self_ko = f" (with {ctx.label(0, 'x')}'s own value)", f"({ctx.label(0, 'x')}의 원래 값 포함)"
    else:
        self_en, self_ko = " (its old value left out)", "(원래 값은 빼고)"
        how_en += " The entries written lost their old value (include_self=False), so they get 0."
        how_ko += " 인덱스가 가리킨 원소는 원래 값이 덮어써졌으므로(include_self=False) 0을 받습니다."
    return {
        "reduce": word,
        "reduce_ko": word_ko,
        "dim": ctx.integer("dim"),
        "self_en": self_en,
        "self_ko": self_ko,
        "how_en": how_en,
        "how_ko": how_ko,
    }


# -- unfold's backward differentiated again, packed sequences, as_strided -------------------------------------------


def _unfold_backward_backward(ctx: Ctx) -> Expr:
    dim, size, step = signed(ctx.raw("dim")), ctx.integer("size"), ctx.integer("step")
    text = f"grad.unfold({dim}, {size}, {step})"
    return Form(text, text, [ctx.grad], lambda g: g.unfold(dim, size, step))


def _packed_to_padded(g: Tensor, sizes: tuple[int, ...], batch_sizes: list[int], batch_first: bool) -> Tensor:
    """_pack_padded_sequence_backward: the packed rows of time step t (the first batch_sizes[t] sequences) back to
    their places in the padded tensor; padding gets 0."""
    out = torch.zeros(sizes, dtype=torch.float64)
    steps = out.transpose(0, 1) if batch_first else out
    start = 0
    for t, count in enumerate(batch_sizes):
        steps[t, :count] = g[start : start + count]
        start += count
    return out


def _pack_padded(ctx: Ctx) -> Expr:
    sizes = tuple(int(v) for v in ctx.raw("input_sym_sizes"))
    batch_sizes = [int(v) for v in ctx.tensor("result1").long().tolist()]
    batch_first = bool(ctx.raw("batch_first"))
    return Form(
        "grad's rows back to their (time, sequence) places, 0 at the padding",
        "grad의 각 행을 (시간, 시퀀스) 자리로 되돌리고 패딩 자리는 0",
        [ctx.grad],
        lambda g: _packed_to_padded(g, sizes, batch_sizes, batch_first),
        evaluated=True,
    )


add(
    Rule(
        "UnfoldBackwardBackward0",
        ("unfold's backward, differentiated again", "미끄러지는 창(Tensor.unfold) 역전파를 다시 미분"),
        ("{y} = unfold_backward({x}): the windows added back into one tensor", "{y} = unfold_backward({x})"),
        "grad_{x} = grad.unfold({dim}, {size}, {step})",
        (
            "unfold's backward adds each window's gradient back to the entries it covers; differentiating that again "
            "cuts the incoming gradient into the same windows: grad.unfold(dim, size, step).",
            "unfold의 역전파는 각 창의 그래디언트를 그 창이 덮는 원소에 더해 되돌립니다. 이를 다시 미분하면 들어온 "
            "그래디언트를 같은 창으로 자릅니다: grad.unfold(dim, size, step).",
        ),
        (Slot("grad_in", "x", _unfold_backward_backward),),
        params=lambda c: {"dim": signed(c.raw("dim")), "size": c.integer("size"), "step": c.integer("step")},
    ),
    Rule(
        "PackPaddedSequenceBackward0",
        ("packing a padded batch of sequences", "패딩된 시퀀스 묶음을 패킹하기"),
        (
            "{y} = pack_padded_sequence({x}): the time steps' real entries, one after another, padding left out",
            "{y} = pack_padded_sequence({x}): 패딩을 빼고 시간 단계마다 실제 값을 차례로 이어 붙인 것",
        ),
        ("grad_{x} = grad unpacked into the padded shape", "grad_{x} = grad를 패딩된 모양으로 풀어 놓은 것"),
        (
            "Packing only moves entries: time step t contributes the first batch_sizes[t] sequences' rows, one after "
            "another. The gradient goes back to those rows' places; the padding, never read, gets 0.",
            "패킹은 값의 자리만 옮깁니다. 시간 단계 t마다 앞쪽 batch_sizes[t]개 시퀀스의 행이 차례로 들어갑니다. "
            "그래디언트는 그 행들의 원래 자리로 돌아가고, 읽히지 않은 패딩 자리는 0을 받습니다.",
        ),
        (Slot("input", "x", _pack_padded),),
        first_output=True,
    ),
)


# -- sparse COO tensors: the formulas, not checked (what they send or receive is sparse) -----------------------------

SPARSE = (
    "its values are sparse (stored entries with their indices)",
    "희소(sparse) 텐서라서 인덱스와 저장된 값만 있습니다",
)


def _sparse(en: str, ko: str | None = None):
    """A formula written with the slots' letters (`{x}`, `{w}`: their names) and `{y}` (the output's), not computed
    (sparse values)."""
    from .special import Unknown

    def grad(ctx: Ctx) -> Expr:
        def named(text: str) -> str:
            for i, slot in enumerate(ctx.slots()):
                text = text.replace(f"{{{slot.letter}}}", ctx.label(i, slot.letter))
            return text.replace("{y}", ctx.output_label())

        return Unknown(named(en), named(ko or en), SPARSE)

    return grad


STORED_WORDS = (
    "A sparse tensor keeps only its stored entries (indices and values), so the gradient travels only through those: "
    "each stored entry gets the gradient at its place, and places never stored get nothing.",
    "희소 텐서는 저장된 원소(인덱스와 값)만 가지고 있으므로 그래디언트도 그 원소들로만 지나갑니다. 저장된 원소마다 "
    "자기 자리의 그래디언트를 받고, 저장되지 않은 자리는 아무것도 받지 않습니다.",
)

add(
    Rule(
        "ToDenseBackward0",
        ("sparse to dense", "희소 텐서를 밀집 텐서로"),
        "{y} = {x}.to_dense()",
        ("grad_{x} = grad at the stored entries of {x}", "grad_{x} = {x}에 저장된 자리의 grad"),
        STORED_WORDS,
        (Slot("self", "x", _sparse("grad.sparse_mask({x})")),),
    ),
    Rule(
        "CoalesceBackward0",
        ("coalescing a sparse tensor", "희소 텐서 정리(coalesce)"),
        (
            "{y} = {x}.coalesce(): repeated indices summed into one entry",
            "{y} = {x}.coalesce(): 같은 인덱스의 값을 합침",
        ),
        (
            "grad_{x} = grad, each repeat taking its entry's gradient",
            "grad_{x} = grad (반복된 인덱스는 합친 원소의 grad)",
        ),
        (
            "coalesce sorts the indices and adds up the values stored at the same index; each of those values was "
            "added as it is, so each gets the gradient of the entry it went into.",
            "coalesce는 인덱스를 정렬하고 같은 인덱스에 저장된 값들을 더합니다. 각 값은 그대로 더해졌으므로, 자기가 "
            "합쳐진 원소의 그래디언트를 받습니다.",
        ),
        (Slot("self", "x", _sparse("grad")),),
    ),
    Rule(
        "SparseCooTensorWithDimsAndTensorsBackward0",
        ("building a sparse tensor", "희소 텐서 만들기"),
        "{y} = sparse_coo_tensor(indices, {v}, size)",
        ("grad_{v} = grad at the indices", "grad_{v} = indices 자리의 grad"),
        (
            "Each value of {v} is stored at its index, so it gets the gradient at that index.",
            "{v}의 각 값은 자기 인덱스 자리에 저장되므로, 그 자리의 그래디언트를 받습니다.",
        ),
        (Slot("values", "v", _sparse("grad[indices]")),),
    ),
    Rule(
        "ValuesBackward0",
        ("the stored values of a sparse tensor", "희소 텐서의 저장된 값"),
        "{y} = {x}.values()",
        (
            "grad_{x} = a sparse tensor: {x}'s indices, grad as values",
            "grad_{x} = {x}의 인덱스에 grad를 값으로 둔 희소 텐서",
        ),
        (
            "values() hands out the stored values as they are, so the gradient goes back to them, at the same indices.",
            "values()는 저장된 값을 그대로 꺼내 주므로, 그래디언트도 같은 인덱스의 그 값들로 돌아갑니다.",
        ),
        (Slot("self", "x", _sparse("sparse(indices of {x}, grad)", "sparse({x}의 인덱스, grad)")),),
    ),
    Rule(
        "SparseSumBackward0",
        ("sum of a sparse tensor", "희소 텐서의 합"),
        "{y} = sparse.sum({x}, {dim})",
        ("grad_{x} = grad of its sum at each stored entry", "grad_{x} = 저장된 원소마다 그 합의 grad"),
        (
            "Each stored entry was added to its sum as it is, so it gets that sum's gradient.",
            "저장된 원소는 각각 그대로 합에 더해졌으므로, 그 합의 그래디언트를 받습니다.",
        ),
        (Slot("self", "x", _sparse("grad spread to the stored entries", "저장된 원소마다 grad")),),
        params=lambda c: {"dim": c.raw("dim")},
    ),
    Rule(
        "SparseSoftmaxBackward0",
        ("softmax of a sparse tensor", "희소 텐서의 소프트맥스"),
        (
            "{y} = sparse.softmax({x}, {dim}) over the stored entries",
            "{y} = sparse.softmax({x}, {dim}), 저장된 원소끼리",
        ),
        (
            "grad_{x} = {y} ⊙ (grad - Σ grad ⊙ {y}), stored entries only",
            "grad_{x} = {y} ⊙ (grad - Σ grad ⊙ {y}), 저장된 원소만",
        ),
        (
            "As a dense softmax, but over the stored entries of each slice only (the others count as -∞).",
            "밀집 텐서의 소프트맥스와 같지만, 각 조각에서 저장된 원소끼리만 계산합니다(나머지는 -∞로 봅니다).",
        ),
        (Slot("self", "x", _sparse("{y} ⊙ (grad - Σ grad ⊙ {y})")),),
        params=lambda c: {"dim": c.raw("dim")},
    ),
    Rule(
        "SparseLogSoftmaxBackward0",
        ("log-softmax of a sparse tensor", "희소 텐서의 로그 소프트맥스"),
        (
            "{y} = sparse.log_softmax({x}, {dim}) over the stored entries",
            "{y} = sparse.log_softmax({x}, {dim}), 저장된 원소끼리",
        ),
        (
            "grad_{x} = grad - exp({y}) ⊙ Σ grad, stored entries only",
            "grad_{x} = grad - exp({y}) ⊙ Σ grad, 저장된 원소만",
        ),
        (
            "As a dense log-softmax, but over the stored entries of each slice only (the others count as -∞): each "
            "entry keeps its own gradient, less its softmax share of the slice's total.",
            "밀집 텐서의 로그 소프트맥스와 같지만, 각 조각에서 저장된 원소끼리만 계산합니다(나머지는 -∞로 봅니다). "
            "원소마다 자기 그래디언트에서 조각 전체 합 중 자기 소프트맥스 몫을 뺀 값을 받습니다.",
        ),
        (Slot("self", "x", _sparse("grad - exp({y}) ⊙ Σ grad")),),
        params=lambda c: {"dim": c.raw("dim")},
    ),
    Rule(
        "SparseMaskBackward0",
        ("keeping a mask's entries", "마스크 자리만 남기기"),
        "{y} = {x}.sparse_mask(mask)",
        ("grad_{x} = grad at mask's stored entries, 0 elsewhere", "grad_{x} = mask에 저장된 자리의 grad, 나머지 0"),
        (
            "sparse_mask keeps the entries of {x} at the places the mask stores and drops the rest, so the entries "
            "kept get their gradient back and the dropped ones get 0.",
            "sparse_mask는 마스크가 저장한 자리의 {x} 원소만 남기고 나머지는 버립니다. 그래서 남은 원소는 자기 "
            "그래디언트를 돌려받고, 버려진 원소는 0을 받습니다.",
        ),
        (Slot("self", "x", _sparse("grad at mask's stored entries", "mask에 저장된 자리의 grad")),),
    ),
    Rule(
        "SparseSparseMatmulBackward0",
        ("product of two sparse matrices", "희소 행렬끼리의 곱"),
        "{y} = sparse.mm({x}, {w})",
        (
            "grad_{x} = grad·{w}ᵀ, grad_{w} = {x}ᵀ·grad, each at its own stored entries",
            "grad_{x} = grad·{w}ᵀ, grad_{w} = {x}ᵀ·grad, 각자 저장된 자리만",
        ),
        (
            "As a dense matrix product, but each sparse factor gets its gradient only at the entries it stores: a "
            "place it does not store is no value of its, so nothing flows there.",
            "밀집 행렬 곱과 같지만, 희소 행렬은 각자 저장된 원소 자리에서만 그래디언트를 받습니다. "
            "저장하지 않은 자리는 그 행렬의 값이 아니므로 아무것도 흐르지 않습니다.",
        ),
        (
            Slot("self", "x", _sparse("grad·{w}ᵀ at the stored entries of {x}", "grad·{w}ᵀ ({x}에 저장된 자리만)")),
            Slot("other", "w", _sparse("{x}ᵀ·grad at the stored entries of {w}", "{x}ᵀ·grad ({w}에 저장된 자리만)")),
        ),
    ),
)

TO_SPARSE = Rule(
    "ToSparseBackward0",
    ("dense to sparse", "밀집 텐서를 희소 텐서로"),
    ("{y} = {x}.to_sparse(): the nonzero entries stored", "{y} = {x}.to_sparse(): 0이 아닌 원소만 저장"),
    ("grad_{x} = grad.to_dense(), 0 where {x} was 0", "grad_{x} = grad.to_dense(), {x}가 0이던 자리는 0"),
    (
        "A sparse layout stores the nonzero entries of {x} as they are, so each gets the gradient at its place; an "
        "entry that was 0 is not stored, and gets 0.",
        "희소 텐서는 {x}에서 0이 아닌 원소만 그대로 저장하므로, 저장된 원소마다 자기 자리의 그래디언트를 받습니다. "
        "0이던 원소는 저장되지 않아서 0을 받습니다.",
    ),
    (Slot("self", "x", _sparse("grad at the stored entries, as a dense tensor", "저장된 자리의 grad (밀집 텐서로)")),),
)
add(
    TO_SPARSE,
    *(
        dataclasses.replace(TO_SPARSE, node=f"{name}Backward{n}", forward=f"{{y}} = {{x}}.{method}()")
        for name, n, method in (
            ("ToSparse", 1, "to_sparse"),
            ("ToSparseCsr", 0, "to_sparse_csr"),
            ("ToSparseCsc", 0, "to_sparse_csc"),
            ("ToSparseBsr", 0, "to_sparse_bsr"),
            ("ToSparseBsc", 0, "to_sparse_bsc"),
        )
    ),
)


# -- select_scatter, slice_scatter, diagonal_scatter, put: a part of the input written over by another tensor --------


def _scatter_part(ctx: Ctx) -> tuple[str, str, Callable[[Tensor], Tensor]]:
    """Where a *_scatter op wrote its src, in words (English, Korean), and a function of a tensor giving that part
    (a view, so it can be written to)."""
    node = ctx.rule.node
    if node == "SelectScatterBackward0":
        dim, index = ctx.integer("dim"), ctx.integer("index")
        return f"[{index}] of axis {dim}", f"{dim}번 축의 [{index}] 자리", lambda t: t.select(dim, index)
    if node == "SliceScatterBackward0":
        dim, step = ctx.integer("dim"), ctx.integer("step")
        start, end = (None if ctx.saved.get(k) is None else signed(ctx.saved[k]) for k in ("start", "end"))
        where = f"{'' if start is None else start}:{'' if end is None else end}" + (f":{step}" if step != 1 else "")

        def part(t: Tensor) -> Tensor:
            index = [slice(None)] * t.dim()
            index[dim] = slice(start, end, step)
            return t[tuple(index)]

        return f"[{where}] of axis {dim}", f"{dim}번 축의 [{where}] 자리", part
    offset, dim1, dim2 = ctx.integer("offset"), ctx.integer("dim1"), ctx.integer("dim2")
    return (
        f"the diagonal {offset} of axes {dim1}, {dim2}",
        f"{dim1}, {dim2}번 축의 {offset}번 대각선 자리",
        lambda t: t.diagonal(offset, dim1, dim2),
    )


def _scattered_into(ctx: Ctx) -> Expr:
    where, where_ko, part = _scatter_part(ctx)

    def value(g: Tensor) -> Tensor:
        out = g.clone()
        part(out).zero_()
        return out

    return Form(f"{{0}}, 0 at {where}", f"{{0}}({where_ko}는 0)", [ctx.grad], value)


def _scattered(ctx: Ctx) -> Expr:
    where, where_ko, part = _scatter_part(ctx)
    shape = ctx.input_shape(1)

    def value(g: Tensor) -> Tensor:
        taken = part(g)
        return taken.reshape(shape) if shape is not None else taken

    return Form(f"{{0}} at {where}", f"{{0}}의 {where_ko}", [ctx.grad], value)


SCATTER_WORDS = (
    "{s} was written over {where} of {x}: those entries of {x} were not used, so {x} gets grad with 0 there, and {s} "
    "gets the gradient of the places it was written to.",
    "{s}가 {x}의 {where_ko}에 덮어 쓰였습니다. {x}의 그 자리 원래 값은 쓰이지 않았으므로 {x}에는 그 자리만 0으로 바꾼 "
    "grad가 전달되고, {s}에는 자기가 쓰인 자리의 그래디언트가 전달됩니다.",
)


def _scatter_rule(node: str, title, call: str) -> Rule:
    return Rule(
        node,
        title,
        (
            f"{{y}} = {{x}} with {{s}} written at {{where}} ({call})",
            f"{{y}} = {{x}}의 {{where_ko}}에 {{s}}를 씀({call})",
        ),
        (
            "∂{y}/∂{x} = 0 at {where}, 1 elsewhere; ∂{y}/∂{s} = 1 where it was written",
            "∂{y}/∂{x} = {where_ko}는 0, 나머지는 1; ∂{y}/∂{s} = 쓰인 자리에서 1",
        ),
        SCATTER_WORDS,
        (Slot("self", "x", _scattered_into), Slot("src", "s", _scattered)),
        params=lambda c: dict(zip(("where", "where_ko"), _scatter_part(c)[:2], strict=True)),
    )


def _put_into(ctx: Ctx) -> Expr:
    if bool(ctx.raw("accumulate")):
        return ctx.grad
    index = ctx.tensor("index").long()
    return Form(
        "{0}, 0 at the flat indices written",
        "{0}(써 넣은 평탄 인덱스 자리는 0)",
        [ctx.grad, Shown("index", index)],
        lambda g, i: g.put(i, torch.zeros(i.shape, dtype=g.dtype)),
        nums="put({0}, {1}, 0)",
    )


def _put_source(ctx: Ctx) -> Expr:
    index = ctx.tensor("index").long()
    shape = ctx.input_shape(1)
    return Form(
        "{0} at the flat indices written",
        "{0}의 써 넣은 평탄 인덱스 자리",
        [ctx.grad, Shown("index", index)],
        lambda g, i: g.take(i).reshape(shape if shape is not None else i.shape),
        nums="take({0}, {1})",
    )


add(
    _scatter_rule(
        "SelectScatterBackward0", ("writing one index (select_scatter)", "인덱스 하나에 써 넣기"), "select_scatter"
    ),
    _scatter_rule("SliceScatterBackward0", ("writing a slice (slice_scatter)", "슬라이스에 써 넣기"), "slice_scatter"),
    _scatter_rule(
        "DiagonalScatterBackward0", ("writing a diagonal (diagonal_scatter)", "대각선에 써 넣기"), "diagonal_scatter"
    ),
    Rule(
        "PutBackward0",
        ("writing by flat index (put)", "평탄 인덱스 자리에 써 넣기(put)"),
        ("{y} = {x} with {s} {how} at flat indices (put)", "{y} = {x}의 평탄 인덱스 자리에 {s}를 {how_ko}(put)"),
        ("∂{y}/∂{x} = {kept}, ∂{y}[index]/∂{s} = 1", "∂{y}/∂{x} = {kept_ko}, ∂{y}[index]/∂{s} = 1"),
        (
            "put treats {x} as flat and {does} {s} at the given indices. {x} gets grad{zeroed}, and each entry of {s} "
            "gets the gradient of the place it went to (grad taken at its index).",
            "put은 {x}를 한 줄로 펴서 주어진 인덱스 자리에 {s}를 {does_ko}. {x}에는 {zeroed_ko} 전달되고, {s}의 각 "
            "원소는 자기가 들어간 자리의 그래디언트(그 인덱스에서 가져온 grad)를 받습니다.",
        ),
        (Slot("self", "x", _put_into), Slot("source", "s", _put_source)),
        params=lambda c: (
            {
                "how": "added",
                "how_ko": "더함",
                "does": "adds",
                "does_ko": "더합니다",
                "kept": "1",
                "kept_ko": "1",
                "zeroed": " unchanged (accumulate=True: its entries were kept and added to)",
                "zeroed_ko": "grad가 그대로(accumulate=True: 원래 값에 더했으므로)",
            }
            if bool(c.raw("accumulate"))
            else {
                "how": "written",
                "how_ko": "씀",
                "does": "writes",
                "does_ko": "써 넣습니다",
                "kept": "0 at the indices written, 1 elsewhere",
                "kept_ko": "써 넣은 자리는 0, 나머지는 1",
                "zeroed": " with 0 at the indices written over (their old values were not used)",
                "zeroed_ko": "덮어쓴 자리만 0으로 바꾼 grad가(그 자리의 원래 값은 쓰이지 않았으므로)",
            }
        ),
    ),
)


# -- index_reduce -------------------------------------------------------------------------------------------------


def _index_reduced(ctx: Ctx) -> tuple[Tensor, Tensor]:
    """index_reduce_backward, as PyTorch computes it: prod: the product of the others (a zero counted as 1 where it is
    the only one); mean: grad over the count of entries averaged; amax/amin: grad shared evenly among the entries
    equal to the result; include_self=False: 0 to the input's rows that were reduced into."""
    dim, index = ctx.integer("dim"), ctx.tensor("index").long()
    x, source, result, g = ctx.tensor("self"), ctx.tensor("source"), ctx.tensor("result"), ctx.grad_tensor(0)
    reduce, include_self = str(ctx.raw("reduce")), bool(ctx.raw("include_self"))
    if reduce == "prod":
        masked_self = x.masked_fill(x == 0, 1)
        grad_self = g * masked_self.index_reduce(dim, index, source, "prod", include_self=include_self) / masked_self
        zero = source == 0
        zeros = torch.zeros_like(x).index_add(dim, index, zero.to(x.dtype)).index_select(dim, index)
        single = zero & (zeros == 1)
        masked_result = x.index_reduce(dim, index, source.masked_fill(single, 1), "prod", include_self=include_self)
        grad_source = torch.where(
            single,
            (g * masked_result).index_select(dim, index),
            (g * result).index_select(dim, index) / source.masked_fill(zero, 1),
        )
    elif reduce == "mean":
        count = (torch.ones_like(g) if include_self else torch.zeros_like(g)).index_add(
            dim, index, torch.ones_like(source)
        )
        count = count.masked_fill(count == 0, 1)
        grad_self, grad_source = g / count, g.index_select(dim, index) / count.index_select(dim, index)
    elif reduce in ("amax", "amin"):
        self_is = (x == result).to(x.dtype)
        source_is = (source == result.index_select(dim, index)).to(x.dtype)
        shared = g / self_is.index_add(dim, index, source_is)
        grad_self, grad_source = self_is * shared, source_is * shared.index_select(dim, index)
    else:
        raise Missing(f"a reduction gradwalk does not know ({reduce})", f"gradwalk가 모르는 축약입니다({reduce})")
    if not include_self:
        grad_self = grad_self.index_fill(dim, index, 0)
    return grad_self, grad_source


INDEX_REDUCE_WORDS = {
    "prod": (
        "each entry gets grad times the product of the others it was multiplied with (a zero among them makes it 0; "
        "the one zero of a product gets the product of the rest)",
        "각 원소는 함께 곱해진 다른 값들의 곱에 grad를 곱해 받습니다(그중 0이 있으면 0이고, 곱에 하나뿐인 0은 "
        "나머지의 곱을 받습니다)",
    ),
    "mean": (
        "each entry gets grad divided by the count of entries averaged into its place",
        "각 원소는 자기 자리에 평균된 원소 개수로 grad를 나눈 값을 받습니다",
    ),
    "amax": (
        "only the entries equal to the result (the largest) get grad, shared evenly when tied; the rest get 0",
        "결과(최댓값)와 같은 원소만 grad를 받고(같은 값이 여럿이면 똑같이 나눔), 나머지는 0을 받습니다",
    ),
    "amin": (
        "only the entries equal to the result (the smallest) get grad, shared evenly when tied; the rest get 0",
        "결과(최솟값)와 같은 원소만 grad를 받고(같은 값이 여럿이면 똑같이 나눔), 나머지는 0을 받습니다",
    ),
}


INDEX_REDUCE_FORMULAS = {
    "prod": ("{0} · the product of the others at its place", "{0} · 같은 자리의 다른 값들의 곱"),
    "mean": ("{0} / the count of entries averaged at its place", "{0} / 같은 자리에서 평균한 원소 개수"),
    "amax": ("{0} / count where it equals the result, 0 elsewhere", "결과와 같은 곳은 {0} / 개수, 나머지는 0"),
    "amin": ("{0} / count where it equals the result, 0 elsewhere", "결과와 같은 곳은 {0} / 개수, 나머지는 0"),
}


def _index_reduce_slot(which: int):
    def grad(ctx: Ctx) -> Expr:
        en, ko = INDEX_REDUCE_FORMULAS.get(str(ctx.raw("reduce")), ("{0}", "{0}"))
        if which == 0 and not bool(ctx.raw("include_self")):
            en, ko = en + " (0 at the places reduced into)", ko + " (축약한 자리는 0)"
        return Form(en, ko, [ctx.grad], lambda g: _index_reduced(ctx)[which], evaluated=True)

    return grad


def _index_reduce_params(ctx: Ctx) -> dict[str, str]:
    reduce = str(ctx.raw("reduce"))
    how = INDEX_REDUCE_WORDS.get(reduce, ("", ""))
    excluded = not bool(ctx.raw("include_self"))
    return {
        "reduce": reduce,
        "dim": str(ctx.integer("dim")),
        "how": how[0],
        "how_ko": how[1],
        "excluded": " With include_self=False the input's own values at those places were left out: they get 0."
        if excluded
        else "",
        "excluded_ko": " include_self=False이므로 그 자리의 입력 원래 값은 빠졌고, 0을 받습니다." if excluded else "",
    }


add(
    Rule(
        "IndexReduceBackward0",
        ("reducing slices into places by index (index_reduce)", "인덱스 자리로 조각 모아 축약하기(index_reduce)"),
        (
            "{y} = {x} with the slices of {s} reduced ({reduce}) into the places index names along axis {dim}",
            "{y} = index가 가리키는 자리({dim}번 축)에 {s}의 조각들을 {x}와 함께 축약({reduce})",
        ),
        (
            "∂{y}/∂{x}, ∂{y}/∂{s}: the {reduce} of each place's entries, differentiated",
            "∂{y}/∂{x}, ∂{y}/∂{s}: 각 자리 원소들의 {reduce}를 미분한 값",
        ),
        (
            "Each place named by index holds the {reduce} of {x}'s entry there and the slices of {s} sent to it, so "
            "{how}.{excluded}",
            "index가 가리키는 각 자리에는 그 자리의 {x} 원소와 거기로 보낸 {s}의 조각들을 {reduce}로 축약한 값이 "
            "들어 있습니다. 그래서 {how_ko}.{excluded_ko}",
        ),
        (Slot("self", "x", _index_reduce_slot(0)), Slot("source", "s", _index_reduce_slot(1))),
        params=_index_reduce_params,
    ),
)


# as_strided_ (in place): the same gradient as as_strided's
add(dataclasses.replace(RULES["AsStridedBackward0"], node="AsStridedBackward1"))


def _unique_none(name: str):
    from .elementwise import _no_derivative

    return _no_derivative(name)


add(
    *(
        Rule(
            node,
            ("unique values", "고유한 값") if "Consecutive" not in node else ("runs of equal values", "연속된 같은 값"),
            f"{{y}} = {call}",
            ("∂{y}/∂{x}: none in PyTorch", "∂{y}/∂{x}: PyTorch에는 없음"),
            (
                f"PyTorch defines no derivative for {call.split('(')[0]} (derivatives.yaml: not_implemented), so "
                "backward stops at this node with NotImplementedError. The values are entries of {x}: to send them a "
                "gradient, take them from {x} itself by index (torch.unique on {x}.detach() with "
                "return_inverse=True tells where each value came from).",
                f"PyTorch에는 {call.split('(')[0]}의 미분이 정의되어 있지 않아(derivatives.yaml: not_implemented) "
                "역전파가 이 노드에서 NotImplementedError를 내고 멈춥니다. 값들은 {x}의 원소이므로, 그래디언트를 "
                "보내려면 인덱스로 {x}에서 직접 가져오세요({x}.detach()에 torch.unique를 return_inverse=True로 쓰면 "
                "각 값이 어디서 왔는지 알 수 있습니다).",
            ),
            (Slot("self", "x", _unique_none(call.split("(")[0])),),
            first_output=True,
        )
        for node, call in (
            ("UniqueBackward0", "torch._unique({x})"),
            ("Unique2Backward0", "torch.unique({x})"),
            ("UniqueDimBackward0", "torch.unique({x}, dim=…)"),
            ("UniqueConsecutiveBackward0", "torch.unique_consecutive({x})"),
            ("UniqueDimConsecutiveBackward0", "torch.unique_consecutive({x}, dim=…)"),
        )
    )
)
