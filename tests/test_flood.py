"""A client that ignores Retry-After and sends cheap requests as fast as it can (429s, 404s, /healthz) over keep-alive
connections, many connections, or a new connection each time: its requests start at its pace
(GRADWALK_RATE_LIMIT_CONNECTION_REQUESTS_PER_S, GRADWALK_RATE_LIMIT_CLIENT_REQUESTS_PER_S), before they are routed,
while another client, and a browser loading a page and its files, are served at once."""

import contextlib
import socket
import threading
import time

import pytest

from app.limits import Pace, paced
from app.settings import Settings

from .helpers import free_port, serve
from .helpers import stop as stop_server

UIDS = 61300  # the workers of this module's servers run as uids of their own
HEALTHZ = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
MISSING = b"GET /nothing/here HTTP/1.1\r\nHost: x\r\n\r\n"
# what the page (templates/page.html and its modules) asks for as it opens, in Chromium: 30 requests in 0.6 s (its
# run and its two graphs' DOT here the examples)
VENDOR = ["codemirror/codemirror.css", "codemirror/codemirror.js", "codemirror/python.js", "viz/viz-global.js"]
MODULES = (
    "main api editor examples i18n stepbar viewer dom explain format inspector names pane stepper overview panzoom svg"
)
PAGE = [
    "/",
    "/static/gradwalk.css",
    *(f"/static/vendor/{name}" for name in VENDOR),
    *(f"/static/js/{name}.js" for name in MODULES.split()),
    "/static/js/layout-worker.js",
    "/static/js/layout-worker.js",
    "/static/favicon.svg",
    "/static/vendor/viz/viz-global.js",
    *["/api/examples"] * 3,
]


def test_a_key_starts_its_burst_at_once_then_one_request_an_interval():
    pace = Pace(per_s=10, burst=5)
    assert [pace.wait("a", 0.0) for _ in range(5)] == [0.0] * 5
    assert [round(pace.wait("a", 0.0), 3) for _ in range(3)] == [0.1, 0.2, 0.3]
    assert pace.wait("b", 0.0) == 0.0  # another key is another pace
    assert pace.wait("a", 10.0) == 0.0  # back at its pace after a while
    assert Pace(per_s=0, burst=0).wait("a", 0.0) == 0.0  # 0: no limit
    assert paced(0.0, 5.0, 0.5, 0.0) == (5.0, 5.5)
    # a turn further off than the caller waits for is not taken, and not counted
    assert pace.wait("c", 0.0, most=0.25) == 0.0
    for _ in range(4):
        pace.wait("c", 0.0)
    waits = [pace.wait("c", 0.0, most=0.25) for _ in range(4)]
    assert [w if w is None else round(w, 3) for w in waits] == [0.1, 0.2, None, None]
    assert round(pace.wait("c", 0.0), 3) == 0.3


def test_only_keys_in_debt_are_kept_past_the_bound(monkeypatch):
    monkeypatch.setattr(Pace, "MAX_KEYS", 10)
    pace = Pace(per_s=1, burst=1)
    for i in range(50):
        pace.wait(f"k{i}", float(i))
    assert len(pace.due) <= 11


def test_the_defaults_let_a_page_load_at_once():
    settings = Settings()
    # the page's 30 requests on one connection, three loads of it from one address, within the bursts
    assert 3 * settings.rate_limit_connection_requests_per_s >= 2 * len(PAGE)
    assert 3 * settings.rate_limit_client_requests_per_s >= 3 * len(PAGE)


def answers(sock: socket.socket, expected: int, deadline: float) -> int:
    """How many answers of `expected` come on `sock` before `deadline`."""
    got, seen = b"", 0
    while seen < expected and time.monotonic() < deadline:
        sock.settimeout(max(deadline - time.monotonic(), 0.01))
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            break
        if not chunk:
            break
        got += chunk
        seen = got.count(b"HTTP/1.1 ")
    return seen


def flood(port: int, source: str, request: bytes, seconds: float, connections: int = 1, reconnect: bool = False) -> int:
    """Answers a client at `source` gets sending `request` four at a time, as soon as the last four are answered, for
    `seconds` over `connections` keep-alive connections (or a new one each time)."""
    counted = [0]
    end = time.monotonic() + seconds

    def one() -> None:
        while time.monotonic() < end:
            with socket.create_connection(("127.0.0.1", port), timeout=5, source_address=(source, 0)) as sock:
                while time.monotonic() < end:
                    sock.sendall(request * 4)
                    got = answers(sock, 4, end)
                    counted[0] += got
                    if got < 4 or reconnect:
                        break

    threads = [threading.Thread(target=one) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counted[0]


def fetch(sock: socket.socket, path: str) -> int:
    """GET `path` on `sock`, read its whole answer; its status."""
    sock.sendall(b"GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % path.encode())
    got = b""
    while b"\r\n\r\n" not in got:
        got += sock.recv(65536)
    head, _, body = got.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    length = next(int(line.split(b":")[1]) for line in lines if line.lower().startswith(b"content-length:"))
    while len(body) < length:
        body += sock.recv(1 << 20)
    return int(lines[0].split()[1])


def page_loads(port: int, sources: list[str], loads: int) -> float:
    """Seconds to load the page (PAGE) `loads` times, as a browser does, over a connection from each of `sources`,
    kept from one load to the next; the page itself on the first."""
    sockets = [socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(s, 0)) for s in sources]
    started = time.monotonic()
    try:
        for load in range(loads):
            for i, path in enumerate(PAGE):
                sock = sockets[(i + load) % len(sockets)] if i else sockets[0]
                assert fetch(sock, path) == 200, path
    finally:
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.close()
    return time.monotonic() - started


def latency_ms(port: int, source: str, request: bytes, count: int) -> list[float]:
    """Times of `count` requests one after the other on one connection, every 20 ms."""
    times = []
    with socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(source, 0)) as sock:
        for _ in range(count):
            started = time.monotonic()
            sock.sendall(request)
            assert answers(sock, 1, started + 10) == 1
            times.append((time.monotonic() - started) * 1000)
            time.sleep(0.02)
    return sorted(times)


@pytest.mark.server
def test_a_client_flooding_cheap_requests_goes_at_its_pace_and_others_are_served_at_once(tmp_path):
    port = free_port()
    server = serve(tmp_path, port, uid=UIDS)  # the pace settings at their defaults: 20 a connection, 200 a client
    settings = Settings()
    per_connection = settings.rate_limit_connection_requests_per_s
    per_client = settings.rate_limit_client_requests_per_s
    try:
        seconds = 2.0
        # one keep-alive connection: its burst, then its pace (thousands a second before)
        got = flood(port, "127.0.0.21", MISSING, seconds)
        assert got <= per_connection * (3 + seconds) + 4, got
        # many connections of one address, or a new connection each time: the address's burst, then its pace
        got = flood(port, "127.0.0.22", HEALTHZ, seconds, connections=8)
        assert got <= per_client * (3 + seconds) + 8 * 4, got
        got = flood(port, "127.0.0.23", HEALTHZ, seconds, connections=4, reconnect=True)
        assert got <= per_client * (3 + seconds) + 4 * 4, got
        # requests that send much (a long query string, many headers, a large body) go at the pace of their bytes
        query = b"GET /healthz?" + b"&".join(b"a%d=" % i for i in range(6000)) + b" HTTP/1.1\r\nHost: x\r\n\r\n"
        got = flood(port, "127.0.0.27", query, seconds)  # 46 KB each: 12 requests' worth
        assert got <= per_connection * (3 + seconds) / 10 + 4, got
        # while one floods, another client is answered at once
        flooding = threading.Thread(target=flood, args=(port, "127.0.0.24", HEALTHZ, 4.0, 16))
        flooding.start()
        try:
            time.sleep(0.5)
            times = latency_ms(port, "127.0.0.25", HEALTHZ, 40)
        finally:
            flooding.join()
        assert times[len(times) // 2] < 50 and times[-2] < 500, times
        # a browser loading the page three times over six connections: nothing waits for its turn. (Against one load,
        # each request from an address of its own on a connection of its own, which no pace holds back: had
        # the loads waited for their turns, they would take a third of a second more at the least. The best of three
        # of each, taken in turns: one of them timed once, on a loaded machine, took 0.47 s against 0.05 s.)
        alone, together = [], []
        for n in range(3):  # (three times over is 279 requests of 127.0.0.26's burst of 600)
            alone.append(page_loads(port, [f"127.1.{n}.{i}" for i in range(len(PAGE))], 1))
            together.append(page_loads(port, ["127.0.0.26"] * 6, 3))
        assert min(together) < 1.5 * 3 * min(alone) + 0.15, ("a page load waited for its turn", together, alone)
    finally:
        stop_server(server)


@pytest.mark.server
def test_behind_a_trusted_proxy_each_forwarded_client_goes_at_its_own_pace(tmp_path):
    port = free_port()
    proxy = "127.0.0.30"
    server = serve(tmp_path, port, uid=UIDS + 10, env={"GRADWALK_TRUSTED_PROXIES": proxy})
    per_client = Settings().rate_limit_client_requests_per_s
    try:
        seconds = 2.0
        forwarded = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: %s\r\n\r\n"
        # the proxy carries one client's flood on many connections: that client goes at its pace
        got = flood(port, proxy, forwarded % b"198.51.100.7", seconds, connections=8)
        assert got <= per_client * (3 + seconds) + 8 * 4, got
        # while another client the same proxy forwards is answered at once, on the proxy's connections too
        flooding = threading.Thread(target=flood, args=(port, proxy, forwarded % b"198.51.100.7", 4.0, 8))
        flooding.start()
        try:
            time.sleep(0.5)
            times = latency_ms(port, proxy, forwarded % b"198.51.100.8", 40)
        finally:
            flooding.join()
        assert times[len(times) // 2] < 50 and times[-2] < 500, times
    finally:
        stop_server(server)


@pytest.mark.server
def test_at_the_connection_cap_a_connection_past_its_pace_makes_room_for_a_new_client(tmp_path):
    port = free_port()
    env = {"GRADWALK_MAX_CONNECTIONS": "16", "GRADWALK_RATE_LIMIT_CLIENT_REQUESTS_PER_S": "1"}  # 8 an address
    server = serve(tmp_path, port, uid=UIDS + 20, env=env)
    held = []
    try:
        for source in ("127.0.0.61", "127.0.0.62"):
            with socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(source, 0)) as sock:
                sock.sendall(HEALTHZ * 3)  # the address's burst
                assert answers(sock, 3, time.monotonic() + 10) == 3
            for _ in range(8):  # then every connection it may hold, each with a request waiting for its turn
                sock = socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(source, 0))
                sock.sendall(HEALTHZ)
                held.append(sock)
        time.sleep(0.5)
        # the cap is full of connections past their pace: a new client's connection takes the place of one of them
        with socket.create_connection(("127.0.0.1", port), timeout=10, source_address=("127.0.0.63", 0)) as sock:
            sock.sendall(HEALTHZ)
            assert answers(sock, 1, time.monotonic() + 5) == 1
    finally:
        for sock in held:
            sock.close()
        stop_server(server)
