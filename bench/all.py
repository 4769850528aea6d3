"""Every benchmark of issue 6 in one run, printed as one markdown table whose ratios come from this run alone.

    python bench/all.py [--repeat 3] [--sizes 100,1k,10k,100k] [--budget 300] [--seconds 5] [--requests 100]
                        [--ui-repeat 3]
    make bench    # installs the bench extra (torchviz, TorchLens) first, then runs this

1. Capture: the deep MLP of bench/capture.py (Linear(16, 16) + ReLU layers; 5 backward nodes a layer, 6 forward) at
   20, 200, 2,000 and 20,000 layers, about 100, 1k, 10k and 100k backward nodes, each contender in a child forked
   from this warm process (as gradwalk's workers run snippets; every contender runs on a 2-layer model here first,
   `WARM_UP_RUNS` (16) times, as a worker warms up before it forks; in each child, before the timed run, gradwalk
   warms up as its spare children do before their job (`warm_up_spare`: a small MLP's capture, then `touch_heaps`)
   and the others run once more on 2 layers), all contenders in turns, best of `--repeat` runs (2 at 100k, 16 times
   as many at 100, 3 times as many at 1k and twice as many at 10k, where one slow spell of the machine can cover
   every run of a contender; against torchviz the table also gives the median of each turn's own ratio, which a
   slow spell moves less). Contenders: plain forward + backward;
   torchviz `make_dot(loss, params=..., show_saved=True).source` between them (and with `show_attrs=True` too, which
   records what gradwalk records: saved tensors and saved attributes); gradwalk as its sandboxed child captures
   (`capture_here` in the thread at hand, the collector paused, timed until it delivers the Run) with room for every
   node (max_nodes=1,000,000), and once more at 100k with the default limits, which must cap the graph cleanly;
   TorchLens `trace(model, x, capture=CaptureOptions(save_grads=True))` then `log_backward(loss)`. TorchLens refuses
   to capture in a forked child: it runs in fresh processes of its own, timed there after warm-up traces on 2 layers
   (`WARM_UP_RUNS` of them; its first trace wraps torch's functions for good), and each of its runs gets `--budget`
   seconds: a run over it is stopped and the larger sizes are not tried; a run over 10 s is not repeated. Its ratio
   is taken against gradwalk timed the same way (fresh processes, best of the same number of runs: `--repeat`, 3
   times as many at 100; as many warm-up runs first; each in a new thread with a large stack after a warm-up run on 2
   layers there), not against gradwalk's forked child. The two take turns: up to 3 processes each per size, one's
   then the other's, the runs shared among them. A crash in any child is reported in the table, never kills the
   bench. What a contender made (its model, graph, Run or trace) is freed after its timing, never in it: gradwalk
   frees after it answers, and its sandboxed child never does.
2. HTTP: bench/api.py's measures against one `gradwalk serve` on 127.0.0.1 (a free port, a temporary data dir,
   SQLite, one worker per core, sandbox uids from 62300): seed 2D example, p50/p99 round trips with one
   client (`--requests` each), uncached and cached, against a fresh `python -c "import torch; ..."`; runs/s
   with 8 clients for `--seconds` each.
3. UI: bench/ui.py's measures in headless Chromium on the same server: `/` loading (the baseline), then
   permalinks of about 10, 2k and 10k nodes and of a 300-step RNNCell loop until both graphs are drawn (time
   to interactive, from navigation start), and a click on a node (not a folded group) must open the
   inspector. Median of `--ui-repeat` fresh browser contexts, and the first of them (the server folds a big
   run on its first visit); the 3 s goal holds if every visit is drawn within it.
4. Peak memory (VmHWM) of the server process, of its workers and of the children they fork for each run,
   sampled from /proc every 50 ms through parts 2 and 3 (the 10k-node run included).

The machine should be otherwise idle: every number is wall time. Needs root, like the sandbox.
"""

import argparse
import contextlib
import functools
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository, for `app`

import api
import capture
import httpx
import torch
import torch.nn.functional as F
import ui
from playwright.sync_api import sync_playwright
from torch import nn

from app.sandbox.worker import WARM_UP_RUNS, warm_up_spare
from app.settings import Settings

SIZES = {"100": 20, "1k": 200, "10k": 2_000, "100k": 20_000}  # layers: 5 backward nodes each, plus 2
WIDTH = 16
NO_REPEAT_S = 10  # a fresh process's run longer than this is not repeated (TorchLens takes minutes)
FRESH_ROUNDS = 3  # at most this many fresh processes per contender and size, in turns
SERVER_ENV = {
    "GRADWALK_SANDBOX_UID": "62300",  # not the uids of another server on this machine
    "GRADWALK_MAX_NODES": "200000",
    "GRADWALK_RUN_TIMEOUT_S": "60",
    "GRADWALK_RUN_CPU_S": "60",
    "GRADWALK_RECORD_CPU_S": "30",
}


# ---- 1. capture ---------------------------------------------------------------------------------------------
@functools.cache
def run_limits(max_nodes: int) -> dict:
    """The limits a sandboxed child gets with its job, before its clock starts (the settings are read here once,
    never on a contender's clock), but with this max_nodes."""
    return {**Settings().capture_limits(), "max_nodes": max_nodes, "record_cpu_s": 3600.0}


def contenders(layers: int, max_nodes: int) -> dict:
    """name -> a function that builds the model, runs forward and backward, and records it its own way."""
    from torchviz import make_dot

    base = capture.MODEL.format(layers=layers, width=WIDTH, between="")
    with_torchviz = capture.MODEL.format(
        layers=layers,
        width=WIDTH,
        between="make_dot(loss, params=dict(model.named_parameters()), show_saved=True).source",
    )

    with_attrs = with_torchviz.replace("show_saved=True", "show_attrs=True, show_saved=True")

    def torchviz(source=with_torchviz):
        torch.default_generator.manual_seed(0)  # as gradwalk seeds a run
        namespace = {"torch": torch, "nn": nn, "F": F, "make_dot": make_dot}
        exec(source, namespace)
        capture.KEEP.append(namespace)  # freed after the timing, for every contender

    def torchviz_attrs():  # what gradwalk records too: saved tensors and the saved non-tensor attributes
        torchviz(with_attrs)

    limits = run_limits(max_nodes)

    def gradwalk():  # as the sandbox's child: timed until the Run is delivered
        return capture.capture_as_sandbox(base, **limits)

    def plain():
        capture.plain(base)

    return {"plain": plain, "torchviz": torchviz, "torchviz_attrs": torchviz_attrs, "gradwalk": gradwalk}


def torchlens_run(layers: int):
    import torchlens
    from torchlens.options import CaptureOptions

    torch.default_generator.manual_seed(0)  # as gradwalk seeds a run
    model = nn.Sequential(*[m for _ in range(layers) for m in (nn.Linear(WIDTH, WIDTH), nn.ReLU())])
    trace = torchlens.trace(model, torch.randn(8, WIDTH), capture=CaptureOptions(save_grads=True))
    loss = trace[trace.output_layers[0]].out.pow(2).mean()
    trace.log_backward(loss)
    return trace


def gradwalk_run(layers: int):
    return capture.capture_as_sandbox(
        capture.MODEL.format(layers=layers, width=WIDTH, between=""),
        **run_limits(1_000_000),
    )


IN_FRESH_PROCESS = {"torchlens": torchlens_run, "gradwalk": gradwalk_run}


def fresh_process_main(contender: str, layers: int, repeat: int) -> None:
    """`python bench/all.py --in-fresh-process CONTENDER LAYERS`: `WARM_UP_RUNS` runs on 2 layers in this fresh
    process, "ready", then the seconds of up to `repeat` runs, a line each."""
    torch.set_num_threads(1)
    run = IN_FRESH_PROCESS[contender]
    # Not counted: TorchLens's first trace wraps torch's functions for good, and CPython quickens a function's
    # code after 8 calls (a gradwalk worker warms up as often before it serves).
    for _ in range(WARM_UP_RUNS):
        capture.in_this_process(lambda: run(2))
    print("ready", flush=True)
    for _ in range(repeat):  # each run after a warm-up on 2 layers, as in a forked child
        seconds = capture.in_this_process(lambda: run(layers), warm=lambda: run(2))
        print(seconds, flush=True)
        if seconds > NO_REPEAT_S:
            break


def fresh_process_best(contender: str, layers: int, repeat: int, budget: float) -> dict:
    """The fastest of up to `repeat` runs in a fresh process, each stopped past `budget` seconds."""
    lines = queue.Queue()
    with tempfile.TemporaryFile() as errors:
        command = [sys.executable, __file__, "--in-fresh-process", contender, str(layers), "--repeat", str(repeat)]
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors, text=True)

        def read():
            for line in child.stdout:
                lines.put(line)
            lines.put(None)

        threading.Thread(target=read, daemon=True).start()
        times = []
        try:
            for wait in [120.0] + [budget] * repeat:  # import and warm-up, then each run
                try:
                    line = lines.get(timeout=wait)
                except queue.Empty:
                    return {"error": f"over {budget:g} s: stopped", "timeout": budget}
                if line is None:
                    break
                if line.strip() != "ready":
                    times.append(float(line))
        finally:
            child.kill()
            child.wait()
        if not times:
            errors.seek(0)
            last = errors.read().decode(errors="replace").strip().splitlines()[-1:] or [f"exit {child.returncode}"]
            return {"error": f"failed: {last[0]}"[:300]}
    return {"seconds": min(times), "runs": len(times)}


def fresh_processes_in_turns(names: list[str], layers: int, runs: int, budget: float) -> dict:
    """name -> the fastest of `runs` runs in fresh processes (see fresh_process_best), the contenders in turns: up
    to FRESH_ROUNDS processes each, one contender's then the other's, so that a slow spell of the machine falls on
    all of them. A contender stops at its first error or at a run over NO_REPEAT_S."""
    rounds = min(runs, FRESH_ROUNDS)
    outcomes: dict[str, list] = {name: [] for name in names}
    for turn in range(rounds):
        for name, done in outcomes.items():
            if done and ("error" in done[-1] or done[-1]["seconds"] > NO_REPEAT_S):
                continue
            share = runs // rounds + (turn < runs % rounds)
            done.append(fresh_process_best(name, layers, share, budget))
    return {name: fastest(done) for name, done in outcomes.items()}


def fastest(outcomes: list[dict]) -> dict:
    """{"seconds", "runs", "result"} of the fastest run (an outcome of several runs counts as its "runs"), or the
    first {"error"}."""
    failed = [o for o in outcomes if "error" in o]
    runs = sum(o.get("runs", 1) for o in outcomes)
    return failed[0] if failed else {**min(outcomes, key=lambda o: o["seconds"]), "runs": runs}


def runs_at(size: str, repeat: int, forked: bool) -> int:
    """How many runs each contender gets at a size: `repeat`, but at 100k 2 in forked children and 1 in fresh
    processes, and more where a busy moment of the machine weighs most: at 100 nodes 3x `repeat` in fresh
    processes and 16x in forked children (cheap to start), at 1k 3x and at 10k 2x in forked children. Every
    contender gets as many."""
    if size == "100k":
        return 2 if forked else 1
    return repeat * {"100": 16 if forked else 3, "1k": 3 if forked else 1, "10k": 2 if forked else 1}.get(size, 1)


def measure_capture(repeat: int, budget: float) -> dict:
    """{(size, contender): outcome}; contenders plain, torchviz, torchviz_attrs, gradwalk, capped (100k, default
    limits), and in fresh processes gradwalk_process and torchlens."""
    torch.set_num_threads(1)
    warm = contenders(2, max_nodes=1_000)
    for _ in range(WARM_UP_RUNS):  # warm-up here, before any fork, as gradwalk's workers do
        for fn in warm.values():
            fn()
        capture.KEEP.clear()
    warm["gradwalk"] = warm_up_spare  # in each child, what gradwalk's spare children do before their job
    capture.KEEP.clear()
    results = {}
    for size, layers in SIZES.items():
        runs = {name: [] for name in ("plain", "torchviz", "torchviz_attrs", "gradwalk")}
        for _ in range(runs_at(size, repeat, forked=True)):  # in turns: a busy moment of the machine hits all alike
            for name, fn in contenders(layers, max_nodes=1_000_000).items():
                done = runs[name]
                if not done or "error" not in done[-1]:
                    done.append(capture.in_child(fn, timeout=600, warm=warm[name]))
        for name, done in runs.items():
            results[size, name] = fastest(done)
            print(f"  capture {size}: {name} {describe(results[size, name])}", file=sys.stderr)
        ours, theirs = runs["gradwalk"], runs["torchviz"]
        if all("seconds" in outcome for outcome in ours + theirs):  # then one run each a turn: their ratio
            turns = zip(ours, theirs, strict=True)
            results[size, "paired"] = statistics.median(a["seconds"] / b["seconds"] for a, b in turns)
    if "100k" in SIZES:
        capped = contenders(SIZES["100k"], max_nodes=Settings().max_nodes)["gradwalk"]
        results["100k", "capped"] = fastest([capture.in_child(capped, timeout=600, warm=warm["gradwalk"])])
    over = None
    for size, layers in SIZES.items():
        names = ["gradwalk"] if over else ["gradwalk", "torchlens"]
        best = fresh_processes_in_turns(names, layers, runs_at(size, repeat, forked=False), budget)
        results[size, "gradwalk_process"] = best["gradwalk"]
        results[size, "torchlens"] = best.get("torchlens") or {"error": f"not run: {over} was over the budget"}
        if "error" in results[size, "torchlens"]:
            over = over or size
        for name in ("gradwalk_process", "torchlens"):
            print(f"  capture {size}: {name} {describe(results[size, name])}", file=sys.stderr)
    return results


def describe(outcome: dict) -> str:
    return outcome.get("error") or f"{outcome['seconds']:.3f} s (best of {outcome['runs']})"


# ---- 4. peak memory -----------------------------------------------------------------------------------------
def _status(pid: int) -> dict:
    with open(f"/proc/{pid}/status") as f:
        return dict(line.split(":", 1) for line in f if ":" in line)


def _children(pid: int) -> list[int]:
    found = []
    for tid in os.listdir(f"/proc/{pid}/task"):
        with contextlib.suppress(OSError), open(f"/proc/{pid}/task/{tid}/children") as f:
            found += [int(c) for c in f.read().split()]
    return found


class PeakMemory(threading.Thread):
    """Samples the server's process tree every 50 ms: the highest VmHWM (MiB) of the server, of a worker (the
    first Python process under bubblewrap) and of a run (a Python process a worker forked)."""

    def __init__(self, server_pid: int):
        super().__init__(daemon=True)
        self.server_pid, self.peak = server_pid, {"server": 0.0, "worker": 0.0, "run": 0.0}
        self.done = threading.Event()

    def sample(self) -> None:
        stack = [(self.server_pid, "server")]
        while stack:
            pid, kind = stack.pop()
            with contextlib.suppress(OSError, ValueError, KeyError):
                status = _status(pid)
                python = status["Name"].strip().startswith("python")
                if kind != "server" and python:
                    kind = "run" if kind in ("worker", "run") else "worker"
                if kind in self.peak and (kind == "server" or python):
                    self.peak[kind] = max(self.peak[kind], int(status["VmHWM"].split()[0]) / 1024)
                stack += [(child, kind if kind != "server" else "jail") for child in _children(pid)]

    def run(self) -> None:
        while not self.done.wait(0.05):
            self.sample()

    def stop(self) -> dict:
        self.sample()
        self.done.set()
        self.join()
        return self.peak


# ---- 2 and 3: the server ------------------------------------------------------------------------------------
def measure_server(args) -> dict:
    fresh_ms = api.fresh_process_ms(5)
    workers = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="gradwalk-bench-") as data_dir:
        log_path = Path(data_dir) / "server.log"
        with open(log_path, "wb") as log, sync_playwright() as p:
            port = api.free_port()
            base = f"http://127.0.0.1:{port}"
            server = browser = memory = None
            try:
                server = api.start_server(port, data_dir, workers, log, SERVER_ENV)
                memory = PeakMemory(server.pid)
                memory.start()
                http = api.measure(base, server.pid, workers, args.requests, 8, args.seconds)
                print("  HTTP done", file=sys.stderr)
                browser = p.chromium.launch(executable_path=args.chromium, args=ui.CHROMIUM_ARGS)
                bench, chromium = ui.Bench(browser, base), browser.version
                with httpx.Client(base_url=base, timeout=120, trust_env=False) as client:
                    pages, chain_10k = ui.measure(bench, client, args.ui_repeat, run_example=False)
                print("  UI done", file=sys.stderr)
                peak = memory.stop()
            except BaseException:
                log.flush()
                sys.stderr.write(log_path.read_text(errors="replace")[-4000:])
                raise
            finally:
                if memory is not None and memory.is_alive():
                    memory.stop()
                if browser is not None:
                    browser.close()
                if server is not None:
                    api.stop_server(server)
    return {
        "fresh_ms": fresh_ms,
        "workers": workers,
        "http": http,
        "pages": pages,
        "page_errors": bench.errors,
        "chromium": chromium,
        "chain_10k": chain_10k,
        "peak": peak,
    }


# ---- the table ----------------------------------------------------------------------------------------------
def seconds(outcome: dict) -> str:
    return outcome.get("error") or f"{outcome['seconds']:.3f} s"


def yes(ok: bool) -> str:
    return "yes" if ok else "**no**"


def capture_rows(results: dict) -> list[tuple]:
    rows = []
    for size, layers in SIZES.items():
        ours = results[size, "gradwalk"]
        counts = ours.get("result") or {"backward": 5 * layers + 2, "forward": 6 * layers + 5}
        nodes = f"{counts['backward']:,} (+ {counts['forward']:,} fwd)"
        for label, numerator, denominator, goal, check in (
            ("gradwalk ÷ torchviz `make_dot(show_saved=True)`", ours, results[size, "torchviz"], "≤ 1.0x", 1.0),
            (
                "gradwalk ÷ torchviz `make_dot(show_attrs=True, show_saved=True)` (all gradwalk records)",
                ours,
                results[size, "torchviz_attrs"],
                "",
                None,
            ),
            (
                "TorchLens `trace` + `log_backward` ÷ gradwalk, each in a fresh process of its own",
                results[size, "torchlens"],
                results[size, "gradwalk_process"],
                "≥ 20x",
                20.0,
            ),
            ("gradwalk ÷ plain forward + backward", ours, results[size, "plain"], "", None),
        ):
            ratio = met = ""
            if "seconds" in numerator and "seconds" in denominator:
                value = numerator["seconds"] / denominator["seconds"]
                ratio = f"{value:.2f}x"
                if check is not None:
                    met = yes(value <= check if check == 1.0 else value >= check)
            elif "timeout" in numerator and "seconds" in denominator:  # at least the budget
                value = numerator["timeout"] / denominator["seconds"]
                ratio = f"> {value:.0f}x"
                met = yes(True) if value >= check else "?"
            if check == 1.0 and (size, "paired") in results:  # steadier than the best runs when the host is busy
                met += f"; median of the turns' own ratios {results[size, 'paired']:.2f}x"
            rows.append((f"capture {size}: {label}", nodes, seconds(numerator), seconds(denominator), ratio, goal, met))
        if (size, "capped") in results:
            capped = results[size, "capped"]
            captured = ours.get("result", {}).get("status") == "ok"
            clean = capped.get("result", {}).get("status") == "limit"
            kept = capped.get("result") or {}
            what = f"{kept['status']} at {kept['forward'] + kept['backward']:,} nodes" if kept else capped["error"]
            rows.append(
                (
                    f"capture 100k with the default limits (max_nodes = {Settings().max_nodes:,}, fwd + bwd)",
                    nodes,
                    seconds(capped),
                    "",
                    "",
                    "captured or cleanly capped",
                    f"{yes(captured or clean)}: {'captured' if captured else ours.get('error')}"
                    f" with room; {what} with the defaults",
                )
            )
    return rows


def http_rows(server: dict) -> list[tuple]:
    http, fresh = server["http"], server["fresh_ms"]
    nodes = f"{http['nodes'][1]} (+ {http['nodes'][0]} fwd)"
    rows = []
    for kind, goal in (("uncached", 50), ("cached", None)):
        times = http[kind]
        p50 = api.quantile(times, 50)
        rows.append(
            (
                f"HTTP {kind} POST /api/runs, 1 client: p50 (p99); fresh `python -c` ÷ p50",
                nodes,
                f"{p50:.1f} ms ({api.quantile(times, 99):.1f} ms)",
                f"{fresh:.0f} ms",
                f"{fresh / p50:.0f}x",
                f"≥ {goal}x" if goal else "",
                yes(fresh / p50 >= goal) if goal else "",
            )
        )
    for kind, load, goal in (("uncached", http["busy"], 80), ("cached", http["warm"], 1000)):
        failures = f", {load['503']} × 503, {load['other']} other" if load["503"] or load["other"] else ""
        rows.append(
            (
                f"HTTP {kind} runs/s, 8 clients",
                nodes,
                f"{load['per_s']:.1f} runs/s{failures}",
                "",
                "",
                f"≥ {goal}",
                yes(load["per_s"] >= goal),
            )
        )
    return rows


def ui_rows(server: dict) -> list[tuple]:
    pages = server["pages"]
    load_ms = statistics.median(m["ms"] for m in pages[0][2])
    rows = [("UI `/` load, nothing drawn (editor in, Run enabled)", "", f"{load_ms:.0f} ms", "", "", "", "")]
    for label, nodes, measures in pages[1:]:
        size = f"{nodes[1]:,} (+ {nodes[0]:,} fwd)" if nodes else ""
        goal = "≤ 3 s" if "1667" in label or "300-step" in label else ""
        what = f"UI time to interactive, {label}: drawn ÷ `/` load"
        if isinstance(measures, str):
            rows.append((what, size, measures, f"{load_ms:.0f} ms", "", goal, yes(False)))
            continue
        ms = statistics.median(m["ms"] for m in measures)
        panes = sorted({" / ".join(m["panes"]) for m in measures})
        inspector = [m.get("inspector_ms") for m in measures]
        interactive = all(m["inspector"] == "opens" for m in measures) and panes == ["drawn / drawn"]
        drawn = " / ".join(str(n) for n in measures[0]["svgNodes"])
        detail = (
            f"{drawn} nodes drawn (fwd / bwd); inspector opens in {statistics.median(inspector):.0f} ms"
            if interactive
            else f"panes {', '.join(panes)}; inspector {', '.join(sorted({m['inspector'] for m in measures}))}"
        )
        met = yes(interactive and (not goal or max(m["ms"] for m in measures) <= 3000))  # every visit
        time_cell = f"{ms:.0f} ms (first visit {measures[0]['ms']:.0f})"
        rows.append((what, size, time_cell, f"{load_ms:.0f} ms", f"{ms / load_ms:.1f}x", goal, f"{met}: {detail}"))
    return rows


def memory_rows(server: dict) -> list[tuple]:
    peak = server["peak"]
    return [
        (f"peak memory (VmHWM) of {what}, through the HTTP and UI parts", "", f"{peak[key]:.0f} MiB", "", "", "", "")
        for key, what in (
            ("server", "the server process"),
            ("worker", "a worker"),
            ("run", "a run's forked child (sampled every 50 ms)"),
        )
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="capture: best of this many (forked: 16x at 100, 3x at 1k, 2x at 10k, 2 at 100k; "
        "fresh: 3x at 100, 1 at 100k)",
    )
    parser.add_argument("--sizes", default=",".join(SIZES), help="capture: which of " + ", ".join(SIZES))
    parser.add_argument("--budget", type=float, default=300, help="capture: seconds a TorchLens run may take")
    parser.add_argument("--seconds", type=float, default=5, help="HTTP: duration of each runs/s phase")
    parser.add_argument("--requests", type=int, default=100, help="HTTP: round trips of each kind")
    parser.add_argument("--ui-repeat", type=int, default=3, help="UI: measures of each page (median)")
    parser.add_argument("--chromium", default="/usr/bin/chromium", help="UI: the Chromium executable")
    parser.add_argument("--in-fresh-process", nargs=2, help=argparse.SUPPRESS)  # the child of fresh_process_best
    args = parser.parse_args()
    if args.in_fresh_process:
        contender, layers = args.in_fresh_process
        fresh_process_main(contender, int(layers), args.repeat)
        return
    for size in set(SIZES) - set(args.sizes.split(",")):
        del SIZES[size]
    started = time.monotonic()
    results = measure_capture(args.repeat, args.budget)
    server = measure_server(args)
    rows = capture_rows(results) + http_rows(server) + ui_rows(server) + memory_rows(server)

    print(
        f"\ngradwalk bench: torch {torch.__version__} (capture: 1 thread), {os.cpu_count()} cores, "
        f"{server['workers']} workers, Chromium {server['chromium']}; {time.monotonic() - started:.0f} s in all\n"
    )
    print("| what | size (backward nodes) | time | baseline | ratio | goal | met? |")
    print("|---|---:|---:|---:|---:|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    if server["page_errors"]:
        print("\nerrors seen in the page: " + "; ".join(f"{n}x {text}" for text, n in server["page_errors"].items()))


if __name__ == "__main__":
    main()
