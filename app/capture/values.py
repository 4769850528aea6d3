"""Values as of a moment: the recorder keeps references, and copies a tensor only when an in-place change is about
to overwrite what was kept of it.

Every forward tensor, gradient and saved tensor the engine shows is `keep`-t when met: a reference and the
tensor's version. Before the recorder lets an in-place op run (or autograd accumulates into a `.grad`), it calls
`before_change` on what will change: every kept value on that memory still showing the live tensor gets a copy.
At export, `Kept.now()` is the value as it was when kept, or None if it changed in a way nothing announced (then
the Run says it could not be read, never shows a later value).

Holding every value would make a long training loop take many times the memory it takes in plain Python. So once
the large values only gradwalk still holds pass GRADWALK_KEEP_VALUES_MB, those of older backward passes are read
there and then (`max_elements` values and statistics, as the Run shows them) and let go of (`let_go`): the Run
shows the same summaries, and only the explanations of those older nodes lose their numbers.
"""

import sys
import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import torch
from torch._C import TensorBase  # (its methods: a wrapper the snippet put on torch.Tensor is never called)
from torch._subclasses.fake_tensor import FakeTensor

from .process import trim_heaps
from .torch_internals import (
    DisableFuncTorch,
    DisableTorchDispatch,
    DisableTorchFunction,
    GradMode,
    innermost,
    is_tracing,
    shares_memory,
)


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
        return TensorBase.untyped_storage(tensor).data_ptr()
    except (RuntimeError, NotImplementedError):  # no storage to name (sparse, nested, functorch wrappers, meta)
        return None


def foreign(tensor: torch.Tensor) -> bool:
    """Whether a tensor's memory is not torch's own but lent to it (a numpy array's through `torch.from_numpy` or
    `torch.as_tensor`, a buffer's, a DLPack capsule's), which code torch does not see may write: torch cannot resize
    such memory, and says so."""
    try:
        return not TensorBase.untyped_storage(tensor).resizable()
    except (RuntimeError, NotImplementedError):  # (no storage to ask: sparse, functorch wrappers)
        return False


def data_key(tensor: torch.Tensor) -> tuple | None:
    """What a tensor holds (memory, shape, strides, dtype, version): two tensor objects on the same data agree. None
    where there is no memory to name: a sparse or nested tensor, a functorch wrapper, torch's FakeTensor (asked its
    address, torch warns, and every one says 0; `issubclass`: `isinstance` reads a `__class__` a snippet may set)."""
    if issubclass(type(tensor), FakeTensor):
        return None
    try:
        return (tensor.data_ptr(), tensor.shape, tensor.stride(), tensor.dtype, version_of(tensor))
    except (RuntimeError, NotImplementedError):
        return None


class Freed:
    """Whether the snippet wrote a tensor's memory through its storage in this capture (`untyped_storage().resize_(0)`
    frees a parameter's memory between uses in code in the style of FSDP, its shape kept): only then is a tensor asked
    whether its memory is still there before it is read (torch reads past the end of a freed one, and crashes)."""

    seen = False


def freed(tensor: torch.Tensor) -> bool:
    """Whether `tensor`'s storage no longer holds all of its elements (resized under it): it cannot be read."""
    if not Freed.seen:
        return False
    try:
        if tensor.layout is not STRIDED or tensor.is_meta or TensorBase.numel(tensor) == 0:
            return False
        end = tensor.storage_offset() + sum(
            (size - 1) * step for size, step in zip(tensor.shape, tensor.stride(), strict=True)
        )
        return TensorBase.untyped_storage(tensor).nbytes() < (end + 1) * TensorBase.element_size(tensor)
    except (RuntimeError, NotImplementedError):  # (no storage to ask: sparse, nested, functorch wrappers)
        return False


class Kept:
    """A tensor as it was when kept: the tensor itself while it is unchanged, or a copy made before a change."""

    __slots__ = ("copy", "digest", "tensor", "version", "whole")

    def __init__(self, tensor: torch.Tensor, version: int, whole: bool = True):
        self.tensor = tensor
        self.version = version
        # whether its every value may be needed (a gradient or a saved value explanations compute with), or only its
        # summary (a forward node's value: a large one about to change is summarised then, not copied)
        self.whole = whole
        self.copy: torch.Tensor | None = None
        # its summary, once let go of (`tensor` is then a stand-in of the same shape and dtype, holding nothing)
        self.digest: dict[str, Any] | None = None

    @property
    def live(self) -> bool:
        """Whether it stands for the live tensor as it is (neither copied, nor summarised and let go of)."""
        return self.copy is None and self.digest is None

    @property
    def stale(self) -> bool:
        """Whether the live tensor may no longer hold this value (it was copied, let go of, or its version moved)."""
        return self.copy is not None or self.digest is not None or version_of(self.tensor) != self.version

    def now(self) -> torch.Tensor | None:
        """What to read for this value: the copy, the unchanged tensor, or None if it changed unannounced or was let
        go of."""
        if self.copy is not None:
            return self.copy
        if self.digest is not None:
            return None
        try:  # (version_of, inlined: export asks this of every value)
            unchanged = self.tensor._version == self.version
        except RuntimeError:  # an inference tensor
            unchanged = self.version == -1
        return self.tensor if unchanged and not freed(self.tensor) else None


LARGE = 4096  # values of more elements count towards GRADWALK_KEEP_VALUES_MB (smaller ones are bounded by max_nodes)
STRIDED = torch.strided


def _plain(tensor: torch.Tensor) -> bool:
    """A dense tensor in the CPU's memory: its summary, made now, is what it would be at the end."""
    return tensor.layout is STRIDED and tensor.device.type == "cpu"


class Values:
    """The kept values of one run, indexed by memory (storage address) once an in-place change needs it.
    `summarize(tensor)` makes the summary a value let go of is shown by."""

    def __init__(
        self,
        keep_bytes: int = 64 << 20,
        summarize: Callable[[torch.Tensor], Any] | None = None,
        explained: int = 0,
        forget: Callable[[int], Any] = lambda tensor_id: None,
        lock: Any = None,
    ) -> None:
        self.kept: list[Kept] = []
        self.indexed = 0  # how much of `kept` is in `by_storage`
        self.by_storage: dict[int, list[Kept]] = {}
        self.summarize = summarize
        self.forget = forget  # told the id of each tensor let go of (a tensor made later may get that id)
        self.lock = lock or threading.RLock()  # (the recorder's: a backward pass in another thread keeps values too)
        self.large: list[tuple[int, int, Kept]] = []  # (backward passes begun when kept, bytes, value) not let go of
        # tensor id -> values summarised (their copy let go of, or summarised instead of copied), naming a tensor the
        # snippet still held then
        self.copied: dict[int, list[Kept]] = {}
        self.held = 0  # bytes of `large`
        self.room = keep_bytes  # `held` past which values are let go of
        self.keep_bytes = keep_bytes
        self.passes = 0  # backward passes begun
        self.ran: list[int] = []  # nodes each pass ran
        self.explained = explained  # nodes explained in full (GRADWALK_EXPLAIN_MAX_NODES)
        # set once the values held pass `room`: before its next call the recorder lets go of the graphs no backward
        # pass can reach any more, then of the values only they held (app.capture.unreachable)
        self.unreachable_due = False
        # storage addresses whose memory code torch does not see may write (a numpy array's, a DLPack capsule's): a
        # value kept of a tensor on one is copied there and then (up to `keep_bytes`: a dataset of gigabytes lent by
        # numpy is not doubled), and compared with the tensor at each later use
        self.exposed: set[int] = set()

    def keep(self, tensor: torch.Tensor, whole: bool = True) -> Kept:
        try:  # (version_of, inlined: every value passes here)
            kept = Kept(tensor, tensor._version, whole)
        except RuntimeError:  # an inference tensor
            kept = Kept(tensor, -1, whole)
        self.kept.append(kept)
        if Freed.seen and self.summarize is not None and freed(tensor):  # (its summary says so: nothing to read)
            kept.digest = self.summarize(tensor)
            return kept
        if self.exposes(tensor) and TensorBase.numel(tensor) * TensorBase.element_size(tensor) <= self.keep_bytes:
            self._copy([kept], summarise=False)  # (a write through numpy moves no version: only a copy tells)
        elif not is_tracing() and TensorBase.numel(tensor) > LARGE:
            self._held(kept, tensor)
        return kept

    def exposes(self, tensor: torch.Tensor) -> bool:
        return bool(self.exposed) and storage_of(innermost(tensor)) in self.exposed

    def expose(self, tensor: torch.Tensor) -> None:
        """`tensor`'s memory is shared with code torch does not see, which may write it at any time without a word:
        from now on, what is kept of a tensor on that memory is a copy (`keep`)."""
        address = storage_of(innermost(tensor))
        if address is not None:
            self.exposed.add(address)

    def _held(self, kept: Kept, tensor: torch.Tensor) -> None:
        if not _plain(tensor) or self.summarize is None:
            return  # (only plain tensors are let go of: their summary is certain)
        size = TensorBase.numel(tensor) * TensorBase.element_size(tensor)
        self.large.append((self.passes, size, kept))
        self.held += size
        if self.held > self.room:
            self.unreachable_due = True
            self.let_go()

    def let_go(self) -> None:
        """Summarise and let go of large values that nothing but gradwalk holds (copies, and tensors the snippet
        dropped; a leaf that wants a gradient stays: its `.grad` is read at the end): first those of passes no full
        explanation needs, then, if that is not enough, all but those of the last pass, then the forward values of
        the last pass and after it that no explanation computes with (a loop that never runs backward, an evaluation
        or data made in a loop, has all its values in one pass; the gradients and saved values of the last pass stay,
        for its explanations). What is still held then sets when to look again: once as much again has been kept. (A
        pass's forward values were kept while the pass before it was the last.)"""
        with self.lock:
            self._let_go(before=self._explained_from() - 1)
            if self.held > self.keep_bytes:
                self._let_go(before=self.passes - 1)
            if self.held > self.keep_bytes:
                self._let_go(before=self.passes + 1, summaries_only=True)
            self.room = self.held + self.keep_bytes
        trim_heaps()

    def _let_go(self, before: int, summaries_only: bool = False) -> None:
        """Let go of the values of passes before `before` that only gradwalk holds; `summaries_only`: only forward
        values whose summary is all the Run shows of them (not `whole`), of tensors no kept gradient or saved value
        names."""
        summarize = self.summarize
        assert summarize is not None  # (_held holds nothing without it)
        # First which tensors only gradwalk holds, before any reference is dropped: every kept value of the older
        # passes that still refers to one counts (a value whose copy was let go of too: it names the tensor).
        counts: Counter[int] = Counter()
        one_of: dict[int, Kept] = {}  # tensor id -> a kept value naming it (Kept objects: no reference added)
        needed: set[int] = set()  # (summaries_only) tensors an explanation may compute with
        for passes, _, kept in self.large:
            if passes < before and kept.digest is None:
                counts[id(kept.tensor)] += 1
                one_of.setdefault(id(kept.tensor), kept)
                if summaries_only and (kept.whole or kept.copy is not None):
                    needed.add(id(kept.tensor))
        for tensor_id, named in self.copied.items():
            counts[tensor_id] += len(named)
            one_of.setdefault(tensor_id, named[0])
        alone = {i for i, kept in one_of.items() if i not in needed and self._alone(kept.tensor, counts[i])}
        stand_ins: dict[int, torch.Tensor] = {}  # (one per tensor: its saved values still find its forward node)
        # What is let go of is freed once every summary and stand-in is made: each made as a large value was freed took
        # a piece of its memory, and such pieces, kept for the run, left holes a large value no longer fits in (an
        # evaluation loop's memory grew by most of what was let go of).
        dropped: list[torch.Tensor] = []
        digests: dict[tuple[int, int], Any] = {}
        held, left = 0, []
        with GradMode(False), DisableTorchFunction(), DisableTorchDispatch(), DisableFuncTorch():
            for entry in self.large:
                passes, size, kept = entry
                if kept.digest is not None:  # (let go of already: a value kept, then copied, is listed twice)
                    continue
                tensor, copy = kept.tensor, kept.copy
                kept_whole = summaries_only and (kept.whole or copy is not None)  # (an explanation's: it stays)
                if passes >= before or kept_whole or kept.now() is None or (copy is None and id(tensor) not in alone):
                    left.append(entry)
                    held += size
                    continue
                if copy is not None:  # (a copy is gradwalk's own: let go of it; the tensor too once only ours)
                    kept.digest, kept.copy = summarize(copy), None
                    dropped.append(copy)
                    self.copied.setdefault(id(tensor), []).append(kept)
                    continue
                key = (id(tensor), kept.version)
                if key not in digests:
                    digests[key] = summarize(tensor)
                if id(tensor) not in stand_ins:
                    stand_ins[id(tensor)] = self._stand_in(tensor)
                dropped.append(tensor)
                kept.digest, kept.tensor = digests[key], stand_ins[id(tensor)]
            for tensor_id in alone:
                for kept in self.copied.pop(tensor_id, ()):
                    if tensor_id not in stand_ins:
                        stand_ins[tensor_id] = self._stand_in(kept.tensor)
                    dropped.append(kept.tensor)
                    kept.tensor = stand_ins[tensor_id]
        for tensor_id in stand_ins:
            self.forget(tensor_id)
        dropped.clear()
        self.large, self.held = left, held

    @staticmethod
    def _stand_in(tensor: torch.Tensor) -> torch.Tensor:
        """What a value let go of keeps of its tensor: shape and dtype, no memory."""
        return torch.empty(tensor.shape, dtype=tensor.dtype, device="meta")

    def _explained_from(self) -> int:
        """The oldest backward pass whose nodes may be explained in full (GRADWALK_EXPLAIN_MAX_NODES, the last pass
        first): its values and those of the passes after it stay whole. Passes count from 1."""
        first, nodes = self.passes, 0
        while first > 1:
            nodes += self.ran[first - 1]
            if nodes >= self.explained:
                break
            first -= 1
        return first

    @staticmethod
    def _alone(tensor: torch.Tensor, kept: int) -> bool:
        """Whether gradwalk's `kept` values that refer to this tensor are all that hold it (then letting go of it frees
        its memory). A leaf that wants a gradient is never alone: its `.grad` is read at the end."""
        if tensor.requires_grad and grad_fn_of(tensor) is None:
            return False
        return sys.getrefcount(tensor) == kept + 2  # (besides the kept values: `tensor` here, getrefcount's argument)

    def before_change(self, tensor: torch.Tensor) -> None:
        """Copy every kept value on `tensor`'s memory that still shows the live tensor: it is about to change. (A
        large forward node's value is summarised instead: the summary is all the Run shows of it, and an optimizer
        step would otherwise copy every parameter and state it updates. A torch.func wrapper's change writes the memory
        of the tensor it wraps: `num_batches_tracked.add_(1)` of a BatchNorm run by `functional_call` under `grad`.)"""
        address = storage_of(innermost(tensor))
        if address is not None:
            self.before_storage_change(address)

    def before_storage_change(self, address: int) -> None:
        """Copy every kept value on the memory at `address` that still shows the live tensor: it is about to change
        through its storage, which moves no tensor's version."""
        self._index()
        self._copy(self.by_storage.pop(address, ()))

    def freeze(self) -> None:
        """Copy every kept value that still shows its live tensor: the recording stops here, and the snippet runs
        on unrecorded, changing tensors without a word (each value stays as it was when kept). A tensor that only
        gradwalk holds, on memory no other tensor uses, cannot change: it is left be. (A view of a parameter the
        snippet trains on is copied: it would read as changed.)"""
        self._index()
        counts = Counter(id(kept.tensor) for kept in self.kept)
        for values in self.by_storage.values():
            self._copy(
                [
                    kept
                    for kept in values
                    if not self._alone(kept.tensor, counts[id(kept.tensor)]) or shares_memory(kept.tensor)
                ]
            )
        self.by_storage.clear()

    def _copy(self, values: "list[Kept] | tuple", summarise: bool = True) -> None:
        copies: dict[int, torch.Tensor] = {}  # id(tensor) -> its copy (values kept of one tensor share it)
        # (nothing of the snippet's sees this; inside a torch.func transform, a copy made would be its wrapper)
        with GradMode(False), DisableTorchFunction(), DisableTorchDispatch(), DisableFuncTorch():
            for kept in values:
                live = kept.tensor
                if not kept.live or version_of(live) != kept.version or freed(live):
                    continue
                large = not is_tracing() and TensorBase.numel(live) > LARGE
                if large and summarise and not kept.whole and self.summarize is not None and _plain(live):
                    kept.digest = self.summarize(live)
                    self.copied.setdefault(id(live), []).append(kept)  # (let go of the tensor once only ours)
                    continue
                copy = copies.get(id(live))
                if copy is None:
                    copy = copies[id(live)] = TensorBase.clone(TensorBase.detach(live))
                kept.copy = copy
                if large:  # (each value counted: letting go of them all frees the copy)
                    self._held(kept, copy)

    def _index(self) -> None:
        kept, by_storage = self.kept, self.by_storage
        for item in kept[self.indexed :]:
            if item.digest is not None:
                continue
            address = storage_of(item.tensor)
            if address is not None:
                by_storage.setdefault(address, []).append(item)
        self.indexed = len(kept)

    def clear(self) -> None:
        self.kept.clear()
        self.large.clear()
        self.copied.clear()
        self.by_storage.clear()
        self.indexed = 0
