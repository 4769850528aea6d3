"""The worker: a long-lived process (inside bubblewrap when isolated) that has imported torch and the capture
engine, and forks one child per run. The worker is a zygote: it never sees a job or a result. The server hands
it the two pipes of the next child (over its socket, fd 0); the worker forks a spare child that holds them and
warms up; the server writes the job into one pipe and reads the Run from the other. So every child starts from
memory that never held another run's code, output or id.

    python -m app.sandbox.worker [--isolated] [--once] [--page-tables-mb=N] [--memory-mb=N]

Messages (protocol.py): the worker says `hello` once ready; then, for each `next` message (with the pipes of
the next child), it ends the current child (SIGKILL, reaped for its exit status), forks the next one, kills
whatever the run left, wipes the scratch directory and checks it is empty, and answers
`{"ended": {...} | null, "scratch": null | "what is left"}`.
"""

import contextlib
import ctypes
import gc
import json
import os
import signal
import socket
import stat
import sys
import time
from ctypes import CDLL
from typing import Any, NamedTuple

from ..graph import encode, exception_text, failed_run, out_of_memory
from ..settings import Settings
from . import lockdown, protocol

SCRATCH = "/tmp"
MAX_JOB_BYTES = 1 << 24
WIPE_BUDGET_S = 5.0  # longest a wipe may take; a scratch directory not empty by then retires the worker


def _kill_leftovers(child: int, isolated: bool, spare: int) -> None:
    """End every process the run left: in our own pid namespace that is every process but bubblewrap's init
    (pid 1), this worker and the next spare child; outside one (sandbox off), the child's process group."""
    if not isolated:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(child, signal.SIGKILL)
        return
    keep = (1, os.getpid(), spare)
    for name in os.listdir("/proc"):
        if name.isdigit() and int(name) not in keep:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(int(name), signal.SIGKILL)


def wipe_scratch(root: str = SCRATCH, budget_s: float = WIPE_BUDGET_S) -> str | None:
    """Empty `root` whatever a run left in it (folders it made unreadable or unwritable, trees too deep for a
    path or for recursion, links), then look: None when it is empty, else what is left. Folders are moved up to
    `root` and emptied one at a time, so neither the depth of a tree nor the length of its paths matters."""
    deadline = time.monotonic() + budget_s
    top = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    moved = 0
    try:
        while time.monotonic() < deadline:
            names = os.listdir(top)
            if not names:
                return _held(top)
            for name in names:
                with contextlib.suppress(OSError):
                    if not stat.S_ISDIR(os.lstat(name, dir_fd=top).st_mode):
                        os.unlink(name, dir_fd=top)
                        continue
                    os.chmod(name, 0o700, dir_fd=top)
                    folder = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=top)
                    try:
                        for entry in os.listdir(folder):
                            if stat.S_ISDIR(os.lstat(entry, dir_fd=folder).st_mode):
                                os.chmod(entry, 0o700, dir_fd=folder)  # (moving a folder rewrites its "..")
                                moved += 1
                                os.rename(entry, f".gradwalk-wipe-{moved}", src_dir_fd=folder, dst_dir_fd=top)
                            else:
                                os.unlink(entry, dir_fd=folder)
                    finally:
                        os.close(folder)
                    os.rmdir(name, dir_fd=top)
        left = os.listdir(top)
        return _held(top) if not left else f"{len(left)} entries, e.g. {sorted(left)[:3]}"
    finally:
        os.close(top)


WIPE_GRACE_S = 5.0  # beyond its budget, how long a wipe's process may take to report before it is killed


def wipe_apart(root: str = SCRATCH, budget_s: float = WIPE_BUDGET_S) -> str | None:
    """`wipe_scratch` in a process of its own, forked for it: what it says, or what went wrong. The names a run gave
    its files are read there and die with it. Read here, they stayed in this worker's freed memory, which every later
    child starts from: a run found an earlier run's file names in its own memory, 30 times, in every run after the
    next one. A scratch filesystem with no block and no inode in use but its root's is empty: most runs leave it so,
    and then there is nothing to wipe and no process to fork (its counts are no name of the run's)."""
    usage = os.statvfs(root)
    if usage.f_blocks - usage.f_bfree <= 0 and usage.f_files - usage.f_ffree - 1 <= 0:
        return None
    report_r, report_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(report_r)
            left = wipe_scratch(root, budget_s)
            os.write(report_w, b"." if left is None else b"!" + left.encode("utf-8", "backslashreplace")[:4000])
        finally:
            os._exit(0)
    os.close(report_w)
    try:
        report = os.read(report_r, 4096) if protocol.ready(report_r, budget_s + WIPE_GRACE_S) else None
    finally:
        os.close(report_r)
        if report is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    if report == b".":
        return None
    if report and report[:1] == b"!":
        return report[1:].decode("utf-8", "replace")
    return "the wipe did not finish in time" if report is None else "the wipe failed"


def _held(top: int) -> str | None:
    """What the scratch filesystem still holds once its folder lists nothing: None when every block and every
    inode but its root's is free. A file that is no longer in any folder but still open somewhere (O_TMPFILE, or
    unlinked) takes space no listing shows; the scratch directory is its own tmpfs, so its counts are the run's."""
    usage = os.fstatvfs(top)
    blocks, inodes = usage.f_blocks - usage.f_bfree, usage.f_files - usage.f_ffree - 1
    if blocks <= 0 and inodes <= 0:
        return None
    return f"no entries, but {blocks * usage.f_frsize >> 10} KiB and {inodes} inodes still held"


# What a Run too big to send keeps of itself.
KEPT_WITHOUT_GRAPHS = (
    "id",
    "code",
    "stdout",
    "stderr",
    "torch_version",
    "backward_passes",
    "backward_calls",
    "duration_ms",
)


PLAIN_THREADS = 1  # the threads plain torch computes with on this machine (at most the CPUs it may use): see main


def _child(job: dict[str, Any], result_w: int, seccomp: CDLL | None, started: float) -> None:
    """Runs in the forked child and never returns: lock down, capture, send the Run, exit at once. The run's wall
    clock counts from `started`, when the child told the server it had its job."""
    from ..capture import capture_here, dumps

    status = 3
    try:
        # A session of its own (so a process group and a scheduling autogroup of its own): what the run does to its
        # session's autogroup (/proc/self/autogroup's nice, were it ever writable to it) stays with it, never reaching
        # the worker and every later child, as a run made itself dumpable and niced them all to 19 before.
        os.setsid()
        null = os.open("/dev/null", os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.closerange(3, result_w)
        os.closerange(result_w + 1, 65536)
        lockdown.lock_down(seccomp, **job["lockdown"])
        import torch

        # (at most half the threads a run may have: a snippet's own threads, and torch's pool where plain torch would
        # take a big host's every core, must not fail to start)
        room = max(1, (job["lockdown"]["max_tasks"] - 2) // 2)
        torch.set_num_threads(min(job["torch_threads"] or PLAIN_THREADS, room))
        with contextlib.suppress(RuntimeError):  # (torch sets it once, before any inter-op work: then it stays)
            torch.set_num_interop_threads(min(os.cpu_count() or 1, room))  # (plain torch's: one a CPU)
        limit, max_edges = job["max_result_bytes"], job["max_edges"]

        def deliver(run: dict[str, Any]) -> None:
            edges = len(run["forward"]["edges"]) + len(run["backward"]["edges"])
            data = b"" if edges > max_edges else dumps(run)
            if edges > max_edges or len(data) > limit:
                message = (
                    f"The graphs came to {edges} edges, over max_edges = {max_edges}; they were dropped. Use a "
                    "smaller snippet or raise GRADWALK_MAX_EDGES."
                    if edges > max_edges
                    else f"The Run came to {len(data)} bytes, over max_result_bytes = {limit}; its graphs were "
                    "dropped. Use a smaller snippet or raise GRADWALK_MAX_RESULT_BYTES."
                )
                kept = {key: run[key] for key in KEPT_WITHOUT_GRAPHS}
                data = encode(failed_run("limit", "ResultLimit", message, **kept))
            protocol.send(result_w, data)
            os.close(result_w)  # before exiting: tearing down the address space takes milliseconds
            os._exit(0)

        gc.disable()
        capture_here(  # (stopped in time for the run's own limits, and its Run kept within what may be sent)
            job["code"],
            deliver=deliver,
            run_cpu_s=job["lockdown"]["cpu_s"],
            run_timeout_s=job["timeout_s"] - (time.monotonic() - started),
            max_result_bytes=limit,
            **job["capture"],
        )
    except BaseException as exc:  # anything at all: report it, never fall back into the worker
        text = f"{type(exc).__name__}: {exception_text(exc)}"[:2000]
        if out_of_memory(exc):
            failed = failed_run(
                "limit", "MemoryLimit", f"The run ran out of the memory it may use (GRADWALK_RUN_MEMORY_MB): {text}"
            )
        else:
            failed = failed_run("error", "SandboxError", f"gradwalk failed while running the snippet: {text}")
        with contextlib.suppress(BaseException):
            protocol.send(result_w, encode(failed))
    finally:
        os._exit(status)


# A run as small as can be that still takes the paths most snippets take: modules, autograd, tensors printed.
WARM_UP_SNIPPET = """\
model = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 1))
loss = model(torch.ones(2, 4)).pow(2).mean()
loss.backward()
print(f"{loss} {model[0].bias.grad}")
"""
# And an optimizer's step, in a worker for many runs: its first one imports torch._dynamo, as torch.func and
# checkpoint do (800 modules, 1.5 s of CPU), which every run using one paid for on its own clock.
WARM_UP_STEP = "torch.optim.SGD(model.parameters(), lr=0.1).step()\n"


# How often the worker runs the warm-up before it forks. CPython 3.11 quickens a function's bytecode after its
# 8th call and then specializes its instructions as they run: both write to the code objects. Done in the worker,
# every child forked later only reads that code; warmed once, each child redid it on its own copies (a 20-layer
# MLP's run in a spare child: about 30 more page faults and 0.5 ms more).
WARM_UP_RUNS = 16


def warm_up(runs: int = 1, step: bool = False) -> None:
    """`runs` small captures, in this thread: imports what runs import (with an optimizer's `step`, if asked), and
    touches what they touch."""
    from ..capture import capture_here

    code = WARM_UP_SNIPPET + (WARM_UP_STEP if step else "")
    for _ in range(runs):
        capture_here(code, max_nodes=1000, max_elements=10, max_output_bytes=1024, deliver=lambda run: None)


def warm_up_spare(job_fd: int | None = None) -> None:
    """What a spare child does while no job waits (on `job_fd`, if given): the pages every run writes are written
    now, not on its clock. The warm-up copies the worker's pages that a run changes, touch_heaps adds fresh pages
    to the heaps. A step is skipped once a job waits: under load, warming would only delay it."""
    from ..capture import touch_heaps

    for step in (warm_up, touch_heaps):
        if job_fd is not None and protocol.ready(job_fd, 0):
            return
        step()


def fork_spare(job_r: int, result_w: int, seccomp: CDLL | None, channel: int) -> int:
    """Fork the child of the next run, holding its two pipes, ahead of its job: the fork and its warm-up are off
    the request's path. It waits for the job on `job_r`, then locks itself down and runs it. Returns its pid."""
    pid = os.fork()
    if pid == 0:
        try:
            os.close(channel)  # the worker's socket to the server is not the run's
            warm_up_spare(job_r)
            job = json.loads(protocol.receive(job_r, MAX_JOB_BYTES))
            started = time.monotonic()
            protocol.send(result_w, b"")  # (the run's clock starts now, for the server too: see Worker.run)
        except BaseException:  # the server went away before sending a job
            os._exit(4)
        _child(job, result_w, seccomp, started)
    os.close(job_r)
    os.close(result_w)
    return pid


def signal_name(number: int) -> str:
    """The name of signal `number`, whichever it is. Python's `signal.Signals` names only SIGRTMIN and SIGRTMAX of
    the real-time signals: a child that sent itself signal 40 (`os.kill(os.getpid(), 40)`, whose default action
    ends the process) made `signal.Signals(40)` raise in the worker, which died of it, and each such one-line run
    cost a worker's restart (seconds of both cores, its runs waiting)."""
    try:
        return signal.Signals(number).name
    except ValueError:
        low, high = int(signal.SIGRTMIN), int(signal.SIGRTMAX)
        return f"SIGRTMIN+{number - low}" if low < number < high else f"SIG{number}"


# A run's page tables are the host's memory, in no limit of the run's: its address space counts the pages it maps, not
# the tables that map them, and one 8 KiB mapping placed across a 1 GiB boundary takes three 4 KiB tables (two of its
# pages read, both the kernel's one zero page). 64,000 such mappings (vm.max_map_count is 65,530) held 750 MiB of page
# tables for 0.5 GiB of address space and no memory of their own, in 2 s of a run's CPU. The worker looks at its
# child's page tables every WATCH_S while it waits, and kills a child past GRADWALK_RUN_PAGE_TABLES_MB (its
# `--page-tables-mb`): far past any honest run's (torch at work over the whole memory budget maps it with about 1 MiB
# of tables).
#
# And at its resident memory of its own. The run's address space (RLIMIT_AS) bounds what it maps after it starts, but
# not what it inherited mapped from the worker: the text of torch's libraries (about 400 MiB, mapped read-only and
# shared with every process), made writable with mprotect and written byte for byte, became a private copy in the
# run's memory, and a run with a budget of 512 MiB held 1.4 GiB. Such copies are anonymous memory (RssAnon) where the
# file's pages were not, so the worker kills a child whose anonymous and shared memory passes the worker's own by more
# than its address space lets it map (`--memory-mb`, GRADWALK_RUN_MEMORY_MB, and RLIMIT_AS's room for stacks), with
# RESIDENT_SLACK_MB to spare (the libraries' data an honest run writes first). (The worker's own heap, which a run
# copies as it writes to it, stays uncounted: its anonymous pages count in both from the start.) Anonymous memory in
# swap counts too (VmSwap): on a host with swap, a run that pushed each copy out as it made it (madvise MADV_PAGEOUT)
# held no more resident memory than an honest one, and as much of the host's swap as it liked.
WATCH_S = 0.05
RESIDENT_SLACK_MB = 64
STATUS = "/proc/{}/status"
THREADS, THREAD_STATUS = "/proc/{}/task", "/proc/{}/task/{}/status"
_STATUS = bytearray(8192)  # /proc/<pid>/status is read into this one buffer, cleared after
_CLEAR = bytes(len(_STATUS))


class Usage(NamedTuple):
    """What the worker watches of a process (KiB): its page tables, its anonymous and shared memory (resident, or
    anonymous in swap)."""

    page_tables_kib: int
    resident_kib: int


def usage(pid: int | str) -> Usage:
    """The page tables and resident memory of process `pid` (`Usage(0, 0)` if it is gone). Its status also holds its
    name, which a run may choose (PR_SET_NAME): read into one buffer of the worker's and cleared after, so that no byte
    a run chose stays in the memory every later child starts from.

    A process whose first thread has ended (a raw SYS_exit of the main thread alone) shows no memory in its status,
    whatever its other threads hold: the kernel reads it through that thread, which has none left. A run did that and
    its other thread held 700 MiB of page tables, unseen, for its whole wall clock (GRADWALK_RUN_TIMEOUT_S). Then
    the status of a thread still running is read: every thread of a process shows the memory they share."""
    seen = _usage(STATUS.format(pid))
    if seen is not None or pid == "self":
        return seen or Usage(0, 0)
    try:
        threads = os.listdir(THREADS.format(pid))
    except OSError:
        return Usage(0, 0)  # (gone)
    for thread in threads:
        seen = _usage(THREAD_STATUS.format(pid, thread))
        if seen is not None:
            return seen
    return Usage(0, 0)


def _usage(path: str) -> Usage | None:
    """What the status at `path` says of its process's memory; None if it cannot be read or says nothing of it (a
    thread that has ended)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        size = os.readv(fd, [_STATUS])
    except OSError:
        size = 0
    finally:
        os.close(fd)
    try:
        if _STATUS.find(b"\nVmPTE:", 0, size) < 0:
            return None
        tables = _kib(b"VmPTE", size)
        return Usage(tables, sum(_kib(field, size) for field in (b"RssAnon", b"RssShmem", b"VmSwap")))
    finally:
        _STATUS[:size] = _CLEAR[:size]


def _kib(field: bytes, size: int) -> int:
    """The number of KiB a line `<field>: ... kB` of the status in _STATUS says (0 if none does)."""
    at = _STATUS.find(b"\n" + field + b":", 0, size)
    end = _STATUS.find(b" kB\n", at, size) if at >= 0 else -1
    digits = _STATUS[at + len(field) + 2 : end].strip() if end >= 0 else b""  # (only what follows "<field>:")
    return int(digits) if digits.isdigit() else 0


def end_child(pid: int) -> dict[str, Any]:
    """Kill a run's child (whether it answered, lingers or hangs) and reap it: how it ended. Whatever the child did,
    this never raises: the worker outlives every run."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    _, wait_status, usage = os.wait4(pid, 0)
    ended: dict[str, Any] = {"cpu_s": usage.ru_utime + usage.ru_stime}
    if os.WIFSIGNALED(wait_status):
        ended["signal"] = signal_name(os.WTERMSIG(wait_status))
    else:
        ended["exit_code"] = os.WEXITSTATUS(wait_status)
    return ended


MADV_COLLAPSE = 25  # Linux 6.1 and later
HUGE_PAGE = 2 << 20


def collapse_to_huge_pages() -> int:
    """Back this worker's anonymous memory (about 150 MiB once torch is in) with 2 MiB pages where the kernel
    can: every run forks the worker, and a fork copies one page-table entry per page, which the child's exit
    then tears down again. With huge pages a fork and exit cost about 3 ms of CPU instead of 7, and a small run
    about 15 ms in all instead of 22. Kernels without MADV_COLLAPSE, or with huge pages off, refuse: nothing
    changes then. Returns the bytes collapsed."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    collapsed = 0
    with open("/proc/self/maps") as maps:
        regions = [line.split() for line in maps]
    for fields in regions:
        if not fields[1].startswith("rw") or (len(fields) > 5 and fields[5] != "[heap]"):
            continue  # only private anonymous memory: the heap and anonymous mappings
        start, end = (int(bound, 16) for bound in fields[0].split("-"))
        low, high = -(-start // HUGE_PAGE) * HUGE_PAGE, end // HUGE_PAGE * HUGE_PAGE
        if high > low and libc.madvise(low, high - low, MADV_COLLAPSE) == 0:
            collapsed += high - low
    return collapsed


def next_child(
    channel: int, child: int | None, fds: list[int], isolated: bool, seccomp: CDLL | None
) -> tuple[int, dict[str, Any]]:
    """End the current child, fork the next one with its pipes (before the cleanup, so that it is ready sooner:
    it does not start its job before the server has this answer), then clean up after the run: (the new
    child's pid, the answer)."""
    ended = end_child(child) if child is not None else None
    job_r, result_w = fds
    spare = fork_spare(job_r, result_w, seccomp, channel)
    if child is not None:
        _kill_leftovers(child, isolated, spare)
    # (before the first run too: warming up, torch made a folder of its own there, which the first run found)
    scratch = wipe_apart() if isolated else None
    return spare, {"ended": ended, "scratch": scratch}


def main(argv: list[str]) -> int:
    isolated = "--isolated" in argv
    once = "--once" in argv  # one run (the CLI): warmed for it alone
    tables_mb = next((a.split("=", 1)[1] for a in argv if a.startswith("--page-tables-mb=")), None)
    tables_max_kib = int(tables_mb or Settings.model_fields["run_page_tables_mb"].default) << 10
    memory_mb = int(next((a.split("=", 1)[1] for a in argv if a.startswith("--memory-mb=")), None) or 0)
    room_mb = (memory_mb or Settings.model_fields["run_memory_mb"].default) + lockdown.STACKS_MB  # (its RLIMIT_AS)
    # The server's socket moves to a private descriptor; stray prints (torch, warnings) go to standard error.
    channel = socket.socket(fileno=os.dup(0))
    null = os.open("/dev/null", os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(2, 1)
    lockdown.prctl(lockdown.PR_SET_DUMPABLE, 0)  # children share our uid: no /proc/<worker>/mem for them
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):  # (torch's own choice first: each run computes with it)
        os.environ.pop(name, None)
    # OpenMP's threads sleep between a run's ops instead of spinning for the next one: each op waited for gradwalk's
    # recording between them, and on a busy host (several runs, a run's share of the CPU) the spinning took the
    # CPU the others needed: 300 split adds took 2.2 s of CPU instead of 0.15 s, and a small CNN's 20 training steps
    # ran past the CPU limit. (The same threads split each op the same way: sums round as before.) Read once, as
    # torch loads OpenMP.
    before = os.environ.get("OMP_WAIT_POLICY")
    os.environ["OMP_WAIT_POLICY"] = "PASSIVE"
    import torch

    if before is None:  # (a snippet finds the environment plain Python gives it)
        del os.environ["OMP_WAIT_POLICY"]
    else:
        os.environ["OMP_WAIT_POLICY"] = before

    global PLAIN_THREADS
    PLAIN_THREADS = max(1, min(torch.get_num_threads(), len(os.sched_getaffinity(0))))
    torch.set_num_threads(1)  # before any tensor op: forking after OpenMP's pool has run hangs the child
    # in this thread: lazy imports happen here, and no thread is left when we fork
    warm_up(1 if once else WARM_UP_RUNS, step=not once)
    seccomp: CDLL | None
    try:
        seccomp = lockdown.load_libseccomp()
    except OSError:
        seccomp = None
    if isolated and seccomp is None:
        protocol.send_message(channel, {"ready": False, "error": "libseccomp.so.2 is missing"})
        return 1
    from ..capture.torch_internals import note_torch_functions

    note_torch_functions()  # (found through the collector, which sees no frozen object)
    gc.collect()
    gc.freeze()  # children then copy fewer pages on write
    collapse_to_huge_pages()
    hello = {"ready": True, "torch_version": torch.__version__, "uid": os.getuid(), "isolated": isolated}
    protocol.send_message(channel, {**hello, "seccomp": seccomp is not None})
    allowance_kib = (room_mb + RESIDENT_SLACK_MB) << 10  # (what a child may hold past the memory it shares with us)
    resident_max_kib = usage("self").resident_kib + allowance_kib
    child: int | None = None
    overgrown: dict[str, int] | None = None  # (why the worker killed the child, told with how it ended)
    while True:
        if child is not None and overgrown is None and not protocol.ready(channel.fileno(), WATCH_S):
            seen = usage(child)
            if seen.page_tables_kib > tables_max_kib:
                overgrown = {"page_tables_over_kib": tables_max_kib}
            elif seen.resident_kib > resident_max_kib:
                overgrown = {"resident_over_kib": allowance_kib}
            if overgrown is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(child, signal.SIGKILL)
            continue
        try:
            message, fds = protocol.receive_message(channel)
        except (protocol.ProtocolError, OSError):
            return 0  # the server went away
        if message.get("op") != "next" or len(fds) != 2:
            return 0
        child, answer = next_child(channel.fileno(), child, fds, isolated, seccomp)
        if overgrown is not None and answer["ended"] is not None:
            answer["ended"].update(overgrown)
        overgrown = None
        protocol.send_message(channel, answer)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
