"""What one hostile client costs another: a benign client's latency alone, then while a hostile client (another
address) does one thing at a time within the server's per-client limits, back to back, in one run.

    python bench/fairness.py [--seconds 6] [--workers 2] [--classes cpu,threads,...] [--uid 63400]

Starts one server (`python -m app serve`) on 127.0.0.1 with a free port, a temporary data dir (SQLite), the
per-client limits at their defaults (bench/api.py turns them off; they are what is measured here) and its workers'
uids from `--uid`. The benign client, one request at a time, 0.3 s apart: the seed's 2D example posted uncached (a
comment with a counter, so the result cache does not answer), the new run's backward SVG (drawn then), then a stored
run's JSON, its page and its forward SVG (kept). Each class gets its own pair of benign addresses (127.0.k.5 alone,
127.0.k.6 with) and a hostile one (127.0.k.9), so the per-client budgets of one class do not spill into the next.

The hostile client runs in a process of its own: in the bench's process its threads reading tens of MB held the
bench's interpreter lock and made the benign client look three to eight times slower than the server made it.
The table gives p50 and p95 alone and with, their ratios, the server process's cores busy during each phase (from
/proc; its workers and drawing processes are not counted) and what the hostile client got (answers by status).
Loopback only; needs root for the sandbox, like the server.
"""

import argparse
import collections
import contextlib
import json
import multiprocessing
import os
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository, for `app`

from api import free_port, start_server, stop_server

ROOT = Path(__file__).resolve().parents[1]
SEED = (ROOT / "app" / "examples" / "6_linear_2d.py").read_text()
CHAIN = "x = torch.ones(1, requires_grad=True)\nfor i in range(200000): x = x * 1.0001\nx.backward()"  # node limit
WIDE = "x = torch.ones(1, requires_grad=True)\nys = [x * i for i in range(1400)]\nsum(ys).backward()"  # slow to draw
DEFAULT_LIMITS = {  # bench/api.py's server has these off
    "GRADWALK_RATE_LIMIT_RUNS_PER_MIN": "60",
    "GRADWALK_MAX_CLIENT_CONCURRENT_RUNS": "2",
    "GRADWALK_WORKERS_KEPT_FOR_OTHERS": "1",
    "GRADWALK_RATE_LIMIT_CONNECTION_REQUESTS_PER_S": "20",
    "GRADWALK_RATE_LIMIT_CLIENT_REQUESTS_PER_S": "200",
    "GRADWALK_RATE_LIMIT_STORED_MB_PER_HOUR": "128",
    "GRADWALK_MAX_CLIENT_ANSWERS": "4",
}
BENIGN_OPS = ("post", "svg new", "get", "page", "svg")


def client(base: str, address: str) -> httpx.Client:
    return httpx.Client(
        base_url=base, transport=httpx.HTTPTransport(local_address=address), timeout=120, trust_env=False
    )


def benign(base: str, address: str, ids: dict[str, str], seconds: float) -> dict[str, list[float]]:
    """Milliseconds of each benign request, for `seconds`."""
    times: dict[str, list[float]] = {op: [] for op in BENIGN_OPS}
    stored = ids["stored"]
    with client(base, address) as c:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            new = ""
            for op in BENIGN_OPS:
                path = {"svg new": f"/api/runs/{new}/backward.svg", "get": f"/api/runs/{stored}"}.get(op, "")
                path = {"page": f"/runs/{stored}", "svg": f"/api/runs/{stored}/forward.svg"}.get(op, path)
                began = time.perf_counter()
                if op == "post":
                    answer = c.post("/api/runs", json={"code": f"{SEED}\n# {time.time_ns()}"})
                else:
                    answer = c.get(path)
                times[op].append((time.perf_counter() - began) * 1000)
                if answer.status_code not in (200, 201):
                    raise RuntimeError(f"the benign client's {op} got {answer.status_code}: {answer.text[:200]}")
                if op == "post":
                    new = answer.json()["id"]
            time.sleep(0.3)
    return times


# -- hostile classes: each does one thing until `until` (time.monotonic()), and returns its answers by status --------


def posting(code: str, streams: int = 2) -> Callable[..., collections.Counter[int]]:
    """Runs of `code` posted uncached from `streams` connections (the client's concurrent runs)."""

    def run(base: str, address: str, port: int, ids: dict[str, str], until: float) -> collections.Counter[int]:
        got: collections.Counter[int] = collections.Counter()

        def one() -> None:
            with client(base, address) as c:
                while time.monotonic() < until:
                    answer = c.post("/api/runs", json={"code": f"{code}\n# {time.time_ns()}"})
                    got[answer.status_code] += 1
                    if answer.status_code != 201:
                        time.sleep(min(2.0, float(answer.headers.get("retry-after", 1))))

        threads = [_thread(one) for _ in range(streams)]
        for thread in threads:
            thread.join()
        return got

    return run


def reading(paths: list[str], connections: int = 1) -> Callable[..., collections.Counter[int]]:
    """GETs of `paths` in turn (`{big}`, `{wide}`: the setup's runs), each answer read whole as fast as it comes,
    from `connections` raw sockets (cheap for this process: the server's cost is what is measured)."""

    def run(base: str, address: str, port: int, ids: dict[str, str], until: float) -> collections.Counter[int]:
        got: collections.Counter[int] = collections.Counter()

        def one() -> None:
            with socket.create_connection(("127.0.0.1", port), source_address=(address, 0)) as sock:
                turn = 0
                while time.monotonic() < until:
                    path = paths[turn % len(paths)].format(**ids)
                    turn += 1
                    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: bench\r\n\r\n".encode())
                    status = _read_answer(sock)
                    got[status] += 1
                    if status in (429, 503):
                        time.sleep(0.2)

        threads = [_thread(one) for _ in range(connections)]
        for thread in threads:
            thread.join()
        return got

    return run


def slow_readers(base: str, address: str, port: int, ids: dict[str, str], until: float) -> collections.Counter[int]:
    """Connections that ask for the big run and read 512 bytes of it every 50 ms."""
    sockets = []
    while time.monotonic() < until:
        if len(sockets) < 32:
            sock = socket.create_connection(("127.0.0.1", port), source_address=(address, 0))
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            sock.sendall(f"GET /api/runs/{ids['big']} HTTP/1.1\r\nHost: bench\r\n\r\n".encode())
            sockets.append(sock)
        for sock in sockets:
            sock.settimeout(0.01)
            with contextlib.suppress(OSError):  # (nothing more yet)
                sock.recv(512)
        time.sleep(0.05)
    for sock in sockets:
        sock.close()
    return collections.Counter({0: len(sockets)})


def big_bodies(base: str, address: str, port: int, ids: dict[str, str], until: float) -> collections.Counter[int]:
    """Bodies just under GRADWALK_MAX_REQUEST_BYTES, posted one after the other."""
    body = json.dumps({"code": "x = 1\n#" + "a" * 250_000})
    got: collections.Counter[int] = collections.Counter()
    with client(base, address) as c:
        while time.monotonic() < until:
            got[c.post("/api/runs", content=body, headers={"content-type": "application/json"}).status_code] += 1
    return got


def connections(base: str, address: str, port: int, ids: dict[str, str], until: float) -> collections.Counter[int]:
    """As many connections as the server takes, each with half a request."""
    sockets = []
    while time.monotonic() < until:
        try:
            sock = socket.create_connection(("127.0.0.1", port), source_address=(address, 0), timeout=1)
            sock.sendall(b"GET /healthz HTTP/1.1\r\n")
            sockets.append(sock)
        except OSError:
            time.sleep(0.05)
        if len(sockets) > 2000:
            time.sleep(0.1)
    for sock in sockets:
        sock.close()
    return collections.Counter({0: len(sockets)})


THREADS = (
    "import threading\ntorch.set_num_threads(8)\ndef spin():\n    while True: pass\n"
    "for _ in range(7): threading.Thread(target=spin, daemon=True).start()\n"
    "a = torch.randn(500, 500)\nwhile True: a @ a"
)
CLASSES: dict[str, Callable[..., collections.Counter[int]]] = {
    "cpu": posting("while True: pass"),
    "threads": posting(THREADS),
    "output": posting("while True: print('x' * 1000)"),
    "nodes": posting(CHAIN),
    "big json": reading(["/api/runs/{big}"], connections=4),
    "big formats": reading(
        [f"/api/runs/{{big}}/{name}" for name in ("forward.svg", "forward.png", "forward.dot", "backward.dot")]
        + ["/api/runs/{big}.html", "/runs/{big}"]
    ),
    "drawings": reading(["/api/runs/{wide}/forward.png", "/api/runs/{wide}/backward.svg", "/api/runs/{wide}.html"]),
    "html files": reading(["/api/runs/{stored}.html", "/api/runs/{wide}.html"]),
    "pages": reading(["/runs/{big}", "/runs/{wide}"]),
    "pages x8": reading(["/runs/{big}", "/runs/{wide}"], connections=8),
    "slow readers": slow_readers,
    "big bodies": big_bodies,
    "connections": connections,
}


def _thread(target: Callable[[], None]) -> threading.Thread:
    thread = threading.Thread(target=target)
    thread.start()
    return thread


def _read_answer(sock: socket.socket) -> int:
    """Read one answer with a Content-Length whole; its status."""
    buffer = b""
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        buffer += chunk
    head, rest = buffer.split(b"\r\n\r\n", 1)
    lines = head.split(b"\r\n")
    length = next(int(line.split(b":", 1)[1]) for line in lines if line.lower().startswith(b"content-length:"))
    got = len(rest)
    while got < length:
        chunk = sock.recv(1 << 20)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        got += len(chunk)
    return int(lines[0].split()[1])


def _hostile(name: str, base: str, address: str, port: int, ids: dict[str, str], until: float, out) -> None:
    out.put(dict(CLASSES[name](base, address, port, ids, until)))


def server_cores(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def quantile(times: list[float], q: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=6.0, help="each phase, alone and with")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--classes", default=",".join(CLASSES), help=f"some of {', '.join(CLASSES)}")
    parser.add_argument("--uid", type=int, default=63400, help="GRADWALK_SANDBOX_UID of the server")
    args = parser.parse_args()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**DEFAULT_LIMITS, "GRADWALK_SANDBOX_UID": str(args.uid)}
    with tempfile.TemporaryDirectory() as data, open(Path(data) / "server.log", "wb") as log:
        server = start_server(port, data, args.workers, log, env)
        try:
            with client(base, "127.0.0.3") as c:
                ids = {
                    name: c.post("/api/runs", json={"code": code}).json()["id"]
                    for name, code in (("stored", SEED), ("big", CHAIN), ("wide", WIDE))
                }
            print("| class | request | alone p50 | p95 | with p50 | p95 | x p50 | x p95 | server cores | hostile got |")
            print("|---|---|---|---|---|---|---|---|---|---|")
            forked = multiprocessing.get_context("fork")
            for k, name in enumerate(args.classes.split(","), start=10):
                began, cpu = time.monotonic(), server_cores(server.pid)
                alone = benign(base, f"127.0.{k}.5", ids, args.seconds)
                cores_alone = (server_cores(server.pid) - cpu) / (time.monotonic() - began)
                results = forked.Queue()
                until = time.monotonic() + args.seconds + 1
                hostile = forked.Process(target=_hostile, args=(name, base, f"127.0.{k}.9", port, ids, until, results))
                hostile.start()
                time.sleep(1)
                began, cpu = time.monotonic(), server_cores(server.pid)
                together = benign(base, f"127.0.{k}.6", ids, args.seconds)
                cores_with = (server_cores(server.pid) - cpu) / (time.monotonic() - began)
                got = results.get(timeout=120)
                hostile.join(30)
                for op in BENIGN_OPS:
                    a50, a95, w50, w95 = (quantile(t, q) for t in (alone[op], together[op]) for q in (0.5, 0.95))
                    print(
                        f"| {name} | {op} | {a50:.1f} | {a95:.1f} | {w50:.1f} | {w95:.1f} | {w50 / a50:.1f} | "
                        f"{w95 / a95:.1f} | {cores_alone:.2f} / {cores_with:.2f} | {dict(sorted(got.items()))} |",
                        flush=True,
                    )
                time.sleep(2)
        finally:
            stop_server(server)


if __name__ == "__main__":
    main()
