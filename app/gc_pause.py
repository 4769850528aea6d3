"""One switch for Python's cycle collector, shared by every thread that pauses it or runs a snippet under it.

Each block only counts itself in or out under one lock; the switch is then set from the counts: on while a snippet
runs, else off while a pause runs, else as the caller had it before the first block began. A toggle of each block's
own (remember, set, put back) left the collector off for good when two threads' blocks overlapped out of order."""

import contextlib
import gc
import threading
from collections.abc import Iterator

# How many collections of the middle generation pass before the collector looks at the oldest one (Python's is 10).
# The recording is millions of old objects: at 10, a 10k-node capture took 40% longer; at 100 it takes no longer
# than with the collector off. The oldest generation is still walked once what it gained since its last walk passes a
# quarter of what it holds (Python's own rule), so a loop's garbage stays a fraction of what the run keeps.
OLD_EVERY = 100


class _Switch:
    """Who holds the collector (pauses, snippet runs) and how the caller had it before the first of them began."""

    lock = threading.Lock()
    pauses = 0
    snippets = 0
    was_on = True
    thresholds = gc.get_threshold()

    @classmethod
    @contextlib.contextmanager
    def held(cls, snippet: bool) -> Iterator[None]:
        with cls.lock:
            if cls.pauses == cls.snippets == 0:
                cls.was_on = gc.isenabled()
            if snippet:
                if cls.snippets == 0:
                    cls.thresholds = gc.get_threshold()
                    gc.set_threshold(cls.thresholds[0], cls.thresholds[1], OLD_EVERY)
                cls.snippets += 1
            else:
                cls.pauses += 1
            cls._set()
        try:
            yield
        finally:
            with cls.lock:
                if snippet:
                    cls.snippets -= 1
                    if cls.snippets == 0:
                        gc.set_threshold(*cls.thresholds)
                else:
                    cls.pauses -= 1
                cls._set()

    @classmethod
    def _set(cls) -> None:
        on = cls.snippets > 0 or (cls.pauses == 0 and cls.was_on)
        gc.enable() if on else gc.disable()


def gc_paused() -> contextlib.AbstractContextManager[None]:
    """Keep the cycle collector off inside the block: a big graph or Run is millions of objects, and the
    collector would walk them again and again (a 10k-node Run parsed in 2.1 s with it, 0.4 s without; a 10k-node
    capture took 2.0 s instead of 0.7). Safe across threads: it is back on when the last pause ends, never while
    another thread's pause still runs."""
    return _Switch.held(snippet=False)


def snippet_collections() -> contextlib.AbstractContextManager[None]:
    """The cycle collector on inside the block, as plain Python has it, only walking the oldest generation (where
    the recording is) ten times less often: what a snippet drops in reference cycles (objects that point at
    themselves, closures, a scalar autograd engine's nodes) is freed as it runs, as `python FILE` frees it. With
    the collector off, a loop doing so took gigabytes and ended at its memory limit."""
    return _Switch.held(snippet=True)
