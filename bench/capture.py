"""Capture time of a deep MLP: gradwalk against torchviz and against plain forward + backward, in one run.

    python bench/capture.py [--layers 2000] [--width 16] [--repeat 3]

Each contender runs the same model source (build, forward, backward) in this process; the best of
`--repeat` runs counts. torchviz draws with `make_dot(show_attrs=True, show_saved=True)`; it recurses once per
graph level, so it runs with a raised recursion limit in a thread with a large stack, as gradwalk does.
"""

import argparse
import gc
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch
import torch.nn.functional as F
from torch import nn

from app.capture import capture

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


def plain(source: str):
    namespace = {"torch": torch, "nn": nn, "F": F}
    torch.manual_seed(0)
    exec(source, namespace)
    return namespace


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()  # start each run from the same clean heap
        started = time.perf_counter()
        in_big_thread(fn)
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layers", type=int, default=2000)
    parser.add_argument("--width", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(1)
    base = MODEL.format(layers=args.layers, width=args.width, between="")
    with_torchviz = MODEL.format(
        layers=args.layers,
        width=args.width,
        between="make_dot(loss, params=dict(model.named_parameters()), show_attrs=True, show_saved=True).source",
    )

    def torchviz_run():
        from torchviz import make_dot

        namespace = {"torch": torch, "nn": nn, "F": F, "make_dot": make_dot}
        torch.manual_seed(0)
        exec(with_torchviz, namespace)

    limits = {"max_nodes": 1_000_000, "max_elements": 100, "max_output_bytes": 65536}
    run = capture(base, **limits)
    assert run["status"] == "ok", run["error"]
    nodes, forward_nodes = len(run["backward"]["nodes"]), len(run["forward"]["nodes"])
    del run
    results = {
        "plain forward + backward": best_of(args.repeat, lambda: plain(base)),
        "torchviz make_dot (attrs, saved)": best_of(args.repeat, torchviz_run),
        "gradwalk capture": best_of(args.repeat, lambda: capture(base, **limits)),
    }
    ours = results["gradwalk capture"]
    print(
        f"{args.layers}-layer MLP, width {args.width}: {nodes} backward nodes, "
        f"{forward_nodes} forward nodes; torch {torch.__version__}, 1 thread\n"
    )
    print("| contender | time (s) | gradwalk / contender |")
    print("|---|---:|---:|")
    for name, seconds in results.items():
        print(f"| {name} | {seconds:.3f} | {ours / seconds:.2f}x |")


if __name__ == "__main__":
    main()
