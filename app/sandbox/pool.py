"""The server side of the sandbox: starts jailed workers, hands each run to a free one, turns what came back
into a Run. Never imports torch and never runs user code.
"""

import contextlib
import logging
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from pydantic import ValidationError

from ..graph import Run, parse_run
from ..settings import Settings
from . import protocol

log = logging.getLogger("gradwalk.sandbox")
UNSANDBOXED_WARNING = (
    "GRADWALK_SANDBOX=off: snippets run WITHOUT the jail (no namespaces, no separate uid; rlimits and seccomp "
    "only). Anyone who can submit code can read this machine's files. Use this only alone, on your own machine."
)


class SandboxUnavailable(RuntimeError):
    """Isolation cannot be set up here; the message says what is missing."""


class Overloaded(RuntimeError):
    """Every worker is busy and the queue is full: the caller should come back later."""


def _parents(path: str) -> list[str]:
    parts = Path(path).parts[1:-1]
    return ["/" + "/".join(parts[: i + 1]) for i in range(len(parts))]


JAIL_HOME = "/gradwalk"  # where the jail shows the virtualenv and the app package, wherever they are on the host


def jail_command(settings: Settings, index: int) -> list[str]:
    """The bubblewrap command that runs worker `index`: fresh pid, net, ipc and uts namespaces; read-only
    binds of what Python, torch and gradwalk need and nothing else; a size-limited private /tmp; an empty
    environment; then `setpriv` drops to the worker's own non-root uid, with no capabilities left, before
    Python starts.

    The virtualenv and the app package appear at fixed places under /gradwalk (a checkout under the host's
    /tmp would otherwise be hidden by the jail's own /tmp); the Python installation the virtualenv was made
    from keeps its own path, which the virtualenv's `python` link and `pyvenv.cfg` point to."""
    import app

    package = str(Path(app.__file__).resolve().parent)
    python_home = str(Path(sys.base_prefix).resolve())
    venv = f"{JAIL_HOME}/venv"
    binds = [(sys.prefix, venv), (package, f"{JAIL_HOME}/app")]
    if not python_home.startswith("/usr/"):
        binds.append((python_home, python_home))
    targets = [target for _, target in binds]
    parents = sorted({p for t in targets for p in _parents(t + "/x")}, key=lambda p: p.count("/"))
    uid = settings.sandbox_uid + index
    environment = {
        "PATH": "/usr/bin",
        "HOME": "/tmp",
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
    }
    command = [
        "bwrap",
        "--unshare-pid",
        "--unshare-net",
        "--unshare-ipc",
        "--unshare-uts",
        "--unshare-cgroup-try",
        "--hostname",
        "gradwalk",
        "--die-with-parent",
        "--new-session",
        "--clearenv",
    ]
    for name, value in environment.items():
        command += ["--setenv", name, value]
    command += [
        "--ro-bind",
        "/usr",
        "/usr",
        "--symlink",
        "usr/lib",
        "/lib",
        "--symlink",
        "usr/lib64",
        "/lib64",
        "--symlink",
        "usr/bin",
        "/bin",
        "--ro-bind",
        "/etc/ld.so.cache",
        "/etc/ld.so.cache",
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--perms",
        "1777",
        "--size",
        str(settings.scratch_mb * 1024 * 1024),
        "--tmpfs",
        "/tmp",
    ]
    for parent in parents:  # bwrap would make them 0700 root-owned: the dropped uid could not pass
        command += ["--perms", "0755", "--dir", parent]
    for source, target in binds:
        command += ["--ro-bind", source, target]
    start = (
        f"import sys; sys.path.insert(0, {JAIL_HOME!r}); from app.sandbox.worker import main; "
        "sys.exit(main(['--isolated']))"
    )
    command += [
        "--remount-ro",
        "/",
        "--cap-add",
        "CAP_SETUID",
        "--cap-add",
        "CAP_SETGID",
        "--cap-add",
        "CAP_SETPCAP",
        "--chdir",
        "/tmp",
        "/usr/bin/setpriv",
        f"--reuid={uid}",
        f"--regid={uid}",
        "--clear-groups",
        "--inh-caps=-all",
        "--bounding-set=-all",
        "--",
        f"{venv}/bin/python",
        "-I",
        "-c",
        start,
    ]
    return command


def check_isolation() -> None:
    """Raise SandboxUnavailable unless bubblewrap and setpriv are here and this process may use them."""
    for tool, package in (("bwrap", "bubblewrap"), ("setpriv", "util-linux")):
        if shutil.which(tool) is None:
            raise SandboxUnavailable(f"`{tool}` is not installed (Debian package {package})")
    if os.geteuid() != 0:
        raise SandboxUnavailable(
            "the sandbox gives each worker its own uid, which needs root to start it "
            "(in a container: run gradwalk as root inside it, see the README)"
        )


def _stack_limit():
    """Before the worker starts: room for the main thread's stack to grow, since torch frees a deep autograd
    graph by recursion (see app.capture)."""
    import resource

    resource.setrlimit(resource.RLIMIT_STACK, (256 * 1024 * 1024, resource.RLIM_INFINITY))


class Launcher:
    """Starts worker processes from one long-lived thread. bubblewrap's --die-with-parent ties a worker's
    life to the thread that started it, so workers must not be started from short-lived threads."""

    def __init__(self):
        self.requests: queue.Queue = queue.Queue()
        threading.Thread(target=self._serve, name="gradwalk-launcher", daemon=True).start()

    def _serve(self):
        while True:
            command, environment, answer = self.requests.get()
            try:
                answer.put(
                    subprocess.Popen(
                        command,
                        stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE,
                        env=environment,
                        close_fds=True,
                        start_new_session=True,
                        preexec_fn=_stack_limit,
                    )
                )
            except OSError as exc:
                answer.put(exc)

    def popen(self, command: list[str], environment: dict) -> subprocess.Popen:
        answer: queue.Queue = queue.Queue()
        self.requests.put((command, environment, answer))
        result = answer.get()
        if isinstance(result, OSError):
            raise SandboxUnavailable(f"cannot start a worker: {result}")
        return result


class Worker:
    """One worker process and the pipes to it. Used by one caller at a time."""

    def __init__(self, settings: Settings, index: int, launcher: Launcher):
        self.settings = settings
        self.index = index
        self.launcher = launcher
        self.runs = 0
        self.process: subprocess.Popen | None = None
        self.hello: dict = {}

    def start(self) -> None:
        isolated = self.settings.sandbox == "on"
        command = jail_command(self.settings, self.index) if isolated else [sys.executable, "-m", "app.sandbox.worker"]
        environment = {} if isolated else {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        self.process = self.launcher.popen(command, environment)
        deadline = time.monotonic() + self.settings.worker_start_timeout_s
        try:
            self.hello = protocol.receive_json(self.process.stdout.fileno(), deadline)
        except protocol.ProtocolError as exc:
            self.stop()
            raise SandboxUnavailable(f"worker {self.index} did not start: {exc}") from None
        if not self.hello.get("ready"):
            self.stop()
            raise SandboxUnavailable(f"worker {self.index} did not start: {self.hello.get('error')}")

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def run(self, job: dict) -> tuple[dict, bytes]:
        """Send a job and wait for its answer; a worker that fails to answer in time is killed."""
        self.runs += 1
        deadline = time.monotonic() + job["timeout_s"] + 10
        try:
            protocol.send_json(self.process.stdin.fileno(), job)
            header = protocol.receive_json(self.process.stdout.fileno(), deadline)
            body = protocol.receive(self.process.stdout.fileno(), job["max_result_bytes"] + 65536, deadline)
        except (protocol.ProtocolError, OSError, ValueError) as exc:
            self.stop()
            return {"outcome": "worker_lost", "detail": str(exc)}, b""
        return header, body

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, 9)  # bubblewrap and everything in the jail: its own session
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5)
        for pipe in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError):
                pipe.close()


def _failure(status: str, kind: str, message: str) -> Run:
    return Run.model_validate(
        {"status": status, "error": {"type": kind, "message": message, "line": None, "column": None}}
    )


class Sandbox:
    """A pool of workers. `run(code)` is safe to call from many threads; `start()` and `stop()` bracket it."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.idle: queue.Queue[Worker] = queue.Queue()
        self.in_flight = 0  # runs holding or waiting for a worker
        self.lock = threading.Lock()
        self.torch_version: str | None = None
        self.launcher = Launcher()
        self.workers: dict[int, Worker] = {}  # by index: the current worker in each slot
        self.stopping = False

    def start(self) -> None:
        if self.settings.sandbox == "on":
            check_isolation()
        else:
            log.warning(UNSANDBOXED_WARNING)
        workers = [Worker(self.settings, i, self.launcher) for i in range(self.settings.worker_count())]
        errors: list[Exception] = []

        def start_one(worker: Worker):
            try:
                worker.start()
                self.workers[worker.index] = worker
                self.idle.put(worker)
            except SandboxUnavailable as exc:
                errors.append(exc)

        threads = [threading.Thread(target=start_one, args=(w,)) for w in workers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            self.stop()
            raise errors[0]
        self.torch_version = workers[0].hello.get("torch_version")

    def healthy(self) -> bool:
        """At least one worker process is alive."""
        return any(worker.alive for worker in list(self.workers.values()))

    def stop(self) -> None:
        """Stop every worker, busy ones included (their runs are answered as lost)."""
        self.stopping = True
        while True:
            try:
                self.idle.get_nowait().stop()
            except queue.Empty:
                break
        for worker in list(self.workers.values()):
            worker.stop()

    def _acquire(self) -> Worker:
        """A free worker; Overloaded at once when every worker is busy and the queue is full."""
        with self.lock:
            if self.in_flight >= self.settings.max_queued_runs + self.settings.worker_count():
                raise Overloaded("every worker is busy and the queue of waiting runs is full")
            self.in_flight += 1
        try:
            return self.idle.get(timeout=self.settings.run_timeout_s * 3 + 30)
        except queue.Empty:
            with self.lock:
                self.in_flight -= 1
            raise Overloaded("no worker became free in time") from None

    def _release(self, worker: Worker) -> None:
        with self.lock:
            self.in_flight -= 1
        if worker.alive and worker.runs < self.settings.worker_max_runs:
            self.idle.put(worker)
            return

        def replace():
            worker.stop()
            if self.stopping:
                return
            fresh = Worker(self.settings, worker.index, self.launcher)
            while not self.stopping:
                try:
                    fresh.start()
                    self.workers[fresh.index] = fresh
                    break
                except SandboxUnavailable:
                    time.sleep(1)
            if self.stopping:
                fresh.stop()
                return
            self.idle.put(fresh)

        threading.Thread(target=replace, name=f"gradwalk-worker-{worker.index}", daemon=True).start()

    def job(self, code: str, max_elements: int | None = None, run_id: str | None = None) -> dict:
        s = self.settings
        capture = s.capture_limits()
        if max_elements is not None:
            capture["max_elements"] = max_elements
        return {
            "op": "run",
            "id": run_id,
            "code": code,
            "timeout_s": s.run_timeout_s,
            "max_result_bytes": s.max_result_bytes,
            "capture": capture,
            "lockdown": {
                "cpu_s": s.run_cpu_s,
                "memory_mb": s.run_memory_mb,
                "file_mb": s.run_file_mb,
                "max_tasks": s.run_max_threads + 2,
            },
        }

    def run(self, code: str, max_elements: int | None = None) -> Run:
        """Run a snippet in a worker: its Run, whatever the snippet did (Overloaded when no worker is free)."""
        return self.run_json(code, max_elements)[0]

    def run_json(self, code: str, max_elements: int | None = None, run_id: str | None = None) -> tuple[Run, bytes]:
        """`run`, and the Run's JSON, with `id` and `code` set: the child's own bytes once they are checked."""
        job = self.job(code, max_elements, run_id)
        worker = self._acquire()
        try:
            header, body = worker.run(job)
        finally:
            self._release(worker)
        run = self.to_run(header, body)
        if header.get("outcome") == "ok" and run.id == run_id and run.code == code:
            return run, body
        run.id, run.code = run_id, code
        return run, run.model_dump_json().encode()

    def to_run(self, header: dict, body: bytes) -> Run:
        """The Run for what a worker reported; the child's JSON is untrusted and validated here."""
        s = self.settings
        outcome = header.get("outcome")
        if outcome == "ok":
            try:
                return parse_run(body)
            except ValidationError:
                fault = body[:300].decode(errors="replace")
                return _failure("error", "SandboxError", f"The run sent back something that is not a Run: {fault}")
        signal_name = header.get("signal")
        if outcome == "timeout":
            return _failure(
                "timeout",
                "Timeout",
                f"The snippet ran longer than {s.run_timeout_s:g} s (GRADWALK_RUN_TIMEOUT_S); gradwalk stopped it.",
            )
        if signal_name in ("SIGXCPU", "SIGKILL") and header.get("cpu_s", 0) >= s.run_cpu_s - 0.5:
            return _failure(
                "timeout",
                "Timeout",
                f"The snippet used more than {s.run_cpu_s} s of CPU time (GRADWALK_RUN_CPU_S); gradwalk stopped it.",
            )
        if outcome == "worker_lost":
            return _failure(
                "error", "SandboxError", "The worker running the snippet stopped answering; it was replaced. Try again."
            )
        if signal_name:
            return _failure("error", "Crash", f"The snippet crashed its process ({signal_name}).")
        return _failure(
            "error",
            "Exit",
            f"The snippet ended its process (exit status {header.get('exit_code')}) "
            "before gradwalk could send its graphs.",
        )
