"""Work on big Runs in processes apart from the server's: checking the Run a run sent back, folding a stored run,
writing its DOT, making its one-file page.

That work is pure Python over millions of objects, and msgspec and the checks hold Python's interpreter lock all
along: in the server's process a Run near GRADWALK_MAX_RESULT_BYTES held it 0.5-3 s, and every other request waited
meanwhile (`/healthz` up to 3.3 s behind a forged 75 MB Run). Work on GRADWALK_APART_MIN_BYTES or more of JSON is
done in a process of its own, at most one per core at once (GRADWALK_APART_PROCESSES), and the server's thread only
sends the bytes and waits for the answer, without the lock. Smaller work is done in place, where that costs less.

Each process does one piece of work and ends: what a forged Run made it grow to goes with it, and a process lost
(the kernel out of memory) fails that piece alone. It is forked from a warm process (`python -m app.apart`, started
with the server and ended with it) that has imported what the work needs, so it starts in milliseconds.
"""

import contextlib
import math
import os
import pickle
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
# What the warm process imports before it forks: everything the work needs (not torch).
PRELOAD = ("app.embed", "app.fold", "app.graph", "app.render", "app.sandbox.pool", "app.views")
# Where the `app` package the server runs is: the warm process imports that one (`-m` puts its directory first, not
# the server's working directory, where another `app` made every piece of work fail).
HOME = Path(__file__).resolve().parent.parent
# The warm process forks: it keeps to one thread (numpy's OpenBLAS started one per core at import, which a fork copies
# as held locks; a piece of work here never multiplies matrices).
ONE_THREAD = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
CUT = 1000  # characters of an error's words that come back from a process apart
SEND_S = 5.0  # longest the server waits to hand the warm process a socket (one that stopped reading is started again)
GRACE_S = 5.0  # how much longer than its time limit the server waits for a process apart before it gives up on it


class ApartLost(RuntimeError):
    """The process doing a piece of work ended before it answered, or answered what cannot be read; or the server is
    stopping (503: try again)."""

    retry_after_s = 2
    busy_s = 0.0  # how long its process worked (at most), from when it had its turn: what its client is charged
    # (any exception of work done apart carries it too)


class Apart:
    """Pieces of work on `min_bytes` of JSON or more done in processes apart, at most `processes` at once (0: all
    of them in place), each in at most `timeout_s` seconds."""

    def __init__(self, processes: int, min_bytes: int, timeout_s: float = 60.0):
        self.processes = processes
        self.min_bytes = min_bytes
        self.timeout_s = timeout_s
        self.slots = threading.BoundedSemaphore(max(1, processes))
        self.lock = threading.Lock()
        self.warm: subprocess.Popen[bytes] | None = None
        self.channel: socket.socket | None = None
        self.stopped = False  # (a piece of work asked for after `stop` starts no warm process that nothing would end)

    def wanted(self, size: int) -> bool:
        """Whether work on `size` bytes of JSON is done apart."""
        return self.processes > 0 and size >= self.min_bytes

    def call(self, size: int, work: Callable[..., T], *args: Any) -> T:
        """`work(*args)`, done apart when it is on `size` bytes or more: its result, or the exception it raised,
        raised here (ApartLost when its process ended before answering). `work` is a module's function, `args` what
        pickle sends."""
        if not self.wanted(size):
            return work(*args)
        with self.slots:
            began = time.monotonic()
            ours, theirs = socket.socketpair()
            with contextlib.closing(ours), contextlib.closing(theirs):
                self._fork(theirs)
                theirs.close()
                connection = Connection(ours.detach())
            with connection:  # (a process still at work ends by its own timer, or on a closed socket)
                try:
                    connection.send((work, args, self.timeout_s))
                    if not connection.poll(self.timeout_s + GRACE_S):  # (stuck where its own timer cannot reach)
                        raise _too_long(self.timeout_s)
                    sent = connection.recv_bytes()
                except (EOFError, OSError) as exc:
                    why = str(exc) or "it ended"
                    lost = ApartLost(f"the server's process working on this run did not answer ({why}); try again")
                    lost.busy_s = time.monotonic() - began
                    raise lost from None
                except ApartLost as lost:
                    lost.busy_s = time.monotonic() - began
                    raise
        busy_s = time.monotonic() - began
        try:
            done, answer = pickle.loads(sent)
        except Exception as exc:  # (an exception whose class takes other arguments: a TypeError here was a 500)
            why = _words(exc)
            unread = ApartLost(f"the server's process working on this run answered what cannot be read ({why})")
            unread.busy_s = busy_s
            raise unread from None
        del sent
        if not done:  # (a forged Run found bad at its end, or past its time limit: it worked all that time)
            with contextlib.suppress(AttributeError, TypeError):
                answer.busy_s = busy_s
            raise answer
        return answer  # type: ignore[no-any-return]

    def start(self) -> None:
        """Start the warm process (the first piece of work would otherwise wait about a second for its imports)."""
        if self.processes > 0:
            with self.lock:
                self.stopped = False
                self._started()

    def stop(self) -> None:
        """End the warm process; work asked for from now on fails (ApartLost), work under way ends as it does."""
        with self.lock:
            self.stopped = True
            if self.channel is not None:
                self.channel.close()  # (the warm process ends at the end of its channel)
            if self.warm is not None:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.warm.wait(5)
                self.warm.kill()
                self.warm.wait()
            self.warm = self.channel = None

    def _started(self) -> socket.socket:
        """The channel to the warm process, started again if it ended."""
        if self.warm is not None and self.warm.poll() is None and self.channel is not None:
            return self.channel
        if self.channel is not None:
            self.channel.close()
        ours, theirs = socket.socketpair()
        ours.settimeout(SEND_S)
        with theirs:
            self.warm = subprocess.Popen(
                [sys.executable, "-m", "app.apart"],
                stdin=theirs.fileno(),
                close_fds=True,
                cwd=HOME,
                env={**os.environ, **ONE_THREAD},
                start_new_session=True,  # (a terminal's Ctrl-C is the server's to act on, not a signal to its work)
            )
        self.channel = ours
        return ours

    def _fork(self, end: socket.socket) -> None:
        """Have the warm process fork one that does a piece of work on the far `end` of a socket pair."""
        with self.lock:
            if self.stopped:
                raise ApartLost("the server is stopping; try again")
            for attempt in (1, 2):  # (once more with a new warm process, if the old one has ended)
                try:
                    socket.send_fds(self._started(), [b"w"], [end.fileno()])
                    return
                except OSError:
                    if attempt == 2:
                        raise ApartLost("the server cannot start a process to work on this run; try again") from None
                    if self.warm is not None:
                        self.warm.kill()
                        self.warm.wait()  # (else `_started` may find it not yet ended, and send to it again)


def _words(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:CUT]


def _sendable(exc: Exception) -> Exception:
    """`exc` if pickle carries it to the server's thread and back to what it was; else the first of its classes that
    does, with its words (a TooBigToDraw of a class of its own is still a 413 there), else a RuntimeError."""
    for kind in type(exc).__mro__:
        if not issubclass(kind, Exception):
            continue
        try:
            sent = exc if kind is type(exc) else kind(str(exc)[:CUT])
            if type(pickle.loads(pickle.dumps(sent))) is kind:
                return sent
        except Exception:  # (a class that takes other arguments, or an exception pickle cannot carry)
            continue
    return RuntimeError(_words(exc))


def _too_long(timeout_s: float) -> ApartLost:
    return ApartLost(f"the server's work on this run took more than {timeout_s:g} s (GRADWALK_APART_TIMEOUT_S)")


def _work(connection: Connection) -> None:
    """In a process apart: do the one piece of work sent, in at most its time limit, and send back its result or the
    exception it raised."""
    work, args, timeout_s = connection.recv()

    rang = False

    def late(signum: int, frame: Any) -> None:
        nonlocal rang
        if rang:  # (the first was caught and the work went on: the process ends, its work lost)
            os._exit(1)
        rang = True
        raise _too_long(timeout_s)

    signal.signal(signal.SIGALRM, late)
    signal.setitimer(signal.ITIMER_REAL, timeout_s, 1.0)  # (again each second, till the work has ended)
    cpu_s = math.ceil(timeout_s) + 1  # (the kernel ends it on time where Python's timer cannot interrupt)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s))
    try:
        answer: tuple[bool, Any] = (True, work(*args))
    except Exception as exc:  # (raised again in the server's thread, as if the work had run there)
        answer = (False, _sendable(exc))
    signal.setitimer(signal.ITIMER_REAL, 0)
    try:
        sent = pickle.dumps(answer, pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # (a result pickle cannot carry: a clear 503, not a 500 nor its whole repr)
        what = type(answer[1]).__name__
        lost = ApartLost(f"the server's process working on this run could not send back its {what} ({_words(exc)})")
        sent = pickle.dumps((False, lost))
    del answer
    connection.send_bytes(sent)


def main() -> None:
    """The warm process: fork a process for each socket the server sends, until the server's end closes."""
    for name in PRELOAD:
        __import__(name)
    channel = socket.socket(fileno=0)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # (the kernel reaps the forked ones)
    while True:
        _, fds, _, _ = socket.recv_fds(channel, 1, 1)
        if not fds:
            return  # (the server's end closed: the server stopped or died)
        if os.fork() == 0:
            channel.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            # (short of memory, the kernel ends this one before other people's runs: a forged Run grows it past 1 GB)
            with contextlib.suppress(OSError), open("/proc/self/oom_score_adj", "w") as score:
                score.write("1000")
            code = 0
            try:
                _work(Connection(fds[0]))
            except BaseException:
                code = 1
            os._exit(code)  # (no teardown of what the work built: the process ends with its memory)
        os.close(fds[0])


if __name__ == "__main__":
    from app import apart  # (what it sends back names its classes as the server knows them, not as __main__'s)

    apart.main()
