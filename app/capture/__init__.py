"""The capture engine: runs a snippet under the recorder and returns its Run as a dict (see app.graph.Run).

Runs in the process that calls it; the sandbox calls it inside a forked, locked-down child.
"""

import atexit
import builtins
import contextlib
import ctypes
import functools
import json
import os
import queue
import random
import sys
import textwrap
import threading
import time
import traceback
import types
import warnings

import orjson
import torch
import torch.nn.functional as F
from torch import nn

from ..gc_pause import gc_paused
from .export import export_graphs
from .hints import hint_for
from .record import SNIPPET_FILE, GraphLimitReached, Recorder, user_frame

__all__ = ["capture", "capture_here", "dumps", "prepare_source", "touch_heaps", "wait_until_idle"]


class OutputLimitReached(BaseException):
    """Raised into the snippet when what it printed passes `max_output_bytes`."""


class CappedText:
    """A text stream that keeps at most `limit` bytes (UTF-8); past that it stops the snippet (`stop`) or
    drops the rest."""

    def __init__(self, limit: int, stop: bool):
        self.limit = limit
        self.stop = stop
        self.parts: list[str] = []
        self.size = 0

    def write(self, text: str) -> int:
        size = len(text.encode("utf-8", "replace"))
        if self.size + size > self.limit:
            room = self.limit - self.size
            if room > 0:
                self.parts.append(text.encode("utf-8", "replace")[:room].decode("utf-8", "ignore"))
                self.size = self.limit
            if self.stop:
                raise OutputLimitReached
            return len(text)
        self.parts.append(text)
        self.size += size
        return len(text)

    def flush(self):
        pass

    def isatty(self) -> bool:
        return False

    def getvalue(self) -> str:
        return "".join(self.parts)


def prepare_source(source: str) -> str:
    """Source as a person pastes it -> source Python accepts: no BOM, \\n line ends, common indent removed."""
    return textwrap.dedent(source.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n"))


def _error(exc: BaseException, **extra) -> dict:
    message = str(exc)
    return {
        "type": type(exc).__name__,
        "message": message,
        "line": None,
        "column": None,
        "hint": hint_for(message),
        **extra,
    }


def _memory_error(line: int | None = None) -> dict:
    return {
        "type": "MemoryLimit",
        "line": line,
        "column": None,
        "hint": None,
        "message": "The snippet ran out of the memory a run may use (GRADWALK_RUN_MEMORY_MB).",
    }


def _snippet_line(exc: BaseException) -> int | None:
    """The line of the snippet where the exception was raised (its innermost frame in the snippet)."""
    lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == SNIPPET_FILE]
    return lines[-1] if lines else None


def _show_warning(message, category, filename, lineno, file=None, line=None, *, _seen=None):
    """Print a warning as plain Python would, placed at the snippet's line (torch's C++ warnings would
    otherwise point into gradwalk), once per line and message."""
    frame = user_frame(sys._getframe(1))
    if frame is not None:
        filename, lineno = SNIPPET_FILE, frame.f_lineno
    key = (filename, lineno, category, str(message))
    if key not in _seen:
        _seen.add(key)
        sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line=""))


@contextlib.contextmanager
def _as_main(namespace: types.ModuleType):
    """Run as `__main__`, restoring the interpreter and torch state the snippet may change."""
    saved_main = sys.modules.get("__main__")
    grad_enabled, default_dtype = torch.is_grad_enabled(), torch.get_default_dtype()
    sys.modules["__main__"] = namespace
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            warnings.showwarning = functools.partial(_show_warning, _seen=set())
            yield
    finally:
        sys.modules["__main__"] = saved_main
        torch.set_grad_enabled(grad_enabled)
        torch.set_default_dtype(default_dtype)


# Deep autograd graphs are freed by recursion inside torch once Python has seen their nodes: a 100k-deep chain
# overflows a default 8 MiB stack. `capture` runs snippets in a thread with this much stack (reserved, touched
# only as needed), which frees everything a run made before it takes the next.
CAPTURE_STACK_BYTES = 256 * 1024 * 1024
_jobs: queue.SimpleQueue | None = None  # the capture thread's work, in order
_jobs_pid = 0  # the process that started it (a forked child has no thread: it starts its own)
_jobs_lock = threading.Lock()


def _capture_thread() -> queue.SimpleQueue:
    """The queue of this process's capture thread, started at the first use: one long-lived thread, so a run
    pays neither for a new thread nor for the first touch of a new stack (200 us of a small run)."""
    global _jobs, _jobs_pid
    with _jobs_lock:
        if _jobs is None or _jobs_pid != os.getpid():
            _jobs, _jobs_pid = queue.SimpleQueue(), os.getpid()
            previous = threading.stack_size(CAPTURE_STACK_BYTES)
            try:
                threading.Thread(target=_serve, args=(_jobs,), name="gradwalk-capture", daemon=True).start()
            finally:
                threading.stack_size(previous)
        return _jobs


def _serve(jobs: queue.SimpleQueue) -> None:
    while True:
        jobs.get()()


def wait_until_idle() -> None:
    """Return once every capture started so far has also freed what its snippet made."""
    idle = threading.Event()
    _capture_thread().put(idle.set)
    idle.wait()


@atexit.register
def _finish_at_exit() -> None:
    """At exit, let the capture thread finish freeing (torch's C++ must not be cut off mid-way)."""
    if _jobs is not None and _jobs_pid == os.getpid():
        wait_until_idle()


def _allow_deep_stack() -> None:
    """Let this process's main thread grow its stack to CAPTURE_STACK_BYTES as well: objects of a run that end
    up in a reference cycle are freed by whichever thread collects them, deep graphs included."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_STACK)
    wanted = CAPTURE_STACK_BYTES if hard == resource.RLIM_INFINITY else min(hard, CAPTURE_STACK_BYTES)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_STACK, (wanted, hard))


M_TOP_PAD = -2  # glibc's mallopt parameter: how far a heap grows past a request, and what a trim keeps
HEAP_PAD_BYTES = 16 * 1024 * 1024


@functools.cache
def _pad_heaps() -> None:
    """Once per process (a forked child inherits it): let glibc's malloc grow its heaps, and keep them when
    trimming, HEAP_PAD_BYTES at a time instead of 128 KiB. A run allocates quickly and frees it all at the end:
    in small steps that was a hundred system calls for a 20-layer MLP (0.4 ms of its 7). Pages still cost memory
    only once touched. Without glibc, nothing changes."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).mallopt(M_TOP_PAD, HEAP_PAD_BYTES)


TOUCH_BYTES = 512 * 1024  # how much memory of each allocator touch_heaps writes
_touched: list = []  # the blocks touch_heaps keeps


def touch_heaps() -> None:
    """For a child forked to run one snippet, before its job comes: write TOUCH_BYTES of small objects (Python's
    allocator) and as much in larger blocks (malloc's), then free them but one block in 500, so that both
    allocators keep the pages for the run. After a fork, the first write to a page is a page fault (1.7 us on a
    fresh page here, more for one copied from the parent): a 20-layer MLP's capture wrote about 390 pages, and
    about 150 of them now before its clock starts. Only for a process that runs one snippet: the blocks kept
    (about 8 KiB) stay until the process ends."""
    blocks = [bytes(64 + (i * 40) % 440) for i in range(TOUCH_BYTES // 280)]  # (Python's allocator: <= 512 B)
    blocks += [bytes(1024 + (i * 1000) % 7000) for i in range(TOUCH_BYTES // 4500)]
    _touched[:] = blocks[::500]


def dumps(run: dict) -> bytes:
    """A Run from `capture` as JSON: what the API serves. (NaN and infinities never occur: summaries spell them
    as strings.)"""
    try:
        return orjson.dumps(run, option=orjson.OPT_SERIALIZE_NUMPY)
    except orjson.JSONEncodeError:  # what orjson does not write (an integer past 64 bits, a lone surrogate in a
        # string the snippet printed): the slow way, lone surrogates as U+FFFD (JSON text is UTF-8)
        text = json.dumps(run, allow_nan=False, ensure_ascii=False, default=lambda array: array.tolist())
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace").encode()


def capture(source: str, *, max_nodes: int, max_elements: int, max_output_bytes: int) -> dict:
    """Run `source` and record it: the Run (without id) as a dict of JSON values, except that the values of
    small float tensors are numpy arrays (see `Summaries`): `dumps` writes it, `orjson.loads(dumps(run))` gives
    plain values.

    Captures run one at a time in this process's capture thread. Returns as soon as the Run is built; the thread
    then frees the snippet's objects on its own (`wait_until_idle` waits for that)."""
    _allow_deep_stack()
    outcome: dict = {}
    done, taken = threading.Event(), threading.Event()

    def deliver(run: dict):
        outcome["run"] = run
        done.set()
        # Freeing a big graph is one long C call that holds the GIL: let the caller take the Run first.
        taken.wait()

    def work():
        try:
            with gc_paused():  # a graph is many small objects: collections would cost more than the run itself
                capture_here(
                    source,
                    max_nodes=max_nodes,
                    max_elements=max_elements,
                    max_output_bytes=max_output_bytes,
                    deliver=deliver,
                )
        except BaseException as exc:  # a fault of gradwalk's own: raised again in the caller
            outcome["fault"] = exc
        finally:
            done.set()

    _capture_thread().put(work)
    done.wait()
    taken.set()
    if "fault" in outcome:
        raise outcome["fault"]
    return outcome["run"]


def capture_here(source: str, *, max_nodes: int, max_elements: int, max_output_bytes: int, deliver) -> None:
    """Run and record `source` in this thread; hand the Run (as `capture` returns it) to `deliver`, then free what
    the snippet made. The thread needs a deep stack (CAPTURE_STACK_BYTES) and, for speed, the cycle collector
    paused: the sandbox's child calls this in its main thread, whose stack limit the pool raises, and exits
    from `deliver`. Anywhere else, `capture` is the way in."""
    started = time.perf_counter()
    _pad_heaps()
    run = {
        "id": None,
        "code": None,
        "status": "ok",
        "error": None,
        "stdout": "",
        "stderr": "",
        "forward": {"nodes": [], "edges": []},
        "backward": {"nodes": [], "edges": []},
        "torch_version": torch.__version__,
        "backward_passes": 0,
        "duration_ms": 0.0,
        "fold": None,
    }
    try:
        code = compile(prepare_source(source), SNIPPET_FILE, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:  # ValueError: NUL bytes in the source
        run["status"] = "error"
        run["error"] = _error(exc, line=getattr(exc, "lineno", None), column=getattr(exc, "offset", None))
        if isinstance(exc, SyntaxError):
            run["error"]["message"] = exc.msg
        run["duration_ms"] = (time.perf_counter() - started) * 1000
        deliver(run)
        return

    module = types.ModuleType("__main__")
    module.__dict__.update(__builtins__=builtins, torch=torch, nn=nn, F=F)
    stdout, stderr = CappedText(max_output_bytes, stop=True), CappedText(max_output_bytes, stop=False)
    recorder = Recorder(max_nodes=max_nodes, max_elements=max_elements)
    torch.default_generator.manual_seed(0)  # torch.manual_seed also queues seeds for devices: 2 ms here
    random.seed(0)
    try:
        with _as_main(module), contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                with recorder:
                    exec(code, module.__dict__)
            finally:
                with contextlib.suppress(GraphLimitReached):
                    recorder.finish(module.__dict__)
    except GraphLimitReached:
        pass  # reported below from recorder.limit_line
    except OutputLimitReached:
        run["status"] = "limit"
        run["error"] = {
            "type": "OutputLimit",
            "line": None,
            "column": None,
            "hint": None,
            "message": f"The snippet printed more than max_output_bytes = {max_output_bytes} "
            "bytes; gradwalk stopped it there.",
        }
    except MemoryError as exc:
        run["status"] = "limit"
        run["error"] = _memory_error(_snippet_line(exc))
    except SystemExit as exc:
        if exc.code not in (None, 0):
            run["status"] = "error"
            run["error"] = _error(exc, line=_snippet_line(exc))
    except Exception as exc:
        if "can't allocate memory" in str(exc):  # torch's allocator refused: the memory limit
            run["status"], run["error"] = "limit", _memory_error(_snippet_line(exc))
        else:
            run["status"] = "error"
            run["error"] = _error(exc, line=_snippet_line(exc))
    if recorder.limit_line is not None or (len(recorder.forward) + len(recorder.backward) >= max_nodes):
        run["status"] = "limit"
        run["error"] = {
            "type": "GraphLimit",
            "line": recorder.limit_line,
            "column": None,
            "hint": None,
            "message": f"The graph reached max_nodes = {max_nodes} nodes (forward and backward "
            "together); gradwalk stopped recording there. The graphs hold what came "
            "before. Use fewer layers or steps, or raise GRADWALK_MAX_NODES.",
        }
    try:
        run["forward"], run["backward"] = export_graphs(recorder)
        run["backward_passes"] = recorder.backward_passes
        run["stdout"], run["stderr"] = stdout.getvalue(), stderr.getvalue()
        run["duration_ms"] = (time.perf_counter() - started) * 1000
        deliver(run)
    finally:  # free the snippet's graphs here, whatever happened:
        recorder.release()  # its references to them are cycles through C++ the collector cannot see,
        module.__dict__.clear()  # and the snippet's functions and namespace are cycles too
