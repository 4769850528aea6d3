"""Tensor values as JSON-ready summaries: small tensors in full, large ones cut with statistics.

This runs for every tensor, gradient and saved value of a graph, so it counts its torch calls: `Summaries`
reads small float tensors in batches; `summarize` reads any one tensor (statistics of tensors up to
`PYTHON_STATS_ELEMENTS` values in Python from one `tolist()`, of larger ones in torch).
"""

import contextlib
import math
import weakref

import torch

PYTHON_STATS_ELEMENTS = 512
STRIDED = torch.strided
DTYPE_NAMES: dict[torch.dtype, str] = {}


def _finite(value):
    """Replace NaN and infinities (which JSON cannot hold) by the strings "nan", "inf", "-inf"."""
    if isinstance(value, list):
        return [_finite(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    return value


def _total(data) -> float:
    """Sum of nested lists of numbers: finite exactly when no value is NaN or infinite (or it overflows,
    which only costs a closer look)."""
    if data and isinstance(data[0], list):
        return sum(_total(row) for row in data)
    return sum(data)


def summarize(tensor: torch.Tensor, max_elements: int) -> dict:
    """The Summary of a tensor: shape, dtype, up to `max_elements` values, and min/max/mean when cut."""
    t = tensor.detach()
    dtype = t.dtype
    name = DTYPE_NAMES.get(dtype) or _dtype_name(dtype)
    summary = {"shape": list(t.shape), "dtype": name, "data": None, "truncated": False}
    try:
        if t.layout is not STRIDED or not t.is_cpu or t.is_complex():
            t = torch.view_as_real(t.to_dense().cpu()) if t.is_complex() else t.to_dense().cpu()
        floating = t.is_floating_point()
        count = t.numel()
        if count <= max_elements:
            data = t.tolist()
            if floating and not math.isfinite(data if isinstance(data, float) else _total(data)):
                data = _finite(data)
            summary["data"] = data
            return summary
        summary["truncated"] = True
        if count <= PYTHON_STATS_ELEMENTS and t.dtype is not torch.bool:
            flat = t.reshape(-1).tolist()
            total = sum(flat)
            if not floating or math.isfinite(total):
                summary.update(data=flat[:max_elements], min=min(flat), max=max(flat), mean=total / count)
                return summary
        flat = t.reshape(-1)
        numbers = flat if floating else flat.double()
        low, high = torch.aminmax(numbers)
        summary.update(data=flat[:max_elements].tolist(), min=low.item(), max=high.item(), mean=numbers.mean().item())
        if floating and not (math.isfinite(summary["min"]) and math.isfinite(summary["max"])):
            for key in ("data", "min", "max", "mean"):
                summary[key] = _finite(summary[key])
    except (RuntimeError, TypeError, ValueError, NotImplementedError):
        summary["data"] = None  # meta, quantized or otherwise unreadable tensors keep shape and dtype only
        summary["truncated"] = False
    return summary


class Summaries:
    """Summaries for one run, cached and made in batches.

    Cached by what a tensor holds (storage address, shape, strides, dtype, version): a tensor met twice, or
    met again through another tensor object on the same memory (a saved output, a stolen gradient), is read
    once. Cache entries hold their tensor weakly and count only while it lives, so a reused address is never
    mistaken for the old tensor.

    Small float tensors, nearly all of a graph, are read at `flush()`, stacked by dtype and shape: a deep model
    has few distinct shapes, so a handful of torch calls read thousands of tensors. Until then their summary
    dict holds shape and dtype, and the tensor is kept as it is; `protect()` copies the ones on a storage that
    an in-place op is about to change, so each summary still shows the values the tensor had when it was met.
    """

    BATCHED = (torch.float32, torch.float64)
    BATCH_FROM = 17  # tinier tensors (scalars above all) cost less to read at once than to copy
    BATCH_ELEMENTS = 4096

    def __init__(self, max_elements: int):
        self.max_elements = max_elements
        self.cache: dict[tuple, tuple[weakref.ref, dict]] = {}
        self.pending: dict[tuple, list[list]] = {}  # (dtype, shape) -> [tensor, summary] waiting to be read
        self.live: dict[int, list[list]] = {}  # storage address -> the waiting entries still reading it

    def __call__(self, tensor) -> dict | None:
        if not isinstance(tensor, torch.Tensor):
            return None
        try:
            key = (tensor.data_ptr(), tensor.shape, tensor.stride(), tensor.dtype, tensor._version)
        except RuntimeError:  # no storage or version to name (sparse, nested, inference): not cached
            return summarize(tensor, self.max_elements)
        hit = self.cache.get(key)
        if hit is not None and hit[0]() is not None:
            return hit[1]
        dtype = tensor.dtype
        if (
            dtype in self.BATCHED
            and tensor.layout is STRIDED
            and tensor.is_cpu
            and self.BATCH_FROM <= tensor.numel() <= self.BATCH_ELEMENTS
        ):
            summary = {
                "shape": list(tensor.shape),
                "dtype": DTYPE_NAMES.get(dtype) or _dtype_name(dtype),
                "data": None,
                "truncated": False,
            }
            entry = [tensor, summary]
            self.pending.setdefault((dtype, tensor.shape), []).append(entry)
            self.live.setdefault(tensor.untyped_storage().data_ptr(), []).append(entry)
        else:
            summary = summarize(tensor, self.max_elements)
        with contextlib.suppress(TypeError):  # a tensor type that takes no weak references: not cached
            self.cache[key] = (weakref.ref(tensor), summary)
        return summary

    def protect(self, tensor: torch.Tensor) -> None:
        """Copy the waiting tensors that share `tensor`'s storage: an in-place op is about to change it."""
        try:
            entries = self.live.pop(tensor.untyped_storage().data_ptr(), ())
        except (RuntimeError, NotImplementedError):  # no storage (sparse, nested, meta)
            return
        for entry in entries:
            entry[0] = entry[0].detach().clone()

    def flush(self):
        """Fill in every summary still waiting for its values, one batch per dtype and shape."""
        with torch.no_grad():
            for group in self.pending.values():
                tensors, summaries = [tensor for tensor, _ in group], [summary for _, summary in group]
                if len(tensors) == 1:
                    summaries[0].update(summarize(tensors[0], self.max_elements))
                else:
                    self._fill(tensors, summaries)
        self.pending.clear()
        self.live.clear()

    def _fill(self, copies: list[torch.Tensor], summaries: list[dict]):
        most = self.max_elements
        stacked = torch.stack(copies)
        rows = stacked.reshape(len(copies), -1)  # one row of values per tensor
        if rows.shape[1] <= most:
            finite = torch.isfinite(rows).all(1).tolist()
            for summary, data, ok, copy in zip(summaries, stacked.tolist(), finite, copies, strict=True):
                if ok:
                    summary["data"] = data
                else:  # NaN or infinities: the careful path
                    summary.update(summarize(copy, most))
            return
        lows, highs = (column.tolist() for column in torch.aminmax(rows, dim=1))
        means = rows.mean(1).tolist()
        heads = rows[:, :most].tolist()
        for i, summary in enumerate(summaries):
            if math.isfinite(lows[i]) and math.isfinite(highs[i]):
                summary.update(data=heads[i], truncated=True, min=lows[i], max=highs[i], mean=means[i])
            else:
                summary.update(summarize(copies[i], most))


def _dtype_name(dtype: torch.dtype) -> str:
    return DTYPE_NAMES.setdefault(dtype, str(dtype).removeprefix("torch."))
