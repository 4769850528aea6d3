"""The worker pool around the jail: recycling, replacement, the bounded queue, untrusted results."""

import os
import signal
import socket
import threading
import time
from pathlib import Path

import pytest

from app.sandbox import Overloaded, Sandbox, protocol
from app.sandbox.jail import LIMIT_INODES, jail_command
from app.sandbox.pool import Worker
from app.settings import Settings
from tests.helpers import needs_jail

pytestmark = needs_jail

BENIGN = "x = torch.tensor(3.0, requires_grad=True)\n(x * x).backward()\nprint(x.grad.item())\n"


def started(**overrides) -> Sandbox:
    sandbox = Sandbox(Settings(workers=1, run_timeout_s=5, run_cpu_s=3, sandbox_uid=61200, **overrides))
    sandbox.start()
    return sandbox


@pytest.fixture(scope="module")
def pool():
    """A pool as `started()` makes it, shared by the tests that kill or break its worker and see it replaced: each
    started one of its own (a worker's start, seconds of both cores), and left none but a fresh worker either way."""
    sandbox = Sandbox(Settings(workers=1, run_timeout_s=5, run_cpu_s=3, sandbox_uid=61210))
    sandbox.start()
    yield sandbox
    sandbox.stop()


def worker_pid(sandbox: Sandbox) -> int:
    worker = sandbox.idle.get(timeout=60)
    sandbox.idle.put(worker)
    return worker.process.pid


def test_jail_unshares_namespaces_and_drops_to_the_worker_uid():
    command = jail_command(Settings(sandbox_uid=62000), 3)
    for flag in (
        "--unshare-pid",
        "--unshare-net",
        "--unshare-ipc",
        "--unshare-uts",
        "--die-with-parent",
        "--new-session",
        "--clearenv",
    ):
        assert flag in command
    assert "--reuid=62003" in command and "--regid=62003" in command and "--bounding-set=-all" in command
    data = str(Path(__file__).resolve().parents[1] / "data")  # this checkout's own data directory
    assert "/home" not in command and not any(arg.startswith(data) for arg in command)


def test_jail_holds_scratch_to_its_size_and_its_inodes():
    """The worker's /tmp is mounted with GRADWALK_SCRATCH_MB and GRADWALK_SCRATCH_MAX_INODES (and one inode more,
    its root's, which tmpfs counts)."""
    command = jail_command(Settings(sandbox_uid=62000, scratch_mb=8, scratch_max_inodes=100), 0)
    mount = command.index(LIMIT_INODES)
    assert command[mount + 2 : mount + 4] == [str(8 << 20), "101"]


def test_worker_is_replaced_after_its_run_budget():
    sandbox = started(worker_max_runs=2)
    try:
        first = worker_pid(sandbox)
        for _ in range(2):
            assert sandbox.run(BENIGN).stdout == "6.0\n"
        assert worker_pid(sandbox) != first  # waits for the replacement to be ready
        assert sandbox.run(BENIGN).stdout == "6.0\n"
    finally:
        sandbox.stop()


def test_a_worker_killed_mid_run_answers_the_run_and_is_replaced(pool):
    pid = worker_pid(pool)
    threading.Timer(1.0, lambda: os.killpg(pid, signal.SIGKILL)).start()
    run = pool.run("import time\ntime.sleep(4)\n")
    # (lost for a reason outside the code: the API runs it again when it is asked for again)
    assert run.status == "error" and run.error.type == "WorkerLost" and "Try again" in run.error.message
    assert pool.run(BENIGN).stdout == "6.0\n"


def test_a_worker_that_dies_leaves_no_descriptor_open_in_the_server(pool):
    """The server hands a worker the pipes of its next child after each run: a worker gone by then (killed, or
    dead of its own) refused them, and the server's ends of both pipes stayed open, two descriptors for each worker
    that died, until the server's numbers passed what it may open."""
    worker_pid(pool)  # (started, and its first child's pipes made)
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(2):
        pid = worker_pid(pool)
        threading.Timer(1.0, lambda pid=pid: os.killpg(pid, signal.SIGKILL)).start()
        assert pool.run("import time\ntime.sleep(4)\n").error.type == "WorkerLost"
        assert worker_pid(pool) != pid  # (its replacement started)
    assert len(os.listdir("/proc/self/fd")) == before


def test_a_worker_that_dies_as_it_settles_leaves_no_descriptor_open_in_the_server(pool, monkeypatch):
    """A worker that took the pipes of its next child and died before it said the last one had ended (its answer
    is read after a run that ended badly) kept the server's ends of both pipes open."""
    worker_pid(pool)
    before = len(os.listdir("/proc/self/fd"))
    receive = protocol.receive_message
    doomed: list[socket.socket] = []  # (the channel of the worker that dies as it settles)

    def dies_as_it_settles(sock, deadline=None):
        if sock in doomed:
            raise ConnectionResetError("the worker died")
        return receive(sock, deadline)

    monkeypatch.setattr(protocol, "receive_message", dies_as_it_settles)
    for _ in range(2):
        worker = pool.idle.get(timeout=60)
        pool.idle.put(worker)
        doomed[:] = [worker.channel]
        assert pool.run("import os\nos._exit(3)\n").status == "error"
        assert worker_pid(pool) != worker.process.pid  # (replaced)
    assert len(os.listdir("/proc/self/fd")) == before


def test_runs_succeed_when_the_server_holds_over_a_thousand_descriptors(pool):
    """A server holding many connections (1200 idle ones from 30 addresses, under GRADWALK_MAX_CONNECTIONS) numbers
    the pipes of its next runs past 1023, which select() cannot take: every run answered 500, and each worker, its
    pipes closed but no next child forked, failed every later run as well. Pipes numbered past 1023 work, and the
    runs after them too."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 2048:
        pytest.skip("the hard limit on open files is under 2048")
    resource.setrlimit(resource.RLIMIT_NOFILE, (2048, hard))
    held: list[int] = []
    try:
        assert pool.run(BENIGN).stdout == "6.0\n"  # (its next child's pipes were made before the descriptors below)
        while not held or held[-1] < 1100:
            held.append(os.open("/dev/null", os.O_RDONLY))  # (the lowest free number each time: every gap is filled)
        for _ in range(3):
            assert pool.run(BENIGN).stdout == "6.0\n"
        for fd in held:
            os.close(fd)
        held = []
        assert pool.run(BENIGN).stdout == "6.0\n"
    finally:
        for fd in held:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_a_worker_whose_run_failed_in_the_server_takes_no_other_run(pool, monkeypatch):
    """A fault of the server's own while it hands a child its job closes the child's pipes and forks no next child:
    the worker used to take the next run as well, with its pipes closed (or their numbers another file's by then)."""
    sent = protocol.send

    def fails_once(*args, **kwargs):
        monkeypatch.setattr(protocol, "send", sent)
        raise ValueError("a fault of the server's own")

    monkeypatch.setattr(protocol, "send", fails_once)
    with pytest.raises(ValueError):
        pool.run(BENIGN)
    for _ in range(2):
        assert pool.run(BENIGN).stdout == "6.0\n"


def test_a_full_queue_refuses_at_once():
    sandbox = started(max_queued_runs=0)
    try:
        busy = threading.Thread(target=sandbox.run, args=("import time\ntime.sleep(2)\n",))
        busy.start()
        deadline = time.monotonic() + 10
        while sandbox.in_flight == 0 and time.monotonic() < deadline:  # until the slow run holds the worker
            time.sleep(0.01)
        started_at = time.monotonic()
        with pytest.raises(Overloaded):
            sandbox.run(BENIGN)
        assert time.monotonic() - started_at < 0.5
        busy.join()
        assert sandbox.run(BENIGN).status == "ok"
    finally:
        sandbox.stop()


def test_what_a_child_sends_back_is_validated():
    sandbox = Sandbox(Settings(workers=1))
    bogus = sandbox.to_run({"outcome": "ok"}, b'{"status": "ok", "forward": {"nodes": [{"id": 1}]}}')
    assert bogus.status == "error" and bogus.error.type == "SandboxError"
    assert sandbox.to_run({"outcome": "timeout"}, b"").status == "timeout"
    crashed = sandbox.to_run({"outcome": "no_result", "signal": "SIGSEGV", "cpu_s": 0.1}, b"")
    assert crashed.status == "error" and "SIGSEGV" in crashed.error.message


def test_a_run_stopped_for_its_page_tables_says_why_in_both_languages():
    """A run the worker stopped for its page tables ends as `limit`, `MemoryLimit`, and its hint says what happened:
    the page's hint for MemoryLimit said the run used up GRADWALK_RUN_MEMORY_MB and to use smaller tensors, where such
    a run may have used little memory at all."""
    sandbox = Sandbox(Settings(workers=1))
    header = {"outcome": "no_result", "signal": "SIGKILL", "cpu_s": 0.4, "page_tables_over_kib": 64 << 10}
    run = sandbox.to_run(header, b"")
    assert run.status == "limit" and run.error.type == "MemoryLimit" and "64 MiB" in run.error.message
    assert run.error.hint is not None and "64 MiB" in run.error.hint.en
    assert "페이지 테이블" in run.error.hint.ko and "GRADWALK_RUN_MEMORY_MB" not in run.error.hint.ko


def test_a_worker_whose_scratch_could_not_be_emptied_is_retired():
    """The worker's answer after a run says what its scratch directory still holds: such a worker takes no
    other run (the pool replaces it)."""
    worker = Worker(Settings(workers=1), 0, launcher=None)
    worker.channel, zygote = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    with zygote:
        worker.pending = True
        protocol.send_message(zygote, {"ended": {"exit_code": 0, "cpu_s": 0.1}, "scratch": None})
        assert worker.settle() == {"exit_code": 0, "cpu_s": 0.1} and worker.reusable
        worker.pending = True
        protocol.send_message(zygote, {"ended": {"exit_code": 0, "cpu_s": 0.1}, "scratch": "1 entries, e.g. ['x']"})
        worker.settle()
        assert not worker.reusable and "could not be emptied" in worker.problem
    worker.pending = True
    assert worker.settle() == {} and "did not answer" in worker.problem  # a worker gone is retired too
    worker.channel.close()


def waiting_in_turn(idle, *clients: str) -> tuple[list[threading.Thread], list[tuple[str, object]]]:
    """A thread per client asking `idle` for a worker, each once the one before it waits; what each got, in order."""
    from app.sandbox.pool import runs_for

    threads, got = [], []

    def ask(client: str) -> None:
        with runs_for(client):
            got.append((client, idle.get(timeout=10)))

    for count, client in enumerate(clients, 1):
        threads.append(threading.Thread(target=ask, args=(client,)))
        threads[-1].start()
        deadline = time.monotonic() + 5
        while len(idle.waiting) < count and time.monotonic() < deadline:
            time.sleep(0.01)
    return threads, got


def test_a_freed_worker_goes_first_to_the_client_whose_runs_held_workers_least():
    """Addresses are many: each of twelve held a worker within its own limits, and another client's run waited behind
    every one of their runs; it takes the next worker freed, whoever waited before it, and clients alike go in the
    order they waited."""
    from app.sandbox.pool import FairIdle

    idle = FairIdle()
    idle.held_s.update({"10.0.0.1": 10.0, "10.0.0.2": 10.0, "10.0.0.3": 0.04})  # (their runs held a worker so long)
    threads, got = waiting_in_turn(idle, "10.0.0.1", "10.0.0.2", "10.0.0.9", "10.0.0.3")
    for worker in ("w1", "w2", "w3", "w4"):
        idle.put(worker)
        deadline = time.monotonic() + 5
        while len(got) < ["w1", "w2", "w3", "w4"].index(worker) + 1 and time.monotonic() < deadline:
            time.sleep(0.01)
    for thread in threads:
        thread.join(10)
    # (10.0.0.3's runs are short, 10.0.0.9 is new: then the slow ones, in the order they waited)
    assert got == [("10.0.0.3", "w1"), ("10.0.0.9", "w2"), ("10.0.0.1", "w3"), ("10.0.0.2", "w4")]


def test_a_runs_time_in_its_worker_counts_for_its_client_while_it_runs_and_after():
    from app.sandbox.pool import FairIdle, runs_for

    idle = FairIdle()
    idle.put("w")
    with runs_for("10.0.0.1"):
        assert idle.get(timeout=1) == "w"
    idle.running["10.0.0.1"][0] -= 10  # (it got its worker 10 s ago)
    assert idle.expected_s("10.0.0.1", time.monotonic()) >= 10  # (running: as far as it has gone)
    threads, got = waiting_in_turn(idle, "10.0.0.1", "10.0.0.2")
    with runs_for("10.0.0.1"):
        idle.ran()
    assert idle.held_s["10.0.0.1"] >= 10 and "10.0.0.1" not in idle.running
    idle.put("w")
    threads[1].join(10)
    assert got == [("10.0.0.2", "w")]
    idle.put("w2")
    threads[0].join(10)
    assert got[1] == ("10.0.0.1", "w2")


def test_runs_that_end_at_once_do_not_make_a_client_of_long_runs_look_quick():
    """Runs that end at once cost a client next to nothing: eight after each 10 s run took its mean under a 0.3 s
    client's, and its next 10 s run took the worker freed before that client's waiting run (or its place in a full
    queue). Its longest recent run counts, however many runs it made since, until it is LONGEST_KEPT_S old."""
    from app.sandbox.pool import FairIdle, runs_for

    idle = FairIdle()
    idle.held_s["10.0.0.9"] = 0.3  # (the other client: quick runs)
    with runs_for("10.0.0.1"):
        idle.put("w")
        assert idle.get(timeout=1) == "w"
        idle.running["10.0.0.1"][0] -= 10  # (it got its worker 10 s ago)
        idle.ran()
        for _ in range(20):  # (then runs that end at once)
            idle.put("w")
            assert idle.get(timeout=1) == "w"
            idle.ran()
    now = time.monotonic()
    assert idle.held_s["10.0.0.1"] < 0.3  # (its mean alone says quick)
    assert idle.expected_s("10.0.0.1", now) >= 10 > idle.expected_s("10.0.0.9", now)
    assert idle.expected_s("10.0.0.1", now + FairIdle.LONGEST_KEPT_S + 1) < 0.3  # (then its runs since count)
    threads, got = waiting_in_turn(idle, "10.0.0.1", "10.0.0.9")
    idle.put("w1")
    threads[1].join(10)
    assert got == [("10.0.0.9", "w1")]
    idle.put("w2")
    threads[0].join(10)
    assert got[1] == ("10.0.0.1", "w2")


def test_each_run_of_a_client_counts_its_own_time_in_its_worker(monkeypatch):
    """A client's run ending took the time of its run that had held a worker the longest: a client of two runs at once
    that ended quick runs while a long one ran was seen to hold workers a moment at each run, the long one too."""
    from types import SimpleNamespace

    from app.sandbox import pool
    from app.sandbox.pool import FairIdle, runs_for

    clock = [100.0]
    monkeypatch.setattr(pool, "time", SimpleNamespace(monotonic=lambda: clock[0]))
    idle = FairIdle()
    idle.put("w1")
    idle.put("w2")
    with runs_for("10.0.0.1"):
        assert idle.get(timeout=1) == "w1"  # (a long run, from 100)
    clock[0] = 110.0

    def quick() -> None:
        with runs_for("10.0.0.1"):
            assert idle.get(timeout=1) == "w2"
            idle.ran()  # (at once)

    thread = threading.Thread(target=quick)
    thread.start()
    thread.join(10)
    assert idle.held_s["10.0.0.1"] == 0.0 and idle.expected_s("10.0.0.1", clock[0]) == 10.0  # (the long one runs)
    clock[0] = 111.0
    with runs_for("10.0.0.1"):
        idle.ran()
    assert idle.longest["10.0.0.1"] == (11.0, 111.0) and "10.0.0.1" not in idle.running


def test_a_full_queue_takes_a_run_of_short_runs_in_place_of_a_long_ones():
    """Forty addresses each kept a 10 s run going or waiting: the queue stayed full, and another client's every run
    was refused while theirs were served. The run waiting of the client of the longest runs gives its place up."""
    from app.sandbox.pool import runs_for

    box = Sandbox(Settings(workers=1, max_queued_runs=1))  # (never started: its queue alone)
    box.idle.held_s.update({"10.0.0.1": 10.0, "10.0.0.2": 10.0, "10.0.0.5": 0.04})
    outcomes: dict[str, object] = {}

    def acquire(client: str) -> None:
        with runs_for(client):
            try:
                outcomes[client] = box._acquire()
            except Overloaded as refused:
                outcomes[client] = str(refused)

    threads = []
    for count, client in enumerate(("10.0.0.1", "10.0.0.2"), 1):
        threads.append(threading.Thread(target=acquire, args=(client,)))
        threads[-1].start()
        deadline = time.monotonic() + 5
        while len(box.idle.waiting) < count and time.monotonic() < deadline:
            time.sleep(0.01)
    box.idle.held_s["10.0.0.3"] = 10.0
    with runs_for("10.0.0.3"), pytest.raises(Overloaded, match=r"queue of waiting runs is full$"):
        box._acquire()  # (a client of runs as long: the queue is full for it as for them)
    threads.append(threading.Thread(target=acquire, args=("10.0.0.5",)))
    threads[-1].start()
    threads[1].join(10)
    assert "gave its place" in str(outcomes["10.0.0.2"])  # (of the two as long, the one that came last)
    box.idle.put("w")
    threads[2].join(10)
    assert outcomes["10.0.0.5"] == "w" and box.in_flight == 2
    box.idle.put("w2")
    threads[0].join(10)
    assert outcomes["10.0.0.1"] == "w2"


def test_a_freed_worker_goes_to_the_run_that_waited_longest_never_to_one_that_asks_later():
    """A flood of one client's requests cannot take each freed worker before the run that was already waiting."""
    import queue

    from app.sandbox.pool import FairIdle

    idle, got = FairIdle(), []
    waiter = threading.Thread(target=lambda: got.append(idle.get(timeout=10)))
    waiter.start()
    deadline = time.monotonic() + 5
    while not idle.waiting and time.monotonic() < deadline:
        time.sleep(0.01)
    idle.put("worker")
    with pytest.raises(queue.Empty):  # (a request arriving now finds no free worker: it went to the waiter)
        idle.get_nowait()
    waiter.join(10)
    assert got == ["worker"]
    with pytest.raises(queue.Empty):
        idle.get(timeout=0.05)
    assert not idle.waiting  # (a run that gave up waiting is no longer in line)
    idle.put("next")
    assert idle.get(timeout=1) == "next"
