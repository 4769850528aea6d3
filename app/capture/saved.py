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

Saved = list[tuple[str, Any]]  # (name, Kept | Packed | text); None when backward had freed them already
_names_by_type: dict[type, tuple[tuple[str, str, bool], ...]] = {}


def _names(node: Any) -> tuple[tuple[str, str, bool], ...]:
    """(attribute, name, raw) for each value a kind of node saves: ("_raw_saved_self", "self", True) for a
    tensor, ("_saved_dim", "dim", False) for anything else; a custom Function's `saved_tensors` as
    ("_raw_saved_tensors", "saved_tensors", True)."""
    names = _names_by_type.get(type(node))
    if names is None:
        attrs = set(dir(node))
        found = []
        for attr in sorted(attrs):
            if attr.startswith(RAW_SAVED):
                name = attr.removeprefix(RAW_SAVED)
                found.append((attr, "saved_tensors" if name == "tensors" else name, True))
            elif attr.startswith("_saved_") and not attr.endswith(LAYOUT_ONLY):
                name = attr.removeprefix("_saved_")
                if RAW_SAVED + name not in attrs:
                    found.append((attr, name, False))
        names = _names_by_type[type(node)] = tuple(found)
    return names


def read_saved(node: Any, values: Values) -> Saved | None:
    """The node's saved values by name, tensors kept (as `values` keeps them), or None once backward freed them."""
    saved: Saved = []
    for attr, name, raw in _names(node):
        try:
            value = raw_saved(node, attr) if raw else getattr(node, attr)
            if raw and value is None and name != "saved_tensors":
                # an optional tensor not given (a bias), or one freed by backward: then the plain getter raises
                # (with no tensor there, no unpack hook can run)
                value = getattr(node, "_saved_" + name)
        except RuntimeError:  # freed by a backward pass already
            return None
        if isinstance(value, list):
            saved += [(f"{name}[{i}]", _keep(item, values)) for i, item in enumerate(value)]
        else:
            saved.append((name, _keep(value, values)))
    return saved


def _keep(value: Any, values: Values) -> Any:
    if isinstance(value, torch.Tensor):
        return values.keep(value)
    if isinstance(value, Packed):
        return value
    try:
        return _texts[value.__class__, value]
    except KeyError:
        text = _texts[value.__class__, value] = _text(value)
        return text
    except TypeError:  # unhashable
        return _text(value)


_texts: dict[tuple[type, Any], str] = {}  # the few saved attributes a graph repeats (alpha=1), as text


def _text(value: Any) -> str:
    """A saved non-tensor value as text; only for plain values (whose repr runs no snippet code)."""
    if isinstance(value, PLAIN_TYPES) or (
        isinstance(value, (tuple, list)) and all(isinstance(v, PLAIN_TYPES) for v in value)
    ):
        if len(_texts) > 4096:
            _texts.clear()
        return repr(value)[:200]
    return f"<{type(value).__name__}>"


def packed_text(packed: Packed) -> str:
    return f"packed by the snippet's saved-tensor hook as {type(packed.value).__name__} (not unpacked)"


__all__ = ["Kept", "Saved", "packed_text", "read_saved"]
