"""A DataLoader's workers, run in the snippet's own process: the sandbox lets a snippet start no process, and a
tutorial's `DataLoader(..., num_workers=2)` must run as it runs in plain Python.

Each worker keeps what a worker process has of its own: its random states, seeded as torch seeds a worker's
(`base_seed + id`), `get_worker_info()`, and one call of `worker_init_fn`; the snippet's own random states are
untouched by what workers draw. Batches come in the order worker processes deliver them (round robin, a finished
worker of an IterableDataset skipped), and an error in a worker reaches the snippet as torch's re-raised one, on
the line that asked for the batch. Two differences, both invisible to ordinary datasets: the dataset is shared,
not copied (one that changes itself while it loads sees its workers' changes), and `get_worker_info()` is None
while a batch is collated (torch's own collate would stack it into shared memory, which the sandbox refuses).
"""

import random
import sys
from typing import Any, NoReturn

import torch
from torch._utils import ExceptionWrapper
from torch.utils.data import _DatasetKind
from torch.utils.data._utils import worker as torch_worker
from torch.utils.data._utils.worker import WorkerInfo, _generate_state
from torch.utils.data.dataloader import _BaseDataLoaderIter

from .torch_internals import DisableTorchFunction


class _Worker:
    """One worker's own state, swapped in while it loads (`as_worker`)."""

    __slots__ = ("done", "failed", "fetcher", "info", "numpy_state", "python_state", "torch_state")

    def __init__(self, info: WorkerInfo):
        self.info = info
        self.done = False  # its IterableDataset ran out
        self.failed: BaseException | None = None  # worker_init_fn raised: raised at its first batch, as torch does
        self.fetcher: Any = None
        self.torch_state: torch.Tensor | None = None
        self.python_state: Any = None
        self.numpy_state: Any = None


class WorkersInProcess(_BaseDataLoaderIter):
    """The iterator of a DataLoader with `num_workers > 0`, loading in this process (see the module docstring)."""

    def __init__(self, loader: Any):
        super().__init__(loader)  # (draws the base seed from the snippet's generator, as torch's iterator does)
        self._init_fn = loader.worker_init_fn
        self._workers = [self._start(i) for i in range(self._num_workers)]
        self._turn = 0

    def _start(self, worker_id: int) -> _Worker:
        seed = int(self._base_seed) + worker_id
        worker = _Worker(WorkerInfo(id=worker_id, num_workers=self._num_workers, seed=seed, dataset=self._dataset))
        snippets = _random_states()
        try:
            random.seed(seed)
            with DisableTorchFunction():
                torch.manual_seed(seed)
            numpy = sys.modules.get("numpy")
            if numpy is not None:
                numpy.random.seed(_generate_state(int(self._base_seed), worker_id))
            torch_worker._worker_info = worker.info
            try:
                if self._init_fn is not None:
                    self._init_fn(worker_id)
                worker.fetcher = self._fetcher()
            except Exception as exc:
                worker.failed = exc
            _save_states(worker)
        finally:
            torch_worker._worker_info = None
            _restore_states(snippets)
        return worker

    def _fetcher(self) -> Any:
        kind, collate = self._dataset_kind, _collate_as_in_process(self._collate_fn)
        return _DatasetKind.create_fetcher(kind, self._dataset, self._auto_collation, collate, self._drop_last)

    def _reset(self, loader: Any, first_iter: bool = False) -> None:
        """A new epoch of persistent workers: each starts over on the dataset, its random states going on."""
        super()._reset(loader, first_iter)
        self._turn = 0
        for worker in self._workers:
            worker.done = False
            if worker.failed is None:
                worker.fetcher = self._fetcher()

    def _next_data(self) -> Any:
        while not all(worker.done for worker in self._workers):
            worker = self._workers[self._turn % len(self._workers)]
            self._turn += 1
            if worker.done:
                continue
            index = self._next_index()  # (StopIteration: the epoch ends)
            try:
                return self._fetch(worker, index)
            except StopIteration:
                if self._dataset_kind != _DatasetKind.Iterable:
                    raise
                worker.done = True
        raise StopIteration

    def _fetch(self, worker: _Worker, index: Any) -> Any:
        if worker.failed is not None:
            failed, worker.failed = worker.failed, None
            _raise_as_torch(failed, worker.info.id)
        snippets = _random_states()
        _restore_states(worker)
        torch_worker._worker_info = worker.info
        try:
            return worker.fetcher.fetch(index)
        except StopIteration:
            raise
        except Exception as exc:
            _raise_as_torch(exc, worker.info.id)
        finally:
            torch_worker._worker_info = None
            _save_states(worker)
            _restore_states(snippets)


def _collate_as_in_process(collate: Any) -> Any:
    """The collate function, run without the worker's info: torch's own, seeing it, would stack the batch into
    shared memory for the trip to the main process, which the sandbox refuses (the same values either way)."""

    def collate_here(batch: Any) -> Any:
        info, torch_worker._worker_info = torch_worker._worker_info, None
        try:
            return collate(batch)
        finally:
            torch_worker._worker_info = info

    return collate_here


def _raise_as_torch(exc: BaseException, worker_id: int) -> NoReturn:
    """Raise what a worker raised as torch raises it in the snippet: the same type, its message saying where, and
    no frame of the worker's (they ran in another process)."""
    where = f"in DataLoader worker process {worker_id}"
    wrapper = ExceptionWrapper((type(exc), exc, exc.__traceback__), where)
    wrapper.reraise()
    raise AssertionError("unreachable")  # (reraise always raises)


class _States:
    __slots__ = ("numpy_state", "python_state", "torch_state")


def _random_states() -> _States:
    states = _States()
    _save_states(states)
    return states


def _save_states(into: Any) -> None:
    """(Swapping random states is no op of the snippet's: in plain Python it happens in other processes.)"""
    with DisableTorchFunction():
        into.torch_state = torch.get_rng_state()
    into.python_state = random.getstate()
    numpy = sys.modules.get("numpy")
    into.numpy_state = numpy.random.get_state() if numpy is not None else None


def _restore_states(states: Any) -> None:
    with DisableTorchFunction():
        torch.set_rng_state(states.torch_state)
    random.setstate(states.python_state)
    numpy = sys.modules.get("numpy")
    if numpy is not None and states.numpy_state is not None:
        numpy.random.set_state(states.numpy_state)
