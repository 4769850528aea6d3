"""Runs that carry script, in Chromium: op names a snippet chose, vars, stdout, errors, module names, reprs and
every string of a forged Run (stored straight into the store, as a child that lied would have it stored) are
shown as text; no script runs, no dialog opens, the page still draws; and the next benign run is right."""

import json
import os
import re
import shutil
import time
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from app.store import Store, database_url
from app.views import MADE_BY
from tests.forged import PAYLOADS, forged_bytes, svg_problems
from tests.helpers import ROOT, free_port, serve, stop

from .helpers import SEED, records, run_example, wait_drawn

# What may be inside a drawn pane: Graphviz's shapes and text, nothing that links, loads or runs.
PANE_CONTENT = """() => {
  const bad = [];
  const drawing = ['svg', 'g', 'polygon', 'polyline', 'path', 'ellipse', 'text', 'p'];
  for (const el of document.querySelectorAll('.canvas *')) {
    if (!drawing.includes(el.localName)) bad.push(el.localName);
    for (const a of el.attributes) if (/^on|href|style|src/i.test(a.name)) bad.push(`${el.localName}[${a.name}]`);
  }
  return bad;
}"""
PWNED = "() => [window.__pwned, document.scripts.length]"
SCRIPTS_ON_A_RUN_PAGE = 5  # examples-data, run-data, CodeMirror and its Python mode, main.js


def plain(text: str) -> str:
    return " ".join(text.split())


def watch_dialogs(page: Page) -> list[str]:
    opened: list[str] = []

    def dismiss(dialog):
        opened.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    return opened


def store_forged(ui_data: Path, run_id: str, **kwargs) -> None:
    store = Store(database_url("", ui_data))
    try:
        store.save_run(run_id, "error", forged_bytes(run_id, **kwargs))
    finally:
        store.close()


def test_a_forged_run_full_of_script_is_shown_as_text_and_runs_nothing(page: Page, ui_data: Path):
    store_forged(ui_data, "forgedXSS1")
    dialogs = watch_dialogs(page)
    page.goto("/runs/forgedXSS1")
    wait_drawn(page)
    expect(page.get_by_role("region", name="Backward graph")).to_have_attribute("data-state", "drawn")
    assert page.evaluate(PWNED) == [None, SCRIPTS_ON_A_RUN_PAGE] and dialogs == []
    assert page.evaluate(PANE_CONTENT) == []
    forward = [plain(r) for r in records(page, "forward")]
    backward = [plain(r) for r in records(page, "backward")]
    for text in filter(plain, PAYLOADS):  # each stands for itself: as a var, a dtype, a grad, an op, a grad_fn
        assert any(r.startswith(f"{plain(text)}|() {plain(text)}|data 1|grad ") for r in forward), text
        assert plain(text) in forward, text
        assert any(r.startswith(plain(text)) for r in backward), text
    assert len(forward) == 2 * len(PAYLOADS) and len(backward) == len(PAYLOADS)
    joined = " | ".join(PAYLOADS)
    assert page.locator("#stdout").text_content() == joined
    assert joined in page.locator("#error").text_content()
    page.locator("#forward-pane g.node").nth(0).click()  # the inspector names the node with its text
    expect(page.locator("#inspector-title")).to_have_text(PAYLOADS[0])
    page.locator("#backward-pane g.node").nth(12).focus()  # and shows a saved value's repr as text
    page.keyboard.press("Enter")
    expect(page.locator("#inspector-title")).to_have_text(PAYLOADS[12])
    expect(page.locator("#inspector-body pre")).to_have_text(PAYLOADS[12])
    assert page.evaluate(PWNED) == [None, SCRIPTS_ON_A_RUN_PAGE] and dialogs == []
    # the links of the page stay on this server's run: a forged id does not go into an address
    store_forged(ui_data, "forgedXSS2")
    page.goto("/runs/forgedXSS2")
    wait_drawn(page)
    assert page.locator("#json-link").get_attribute("href") == "/api/runs/forgedXSS2"
    # and the next benign run is right
    page.goto("/")
    run_example(page, "linear-2d")
    for record in SEED["linear-2d"]:
        assert record in records(page, "forward")
    assert page.evaluate("() => window.__pwned") is None and dialogs == []


def test_op_names_chosen_by_a_snippet_and_a_printed_comment_opener_leave_the_page_whole(page: Page):
    chosen = [p for p in PAYLOADS if "\n" not in p and "\r" not in p]
    code = "import torch.overrides as o\nx = torch.ones(2, requires_grad=True)\ny = x\n"
    # each op goes through __torch_function__ under the name it was given (handed to it whatever the tensor: the
    # snippet's has_torch_function_unary answers as in plain torch, see fast_paths_despite)
    for i, name in enumerate(chosen):
        code += (
            f"def op{i}(t, inner=False):\n"
            f"    if not inner:\n"
            f"        return o.handle_torch_function(op{i}, (t,), t, inner=True)\n"
            f"    return t * 2\n"
            f"op{i}.__name__ = {name!r}\n"
            f"y = op{i}(y)\n"
        )
    code += "y.sum().backward()\nprint('<!--<script>')\nprint('</script><script>window.__pwned = 10</script>')\n"
    dialogs = watch_dialogs(page)
    page.goto("/")
    page.evaluate("(code) => document.querySelector('.CodeMirror').CodeMirror.setValue(code)", code)
    page.locator("#run").click()
    wait_drawn(page)
    drawn = [plain(r) for r in records(page, "forward")]
    for name in chosen:
        assert plain(name) in drawn, name
    run_id = page.evaluate("() => document.body.dataset.runId")
    page.goto(f"/runs/{run_id}")  # the permalink carries the run inline: not blank, not broken
    wait_drawn(page)
    assert page.locator("#stdout").text_content() == "<!--<script>\n</script><script>window.__pwned = 10</script>\n"
    assert [plain(r) for r in records(page, "forward")] == drawn
    assert page.evaluate(PWNED) == [None, SCRIPTS_ON_A_RUN_PAGE] and dialogs == []
    assert page.evaluate(PANE_CONTENT) == []


def test_an_svg_answer_runs_no_script_even_when_it_carries_one(browser, base_url: str, ui_data: Path):
    """The server's pictures come with a policy that runs nothing: here a cached picture made to hold script
    (as if Graphviz had been fooled) is opened on its own, and nothing runs."""
    store_forged(ui_data, "forgedSVG1", with_ids=False)
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned=11"><script>window.__pwned=12</script>'
        '<image href="x" onerror="window.__pwned=13"/><text x="9" y="20">hello</text></svg>'
    )
    store = Store(database_url("", ui_data))
    try:
        store.save_render("forgedSVG1", f"forward-{MADE_BY}.svg", svg.encode())
    finally:
        store.close()
    answer = httpx.get(f"{base_url}/api/runs/forgedSVG1/forward.svg")
    policy = answer.headers["content-security-policy"]
    assert answer.headers["x-content-type-options"] == "nosniff" and "default-src 'none'" in policy
    assert "script-src" not in policy
    context = browser.new_context()
    try:
        page = context.new_page()
        dialogs = watch_dialogs(page)
        refused = []
        page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto(f"{base_url}/api/runs/forgedSVG1/forward.svg")
        expect(page.locator("text")).to_have_text("hello")
        assert page.evaluate("() => window.__pwned") is None and dialogs == []
        assert refused, "the browser did not say it refused the picture's script"
        # the real picture of the same run, drawn by the server from the forged strings, is clean too
        drawn = httpx.get(f"{base_url}/api/runs/forgedSVG1/backward.svg")
        assert drawn.status_code == 200 and svg_problems(drawn.content) == []
    finally:
        context.close()


def test_the_api_docs_page_works_under_its_policy(page: Page):
    page.goto("/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("gradwalk")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    assert page.evaluate("() => [...document.scripts].every(s => s.src)")  # no inline script


MALICIOUS_SVG = """<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"
 xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10" onload="window.__pwned=20">
<script>window.__pwned=21</script><style>*{background:url(//evil)}</style>
<g id="n1" class="node" onclick="window.__pwned=22" style="fill:red"><title>t</title>
<a xlink:href="javascript:window.__pwned=23" href="javascript:window.__pwned=24">
<text x="1" y="2">kept &lt;b&gt;</text></a>
<polygon points="0,0 1,1" fill="url(#evil)" stroke="black"/><image href="x" onerror="window.__pwned=25"/>
<foreignObject><div xmlns="http://www.w3.org/1999/xhtml"><img src="x" onerror="window.__pwned=26"/></div>
</foreignObject><animate attributeName="href" to="javascript:window.__pwned=27"/><use href="#n1"/></g>
<!-- c --></svg>"""


def test_pictures_are_rebuilt_from_shapes_and_text_only(browser, base_url: str):
    """svg.js on a picture full of what Graphviz never draws. (The browser reports the handlers and styles of
    the inert document it parses into as refused by the page's policy: nothing there runs either way.)"""
    context = browser.new_context(base_url=base_url)
    try:
        page = context.new_page()
        page.goto("/")
        markup = page.evaluate(
            "async (svg) => (await import('/static/js/svg.js')).pictureOf(svg).outerHTML", MALICIOUS_SVG
        )
        assert "kept &lt;b&gt;" in markup and 'stroke="black"' in markup and 'class="node"' in markup
        for gone in (
            "script",
            "style",
            "onload",
            "onclick",
            "href",
            "javascript",
            "url(",
            "image",
            "foreignObject",
            "animate",
            "<use",
            "<title",
            "<a",
            "<!--",
        ):
            assert gone not in markup, gone
        assert page.evaluate("() => window.__pwned") is None
    finally:
        context.close()


def test_a_stored_run_that_is_no_run_says_so_and_runs_nothing(browser, base_url: str, ui_data: Path):
    store = Store(database_url("", ui_data))
    try:
        store.save_run("notARun1", "ok", b'{"id": "notARun1", "stdout": "<img src=x onerror=alert(1)>"}')
        store.save_run("notJson1", "ok", b"<script>window.__pwned = 30</script>\xed\xa0\x80")
    finally:
        store.close()
    context = browser.new_context(base_url=base_url)
    try:
        page = context.new_page()
        dialogs = watch_dialogs(page)
        for run_id in ("notARun1", "notJson1"):
            assert page.goto(f"/runs/{run_id}").status == 200
            expect(page.locator("#error")).to_contain_text("cannot be read")
            assert page.evaluate(PWNED) == [None, SCRIPTS_ON_A_RUN_PAGE] and dialogs == []
    finally:
        context.close()


def test_the_editor_shows_every_invisible_character_that_can_reorder_or_hide_code(page: Page):
    """A shared run's code could hide text in the bidirectional embeddings U+202A-U+202C and U+2068, or in
    zero-width joiners, which the editor drew as nothing (Trojan-source code reads one way and runs another). Each
    is drawn as a red dot now, as the other controls were."""
    hidden = ["\u202a", "\u202b", "\u202c", "\u2068", "\u200c", "\u200d", "\u2060", "\u202e", "\u2066"]
    page.goto("/")
    code = "".join(f"x{i} = 1  # {c}admin{c}\n" for i, c in enumerate(hidden))
    page.evaluate("(code) => document.querySelector('.CodeMirror').CodeMirror.setValue(code)", code)
    expect(page.locator(".CodeMirror .cm-invalidchar")).to_have_count(2 * len(hidden))


# Text nodes of the page outside the editor (which marks each such character in the code it shows).
REORDERING_SHOWN = r"""() => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest('.CodeMirror, script')) continue;
    if (/[\u202a-\u202e\u2066-\u2069]/.test(node.data)) found.push(node.data.slice(0, 80));
  }
  return found;
}"""


def test_a_runs_text_never_reorders_the_pages_own_text_around_it(page: Page):
    """An exception named "Err\u202e" showed the page's "(line 6)" after it as "(6 enil)": a right-to-left override
    acts on all that follows it in its paragraph. Every string of a run but its code loses such characters (as the
    server's DOT does), in the error, the output, the names in the inspector, on a new run and on the permalink."""
    code = (
        "w = torch.ones(2, requires_grad=True)\n"
        'globals()["v\\u202egnp.exe"] = w * 2\n'
        'print("\\u202eprinted", "\\u2067isolated")\n'
        "class Err(Exception): pass\n"
        'Err.__name__ = Err.__qualname__ = "Err\\u202e"\n'
        'raise Err("said\\u202d")\n'
    )
    page.goto("/")
    page.evaluate("(code) => document.querySelector('.CodeMirror').CodeMirror.setValue(code)", code)
    page.locator("#run").click()
    wait_drawn(page)
    run_id = page.evaluate("() => document.body.dataset.runId")
    for shown in ("/", f"/runs/{run_id}"):
        if shown != "/":
            page.goto(shown)
            wait_drawn(page)
        error = plain(page.locator("#error").text_content() or "")
        assert error.startswith("Err : said") and error.endswith("(line 6)"), error
        assert page.locator("#stdout").text_content() == " printed  isolated\n"
        page.locator("#forward-pane g.node", has_text="v gnp.exe").first.click()
        expect(page.locator("#inspector")).to_be_visible()
        assert "v gnp.exe" in plain(page.locator("#inspector-body").text_content() or "")
        assert page.evaluate(REORDERING_SHOWN) == []


def test_a_run_id_in_the_address_never_reorders_the_page_that_found_no_run(browser, base_url: str):
    """A page that finds no run says which id it looked for, taken from its address, which anyone can write: a link
    to `/runs/%E2%80%AEexe.txt` turned the page's own words after the id around. The id loses those characters too.
    (A page of its own: the browser logs the 404 of the page itself as an error.)"""
    context = browser.new_context(base_url=base_url)
    try:
        page = context.new_page()
        assert page.goto("/runs/%E2%80%AEexe.txt%E2%81%A7").status == 404
        expect(page.locator("#error")).to_be_visible()
        assert " exe.txt " in (page.locator("#error").text_content() or "")
        assert page.evaluate(REORDERING_SHOWN) == []
    finally:
        context.close()


def test_a_forged_runs_huge_explanation_is_shown_cut_and_never_holds_the_page(page: Page, base_url: str, ui_data: Path):
    """A Run's strings may be as long as the Run: a forged one whose multiplication is explained in 26 MB held the tab
    4 s at every step onto its node, and on every click on it. The page shows each string of a run up to 200,000
    characters and says how much more there was (static/js/shown.js); the JSON keeps it all."""
    code = "x = torch.tensor([1.0, 2.0], requires_grad=True)\ny = (x * x).sum()\ny.backward()\n"
    honest = httpx.post(f"{base_url}/api/runs", json={"code": code}, timeout=60).json()
    words = "곱셈 " * 2_000_000
    for node in honest["backward"]["nodes"]:
        if node["name"] == "MulBackward0":
            node["explain"]["words"] = {"en": words, "ko": words}
    honest["id"] = "forgedLong1"
    store = Store(database_url("", ui_data))
    try:
        store.save_run("forgedLong1", "ok", json.dumps(honest, ensure_ascii=False).encode())
    finally:
        store.close()
    page.goto("/runs/forgedLong1")
    wait_drawn(page)
    shown = []
    for _ in range(3):  # (the sum, the multiplication, x's AccumulateGrad)
        page.locator("#step-next").click()
        shown.append(page.locator("#step-panel").text_content() or "")
    longest = max(shown, key=len)
    assert 200_000 < len(longest) < 220_000 and re.search(r"… \(\+\d+\)", longest), [len(text) for text in shown]


def test_a_forged_runs_lists_longer_than_a_call_takes_are_shown(page: Page, base_url: str, ui_data: Path):
    """A JavaScript call takes some 100,000 arguments: a forged Run whose node received 150,000 gradients, clicked,
    had the inspector pass them all to one call (`Maximum call stack size exceeded`, and nothing shown), and a hint's
    pieces of code went in the same way. The page adds what a Run lists one by one, and the inspector shows the first
    1,000 of a node's list and how many more there are (all of them took it 6 s)."""
    code = "x = torch.tensor([1.0, 2.0], requires_grad=True)\ny = (x * x).sum()\ny.backward()\n"
    honest = httpx.post(f"{base_url}/api/runs", json={"code": code}, timeout=60).json()
    for node in honest["backward"]["nodes"]:
        if node["name"] == "MulBackward0":
            node["grad_out"] = [None] * 150_000
    honest |= {"id": "forgedList1", "status": "error"}
    honest["error"] = {
        "type": "ValueError",
        "message": "forged",
        "line": 2,
        "hint": {"en": "a`b` " * 40_000, "ko": "가"},
    }
    store = Store(database_url("", ui_data))
    try:
        store.save_run("forgedList1", "error", json.dumps(honest).encode())
    finally:
        store.close()
    page.goto("/runs/forgedList1")
    wait_drawn(page)
    expect(page.locator("#error .hint code")).to_have_count(40_000)
    page.locator("#backward-pane g.node", has_text="MulBackward0").first.click()
    expect(page.locator("#inspector-title")).to_contain_text("MulBackward0")
    expect(page.locator("#inspector-body")).to_contain_text("149000 more")


def test_a_forged_nodes_thousands_of_inputs_and_arrows_are_stepped_through_a_thousand_lines_each(
    page: Page, base_url: str, ui_data: Path
):
    """A step lists a node's inputs (its chain rule) and, for a node with no rule, the gradient sent along each arrow: a
    forged node of 20,000 inputs held the page 12 s as it opened (the step panel is measured by its first steps) and
    again at its step, and 150,000 arrows 13 s a step. The panel shows the first 1,000 of each, then how many more."""
    code = "x = torch.tensor([1.0, 2.0], requires_grad=True)\ny = (x * x).sum()\ny.backward()\n"
    honest = httpx.post(f"{base_url}/api/runs", json={"code": code}, timeout=60).json()
    nodes = {node["name"]: node for node in honest["backward"]["nodes"]}
    mul, summed = nodes["MulBackward0"], nodes["SumBackward0"]
    first = mul["explain"]["inputs"][0]
    mul["explain"]["inputs"] = [{**first, "slot": i} for i in range(3000)]
    summed["explain"] = None
    honest["backward"]["edges"] += [{"source": summed["id"], "target": mul["id"], "input_nr": 0, "grad": None}] * 2999
    honest["id"] = "forgedInputs1"
    store = Store(database_url("", ui_data))
    try:
        store.save_run("forgedInputs1", "ok", json.dumps(honest).encode())
    finally:
        store.close()
    page.goto("/runs/forgedInputs1")
    wait_drawn(page)
    for name in ("SumBackward0", "MulBackward0"):
        page.locator("#step-next").click()
        expect(page.locator("#step-panel .step-node")).to_contain_text(name)
        expect(page.locator("#step-panel ul.chain > li")).to_have_count(1001)
        expect(page.locator("#step-panel ul.chain > li").last).to_contain_text("2000 more")


# A training step's loss summed over many outputs, each made of outputs picked from earlier layers: under a thousand
# nodes, which Graphviz takes long to place (its network simplex over 22,000 virtual nodes; 18 s in a page, quiet).
SLOW_TO_LAY_OUT = """\
import random
random.seed(3)
leaves = [torch.randn(1, requires_grad=True) for _ in range(110)]
layer = leaves
for depth in range(3):
    layer = [random.choice(layer) + random.choice(layer) for _ in range(110)]
sum(layer).backward()
"""


def test_a_graph_graphviz_takes_minutes_to_lay_out_is_stopped_and_the_next_run_is_drawn(
    browser, context_options, tmp_path
):
    """Graphviz on the server gives up after GRADWALK_RENDER_TIMEOUT_S; the page laid the same DOT out with no limit,
    and a permalink of a ten-line snippet kept a reader's CPU busy for minutes with "Drawing the graphs…" on the
    screen. The page stops a layout after GRADWALK_PAGE_LAYOUT_TIMEOUT_S (its worker is ended) and says so; the next
    run is drawn. (A server of its own, with 5 s: the graph took 18 s on a quiet machine, under the default 30 s, and
    the test passed only where a loaded machine made it slower.)"""
    port = free_port()
    server = serve(tmp_path / "data", port, uid=62300, env={"GRADWALK_PAGE_LAYOUT_TIMEOUT_S": "5"})
    context = browser.new_context(base_url=f"http://127.0.0.1:{port}", **context_options)
    try:
        page = context.new_page()
        page.goto("/")
        page.evaluate("(code) => document.querySelector('.CodeMirror').CodeMirror.setValue(code)", SLOW_TO_LAY_OUT)
        page.locator("#run").click()
        for view in ("forward", "backward"):
            expect(page.locator(f"#{view}-pane .pane-message")).to_contain_text("took more than 5 s", timeout=30_000)
        run_example(page, "scalar")
        drawn = records(page, "forward")
        assert all(record in drawn for record in SEED["scalar"]), drawn
    finally:
        context.close()
        stop(server)


def test_a_page_opened_again_after_its_scripts_went_stale_is_drawn(browser, context_options, tmp_path):
    """A browser keeps the page's scripts and, once they are stale (soon, for files changed a moment ago: a fresh
    install), asks whether they changed; the 304 answer's headers go over those it keeps. The 304 carried the
    policy of an answer that loads nothing, the layout worker took it for its own, could not import Graphviz, and a
    page opened again drew nothing (the layout-timeout test met it in CI: its fresh workers after the stop).
    A server of its own, over a copy of the site whose files changed two seconds ago."""
    site = tmp_path / "site"
    for part in ("static", "templates"):
        shutil.copytree(ROOT / part, site / part)
    moment = time.time() - 2
    for file in site.rglob("*"):
        os.utime(file, (moment, moment))
    port = free_port()
    server = serve(tmp_path / "data", port, uid=62100, env={"GRADWALK_STATIC_DIR": str(site / "static")})
    context = browser.new_context(base_url=f"http://127.0.0.1:{port}", **context_options)
    try:
        page = context.new_page()
        problems: list[str] = []
        page.on("console", lambda message: message.type == "error" and problems.append(message.text))
        page.goto("/")
        run_example(page, "scalar")
        # (past the scripts' freshness, a tenth of their age when they came: at most a tenth of their age now, which
        # a slow server start or page load makes longer than a second)
        time.sleep(max(1.0, (time.time() - moment) / 10 + 0.5))
        page.reload()
        run_example(page, "vector")
        assert all(record in records(page, "forward") for record in SEED["vector"])
        assert not problems, problems
    finally:
        context.close()
        stop(server)


def test_a_layout_worker_that_cannot_load_graphviz_is_said_at_once_and_the_next_drawing_has_a_new_one(
    browser, base_url, context_options
):
    """A worker whose Graphviz did not load answered nothing, and the page said 30 s later that Graphviz took too
    long. It says at once that the graph could not be laid out, and the next drawing starts a fresh worker."""
    context = browser.new_context(base_url=base_url, **context_options)
    try:
        page = context.new_page()
        page.route("**/viz-global.js", lambda route: route.abort())
        page.goto("/")
        page.locator("#example").select_option("scalar")
        page.locator("#run").click()
        for view in ("forward", "backward"):
            expect(page.locator(f"#{view}-pane .pane-message")).to_contain_text("could not be laid out", timeout=10_000)
        page.unroute("**/viz-global.js")
        run_example(page, "vector")
        assert all(record in records(page, "forward") for record in SEED["vector"])
    finally:
        context.close()
