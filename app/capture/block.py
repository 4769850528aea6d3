"""Recording code where it runs: a notebook cell in the kernel's own namespace (`capture_cell`), or a block of the
caller's own code (`Block`, under `with gradwalk.record()`). No sandbox, no fresh `__main__`, no seeding and no
cap on what the code prints: it is the user's own code, its variables stay where it bound them, and what it
prints is shown as usual (the Run keeps a copy, capped).

The engine knows the snippet's frames by their file name (naming.SNIPPET_FILE, "<snippet>" for a pasted
snippet); here "the snippet" is the cell's or the caller's file, so that name is set to it while the block runs
and set back after (`naming.snippet_file`, as a file captured has it). Lines are that file's lines:
the cell's, or the script's.

A notebook's namespace holds what earlier cells made: only names the block binds, or names bound before it to
tensors and modules the block used, name nodes (`_BlockNames`); an earlier cell's tensor the block never touched
stays out of its graph.
"""

import ast
import contextlib
import sys
import threading
import time
import types
from typing import Any

from .export import blank_run, export_graphs, stopped_recording
from .hints import hint_for
from .naming import Names, snippet_file
from .output import CappedText, error, exits_cleanly, memory_error, snippet_line
from .peek import is_module, is_tensor, module_tensors
from .process import allow_deep_stack, wait_until_idle
from .record import EXPLAIN_MAX_NODES, KEEP_VALUES_MB, MAX_RECORDED_PASSES, RECORD_CPU_S, GraphLimitReached, Recorder
from .torch_internals import recorded_threads

Run = dict[str, Any]

_one_at_a_time = threading.Lock()


class BlockInUse(RuntimeError):
    """A block is already being recorded in this process (blocks do not nest)."""


class _BlockNames(Names):
    """The engine's names, but at the top level only names the block bound, or that were bound before it to
    tensors or modules it used."""

    def __init__(self, recorder: Recorder, before: dict[str, Any], hidden: frozenset[str]):
        super().__init__(recorder.current, recorder.latest)
        self.before = before  # the top-level names as the block found them
        self.hidden = hidden  # names never shown (the magic's own)

    def _name_all(
        self,
        variables: dict[str, Any],
        depth: int,
        line: int | None,
        top: bool,
        end: bool = False,
        now: int | None = None,
    ) -> None:
        if depth == 0:
            variables = {name: value for name, value in variables.items() if self._shown(name, value)}
        super()._name_all(variables, depth, line, top, end, now)

    def _shown(self, name: str, value: Any) -> bool:
        if name in self.hidden:
            return False
        if self.before.get(name, self) is not value:
            return True  # bound by the block
        if is_tensor(value):
            return id(value) in self.latest
        if is_module(value):
            return any(id(p) in self.latest for p in module_tensors(value))
        return False


class _Tee:
    """A text stream that writes through to `stream` and keeps a capped copy."""

    def __init__(self, stream: Any, limit: int):
        self.stream = stream
        self.copy = CappedText(limit, stop=False, errors="backslashreplace")  # (the stream itself raises, if it does)

    def write(self, text: str) -> int:
        self.copy.write(text)
        return self.stream.write(text)  # type: ignore[no-any-return]

    def flush(self) -> None:
        self.stream.flush()

    def __getattr__(self, name: str) -> Any:  # isatty, encoding, fileno, ...: the stream's own
        return getattr(self.stream, name)


class Block:
    """Records what runs between `start()` and `stop()` in the frame running `top_code`, whose variables are
    `namespace` (`names()` gives them again at the end: a function's locals are a copy). `stop()` returns the Run
    as `capture` does (a dict; `code` is the file's or cell's text)."""

    def __init__(
        self,
        *,
        filename: str,
        top_code: types.CodeType,
        namespace: dict[str, Any],
        max_nodes: int,
        max_elements: int,
        max_output_bytes: int,
        explain_max_nodes: int = EXPLAIN_MAX_NODES,
        keep_values_mb: int = KEEP_VALUES_MB,
        record_cpu_s: float = RECORD_CPU_S,
        max_recorded_passes: int = MAX_RECORDED_PASSES,
        hidden: frozenset[str] = frozenset(),
    ):
        self.filename = filename
        self.max_nodes = max_nodes
        self.recorder = Recorder(
            max_nodes, max_elements, explain_max_nodes, keep_values_mb, record_cpu_s, max_passes=max_recorded_passes
        )
        self.recorder.names = _BlockNames(self.recorder, dict(namespace), hidden)
        self.recorder.names.top_code = top_code
        self.max_output_bytes = max_output_bytes
        self.exits = contextlib.ExitStack()
        self.started = 0.0
        self.stdout: _Tee | None = None
        self.stderr: _Tee | None = None

    def start(self) -> None:
        if not _one_at_a_time.acquire(blocking=False):
            raise BlockInUse("gradwalk is already recording a block: blocks do not nest")
        try:
            allow_deep_stack()
            wait_until_idle()  # (a capture returns before its thread has freed its run, its file name still set)
            self.started = time.perf_counter()
            self.stdout = _Tee(sys.stdout, self.max_output_bytes)
            self.stderr = _Tee(sys.stderr, self.max_output_bytes)
            self.exits.enter_context(snippet_file(self.filename))
            self.exits.enter_context(contextlib.redirect_stdout(self.stdout))  # type: ignore[type-var]
            self.exits.enter_context(contextlib.redirect_stderr(self.stderr))  # type: ignore[type-var]
            self.exits.enter_context(self.recorder)
            self.exits.enter_context(recorded_threads(self.recorder.join_thread))
        except BaseException:
            self.exits.close()
            _one_at_a_time.release()
            raise

    def stop(self, namespace: dict[str, Any], exc: BaseException | None, source: str | None) -> Run:
        """End the recording (the frame's variables are `namespace` now; `exc` is what the block raised) and
        return its Run. Always lets go of what the recorder held."""
        run = blank_run(source)
        recorder = self.recorder
        try:
            try:
                self.exits.close()  # (the recorder's mode first, then the streams and the file name)
            finally:
                _one_at_a_time.release()
            with snippet_file(self.filename):  # (the ending names and lines are the block's too)
                _outcome(run, exc, self.max_nodes)
                with contextlib.suppress(GraphLimitReached):
                    recorder.finish(namespace)
                stopped_recording(run, recorder)
                with recorder.lock:  # (a daemon thread's op waits: what it makes is not in this Run)
                    run["forward"], run["backward"] = export_graphs(recorder, source or "")
                    run["backward_passes"] = recorder.backward.passes + recorder.unrecorded_passes
                    run.update(recorder.backward.passes_said())
            if run["error"] is not None and run["error"]["hint"] is None:  # (as the page and the sandbox give it)
                run["error"]["hint"] = hint_for(run["error"], source or "", run)
            if self.stdout is not None and self.stderr is not None:
                run["stdout"], run["stderr"] = self.stdout.copy.getvalue(), self.stderr.copy.getvalue()
            run["duration_ms"] = (time.perf_counter() - self.started) * 1000
            return run
        finally:
            recorder.release()


def _outcome(run: Run, exc: BaseException | None, max_nodes: int) -> None:
    """How the block ended, in `run` (as the sandboxed capture says it)."""
    if exc is None:
        return
    if isinstance(exc, MemoryError):
        run["status"], run["error"] = "limit", memory_error(snippet_line(exc))
    elif isinstance(exc, SystemExit) and exits_cleanly(exc):
        return
    else:
        run["status"], run["error"] = "error", error(exc, snippet_line(exc))


def capture_cell(
    source: str,
    namespace: dict[str, Any],
    *,
    filename: str,
    max_nodes: int,
    max_elements: int,
    max_output_bytes: int,
    explain_max_nodes: int = EXPLAIN_MAX_NODES,
    keep_values_mb: int = KEEP_VALUES_MB,
    record_cpu_s: float = RECORD_CPU_S,
    max_recorded_passes: int = MAX_RECORDED_PASSES,
    tree: ast.Module | None = None,
    hidden: frozenset[str] = frozenset(),
) -> tuple[Run, BaseException | None]:
    """Run `source` (Python, as the cell will be: IPython's own syntax already transformed) in `namespace`, under
    the recorder, in this thread. Returns the Run and what the code raised (None if it did not): the caller shows
    or raises it. `filename` names the code in tracebacks and the Run's lines (register its text in linecache);
    `tree`, when given, is the code to run instead (parsed from `source` and changed, its lines kept)."""
    try:
        code = compile(source if tree is None else tree, filename, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:  # ValueError: NUL bytes in the source
        failed = blank_run(source)
        failed["status"] = "error"
        failed["error"] = error(exc, getattr(exc, "lineno", None), getattr(exc, "offset", None))
        if isinstance(exc, SyntaxError):
            failed["error"]["message"] = exc.msg
        return failed, exc
    block = Block(
        filename=filename,
        top_code=code,
        namespace=namespace,
        max_nodes=max_nodes,
        max_elements=max_elements,
        max_output_bytes=max_output_bytes,
        explain_max_nodes=explain_max_nodes,
        keep_values_mb=keep_values_mb,
        record_cpu_s=record_cpu_s,
        max_recorded_passes=max_recorded_passes,
        hidden=hidden,
    )
    raised: BaseException | None = None
    block.start()
    try:
        exec(code, namespace)
    except BaseException as exc:  # the code's own exception: in the Run, handed back
        raised = exc
    return block.stop(namespace, raised, source), raised
