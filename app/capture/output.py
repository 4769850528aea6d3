"""What a run says: the snippet's output (capped), its warnings as plain Python shows them, and its errors as the
Run's `error` (with the snippet's line and a hint)."""

import contextlib
import inspect
import io
import os
import re
import sys
import threading
import traceback
import warnings
from collections.abc import Iterator
from types import FrameType, TracebackType
from typing import Any, cast

from .deadline import OutOfTime
from .naming import SNIPPET_FILE, user_frame

_is_str = str.__instancecheck__  # (not the builtin `isinstance`, which the snippet may have replaced)


class OutputLimitReached(BaseException):
    """Raised into the snippet when what it printed passes `max_output_bytes`."""


STREAM_NAMES = {1: "<stdout>", 2: "<stderr>"}


class CappedText(io.TextIOBase):
    """A text stream that keeps at most `limit` bytes (UTF-8); past that it stops the snippet (`stop`) or drops
    the rest (and says so at its end). As Python's own streams: text that is no UTF-8 (a lone surrogate) raises
    UnicodeEncodeError on standard output, and is written escaped (`\\udcff`) on standard error (`errors`); and it is
    an io.TextIOBase, as they are (code that checks `isinstance(sys.stdout, io.TextIOBase)` finds one)."""

    def __init__(self, limit: int, stop: bool, errors: str = "strict", fd: int | None = None):
        super().__init__()
        self.limit = limit
        self.fd = fd  # the process's own stream's file descriptor, that `fileno()` says (None: it has none)
        self.stop = stop
        self._errors = errors
        self.parts: list[str] = []
        self.size = 0
        self.cut = False
        self.line_buffering = False  # (as Python's streams to a file or pipe; `write_through` too)
        self.write_through = False
        self._closed = False
        self._detached = False

    # (io.TextIOBase's `encoding` and `errors` are read-only descriptors, which typeshed writes as attributes)
    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    @property
    def errors(self) -> str:  # type: ignore[override]
        return self._errors

    def write(self, text: str) -> int:
        self._check_open()
        if text.__class__ is not str and not _is_str(text):  # (as sys.stdout says it)
            raise TypeError(f"write() argument must be str, not {text.__class__.__name__}")
        return self._take(text)

    def _take(self, text: str) -> int:
        written = len(text)
        data = text.encode("utf-8", self._errors)  # (what plain Python raises, it raises here)
        if len(data) != len(text) and self._errors != "strict":
            text = data.decode("utf-8")
        if self.size + len(data) > self.limit:
            room = self.limit - self.size
            if room > 0:
                self.parts.append(data[:room].decode("utf-8", "ignore"))
                self.size = self.limit
            self.cut = True
            if self.stop:
                raise OutputLimitReached
            return written
        self.parts.append(text)
        self.size += len(data)
        return written

    def flush(self) -> None:
        self._check_open()

    def isatty(self) -> bool:
        self._check_open()
        return False

    def close(self) -> None:
        """`sys.stdout.close()`: closed as Python's stream then is, what is written after raises ValueError (a print
        too), where it went on; what was written before is still the run's output."""
        self._closed = True

    def detach(self) -> "CappedBytes":  # type: ignore[override]
        """`sys.stdout.detach()`, as scripts that rewrap their output in UTF-8 do
        (`sys.stdout = io.TextIOWrapper(sys.stdout.detach(), encoding="utf-8")`): the binary stream under the text,
        whose bytes still go into the run's output; the text stream itself can no longer be used, as Python's."""
        self._check_open()
        self._detached = True
        return CappedBytes(self)

    def _check_open(self) -> None:
        if self._detached:
            raise ValueError("underlying buffer has been detached")
        if self._closed:
            raise ValueError("I/O operation on closed file.")

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def reconfigure(self, **options: Any) -> None:
        """`sys.stdout.reconfigure(encoding="utf-8")`, as scripts run on Windows consoles do: the text is UTF-8
        already."""
        self.line_buffering = bool(options.get("line_buffering", self.line_buffering))

    @property
    def name(self) -> str:
        """`<stdout>`, `<stderr>`, as Python names its streams (a logging handler's repr says it: `<StreamHandler
        <stdout> (INFO)>`); a stream of no file has none, as io.StringIO has none."""
        if self.fd not in STREAM_NAMES:
            raise AttributeError("name")
        return STREAM_NAMES[self.fd]

    @property
    def mode(self) -> str:
        return "w"

    def fileno(self) -> int:
        """The process's own stream's (`faulthandler.enable()`, `os.isatty(sys.stdout.fileno())` as a script run with
        its output to a file or pipe has it: in the sandbox, /dev/null), or none, as io.StringIO has none."""
        self._check_open()
        if self.fd is None:
            raise io.UnsupportedOperation("fileno")
        return self.fd

    def writable(self) -> bool:
        self._check_open()
        return True

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def buffer(self) -> "CappedBytes":
        """The binary stream under the text (`sys.stdout.buffer.write(b"...")`): its bytes go into the same text."""
        if self._detached:
            raise ValueError("underlying buffer has been detached")
        return CappedBytes(self)

    def getvalue(self) -> str:
        """What was written; if some was dropped, with the note that says so, within `limit` bytes."""
        text = "".join(self.parts)
        room = self.limit - len(CUT_NOTE.encode("utf-8"))
        if not self.cut or self.stop or room <= 0:
            return text
        return text.encode("utf-8")[:room].decode("utf-8", "ignore") + CUT_NOTE


class CappedBytes(io.RawIOBase):
    """`sys.stdout.buffer` for a CappedText: UTF-8 bytes written into its text (bytes that are no UTF-8 as U+FFFD).
    A binary stream as io's are, so that it may be wrapped again: `io.TextIOWrapper(sys.stdout.buffer, "utf-8")`."""

    def __init__(self, text: CappedText):
        super().__init__()
        self.text = text

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        if self.closed or self.text.closed:  # (closing the text stream closes the one under it, as in Python)
            raise ValueError("write to closed file")
        written = bytes(data)
        self.text._take(written.decode("utf-8", "replace"))  # (detached from the text stream, it still writes there)
        return len(written)


def show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: Any = None,
    line: str | None = None,
) -> None:
    """Print a warning as plain Python would, placed at the snippet's line (torch's C++ warnings would otherwise
    point into gradwalk) and followed by that line's source (how often: `warnings_placed_as_in_python`). A warning
    already placed in the snippet (`warnings.warn(..., stacklevel=2)` in the snippet's function) stays there."""
    # (a warning placed in torch's own Python code, `legacy_get_string`'s `stacklevel=2` or the C++ warning of an op
    # torch.meshgrid calls, stays there, as Python shows it: only one still said to be gradwalk's moves)
    frame: FrameType | None = user_frame(sys._getframe(1)) if gradwalks(filename) else None
    if frame is not None:
        filename, lineno, line = SNIPPET_FILE, frame.f_lineno, None  # (None: the source line, from linecache)
    sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line=line))


GRADWALK_DIR = os.path.dirname(os.path.dirname(__file__))  # (as frames name gradwalk's files)


def gradwalks(filename: str) -> bool:
    """Whether a frame of this file is gradwalk's own (a snippet run from a file in gradwalk's folder is not)."""
    return filename.startswith(GRADWALK_DIR + os.sep) and filename != SNIPPET_FILE


def placed_where_python_places(message: warnings.WarningMessage, below: set[int]) -> warnings.WarningMessage:
    """A warning torch's C++ code raised in an op the recorder called, placed as plain Python places it: at the line
    that called the op (the snippet's, or torch's own Python code's), not the recorder's. What the snippet's
    `catch_warnings(record=True)`, `logging.captureWarnings` or own `showwarning` gets says the snippet's line. A
    warning whose `stacklevel` reaches past the snippet's top level (to the frames below it, the ids in `below`) is
    placed where Python places one that reaches past the bottom of its stack: `sys:1`."""
    if _past_the_top(message, below):
        return warnings.WarningMessage(message.message, message.category, "sys", 1, message.file, None, message.source)
    if not gradwalks(message.filename):
        return _counted_as_in_python(message, sys._getframe(2), below)
    frame: FrameType | None = sys._getframe(1).f_back  # (past this hook)
    while frame is not None and not gradwalks(frame.f_code.co_filename):  # (the warning's own frames: a torch
        frame = frame.f_back  # function's `warnings.warn(..., stacklevel=2)` that named the recorder, its caller)
    while frame is not None and (gradwalks(frame.f_code.co_filename) or frame.f_code.co_filename == warnings.__file__):
        frame = frame.f_back
    if frame is not None and frame.f_code.co_name == "handle_torch_function" and frame.f_back is not None:
        frame = frame.f_back.f_back  # (torch's dispatch to the recorder and the call it dispatched: not in Python's)
    if frame is None:
        return message
    filename, lineno = frame.f_code.co_filename, frame.f_lineno
    return warnings.WarningMessage(
        message.message, message.category, filename, lineno, message.file, None, message.source
    )


def _counted_as_in_python(message: warnings.WarningMessage, first: FrameType, below: set[int]) -> Any:
    """A warning of the snippet's or of torch's Python code (`first` called `warnings.warn`) whose `stacklevel`
    counted gradwalk's frames on its way (the module call's, between a module's `forward` and its caller) placed
    where Python's count lands, counting only the frames `python FILE` has: past its top level, `sys:1`."""
    level, crossed = 1, False
    frame: FrameType | None = first
    while frame is not None and (frame.f_code.co_filename, frame.f_lineno) != (message.filename, message.lineno):
        crossed = crossed or gradwalks(frame.f_code.co_filename)
        level, frame = level + 1, frame.f_back
    if frame is None or not crossed or gradwalks(first.f_code.co_filename):
        return message
    plain: list[FrameType] = []  # (the stack from `first` out, as python FILE has it)
    frame = first
    while frame is not None and id(frame) not in below and len(plain) < level:
        if gradwalks(frame.f_code.co_filename):
            frame = frame.f_back
        elif plain and frame.f_back is not None and _dispatches_to_gradwalk(frame, plain[-1]):
            frame = frame.f_back.f_back  # (torch's dispatch to the recorder, and the call it dispatched)
        else:
            plain.append(frame)
            frame = frame.f_back
    if len(plain) < level:
        return warnings.WarningMessage(message.message, message.category, "sys", 1, message.file, None, message.source)
    found = plain[level - 1]
    filename, lineno = found.f_code.co_filename, found.f_lineno
    return warnings.WarningMessage(
        message.message, message.category, filename, lineno, message.file, None, message.source
    )


def _past_the_top(message: warnings.WarningMessage, below: set[int]) -> bool:
    """Whether the warning names a frame under the snippet's top level: one of `below` (the frames under the caller
    of the context that runs it), or one of gradwalk's just above them (that runs the snippet's code)."""
    if message.filename == SNIPPET_FILE:  # (the snippet's own line, as most are: no walk down the whole stack)
        return False
    frame: FrameType | None = sys._getframe(1)
    under: list[FrameType] = []
    while frame is not None and id(frame) not in below:
        if gradwalks(frame.f_code.co_filename):
            under.append(frame)
        else:
            under.clear()
        frame = frame.f_back
    if frame is None:  # (a thread's stack, which no frame of `below` is under)
        return False
    while frame is not None:
        under.append(frame)
        frame = frame.f_back
    return any(f.f_code.co_filename == message.filename and f.f_lineno == message.lineno for f in under)


def _frames_under(frame: FrameType | None) -> list[FrameType]:
    """`frame` and those under it: held while a context lasts (the id of a frame that ended could be a new one's)."""
    held = []
    while frame is not None:
        held.append(frame)
        frame = frame.f_back
    return held


@contextlib.contextmanager
def warnings_placed_as_in_python() -> Iterator[None]:
    """While it lasts (inside `warnings.catch_warnings()`), every warning shown or recorded is placed as plain Python
    places it (`warnings._showwarnmsg` is what Python calls with each warning, whoever shows or records it), and shown
    or recorded as often as Python would there. Python's default filters are set (`python_default_filters`) over one
    that lets every other warning through, for Python's default action, once per line, cannot be left to the
    warnings module: a C++ warning of torch's is raised at the recorder's line, one for every op. It is taken here,
    at the line Python places the warning on, and forgotten when the filters change, as Python forgets it. The
    snippet's own filters go before these, and act as in plain Python (`simplefilter('always')`: every time)."""
    held = _frames_under(sys._getframe(2))  # (the caller's: 0 is this generator's, 1 its context manager's)
    below = {id(frame) for frame in held}
    warnings.simplefilter("always")
    python_default_filters()
    ours = list(warnings.filters)  # (the host's own come after the first, which every warning matches)
    seen: set[tuple[str, int, type[Warning], str]] = set()
    show, mutated = warnings._showwarnmsg, warnings._filters_mutated  # type: ignore[attr-defined]

    def show_as_python(message: warnings.WarningMessage) -> None:
        placed = placed_where_python_places(message, below)
        if _shown_by_filters(placed, ours, seen):
            show(placed)

    def filters_mutated() -> None:
        seen.clear()
        mutated()

    warnings._showwarnmsg, warnings._filters_mutated = show_as_python, filters_mutated  # type: ignore[attr-defined]
    # (a warning raised at gradwalk's line keeps no memory there: where Python keeps it, the snippet's line, is known
    # only when it is shown, and "default" or "module" would otherwise forget the same message at another line)
    ours_modules = [  # (a key of the snippet's, not a string, is passed by: its `startswith` would be its own code)
        vars(m)
        for name, m in list(sys.modules.items())
        if type(name) is str and name.startswith(__package__ or "app.capture")
    ]
    kept = [module.get("__warningregistry__") for module in ours_modules]
    for module in ours_modules:
        module["__warningregistry__"] = None
    try:
        yield
    finally:
        warnings._showwarnmsg, warnings._filters_mutated = show, mutated  # type: ignore[attr-defined]
        for module, registry in zip(ours_modules, kept, strict=True):
            module["__warningregistry__"] = registry


def python_default_filters() -> None:
    """Plain Python's default warning filters: deprecation, import and resource warnings are not shown unless the
    snippet's own code (`__main__`) raised a DeprecationWarning; torch's code warning at import (`torch.jit.script`
    is deprecated) shows nothing. (A warning torch raises in an op the recorder called is its caller's, the
    snippet's.)"""
    for category in (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning):
        warnings.filterwarnings("ignore", category=category)
    for module in ("__main__", r"app\.capture\."):
        warnings.filterwarnings("always", category=DeprecationWarning, module=module)


def _shown_by_filters(message: warnings.WarningMessage, ours: list[Any], seen: set) -> bool:
    """Whether Python shows (or records) this warning, placed where it places it, by the first filter it matches
    there: not if that says "ignore"; once per line and message if it says "default" or is one of gradwalk's own
    that let warnings through ("always": Python's default action is "default"), once per file if "module"; else as
    the warnings module chose.
    One that says "error" (`filterwarnings("error", module="__main__")`, which a warning torch's code raised for
    the snippet's line matches only there) is raised, as `warnings.warn` raises it."""
    text, category, lineno = str(message.message), message.category, message.lineno
    module = "__main__" if message.filename == SNIPPET_FILE else message.filename.removesuffix(".py")
    for entry in warnings.filters:
        action, pattern, kind, where, line = entry
        if (
            (pattern is None or pattern.match(text))
            and issubclass(category, kind)
            and (where is None or where.match(module))
            and line in (0, lineno)
        ):
            break
    else:
        action, entry = warnings.defaultaction, None  # type: ignore[attr-defined]
    if action == "always" and any(entry is own for own in ours):
        action = "default"
    if action == "ignore":
        return False
    if action == "error":
        raise message.message if isinstance(message.message, Warning) else category(text)
    if action not in ("default", "module"):
        return True
    key = (message.filename, lineno if action == "default" else 0, category, text)
    if key in seen:
        return False
    seen.add(key)
    return True


TORCH_DISPATCH = os.path.join("torch", "overrides.py")  # (where `handle_torch_function` hands a call to a mode)


def _dispatches_to_gradwalk(frame: FrameType, inner: FrameType | None) -> bool:
    """Whether `frame` is torch's `handle_torch_function` handing a call to the recorder, which called the same
    function again (`inner`, with gradwalk's frames between them dropped): the frame and its caller's call, torch's
    dispatch, are not in plain Python's stack (no mode is on there), and the call's own frame (`inner`) is."""
    code = frame.f_code
    return (
        code.co_name == "handle_torch_function"
        and code.co_filename.endswith(TORCH_DISPATCH)
        and inner is not None
        and frame.f_back is not None
        and frame.f_back.f_code is inner.f_code
    )


def _tb_as_in_python(tb: TracebackType | None) -> Iterator[TracebackType]:
    """The entries of a traceback as plain Python has them: without gradwalk's, nor torch's dispatch to the recorder
    (a caught error of `F.mse_loss` showed `return handle_torch_function(` and torch's call of the recorder)."""
    entries = []
    while tb is not None:
        if not gradwalks(tb.tb_frame.f_code.co_filename):
            entries.append(tb)
        tb = tb.tb_next
    i = 0
    while i < len(entries):
        if i + 2 < len(entries) and _dispatches_to_gradwalk(entries[i + 1].tb_frame, entries[i + 2].tb_frame):
            i += 2  # (the dispatching call and handle_torch_function: entries[i + 2] is the call that ran)
            continue
        yield entries[i]
        i += 1


def _copy_of(entries: list[TracebackType]) -> TracebackType | None:
    """A new traceback of these entries, in this order (the exception's own is left as it is)."""
    tb = None
    for entry in reversed(entries):
        tb = TracebackType(tb, entry.tb_frame, entry.tb_lasti, entry.tb_lineno)
    return tb


@contextlib.contextmanager
def stacks_as_in_python() -> Iterator[None]:
    """While it lasts, the stack the snippet looks at (`traceback.print_stack()`, `format_stack()`, `extract_stack()`,
    `logging`'s `stack_info=True`, `inspect.stack()`) is the one `python FILE` shows: from its top level up, without
    gradwalk's frames (the worker's below it, the module call and the recorder's among torch's) nor torch's dispatch
    to the recorder. The frames from the caller's down are below the snippet's top level: a walk stops there. So are
    the tracebacks of the errors it catches (`traceback.format_exc()`, `extract_tb`, `logging.exception`)."""
    held = _frames_under(sys._getframe(2))  # (the caller's: 0 is this generator's, 1 its context manager's)
    below = {id(frame) for frame in held}
    walk_stack, getouterframes = traceback.walk_stack, inspect.getouterframes
    walk_tb, walk_tb_full = traceback.walk_tb, traceback._walk_tb_with_full_positions  # type: ignore[attr-defined]

    def frames_from(frame: FrameType | None) -> Iterator[FrameType]:
        kept: FrameType | None = None  # the last frame kept (the innermost, first)
        while frame is not None and id(frame) not in below:
            if _dispatches_to_gradwalk(frame, kept) and frame.f_back is not None:
                frame = frame.f_back  # (its caller's call, torch's dispatch, is dropped too)
            elif not gradwalks(frame.f_code.co_filename):
                kept = frame
                yield frame
            frame = frame.f_back

    def walk_stack_as_in_python(f: FrameType | None) -> Iterator[tuple[FrameType, int]]:
        if f is None:  # (as traceback's: its caller's caller, past the generator and StackSummary.extract)
            f = sys._getframe().f_back.f_back.f_back.f_back  # type: ignore[union-attr]
        for frame in frames_from(f):
            yield frame, frame.f_lineno

    def getouterframes_as_in_python(frame: FrameType, context: int = 1) -> list[inspect.FrameInfo]:
        infos = []
        for kept in frames_from(frame):  # (as inspect's, over the frames kept)
            info = inspect.getframeinfo(kept, context)
            infos.append(inspect.FrameInfo(kept, *info, positions=info.positions))  # type: ignore[call-arg]
        return infos

    def walk_tb_as_in_python(tb: TracebackType | None) -> Iterator[tuple[FrameType, int]]:
        return walk_tb(_copy_of(list(_tb_as_in_python(tb))))

    def walk_tb_full_as_in_python(tb: TracebackType | None) -> Iterator[tuple[FrameType, Any]]:
        return walk_tb_full(_copy_of(list(_tb_as_in_python(tb))))

    traceback.walk_stack, inspect.getouterframes = walk_stack_as_in_python, getouterframes_as_in_python
    traceback.walk_tb, traceback._walk_tb_with_full_positions = walk_tb_as_in_python, walk_tb_full_as_in_python  # type: ignore[attr-defined]
    try:
        yield
    finally:
        traceback.walk_stack, inspect.getouterframes = walk_stack, getouterframes
        traceback.walk_tb, traceback._walk_tb_with_full_positions = walk_tb, walk_tb_full  # type: ignore[attr-defined]


def thread_error_as_python(args: Any) -> None:
    """threading's own hook (`threading.__excepthook__`) as `python FILE` prints a thread's uncaught error, but with
    the snippet's source lines read where its own tracebacks read them (linecache): Python's hook, in C, opens the
    file again by its name, which the sandbox's child cannot, and printed the frames without their lines."""
    if args.exc_type is SystemExit:  # (only SystemExit itself, as Python's: a subclass is printed)
        return
    stderr = sys.stderr if sys.stderr is not None else getattr(args.thread, "_stderr", None)
    if stderr is None:
        return
    name = args.thread.name if args.thread is not None else threading.get_ident()
    print(f"Exception in thread {name}:", file=stderr, flush=True)
    traceback.print_exception(args.exc_type, args.exc_value, without_gradwalk_frames(args.exc_traceback), file=stderr)
    stderr.flush()


def unraisable_as_python(unraisable: Any) -> None:
    """Python's own `sys.unraisablehook` ("Exception ignored in", an error in `__del__`, a weakref callback or a
    generator's close) as it prints, with the snippet's source lines (see thread_error_as_python)."""
    stderr = sys.stderr
    if stderr is None:
        return
    if unraisable.object is not None:
        stderr.write("Exception ignored in: " if unraisable.err_msg is None else f"{unraisable.err_msg}: ")
        try:
            shown = repr(unraisable.object)
        except Exception:
            shown = "<object repr() failed>"
        stderr.write(f"{shown}\n")
    elif unraisable.err_msg is not None:
        stderr.write(f"{unraisable.err_msg}:\n")
    tb = without_gradwalk_frames(unraisable.exc_traceback)
    if tb is not None:
        stderr.write("Traceback (most recent call last):\n")
        traceback.print_tb(tb, file=stderr)
    kind = unraisable.exc_type
    if kind is None:
        return
    module = getattr(kind, "__module__", None)
    if not isinstance(module, str):
        stderr.write("<unknown>")
    elif module not in ("builtins", "__main__"):
        stderr.write(f"{module}.")
    stderr.write(kind.__qualname__)
    if unraisable.exc_value is not None:
        try:
            text = str(unraisable.exc_value)
        except Exception:
            text = "<exception str() failed>"
        stderr.write(f": {text}")
    stderr.write("\n")
    stderr.flush()


def snippet_stack() -> list[str]:
    """The stack as plain Python shows it to the snippet (anomaly mode's "Traceback of forward call"): from the
    snippet's top level down, without gradwalk's frames (the worker's, the recorder's) that are not there."""
    frames = [frame for frame in traceback.extract_stack() if not gradwalks(frame.filename)]
    starts = [i for i, frame in enumerate(frames) if frame.filename == SNIPPET_FILE]
    return traceback.format_list(frames[starts[0] :] if starts else frames)


def without_gradwalk_frames(tb: TracebackType | None) -> TracebackType | None:
    """An exception's traceback from here down as plain Python has it: without gradwalk's frames. Relinked in time
    linear in its length: setting `tb_next` walks the chain it is given (to refuse a loop), so each link is cut
    first, and made where the chain changes only (a recursion 30k frames deep took 0.8 s, then minutes)."""
    kept = []
    while tb is not None:
        if not gradwalks(tb.tb_frame.f_code.co_filename):
            kept.append(tb)
        tb = tb.tb_next
    if not kept:
        return None
    changed = [i for i in range(len(kept) - 1) if kept[i].tb_next is not kept[i + 1]]
    for i in changed:
        kept[i].tb_next = None
    kept[-1].tb_next = None
    for i in changed:
        kept[i].tb_next = kept[i + 1]
    return kept[0]


def snippet_line(exc: BaseException) -> int | None:
    """The line of the snippet where the exception was raised (its innermost frame in the snippet)."""
    lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == SNIPPET_FILE]
    return lines[-1] if lines else None


CUT_NOTE = " … [cut at GRADWALK_MAX_OUTPUT_BYTES]"


def clipped(text: str, max_bytes: int) -> str:
    """`text` as at most `max_bytes` bytes of UTF-8 (and the note that says it was cut)."""
    if len(text) * 4 <= max_bytes:  # (no character takes more than 4 bytes)
        return text
    data = text.encode("utf-8", "surrogatepass")  # (a lone surrogate as the server counts it: 3 bytes)
    if len(data) <= max_bytes:
        return text
    return data[:max_bytes].decode("utf-8", "ignore") + CUT_NOTE


NAME_CHARS = 1000  # the longest name a Run holds (app.graph.Name: a variable, a module path, an op, a class)


def fitted(name: str) -> str:
    """A name cut to NAME_CHARS characters, the last one "…" (a module path nested hundreds deep, a variable named at
    length by code that writes code): the run keeps its graphs and output."""
    return name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1] + "…"


def printable(text: str) -> str:
    """`text` as Python's traceback prints it: what is no UTF-8 (a lone surrogate) escaped (`\\udcff`)."""
    return text if text.isascii() else text.encode("utf-8", "backslashreplace").decode("utf-8")


def message_of(exc: BaseException) -> str:
    """`str(exc)`, or what Python's traceback writes when the exception's own `__str__` raises or gives no str."""
    try:
        message = str(exc)
    except OutOfTime:  # (gradwalk's: the time was up while it ran)
        raise
    except BaseException:  # (as Python itself: whatever its `__str__` raised)
        return "<exception str() failed>"
    return printable(message)


def exits_cleanly(exc: SystemExit) -> bool:
    """Whether plain Python ends with status 0 on `exc`, as it decides, running none of the snippet's code: no code,
    or an int (a bool too) equal to 0. (`exc.code in (None, 0)` ran a `__eq__` of the snippet's, and 0.0 is no 0.)"""
    code = exc.code
    return code is None or (issubclass(type(code), int) and int.__eq__(cast(int, code), 0) is True)


def error(exc: BaseException, line: int | None, column: int | None = None) -> dict[str, Any]:
    kind = fitted(printable(type(exc).__name__)) if type(type(exc).__name__) is str else "Exception"
    message = message_of(exc) + suggestion_of(exc)
    return {"type": kind, "message": message, "line": line, "column": column, "hint": None}  # (hints.py)


_SUGGESTION = re.compile(r"\. Did you mean: '[^'\n]*'\?$")


def suggestion_of(exc: BaseException) -> str:
    """What plain Python adds to a NameError's or AttributeError's message as it prints it (`. Did you mean:
    'weight'?`, from the names around): not part of `str(exc)`, and written in C (Python 3.11), so it is taken from
    what Python's own excepthook writes."""
    if not isinstance(exc, (NameError, AttributeError)) or type(getattr(exc, "name", None)) is not str:
        return ""
    shown = io.StringIO()
    try:
        with contextlib.redirect_stderr(shown):
            sys.__excepthook__(type(exc), exc, exc.__traceback__)
    except OutOfTime:
        raise
    except Exception:  # (the object's own `__dir__` raised: Python shows no suggestion then)
        return ""
    found = _SUGGESTION.search(shown.getvalue().rstrip("\n"))
    return found.group(0) if found else ""


def limit_error(kind: str, message: str, line: int | None = None) -> dict[str, Any]:
    return {"type": kind, "message": message, "line": line, "column": None, "hint": None}


def memory_error(line: int | None = None) -> dict[str, Any]:
    return limit_error("MemoryLimit", "The snippet ran out of the memory a run may use (GRADWALK_RUN_MEMORY_MB).", line)
