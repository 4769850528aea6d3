"""What a run says: the snippet's output (capped), its warnings as plain Python shows them, and its errors as the
Run's `error` (with the snippet's line and a hint)."""

import sys
import traceback
import warnings
from types import FrameType
from typing import Any

from .naming import SNIPPET_FILE, user_frame


class OutputLimitReached(BaseException):
    """Raised into the snippet when what it printed passes `max_output_bytes`."""


class CappedText:
    """A text stream that keeps at most `limit` bytes (UTF-8); past that it stops the snippet (`stop`) or drops
    the rest."""

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

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def getvalue(self) -> str:
        return "".join(self.parts)


def show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: Any = None,
    line: str | None = None,
    *,
    seen: set,
) -> None:
    """Print a warning as plain Python would, placed at the snippet's line (torch's C++ warnings would otherwise
    point into gradwalk) and followed by that line's source, once per line and message."""
    frame: FrameType | None = user_frame(sys._getframe(1))
    if frame is not None:
        filename, lineno, line = SNIPPET_FILE, frame.f_lineno, None  # (None: the source line, from linecache)
    key = (filename, lineno, category, str(message))
    if key not in seen:
        seen.add(key)
        sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line=line))


def snippet_line(exc: BaseException) -> int | None:
    """The line of the snippet where the exception was raised (its innermost frame in the snippet)."""
    lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == SNIPPET_FILE]
    return lines[-1] if lines else None


def error(exc: BaseException, line: int | None, column: int | None = None) -> dict[str, Any]:
    message = str(exc)
    return {"type": type(exc).__name__, "message": message, "line": line, "column": column, "hint": None}  # (hints.py)


def limit_error(kind: str, message: str, line: int | None = None) -> dict[str, Any]:
    return {"type": kind, "message": message, "line": line, "column": None, "hint": None}


def memory_error(line: int | None = None) -> dict[str, Any]:
    return limit_error("MemoryLimit", "The snippet ran out of the memory a run may use (GRADWALK_RUN_MEMORY_MB).", line)
