"""The worker pool around the jail: recycling, replacement, the bounded queue, untrusted results."""

import os
import shutil
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

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("bwrap") is None,
    reason="the jailed workers need root and bubblewrap (make test installs it)",
)

BENIGN = "x = torch.tensor(3.0, requires_grad=True)\n(x * x).backward()\nprint(x.grad.item())\n"


def started(**overrides) -> Sandbox:
    sandbox = Sandbox(Settings(workers=1, run_timeout_s=5, run_cpu_s=3, sandbox_uid=61200, **overrides))
    sandbox.start()
    return sandbox


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


def test_a_worker_killed_mid_run_answers_the_run_and_is_replaced():
    sandbox = started()
    try:
        pid = worker_pid(sandbox)
        threading.Timer(1.0, lambda: os.killpg(pid, signal.SIGKILL)).start()
        run = sandbox.run("import time\ntime.sleep(4)\n")
        # (lost for a reason outside the code: the API runs it again when it is asked for again)
        assert run.status == "error" and run.error.type == "WorkerLost" and "Try again" in run.error.message
        assert sandbox.run(BENIGN).stdout == "6.0\n"
    finally:
        sandbox.stop()


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
