"""The process a capture runs in: one long-lived capture thread with a deep stack, and the memory set-up that
makes a forked child's run cheaper. Nothing here changes what a snippet computes."""

import atexit
import contextlib
import ctypes
import functools
import mmap
import os
import queue
import resource
import threading
from collections.abc import Callable, Iterator

# Deep autograd graphs are freed by recursion inside torch once Python has seen their nodes: a 100k-deep chain
# overflows a default 8 MiB stack. `capture` runs snippets in a thread with this much stack (reserved, touched
# only as needed), which frees everything a run made before it takes the next.
CAPTURE_STACK_BYTES = 256 * 1024 * 1024
_jobs: queue.SimpleQueue | None = None  # the capture thread's work, in order
_jobs_pid = 0  # the process that started it (a forked child has no thread: it starts its own)
_jobs_lock = threading.Lock()
CAPTURE_THREAD = "gradwalk-capture"


def in_capture_thread(job: Callable[[], None]) -> None:
    """Queue `job` for this process's capture thread, started at the first use: one long-lived thread, so a run
    pays neither for a new thread nor for the first touch of a new stack (200 us of a small run)."""
    global _jobs, _jobs_pid
    with _jobs_lock:
        if _jobs is None or _jobs_pid != os.getpid():
            _jobs, _jobs_pid = queue.SimpleQueue(), os.getpid()
            previous = threading.stack_size(CAPTURE_STACK_BYTES)
            try:
                threading.Thread(target=_serve, args=(_jobs,), name=CAPTURE_THREAD, daemon=True).start()
            finally:
                threading.stack_size(previous)
        jobs = _jobs
    jobs.put(job)


def _serve(jobs: queue.SimpleQueue) -> None:
    while True:
        jobs.get()()


def wait_until_idle() -> None:
    """Return once every capture started so far has also freed what its snippet made (at once in a process that
    started none, and in the capture thread itself)."""
    if _jobs is None or _jobs_pid != os.getpid() or threading.current_thread().name == CAPTURE_THREAD:
        return
    idle = threading.Event()
    in_capture_thread(idle.set)
    idle.wait()


@atexit.register
def _finish_at_exit() -> None:
    """At exit, let the capture thread finish freeing (torch's C++ must not be cut off mid-way)."""
    wait_until_idle()


def allow_deep_stack() -> None:
    """Let this process's main thread grow its stack to CAPTURE_STACK_BYTES as well: objects of a run that end up
    in a reference cycle are freed by whichever thread collects them, deep graphs included."""
    soft, hard = resource.getrlimit(resource.RLIMIT_STACK)
    wanted = CAPTURE_STACK_BYTES if hard == resource.RLIM_INFINITY else min(hard, CAPTURE_STACK_BYTES)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_STACK, (wanted, hard))


M_TOP_PAD = -2  # glibc's mallopt parameter: how far a heap grows past a request, and what a trim keeps
HEAP_PAD_BYTES = 16 * 1024 * 1024


@functools.cache
def pad_heaps() -> None:
    """Once per process (a forked child inherits it): let glibc's malloc grow its heaps, and keep them when
    trimming, HEAP_PAD_BYTES at a time instead of 128 KiB. A run allocates quickly and frees it all at the end: in
    small steps that was a hundred system calls for a 20-layer MLP (0.4 ms of its 7). Pages still cost memory only
    once touched. Without glibc, nothing changes."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).mallopt(M_TOP_PAD, HEAP_PAD_BYTES)


def trim_heaps() -> None:
    """Give the memory malloc holds free back to the system (glibc's malloc_trim): a run's large values, let go of
    while small ones it keeps stay, leave holes in the heap that torch's aligned allocations of the same size do not
    fit in again, and the pages of those holes stayed resident. Without glibc, nothing happens."""
    with contextlib.suppress(OSError, AttributeError):
        _libc().malloc_trim(0)


@functools.cache
def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None)


TOUCH_BYTES = 512 * 1024  # how much memory of each allocator touch_heaps writes
_touched: list = []  # the blocks touch_heaps keeps


def touch_heaps() -> None:
    """For a child forked to run one snippet, before its job comes: write TOUCH_BYTES of small objects (Python's
    allocator) and as much in larger blocks (malloc's), then free them but one block in 500, so that both
    allocators keep the pages for the run. After a fork, the first write to a page is a page fault (1.7 us on a
    fresh page here): a 20-layer MLP's capture wrote about 390 pages, and about 150 of them now before its clock
    starts. Only for a process that runs one snippet: the blocks kept (about 8 KiB) stay until it ends."""
    blocks = [bytes(64 + (i * 40) % 440) for i in range(TOUCH_BYTES // 280)]  # (Python's allocator: <= 512 B)
    blocks += [bytes(1024 + (i * 1000) % 7000) for i in range(TOUCH_BYTES // 4500)]
    _touched[:] = blocks[::500]


EXPORT_RESERVE_BYTES = 64 * 1024 * 1024  # address space held back from the snippet for making its Run


@contextlib.contextmanager
def held_back() -> Iterator[None]:
    """While the snippet runs, hold EXPORT_RESERVE_BYTES of address space it cannot take (a mapping never written:
    no memory in use), and give it back when the snippet ends. A snippet that runs out of the run's memory
    (GRADWALK_RUN_MEMORY_MB counts address space) thus leaves room to make its Run: without it, the Run's own
    allocations failed and the graphs were lost, or a C library that does not check them crashed the process."""
    try:
        reserve: mmap.mmap | None = mmap.mmap(-1, EXPORT_RESERVE_BYTES, flags=mmap.MAP_PRIVATE)  # (counted as data)
    except OSError:  # (no room even now: the run goes on without)
        reserve = None
    try:
        yield
    finally:
        if reserve is not None:
            reserve.close()
