"""Per-client limits: a fair share of shared capacity (`Slots`), runs started per minute (`RunRate`), bytes
taken in a window (`ByteRate`: storage a client's runs took in the last hour, stored runs its requests read in the
last minute), the server's own seconds on a client's work, paced (`TimeRate`: its run pages), and requests
started a second (`Pace`: a connection's, and a client's over all its connections), and the memory of big runs and
answers the server holds at once over all clients (`HeldBytes`).

The server's drawing slots (folding a run, writing its DOT, drawing it) and the runs one client has going are
both `Slots`: at most `total` holders at once, at most `per_client` of them from one client, so one client asking
for many things at once waits for itself, not everyone else; the drawing slots also bound the seconds one client
holds them per minute, so a client asking for one slow drawing after another cannot keep a core for itself. Each
replica counts its own clients.
"""

import math
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")
WINDOW_SLICES = 60  # a window is counted in this many slices: what a check costs, whatever a client did


class Window:
    """What each client took in the last `window_s` seconds, summed by slices of `window_s / WINDOW_SLICES` (a list
    of every request, rebuilt and summed at each check, took 4.5 ms at 30,000 reads a minute, in the event loop and
    under a lock every client shares). A slice leaves the window as its start does: what a client took leaves it at
    most a slice early."""

    MAX_CLIENTS = 100_000  # past it, clients idle for a whole window are forgotten rather than kept for ever

    def __init__(self, window_s: float):
        self.window_s = window_s
        self.slice_s = window_s / WINDOW_SLICES
        self.taken: dict[str, deque[list[float]]] = {}  # client -> [start of a slice, amount taken in it], oldest first

    def total(self, client: str, now: float) -> float:
        """What `client` took in the window (its slices that left it forgotten)."""
        slices = self.taken.get(client)
        if slices is None:
            return 0.0
        while slices and slices[0][0] <= now - self.window_s:
            slices.popleft()
        if not slices:
            del self.taken[client]
            return 0.0
        return sum(amount for _, amount in slices)

    def back_under(self, client: str, now: float, limit: float) -> float:
        """Seconds until what `client` took in the window is under `limit` (its oldest slices leaving first)."""
        over = self.total(client, now) - limit
        for began, amount in self.taken.get(client, ()):
            over -= amount
            if over < 0:
                return max(began + self.window_s - now, 0.0)
        return self.window_s

    def add(self, client: str, now: float, amount: float) -> None:
        """Count `amount` that `client` took at `now`."""
        slices = self.taken.setdefault(client, deque())
        began = math.floor(now / self.slice_s) * self.slice_s
        if slices and slices[-1][0] == began:
            slices[-1][1] += amount
        else:
            slices.append([began, amount])
        if len(self.taken) > self.MAX_CLIENTS:
            self.taken = {k: v for k, v in self.taken.items() if v and v[-1][0] > now - self.window_s}


class ClientBusy(RuntimeError):
    """This client already holds its share, or started too many runs this minute: come back later (429)."""

    def __init__(self, message: str, retry_after_s: float):
        super().__init__(message)
        self.retry_after_s = max(1, math.ceil(retry_after_s))


class AllBusy(RuntimeError):
    """Every slot stayed busy for as long as the caller would wait (503)."""

    retry_after_s = 2


class Turns:
    """At most `per_client` holders from one client at once (0: no limit); a client's others wait for one of its own
    to end, up to a time, and so never take what other clients would find free (the runs a client has running: its
    runs past them wait for its own, not for a worker someone else would get). At most `per_client` of a client's
    wait at once, the others refused at once: each waits in one of the server's request threads, and with no cap on
    a client's runs going one client's flood held every one of them."""

    def __init__(self, per_client: int, what: str, setting: str, retry_after_s: float | None = None):
        self.per_client = per_client
        self.what, self.setting = what, setting
        self.retry_after_s = retry_after_s  # (None: as long as it would have waited)
        self.held: Counter[str] = Counter()
        self.waiting: Counter[str] = Counter()
        self.turn = threading.Condition()

    @contextmanager
    def hold(self, client: str, wait_s: float) -> Iterator[None]:
        """A turn for `client`, once it holds fewer than its share, waiting up to `wait_s` seconds for one of its own
        to end (ClientBusy then, or at once when as many of its own wait already, or `wait_s` is 0)."""
        if not self.per_client:
            yield
            return
        with self.turn:
            if self.held[client] >= self.per_client:
                self._wait(client, wait_s)
            self.held[client] += 1
        try:
            yield
        finally:
            with self.turn:
                self.held[client] -= 1
                if not self.held[client]:
                    del self.held[client]
                self.turn.notify_all()

    def _wait(self, client: str, wait_s: float) -> None:
        """Wait (under `turn`) until `client` holds fewer than its share, or refuse (ClientBusy)."""
        retry_after_s = wait_s if self.retry_after_s is None else self.retry_after_s
        if not wait_s:
            raise ClientBusy(
                f"this client already has {self.held[client]} {self.what}; at most {self.per_client} at once "
                f"({self.setting})",
                retry_after_s,
            )
        if self.waiting[client] >= self.per_client:
            raise ClientBusy(
                f"this client has {self.per_client} {self.what} and as many waiting for them ({self.setting})",
                retry_after_s,
            )
        self.waiting[client] += 1
        try:
            turn = self.turn.wait_for(lambda: self.held[client] < self.per_client, wait_s)
        finally:
            self.waiting[client] -= 1
            if not self.waiting[client]:
                del self.waiting[client]
        if not turn:
            raise ClientBusy(
                f"this client's {self.what} did not end in {wait_s:g} s; at most {self.per_client} at once "
                f"({self.setting})",
                retry_after_s,
            )


class Slots:
    """At most `total` holders at once (None: no total), at most `per_client` from one client (0: no share; a client's
    others wait for one of its own to end, as `Turns`), and (`budget`: (seconds, its setting)) at most that many
    seconds of holding per client in the last minute.

    `what` names a holding in messages ("drawings under way"), `setting` the variable that sets the share."""

    WINDOW_S = 60.0

    def __init__(
        self,
        *,
        per_client: int,
        total: int | None,
        what: str,
        setting: str,
        retry_after_s: float = 2,
        budget: tuple[float, str] = (0.0, ""),
    ):
        self.free = threading.BoundedSemaphore(total) if total else None
        self.turns = Turns(per_client, what, setting, retry_after_s)
        self.what = what
        self.budget_s, self.budget_setting = budget
        self.spent = Window(self.WINDOW_S)  # client -> the seconds its holdings took, by when they ended
        self.lock = threading.Lock()

    @contextmanager
    def hold(self, client: str, wait_s: float = 0) -> Iterator[None]:
        """One slot for `client`, waiting up to `wait_s` seconds for one of its own holdings to end when it holds its
        share (ClientBusy then, as `Turns.hold`), and as long for a slot to be free (AllBusy then)."""
        began = time.monotonic()
        if self.budget_s:  # (at once: a client past its budget waited for its turn only to be refused after it)
            with self.lock:
                self._within_budget(client, began)
        with self.turns.hold(client, wait_s):
            if self.budget_s:  # (and again after the wait: the holding it waited for counts now)
                with self.lock:
                    self._within_budget(client, time.monotonic())
            if self.free is not None and not self.free.acquire(timeout=max(0.0, began + wait_s - time.monotonic())):
                raise AllBusy(f"every slot stayed busy ({self.what})")
            started = time.monotonic()
            try:
                yield
            finally:
                if self.free is not None:
                    self.free.release()
                if self.budget_s:
                    ended = time.monotonic()
                    with self.lock:
                        self.spent.add(client, ended, ended - started)

    def _within_budget(self, client: str, now: float) -> None:
        """ClientBusy when `client` held slots for `budget_s` seconds or more in the last minute (under the lock)."""
        total = self.spent.total(client, now)
        if total >= self.budget_s:
            raise ClientBusy(
                f"this client's {self.what} took {total:.0f} s of the last minute; at most {self.budget_s:g} s "
                f"({self.budget_setting})",
                self.spent.back_under(client, now, self.budget_s),
            )


# CPU time other processes spent on the result of the run this thread is starting (a Run checked and written again in a
# process apart, app/apart.py): the thread's own CPU time does not hold it, and a client whose runs sent back 64 MB
# Runs had 0.7 s of each checked apart uncounted, 16 such runs a minute (0.3 of a core) where about four were meant.
_elsewhere = threading.local()


def spent_elsewhere(cpu_s: float) -> None:
    """Count `cpu_s` seconds of CPU that another process of the server spent for this thread's run (RunRate.charge
    adds them to the thread's own)."""
    _elsewhere.cpu_s = getattr(_elsewhere, "cpu_s", 0.0) + cpu_s


def _take_elsewhere() -> float:
    cpu_s: float = getattr(_elsewhere, "cpu_s", 0.0)
    _elsewhere.cpu_s = 0.0
    return cpu_s


class RunRate:
    """Runs started per client in the last minute, in a sliding window; `per_minute` 0: no limit."""

    WINDOW_S = 60.0
    MAX_CLIENTS = 100_000  # past it, clients idle for a whole window are forgotten rather than kept for ever

    def __init__(self, per_minute: int, server_cpu_s_per_run: float = 0.0):
        self.per_minute = per_minute
        self.server_cpu_s_per_run = server_cpu_s_per_run
        self.starts: dict[str, list[float]] = {}
        self.lock = threading.Lock()

    def start(self, client: str, now: float) -> None:
        """Count a run `client` starts at `now` (seconds); ClientBusy if it is one too many this minute."""
        _take_elsewhere()  # (what an earlier run on this thread left uncharged is not this client's)
        if not self.per_minute:
            return
        with self.lock:
            recent = [t for t in self.starts.get(client, ()) if t > now - self.WINDOW_S]
            if len(recent) >= self.per_minute:
                raise ClientBusy(
                    f"more than {self.per_minute} runs a minute from this client (GRADWALK_RATE_LIMIT_RUNS_PER_MIN)",
                    recent[0] + self.WINDOW_S - now + 1,
                )
            recent.append(now)
            self.starts[client] = recent
            if len(self.starts) > self.MAX_CLIENTS:
                self.starts = {k: v for k, v in self.starts.items() if v and v[-1] > now - self.WINDOW_S}

    def charge(self, client: str, now: float, server_cpu_s: float) -> None:
        """Count the server's CPU time for a run of `client` (receiving, checking and storing its result) as one more
        run per `server_cpu_s_per_run` of it: a run that wrote a 64 MB result of its own cost the server 1.4 s for
        its 0.4 s, so sixty a minute kept more than a core of the server busy. What processes apart spent on it for
        this thread (`spent_elsewhere`) is added."""
        server_cpu_s += _take_elsewhere()
        if not (self.per_minute and self.server_cpu_s_per_run):
            return
        extra = int(server_cpu_s / self.server_cpu_s_per_run)
        if extra:
            with self.lock:
                self.starts.setdefault(client, []).extend([now] * extra)


class ByteRate:
    """Bytes each client's requests took of something shared in the last `window_s` seconds, in a sliding window;
    `limit` 0: no limit. A client past it gets ClientBusy until enough has left the window; the request that passes
    it is served and counted, so a client ends at most the requests it had under way past it.

    `what` says what was counted, around the amount (`"runs stored {} in the last hour"`); `setting` sets `limit`."""

    def __init__(self, limit: int, window_s: float, what: str, setting: str):
        self.limit = limit
        self.taken = Window(window_s)  # client -> the bytes it took
        self.what, self.setting = what, setting
        self.lock = threading.Lock()

    def check(self, client: str, now: float) -> None:
        """ClientBusy if `client` took `limit` bytes or more in the window."""
        if not self.limit:
            return
        with self.lock:
            if self.taken.total(client, now) < self.limit:
                return
            back = self.taken.back_under(client, now, self.limit)
        amount = f"more than {self.limit / 2**20:g} MiB"
        raise ClientBusy(f"this client's {self.what.format(amount)} ({self.setting})", back + 1)

    def within(self, client: str, now: float) -> bool:
        """Whether `client` may take more now."""
        try:
            self.check(client, now)
        except ClientBusy:
            return False
        return True

    def add(self, client: str, now: float, size: int) -> None:
        """Count `size` bytes `client` took at `now`."""
        if not self.limit:
            return
        with self.lock:
            self.taken.add(client, now, size)


class TimeRate:
    """Seconds of the server's own time each client's work takes: `limit_s` a minute, and at most `BURST` of that at
    once, then paced (GCRA, as `Pace`: one float per client, when what its work took is paid back at `limit_s` a
    minute); `limit_s` 0: no limit. A budget per minute alone let one client spend all of it in one burst, everyone
    else waiting for as long. Work is refused (ClientBusy) while its client is more than that burst behind; work that
    passes it is done and counted. `what` names the work (`"run pages"`); `setting` sets `limit_s`."""

    BURST = 0.1  # of a minute's budget, spent at once
    MAX_KEYS = 100_000

    def __init__(self, limit_s: float, what: str, setting: str):
        self.limit_s = limit_s
        self.wall_per_s = 60.0 / limit_s if limit_s else 0.0  # seconds of the clock that pay back one of the server's
        self.tolerance = 60.0 * self.BURST  # (how far behind a client may be: BURST of its budget)
        self.paid: dict[str, float] = {}  # client -> when what its work took is paid back (time.monotonic())
        self.what, self.setting = what, setting
        self.lock = threading.Lock()

    def check(self, client: str) -> None:
        """ClientBusy if `client`'s work took more than a burst ahead of its pace."""
        if not self.limit_s:
            return
        with self.lock:
            behind = self.paid.get(client, 0.0) - time.monotonic()
        if behind > self.tolerance:
            raise ClientBusy(
                f"this client's {self.what} took more than {self.limit_s:g} s of the server's time a minute, or "
                f"{self.limit_s * self.BURST:g} s at once ({self.setting})",
                math.ceil(behind - self.tolerance),
            )

    def timed(self, client: str, work: Callable[..., T], *args: Any) -> T:
        """`work(*args)`, its time on this thread (the CPU it took, not time waiting) counted for `client`."""
        began = time.thread_time()
        try:
            return work(*args)
        finally:
            if self.limit_s:
                spent, now = time.thread_time() - began, time.monotonic()
                with self.lock:
                    self.paid[client] = max(self.paid.get(client, now), now) + spent * self.wall_per_s
                    if len(self.paid) > self.MAX_KEYS:
                        self.paid = {key: paid for key, paid in self.paid.items() if paid > now}


class StoredRate(ByteRate):
    """Bytes each client's runs and the pictures it asked for stored in the last hour; `per_hour` 0: no limit. A client
    past it starts no run until the hour has moved on (the run that passed it is stored: one run's result at most),
    and the pictures it asks for are drawn but not kept.

    A run counts at least `run_bytes`, its part of the run-count budget as of the byte budget (GRADWALK_KEEP_MB /
    GRADWALK_KEEP_RUNS): storage deletes the oldest runs past either, whoever made them, and 110 runs of 250 bytes
    from one client pushed another client's run out of a store of 100."""

    def __init__(self, per_hour: int, run_bytes: int = 0):
        least = f", each run counting at least {run_bytes:,} bytes (GRADWALK_KEEP_MB / GRADWALK_KEEP_RUNS)"
        what = "runs and pictures stored {} in the last hour" + (least if run_bytes else "")
        super().__init__(per_hour, 3600.0, what, "GRADWALK_RATE_LIMIT_STORED_MB_PER_HOUR")
        self.run_bytes = run_bytes

    def add_run(self, client: str, now: float, size: int) -> None:
        """Count a run of `size` bytes `client` stored at `now` (at least `run_bytes`)."""
        self.add(client, now, max(size, self.run_bytes))


class Pace:
    """Requests a second each key (a client's address) may start, `burst` of them at once: how long each must wait
    (GCRA: one float per key, the time its next request is due, so a check costs the same whatever the key did).
    A request is never refused, only started later; `per_s` 0: no limit. A key whose due time has passed is the same
    as one never seen, so it is forgotten when the keys pass `MAX_KEYS` (only those in debt are kept)."""

    MAX_KEYS = 100_000

    def __init__(self, per_s: float, burst: float):
        self.interval = 1 / per_s if per_s else 0.0
        self.tolerance = max(burst - 1, 0) * self.interval
        self.due: dict[str, float] = {}

    def wait(self, key: str, now: float, most: float = math.inf) -> float | None:
        """Count a request of `key` arriving at `now` (seconds); the seconds it must wait before it starts, or None
        (and nothing counted) when that would be more than `most`."""
        if not self.interval:
            return 0.0
        start, due = paced(self.due.get(key, now), now, self.interval, self.tolerance)
        if start - now > most:
            return None
        self.due[key] = due
        if len(self.due) > self.MAX_KEYS:
            self.due = {k: due for k, due in self.due.items() if due > now}
        return start - now

    def charge(self, key: str, now: float, amount: float) -> None:
        """Count `amount` requests more of `key` at `now`, to be waited for by its next requests."""
        if self.interval:
            self.due[key] = max(self.due.get(key, now), now) + amount * self.interval


def paced(due: float, now: float, interval: float, tolerance: float) -> tuple[float, float]:
    """GCRA: a request arriving at `now` for a key whose next request was `due` starts at the first value returned
    (`now`, or later when the key is `tolerance` seconds ahead of its pace); the second is its next due time."""
    due = max(due, now)
    return max(now, due - tolerance), due + interval


class Held(bytes):
    """A big run's JSON read from storage, counted in `HeldBytes` from before it was read until no one holds it."""

    let_go: Callable[[int], None] | None = None

    def __del__(self) -> None:
        if self.let_go is not None:
            self.let_go(len(self))

    def __reduce__(self) -> tuple[type[bytes], tuple[bytes]]:  # (sent to a process apart as plain bytes)
        return bytes, (bytes(self),)


class ServerFull(RuntimeError):
    """The big runs and answers held at once over all clients are at GRADWALK_MAX_ANSWERS_MB: come back soon (503)."""

    retry_after_s = 2

    def __init__(self, most: int):
        super().__init__(
            f"the server is holding as many big runs and answers as it may at once (GRADWALK_MAX_ANSWERS_MB = "
            f"{most >> 20}): try again in a moment"
        )


class HeldBytes:
    """The memory held at once over all clients by big runs read from storage and by big answers under way, at most
    `most` bytes (0: no limit); one alone is always let through, however big. A run is counted before it is read (a
    burst of forty requests for one 34 MB run from ten addresses held 1.6 GB: each was read, and only then found past
    the budget), and a body sent by many answers at once is counted once."""

    def __init__(self, most_mb: int):
        self.most = most_mb << 20
        self.held = 0
        self.sending: dict[int, list[int]] = {}  # id() of a body under way -> [its size, answers sending it]
        self.lock = threading.RLock()  # (a Held body's __del__ may run where the lock is held: a collection there)

    def take(self, size: int) -> bool:
        with self.lock:
            return self._take(size)

    def _take(self, size: int) -> bool:
        if self.most and self.held and self.held + size > self.most:
            return False
        self.held += size
        return True

    def give(self, size: int) -> None:
        with self.lock:
            self.held -= size

    def read(self, size: int, read: Callable[[], bytes | None]) -> Held | None:
        """What `read()` gives (None: nothing), about `size` bytes, counted from before it is read until no one holds
        it (ServerFull, before reading, past the budget)."""
        reserved = 2 * size  # (read, then copied into its Held: twice, for a moment)
        if not self.take(reserved):
            raise ServerFull(self.most)
        try:
            got = read()
            body = None if got is None else Held(got)
        except BaseException:
            self.give(reserved)
            raise
        del got
        if body is None:
            self.give(reserved)
            return None
        self.give(reserved - len(body))
        body.let_go = self.give
        return body

    def send(self, body: bytes, size: int) -> bool:
        """Count an answer of `size` bytes about to send `body` (a Held one is counted already); False past the
        budget. `sent(body)` when the answer is over."""
        if isinstance(body, Held):
            return True
        with self.lock:
            sending = self.sending.get(id(body))
            if sending is None:
                if not self._take(size):
                    return False
                sending = self.sending[id(body)] = [size, 0]
            sending[1] += 1
            return True

    def sent(self, body: bytes) -> None:
        if isinstance(body, Held):
            return
        with self.lock:
            sending = self.sending[id(body)]
            sending[1] -= 1
            if not sending[1]:
                del self.sending[id(body)]
                self.held -= sending[0]
