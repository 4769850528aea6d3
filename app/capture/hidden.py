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
from types import CodeType, FrameType, FunctionType
from typing import Any

ENGINE = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep  # gradwalk's own code (`app/`)
# The standard library's code, and code with no file (`<frozen importlib._bootstrap>`, a named tuple's `<string>`):
# seen or not as the frame that called it is
PASSING = tuple({os.path.abspath(sysconfig.get_paths()[key]) + os.sep for key in ("stdlib", "platstdlib")} | {"<"})

Tracer = Callable[[FrameType, str, Any], Any]
STANDING_IN: set[CodeType] = set()  # the code of the functions standing in for `sys.settrace` and the like


def _observing(frame: FrameType | None) -> bool:
    """Whether `frame` is gradwalk's, or the standard library's called by gradwalk's (its nearest caller that is not
    the standard library's): a snippet's frame is `<snippet>` or its file's path, never in the standard library."""
    while frame is not None:
        code = frame.f_code
        if code in STANDING_IN:  # (the snippet's call of `sys.settrace`: the event its hook sees is the snippet's)
            frame = frame.f_back
            continue
        filename = code.co_filename
        if filename.startswith(ENGINE):
            return True
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


@contextlib.contextmanager
def hooks_see_no_observer() -> Iterator[None]:
    """While it lasts, the snippet's trace, profile and audit hooks are not called for gradwalk's own work."""
    settrace, setprofile, gettrace, getprofile = sys.settrace, sys.setprofile, sys.gettrace, sys.getprofile
    addaudithook = sys.addaudithook
    busy = threading.local()

    def wrapped(function: Any) -> Any:
        return function if function is None or _is_engines(function) else _Hidden(function)

    def own(function: Any) -> Any:
        return function.own if type(function) is _Hidden else function

    def hidden_audit(hook: Callable[[str, tuple[Any, ...]], Any]) -> Callable[[str, tuple[Any, ...]], Any]:
        def audit(event: str, args: tuple[Any, ...]) -> Any:
            if getattr(busy, "on", False):  # (the events of this look itself)
                return None
            busy.on = True
            try:
                observing = _observing(sys._getframe(1))
            finally:
                busy.on = False
            return None if observing else hook(event, args)

        return audit

    def settrace_hidden(function: Any) -> None:
        settrace(wrapped(function))

    def setprofile_hidden(function: Any) -> None:
        setprofile(wrapped(function))

    def addaudithook_hidden(hook: Callable[[str, tuple[Any, ...]], Any]) -> None:
        addaudithook(hidden_audit(hook))

    STANDING_IN.update(f.__code__ for f in (settrace_hidden, setprofile_hidden, addaudithook_hidden))
    sys.settrace, sys.setprofile, sys.addaudithook = settrace_hidden, setprofile_hidden, addaudithook_hidden
    sys.gettrace = lambda: own(gettrace())
    sys.getprofile = lambda: own(getprofile())
    try:
        yield
    finally:
        sys.settrace, sys.setprofile, sys.gettrace, sys.getprofile = settrace, setprofile, gettrace, getprofile
        sys.addaudithook = addaudithook
