"""`gradwalk serve`'s HTTP server: uvicorn, with the open-file limit raised, a cap on open connections, a time
limit on requests that never finish their headers, and no proxy headers believed but from configured proxies.

Uvicorn's own HTTP protocol arms no timer until a first answer has gone out: a connection that sends half a
request line and then nothing (slowloris) holds a file descriptor for ever, and at the usual limit of 1024
open files about a thousand of them stop the server. Here every connection must finish its headers within
GRADWALK_REQUEST_TIMEOUT_S of opening (or of its previous answer), one that takes none of its answer for as
long is dropped, and past GRADWALK_MAX_CONNECTIONS a new connection takes the place of the one that has waited
longest without a request in progress, so requests that did arrive are served whatever idle sockets someone
holds.

Requests are paced too, before they are routed: each connection may start GRADWALK_RATE_LIMIT_CONNECTION_REQUESTS_PER_S
requests a second and each client address, over all its connections, GRADWALK_RATE_LIMIT_CLIENT_REQUESTS_PER_S, with
`BURST_S` seconds' worth at once (a trusted proxy's requests are paced as the clients they are forwarded for). A
request past its pace is not answered, routed or refused: it starts when its turn comes, and the connection's reads
wait with it (a client that ignored Retry-After and sent tiny requests as fast as it could over keep-alive
connections kept most of a core busy answering them). Each `CHARGE_BYTES` a request sends count as one request more.
"""

import asyncio
import ctypes
import logging
import resource
import time
import weakref
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable

import uvicorn
from fastapi import FastAPI
from uvicorn._types import ASGI3Application
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol, RequestResponseCycle

from .client import address_key, forwarded_client, trusted
from .limits import Pace, paced
from .settings import Settings

log = logging.getLogger("gradwalk")
# File descriptors kept for everything but connections: the database, workers' pipes, Graphviz, static files.
RESERVED_FILES = 256
HUSHED_KINDS = 1024  # kinds of log line whose minute `Hushed` keeps at once
HUSHED_LOGGERS = ("uvicorn.error", "gradwalk", "gradwalk.sandbox")  # every logger a client's requests can write to
# Requests a connection or a client may start at once, in seconds of its pace: a page and its 30 scripts, styles and
# graphs, reloaded a few times, start at once; a flood goes at the pace
BURST_S = 3.0
# Each this many bytes a request sends (its line and headers, its body) count as one request more against both paces:
# a request's cost grows with what it sends (a 60 KB query string or 10,000 tiny headers took 10 to 26 ms of the event
# loop, 256 KB of JSON 15 to 30 ms), so a client sending large ones goes at the pace of their bytes
CHARGE_BYTES = 4096


def raise_open_file_limit() -> int:
    """Raise this process's soft limit on open files to its hard limit; the limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else 1 << 20
    if soft == resource.RLIM_INFINITY or soft >= wanted:
        return soft if soft != resource.RLIM_INFINITY else wanted
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    except (ValueError, OSError):  # a hard limit above the kernel's nr_open: keep what there is
        return soft
    return wanted


_TOO_LARGE = b"The request's line or headers are larger than GRADWALK_MAX_HEADER_BYTES."
HEADERS_TOO_LARGE = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: text/plain; charset=utf-8\r\n"
    b"content-length: %d\r\nconnection: close\r\n\r\n%s" % (len(_TOO_LARGE), _TOO_LARGE)
)


class HeadersTooLarge(Exception):
    """Raised from the parser's header callback: the rest of the request is not parsed."""


class TooManyPipelined(Exception):
    """Raised from the parser's callback at the end of a request's headers: the rest of what came is not parsed."""


class Hushed(logging.Filter):
    """Lets one kind of log line (one message template) through `per_minute` times a minute; the rest are counted,
    and the first line of that kind in a later minute says how many were left out."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic):
        super().__init__()
        self.per_minute = per_minute
        self.clock = clock
        self.kinds: dict[object, list[float]] = {}  # message template -> [minute it began, lines, left out]

    def filter(self, record: logging.LogRecord) -> bool:
        now = self.clock()
        key = (record.name, record.msg)
        kind = self.kinds.get(key)
        if kind is None or now - kind[0] >= 60:
            if len(self.kinds) >= HUSHED_KINDS:  # (messages are templates: a few dozen kinds; bounded all the same)
                self.kinds.clear()
            left_out = int(kind[2]) if kind is not None else 0
            self.kinds[key] = [now, 1, 0]
            if left_out:
                record.msg = f"{record.msg} (and {left_out} more like it in the minute before, not logged)"
            return True
        if kind[1] < self.per_minute:
            kind[1] += 1
            return True
        kind[2] += 1
        return False


def guarded_protocol(
    request_timeout_s: float,
    max_connections: int,
    max_client_connections: int = 1 << 30,
    max_header_bytes: int = 1 << 30,
    proxies: Callable[[str], bool] = lambda _address: False,
    max_pipelined: int = 1 << 30,
    connection_requests_per_s: float = 0.0,
    client_requests_per_s: float = 0.0,
) -> type[HttpToolsProtocol]:
    """Uvicorn's httptools protocol, with a deadline for headers, a cap on open connections and on those of one
    address (`proxies(address)`: one held to none), on a request's header bytes, on the requests a connection
    sends ahead of its answers, and on the requests a second a connection and an address start (0: none; a proxy is
    held to neither); each class made here keeps the connections of one server."""
    interval = 1 / connection_requests_per_s if connection_requests_per_s else 0.0
    tolerance = max(connection_requests_per_s * BURST_S - 1, 0) * interval

    class GuardedProtocol(HttpToolsProtocol):
        header_timer: asyncio.TimerHandle | None = None
        drain_timer: asyncio.TimerHandle | None = None
        header_bytes = 0
        # bytes fed the parser since its request began that were no body's: the request line, the headers, chunk
        # framing, trailers (httptools and uvicorn grow an unfinished URL or header by copying it whole: one line
        # without an end took memory and the event loop's time without bound, before on_header ever saw it)
        unparsed = 0
        address: str | None = None  # (None: a trusted proxy's connection, held to no per-address limit)
        proxied = False  # a trusted proxy's connection: its requests are paced by the client each is forwarded for
        paced_client: str | None = None  # whom the request being read is paced as (its address, or forwarded)
        due = 0.0  # when this connection's next request is due at its pace (loop time)
        paced_start: asyncio.TimerHandle | None = None  # a request waiting for its turn

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self.cycles: weakref.WeakSet[RequestResponseCycle] = weakref.WeakSet()  # (this connection's requests)
            peer = transport.get_extra_info("peername")
            host = peer[0] if isinstance(peer, tuple) and peer else None
            self.proxied = isinstance(host, str) and proxies(host)
            if isinstance(host, str) and not self.proxied:
                address = address_key(host)
                if held[address] >= max_client_connections:  # (its own share, whatever it does with it)
                    transport.abort()
                    return
                held[address] += 1
                self.address = address
            live.add(self)
            if len(live) > max_connections:
                victim = next(iter(waiting), None)
                if victim is None:  # every connection has a request in progress: this one waits its turn elsewhere
                    self._close()
                    return
                victim._close()
            self._wait_for_request()

        def connection_lost(self, exc: Exception | None) -> None:
            # (uvicorn tells only the last request it parsed: an answer to an earlier pipelined one went on writing
            # to the closed connection, and logged a traceback for each)
            for cycle in self.cycles:
                if not cycle.response_complete:
                    cycle.disconnected = True
            self._stop_waiting()
            self._stop_watching_drain()
            self._stop_pacing()
            live.discard(self)
            if self.address is not None:
                held[self.address] -= 1
                if not held[self.address]:
                    del held[self.address]
                self.address = None
            super().connection_lost(exc)

        # An answer the client does not read stays in memory (a stored run can be tens of MB): a client that
        # reads nothing of it for a whole GRADWALK_REQUEST_TIMEOUT_S is dropped, one that reads slowly is not.
        def pause_writing(self) -> None:
            super().pause_writing()
            self._watch_drain(self.transport.get_write_buffer_size())

        def resume_writing(self) -> None:
            self._stop_watching_drain()
            super().resume_writing()

        def _watch_drain(self, unsent: int) -> None:
            self._stop_watching_drain()
            self.drain_timer = self.loop.call_later(request_timeout_s, self._check_drain, unsent)

        def _check_drain(self, unsent: int) -> None:
            self.drain_timer = None
            if self.transport.is_closing() or not self.flow.write_paused:
                return
            now = self.transport.get_write_buffer_size()
            if now >= unsent:  # not a byte taken in a whole period
                live.discard(self)
                self.transport.abort()
            else:
                self._watch_drain(now)

        def _stop_watching_drain(self) -> None:
            if self.drain_timer is not None:
                self.drain_timer.cancel()
                self.drain_timer = None

        def data_received(self, data: bytes) -> None:
            self.unparsed += len(data)
            super().data_received(data)
            if self.unparsed > 2 * max_header_bytes and not self.transport.is_closing():  # (the line, the headers)
                self._refuse_head()

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self.header_bytes = 0

        def on_message_complete(self) -> None:
            self.unparsed = 0  # (the next request's count starts: its bytes already read are let off, a read at most)
            super().on_message_complete()

        def on_body(self, body: bytes) -> None:
            self.unparsed -= len(body)
            self._charge(len(body))
            super().on_body(body)

        def on_header(self, name: bytes, value: bytes) -> None:
            # (httptools keeps each header as Python objects, 25 times its bytes: millions of `a: b` took gigabytes)
            self.header_bytes += len(name) + len(value) + 4
            if self.header_bytes <= max_header_bytes:
                super().on_header(name, value)
                return
            self._refuse_head()
            raise HeadersTooLarge  # (uvicorn takes it for a parser error: its 400 is not sent, below)

        def _refuse_head(self) -> None:
            self.transport.write(HEADERS_TOO_LARGE)
            self._close()

        def send_400_response(self, msg: str) -> None:
            if not self.transport.is_closing():  # (closed already: a 431 went out)
                super().send_400_response(msg)

        def on_headers_complete(self) -> None:
            self._stop_waiting()
            self.paced_client = self._client(self.headers)
            self._charge(len(self.url) + self.header_bytes)
            super().on_headers_complete()
            if self.cycle is not None:
                self.cycles.add(self.cycle)
            # (uvicorn queues each request sent ahead of its answers, and the parser goes on through all that came
            # in one read: a client that reads nothing of its answers queued a million, 2 GiB)
            if len(self.pipeline) > max_pipelined:
                self._close()
                raise TooManyPipelined  # (taken for a parser error, as HeadersTooLarge: no 400 on a closing one)

        # A request past its connection's or its address's pace waits for its turn before it is routed, and none
        # more is read meanwhile: a flood of tiny requests costs the server its pace, whatever it sends.
        # A turn further off than GRADWALK_REQUEST_TIMEOUT_S is not waited for: the connection is closed, and the
        # request not counted (an address's many connections, each with its requests sent ahead, would otherwise run
        # up a debt of many seconds).
        def _start_asgi_task(self, cycle: RequestResponseCycle, app: ASGI3Application) -> None:
            client = self._client(cycle.scope["headers"])
            if client is not None:
                now = self.loop.time()
                start, due = paced(self.due, now, interval, tolerance) if interval and not self.proxied else (now, now)
                wait = client_pace.wait(client, now, request_timeout_s) if start - now <= request_timeout_s else None
                if wait is None:
                    self._close()
                    return
                self.due = due
                wait = max(wait, start - now)
                if wait > 0:
                    self.flow.pause_reading()
                    self.paced_start = self.loop.call_later(wait, self._start_paced, cycle, app)
                    waiting[self] = None  # (at the cap, a connection over its pace makes room as an idle one does)
                    return
            super()._start_asgi_task(cycle, app)

        def _client(self, headers: Iterable[tuple[bytes, bytes]]) -> str | None:
            """Whom a request is paced as: its connection's address, or the client a trusted proxy forwarded it for
            (None: a proxy's own request, paced as nobody)."""
            if self.address is not None or not self.proxied:
                return self.address
            host = forwarded_client(headers, proxies)
            return address_key(host) if host is not None else None

        def _charge(self, sent: int) -> None:
            """Count `sent` bytes of the request being read against its connection's and its client's pace."""
            if self.paced_client is not None and sent:
                now = self.loop.time()
                if not self.proxied:
                    self.due = max(self.due, now) + sent / CHARGE_BYTES * interval
                client_pace.charge(self.paced_client, now, sent / CHARGE_BYTES)

        def _start_paced(self, cycle: RequestResponseCycle, app: ASGI3Application) -> None:
            self.paced_start = None
            waiting.pop(self, None)
            if not self.transport.is_closing():
                super()._start_asgi_task(cycle, app)

        def _stop_pacing(self) -> None:
            if self.paced_start is not None:
                self.paced_start.cancel()
                self.paced_start = None
                waiting.pop(self, None)

        def shutdown(self) -> None:
            if self.paced_start is not None:  # (a request not started yet: the server stops without waiting for it)
                self._stop_pacing()
                self._close()
                return
            super().shutdown()

        def _unsupported_upgrade_warning(self) -> None:
            pass  # (no WebSocket, on purpose: a request asking for one is answered as any other, and not logged)

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if self.pipeline:  # (uvicorn reads on after each answer: while requests wait, none more are read)
                self.flow.pause_reading()
            # idle again, unless a pipelined request has just started
            if not self.transport.is_closing() and self.cycle is not None and self.cycle.response_complete:
                self._wait_for_request()

        def _wait_for_request(self) -> None:
            self._stop_waiting()
            waiting[self] = None
            self.header_timer = self.loop.call_later(request_timeout_s, self._close)

        def _stop_waiting(self) -> None:
            waiting.pop(self, None)
            if self.header_timer is not None:
                self.header_timer.cancel()
                self.header_timer = None

        def _close(self) -> None:
            self._stop_waiting()
            live.discard(self)
            if not self.transport.is_closing():
                self.transport.close()

    # (the methods above read these when they run)
    waiting: OrderedDict[GuardedProtocol, None] = OrderedDict()  # no request in progress (or one past its pace)
    live: set[GuardedProtocol] = set()  # open, and not being closed by us
    held: Counter[str] = Counter()  # address -> its open connections
    client_pace = Pace(client_requests_per_s, client_requests_per_s * BURST_S)  # address -> when its next is due
    return GuardedProtocol


M_MMAP_THRESHOLD = -3  # glibc's mallopt() parameter: blocks from this size on are mapped on their own
BIG_BLOCK_BYTES = 1 << 20


def big_blocks_go_back_to_the_system() -> bool:
    """Have malloc map each block of `BIG_BLOCK_BYTES` or more on its own, and give it back to the system when it is
    freed (glibc; elsewhere nothing is done: False). glibc's threshold otherwise grows to the biggest block freed, up
    to 32 MiB, so a run's JSON (tens of MB) read and freed once made every later one come out of the heaps of the
    threads that read them, kept there once freed: a burst of reads of a 29 MB run from ten addresses peaked at 1.0 to
    1.5 GiB of the server's memory, against 0.6 GiB with this (and eight threads' 8 MB blocks, freed, left 80 to 102
    MiB held in their heaps, against none)."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return bool(mallopt(M_MMAP_THRESHOLD, BIG_BLOCK_BYTES))


def connection_cap(settings: Settings, open_files: int) -> int:
    """GRADWALK_MAX_CONNECTIONS, lowered if need be to what the open-file limit allows."""
    room = max(16, open_files - RESERVED_FILES)
    if settings.max_connections > room:
        log.warning(
            "the open-file limit (%d) allows %d connections, not GRADWALK_MAX_CONNECTIONS=%d",
            open_files,
            room,
            settings.max_connections,
        )
    return min(settings.max_connections, room)


def serve(app: FastAPI, settings: Settings, host: str, port: int) -> None:
    """Run `app` until it is stopped (SIGINT or SIGTERM)."""
    hushed = Hushed(settings.log_repeats_per_min)
    for name in HUSHED_LOGGERS:  # (a filter of a logger's applies to the lines logged through it: each is named)
        logging.getLogger(name).addFilter(hushed)
    big_blocks_go_back_to_the_system()
    open_files = raise_open_file_limit()
    cap = connection_cap(settings, open_files)
    log.info("open-file limit %d; at most %d connections", open_files, cap)
    uvicorn.run(
        app,
        host=host,
        port=port,
        http=guarded_protocol(
            settings.request_timeout_s,
            cap,
            min(settings.max_client_connections, max(1, cap // 2)),  # (one address never holds half of them)
            settings.max_header_bytes,
            trusted(settings.trusted_proxy_networks()),
            settings.max_pipelined_requests,
            settings.rate_limit_connection_requests_per_s,
            settings.rate_limit_client_requests_per_s,
        ),
        ws="none",
        log_level="info",
        access_log=False,  # a line per request costs as much as serving a stored run; proxies log requests
        server_header=False,
        # The client's address is the app's to find (GRADWALK_TRUSTED_PROXIES): uvicorn's proxy headers, with
        # their FORWARDED_ALLOW_IPS variable, stay off whatever the environment says.
        proxy_headers=False,
    )
