"""The HTTP API with the seed's 2D example: round trips and runs per second, uncached and cached, against a fresh
Python process that imports torch, in one run.

    python bench/api.py [--seconds 10] [--workers N] [--clients 8] [--requests 200] [--fresh 5]

Starts one server (`python -m app serve`) on 127.0.0.1 with a free port, a temporary data dir (SQLite) and
GRADWALK_WORKERS=--workers (default: one per core), and stops it at the end. Uncached requests must really
run: each one's code is the snippet plus a comment line `# n`, with a counter n, so every request has its own
run id while meaning the same thing. Cached requests post the exact code of a run already stored.

Then the server's check of a worker's Run (decoding it against the models, checking limits, ids and values, and
writing it again, as every run goes through) for a deep MLP of `--layers` layers (10k backward nodes by default),
against its capture and against plain JSON parsing (orjson) of the same bytes, best of 3.

Round trips: one client, one request at a time, `--requests` of each kind (after a warm-up); p50 and p99.
Throughput: `--clients` threads, each with its own keep-alive httpx client, post for `--seconds`; runs/s
counts 201 answers; 503s (overloaded) and other failures are counted apart. The fresh process is
`python -c "import torch; <snippet>"`, median of `--fresh`. Below the table, the cores each part of the
machine kept busy during each runs/s phase (from /proc): this client, the server process, its workers (and
the runs they forked), anything else; the last should be near 0 for numbers worth keeping. The server gets
SQLite and no per-client limits whatever GRADWALK_DATABASE_URL, GRADWALK_RATE_LIMIT_RUNS_PER_MIN,
GRADWALK_MAX_CLIENT_CONCURRENT_RUNS, GRADWALK_WORKERS_KEPT_FOR_OTHERS, GRADWALK_MAX_CLIENT_ANSWERS,
GRADWALK_RATE_LIMIT_STORED_MB_PER_HOUR and the request paces (GRADWALK_RATE_LIMIT_*_REQUESTS_PER_S) say; other
GRADWALK_* settings pass through. Loopback only; needs root, like the sandbox.
"""

import argparse
import contextlib
import itertools
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SNIPPET = (ROOT / "app" / "examples" / "6_linear_2d.py").read_text(encoding="utf-8")
TICK = os.sysconf("SC_CLK_TCK")
unique = itertools.count()  # one counter for the whole run: no uncached request repeats another's code


def uncached_code() -> str:
    """The snippet with a comment line of its own: same meaning, new run id, so the server runs it."""
    return f"{SNIPPET}\n# {next(unique)}\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, data_dir: str, workers: int, log, env: dict | None = None) -> subprocess.Popen:
    """The server as a child process, answering /healthz; raises if it dies or takes over 3 minutes. `env`:
    more GRADWALK_* settings."""
    env = {
        **os.environ,
        "GRADWALK_DATA_DIR": data_dir,
        "GRADWALK_WORKERS": str(workers),
        "GRADWALK_DATABASE_URL": "",  # SQLite in the temporary dir, whatever the caller's environment says
        "GRADWALK_RATE_LIMIT_RUNS_PER_MIN": "0",
        "GRADWALK_MAX_CLIENT_CONCURRENT_RUNS": "0",  # the bench's clients share one address
        "GRADWALK_WORKERS_KEPT_FOR_OTHERS": "0",  # (one client may run in every worker)
        # (and its requests are paced by none of the flood limits: this measures what the server can serve)
        "GRADWALK_RATE_LIMIT_CONNECTION_REQUESTS_PER_S": "0",
        "GRADWALK_RATE_LIMIT_CLIENT_REQUESTS_PER_S": "0",
        "GRADWALK_RATE_LIMIT_STORED_MB_PER_HOUR": "0",
        "GRADWALK_MAX_CLIENT_ANSWERS": "1000",
        **(env or {}),
    }
    command = [sys.executable, "-m", "app", "serve", "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2, trust_env=False).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    stop_server(server)
    raise RuntimeError(f"the server did not answer /healthz (exit status {server.returncode})")


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()  # uvicorn shuts down and the app stops its workers
    try:
        server.wait(15)
    except subprocess.TimeoutExpired:
        server.kill()  # bubblewrap's --die-with-parent takes the workers along
        server.wait(5)


def post(client: httpx.Client, code: str) -> httpx.Response:
    return client.post("/api/runs", json={"code": code})


def round_trips(client: httpx.Client, make_code, count: int) -> list[float]:
    """Seconds for each of `count` sequential POSTs; every one must be a 201 with an ok run."""
    times = []
    for _ in range(count):
        code = make_code()
        started = time.perf_counter()
        response = post(client, code)
        times.append(time.perf_counter() - started)
        assert response.status_code == 201 and response.json()["status"] == "ok", response.text[:300]
    return times


def _stat(pid: str) -> tuple[int, float, float]:
    """A process's parent, its own CPU seconds (user + system, every thread) and its waited children's."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    own, children = int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14])
    return int(fields[1]), own / TICK, children / TICK


def cpu_snapshot(server_pid: int) -> dict[str, float]:
    """CPU seconds used so far by this process, the server process, its process tree below it (bubblewrap,
    the workers and the runs they forked and waited for) and every core of the machine."""
    stats = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stats[int(name)] = _stat(name)
    below, parents = stats[server_pid][2], {server_pid}  # replaced workers' bubblewrap: waited by the server
    for _ in range(16):  # the tree is a few levels deep: bwrap, bwrap's init, the worker
        level = {pid for pid, (ppid, _, _) in stats.items() if ppid in parents and pid not in parents}
        if not level:
            break
        below += sum(stats[pid][1] + stats[pid][2] for pid in level)
        parents |= level
    with open("/proc/stat") as f:
        ticks = [int(v) for v in f.readline().split()[1:8]]
    return {
        "bench client": time.process_time(),
        "server process": stats[server_pid][1],
        "workers": below,
        "machine": (sum(ticks) - ticks[3] - ticks[4]) / TICK,  # all but idle and I/O wait
    }


def throughput(base: str, make_code, clients: int, seconds: float, server_pid: int) -> dict:
    """`clients` threads post for `seconds`: runs/s (201s over the wall time until every thread is done),
    503s, other failures, and the cores each part of the machine kept busy meanwhile."""
    counts = {"ok": 0, "503": 0, "other": 0}
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client_loop():
        with httpx.Client(base_url=base, timeout=60, trust_env=False) as client:
            while time.perf_counter() < deadline:
                try:
                    status = post(client, make_code()).status_code
                    key = "ok" if status == 201 else "503" if status == 503 else "other"
                except httpx.HTTPError:
                    key = "other"
                with lock:
                    counts[key] += 1

    before = cpu_snapshot(server_pid)
    started = time.perf_counter()
    threads = [threading.Thread(target=client_loop) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    after = cpu_snapshot(server_pid)
    cores = {part: (after[part] - before[part]) / wall for part in before}
    cores["anything else"] = cores.pop("machine") - sum(cores.values())
    return {**counts, "per_s": counts["ok"] / wall, "cores": cores}


def quantile(times: list[float], q: int) -> float:
    """The q-th percentile, in ms."""
    return statistics.quantiles(times, n=100, method="inclusive")[q - 1] * 1000


def met(value: float, goal: float) -> str:
    return "met:" if value >= goal else "missed:"


def fresh_process_ms(count: int) -> float:
    """Median ms of `count` fresh `python -c "import torch; <snippet>"` processes."""
    command = [sys.executable, "-c", "import torch\n" + SNIPPET]
    times = []
    for _ in range(count):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def measure(base: str, server_pid: int, workers: int, requests: int, clients: int, seconds: float) -> dict:
    """Round trips (one client, `requests` of each kind) and runs/s (`clients` for `seconds`), uncached and
    cached, against a running server."""
    with httpx.Client(base_url=base, timeout=60, trust_env=False) as client:
        torch_version = client.get("/healthz").json()["torch_version"]
        round_trips(client, uncached_code, 2 * workers)  # warm-up: every worker has run once
        uncached = round_trips(client, uncached_code, requests)
        stored = uncached_code()
        first = post(client, stored).json()
        cached = round_trips(client, lambda: stored, requests)
        assert post(client, stored).json()["id"] == first["id"]
        nodes = (len(first["forward"]["nodes"]), len(first["backward"]["nodes"]))
    busy = throughput(base, uncached_code, clients, seconds, server_pid)
    warm = throughput(base, lambda: stored, clients, seconds, server_pid)
    return {
        "torch_version": torch_version,
        "nodes": nodes,
        "uncached": uncached,
        "cached": cached,
        "busy": busy,
        "warm": warm,
    }


def best_of(runs: int, fn) -> float:
    """The fastest of `runs` calls, in seconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def check_cost(layers: int) -> None:
    """Print what the server's check of a worker's Run costs against the capture that made it."""
    import orjson

    sys.path.insert(0, str(ROOT))
    from app.capture import capture, dumps, wait_until_idle
    from app.gc_pause import gc_paused
    from app.graph import check_run, encode, parse_run
    from app.settings import Settings

    limits = Settings().capture_limits() | {"max_nodes": 1_000_000, "record_cpu_s": 3600.0}
    source = f"model = nn.Sequential(*[m for _ in range({layers}) for m in (nn.Linear(16, 16), nn.ReLU())])\n"
    source += "model(torch.randn(8, 16)).pow(2).mean().backward()\n"

    def captured():
        data = dumps(capture(source, **limits))
        wait_until_idle()
        return data

    data = captured()
    run = parse_run(data)
    nodes = (len(run.forward.nodes), len(run.backward.nodes))
    with gc_paused():
        capture_s = best_of(3, captured)
        decode_s = best_of(3, lambda: parse_run(data))
        check_s = best_of(3, lambda: check_run(run, max_nodes=1_000_000, max_elements=limits["max_elements"]))
        encode_s = best_of(3, lambda: encode(run))
        json_s = best_of(3, lambda: orjson.loads(data))
    total = decode_s + check_s + encode_s
    print(
        f"\nthe server's check of a worker's Run: {layers}-layer MLP, {nodes[1]:,} backward nodes (+ {nodes[0]:,} fwd),"
    )
    print(f"{len(data) / 2**20:.1f} MiB of JSON; best of 3\n")
    print("| step | time (s) | ÷ capture | ÷ orjson.loads |")
    print("|---|---:|---:|---:|")
    for label, seconds in (
        ("decode against the models (msgspec)", decode_s),
        ("check limits, ids and values", check_s),
        ("write again (msgspec)", encode_s),
        ("all three", total),
        ("capture (in process)", capture_s),
        ("orjson.loads (plain JSON, no check)", json_s),
    ):
        print(f"| {label} | {seconds:.3f} | {seconds / capture_s:.2f}x | {seconds / json_s:.2f}x |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10, help="duration of each throughput phase")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="GRADWALK_WORKERS")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients for runs/s")
    parser.add_argument("--requests", type=int, default=200, help="sequential requests per round-trip measure")
    parser.add_argument("--fresh", type=int, default=5, help="fresh `python -c` processes (median)")
    parser.add_argument("--layers", type=int, default=2000, help="layers of the MLP whose Run is checked")
    args = parser.parse_args()

    fresh_ms = fresh_process_ms(args.fresh)
    with tempfile.TemporaryDirectory(prefix="gradwalk-bench-") as data_dir:
        log_path = Path(data_dir) / "server.log"
        with open(log_path, "wb") as log:
            port = free_port()
            server = None
            try:
                server = start_server(port, data_dir, args.workers, log)
                m = measure(
                    f"http://127.0.0.1:{port}", server.pid, args.workers, args.requests, args.clients, args.seconds
                )
            except BaseException:
                log.flush()
                sys.stderr.write(log_path.read_text(errors="replace")[-4000:])
                raise
            finally:
                if server is not None:
                    stop_server(server)
    uncached, cached, busy, warm = m["uncached"], m["cached"], m["busy"], m["warm"]

    print(
        f"seed 2D example over HTTP; {os.cpu_count()} cores, {args.workers} workers, torch {m['torch_version']}; "
        f"round trips: 1 client, {args.requests} requests each; runs/s: {args.clients} clients, "
        f"{args.seconds:g} s each; fresh process: median of {args.fresh}\n"
    )
    print("| path | p50 (ms) | p99 (ms) | fresh / p50 (goal) | runs/s (goal) | 503 | other errors |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    rows = (
        ("uncached POST /api/runs (new `# n` line each)", uncached, busy, 50, 80),
        ("cached POST /api/runs (same code again)", cached, warm, None, 1000),
    )
    for label, times, load, ratio_goal, rate_goal in rows:
        p50 = quantile(times, 50)
        ratio = f"{fresh_ms / p50:.0f}x" + (
            f" ({met(fresh_ms / p50, ratio_goal)} ≥ {ratio_goal}x)" if ratio_goal else ""
        )
        rate = f"{load['per_s']:.0f} ({met(load['per_s'], rate_goal)} ≥ {rate_goal})"
        print(
            f"| {label} | {p50:.1f} | {quantile(times, 99):.1f} | {ratio} | {rate} | {load['503']} | {load['other']} |"
        )
    print(f'| fresh `python -c "import torch; ..."` | {fresh_ms:.1f} | | 1x | | | |')
    print()
    for name, load in (("uncached", busy), ("cached", warm)):
        split = ", ".join(f"{part} {cores:.2f}" for part, cores in load["cores"].items())
        print(f"cores busy during the {name} runs/s phase: {split}")
    check_cost(args.layers)


if __name__ == "__main__":
    main()
