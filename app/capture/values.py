"""Values as of a moment: the recorder keeps references, and copies a tensor only when an in-place change is about
to overwrite what was kept of it.

Every forward tensor, gradient and saved tensor the engine shows is `keep`-t when met: a reference and the
tensor's version. Before the recorder lets an in-place op run (or autograd accumulates into a `.grad`), it calls
`before_change` on what will change: every kept value on that memory still showing the live tensor gets a copy.
At export, `Kept.now()` is the value as it was when kept, or None if it changed in a way nothing announced (then
the Run says it could not be read, never shows a later value).
"""

from typing import Any

import torch

from .torch_internals import DisableTorchDispatch, DisableTorchFunction


def version_of(tensor: torch.Tensor) -> int:
    try:
        return tensor._version
    except RuntimeError:  # inference tensors keep no version counter
        return -1


def grad_fn_of(tensor: torch.Tensor) -> Any:
    """A tensor's grad_fn, or None where torch refuses to say: a view made under no_grad whose base changed in place
    since (no gradient can flow through it; torch raises rather than answer, and `is_leaf` is `grad_fn is None`)."""
    try:
        return tensor.grad_fn
    except RuntimeError:
        return None


def storage_of(tensor: torch.Tensor) -> int | None:
    try:
        return tensor.untyped_storage().data_ptr()
    except (RuntimeError, NotImplementedError):  # no storage to name (sparse, nested, functorch wrappers, meta)
        return None


class Kept:
    """A tensor as it was when kept: the tensor itself while it is unchanged, or a copy made before a change."""

    __slots__ = ("copy", "tensor", "version")

    def __init__(self, tensor: torch.Tensor, version: int):
        self.tensor = tensor
        self.version = version
        self.copy: torch.Tensor | None = None

    @property
    def stale(self) -> bool:
        """Whether the live tensor may no longer hold this value (it was copied, or its version moved)."""
        return self.copy is not None or version_of(self.tensor) != self.version

    def now(self) -> torch.Tensor | None:
        """What to read for this value: the copy, the unchanged tensor, or None if it changed unannounced."""
        if self.copy is not None:
            return self.copy
        try:  # (version_of, inlined: export asks this of every value)
            unchanged = self.tensor._version == self.version
        except RuntimeError:  # an inference tensor
            unchanged = self.version == -1
        return self.tensor if unchanged else None


class Values:
    """The kept values of one run, indexed by memory (storage address) once an in-place change needs it."""

    def __init__(self) -> None:
        self.kept: list[Kept] = []
        self.indexed = 0  # how much of `kept` is in `by_storage`
        self.by_storage: dict[int, list[Kept]] = {}

    def keep(self, tensor: torch.Tensor) -> Kept:
        try:  # (version_of, inlined: every value passes here)
            kept = Kept(tensor, tensor._version)
        except RuntimeError:  # an inference tensor
            kept = Kept(tensor, -1)
        self.kept.append(kept)
        return kept

    def before_change(self, tensor: torch.Tensor) -> list[Kept]:
        """Copy every kept value on `tensor`'s memory that still shows the live tensor: it is about to change.
        Returns the values copied."""
        address = storage_of(tensor)
        if address is None:
            return []
        self._index()
        copied = []
        with DisableTorchFunction(), DisableTorchDispatch():  # (nothing of the snippet's sees the copies)
            for kept in self.by_storage.pop(address, ()):
                if kept.copy is None and version_of(kept.tensor) == kept.version:
                    kept.copy = kept.tensor.detach().clone()
                    copied.append(kept)
        return copied

    def _index(self) -> None:
        kept, by_storage = self.kept, self.by_storage
        for item in kept[self.indexed :]:
            address = storage_of(item.tensor)
            if address is not None:
                by_storage.setdefault(address, []).append(item)
        self.indexed = len(kept)

    def clear(self) -> None:
        self.kept.clear()
        self.by_storage.clear()
        self.indexed = 0
