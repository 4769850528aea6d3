"""What the image tests share: podman with a time limit on every call, HTTP on loopback, checks that are
counted, and the cleanup of everything a test made.

Standard library only: the tests run with the machine's python3, outside the project's virtualenv. Every
container, pod, volume, network and secret a test makes carries the label LABEL, and whatever a killed earlier
run left behind is removed before a new run starts, so a second run never trips over the first.
"""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
IMAGE = os.environ.get("IMAGE", "gradwalk")
LABEL = "org.gradwalk.test=image"
SEED = ROOT / "app" / "examples"


class Failed(AssertionError):
    pass


def log(message: str) -> None:
    print(message, flush=True)


def podman(*args: str, timeout: float = 120, check: bool = True, quiet: bool = False) -> subprocess.CompletedProcess:
    """`podman ARGS`, ended after `timeout` seconds (deploy/image/podman.sh set podman up for this host)."""
    try:
        done = subprocess.run(["podman", *args], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        raise Failed(f"podman {' '.join(args)}: no answer in {timeout:.0f} s") from exc
    if check and done.returncode != 0:
        raise Failed(f"podman {' '.join(args)} exited {done.returncode}: {done.stderr.strip()[-2000:]}")
    if not quiet and done.returncode != 0:
        log(f"   (podman {' '.join(args[:3])} ... exited {done.returncode}: {done.stderr.strip()[-300:]})")
    return done


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method: str, url: str, body: dict | None = None, timeout: float = 60) -> tuple[int, dict, bytes]:
    """One request; the status, headers and body, also for 4xx and 5xx. Loopback addresses only."""
    assert url.startswith("http://127.0.0.1:"), url
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def wait_healthy(base: str, timeout: float, alive=None) -> tuple[float, dict]:
    """Poll /healthz until it answers 200; the seconds it took and its JSON. `alive()` may say the server died."""
    started = time.monotonic()
    last = "no answer"
    while time.monotonic() - started < timeout:
        try:
            status, _, body = http("GET", f"{base}/healthz", timeout=5)
            if status == 200:
                return time.monotonic() - started, json.loads(body)
            last = f"{status} {body[:200]!r}"
        except OSError as exc:
            last = str(exc)
        if alive is not None and not alive():
            raise Failed(f"the server stopped before /healthz answered 200 (last: {last})")
        time.sleep(0.25)
    raise Failed(f"/healthz did not answer 200 in {timeout:.0f} s (last: {last})")


# -- the seed's six examples, with the tutorial's numbers (shared/seed/README.md) --------------------------------


def flat(data) -> list:
    if isinstance(data, list):
        return [v for item in data for v in flat(item)]
    return [data]


def last_named(run: dict, var: str) -> dict:
    found = [n for n in run["forward"]["nodes"] if n["kind"] == "tensor" and n["var"] == var]
    if not found:
        raise Failed(f"no tensor named {var} in run {run.get('id')}")
    return found[-1]


def close(actual, expected, what: str) -> None:
    actual = flat(actual)
    if len(actual) != len(expected) or any(
        abs(a - e) > 1e-4 * max(1.0, abs(e)) for a, e in zip(actual, expected, strict=True)
    ):
        raise Failed(f"{what}: expected {expected}, got {actual}")


def value(run, var):
    return last_named(run, var)["value"]["data"]


def grad(run, var):
    summary = last_named(run, var)["grad"]
    if summary is None:
        raise Failed(f"{var} has no gradient in run {run.get('id')}")
    return summary["data"]


def check_seed(name: str, run: dict) -> None:
    """The tutorial's numbers on the nodes of the Run the API gave for seed example `name`."""
    if run["status"] != "ok":
        raise Failed(f"{name}: status {run['status']}: {run.get('error')}")
    if name == "1_scalar.py":
        close(value(run, "y"), [4.0], "y")
        close(grad(run, "x"), [4.0], "x.grad")
    elif name == "2_vector.py":
        close(grad(run, "x"), [2.0, 4.0, 6.0], "x.grad")
    elif name == "3_no_grad.py":
        if last_named(run, "y")["requires_grad"] is not False or run["stdout"] != "False\n":
            raise Failed("3_no_grad: y.requires_grad should be False")
    elif name == "4_detach.py":
        if last_named(run, "y")["requires_grad"] is not True or last_named(run, "y_detached")["requires_grad"]:
            raise Failed("4_detach: y should require grad, y_detached not")
    elif name == "5_linear_1d.py":
        close(value(run, "y_pred"), [2.0], "y_pred")
        close(value(run, "loss"), [1.0], "loss")
        close(grad(run, "w"), [-2.0], "w.grad")
        close(grad(run, "x"), [-4.0], "x.grad")
    elif name == "6_linear_2d.py":
        close(value(run, "y_pred"), [1.9, 3.7], "y_pred")
        close(value(run, "loss"), [165.65], "loss")
        close(grad(run, "W"), [-73.3, -97.7, -122.1], "W.grad")
        close(grad(run, "b"), [-24.4], "b.grad")
    else:
        raise Failed(f"unknown seed example {name}")


SEED_NAMES = [
    f"{n}_{s}.py" for n, s in enumerate(("scalar", "vector", "no_grad", "detach", "linear_1d", "linear_2d"), 1)
]


def seed_code(name: str) -> str:
    return (SEED / name).read_text(encoding="utf-8")


# -- counted checks ----------------------------------------------------------------------------------------------


class Checks:
    """Named checks, each counted as passed or failed; a failed one is reported and the next ones still run,
    unless it is marked `essential` (then the test stops: nothing after it could work)."""

    def __init__(self, title: str):
        self.title = title
        self.passed = 0
        self.failed: list[str] = []
        self.numbers: list[str] = []

    def check(self, name: str, function, *, essential: bool = False):
        started = time.monotonic()
        try:
            result = function()
        except (Failed, AssertionError, OSError, KeyError, ValueError, TypeError) as exc:
            self.failed.append(name)
            log(f"FAIL {name} ({time.monotonic() - started:.1f} s): {type(exc).__name__}: {exc}")
            if essential:
                raise Stop(name) from exc
            return None
        self.passed += 1
        log(f"ok   {name} ({time.monotonic() - started:.1f} s)")
        return result

    def number(self, text: str) -> None:
        self.numbers.append(text)
        log(f"     {text}")

    def summary(self) -> int:
        log("")
        for text in self.numbers:
            log(f"{self.title}: {text}")
        if self.failed:
            log(f"{self.title}: failed: {', '.join(self.failed)}")
        log(f"{self.title}: {self.passed} passed, {len(self.failed)} failed")
        return 1 if self.failed else 0


class Stop(Exception):
    pass


def on_signals_exit() -> None:
    """SIGTERM and SIGHUP end the test like Ctrl-C does: through the `finally` that cleans up."""

    def handler(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, handler)


def remove_leftovers() -> None:
    """Whatever an earlier run that was killed left behind: every container and volume the tests make carries
    LABEL (the pods of the Kubernetes test are removed by tests/image/kube.py itself)."""
    listed = podman("ps", "-a", "--filter", f"label={LABEL}", "--format", "{{.Names}}", check=False, quiet=True)
    for name in listed.stdout.split():
        log(f"   removing the container {name}, left by an earlier run")
        podman("rm", "-f", "-v", "-t", "0", name, check=False, timeout=120)
    for name in podman("volume", "ls", "-q", "--filter", f"label={LABEL}", check=False, quiet=True).stdout.split():
        log(f"   removing the volume {name}, left by an earlier run")
        podman("volume", "rm", "-f", name, check=False)


def run_main(main) -> None:
    on_signals_exit()
    try:
        code = main()
    except KeyboardInterrupt as exc:
        log(f"interrupted: {exc}")
        code = 130
    sys.exit(code)


@contextlib.contextmanager
def cleanup(*actions):
    """Run every action on the way out, whatever happened; an action that fails does not stop the others."""
    try:
        yield
    finally:
        for action in actions:
            try:
                action()
            except Exception as exc:
                log(f"   cleanup: {exc}")
