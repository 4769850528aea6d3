"""Capture time of a deep MLP: gradwalk against torchviz and against plain forward + backward, in one run.

    python bench/capture.py [--layers 2000] [--width 16] [--repeat 3]

Each contender runs the same model source (build, forward, backward) twice over: in a child forked from this
warm process, as gradwalk's sandbox runs every snippet, and in this process itself; the best of `--repeat`
runs counts in each place. gradwalk captures as its sandboxed child does (`capture_here` in the thread at hand,
the collector paused), timed until it delivers the Run. torchviz draws with `make_dot(show_saved=True)` (issue
18's baseline) and with `make_dot(show_attrs=True, show_saved=True)` (what gradwalk records: saved tensors and
attributes); it recurses once per graph level, so it runs with a raised recursion limit in a thread with a large
stack, as gradwalk does.
"""

import argparse
import gc
import json
import os
import select
import signal
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch
import torch.nn.functional as F
from torch import nn

from app.capture import capture, capture_here, wait_until_idle
from app.gc_pause import gc_paused
from app.settings import Settings

MODEL = """
layers = []
for _ in range({layers}):
    layers += [nn.Linear({width}, {width}), nn.ReLU()]
model = nn.Sequential(*layers)
inputs = torch.randn(8, {width})
loss = model(inputs).pow(2).mean()
{between}
loss.backward()
"""


def in_big_thread(fn):
    """Call fn() in a thread with a 512 MiB stack and a high recursion limit; return its result."""
    result = {}
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1_000_000)
    previous = threading.stack_size(512 * 1024 * 1024)
    try:
        thread = threading.Thread(target=lambda: result.setdefault("value", fn()))
        thread.start()
        thread.join()
    finally:
        threading.stack_size(previous)
        sys.setrecursionlimit(limit)
    return result["value"]


# What each contender made (its namespace, its Run) stays here until its timing is over: freeing a model and its
# graph is no contender's time (gradwalk's sandboxed child answers and exits without freeing anything).
KEEP: list = []


def plain(source: str):
    namespace = {"torch": torch, "nn": nn, "F": F}
    torch.default_generator.manual_seed(0)  # as gradwalk seeds a run
    exec(source, namespace)
    KEEP.append(namespace)
    return namespace


def timed(fn) -> dict:
    """{"seconds": fn() took, "result": what it returned if a dict}. fn may stop the clock early: a dict it returns
    with "ended" (a `time.perf_counter()`) says when."""
    started = time.perf_counter()
    result = fn()
    ended = time.perf_counter()
    if isinstance(result, dict):
        ended = result.pop("ended", ended)
    return {"seconds": ended - started, "result": result if isinstance(result, dict) else None}


def in_child(fn, timeout: float | None = None, warm=None) -> dict:
    """fn() in a child forked from this process, as gradwalk's workers run each snippet: every contender starts
    from the same warm, clean heap; `warm()`, if given, runs first in the child, untimed (as gradwalk's spare
    children warm up before their job). Returns what `timed(fn)` does, or {"error": ...} if fn raised, the child
    died, or it ran past `timeout` seconds (then it is killed, and "timeout" says so)."""
    gc.collect()
    gc.freeze()  # as gradwalk's worker does before it forks: children's collections skip the parent's heap
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # never returns: whatever happens, the child ends here

        def guarded():
            try:
                if warm is not None:
                    warm()
                return timed(fn)
            except BaseException as exc:
                return {"error": f"{type(exc).__name__}: {exc}"[:300]}

        try:
            os.close(read_end)
            data = json.dumps(in_big_thread(guarded), default=repr).encode()
            while data:
                data = data[os.write(write_end, data) :]
        finally:
            os._exit(0)
    os.close(write_end)
    deadline = None if timeout is None else time.monotonic() + timeout
    chunks = []
    try:
        while True:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not select.select([read_end], [], [], left)[0]:
                os.kill(child, signal.SIGKILL)
                return {"error": f"over {timeout:g} s: stopped", "timeout": timeout}
            chunk = os.read(read_end, 65536)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_end)
        _, status = os.waitpid(child, 0)
        gc.unfreeze()
    if os.WIFSIGNALED(status):
        return {"error": f"the child died of {signal.Signals(os.WTERMSIG(status)).name}"}
    return json.loads(b"".join(chunks)) if chunks else {"error": f"the child exited with {os.WEXITSTATUS(status)}"}


def capture_as_sandbox(source: str, **limits) -> dict:
    """A capture as gradwalk's sandboxed child makes it: `capture_here` in the thread at hand with the collector
    paused, timed until it delivers the Run (where the child sends it and exits without freeing anything).
    {"status", "forward", "backward": node counts, "ended": when the Run was delivered}, for `in_child` and
    `in_this_process`."""
    outcome = {}

    def deliver(run: dict) -> None:
        outcome["ended"] = time.perf_counter()
        KEEP.append(run)
        graphs = run["forward"]["nodes"], run["backward"]["nodes"]
        outcome.update(status=run["status"], forward=len(graphs[0]), backward=len(graphs[1]))

    with gc_paused():
        capture_here(source, deliver=deliver, **limits)  # then frees the snippet's graph, off the clock
    return outcome


def in_fresh_child(fn) -> float:
    """Seconds fn() takes in a child forked from this process (see in_child)."""
    outcome = in_child(fn)
    assert "error" not in outcome, outcome["error"]
    return outcome["seconds"]


def in_this_process(fn, warm=None) -> float:
    """Seconds fn() takes here (see `timed`), in a new thread with a large stack where `warm()`, if given, runs
    first, untimed (as in `in_child`); what it made, and what gradwalk frees after answering, is freed before
    the next run starts."""
    gc.collect()

    def run():
        if warm is not None:
            warm()
        return timed(fn)

    seconds = in_big_thread(run)["seconds"]
    KEEP.clear()
    wait_until_idle()
    return seconds


def best_of(repeat: int, fn, where) -> float:
    return min(where(fn) for _ in range(repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layers", type=int, default=2000)
    parser.add_argument("--width", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(1)
    base = MODEL.format(layers=args.layers, width=args.width, between="")
    from torchviz import make_dot  # imported here, before any fork: no contender pays for an import

    def torchviz_run(attrs: bool) -> None:
        between = f"make_dot(loss, params=dict(model.named_parameters()), show_attrs={attrs}, show_saved=True).source"
        namespace = {"torch": torch, "nn": nn, "F": F, "make_dot": make_dot}
        torch.default_generator.manual_seed(0)  # as gradwalk seeds a run
        exec(MODEL.format(layers=args.layers, width=args.width, between=between), namespace)
        KEEP.append(namespace)

    limits = {**Settings().capture_limits(), "max_nodes": 1_000_000, "record_cpu_s": 3600.0}
    contenders = {
        "plain forward + backward": lambda: plain(base),
        "torchviz make_dot (saved)": lambda: torchviz_run(attrs=False),
        "torchviz make_dot (attrs, saved)": lambda: torchviz_run(attrs=True),
        "gradwalk capture": lambda: capture_as_sandbox(base, **limits),
    }
    places = {"forked child": in_fresh_child, "this process": in_this_process}
    results = {
        (name, place): best_of(args.repeat, fn, where)
        for place, where in places.items()
        for name, fn in contenders.items()
    }
    run = capture(base, **limits)  # last: a run's freed memory in this process would tax the forked children
    assert run["status"] == "ok", run["error"]
    nodes, forward_nodes = len(run["backward"]["nodes"]), len(run["forward"]["nodes"])
    print(
        f"{args.layers}-layer MLP, width {args.width}: {nodes} backward nodes, "
        f"{forward_nodes} forward nodes; torch {torch.__version__}, 1 thread, best of {args.repeat}\n"
    )
    print("| contender | forked child (s) | gradwalk / it | this process (s) | gradwalk / it |")
    print("|---|---:|---:|---:|---:|")
    for name in contenders:
        cells = []
        for place in places:
            ours, theirs = results[("gradwalk capture", place)], results[(name, place)]
            cells += [f"{theirs:.3f}", f"{ours / theirs:.2f}x"]
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
