"""The capture engine: runs a snippet under the recorder and returns its Run as a dict (see app.graph.Run).

Runs in the process that calls it; the sandbox calls `capture_here` inside a forked, locked-down child.

    record.py    the torch function mode: ops, tensors, versions        naming.py   the snippet's names (v2)
    hooks.py     autograd nodes, the gradients through them, passes     saved.py    what nodes saved for backward
    values.py    values as of a moment (copied before in-place changes) summary.py  values as JSON, one budget
    export.py    records -> the Run's graphs                            output.py   printed text and errors
    torch_internals.py   every private torch API and patch              process.py  the capture thread, memory
    loader.py    a DataLoader's workers, run in the snippet's process
"""

import atexit
import builtins
import contextlib
import contextvars
import ctypes
import gc
import json
import linecache
import logging
import random
import sys
import threading
import time
import traceback
import types
import warnings
import weakref
from collections.abc import Callable, Iterator
from typing import Any

import numpy
import orjson
import torch
import torch.nn.functional as F
from torch import nn

from ..expression import prepare_source
from ..gc_pause import gc_paused, snippet_collections
from .deadline import LateStop, OutOfTime, stop_in_time
from .export import blank_run, export_graphs, stopped_recording
from .hidden import hooks_see_no_observer
from .hints import hint_for
from .loader import WorkersInProcess
from .naming import SNIPPET_FILE, snippet_file, user_frame
from .output import (
    CappedText,
    OutputLimitReached,
    clipped,
    error,
    exits_cleanly,
    limit_error,
    memory_error,
    message_of,
    show_warning,
    snippet_line,
    snippet_stack,
    stacks_as_in_python,
    thread_error_as_python,
    unraisable_as_python,
    warnings_placed_as_in_python,
    without_gradwalk_frames,
)
from .peek import class_vars, defined_by_snippet, instance_vars
from .process import allow_deep_stack, held_back, in_capture_thread, pad_heaps, touch_heaps, wait_until_idle
from .record import EXPLAIN_MAX_NODES, KEEP_VALUES_MB, MAX_RECORDED_PASSES, RECORD_CPU_S, GraphLimitReached, Recorder
from .torch_internals import (
    compiles_eagerly,
    imports_timed,
    loader_workers_in_process,
    print_options_as_in_python,
    recorded_threads,
    recursion_as_in_python,
    stacks_from,
)

__all__ = ["capture", "capture_here", "dumps", "prepare_source", "touch_heaps", "wait_until_idle"]

Run = dict[str, Any]


def dumps(run: Run) -> bytes:
    """A Run from `capture` as JSON: what the API serves. (NaN and infinities never occur: summaries spell them as
    strings.)"""
    try:
        return orjson.dumps(run, option=orjson.OPT_SERIALIZE_NUMPY)
    except orjson.JSONEncodeError:  # what orjson does not write (an integer past 64 bits, a lone surrogate in a
        # string the snippet printed): the slow way, lone surrogates as U+FFFD (JSON text is UTF-8)
        text = json.dumps(run, allow_nan=False, ensure_ascii=False, default=lambda array: array.tolist())
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace").encode()


def capture(
    source: str,
    *,
    max_nodes: int,
    max_elements: int,
    max_output_bytes: int,
    explain_max_nodes: int = EXPLAIN_MAX_NODES,
    keep_values_mb: int = KEEP_VALUES_MB,
    record_cpu_s: float = RECORD_CPU_S,
    max_recorded_passes: int = MAX_RECORDED_PASSES,
    file: str = SNIPPET_FILE,
    argv0: str | None = None,
) -> Run:
    """Run `source` and record it: the Run (without id) as a dict of JSON values, except that the values of small
    float tensors are numpy arrays: `dumps` writes it, `orjson.loads(dumps(run))` gives plain values.

    Captures run one at a time in this process's capture thread. Returns as soon as the Run is built; the thread
    then frees the snippet's objects on its own (`wait_until_idle` waits for that)."""
    allow_deep_stack()
    outcome: dict[str, Any] = {}
    done, taken = threading.Event(), threading.Event()

    def deliver(run: Run) -> None:
        outcome["run"] = run
        done.set()
        taken.wait()  # freeing a big graph is one long C call that holds the GIL: let the caller take the Run first

    def work() -> None:
        try:
            with gc_paused():  # a graph is many small objects: collections would cost more than the run itself
                capture_here(
                    source,
                    deliver=deliver,
                    max_nodes=max_nodes,
                    max_elements=max_elements,
                    max_output_bytes=max_output_bytes,
                    explain_max_nodes=explain_max_nodes,
                    keep_values_mb=keep_values_mb,
                    record_cpu_s=record_cpu_s,
                    max_recorded_passes=max_recorded_passes,
                    file=file,
                    argv0=argv0,
                )
        except BaseException as exc:  # a fault of gradwalk's own: raised again in the caller
            outcome["fault"] = exc
        finally:
            done.set()

    in_capture_thread(work)
    done.wait()
    taken.set()
    if "fault" in outcome:
        raise outcome["fault"]
    return outcome["run"]


@contextlib.contextmanager
def _as_main(namespace: types.ModuleType, argv0: str) -> Iterator[None]:
    """Run as `__main__`, restoring the interpreter and torch state the snippet may change."""
    saved_main, saved_argv = sys.modules.get("__main__"), sys.argv
    grad_enabled, default_dtype = torch.is_grad_enabled(), torch.get_default_dtype()
    anomaly = torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled()
    sys.modules["__main__"] = namespace
    sys.argv = [argv0]  # (as `python FILE` has it: not the worker's ['-c'], nor the arguments of a host process)
    # (the snippet's own go with its run, as its process's would)
    hooks = sys.excepthook, threading.excepthook, sys.unraisablehook
    # A thread of the snippet's that raises, and an error in its `__del__`, are reported as Python's own hooks report
    # them, on the snippet's standard error, as `python FILE` reports them, not by the host's (pytest's made them
    # warnings, which its filters made errors).
    sys.excepthook, threading.excepthook, sys.unraisablehook = (
        sys.__excepthook__,
        thread_error_as_python,
        unraisable_as_python,
    )
    # The root logger as a fresh process has it (no handler, WARNING, warnings not captured), and as the snippet set
    # it up, going with its run: a host's handler (pytest's) made the snippet's `logging.basicConfig(stream=
    # sys.stdout)` do nothing, and one run's basicConfig and `logging.captureWarnings(True)` did the same to the next
    # run's in that process (its log and its warnings went to the first run's output).
    root = logging.getLogger()
    logged = root.handlers[:], root.level, logging._warnings_showwarning, root.manager.disable  # type: ignore[attr-defined]
    root.handlers[:], logging._warnings_showwarning = [], None  # type: ignore[attr-defined]
    root.setLevel(logging.WARNING)
    logging.disable(logging.NOTSET)
    try:
        with (
            warnings.catch_warnings(),
            warnings_placed_as_in_python(),
            stacks_as_in_python(),
            stacks_from(snippet_stack),
            loader_workers_in_process(WorkersInProcess),
            print_options_as_in_python(),
        ):
            warnings.showwarning = show_warning
            yield
    finally:
        if saved_main is not None:
            sys.modules["__main__"] = saved_main
        sys.argv, (sys.excepthook, threading.excepthook, sys.unraisablehook) = saved_argv, hooks
        root.handlers[:], logging._warnings_showwarning = logged[0], logged[2]  # type: ignore[attr-defined]
        root.setLevel(logged[1])
        logging.disable(logged[3])
        torch.set_grad_enabled(grad_enabled)
        torch.set_default_dtype(default_dtype)
        torch.set_anomaly_enabled(*anomaly)  # (set_detect_anomaly(True) would last into the next run)


@contextlib.contextmanager
def _streams(stdout: CappedText, stderr: CappedText) -> Iterator[None]:
    """The snippet's standard output and error, also as `sys.__stdout__` and `sys.__stderr__`: a script that silences
    its output (`sys.stdout = open(os.devnull, "w")`) puts it back with `sys.stdout = sys.__stdout__`, and what it
    prints after went to the process's own stream (nowhere, in the sandbox) instead of the Run."""
    saved = sys.__stdout__, sys.__stderr__
    sys.__stdout__, sys.__stderr__ = stdout, stderr  # type: ignore[misc,assignment]
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):  # type: ignore[type-var]
            yield
    finally:
        sys.__stdout__, sys.__stderr__ = saved  # type: ignore[misc]


def _raised_by_snippet(exc: MemoryError) -> bool:
    """A MemoryError the snippet raised itself (`raise MemoryError("over budget")`), not the run's memory limit:
    Python's own has no message, C++'s `bad_alloc` (through pybind11) says so, and numpy's is a subclass."""
    return type(exc) is MemoryError and bool(exc.args) and "bad_alloc" not in str(exc)


def capture_here(
    source: str,
    *,
    max_nodes: int,
    max_elements: int,
    max_output_bytes: int,
    deliver: Callable[[Run], None],
    explain_max_nodes: int = EXPLAIN_MAX_NODES,
    keep_values_mb: int = KEEP_VALUES_MB,
    record_cpu_s: float = RECORD_CPU_S,
    max_recorded_passes: int = MAX_RECORDED_PASSES,
    run_cpu_s: float | None = None,
    run_timeout_s: float | None = None,
    max_result_bytes: int | None = None,
    file: str = SNIPPET_FILE,
    argv0: str | None = None,
) -> None:
    """Run and record `source` in this thread; hand the Run (as `capture` returns it) to `deliver`, then free what
    the snippet made. The thread needs a deep stack (CAPTURE_STACK_BYTES) and, for speed, the cycle collector
    paused: the sandbox's child calls this in its main thread, whose stack limit the pool raises, and exits from
    `deliver`. Anywhere else, `capture` is the way in. Given the CPU time and wall clock the run may take (the
    sandbox's limits, in seconds), the code is stopped in time to make its Run (deadline.py; main thread only);
    given the largest Run that may be sent, in bytes, the recording stops before the graphs would outgrow it.
    `file` is the name the snippet's code runs under (`__file__`, tracebacks, `logging`), `argv0` its `sys.argv[0]`
    (`file` unless given): a file's path and the path as typed when `gradwalk capture FILE` runs a file, as `python
    FILE` has them; only the names are passed, never the file."""
    with snippet_file(file):
        _capture_here(
            source,
            argv0=file if argv0 is None else argv0,
            max_nodes=max_nodes,
            max_elements=max_elements,
            max_output_bytes=max_output_bytes,
            deliver=deliver,
            explain_max_nodes=explain_max_nodes,
            keep_values_mb=keep_values_mb,
            record_cpu_s=record_cpu_s,
            max_recorded_passes=max_recorded_passes,
            run_cpu_s=run_cpu_s,
            run_timeout_s=run_timeout_s,
            max_result_bytes=max_result_bytes,
        )


def _capture_here(
    source: str,
    *,
    argv0: str,
    max_nodes: int,
    max_elements: int,
    max_output_bytes: int,
    deliver: Callable[[Run], None],
    explain_max_nodes: int,
    keep_values_mb: int,
    record_cpu_s: float,
    max_recorded_passes: int,
    run_cpu_s: float | None,
    run_timeout_s: float | None,
    max_result_bytes: int | None,
) -> None:
    started = time.perf_counter()
    pad_heaps()
    run = blank_run(None)
    text = prepare_source(source)
    try:
        code = compile(text, SNIPPET_FILE, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:  # ValueError: NUL bytes in the source
        run["status"] = "error"
        run["error"] = error(exc, getattr(exc, "lineno", None), getattr(exc, "offset", None))
        if isinstance(exc, SyntaxError):
            run["error"]["message"] = exc.msg
        run["error"]["hint"] = hint_for(run["error"], text)
        run["duration_ms"] = (time.perf_counter() - started) * 1000
        deliver(run)
        return
    # The snippet's source, where tracebacks, `inspect` and torch.jit look for it, as for a file.
    linecache.cache[SNIPPET_FILE] = (len(text), None, text.splitlines(keepends=True), SNIPPET_FILE)
    module = types.ModuleType("__main__")
    # As `python FILE` has them (`dir()` lists them), and the names gradwalk imports for the snippet:
    module.__dict__.update(__builtins__=builtins, __file__=SNIPPET_FILE, __cached__=None, __annotations__={})
    module.__dict__.update(torch=torch, nn=nn, F=F)
    stdout = CappedText(max_output_bytes, stop=True, fd=1)
    stderr = CappedText(max_output_bytes, stop=False, errors="backslashreplace", fd=2)
    recorder = Recorder(
        max_nodes, max_elements, explain_max_nodes, keep_values_mb, record_cpu_s, max_result_bytes, max_recorded_passes
    )
    recorder.names.top_code, recorder.names.namespace = code, module.__dict__
    torch.default_generator.manual_seed(0)  # torch.manual_seed also queues seeds for devices: 2 ms here
    random.seed(0)
    numpy.random.seed(0)  # (numpy's global generator too: the same snippet gave other numbers on another worker)
    try:
        with stop_in_time(run_cpu_s, run_timeout_s, recorder.export_reserve_s) as time_left:
            _execute(code, module, recorder, stdout, stderr, run, max_output_bytes, argv0)
        stopped_recording(run, recorder)
        with recorder.lock:  # (a daemon thread's op waits: what it makes is not in this Run)
            try:
                run["forward"], run["backward"] = export_graphs(recorder, text, time_left)
            except MemoryError:
                run["status"], run["error"] = "limit", memory_error()
            except Exception as exc:  # a bug of gradwalk's met on this run: what the snippet printed is still shown
                if run["error"] is None:
                    run["status"], run["error"] = "error", limit_error("GradwalkError", export_failed(exc))
            run["backward_passes"] = recorder.backward.passes + recorder.unrecorded_passes
            run["explained_short_of_time"] = recorder.explained_short_of_time
            run.update(recorder.backward.passes_said())
        if run["error"] is not None and run["error"]["hint"] is None:  # a hint that names the snippet's tensor
            run["error"]["hint"] = hint_for(run["error"], text, run)
        run["stdout"], run["stderr"] = stdout.getvalue(), stderr.getvalue()
        if run["error"] is not None:  # (as long as the snippet likes: kept as printed output is)
            run["error"]["message"] = clipped(run["error"]["message"], max_output_bytes)
        run["duration_ms"] = (time.perf_counter() - started) * 1000
        deliver(run)
    finally:  # free the snippet's graphs here, whatever happened:
        recorder.release()  # its references to them are cycles through C++ the collector cannot see,
        # and the snippet's functions and namespace are cycles too (each name kept, its value dropped: torch.compile
        # deletes the globals it added when its code is freed, and a missing one printed a KeyError at exit)
        module.__dict__.update(dict.fromkeys(module.__dict__))


def out_of_time(limit: str, line: int | None) -> dict[str, Any]:
    """The Run's error when gradwalk stopped the code because the run's time was nearly used up."""
    which = "CPU time (GRADWALK_RUN_CPU_S)" if limit == "cpu" else "wall-clock time (GRADWALK_RUN_TIMEOUT_S)"
    return limit_error(
        "Timeout",
        f"The code was about to run out of the {which} a run may take; gradwalk stopped it here, keeping the time "
        "to draw what it recorded. The graphs and the printed output hold what came before. Use fewer steps or "
        "a smaller model.",
        line,
    )


def export_failed(exc: Exception) -> str:
    return (
        f"gradwalk could not draw this run's graphs ({type(exc).__name__}: {str(exc)[:300]}). What the code "
        "printed is kept. This is a bug in gradwalk, not in the code: please report it with the code."
    )


def _execute(
    code: types.CodeType,
    module: types.ModuleType,
    recorder: Recorder,
    stdout: CappedText,
    stderr: CappedText,
    run: Run,
    max_output_bytes: int,
    argv0: str,
) -> None:
    """Run the snippet under the recorder; how it ended goes into `run`."""
    try:
        _ended(code, module, recorder, stdout, stderr, run, max_output_bytes, argv0)
    except OutOfTime as exc:  # the snippet's exception took the time left, saying what it is (its own __str__)
        run["status"], run["error"] = "timeout", out_of_time(exc.limit, snippet_line(exc))


@contextlib.contextmanager
def _builtins_put_back() -> Iterator[None]:
    """Builtins the snippet replaced (`builtins.len = ...`) are put back as it ends: gradwalk's code after it uses
    them (to send the Run, for one). While it runs, its replacements are its own code's and torch's, as in plain
    Python: gradwalk's modules look them up as they were before it began (`_own_builtins`)."""
    own = dict(vars(builtins))
    _own_builtins(own)
    try:
        yield
    finally:
        now = vars(builtins)
        for name in [name for name in now if name not in own]:
            del now[name]
        for name, value in own.items():
            if now.get(name) is not value:
                now[name] = value


def _own_builtins(builtin: dict[str, Any]) -> None:
    """Give each of gradwalk's modules (`app.*`) the builtins `builtin` as globals of its own, where its code finds
    them before the `builtins` module: `len`, `isinstance`, `id`, `type`, `getattr`, `print` a snippet replaced for
    its own code would otherwise be called by gradwalk's while it observes the snippet (each call of it printed or
    counted, or raised and sank the run). A module's own name of that kind is left as it is."""
    named = [(name, value) for name, value in builtin.items() if not name.startswith("__")]
    for name, module in list(sys.modules.items()):
        if type(name) is str and name.startswith(OWN_PACKAGE) and type(module) is types.ModuleType:
            namespace = vars(module)
            if namespace.get("len") is not builtin.get("len"):  # (done once per module, and again if undone)
                for key, value in named:
                    namespace.setdefault(key, value)


OWN_PACKAGE = __name__.partition(".")[0] + "."  # (`app.`)
JOIN_LOOK_S = 0.05  # how often the wait for the snippet's threads looks whether the run's time is up


ExitCallback = tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]


@contextlib.contextmanager
def _exit_callbacks() -> Iterator[list[ExitCallback]]:
    """The functions the snippet's own code gives `atexit.register`, kept to be called as its run ends (Python
    calls them as it exits: the sandbox's child never runs its own exit, and a host process's would call them long
    after the run, printing to its own terminal). Registrations by torch's code or a library's go to `atexit`."""
    registered: list[ExitCallback] = []
    register, unregister = atexit.register, atexit.unregister

    def snippet_register(func: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Callable[..., Any]:
        if user_frame(sys._getframe(1)) is not sys._getframe(1):
            return register(func, *args, **kwargs)
        registered.append((func, args, kwargs))
        return func

    def snippet_unregister(func: Callable[..., Any], /) -> None:
        registered[:] = [entry for entry in registered if entry[0] != func]
        unregister(func)

    atexit.register, atexit.unregister = snippet_register, snippet_unregister  # type: ignore[assignment]
    try:
        yield registered
    finally:
        atexit.register, atexit.unregister = register, unregister  # type: ignore[assignment]


def _call_at_exit(registered: list[ExitCallback]) -> None:
    """Call the snippet's exit functions, last registered first, as Python does: one that raises is reported on
    standard error and the others still run."""
    while registered:
        func, args, kwargs = registered.pop()
        try:
            func(*args, **kwargs)
        except (OutOfTime, OutputLimitReached):
            raise
        except BaseException as exc:
            with contextlib.suppress(ValueError):  # (a standard error the snippet closed: Python says nothing)
                print(f"Exception ignored in atexit callback: {func!r}", file=sys.stderr)
                _print_as_python(exc)


def _snippets_excepthook(exc: BaseException) -> None:
    """The snippet's own `sys.excepthook` (logging an uncaught error, say), called with its uncaught exception as
    Python calls it before it exits, with the traceback Python would give it; the Run reports the error as ever."""
    hook = sys.excepthook
    if hook is sys.__excepthook__ or isinstance(exc, SystemExit):
        return
    try:
        hook(type(exc), exc, without_gradwalk_frames(exc.__traceback__))
    except (OutOfTime, OutputLimitReached):
        raise
    except BaseException as failed:
        with contextlib.suppress(ValueError):  # (a standard error the snippet closed: Python says nothing)
            print("Error in sys.excepthook:", file=sys.stderr)
            _print_as_python(failed)
            print("\nOriginal exception was:", file=sys.stderr)
            _print_as_python(exc)


def _no_recording_time(recorder: Recorder) -> Callable[[], Callable[[float], None]]:
    """What a module's first import takes (torch's own lazy imports, a library's) is no recording time: the
    recorder's clock moves its deadline by the CPU time the importing thread spent, unless the import recorded ops
    (a module of the snippet's that computes as it loads: its time is the recording's). (Paused, the time until
    the resume is none anyway.)"""

    def started() -> Callable[[float], None]:
        made = len(recorder.forward) + len(recorder.backward.records)

        def imported(seconds: float) -> None:
            with recorder.lock:
                if recorder.paused or len(recorder.forward) + len(recorder.backward.records) != made:
                    return
                recorder.deadline += seconds
                recorder.pause_cpu += seconds

        return imported

    return started


def _print_as_python(exc: BaseException) -> None:
    """Print `exc` on standard error as Python prints an error it reports: its traceback without gradwalk's frames."""
    traceback.print_exception(type(exc), exc, without_gradwalk_frames(exc.__traceback__))


def _run_to_its_end(
    code: types.CodeType, module: types.ModuleType, at_exit: list[ExitCallback], exited: list[bool]
) -> None:
    """Run the snippet, then, as Python does before it exits (after an uncaught error too), wait for the threads it
    started that are not daemons: what they print and compute is part of the run; then call its exit functions
    (`atexit`) and its `weakref.finalize` functions still pending, and mark it `exited`. Threads are waited for only
    as the main thread of a process of its own (the sandbox's child, where the run's time is kept): in a process
    that serves others, threads started meanwhile are not all the snippet's, and nothing would end a wait for one
    that never ends."""
    main = threading.current_thread() is threading.main_thread()
    before = set(threading.enumerate())
    finalizers_before = set(weakref.finalize._registry)  # type: ignore[attr-defined]
    uncaught: BaseException | None = None
    # (its context variables as a fresh process has them, numpy's print options among them: in a process that runs
    # captures one after another, a snippet's np.set_printoptions(precision=3) printed the next one's arrays that way)
    context = contextvars.Context()
    try:
        with snippet_collections():
            context.run(exec, code, module.__dict__)
    except (OutOfTime, OutputLimitReached):  # (stopped by gradwalk: Python's exit is not reached)
        raise
    except BaseException as exc:
        uncaught = exc  # (what runs next runs after it, not while it is handled: its errors are no "During handling")
    if uncaught is not None:
        _snippets_excepthook(uncaught)
    if main:
        _join_threads_started_since(before)
    context.run(_call_at_exit, at_exit)
    context.run(_finalize_at_exit, finalizers_before)
    _flush_standard_streams()
    exited.append(True)
    if uncaught is not None:
        raise uncaught


def _flush_standard_streams() -> None:
    """Flush the snippet's standard output and error, as Python does as it exits: a stream of the snippet's own
    (`out = io.TextIOWrapper(sys.stdout.detach(), encoding="utf-8")`, kept in a variable) held what was printed last
    until then, and the Run's output lacked it. One closed, or failing to flush, says nothing here."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            if stream is not None and not stream.closed:
                stream.flush()


def _finalize_at_exit(before: set[Any]) -> None:
    """Call the `weakref.finalize` functions the snippet made that are still pending, as Python's exit does (its
    `weakref.finalize._exitfunc`, registered with `atexit` when torch made the process's first, runs after the
    snippet's own exit functions): newest first, an error reported by `sys.excepthook`. Those made before the run,
    and those of torch's code or a library's (torch.library's op registrations, tempfile's folders) are not the
    run's to call: in a process that goes on (not the sandbox's child), they would undo what the process still
    holds. (`_registry` and `_dirty` are the class's own bookkeeping: a finalizer that makes or calls another marks
    it dirty.)"""
    finalize = weakref.finalize
    pending: list[Any] | None = None
    while True:
        if pending is None or finalize._dirty:  # type: ignore[attr-defined]
            registry = finalize._registry  # type: ignore[attr-defined]
            mine = [(f, info) for f, info in list(registry.items()) if f not in before and _snippets_own(info)]
            pending = [f for f, _ in sorted(mine, key=lambda item: item[1].index)]
            finalize._dirty = False  # type: ignore[attr-defined]
        if not pending:
            return
        try:
            pending.pop()()
        except (OutOfTime, OutputLimitReached):
            raise
        except Exception:
            sys.excepthook(*sys.exc_info())


def _snippets_own(info: Any) -> bool:
    """A `weakref.finalize` to call at exit whose function is the snippet's own (or a builtin it named: `print`)."""
    return bool(info.atexit) and getattr(info.func, "__module__", None) in ("__main__", "builtins")


def _finalize_as_python_exits(namespace: dict[str, Any]) -> None:
    """Free what the snippet left bound as Python's exit frees it, where the snippet's own code runs: objects of its
    classes with a `__del__` (a logger that prints "closed"), bound at the top level or in a list, tuple or dict
    there, get their `__del__` called, in the order they were made, with the top level still intact (at exit the
    collector finalizes the module's objects before it clears any), each at most once (`PyObject_CallFinalizer`, as
    the collector calls it: not again when the object is freed later); then their attributes are dropped (as the
    collector clears them), and what only they held is freed, its `__del__` running then. Last, the others still
    alive (held by a module's attribute, say), in the order they were made: Python's exit frees them too. Nothing
    happens for a snippet that defines no class with a `__del__`: other objects' ends print nothing. Nothing of the
    snippet's runs to find them (`isinstance` reads an object's `__class__`, which may be a property of its own)."""
    classes = tuple(
        value
        for value in namespace.values()
        if issubclass(type(value), type) and defined_by_snippet(value) and "__del__" in class_vars(value)
    )
    if not classes:
        return
    finalized = _subclasses(classes)
    bound: dict[int, Any] = {}
    for value in namespace.values():
        items = (
            value.values()
            if type(value) is dict
            else value
            if type(value) is list or type(value) is tuple
            else (value,)
        )
        bound.update((id(item), item) for item in items if id(type(item)) in finalized)
    made = [obj for generation in (2, 1, 0) for obj in gc.get_objects(generation) if id(obj) in bound]
    with _stops_in_finalizers() as stopped:
        for obj in made:  # (its errors are reported on standard error, "Exception ignored in", as Python reports them)
            ctypes.pythonapi.PyObject_CallFinalizer(ctypes.py_object(obj))
            stopped()
        for obj in made:
            attributes = instance_vars(obj)
            if attributes is not None:  # (None: a class with __slots__ only)
                attributes.clear()
                stopped()
        called = {id(obj) for obj in made}
        for obj in [
            obj for generation in (2, 1, 0) for obj in gc.get_objects(generation) if id(type(obj)) in finalized
        ]:
            if id(obj) not in called:
                ctypes.pythonapi.PyObject_CallFinalizer(ctypes.py_object(obj))
                stopped()


@contextlib.contextmanager
def _stops_in_finalizers() -> Iterator[Callable[[], None]]:
    """While `__del__` methods are called as the collector calls them: gradwalk's own stops raised in one (the run
    out of time, its output past the cap) are kept from `sys.unraisablehook`, which would report them as "Exception
    ignored in" and let the run go on as if it had not been stopped (status ok, a `__del__` looping forever cut off,
    the next called); the function given raises the first kept, for the run to end as any snippet code stopped there.
    Other errors are reported as before."""
    kept: list[BaseException] = []
    report = sys.unraisablehook

    def keep_stops(unraisable: Any) -> None:
        if isinstance(unraisable.exc_value, (OutOfTime, OutputLimitReached)):
            kept.append(unraisable.exc_value)
        else:
            report(unraisable)

    def stopped() -> None:
        if kept:
            raise kept[0]

    sys.unraisablehook = keep_stops
    try:
        yield stopped
    finally:
        if sys.unraisablehook is keep_stops:  # (else the snippet's __del__ set a hook of its own: it stays)
            sys.unraisablehook = report


def _subclasses(classes: tuple[type, ...]) -> set[int]:
    """The ids of `classes` and their subclasses (ids: a class's hash may be its metaclass's code)."""
    found, todo = {id(kind) for kind in classes}, list(classes)
    while todo:
        subclasses: list[type] = type.__subclasses__(todo.pop())
        for sub in subclasses:
            if id(sub) not in found:
                found.add(id(sub))
                todo.append(sub)
    return found


def _join_threads_started_since(before: set[threading.Thread]) -> None:
    while waiting := [thread for thread in threading.enumerate() if thread not in before and not thread.daemon]:
        for thread in waiting:
            while thread.is_alive():
                thread.join(JOIN_LOOK_S)
                if LateStop.stop is not None:  # (the run's time is up: the look fell in this wait, not the snippet)
                    raise LateStop.take()
        before.update(waiting)


def _limit_line(exc: BaseException) -> int | None:
    """The snippet's line a memory limit was met on: the error's own, or, when gradwalk's work as the snippet's error
    unwound (finishing the recording) met the limit again, the line of the error that was unwinding (the second
    error's frames are all gradwalk's: the limit was said without its line)."""
    seen: BaseException | None = exc
    for _ in range(8):  # (a chain of errors each raised while the one before unwound; a cycle ends here too)
        if seen is None:
            return None
        line = snippet_line(seen)
        if line is not None:
            return line
        seen = seen.__context__
    return None


def _ended(
    code: types.CodeType,
    module: types.ModuleType,
    recorder: Recorder,
    stdout: CappedText,
    stderr: CappedText,
    run: Run,
    max_output_bytes: int,
    argv0: str,
) -> None:
    """Run the snippet under the recorder, and say how it ended in `run`."""
    exited: list[bool] = []  # (it reached Python's exit: not stopped by gradwalk)
    try:
        with _as_main(module, argv0), _streams(stdout, stderr):
            try:
                with (
                    recorder,
                    recorded_threads(recorder.join_thread),
                    held_back(),
                    _builtins_put_back(),
                    recursion_as_in_python(),
                    compiles_eagerly(Recorder),
                    imports_timed(_no_recording_time(recorder)),
                    _exit_callbacks() as at_exit,
                    hooks_see_no_observer(),
                ):
                    _run_to_its_end(code, module, at_exit, exited)
            finally:
                with contextlib.suppress(GraphLimitReached):
                    recorder.finish(module.__dict__)
                if exited:  # (named first: the Run names what the snippet left bound)
                    _finalize_as_python_exits(module.__dict__)
    except OutOfTime as exc:
        run["status"], run["error"] = "timeout", out_of_time(exc.limit, snippet_line(exc))
    except OutputLimitReached as exc:
        run["status"] = "limit"
        run["error"] = limit_error(
            "OutputLimit",
            f"The snippet printed more than max_output_bytes = {max_output_bytes} bytes; gradwalk stopped it there.",
            snippet_line(exc),
        )
    except MemoryError as exc:
        if _raised_by_snippet(exc):
            run["status"], run["error"] = "error", error(exc, snippet_line(exc))
        else:
            run["status"], run["error"] = "limit", memory_error(_limit_line(exc))
    except SystemExit as exc:
        if not exits_cleanly(exc):
            run["status"], run["error"] = "error", error(exc, snippet_line(exc))
    except Exception as exc:
        if "can't allocate memory" in message_of(exc):  # torch's allocator refused: the memory limit
            run["status"], run["error"] = "limit", memory_error(_limit_line(exc))
        else:
            run["status"], run["error"] = "error", error(exc, snippet_line(exc))
            run["error"]["backward_pass"] = recorder.backward.pass_raising(exc)
    except BaseException as exc:  # the snippet's own KeyboardInterrupt, or a BaseException subclass of its own:
        # plain Python ends there with a traceback, as with any error (it sank the run as a fault of gradwalk's)
        run["status"], run["error"] = "error", error(exc, snippet_line(exc))
