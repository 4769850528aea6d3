"""A rule's gradient against the one PyTorch produced.

`max_abs_err` is the largest absolute difference; `max_rel_err` is that over the gradient's largest magnitude, or,
when that alone is past the tolerance, over the computation's scale (the largest magnitude met computing the
gradient: float rounding is relative to it, so cancellation does not fail a right rule); `ok` holds when
`max_rel_err` is within the tolerance of the dtype PyTorch computed in: the coarsest of the gradient's and those
the node received (a float32 gradient summed from bfloat16 ones, as autocast's layer norm sends its weight's, is
only as exact as bfloat16). NaN and infinities must sit at the same places with
the same signs.
"""

import math
from collections.abc import Callable

import numpy as np
import torch
from torch import Tensor

from .show import materialized

# Relative tolerance by the dtype PyTorch computed in: a few hundred roundings of that dtype (a wrong rule is
# off by the order of the value itself).
FLOAT8_RTOL = {"float8_e4m3fn": 0.0625, "float8_e4m3fnuz": 0.0625, "float8_e5m2": 0.125, "float8_e5m2fnuz": 0.125}
RTOL = {torch.float64: 1e-9, torch.float32: 1e-4, torch.float16: 1e-2, torch.bfloat16: 5e-2}
# float8 (torch rounds a gradient to its input's dtype): half the gap between two numbers of its, relative
RTOL |= {getattr(torch, name): rtol for name, rtol in FLOAT8_RTOL.items() if hasattr(torch, name)}
DEFAULT_RTOL = 1e-4


def tolerance(dtype: torch.dtype) -> float:
    return RTOL.get(dtype, DEFAULT_RTOL)


def _json_number(value: float) -> float | str:
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return value


def failed(reason_value: float = math.nan) -> dict:
    """The check of a rule that could not compare (shapes differ, the rule failed): not ok."""
    return {"ok": False, "max_abs_err": _json_number(reason_value), "max_rel_err": _json_number(reason_value)}


NUMPY_DTYPES = (torch.float64, torch.float32, torch.float16)
TINY = {dtype: torch.finfo(dtype).tiny for dtype in NUMPY_DTYPES}  # (torch.finfo costs a call into torch each time)


def _quick(ours: Tensor, theirs: Tensor, scale: float | Callable[[], float], rtol: float) -> dict | None:
    """The common case, in numpy (a call there costs a fraction of torch's): both finite everywhere (else the
    difference's largest entry is not finite) and plain CPU tensors. None: take the careful way."""
    if (
        theirs.dtype not in NUMPY_DTYPES
        or ours.dtype is not torch.float64
        or theirs.layout is not torch.strided
        or ours.layout is not torch.strided
        or theirs.device.type != "cpu"
        or not theirs.numel()
    ):
        return None
    try:
        expected = theirs.numpy()
        with np.errstate(all="ignore"):  # (NaN and infinities take the careful way below; nothing is printed)
            abs_err = float(np.abs(ours.numpy() - expected).max())
    except (RuntimeError, TypeError):  # (a tensor numpy cannot see: a conjugate or negative view, a subclass)
        return None
    if abs_err == 0.0:
        return {"ok": True, "max_abs_err": 0.0, "max_rel_err": 0.0}
    if not math.isfinite(abs_err):
        return None
    tiny = TINY[theirs.dtype]
    largest = float(np.abs(expected).max())  # (every entry finite, as the difference's are: nothing to warn of)
    rel_err = abs_err / max(largest, tiny)
    if rel_err > rtol:  # (only then is the computation's own scale worth finding)
        scale = scale() if callable(scale) else scale
        rel_err = abs_err / max(scale if math.isfinite(scale) else 0.0, largest, tiny)
    return {"ok": rel_err <= rtol, "max_abs_err": abs_err, "max_rel_err": rel_err}


def compare(
    ours: Tensor, theirs: Tensor, scale: float | Callable[[], float], received: tuple[torch.dtype, ...] = ()
) -> dict:
    """The Check dict of `ours` (float64) against PyTorch's `theirs`; `scale` may be given as a function (called only
    when the two differ: an exact match needs no scale); `received`: the dtypes of the gradients the node got."""
    theirs = materialized(theirs.detach())
    rtol = max(tolerance(dtype) for dtype in (theirs.dtype, *received))
    if theirs.is_complex() or ours.is_complex():
        return failed()
    if ours.shape != theirs.shape:
        return failed(math.inf)
    quick = _quick(ours, theirs, scale, rtol)
    if quick is not None:
        return quick
    expected = theirs.to(torch.float64)
    if theirs.is_floating_point() and theirs.dtype is not torch.float64:  # (past its dtype's range: torch's inf too)
        stored = ours.to(theirs.dtype).to(torch.float64)
        ours = torch.where(torch.isfinite(ours) & ~torch.isfinite(stored), stored, ours)
    scale = scale() if callable(scale) else scale
    finite = torch.isfinite(expected) & torch.isfinite(ours)
    same_special = (ours == expected) | (torch.isnan(ours) & torch.isnan(expected))
    if not bool((finite | same_special).all()):
        return failed(math.inf)
    diff = (ours - expected).abs()[finite]
    abs_err = float(diff.max()) if diff.numel() else 0.0
    tiny = torch.finfo(theirs.dtype).tiny if theirs.is_floating_point() else 1e-300
    reference = max(scale if math.isfinite(scale) else 0.0, float(expected[finite].abs().max()) if diff.numel() else 0)
    rel_err = abs_err / max(reference, tiny)
    return {"ok": rel_err <= rtol, "max_abs_err": abs_err, "max_rel_err": rel_err}
