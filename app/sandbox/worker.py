"""The worker: a long-lived process (inside bubblewrap when isolated) that has imported torch and the capture
engine, and forks one child per run. The child locks itself down, runs the snippet and sends its Run back;
the worker enforces the deadline, then kills whatever the run left and wipes the scratch directory.

    python -m app.sandbox.worker [--isolated]

Speaks the frames of `protocol.py` on its standard input and output: a `hello` header once ready, then for
each `run` job a header (how the child ended) followed by a frame with the child's Run JSON (maybe empty).
"""

import contextlib
import ctypes
import gc
import json
import os
import select
import shutil
import signal
import sys
import time

from . import lockdown, protocol

SCRATCH = "/tmp"


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


def _wipe_scratch() -> None:
    for name in os.listdir(SCRATCH):
        path = os.path.join(SCRATCH, name)
        with contextlib.suppress(OSError):
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path, ignore_errors=True)
            else:
                os.unlink(path)


def _child(job: dict, result_w: int, seccomp) -> None:
    """Runs in the forked child and never returns: lock down, capture, send the Run, exit at once."""
    from ..capture import capture_here, dumps

    status = 3
    try:
        os.setpgid(0, 0)
        null = os.open("/dev/null", os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.closerange(3, result_w)
        os.closerange(result_w + 1, 65536)
        lockdown.lock_down(seccomp, **job["lockdown"])
        limit = job["max_result_bytes"]

        def deliver(run: dict) -> None:
            run["id"], run["code"] = job.get("id"), job["code"]  # the server checks both and stores these bytes
            data = dumps(run)
            if len(data) > limit:
                run = {
                    **run,
                    "status": "limit",
                    "forward": {"nodes": [], "edges": []},
                    "backward": {"nodes": [], "edges": []},
                    "error": {
                        "type": "ResultLimit",
                        "line": None,
                        "column": None,
                        "hint": None,
                        "message": f"The Run came to {len(data)} bytes, over max_result_bytes = {limit}; "
                        "its graphs were dropped. Use a smaller snippet or raise "
                        "GRADWALK_MAX_RESULT_BYTES.",
                    },
                }
                data = dumps(run)
            protocol.send(result_w, data)
            os.close(result_w)  # before exiting: tearing down the address space takes milliseconds
            os._exit(0)

        gc.disable()
        capture_here(job["code"], deliver=deliver, **job["capture"])
    except BaseException as exc:  # anything at all: report it, never fall back into the worker
        text = f"{type(exc).__name__}: {exc}"
        if isinstance(exc, MemoryError) or "bad_alloc" in text or "can't allocate" in text:
            error = {
                "type": "MemoryLimit",
                "message": f"The run ran out of the memory it may use (GRADWALK_RUN_MEMORY_MB): {text}",
            }
        else:
            error = {"type": "SandboxError", "message": f"gradwalk failed while running the snippet: {text}"}
        with contextlib.suppress(BaseException):
            run = {"status": "limit" if error["type"] == "MemoryLimit" else "error", "error": error}
            protocol.send(result_w, json.dumps(run).encode())
    finally:
        os._exit(status)


# A run as small as can be that still takes the paths most snippets take: modules, autograd, tensors printed.
WARM_UP_SNIPPET = """\
model = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 1))
loss = model(torch.ones(2, 4)).pow(2).mean()
loss.backward()
print(f"{loss} {model[0].bias.grad}")
"""


# How often the worker runs the warm-up before it forks. CPython 3.11 quickens a function's bytecode after its
# 8th call and then specializes its instructions as they run: both write to the code objects. Done in the worker,
# every child forked later only reads that code; warmed once, each child redid it on its own copies (a 20-layer
# MLP's run in a spare child: about 30 more page faults and 0.5 ms more).
WARM_UP_RUNS = 16


def warm_up(runs: int = 1) -> None:
    """`runs` small captures, in this thread: imports what runs import, and touches what they touch."""
    from ..capture import capture_here

    for _ in range(runs):
        capture_here(WARM_UP_SNIPPET, max_nodes=1000, max_elements=10, max_output_bytes=1024, deliver=lambda run: None)


def warm_up_spare(job_fd: int | None = None) -> None:
    """What a spare child does while no job waits (on `job_fd`, if given): the pages every run writes are written
    now, not on its clock. The warm-up copies the worker's pages that a run changes, touch_heaps adds fresh pages
    to the heaps. A step is skipped once a job waits: under load, warming would only delay it."""
    from ..capture import touch_heaps

    for step in (warm_up, touch_heaps):
        if job_fd is not None and select.select([job_fd], [], [], 0)[0]:
            return
        step()


class Spare:
    """A child forked ahead of its job, so the fork is off the request's path: it waits for the job on a pipe,
    then locks itself down and runs it."""

    def __init__(self, seccomp):
        job_r, self.job_w = os.pipe()
        self.result_r, result_w = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            try:
                os.close(self.job_w)
                os.close(self.result_r)
                warm_up_spare(job_r)
                job = json.loads(protocol.receive(job_r, 1 << 24))
            except BaseException:  # the worker went away before sending a job
                os._exit(4)
            _child(job, result_w, seccomp)
        os.close(job_r)
        os.close(result_w)


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


def run_job(job: dict, spare: Spare, isolated: bool, reply, seccomp) -> Spare:
    """Give one job to the spare child; `reply(header, body)` says how it ended and carries its Run JSON. A child
    that answered in full is reaped after the reply; one that did not is reaped first, for its exit status.
    Returns the next spare, forked before the cleanup so that it is ready sooner."""
    started = time.monotonic()
    deadline = started + job["timeout_s"]
    header: dict = {"outcome": "ok"}
    body = b""
    try:
        protocol.send(spare.job_w, json.dumps(job).encode())
        os.close(spare.job_w)
        body = protocol.receive(spare.result_r, job["max_result_bytes"] + 65536, deadline)
    except (protocol.ProtocolError, OSError) as exc:
        header["outcome"] = "timeout" if time.monotonic() >= deadline else "no_result"
        header["detail"] = str(exc)
    finally:
        os.close(spare.result_r)
    header["wall_s"] = time.monotonic() - started
    if header["outcome"] == "ok":
        reply(header, body)
    # A child that answered is on its way out; one that lingers (or forged its answer and stays) is not waited for.
    with contextlib.suppress(ProcessLookupError):
        os.kill(spare.pid, signal.SIGKILL)
    _, wait_status, usage = os.wait4(spare.pid, 0)
    if header["outcome"] != "ok":
        if os.WIFSIGNALED(wait_status):
            header["signal"] = signal.Signals(os.WTERMSIG(wait_status)).name
        else:
            header["exit_code"] = os.WEXITSTATUS(wait_status)
        header["cpu_s"] = usage.ru_utime + usage.ru_stime
        reply(header, body)
    following = Spare(seccomp)
    _kill_leftovers(spare.pid, isolated, following.pid)
    if isolated:
        _wipe_scratch()  # the spare has not started its job yet: the scratch directory is nobody's
    return following


def main(argv: list[str]) -> int:
    isolated = "--isolated" in argv
    # The protocol moves to private descriptors; stray prints (torch, warnings) go to standard error.
    protocol_in, protocol_out = os.dup(0), os.dup(1)
    null = os.open("/dev/null", os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(2, 1)
    lockdown.prctl(lockdown.PR_SET_DUMPABLE, 0)  # children share our uid: no /proc/<worker>/mem for them
    import torch

    torch.set_num_threads(1)  # before any tensor op: forking after OpenMP's pool has run hangs the child
    torch.set_num_interop_threads(1)
    warm_up(WARM_UP_RUNS)  # in this thread: lazy imports happen here, and no thread is left when we fork
    try:
        seccomp = lockdown.load_libseccomp()
    except OSError:
        seccomp = None
    if isolated and seccomp is None:
        protocol.send_json(protocol_out, {"ready": False, "error": "libseccomp.so.2 is missing"})
        return 1
    gc.collect()
    gc.freeze()  # children then copy fewer pages on write
    collapse_to_huge_pages()
    protocol.send_json(
        protocol_out,
        {
            "ready": True,
            "torch_version": torch.__version__,
            "uid": os.getuid(),
            "isolated": isolated,
            "seccomp": seccomp is not None,
        },
    )

    def reply(header: dict, body: bytes) -> None:
        protocol.send_json(protocol_out, header)
        protocol.send(protocol_out, body)

    spare = Spare(seccomp)
    while True:
        try:
            job = protocol.receive_json(protocol_in)
        except protocol.ProtocolError:
            return 0  # the server went away
        if job.get("op") != "run":
            return 0
        spare = run_job(job, spare, isolated, reply, seccomp)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
