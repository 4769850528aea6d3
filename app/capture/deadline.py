"""Stopping the code in time: a run about to use up the CPU time or wall clock the sandbox allows is stopped by
gradwalk a little before, with the time left to make its Run (its graphs, what it printed, the line it stopped
on). The sandbox's own limit kills the process and loses all of that.

Only in the main thread of a process (the sandbox's child), where a signal handler can raise into the snippet.
"""

import contextlib
import math
import os
import signal
import sysconfig
import threading
import time
from collections.abc import Callable, Iterator
from types import FrameType

from .naming import SNIPPET_FILE

TICK_S = 0.1  # seconds of CPU time between two looks at the clocks
RETRY_S = 0.002  # how soon to look again when the look fell outside the snippet's own code
# The wall clock is looked at once, this many seconds before its end (and then every RETRY_S): a snippet's own
# SIGALRM handler, or its own `signal.alarm`, meets gradwalk only in a run about to be killed anyway.
WALL_LOOK_S = 1.5
SCHEDSTAT = "/proc/thread-self/schedstat"
# (read with os's own functions, bound here: the look runs while the snippet runs, which may have replaced `open` or
# `os.open` with code of its own, and gradwalk never runs the snippet's code to observe it)
_open, _read, _close = os.open, os.read, os.close
MOST_CROWDED = 4.0  # the most the time left to make the Run is stretched for a crowded machine (`crowding`)
# The time on a CPU the waits are weighed against at least, in ns: a thread that mostly slept, waiting a little each
# time it woke, says little of how long making its Run will take (a sleeping snippet was stopped 1.3 s early).
CROWDING_SEEN_NS = 1_000_000_000


class OutOfTime(BaseException):
    """Raised into the snippet when its run's time is nearly used up (a BaseException: `except Exception` in the
    snippet must not swallow it). `limit` says which: "cpu" or "wall"."""

    def __init__(self, limit: str):
        super().__init__(limit)
        self.limit = limit


class LateStop:
    """The OutOfTime a look could not raise (it fell in torch's or gradwalk's code): the recorder raises it at the
    next torch call the snippet makes, where an exception is safe (app.capture.record)."""

    stop: OutOfTime | None = None

    @classmethod
    def take(cls) -> OutOfTime:
        stop, cls.stop = cls.stop, None
        assert stop is not None
        return stop


STDLIB = sysconfig.get_paths()["stdlib"] + os.sep


def in_snippet(frame: FrameType | None) -> bool:
    """Whether the snippet's own code runs: a line of it, or a call of the standard library's it waits in
    (`thread.join()`, `queue.get()`), never torch's or gradwalk's."""
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename == SNIPPET_FILE:
            return True
        if not filename.startswith(STDLIB) or "site-packages" in filename:
            return False
        frame = frame.f_back
    return False


def crowding() -> float:
    """How much longer than its CPU time this thread's work takes on the wall clock, the CPUs being shared: 1 plus
    its time waiting for a CPU over its time on one, at least CROWDING_SEEN_NS (SCHEDSTAT, since it started), at
    most MOST_CROWDED. Making the Run after a stop takes that much longer too (a machine loaded three times over lost
    runs it had stopped in time: they were killed while making their Run). 1 where the kernel does not say."""
    try:
        stats = _open(SCHEDSTAT, os.O_RDONLY)
        try:
            running, waiting = (int(field) for field in _read(stats, 128).split()[:2])
        finally:
            _close(stats)
    except (OSError, ValueError):
        return 1.0
    return min(1.0 + waiting / max(running, CROWDING_SEEN_NS), MOST_CROWDED)


@contextlib.contextmanager
def stop_in_time(
    cpu_s: float | None, wall_s: float | None, reserve_s: Callable[[], float]
) -> Iterator[Callable[[], float]]:
    """While the snippet runs in this thread: raise OutOfTime into it once less than `reserve_s()` seconds are left
    of `cpu_s` seconds of CPU time, or that times the machine's `crowding` of `wall_s` seconds of wall clock (counted
    from here), and again at each look, should the snippet catch it. It is raised only while the snippet's own code
    runs (`in_snippet`), never inside gradwalk's bookkeeping or torch's: an exception there could leave either half
    done (a torch function mode popped and never pushed back). The CPU clock is looked at every TICK_S of CPU time
    (SIGPROF), the wall clock WALL_LOOK_S before its end (SIGALRM). Does nothing without limits, or outside the main
    thread. Gives a function that tells, then and after, the seconds left before either limit: of CPU time, or of
    wall clock over the machine's `crowding` (work that takes a second of CPU takes that long); inf without limits."""
    if (cpu_s is None and wall_s is None) or threading.current_thread() is not threading.main_thread():
        yield lambda: math.inf
        return
    cpu_end = time.process_time() + cpu_s if cpu_s is not None else math.inf
    wall_end = time.monotonic() + wall_s if wall_s is not None else math.inf

    def time_left() -> float:
        wall_left = (wall_end - time.monotonic()) / crowding() if wall_end < math.inf else math.inf
        return min(cpu_end - time.process_time(), wall_left)

    def look(signum: int, frame: FrameType | None) -> None:
        reserve = reserve_s()
        wall_reserve = reserve * crowding() if wall_end < math.inf else reserve
        cpu_left, wall_left = cpu_end - time.process_time(), wall_end - time.monotonic()
        if cpu_left > reserve and wall_left > wall_reserve:
            if signum == signal.SIGALRM:  # (the wall clock's next look: when the reserve is due)
                signal.setitimer(signal.ITIMER_REAL, max(wall_left - wall_reserve, RETRY_S))
            return
        kind = "cpu" if cpu_left - reserve <= wall_left - wall_reserve else "wall"
        if not in_snippet(frame):
            LateStop.stop = OutOfTime(kind)
            timer = signal.ITIMER_PROF if signum == signal.SIGPROF else signal.ITIMER_REAL
            signal.setitimer(timer, RETRY_S, TICK_S if signum == signal.SIGPROF else RETRY_S)
            return
        LateStop.stop = None
        raise OutOfTime(kind)

    previous = {number: signal.signal(number, look) for number in (signal.SIGPROF, signal.SIGALRM)}
    # A system call the snippet makes goes on after a look at the CPU clock; the look at the wall clock, near the
    # end, interrupts it (a lock's wait, a queue's get: restarted, they would never let the look happen).
    signal.siginterrupt(signal.SIGPROF, False)
    signal.siginterrupt(signal.SIGALRM, True)
    if cpu_s is not None:
        signal.setitimer(signal.ITIMER_PROF, TICK_S, TICK_S)
    if wall_s is not None:
        signal.setitimer(signal.ITIMER_REAL, max(wall_s - WALL_LOOK_S, RETRY_S))
    try:
        yield time_left
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        signal.setitimer(signal.ITIMER_REAL, 0, 0)
        LateStop.stop = None
        for number, handler in previous.items():
            signal.signal(number, handler)
