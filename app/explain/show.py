"""Numbers as the tutorial prints them: 5 significant digits (`-73.3`, `165.65`, `4`), nested lists for small
tensors, the shape and a few entries for large ones."""

import functools
import math
from typing import Any

import torch

from ..graph import listed_count

FEW = 3  # entries shown of a tensor over the size limit


def show_number(value: float | int | bool) -> str:
    """One value with at most 5 significant digits: 4.0 -> `4`, -73.30000305 -> `-73.3`, 1e-8 -> `1e-08` (`nan`,
    `inf`, `-inf` as Python writes them)."""
    if type(value) is not float:  # (a float first: nearly every value shown is one)
        if isinstance(value, bool):
            return "1" if value else "0"
        if isinstance(value, int):
            return str(value)
    text = f"{value:.5g}"
    return "0" if text == "-0" else text


def show_shape(shape: tuple[int, ...] | torch.Size) -> str:
    """`5×3`, `3`, or `()` for a scalar."""
    return "×".join(map(str, shape)) if len(shape) else "()"


def _nested(data: Any) -> str:
    if isinstance(data, list):
        return "[" + ", ".join(_nested(item) for item in data) + "]"
    return show_number(data)


FORMATTED_MAX = 1024  # float tensors up to this many entries are written with one printf format (see _layout)


@functools.lru_cache(maxsize=256)
def _layout(shape: tuple[int, ...]) -> str:
    """The printf format that writes a float tensor of `shape` as nested lists from its flat values, `%.5g` each
    (what show_number writes of a float: one format for all entries costs half a call of it per entry)."""
    inner = _layout(shape[1:]) if len(shape) > 1 else "%.5g"
    return "[" + ", ".join([inner] * shape[0]) + "]"


def materialized(value: torch.Tensor) -> torch.Tensor:
    """`value`, or real zeros of its shape when it is one of PyTorch's efficient zero tensors (what `sgn`'s backward
    sends for real inputs): those have no storage, and reading their values fails."""
    if value._is_zerotensor():
        return torch.zeros(value.shape, dtype=value.dtype)
    return value


def show_tensor(value: torch.Tensor | float | int, max_elements: int) -> str:
    """A tensor's values as nested lists when it has at most `max_elements` of them, else its shape and first
    entries (`(5×3)[0.1, 0.2, 0.3, …]`)."""
    if not isinstance(value, torch.Tensor):
        return show_number(value)
    value = materialized(value.detach())
    # (and a tensor with no values, when it has at most as many empty lists: `torch.zeros(300_000, 0)` was written as
    # 300,000 of them, in each of its explanations' numbers, which no NUMBERS_MAX_CHARS cut)
    if listed_count(list(value.shape), max(max_elements, 1)) <= max(max_elements, 1):
        if value.dim() and value.is_floating_point() and value.numel() <= FORMATTED_MAX:
            text = _layout(tuple(value.shape)) % tuple(value.reshape(-1).tolist())
            if "-0," not in text and "-0]" not in text:  # (else a -0 entry, written 0 by show_number)
                return text
        return _nested(value.tolist())
    head = leading(value, FEW)
    try:  # (numpy: a fraction of torch's cost for a few entries)
        first = head.numpy().reshape(-1)[:FEW].tolist()
    except (RuntimeError, TypeError):  # (a tensor numpy cannot see)
        first = head.reshape(-1)[:FEW].tolist()
    if not first:  # (no values)
        return f"({show_shape(value.shape)})[]"
    return f"({show_shape(value.shape)})[" + ", ".join(show_number(v) for v in first) + ", …]"


def leading(value: torch.Tensor, count: int) -> torch.Tensor:
    """A view of `value` whose first `count` values, in order, are `value`'s, holding no more than the rows they take:
    flattening a transposed weight, or an `expand` of a few values to 300 million (a broadcast gradient), copied it
    whole, and in a run's memory the copy failed."""
    while value.dim() > 1:  # (the first row while it holds them all, then the rows that do)
        row = math.prod(value.shape[1:])
        if row >= count:
            value = value[0]
            continue
        if row:
            value = value[: -(-count // row)]
        break
    return value
