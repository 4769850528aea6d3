"""Tensor values as JSON-ready summaries: small tensors in full, large ones cut with statistics.

This runs for every tensor, gradient and saved value of a graph, so it counts its torch calls: `Summaries`
reads small float tensors in batches; `summarize` reads any one tensor (statistics of tensors up to
`PYTHON_STATS_ELEMENTS` values in Python from one `tolist()`, of larger ones in torch).
"""

import contextlib
import math

import numpy as np
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
    """The summaries of one run, made at export in batches from tensors the recorder kept.

    While the snippet runs, the recorder only keeps references: each forward tensor with the version it had, and
    the gradients each autograd hook received (`hold`, which summarizes at once only gradients too large to
    keep). Reading values then costs nothing per op. In-place ops are the one hazard: before one runs,
    `protect()` copies every kept tensor on the storage it is about to change, so a summary still shows the
    values the tensor had when it was met (the storages of kept tensors are indexed only when such an op comes).

    At export, `__call__` hands out one summary dict per tensor object (kept tensors are alive, so their ids are
    unique), holding shape and dtype at first; `flush()` then reads small float tensors stacked by dtype and
    shape: a deep model has few distinct shapes, so a handful of torch calls read thousands of tensors. Their
    `data` is a numpy view into the stack, not Python floats (1.5 million of them for a 10k-node graph, a third
    of a capture's memory): `app.capture.dumps` writes it as JSON numbers.
    """

    BATCHED = (torch.float32, torch.float64)
    BATCH_FROM = 2  # scalars cost less to read at once than to copy
    BATCH_ELEMENTS = 4096  # larger gradients are summarized as they pass, not kept

    def __init__(self, max_elements: int):
        self.max_elements = max_elements
        self.held: list = []  # kept tensors, and tuples of gradients, in the order met
        self.indexed = 0  # how much of `held` is in `storages`
        self.storages: dict[int, list[torch.Tensor]] = {}  # storage address -> kept tensors on it, unprotected
        self.frozen: dict[int, dict[int, torch.Tensor]] = {}  # id(tensor) -> {its version: a copy from then}
        self.made: dict[int, dict] = {}  # id(tensor) -> its summary
        self.pending: dict[tuple, _Batch | None] = {}  # (dtype, shape, contiguous) -> its batch (None: one by one)
        self.keep: list[torch.Tensor] = []  # what `made` names by id stays alive until export ends

    # -- while the snippet runs ------------------------------------------------------------------------

    def hold(self, grads: tuple) -> tuple:
        """Keep a hook's gradients (a tuple of tensors and None) for export; the ones too large to keep are
        replaced by their summary now. Returns what to store."""
        big = self.BATCH_ELEMENTS
        for g in grads:
            if g is not None and g.numel() > big:
                with torch._C.DisableTorchFunction():  # (a hook may run under the recorder's mode)
                    grads = tuple(
                        summarize(g, self.max_elements) if g is not None and g.numel() > big else g for g in grads
                    )
                break
        self.held.append(grads)
        return grads

    def protect(self, tensor: torch.Tensor) -> None:
        """Copy the kept tensors that share `tensor`'s storage: an in-place op is about to change it."""
        try:
            address = tensor.untyped_storage().data_ptr()
        except (RuntimeError, NotImplementedError):  # no storage (sparse, nested, meta)
            return
        self._index()
        for kept in self.storages.pop(address, ()):
            versions = self.frozen.setdefault(id(kept), {})
            version = kept._version
            if version not in versions:
                versions[version] = kept.detach().clone()

    def _index(self):
        held = self.held
        for item in held[self.indexed :]:
            for tensor in item if isinstance(item, tuple) else (item,):
                if isinstance(tensor, torch.Tensor):
                    with contextlib.suppress(RuntimeError, NotImplementedError):
                        self.storages.setdefault(tensor.untyped_storage().data_ptr(), []).append(tensor)
        self.indexed = len(held)

    def clear(self):
        """Drop every tensor and summary kept (after export: the hooks that call `hold` may outlive the run)."""
        for kept in (self.held, self.keep, self.storages, self.frozen, self.made, self.pending):
            kept.clear()
        self.indexed = 0

    # -- at export -------------------------------------------------------------------------------------

    def __call__(self, tensor, version: int | None = None) -> dict | None:
        """The summary of a kept tensor as it was when met: at `version`, or for a gradient (no version) as it
        was when kept. A summary made earlier (`hold`) passes through; anything else is None."""
        if self.frozen:
            copies = self.frozen.get(id(tensor))
            if copies:
                tensor = copies.get(version, tensor) if version is not None else copies[min(copies)]
        summary = self.made.get(id(tensor))  # (never the id of a live non-tensor: `made` keeps its tensors)
        if summary is not None:
            return summary
        if not isinstance(tensor, torch.Tensor):
            return tensor if isinstance(tensor, dict) else None
        group = None
        if tensor.layout is STRIDED and tensor.is_cpu:
            # (contiguous tensors are batched apart: torch stacks them in one copy, the others one by one)
            key = (tensor.dtype, tensor.shape, tensor.is_contiguous())
            group = self.pending.get(key, _UNSEEN)
            if group is _UNSEEN:
                group = self.pending[key] = self._group(tensor.dtype, tensor.shape)
        if group is not None:
            summary = dict(group.blank)
            group.tensors.append(tensor)
            group.summaries.append(summary)
        else:
            summary = summarize(tensor, self.max_elements)
            self.keep.append(tensor)
        self.made[id(tensor)] = summary
        return summary

    def _group(self, dtype: torch.dtype, shape: torch.Size) -> "_Batch | None":
        """A batch for tensors of this dtype and shape, or None if they are read one by one."""
        count = shape.numel()
        if dtype not in self.BATCHED or not self.BATCH_FROM <= count <= self.BATCH_ELEMENTS:
            return None
        blank = {"shape": list(shape), "dtype": DTYPE_NAMES.get(dtype) or _dtype_name(dtype), "data": None}
        blank["truncated"] = count > self.max_elements
        if blank["truncated"]:
            blank.update(min=None, max=None, mean=None)
        return _Batch(blank)

    def flush(self):
        """Fill in every summary still waiting for its values, one batch per dtype, shape and contiguity."""
        with torch.no_grad():
            for group in self.pending.values():
                if group is None or not group.tensors:
                    continue
                if len(group.tensors) == 1:
                    group.summaries[0].update(summarize(group.tensors[0], self.max_elements))
                else:
                    self._fill(group.tensors, group.summaries)
        self.pending.clear()

    def _fill(self, copies: list[torch.Tensor], summaries: list[dict]):
        """One stack, then numpy (a call costs a microsecond there, several in torch: a small graph's few
        batches are mostly per-call cost)."""
        most = self.max_elements
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
        low, high, means = rows.min(1), rows.max(1), rows.mean(1)  # (NaN anywhere makes min and max NaN)
        finite = (np.isfinite(low) & np.isfinite(high)).tolist()
        columns = zip(summaries, list(rows[:, :most]), low.tolist(), high.tolist(), means.tolist(), finite, strict=True)
        for i, (summary, head, lowest, highest, mean, ok) in enumerate(columns):
            if ok:
                summary["data"], summary["min"], summary["max"], summary["mean"] = head, lowest, highest, mean
            else:  # NaN or infinities: the careful path
                summary.update(summarize(copies[i], most))


_UNSEEN = object()


class _Batch:
    """Tensors of one dtype and shape waiting to be read together, and their summaries (copies of `blank`)."""

    __slots__ = ("blank", "summaries", "tensors")

    def __init__(self, blank: dict):
        self.blank = blank
        self.tensors: list[torch.Tensor] = []
        self.summaries: list[dict] = []


def _dtype_name(dtype: torch.dtype) -> str:
    return DTYPE_NAMES.setdefault(dtype, str(dtype).removeprefix("torch."))
