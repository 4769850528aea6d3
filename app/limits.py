"""Shared capacity with a fair share per client: the server's drawing slots (folding a run, writing its DOT,
drawing it) are few, and one client may hold only some of them, so one client asking for many views at once
waits for itself, not everyone else."""

import contextlib
import threading
from collections import Counter


class ClientBusy(RuntimeError):
    """This client already holds its share: it should come back later (429)."""


class AllBusy(RuntimeError):
    """Every slot stayed busy for as long as the caller would wait (503)."""


class Slots:
    """At most `total` holders at once, and at most `per_client` of them from one client."""

    def __init__(self, total: int, per_client: int):
        self.free = threading.BoundedSemaphore(total)
        self.per_client = per_client
        self.held: Counter[str] = Counter()
        self.lock = threading.Lock()

    @contextlib.contextmanager
    def hold(self, client: str, wait_s: float):
        """One slot for `client`, waiting up to `wait_s` seconds for one to be free."""
        with self.lock:
            if self.held[client] >= self.per_client:
                raise ClientBusy(f"this client already has {self.per_client} drawing(s) under way")
            self.held[client] += 1
        try:
            if not self.free.acquire(timeout=wait_s):
                raise AllBusy("every drawing slot stayed busy")
            try:
                yield
            finally:
                self.free.release()
        finally:
            with self.lock:
                self.held[client] -= 1
                if not self.held[client]:
                    del self.held[client]
