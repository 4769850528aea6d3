"""The snippet's own trace, profile and audit hooks (`sys.settrace`, `sys.setprofile`, `threading.settrace`,
`sys.addaudithook`) see what they see under `python FILE`: not gradwalk's frames, nor the standard library's code
gradwalk calls to observe (`dis`, `ast`, `linecache`), nor the audit events gradwalk raises (`sys._getframe`,
`builtins.id`, `compile`). A profiler printing each call printed gradwalk's hundreds; an audit hook raising on
`sys._getframe` ended the run with an error where plain Python ran it to its end.

While a capture lasts, `sys.settrace`, `sys.setprofile` and `sys.addaudithook` wrap the function the snippet gives
them, and `sys.gettrace`, `sys.getprofile` give back the snippet's own. (Torch's frames that gradwalk's code calls
directly are still seen: they cannot be told from the snippet's calls into torch by where they run.)
"""

import contextlib
import os
import sys
import sysconfig
import threading
from collections.abc import Callable, Iterator
from types import FrameType, FunctionType
from typing import Any

from .naming import SNIPPET_FILE

ENGINE = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep  # gradwalk's own code (`app/`)
# The standard library's code, and code with no file (`<frozen importlib._bootstrap>`, a named tuple's `<string>`):
# seen or not as the frame that called it is
PASSING = tuple({os.path.abspath(sysconfig.get_paths()[key]) + os.sep for key in ("stdlib", "platstdlib")} | {"<"})

Tracer = Callable[[FrameType, str, Any], Any]
AuditHook = Callable[[str, tuple[Any, ...]], Any]
SETTRACE, SETPROFILE, GETTRACE, GETPROFILE = sys.settrace, sys.setprofile, sys.gettrace, sys.getprofile
ADDAUDITHOOK = sys.addaudithook


class _State(threading.local):
    looking = False  # (an audit hook's look at the stack: the events it raises itself are no one's)


_state = _State()
_running = [False]  # a capture's snippet is running: its audit hooks are called (after it, its process has ended)


def _observing(frame: FrameType | None) -> bool:
    """Whether `frame` is gradwalk's, or the standard library's called by gradwalk's (its nearest caller that is not
    the standard library's)."""
    while frame is not None:
        code = frame.f_code
        filename = code.co_filename
        if filename == SNIPPET_FILE:  # (`<snippet>`, or the path of the file `gradwalk capture` runs)
            return False
        if filename.startswith(ENGINE):  # (but the functions standing in for the snippet's `sys.settrace` call)
            return code is not _SETTRACE_CODE and code is not _SETPROFILE_CODE and code is not _ADDAUDITHOOK_CODE
        if not filename.startswith(PASSING):
            return False
        frame = frame.f_back
    return False


def _is_engines(function: Any) -> bool:
    """Whether `function` is gradwalk's own (the recorder's profile function for the threads a snippet starts)."""
    return type(function) is FunctionType and function.__code__.co_filename.startswith(ENGINE)


class _Hidden:
    """A trace or profile function of the snippet's, called for every frame but gradwalk's (see `_observing`)."""

    __slots__ = ("own",)

    def __init__(self, own: Tracer):
        self.own = own

    def __call__(self, frame: FrameType, event: str, arg: Any) -> Any:
        if _observing(frame):
            return None
        return self.own(frame, event, arg)


def _hidden(function: Any) -> Any:
    return function if function is None or _is_engines(function) else _Hidden(function)


def _own(function: Any) -> Any:
    return function.own if type(function) is _Hidden else function


def _settrace(function: Any) -> None:
    SETTRACE(_hidden(function))


def _setprofile(function: Any) -> None:
    SETPROFILE(_hidden(function))


def _gettrace() -> Any:
    return _own(GETTRACE())


def _getprofile() -> Any:
    return _own(GETPROFILE())


def _addaudithook(hook: AuditHook) -> None:
    def audit(event: str, args: tuple[Any, ...]) -> Any:
        if _state.looking or not _running[0]:
            return None
        _state.looking = True
        try:
            observing = _observing(sys._getframe(1))
        except ValueError:  # (an event of no Python frame's: the interpreter's own)
            observing = False
        finally:
            _state.looking = False
        return None if observing else hook(event, args)

    ADDAUDITHOOK(audit)


_SETTRACE_CODE, _SETPROFILE_CODE, _ADDAUDITHOOK_CODE = _settrace.__code__, _setprofile.__code__, _addaudithook.__code__


@contextlib.contextmanager
def hooks_see_no_observer() -> Iterator[None]:
    """While it lasts, the snippet's trace, profile and audit hooks are not called for gradwalk's own work; after it,
    its audit hooks are called no more (what follows is gradwalk's: its process would have ended)."""
    saved = sys.settrace, sys.setprofile, sys.gettrace, sys.getprofile, sys.addaudithook
    sys.settrace, sys.setprofile, sys.gettrace, sys.getprofile = _settrace, _setprofile, _gettrace, _getprofile
    sys.addaudithook = _addaudithook
    _running[0] = True
    try:
        yield
    finally:
        _running[0] = False
        sys.settrace, sys.setprofile, sys.gettrace, sys.getprofile, sys.addaudithook = saved
