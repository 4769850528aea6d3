"""Helpers the test modules share (fixtures are in conftest.py): paths, a real `gradwalk serve` on loopback, and
small readers of Runs. No test module imports another test module; they all import from here."""

import contextlib
import os
import resource
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import orjson
import pytest

from app.gc_pause import gc_paused

ROOT = Path(__file__).resolve().parents[1]
SEED_DIR = ROOT / "app" / "examples"  # the seed's six examples, byte for byte as users paste them
SEED_FILES = sorted(SEED_DIR.glob("[0-9]_*.py"))
POSTGRES = os.environ.get("GRADWALK_TEST_DATABASE_URL")  # make test starts one (tests/postgres.sh)
SQUARE = "x = torch.tensor(2.0, requires_grad=True)\ny = x ** 2\ny.backward()\n"
CAPTURE = {"max_nodes": 1_000_000, "max_elements": 1_000_000, "max_output_bytes": 1 << 20}  # nothing is cut


def _why_no_jail() -> str | None:
    """Why the jailed workers cannot run on this machine, or None where they can: they need root, bubblewrap, and
    namespaces the kernel lets bubblewrap make (a container may forbid them)."""
    if os.geteuid() != 0:
        return "the sandbox gives each worker its own uid: it needs root"
    if shutil.which("bwrap") is None:
        return "bubblewrap (`bwrap`) is not installed (make test installs it)"
    probe = ["bwrap", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--ro-bind", "/", "/", "true"]
    made = subprocess.run(probe, capture_output=True, timeout=60, check=False)
    if made.returncode != 0:
        return f"bubblewrap cannot make namespaces here: {made.stderr.decode(errors='replace').strip()}"
    return None


NO_JAIL = _why_no_jail()
CAN_JAIL = NO_JAIL is None
needs_jail = pytest.mark.skipif(not CAN_JAIL, reason=f"the jailed workers cannot run here: {NO_JAIL}")


def loads(data: bytes) -> dict:
    """A Run's JSON as plain values, with the cycle collector off meanwhile, as `parse_run` has it: a big Run is
    millions of objects, which the collector walked again and again as they were made (a 20k-deep chain's Run took
    1.0 s of CPU to load, 0.27 s without)."""
    with gc_paused():
        run: dict = orjson.loads(data)
        return run


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def serve(
    data_dir: Path,
    port: int,
    database: str = "",
    *,
    uid: int = 61120,
    workers: int = 1,
    env: dict[str, str] | None = None,
    open_files: int | None = None,
    log: Path | None = None,
) -> subprocess.Popen[bytes]:
    """A real `gradwalk serve` on 127.0.0.1:`port`, returned once /healthz answers; `env` adds variables,
    `open_files` starts it with that soft limit on open files (as a default shell gives, often 1024), `log` keeps what
    it writes to standard error. Where the
    jail cannot run (no root, no bubblewrap) its workers run without it (GRADWALK_SANDBOX=off): for tests of the
    server, not of isolation."""
    environment = {
        **os.environ,
        "GRADWALK_DATA_DIR": str(data_dir),
        "GRADWALK_WORKERS": str(workers),
        "GRADWALK_DATABASE_URL": database,
        "GRADWALK_SANDBOX_UID": str(uid),
        "GRADWALK_SANDBOX": "on" if CAN_JAIL else "off",
        **(env or {}),
    }

    def limit_open_files() -> None:
        if open_files is not None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (open_files, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))

    written = log.open("wb") if log is not None else None
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "app", "serve", "--port", str(port)],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=written if written is not None else subprocess.DEVNULL,
            preexec_fn=limit_open_files,
        )
    finally:
        if written is not None:
            written.close()  # (the server has its own copy)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)  # polling for the server to come up
    process.kill()
    raise AssertionError(f"gradwalk serve did not become healthy (exit status {process.poll()})")


def stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    server.wait(30)


def flat(data: object) -> list[object]:
    if isinstance(data, list):
        return [v for item in data for v in flat(item)]
    return [data]


def grad_of(run: dict, var: str) -> list[object]:
    """The gradient of the last tensor named `var` in a Run's JSON, as a flat list."""
    node = [n for n in run["forward"]["nodes"] if n.get("var") == var][-1]
    return flat(node["grad"]["data"])


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


@contextlib.contextmanager
def cpu_clock() -> Iterator[Callable[[], float]]:
    """This thread's CPU seconds since the block began (a loaded machine does not stretch them), with the cycle
    collector paused as the server pauses it around the same work (gc_paused). A full collection walks every object
    the test session still holds: late in CI's run, one made a 1 s naming take 1.8 s and broke a bound measured beside
    it."""
    with gc_paused():
        started = time.thread_time()
        yield lambda: time.thread_time() - started
