"""The web page in Chromium: time until both graphs are drawn, for graphs of about 10, 2,000 and 10,000 nodes
and a 300-step unrolled RNN, against the same page loading without drawing, in one run.

    python bench/ui.py [--repeat 5] [--chromium /usr/bin/chromium]

Starts one server (`gradwalk serve`) on 127.0.0.1 with a free port, a temporary data dir (SQLite), 2 workers
and room for big graphs (GRADWALK_MAX_NODES=200000, 60 s per run), and stops it at the end. Drives headless
Chromium through Playwright at 1440x900; every measure gets a fresh browser context (nothing cached, a first
visit). Times are read in the page (performance.now(), from navigation start or from the click) at the first
frame rendered after the moment they mark:

- page load: `/` until the editor is in and `#run` is enabled (nothing to draw), the baseline of the ratios;
- Run: `/`, choose the seed's 2D example, click Run, until body[data-draw-ms] is set (both graphs in). The
  same code gives the same stored run, so only the first repeat really runs it on the server;
- permalink: `/runs/{id}` of a run posted beforehand, until body[data-draw-ms] is set, then a click on a
  forward node must open the inspector (time to interactive);
- typed in: `/`, the 1667-layer chain put in the editor (with a different comment each time, so the server
  really runs it), click Run, until body[data-draw-ms] is set, then the same click on a node.

drawMs is the page's own measure: from the answer (or the inlined run) to both graphs drawn. Graphs over 1,000
nodes open folded (repeated blocks as one lavender group node, which a click opens): the click that must open
the inspector goes to a node that is not a group. A pane that shows a message instead of a graph is reported
in `panes`, not counted as a failure.
Median of `--repeat`, with min and max. Console errors and page errors are listed below the table.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import api
import httpx
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

RNN = """cell = nn.RNNCell(4, 8)
h = torch.zeros(1, 8)
xs = torch.randn({n}, 1, 4)
for t in range({n}):
    h = cell(xs[t], h)
h.pow(2).sum().backward()
"""
CHAIN = """layers = [nn.Linear(4, 4) for _ in range({n})]
x = torch.randn(2, 4)
for l in layers:
    x = torch.tanh(l(x))
x.sum().backward()
"""
# In the page before its own scripts: `__marks[name]` is the time of the first frame rendered after `name`
# happened (ready: editor in and Run enabled; drawn: body[data-draw-ms] set, since the last click on Run if any);
# `click` is a click on Run.
MARKS = """
window.__marks = {};
const seen = new Set();
const mark = (name) => {
  if (seen.has(name)) return;
  seen.add(name);
  requestAnimationFrame(() => setTimeout(() => { window.__marks[name] = performance.now(); }));
};
document.addEventListener("click", (event) => {
  if (!(event.target.closest && event.target.closest("#run"))) return;
  window.__marks.click = performance.now();
  // what was drawn before (the first visit's example) is not what this click asked for
  seen.delete("drawn");
  delete window.__marks.drawn;
  delete document.body.dataset.drawMs;
}, true);
new MutationObserver(() => {
  const run = document.getElementById("run");
  if (run && !run.disabled && document.querySelector(".CodeMirror")) mark("ready");
  if (document.body && document.body.dataset.drawMs !== undefined) mark("drawn");
}).observe(document, { childList: true, subtree: true, attributeFilter: ["data-draw-ms", "disabled"] });
"""
# What a measure reads from the page once its mark is in.
STATE = """() => ({
  ...window.__marks,
  drawMs: Number(document.body.dataset.drawMs),
  runId: document.body.dataset.runId,
  panes: ["forward", "backward"].map((p) => document.getElementById(p + "-pane").dataset.state),
  svgNodes: ["forward", "backward"].map((p) => document.querySelectorAll(`#${p}-pane .canvas svg g.node`).length),
})"""
# The forward node whose centre is nearest a point of the page: its id and its width on screen. Folded groups
# (lavender, "×n" in their label) are left out: a click on one opens the group, not the inspector.
NEAREST_NODE = """([x, y]) => {
  let best = null;
  for (const g of document.querySelectorAll("#forward-pane .canvas svg g.node")) {
    if (g.querySelector('[fill="lavender"]') || / ×\\d/.test(g.textContent)) continue;
    const r = g.getBoundingClientRect();
    const d = Math.hypot(r.x + r.width / 2 - x, r.y + r.height / 2 - y);
    if (!best || d < best[0]) best = [d, g.dataset.node, r.width];
  }
  return best.slice(1);
}"""
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
CHROMIUM_ARGS.append("--disable-component-update")


def start_server(port: int, data_dir: str, log) -> subprocess.Popen:
    """bench/api.py's server, with room for big graphs and uids of its own."""
    return api.start_server(
        port,
        data_dir,
        2,
        log,
        env={
            "GRADWALK_SANDBOX_UID": os.environ.get("GRADWALK_SANDBOX_UID", "62100"),  # not another server's uids
            "GRADWALK_MAX_NODES": "200000",
            "GRADWALK_RUN_TIMEOUT_S": "60",
            "GRADWALK_RUN_CPU_S": "60",
            "GRADWALK_RECORD_CPU_S": "30",
        },
    )


def store(client: httpx.Client, code: str) -> dict:
    """Posts `code`; the stored run's id and node counts."""
    run = client.post("/api/runs", json={"code": code}).json()
    assert run.get("status") == "ok", str(run)[:300]
    return {"id": run["id"], "nodes": (len(run["forward"]["nodes"]), len(run["backward"]["nodes"]))}


def click_a_node(page) -> str:
    """Zooms the forward graph in at the pane's centre (the wheel, as a person would) until the node nearest
    the centre is at least 24 px wide, then clicks it and returns its id; a 2,000-node graph fitted in its pane
    has 2 px nodes."""
    box = page.locator("#forward-pane .canvas").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    for _ in range(20):
        node_id, width = page.evaluate(NEAREST_NODE, [x, y])
        if width >= 24:
            break
        page.mouse.wheel(0, -300)
    page.locator(f"#forward-pane g.node[data-node='{node_id}']").first.click(timeout=5000)
    return node_id


class Bench:
    def __init__(self, browser, base: str):
        self.browser, self.base = browser, base
        self.errors = Counter()

    def page(self):
        context = self.browser.new_context(viewport={"width": 1440, "height": 900})
        context.add_init_script(MARKS)
        page = context.new_page()
        page.on("console", lambda m: m.type == "error" and self.errors.update([f"console: {m.text}"[:200]]))
        page.on("pageerror", lambda e: self.errors.update([f"page error: {e}"[:200]]))
        return context, page

    def marks(self, page, name: str, timeout_s: float) -> dict:
        page.wait_for_function(f"() => window.__marks.{name} !== undefined", timeout=timeout_s * 1000)
        return page.evaluate(STATE)

    def load(self) -> dict:
        """`/` until the editor is in and Run is enabled."""
        context, page = self.page()
        try:
            page.goto(self.base + "/")
            return {"ms": self.marks(page, "ready", 30)["ready"]}
        finally:
            context.close()

    def run(self, example: str | None = None, code: str | None = None, timeout_s: float = 60) -> dict:
        """`/`, choose `example` (or type `code` into the editor), click Run, until both graphs are drawn; with
        `code`, a click on a forward node must then open the inspector."""
        context, page = self.page()
        try:
            page.goto(self.base + "/")
            self.marks(page, "ready", 30)
            if example is not None:
                page.select_option("#example", example)
            else:
                page.evaluate("(code) => document.querySelector('.CodeMirror').CodeMirror.setValue(code)", code)
            page.get_by_role("button", name="Run", exact=True).click()
            marks = self.marks(page, "drawn", timeout_s)
            if code is not None:
                self.try_inspector(page, marks)
            return {"ms": marks["drawn"] - marks["click"], **marks}
        finally:
            context.close()

    def permalink(self, run_id: str, timeout_s: float) -> dict:
        """`/runs/{id}` until both graphs are drawn; then a click on a forward node must open the inspector."""
        context, page = self.page()
        try:
            page.goto(f"{self.base}/runs/{run_id}", timeout=timeout_s * 1000)
            marks = self.marks(page, "drawn", timeout_s)
            self.try_inspector(page, marks)
            return {"ms": marks["drawn"], **marks}
        finally:
            context.close()

    def try_inspector(self, page, marks: dict) -> None:
        """Click a forward node of a drawn page: marks["inspector"] says whether the inspector opened."""
        marks["inspector"] = "–"
        if marks["panes"][0] != "drawn":
            return
        try:
            click_a_node(page)
            clicked = time.perf_counter()
            page.wait_for_function("() => !document.getElementById('inspector').hidden", timeout=5000)
            marks["inspector_ms"] = (time.perf_counter() - clicked) * 1000
            marks["inspector"] = "opens"
        except PlaywrightError as exc:
            marks["inspector"] = "FAILED"
            self.errors.update([f"inspector: {str(exc).splitlines()[0]}"[:200]])


def measure(bench: Bench, client: httpx.Client, repeat: int, run_example: bool = True) -> tuple[list, dict]:
    """The rows of the table: (label, nodes, measures or why there are none); and the 10k-node run's post."""
    rows = []
    examples = {e["id"]: e["code"] for e in client.get("/api/examples").json()}
    scalar = store(client, examples["scalar"])
    chain_2k = store(client, CHAIN.format(n=333))
    rnn_300 = store(client, RNN.format(n=300))
    started = time.monotonic()
    try:
        chain_10k = store(client, CHAIN.format(n=1667))
        chain_10k["run_s"] = time.monotonic() - started
    except (httpx.HTTPError, AssertionError) as exc:
        chain_10k = {"failed": f"{type(exc).__name__}: {exc}"[:200]}

    loads = [bench.load() for _ in range(repeat)]
    rows.append(("`/` load, nothing drawn (editor in, Run enabled)", None, loads))
    if run_example:
        runs = [bench.run("linear-2d") for _ in range(repeat)]
        linear = client.get(f"/api/runs/{runs[0]['runId']}").json()
        nodes = (len(linear["forward"]["nodes"]), len(linear["backward"]["nodes"]))
        rows.append(("seed example 6 `linear-2d`: click Run → both drawn", nodes, runs))
    for label, stored in (
        ("permalink, seed example 1 `scalar`", scalar),
        ("permalink, 333-layer tanh chain", chain_2k),
        ("permalink, 1667-layer tanh chain", chain_10k),
        ("permalink, 300-step RNNCell loop", rnn_300),
    ):
        if "failed" in stored:
            rows.append((label, None, stored["failed"]))
            continue
        try:
            measures = [bench.permalink(stored["id"], 60) for _ in range(repeat)]
        except PlaywrightError as exc:  # a timeout: over 60 s
            measures = f"not drawn within 60 s: {str(exc).splitlines()[0]}"[:200]
        rows.append((label, stored["nodes"], measures))
    if "failed" not in chain_10k:  # pasted and run from the page: new code each time, so each one really runs
        label = "1667-layer tanh chain typed in, click Run (a new run each time)"
        code = CHAIN.format(n=1667)
        try:
            measures = [bench.run(code=f"{code}# visit {k}\n") for k in range(repeat)]
        except PlaywrightError as exc:
            measures = f"not drawn within 60 s: {str(exc).splitlines()[0]}"[:200]
        rows.append((label, chain_10k["nodes"], measures))
    return rows, chain_10k


def spread(values: list[float]) -> tuple[str, str]:
    return f"{statistics.median(values):.0f}", f"{min(values):.0f} – {max(values):.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="measures of each row (median, min, max)")
    parser.add_argument("--chromium", default="/usr/bin/chromium", help="the Chromium executable")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="gradwalk-bench-") as data_dir:
        log_path = Path(data_dir) / "server.log"
        with open(log_path, "wb") as log, sync_playwright() as p:
            port = api.free_port()
            base = f"http://127.0.0.1:{port}"
            server = browser = None
            try:
                server = start_server(port, data_dir, log)
                browser = p.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
                bench = Bench(browser, base)
                version = browser.version
                with httpx.Client(base_url=base, timeout=120, trust_env=False) as client:
                    rows, chain_10k = measure(bench, client, args.repeat)
            except BaseException:
                log.flush()
                sys.stderr.write(log_path.read_text(errors="replace")[-4000:])
                raise
            finally:
                if browser is not None:
                    browser.close()
                if server is not None:
                    api.stop_server(server)

    baseline = statistics.median(m["ms"] for m in rows[0][2])
    print(
        f"Chromium {version} headless, 1440x900, fresh context per measure; {os.cpu_count()} cores, "
        f"server with 2 workers; median of {args.repeat} (min – max); the 1667-layer run took "
        f"{chain_10k.get('run_s', float('nan')):.1f} s to post\n"
    )
    print(
        "| page | nodes (forward / backward) | to drawn (ms) | min – max | / page load | drawMs (ms) | min – max "
        "| panes | inspector |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---|---|")
    for label, nodes, measures in rows:
        counts = f"{nodes[0]} / {nodes[1]}" if nodes else ""
        if isinstance(measures, str):
            print(f"| {label} | {counts} | {measures} | | | | | | |")
            continue
        median, low_high = spread([m["ms"] for m in measures])
        ratio = f"{statistics.median(m['ms'] for m in measures) / baseline:.1f}x"
        draw, draw_low_high = spread([m["drawMs"] for m in measures]) if "drawMs" in measures[0] else ("", "")
        panes = ", ".join(sorted({" / ".join(m["panes"]) for m in measures})) if "panes" in measures[0] else ""
        inspector = ", ".join(sorted({m["inspector"] for m in measures})) if "inspector" in measures[0] else ""
        cells = (label, counts, median, low_high, ratio, draw, draw_low_high, panes, inspector)
        print("| " + " | ".join(cells) + " |")
    print()
    if bench.errors:
        print("errors seen in the page:")
        for text, count in bench.errors.most_common():
            print(f"- {count}x {text}")
    else:
        print("no console errors or page errors")


if __name__ == "__main__":
    main()
