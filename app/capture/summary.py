"""Tensor values as JSON-ready summaries (app.graph.Summary): small tensors in full, large ones cut, with
statistics; values that cannot be read are marked, never guessed.

A run's summaries share one budget of values (`max_values`): the export asks for the values that describe the
snippet's end first, so a long training loop or a big network keeps its final state in full and shows the rest
as statistics once the budget is spent. That bounds the Run's size whatever the snippet does.

Small float tensors are read in batches at the end (`flush`): stacked by dtype and shape, a handful of torch calls
read thousands of tensors, and their `data` goes to the JSON writer as numpy views, never as Python floats.
"""

import contextlib
import math
import weakref
from typing import Any

import numpy as np
import torch
from torch import Tensor

from ..explain.show import leading
from ..graph import NESTED_DIMS, listed_count
from .peek import OWN_DISPATCH, runs_own_dispatch, runs_python_dispatch, torch_subclass_values
from .torch_internals import DisableTorchDispatch, DisableTorchFunction, is_wrapped, sparse_out_of_bounds
from .values import Kept, freed

STRIDED = torch.strided
DTYPE_NAMES: dict[torch.dtype, str] = {}
PYTHON_STATS_ELEMENTS = 512  # up to this many values, statistics come from one tolist() (fewer torch calls)
# How many values all of a run's summaries may hold, as written in the Run: a summary counts its values times the
# places it is written in (a gradient: GRAD_PLACES). About 11 bytes of JSON a value: at most about 22 MiB of a Run
# are values, well under max_result_bytes (64 MiB), whatever the snippet does.
RUN_VALUES = 2_000_000
READ_PRUNED_PAST = 64  # digests past which those of tensors freed since are first forgotten (Summaries.digest)
GRAD_PLACES = 4  # a gradient shows as what one node produced, on the edge, as what the next received, on its tensor
CHANGED_UNSEEN = "changed in place before gradwalk could keep a copy"
OUT_OF_BOUNDS = (
    "a sparse tensor with an index outside its size (torch checks them only when asked): reading it would write past "
    "the end of its memory"
)
FREED = "its memory was freed under it (its storage resized: untyped_storage().resize_): there are no values to read"
FUNCTORCH = "a torch.func wrapper: its values exist only inside the transform"
META = "a meta tensor: it has a shape and a dtype but no values"
UNSET = (
    "not filled yet: torch.empty (or the like) gives memory as it was, whatever it held, and no op has written to this "
    "tensor yet"
)
NESTED = "a nested tensor: its pieces differ in shape, so no one shape holds its values"
SYMBOLIC = (
    "a tensor torch traced with a symbolic shape (its compiler, torch.library.opcheck): it stands for tensors of any "
    "size and holds no values"
)
TORCH_SUBCLASS = (
    "a tensor subclass of torch's own (`__torch_dispatch__`) whose values gradwalk does not read (a MaskedTensor's "
    "are read when no entry is masked out: a masked-out entry has no value)"
)

Summary = dict[str, Any]


def dtype_name(dtype: torch.dtype) -> str:
    return DTYPE_NAMES.get(dtype) or DTYPE_NAMES.setdefault(dtype, str(dtype).removeprefix("torch."))


def symbolic(shape: Any) -> bool:
    """Whether a shape has a size torch traced as a symbol (a SymInt: its compiler, torch.library.opcheck), which no
    Run can hold."""
    return any(type(size) is not int for size in shape)


def unreadable(tensor: torch.Tensor | None, reason: str) -> Summary:
    """A summary that says why the values could not be read; shape and dtype if even those can be read."""
    shape: list[int] = []
    dtype = "unknown"
    if tensor is not None:
        with contextlib.suppress(Exception):  # (whatever a broken tensor raises, the run goes on)
            shape, dtype = list(tensor.shape), dtype_name(tensor.dtype)
            if symbolic(shape):  # (a jagged nested tensor's ragged dim is a symbol too: it is a nested tensor)
                shape, reason = ([tensor.size(0)], NESTED) if tensor.is_nested else ([], SYMBOLIC)
    return {"shape": shape, "dtype": dtype, "data": None, "truncated": False, "unreadable": reason}


def _unreadable(tensor: torch.Tensor, exc: Exception) -> Summary:
    """The summary of a tensor that could not be read: a nested tensor as such (its shape: how many pieces), a vmap
    or torch.func wrapper as such (whatever its error says: the older vmap's names neither)."""
    with contextlib.suppress(Exception):
        if is_wrapped(tensor):
            return unreadable(tensor, FUNCTORCH)
        if tensor.is_nested:
            return {
                "shape": [tensor.size(0)],
                "dtype": dtype_name(tensor.dtype),
                "data": None,
                "truncated": False,
                "unreadable": NESTED,
            }
    return unreadable(tensor, _reason(exc))


def _reason(exc: Exception) -> str:
    text = str(exc)
    if "vmap" in text or "functorch" in text or "escaped" in text:
        return FUNCTORCH
    return f"{type(exc).__name__}: {text.splitlines()[0][:160] if text else ''}"


def _finite(value: Any) -> Any:
    """Replace NaN and infinities (which JSON cannot hold) by the strings "nan", "inf", "-inf"."""
    if isinstance(value, list):
        return [_finite(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    return value


def _total(data: Any) -> float:
    """Sum of nested lists of numbers: finite exactly when no value is NaN or infinite (or it overflows, which only
    costs a closer look)."""
    if data and isinstance(data[0], list):
        return sum(_total(row) for row in data)
    return sum(data)


def summarize(tensor: torch.Tensor, limit: int) -> Summary:
    """The Summary of one tensor: shape, dtype, up to `limit` values, and min/max/mean when cut."""
    dispatched = type(tensor) is not Tensor and runs_python_dispatch(tensor)
    if dispatched and runs_own_dispatch(tensor):
        return unreadable(tensor, OWN_DISPATCH[0])
    if is_wrapped(tensor):
        return unreadable(tensor, FUNCTORCH)
    if freed(tensor):
        return unreadable(tensor, FREED)
    try:
        # (a subclass's __torch_function__ is snippet code, as is a dispatch mode of the snippet's)
        with DisableTorchFunction(), DisableTorchDispatch():
            if dispatched:  # (torch's own wrapper subclass: read where its class keeps its values, if gradwalk can)
                inner = torch_subclass_values(tensor)
                if inner is None:
                    return unreadable(tensor, TORCH_SUBCLASS)
                tensor = inner
            return _summarize(tensor.detach(), limit)
    except Exception as exc:  # nested, functorch wrappers...: marked, and the run goes on
        return _unreadable(tensor, exc)


def _summarize(t: torch.Tensor, limit: int) -> Summary:
    if symbolic(t.shape):
        return unreadable(t, SYMBOLIC)
    summary: Summary = {"shape": list(t.shape), "dtype": dtype_name(t.dtype), "data": None, "truncated": False}
    if t.is_meta:  # (`model.to("meta")`, as torch.func's ensembling does: nothing to read, and none expected)
        return {**summary, "unreadable": META}
    if t.is_quantized:  # (the real numbers its integers stand for, as print shows them; tolist() cannot read it)
        t = t.dequantize()
    if t._is_zerotensor():  # (zeros autograd gives without memory, `sgn`'s gradient: nothing to read, all 0)
        t = torch.zeros(t.shape, dtype=t.dtype)
    if t.layout is not STRIDED and sparse_out_of_bounds(t):
        return {**summary, "unreadable": OUT_OF_BOUNDS}
    if t.layout is not STRIDED or not t.is_cpu or t.is_complex():
        t = torch.view_as_real(t.to_dense().cpu().resolve_conj()) if t.is_complex() else t.to_dense().cpu()
    floating = t.is_floating_point()
    count = t.numel()
    # (deeper: flat, as a large tensor's first values; and a tensor with no values but more rows than `limit`, the
    # empty lists a listing would take: listed_count)
    if listed_count(list(t.shape), limit) <= limit and t.dim() <= NESTED_DIMS:
        data = t.tolist()
        if floating and not math.isfinite(data if isinstance(data, float) else _total(data)):
            data = _finite(data)
        summary["data"] = data
        return summary
    summary["truncated"] = True
    if count == 0:  # (no value to list or count: NaN, as torch's mean of no values)
        summary.update(data=[], min="nan", max="nan", mean="nan")
        return summary
    if count <= PYTHON_STATS_ELEMENTS and t.dtype is not torch.bool:
        flat = t.reshape(-1).tolist()
        total = sum(flat)
        if not floating or math.isfinite(total):
            summary.update(data=flat[:limit], min=min(flat), max=max(flat), mean=total / count)
            return summary
    summary["data"] = leading(t, limit).reshape(-1)[:limit].tolist()
    t = _unexpanded(t)  # (after the first values: in order)
    numbers = _in_memory_order(t) if floating else t.double()
    low, high = torch.aminmax(numbers)
    mean = numbers.mean(dtype=torch.float64).item()  # (in float32, values near its largest overflowed to inf)
    summary.update(min=low.item(), max=high.item(), mean=mean)
    if floating and not all(math.isfinite(summary[key]) for key in ("min", "max", "mean")):
        for key in ("data", "min", "max", "mean"):
            summary[key] = _finite(summary[key])
    return summary


def _unexpanded(t: torch.Tensor) -> torch.Tensor:
    """`t` with every axis that repeats one value (stride 0: `expand`, a broadcast gradient) cut to one entry: the
    same minimum, maximum and mean, each value repeated as often. Their statistics copied the tensor whole first: a
    `(10**8, 3)` expand of 3 values asked for 1.2 GB and was marked unreadable, where torch holds 12 bytes."""
    if 0 not in t.stride() or t.numel() == 0:
        return t
    size = [1 if stride == 0 else n for n, stride in zip(t.shape, t.stride(), strict=True)]
    return t.as_strided(size, t.stride(), t.storage_offset())


def _in_memory_order(t: torch.Tensor) -> torch.Tensor:
    """The same values as a contiguous view when `t` is a permuted dense tensor (a transposed weight, a saved
    `mat2`): statistics read in memory order cost a tenth of those read across strides."""
    if t.is_contiguous():
        return t
    strides, shape = t.stride(), t.shape
    permuted = t.permute(sorted(range(t.dim()), key=lambda d: (-strides[d], -shape[d])))
    return permuted if permuted.is_contiguous() else t


def _count(summary: Summary) -> int:
    """How many values a summary holds."""
    data = summary["data"]
    if data is None:
        return 0
    if isinstance(data, (list, np.ndarray)):
        return int(np.size(data)) if isinstance(data, np.ndarray) else len(_flat(data))
    return 1


def _flat(data: list) -> list:
    return [v for item in data for v in (_flat(item) if isinstance(item, list) else [item])]


def _cut(summary: Summary, limit: int) -> Summary:
    """A summary with at most `limit` values: its first ones, and the statistics of all (a summary listing every
    value is nested as its shape, and has none yet)."""
    if summary["truncated"]:
        return {**summary, "data": summary["data"][:limit]}
    flat = _flat(summary["data"])
    numbers = [float(v) for v in flat]  # ("nan", "inf" and "-inf" too)
    if any(math.isnan(v) for v in numbers):  # (as torch's aminmax: NaN anywhere makes every statistic NaN)
        low = high = mean = math.nan
    else:
        low, high, mean = min(numbers), max(numbers), math.fsum(numbers) / len(numbers)
    return {
        **summary,
        "data": flat[:limit],
        "truncated": True,
        "min": _finite(low),
        "max": _finite(high),
        "mean": _finite(mean),
    }


class Summaries:
    """The summaries of one run: made at export, within one budget of values, batched where it pays."""

    BATCHED = (torch.float32, torch.float64)
    BATCH_FROM = 2  # scalars cost less to read at once than to stack
    BATCH_ELEMENTS = 4096  # larger tensors are read one by one

    def __init__(self, max_elements: int, max_values: int):
        self.max_elements = max_elements
        self.left = max_values  # values the budget still allows
        self.made: dict[int, Summary] = {}  # id(tensor read, or digest placed) -> its summary
        self.keep: list[Any] = []  # what `made` names by id stays alive until export ends
        self.pending: dict[tuple, _Batch | None] = {}  # (dtype, shape, contiguous, limit) -> batch (None: alone)
        self.read: dict[int, tuple[weakref.ref, int, Summary]] = {}  # digests by id(tensor): `digest`
        self.prune_past = READ_PRUNED_PAST  # entries in `read` past which those of freed tensors are dropped

    def digest(self, tensor: torch.Tensor) -> Summary:
        """A summary made now, with `max_elements` values (for a large value not worth keeping alive); `place` trims
        it to the budget at export. A tensor is read once per version: the gradient one node sends is the one the
        next receives, and a value let go of may be kept twice (a weak reference tells whether an id still names
        the tensor read)."""
        try:
            version = tensor._version
        except RuntimeError:  # an inference tensor: read each time
            return summarize(tensor, self.max_elements)
        read = self.read
        seen = read.get(id(tensor))
        if seen is not None and seen[1] == version and seen[0]() is tensor:
            return seen[2]
        if len(read) > self.prune_past:
            self.read = read = {key: entry for key, entry in read.items() if entry[0]() is not None}
            self.prune_past = max(READ_PRUNED_PAST, 2 * len(read))
        digest = summarize(tensor, self.max_elements)
        with contextlib.suppress(TypeError):  # (a tensor subclass without weak references: read each time)
            read[id(tensor)] = (weakref.ref(tensor), version, digest)
        return digest

    def of_kept(self, kept: Kept, places: int = 1) -> Summary:
        """The summary of a kept value as it was when kept."""
        if kept.digest is not None:  # (let go of while the snippet ran)
            return self.place(kept.digest, places)
        tensor = kept.copy
        if tensor is None:  # (Kept.now(), inlined: every value of a run passes here)
            tensor = kept.tensor
            try:
                changed = tensor._version != kept.version
            except RuntimeError:  # an inference tensor
                changed = kept.version != -1
            if changed:  # (a torch.func wrapper is never copied: its values exist only inside the transform)
                return unreadable(tensor, FUNCTORCH if is_wrapped(tensor) else CHANGED_UNSEEN)
            if freed(tensor):
                return unreadable(tensor, FREED)
        return self(tensor, places)

    def place(self, digest: Summary, places: int = 1) -> Summary:
        """A digest, trimmed to what the budget still allows."""
        placed = self.made.get(id(digest))
        if placed is None:
            data, limit = digest["data"], min(self.max_elements, max(self.left, 0) // places)
            placed = digest
            if isinstance(data, list) and _count(digest) > limit:
                placed = _cut(digest, limit)
            self.left -= _count(placed) * places
            self.made[id(digest)] = placed
            self.keep.append(digest)
        return placed

    def __call__(self, tensor: torch.Tensor, places: int = 1) -> Summary:
        """The summary of `tensor` as it is at export (values filled in by `flush`)."""
        known = self.made.get(id(tensor))
        if known is not None:
            return known
        if freed(tensor):
            return unreadable(tensor, FREED)
        try:
            count = tensor.numel()
            if type(count) is not int:  # (a SymInt: no summary's shape or value budget can hold it)
                return unreadable(tensor, SYMBOLIC)
            key = None
            plain = type(tensor) is Tensor or not runs_python_dispatch(tensor)
            if plain and tensor.layout is STRIDED and tensor.is_cpu and not is_wrapped(tensor):
                # (contiguous tensors are batched apart: torch stacks them in one copy, the others one by one)
                key = (tensor.dtype, tensor.shape, tensor.is_contiguous())
        except Exception as exc:
            return _unreadable(tensor, exc)
        limit = min(self.max_elements, max(self.left, 0) // places)  # (values a summary in `places` places may hold)
        self.left -= min(count, limit) * places
        group = None
        if key is not None:
            batch = (*key, limit)
            if batch not in self.pending:
                self.pending[batch] = self._group(tensor.dtype, tensor.shape, limit)
            group = self.pending[batch]
        if group is not None:
            summary = dict(group.blank)
            group.tensors.append(tensor)
            group.summaries.append(summary)
        else:
            summary = summarize(tensor, limit)
        self.keep.append(tensor)
        self.made[id(tensor)] = summary
        return summary

    def _group(self, dtype: torch.dtype, shape: torch.Size, limit: int) -> "_Batch | None":
        """A batch for tensors of this dtype and shape, or None if they are read one by one."""
        count = shape.numel()
        if dtype not in self.BATCHED or not self.BATCH_FROM <= count <= self.BATCH_ELEMENTS or len(shape) > NESTED_DIMS:
            return None
        blank: Summary = {"shape": list(shape), "dtype": dtype_name(dtype), "data": None, "truncated": count > limit}
        if blank["truncated"]:
            blank.update(min=None, max=None, mean=None)
        return _Batch(blank, limit)

    def flush(self) -> None:
        """Fill in every summary still waiting for its values, one batch per dtype, shape and contiguity."""
        with torch.no_grad(), DisableTorchFunction(), DisableTorchDispatch():
            for group in self.pending.values():
                if group is None or not group.tensors:
                    continue
                try:
                    self._fill(group)
                except Exception:  # a tensor that cannot be stacked: one by one, each marked if need be
                    for tensor, summary in zip(group.tensors, group.summaries, strict=True):
                        summary.update(summarize(tensor, group.limit))
        self.pending.clear()

    def _fill(self, group: "_Batch") -> None:
        """One stack, then numpy (a call costs a microsecond there, several in torch)."""
        copies, summaries, most = group.tensors, group.summaries, group.limit
        if len(copies) == 1:
            summaries[0].update(summarize(copies[0], most))
            return
        stacked = torch.stack(copies).numpy()
        rows = stacked.reshape(len(copies), -1)  # one row of values per tensor
        if rows.shape[1] <= most:
            finite = np.isfinite(rows).all(1).tolist()
            for summary, data, ok, copy in zip(summaries, list(stacked), finite, copies, strict=True):
                if ok:
                    summary["data"] = data
                else:  # NaN or infinities: the careful path
                    summary.update(summarize(copy, most))
            return
        low, high = rows.min(1), rows.max(1)  # (NaN anywhere makes min and max NaN)
        means = rows.mean(1, dtype=np.float64)  # (in float32, values near its largest overflowed to inf, written null)
        finite = (np.isfinite(low) & np.isfinite(high) & np.isfinite(means)).tolist()
        columns = zip(summaries, list(rows[:, :most]), low.tolist(), high.tolist(), means.tolist(), finite, strict=True)
        for i, (summary, head, lowest, highest, mean, ok) in enumerate(columns):
            if ok:
                summary["data"], summary["min"], summary["max"], summary["mean"] = head, lowest, highest, mean
            else:  # NaN or infinities: the careful path
                summary.update(summarize(copies[i], most))

    def clear(self) -> None:
        self.made.clear()
        self.keep.clear()
        self.pending.clear()


class _Batch:
    """Tensors of one dtype, shape and value limit waiting to be read together, and their summaries."""

    __slots__ = ("blank", "limit", "summaries", "tensors")

    def __init__(self, blank: Summary, limit: int):
        self.blank = blank
        self.limit = limit
        self.tensors: list[torch.Tensor] = []
        self.summaries: list[Summary] = []
