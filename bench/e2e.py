"""End to end, as users meet it: `gradwalk capture FILE` and `POST /api/runs` of a deep MLP (2000 layers: 10k
backward nodes), start-up excluded, against torchviz `make_dot(show_saved=True)` on the same model, in one run.

    python bench/e2e.py [--layers 2000] [--repeat 3]

- torchviz: build, forward, `make_dot(loss, params=..., show_saved=True).source`, backward, in this warm process
  (torch and torchviz imported before the clock starts; a thread with a deep stack), best of `--repeat`.
- CLI: `python -m app capture FILE > /dev/null` (the sandbox, one worker) for the MLP, less the same command on a
  one-line snippet: what the MLP adds to the command's fixed start-up (Python, torch, the sandbox's worker).
  Best of `--repeat` each.
- API: one `gradwalk serve` on 127.0.0.1 (a free port, a temporary data dir, SQLite); the round trip of an
  uncached POST of the MLP (its own comment line each time, so it really runs), less that of an uncached one-line
  snippet. Best of `--repeat` each.

Ratios are gradwalk ÷ torchviz; the goal (issue 18) is at most 1.5x. Loopback only; needs root, like the sandbox.
"""

import argparse
import itertools
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import torch
import torch.nn.functional as F
from api import free_port, start_server, stop_server
from capture import MODEL, in_big_thread
from torch import nn
from torchviz import make_dot

ROOT = Path(__file__).resolve().parents[1]
GOAL = 1.5
SETTINGS = {
    "GRADWALK_RUN_TIMEOUT_S": "120",
    "GRADWALK_RUN_CPU_S": "120",
    "GRADWALK_RECORD_CPU_S": "60",
    "GRADWALK_RATE_LIMIT_RUNS_PER_MIN": "0",
}
unique = itertools.count()


def best(repeat: int, fn) -> float:
    return min(fn() for _ in range(repeat))


def torchviz_seconds(source: str) -> float:
    between = "make_dot(loss, params=dict(model.named_parameters()), show_saved=True).source"
    namespace = {"torch": torch, "nn": nn, "F": F, "make_dot": make_dot}
    code = source.replace("{between}", between)
    started = time.perf_counter()
    exec(code, namespace)
    return time.perf_counter() - started


def cli_seconds(path: str) -> float:
    env = {**os.environ, **SETTINGS}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "app", "capture", path], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, check=False
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"gradwalk capture {path} exited with {done.returncode}")
    return seconds


def post_seconds(client: httpx.Client, code: str) -> float:
    started = time.perf_counter()
    response = client.post("/api/runs", json={"code": f"{code}\n# {next(unique)}\n"})
    seconds = time.perf_counter() - started
    if response.status_code != 201 or response.json()["status"] != "ok":
        raise RuntimeError(f"POST /api/runs answered {response.status_code}: {response.text[:300]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layers", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(1)
    model = MODEL.format(layers=args.layers, width=16, between="{between}")
    source, small = model.replace("{between}\n", ""), "x = torch.ones(1, requires_grad=True)\n"
    # (torchviz recurses once per graph level: a deep stack, as bench/capture.py gives it)
    results = {
        "torchviz make_dot(show_saved=True)": in_big_thread(lambda: best(args.repeat, lambda: torchviz_seconds(model)))
    }
    with tempfile.TemporaryDirectory() as tmp:
        mlp, one_line = Path(tmp, "mlp.py"), Path(tmp, "one_line.py")
        mlp.write_text(source)
        one_line.write_text(small)
        results["gradwalk capture FILE (less its start-up)"] = best(args.repeat, lambda: cli_seconds(str(mlp))) - best(
            args.repeat, lambda: cli_seconds(str(one_line))
        )
        port, env = free_port(), {**SETTINGS, "GRADWALK_MAX_NODES": "200000"}
        with open(Path(tmp, "server.log"), "wb") as log:
            server = start_server(port, str(Path(tmp, "data")), 1, log, env)
            try:
                with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=300, trust_env=False) as client:
                    post_seconds(client, small)  # (warm)
                    mlp_post = best(args.repeat, lambda: post_seconds(client, source))
                    results["POST /api/runs (less a one-line run's)"] = mlp_post - best(
                        args.repeat, lambda: post_seconds(client, small)
                    )
            finally:
                stop_server(server)
    baseline = results["torchviz make_dot(show_saved=True)"]
    print(f"{args.layers}-layer MLP, width 16; torch {torch.__version__}, best of {args.repeat}\n")
    print(f"| contender | seconds | ÷ torchviz (goal ≤ {GOAL}x) |")
    print("|---|---:|---:|")
    for name, seconds in results.items():
        ratio = seconds / baseline
        verdict = "" if seconds is baseline else (" met" if ratio <= GOAL else " missed")
        print(f"| {name} | {seconds:.3f} | {ratio:.2f}x{verdict} |")


if __name__ == "__main__":
    main()
