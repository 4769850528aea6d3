"""The server side of the sandbox: starts jailed workers, hands each run to a free one, turns what came back
into a Run. Never imports torch and never runs user code.
"""

import collections
import contextlib
import itertools
import json
import logging
import os
import queue
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any, NamedTuple, cast, overload

from ..apart import Apart
from ..fold import fold_run
from ..graph import (
    BackwardGraph,
    ForwardGraph,
    GroupNode,
    Hint,
    InvalidRun,
    Run,
    RunError,
    check_run,
    encode,
    failed_run,
    parse_run,
)
from ..limits import spent_elsewhere
from ..settings import Settings
from . import protocol
from .jail import jail_command
from .uids import UidClaim, claim_uids

log = logging.getLogger("gradwalk.sandbox")
UNSANDBOXED_WARNING = (
    "GRADWALK_SANDBOX=off: snippets run WITHOUT the jail (no namespaces, no separate uid; rlimits and seccomp "
    "only). Anyone who can submit code can read this machine's files. Use this only alone, on your own machine."
)


_whose = threading.local()  # the client a thread's runs are for (`runs_for`), and when its run got its worker


@contextlib.contextmanager
def runs_for(client: str) -> Iterator[None]:
    """The runs this thread asks the pool for within the block are `client`'s (`FairIdle` hands workers by it)."""
    _whose.client = client
    try:
        yield
    finally:
        _whose.client = ""


class Waiter(NamedTuple):
    handed: threading.Event
    slot: "list[Any]"  # (the worker handed over, and when)
    client: str
    order: int


class PushedOut(queue.Empty):
    """A waiting run gave its place in a full queue to a run of a client of shorter runs (`FairIdle.push_out`)."""


class FairIdle:
    """Free workers, handed to the runs waiting for one: first to the run whose client's runs held a worker the
    shortest time lately (a mean over its last runs, `WEIGHT` to the newest; a run still running counts as far as it
    has gone; a client not seen yet counts `NEW_S`), and among equals to the run that began to wait first. So a run
    that asks later never takes a worker freed while a run of a client like it was waiting (with a plain queue, a
    flood of one client's requests could take each freed worker first and push another client's run back again and
    again), and a client of many addresses cannot push a client of short runs back either: twelve addresses each
    kept a 10 s run going and one waiting, within every per-client limit, and another client's 35 ms run waited
    behind all of them, 56 s; it now waits for the next worker freed (at most a run's time limit, 8.7 s at the
    median against that flood). Ordering by the total each client held in a window did not do: the twelve held a
    worker a minute each and were even with a client new to the server. A client's longest run of the last
    `LONGEST_KEPT_S` counts as long as the mean: runs that end at once cost a client next to nothing, and eight of
    them after each 10 s run took its mean under a 0.3 s client's, so its 10 s runs took every worker freed before
    that client's. Runs asked for without a client (`runs_for`: the command line's) are one client, in the order they
    wait."""

    WEIGHT = 0.25
    NEW_S = 1.0  # (a client of many addresses has as many new ones: each is not known to be quick)
    LONGEST_KEPT_S = 300.0  # a client's longest run counts this long after it ended, whatever its runs since
    MAX_CLIENTS = 100_000  # past it, the client heard from longest ago is forgotten

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.free: collections.deque[Worker] = collections.deque()
        self.waiting: list[Waiter] = []
        self.order = itertools.count()
        self.held_s: dict[str, float] = {}  # client -> its runs' mean seconds holding a worker, newest last
        self.longest: dict[str, tuple[float, float]] = {}  # client -> its longest recent run's seconds, when it ended
        self.running: dict[str, list[float]] = {}  # client -> when each of its runs holding a worker got it

    def put(self, worker: "Worker") -> None:
        with self.lock:
            if not self.waiting:
                self.free.append(worker)
                return
            now = time.monotonic()
            chosen = min(self.waiting, key=lambda w: (self.expected_s(w.client, now), w.order))
            self.waiting.remove(chosen)
            self.running.setdefault(chosen.client, []).append(now)
            chosen.slot.extend((worker, now))
            chosen.handed.set()

    def get(self, timeout: float) -> "Worker":
        """The next free worker, waiting at most `timeout` seconds (queue.Empty then), for this thread's client
        (`runs_for`); give it back with `ran`, then `put`."""
        client = getattr(_whose, "client", "")
        with self.lock:
            if self.free:
                _whose.began = time.monotonic()
                self.running.setdefault(client, []).append(_whose.began)
                return self.free.popleft()
            waiter = Waiter(threading.Event(), [], client, next(self.order))
            self.waiting.append(waiter)
        waiter.handed.wait(timeout)
        with self.lock:
            if waiter.slot:  # (handed over, perhaps just as the wait ended)
                _whose.began = waiter.slot[1]
                return cast("Worker", waiter.slot[0])
            if waiter not in self.waiting:
                raise PushedOut()
            self.waiting.remove(waiter)
        raise queue.Empty

    def push_out(self) -> bool:
        """Whether a waiting run gave its place to this thread's: the queue is full, and a run whose client's runs
        hold a worker longer than this thread's client's is told so (PushedOut, in its `get`). Forty addresses each
        keeping a 10 s run going or waiting kept the queue full, and another client's every run was refused (503)
        while theirs were served."""
        with self.lock:
            now = time.monotonic()
            mine = self.expected_s(getattr(_whose, "client", ""), now)
            longer = [w for w in self.waiting if self.expected_s(w.client, now) > mine]
            if not longer:
                return False
            out = max(longer, key=lambda w: (self.expected_s(w.client, now), w.order))
            self.waiting.remove(out)
            out.handed.set()
            return True

    def ran(self) -> None:
        """This thread's run (`get`) has given its worker back: its time counts for its client. Its own time: a
        client's run ending took the time of its run that had held a worker the longest, so a client of two runs at
        once that ended quick runs while a long one ran was seen to hold workers a moment at each run."""
        client = getattr(_whose, "client", "")
        with self.lock:
            began = getattr(_whose, "began", None)
            _whose.began = None
            if began in self.running[client]:
                self.running[client].remove(began)
            else:
                began = self.running[client].pop(0)
            if not self.running[client]:
                del self.running[client]
            now = time.monotonic()
            held_s = now - began
            mean = self.held_s.pop(client, held_s)
            self.held_s[client] = mean + (held_s - mean) * self.WEIGHT
            if len(self.held_s) > self.MAX_CLIENTS:
                del self.held_s[next(iter(self.held_s))]
            longest = self.longest.pop(client, (0.0, now))
            if held_s >= longest[0] or now - longest[1] > self.LONGEST_KEPT_S:
                longest = (held_s, now)
            self.longest[client] = longest  # (newest last)
            if len(self.longest) > self.MAX_CLIENTS:
                del self.longest[next(iter(self.longest))]

    def expected_s(self, client: str, now: float) -> float:
        """How long `client`'s runs hold a worker, as far as is known (under the lock)."""
        running = max((now - began for began in self.running.get(client, ())), default=0.0)
        longest, ended = self.longest.get(client, (0.0, now))
        recent = longest if now - ended <= self.LONGEST_KEPT_S else 0.0
        return max(self.held_s.get(client, self.NEW_S), running, recent)

    def get_nowait(self) -> "Worker":
        with self.lock:
            if self.free:
                return self.free.popleft()
        raise queue.Empty

    def qsize(self) -> int:
        return len(self.free)

    @property
    def queue(self) -> "list[Worker]":
        """The free workers now (as `queue.Queue` names them)."""
        with self.lock:
            return list(self.free)


# The decoder's reason a child's Run is refused quotes what it refused (an unknown field's name, a value not of its
# enum), and a child chooses those: an unknown field named with 11 MB became the stored run's error message, far past
# the GRADWALK_MAX_OUTPUT_BYTES any error message keeps. The reason is cut to this many characters.
REASON_CHARS = 300


def _cut(reason: str) -> str:
    """`reason` cut to REASON_CHARS characters, saying so."""
    return reason if len(reason) <= REASON_CHARS else f"{reason[:REASON_CHARS]}… ({len(reason)} characters)"


class SandboxUnavailable(RuntimeError):
    """Isolation cannot be set up here; the message says what is missing."""


class Overloaded(RuntimeError):
    """Every worker is busy and the queue is full: the caller should come back later."""


def check_isolation() -> None:
    """Raise SandboxUnavailable unless bubblewrap, setpriv and mount (the jail limits its /tmp's files with it) are
    here and this process may use them."""
    for tool, package in (("bwrap", "bubblewrap"), ("setpriv", "util-linux"), ("mount", "mount")):
        if shutil.which(tool) is None:
            raise SandboxUnavailable(f"`{tool}` is not installed (Debian package {package})")
    if os.geteuid() != 0:
        raise SandboxUnavailable(
            "the sandbox gives each worker its own uid, which needs root to start it "
            "(in a container: run gradwalk as root inside it, see the README)"
        )


def _stack_limit() -> None:
    """Before the worker starts: room for the main thread's stack to grow, since torch frees a deep autograd
    graph by recursion (see app.capture)."""
    import resource

    resource.setrlimit(resource.RLIMIT_STACK, (256 * 1024 * 1024, resource.RLIM_INFINITY))


class Launcher:
    """Starts worker processes from one long-lived thread. bubblewrap's --die-with-parent ties a worker's
    life to the thread that started it, so workers must not be started from short-lived threads."""

    def __init__(self) -> None:
        self.requests: queue.Queue[tuple[list[str], dict[str, str], int, queue.Queue[Any]]] = queue.Queue()
        threading.Thread(target=self._serve, name="gradwalk-launcher", daemon=True).start()

    def _serve(self) -> None:
        while True:
            command, environment, channel, answer = self.requests.get()
            try:
                answer.put(
                    subprocess.Popen(
                        command,
                        stdin=channel,
                        env=environment,
                        close_fds=True,
                        start_new_session=True,
                        preexec_fn=_stack_limit,
                    )
                )
            except OSError as exc:
                answer.put(exc)

    def popen(self, command: list[str], environment: dict[str, str], channel: int) -> subprocess.Popen[bytes]:
        """Start `command` with `channel` (a socket) as its standard input."""
        answer: queue.Queue[subprocess.Popen[bytes] | OSError] = queue.Queue()
        self.requests.put((command, environment, channel, answer))
        result = answer.get()
        if isinstance(result, OSError):
            raise SandboxUnavailable(f"cannot start a worker: {result}")
        return result


SETTLE_TIMEOUT_S = 30.0  # longest a worker may take to end a child, fork the next and wipe the scratch


class Worker:
    """One worker process, the socket to it and the pipes of its next child. Used by one caller at a time.

    A run: `run(job)` writes the job into the child's pipe and reads its Run from the other, then asks the worker
    for the next child (`next`); `settle()` takes the worker's answer (how the child ended, whether the scratch
    directory is empty). `reusable` says whether the worker may take another run."""

    def __init__(self, settings: Settings, index: int, launcher: Launcher, once: bool = False):
        self.settings = settings
        self.once = once  # a worker for one run (the CLI): no warm-up that pays only over many runs
        self.index = index
        self.launcher = launcher
        self.runs = 0
        self.process: subprocess.Popen[bytes] | None = None
        self.channel: socket.socket | None = None
        self.hello: dict[str, Any] = {}
        self.job_w = self.result_r = -1  # the pipes of the next child
        self.pending = False  # an answer to `next` not read yet
        self.reusable = True
        self.problem: str | None = None  # why the worker was retired

    def start(self) -> None:
        isolated = self.settings.sandbox == "on"
        flags = [f"--page-tables-mb={self.settings.run_page_tables_mb}", f"--memory-mb={self.settings.run_memory_mb}"]
        flags += ["--once"] if self.once else []
        if isolated:
            command = jail_command(self.settings, self.index, flags)
        else:
            command = [sys.executable, "-m", "app.sandbox.worker", *flags]
        environment = {} if isolated else {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        self.channel, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self.process = self.launcher.popen(command, environment, theirs.fileno())
        finally:
            theirs.close()
        deadline = time.monotonic() + self.settings.worker_start_timeout_s
        try:
            self.hello, _ = protocol.receive_message(self.channel, deadline)
            if self.hello.get("ready"):
                self._next()
                self.settle()
        except (protocol.ProtocolError, OSError) as exc:
            self.stop()
            raise SandboxUnavailable(f"worker {self.index} did not start: {exc}") from None
        if not self.hello.get("ready") or not self.reusable:
            self.stop()
            raise SandboxUnavailable(f"worker {self.index} did not start: {self.hello.get('error') or self.problem}")

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    @property
    def _socket(self) -> socket.socket:
        if self.channel is None:
            raise OSError("the worker has no socket")
        return self.channel

    def _next(self) -> None:
        """Hand the worker the pipes of its next child; it answers once the last child is gone (`settle`). If it
        cannot (a worker gone, no descriptor left), none of the pipes stays open: the server's ends stayed, two
        descriptors for each worker that died."""
        job_r, job_w = os.pipe()
        try:
            result_r, result_w = os.pipe()
        except BaseException:
            os.close(job_r)
            os.close(job_w)
            raise
        try:
            protocol.send_message(self._socket, {"op": "next"}, [job_r, result_w])
        except BaseException:
            os.close(job_w)
            os.close(result_r)
            raise
        finally:
            os.close(job_r)
            os.close(result_w)
        self.job_w, self.result_r = job_w, result_r
        self.pending = True

    def settle(self) -> dict[str, Any]:
        """The worker's answer to the last `next`: how the child ended ({} if unknown). A worker that does not
        answer in time, or whose scratch directory is not empty, is retired."""
        if not self.pending:
            return {}
        self.pending = False
        try:
            answer, fds = protocol.receive_message(self._socket, time.monotonic() + SETTLE_TIMEOUT_S)
        except (protocol.ProtocolError, OSError) as exc:
            self.retire(f"the worker did not answer: {exc}")
            return {}
        for fd in fds:
            os.close(fd)
        if answer.get("scratch") is not None:
            self.retire(f"its scratch directory could not be emptied ({answer['scratch']})")
        return answer.get("ended") or {}

    def retire(self, problem: str) -> None:
        if self.reusable:
            log.warning("worker %d is replaced: %s", self.index, problem)
        self.reusable, self.problem = False, problem

    def run(self, job: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
        """Give the job to the waiting child and read its Run; the child then ends and the next one is forked.
        The header says how the run ended: `outcome` ok, timeout, no_result or worker_lost, and for all but ok
        the child's end (`signal` or `exit_code`, `cpu_s`)."""
        self.runs += 1
        started = time.monotonic()
        deadline = started + job["timeout_s"]
        header: dict[str, Any] = {"outcome": "ok"}
        body = b""
        child_job = {
            key: job[key]
            for key in ("code", "capture", "lockdown", "max_result_bytes", "max_edges", "timeout_s", "torch_threads")
        }
        try:
            protocol.send(self.job_w, json.dumps(child_job).encode(), deadline)
            # The run's clock starts when the child says it has its job (an empty frame), on both sides: a spare child
            # finishing a step of its warm-up on a loaded host woke to it up to 0.3 s late, and the server's clock,
            # started here, killed it while it made the Run it had stopped in time for by its own.
            protocol.receive(self.result_r, 0, deadline)
            deadline = time.monotonic() + job["timeout_s"]
            body = protocol.receive(self.result_r, job["max_result_bytes"] + 65536, deadline)
        except (protocol.ProtocolError, OSError) as exc:
            header["outcome"] = "timeout" if time.monotonic() >= deadline else "no_result"
            header["detail"] = str(exc)
            header["refused"] = isinstance(exc, protocol.TooLarge)  # (then the child is killed as it moves on)
        except BaseException:
            # (a fault of the server's own: the pipes are closed below and no next child is forked, so this worker
            # takes no other run, which would find them closed, or their numbers reused by another file of the server's)
            self.retire("the server failed while it ran a job")
            raise
        finally:
            self._close_pipes()
        header["wall_s"] = time.monotonic() - started
        try:
            self._next()
        except OSError as exc:
            self.retire(f"the worker went away: {exc}")
        if header["outcome"] != "ok":
            ended = self.settle()
            if not ended and header["outcome"] == "no_result":
                header["outcome"] = "worker_lost"
            header.update(ended)
        return header, body

    def stop(self) -> None:
        if self.process is None:
            return
        self.reusable = False
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, 9)  # bubblewrap and everything in the jail: its own session
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5)
        if self.channel is not None:
            self.channel.close()
        self.pending = False
        self._close_pipes()

    def _close_pipes(self) -> None:
        """Close the server's ends of the next child's pipes, if it holds them (a worker that died while it was
        settling, its pipes handed over, kept them open: two descriptors each time)."""
        for fd in (self.job_w, self.result_r):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self.job_w = self.result_r = -1


def _uid_range(first: int, count: int) -> str:
    return f"{first}" if count == 1 else f"{first} to {first + count - 1}"


class Sandbox:
    """A pool of workers. `run(code)` is safe to call from many threads; `start()` and `stop()` bracket it. `once`:
    for one run (the CLI), its workers skip the warm-up that pays only over many runs."""

    def __init__(self, settings: Settings, once: bool = False, apart: Apart | None = None):
        self.settings = settings
        self.once = once
        self.apart = apart or Apart(0, 0)  # (the server's: big Runs are checked apart from its process)
        self.idle = FairIdle()
        self.in_flight = 0  # runs holding or waiting for a worker
        self.lock = threading.Lock()
        self.torch_version: str | None = None
        self.launcher: Launcher | None = None  # started with the pool
        self.workers: dict[int, Worker] = {}  # by index: the current worker in each slot
        self.stopping = False
        self.uids: UidClaim | None = None  # the workers' uids, this pool's alone (app/sandbox/uids.py)

    def start(self) -> None:
        if self.settings.sandbox == "on":
            check_isolation()
            self._claim_uids()
        else:
            log.warning(UNSANDBOXED_WARNING)
        self.launcher = launcher = self.launcher or Launcher()
        workers = [Worker(self.settings, i, launcher, self.once) for i in range(self.settings.worker_count())]
        errors: list[Exception] = []

        def start_one(worker: Worker) -> None:
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

    def _claim_uids(self) -> None:
        """Run the workers as uids no other pool and no other process of the host uses: the first free block from
        GRADWALK_SANDBOX_UID on (the kernel counts a uid's tasks, so its runs' threads, across the host)."""
        wanted, count = self.settings.sandbox_uid, self.settings.worker_count()
        if self.uids is None:
            self.uids = claim_uids(wanted, count)
        if self.uids is None:
            raise SandboxUnavailable(
                f"no {count} free uids from GRADWALK_SANDBOX_UID = {wanted} on: other processes or gradwalk servers "
                "run as them; choose another GRADWALK_SANDBOX_UID"
            )
        if self.uids.first != wanted:
            log.log(
                logging.INFO if self.once else logging.WARNING,  # (`gradwalk capture` beside a server: as it should)
                "uids %s are in use (another gradwalk, or another program): the workers run as %s",
                _uid_range(wanted, count),
                _uid_range(self.uids.first, count),
            )
        self.settings = self.settings.model_copy(update={"sandbox_uid": self.uids.first})

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
        if self.uids is not None:
            self.uids.release()
            self.uids = None

    def _acquire(self) -> Worker:
        """A free worker; Overloaded at once when every worker is busy and the queue is full."""
        with self.lock:
            full = self.in_flight >= self.settings.max_queued_runs + self.settings.worker_count()
            if full and not self.idle.push_out():  # (the run pushed out leaves `in_flight` as it goes)
                raise Overloaded("every worker is busy and the queue of waiting runs is full")
            self.in_flight += 1
        try:
            return self.idle.get(timeout=self.settings.run_timeout_s * 3 + 30)
        except queue.Empty as exc:
            with self.lock:
                self.in_flight -= 1
            if isinstance(exc, PushedOut):
                raise Overloaded(
                    "every worker is busy and the queue of waiting runs is full: this run gave its place to a run "
                    "of a client whose runs are shorter"
                ) from None
            raise Overloaded("no worker became free in time") from None

    def _release(self, worker: Worker) -> None:
        """Give a worker back once it has ended its child, forked the next and wiped the scratch directory: in a
        thread of its own when that is still under way, so that the run's caller does not wait for it."""
        with self.lock:
            self.in_flight -= 1
        if worker.pending:
            threading.Thread(target=self._settle, args=(worker,), name=f"gradwalk-settle-{worker.index}").start()
        else:
            self._settle(worker)

    def _settle(self, worker: Worker) -> None:
        worker.settle()
        if worker.alive and worker.reusable and worker.runs < self.settings.worker_max_runs:
            self.idle.put(worker)
            return

        def replace() -> None:
            worker.stop()
            if self.stopping:
                return
            fresh = Worker(self.settings, worker.index, worker.launcher, self.once)
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

    def job(self, code: str, max_elements: int | None = None) -> dict[str, Any]:
        s = self.settings
        capture = s.capture_limits()
        if max_elements is not None:
            capture["max_elements"] = max_elements
        return {
            "code": code,
            "timeout_s": s.run_timeout_s,
            "max_result_bytes": s.max_result_bytes,
            "max_edges": s.max_edges,
            "torch_threads": s.run_torch_threads,
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
        job = self.job(code, max_elements)
        return self.to_run(*self.execute(job), job["capture"]["max_elements"])

    def run_json(
        self, code: str, max_elements: int | None = None, run_id: str | None = None, fold: int | None = None
    ) -> tuple[Run, bytes]:
        """`run`, and the Run's JSON as the server stores it, with `id` and `code` set: written again from the
        checked Run, never the child's own bytes. A Run sent back in GRADWALK_APART_MIN_BYTES or more is checked and
        written again in a process apart (app/apart.py); the Run returned is then its head, without its graphs, or,
        given `fold`, its view folded within `fold` nodes (`fold` set) when folding changes it."""
        job = self.job(code, max_elements)
        header, body = self.execute(job)
        head = self.apart.wanted(len(body))
        limit = job["capture"]["max_elements"]
        args = (self.settings, header, body, limit, run_id, code, head, fold, os.getpid(), self.torch_version)
        try:
            answer = self.apart.call(len(body), stored_json, *args)  # (`timed_for` given: the CPU time is third)
        except Exception as exc:  # (it told nothing of its CPU time: at most the time it worked, each second of it)
            spent_elsewhere(getattr(exc, "busy_s", 0.0))  # (a forged Run found bad after seconds of checking, too)
            raise
        run, data, apart_cpu_s = cast(tuple[Run, bytes, float], answer)
        spent_elsewhere(apart_cpu_s)  # (the client's runs are charged the server's CPU time on their results)
        return run, data

    def execute(self, job: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
        """Run a job in a free worker: how the run ended and what its child sent back (Overloaded when no worker
        is free)."""
        worker = self._acquire()
        try:
            return worker.run(job)
        finally:
            self.idle.ran()
            self._release(worker)

    def to_run(self, header: dict[str, Any], body: bytes, max_elements: int | None = None) -> Run:
        """The Run for what a worker reported (`to_run`)."""
        return to_run(self.settings, header, body, max_elements)


@overload
def stored_json(
    settings: Settings,
    header: dict[str, Any],
    body: bytes,
    max_elements: int | None,
    run_id: str | None,
    code: str,
    head: bool = False,
    fold: int | None = None,
    timed_for: None = None,
    torch_version: str | None = None,
) -> tuple[Run, bytes]: ...


@overload
def stored_json(
    settings: Settings,
    header: dict[str, Any],
    body: bytes,
    max_elements: int | None,
    run_id: str | None,
    code: str,
    head: bool,
    fold: int | None,
    timed_for: int,
    torch_version: str | None = None,
) -> tuple[Run, bytes, float]: ...


def stored_json(
    settings: Settings,
    header: dict[str, Any],
    body: bytes,
    max_elements: int | None,
    run_id: str | None,
    code: str,
    head: bool = False,
    fold: int | None = None,
    timed_for: int | None = None,
    torch_version: str | None = None,
) -> tuple[Run, bytes] | tuple[Run, bytes, float]:
    """The Run for what a worker reported, with `run_id` and `code`, and its JSON as the server stores it; `head`:
    the Run without its graphs (what is sent back from a process apart: the JSON holds them), or its view folded
    within `fold` nodes if that folds it (the view a page's run asks for, made while the Run is at hand).

    `timed_for` (the pid of the server's process that asks): a third value, the CPU time this took if it ran in a
    process apart (app/apart.py, forked for this work: its whole CPU time, receiving the Run included), else 0 (the
    asking thread's own CPU time holds it). `torch_version`: the worker's, which the Run says instead of what its
    child said."""
    run = to_run(settings, header, body, max_elements)
    run.id, run.code = run_id, code
    if torch_version is not None and run.torch_version is not None:
        run.torch_version = str(torch_version)  # (torch.__version__ is a subclass of str, which msgspec refuses)
    data = encode(run)
    if head:
        view = fold_run(run, fold) if fold is not None else run
        if view is not run:
            run = view
        else:
            run.forward, run.backward = ForwardGraph(), BackwardGraph()
    if timed_for is None:
        return run, data
    return run, data, time.process_time() if os.getpid() != timed_for else 0.0


def to_run(settings: Settings, header: dict[str, Any], body: bytes, max_elements: int | None = None) -> Run:
    """The Run for what a worker reported; the child's JSON is untrusted: checked against the models and the limits
    here (`max_elements` is the run's own, if the request chose it)."""
    s = settings
    max_elements = max_elements or s.max_elements
    outcome = header.get("outcome")
    if outcome == "ok":
        try:
            run = check_run(
                parse_run(body),
                max_nodes=s.max_nodes,
                max_edges=s.max_edges,
                max_elements=max_elements,
                max_output_bytes=s.max_output_bytes,
            )
            if GroupNode in {*map(type, run.forward.nodes), *map(type, run.backward.nodes)}:  # (7 ms for 100k nodes)
                raise InvalidRun("a group node, which only a folded view the server makes has")
        except InvalidRun as exc:
            why = _cut(str(exc))
            return failed_run("error", "SandboxError", f"The run sent back something that is not a Run: {why}")
        # (`fold` and group nodes are the server's, in a folded view it makes, never in a whole Run: a child's Run that
        # said it was a view was stored as one, shown as its own folded view whatever was asked, its groups and
        # expanded ids in the page's words and every link it made; a group's label has no length limit)
        run.fold = None
        return run
    signal_name = header.get("signal")
    if header.get("page_tables_over_kib"):  # (the worker killed it: GRADWALK_RUN_PAGE_TABLES_MB, see worker.py)
        mib = header["page_tables_over_kib"] >> 10
        # (its own hint: the page's for MemoryLimit says the run used up GRADWALK_RUN_MEMORY_MB, and to use smaller
        # tensors, where this run may have used little memory at all)
        hint = Hint(
            en=f"The kernel's tables that map a run's memory count in no limit of the run's, so a run whose tables "
            f"pass {mib} MiB is stopped. Allocate memory in fewer, larger blocks.",
            ko=f"메모리를 서로 멀리 떨어진 여러 곳에 작게 나누어 매핑하면, 커널이 그 주소를 기록하는 페이지 테이블이 "
            f"커집니다. 이 메모리는 실행 한도에 들어가지 않으므로, 페이지 테이블이 {mib}MiB를 넘으면 실행을 멈춥니다. "
            "메모리를 더 큰 덩어리로, 더 적은 횟수만 할당하도록 고쳐 보세요.",
        )
        message = (
            f"The snippet's page tables grew past {mib} MiB (memory mapped in many places far apart); gradwalk "
            "stopped it."
        )
        return Run(status="limit", error=RunError(type="MemoryLimit", message=message, hint=hint))
    if header.get("resident_over_kib"):  # (the worker killed it: its memory past what it may map, see worker.py)
        message = (
            f"The snippet's memory grew past the {header['resident_over_kib'] >> 10} MiB a run may hold besides its "
            "worker's (GRADWALK_RUN_MEMORY_MB and its stacks), in copies of memory it shares with its worker; "
            "gradwalk stopped it."
        )
        return failed_run("limit", "MemoryLimit", message)
    if outcome == "timeout":
        return failed_run(
            "timeout",
            "Timeout",
            f"The snippet ran longer than {s.run_timeout_s:g} s (GRADWALK_RUN_TIMEOUT_S); gradwalk stopped it.",
        )
    if signal_name in ("SIGXCPU", "SIGKILL") and header.get("cpu_s", 0) >= s.run_cpu_s - 0.5:
        return failed_run(
            "timeout",
            "Timeout",
            f"The snippet used more than {s.run_cpu_s} s of CPU time (GRADWALK_RUN_CPU_S); gradwalk stopped it.",
        )
    if outcome == "worker_lost":
        return failed_run(
            "error", "WorkerLost", "The worker running the snippet stopped answering; it was replaced. Try again."
        )
    if header.get("refused"):
        return failed_run("error", "SandboxError", f"The snippet wrote to gradwalk's result pipe: {header['detail']}.")
    if signal_name == "SIGKILL":  # (below the CPU limit: the kernel out of memory, the server stopping, itself)
        return failed_run(
            "error",
            "Killed",
            "The snippet's process was killed (SIGKILL) before its time was up: by the system (out of memory, "
            "or the server stopping) or by the code itself. Try again.",
        )
    if signal_name:
        return failed_run("error", "Crash", f"The snippet crashed its process ({signal_name}).")
    return failed_run(
        "error",
        "Exit",
        f"The snippet ended its process (exit status {header.get('exit_code')}) before gradwalk could send its graphs.",
    )
