"""What an autograd node saved for backward, read the moment the node is found, without running any of the
snippet's code: tensors through torch's raw saved variables (`_raw_saved_<name>`, never unpacked, so no
saved-tensor unpack hook runs), other values (sizes, scalars, flags) as text.
"""

from typing import Any

import torch

from .torch_internals import RAW_SAVED, Packed, raw_saved
from .values import Kept, Values

# Saved values that only describe memory layout; sizes and the rest are kept.
LAYOUT_ONLY = ("_sym_strides", "_sym_storage_offset")
PLAIN_TYPES = (int, float, bool, str, type(None), torch.Size, torch.dtype, torch.device, torch.layout)

Saved = list[tuple[str, Any]]  # (name, Kept | Packed | a plain value); None when backward had freed them
_kinds: dict[type, tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]] = {}


def _kind(node: Any) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """What a kind of node saves: ((attribute, name) of each tensor, read raw: ("_raw_saved_self", "self"), a custom
    Function's `saved_tensors` as ("_raw_saved_tensors", "saved_tensors")), and (attribute, name) of every other
    value: ("_saved_dim", "dim")."""
    kind = _kinds.get(type(node))
    if kind is None:
        attrs = set(dir(node))
        tensors, plain = [], []
        for attr in sorted(attrs):
            if attr.startswith(RAW_SAVED):
                name = attr.removeprefix(RAW_SAVED)
                tensors.append((attr, "saved_tensors" if name == "tensors" else name))
            elif attr.startswith("_saved_") and not attr.endswith(LAYOUT_ONLY):
                name = attr.removeprefix("_saved_")
                if RAW_SAVED + name not in attrs:
                    plain.append((attr, name))
        kind = _kinds[type(node)] = (tuple(tensors), tuple(plain))
    return kind


def read_saved(node: Any, values: Values) -> Saved | None:
    """The node's saved values by name, tensors kept (as `values` keeps them). Once backward freed its tensors, only
    its plain values (a power's exponent, a sum's dims: torch keeps them), or None if it has none. (Plain values stay
    as they are: export writes them as text.)"""
    tensors, plain = _kinds.get(type(node)) or _kind(node)
    saved: Saved = []
    freed = False
    for attr, name in tensors:
        try:
            value = raw_saved(node, attr)
            if value is None and name != "saved_tensors":
                # an optional tensor not given (a bias), or one freed by backward: then the plain getter raises
                # (with no tensor there, no unpack hook can run)
                value = getattr(node, "_saved_" + name)
        except RuntimeError:  # freed by a backward pass already (a graph first met after it ran)
            freed = True
            continue
        if isinstance(value, list):
            saved += [(f"{name}[{i}]", _keep(item, values)) for i, item in enumerate(value)]
        else:
            saved.append((name, _keep(value, values)))
    for attr, name in plain:
        saved.append((name, getattr(node, attr)))
    return None if freed and not saved else saved


def _keep(value: Any, values: Values) -> Any:
    return values.keep(value) if isinstance(value, torch.Tensor) else value


_texts: dict[tuple[type, Any], str] = {}  # the few saved attributes a graph repeats (alpha=1), as text


def text(value: Any) -> str:
    """A saved non-tensor value as text; only plain values are written out (their repr runs no snippet code)."""
    try:
        return _texts[value.__class__, value]
    except KeyError:
        if len(_texts) > 4096:
            _texts.clear()
        written = _texts[value.__class__, value] = _text(value)
        return written
    except TypeError:  # unhashable
        return _text(value)


def _text(value: Any) -> str:
    if isinstance(value, PLAIN_TYPES) or (
        isinstance(value, (tuple, list)) and all(isinstance(v, PLAIN_TYPES) for v in value)
    ):
        return repr(value)[:200]
    return f"<{type(value).__name__}>"


PACKED_BY = {
    "snippet": "packed by the snippet's saved-tensor hook",
    "checkpoint": "not kept by torch.utils.checkpoint (computed again in backward)",
    "torch": "packed by a saved-tensor hook of torch's own",
}


def packed_text(packed: Packed) -> str:
    return f"{PACKED_BY[packed.by]} as {type(packed.value).__name__} (not unpacked)"


__all__ = ["Kept", "Saved", "packed_text", "read_saved", "text"]
