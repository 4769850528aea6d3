"""gradwalk without a server, opened from disk in Chromium with the network cut: the outputs of executed notebooks
(the seed's six examples through `%%gradwalk` and `gradwalk.record()`, and the real-world cells of
tests/notebooks/*.ipynb) laid out as JupyterLab shows a trusted notebook, and the one-file run of the tutorial's
2D example, made here and downloaded from the page. Both graphs draw with the tutorial's numbers, hover lights
the other pane, a click inspects (backward nodes explained), a folded group opens, an error shows its line; where
scripts do not run, the static picture shows."""

from pathlib import Path

import httpx
import nbformat
import pytest
from playwright.sync_api import Page, expect

from app.examples import EXAMPLES
from app.graph import make_run_id, parse_run
from app.recording import settings

from ..notebooks import HERE, execute, executed, outputs, outputs_page
from .conftest import SHOTS
from .helpers import SEED, run_example, settle, wait_drawn

NOTEBOOKS = sorted(HERE.glob("*.ipynb"))
DRAWN = (
    "() => { const all = [...document.querySelectorAll('.gw-embed')];"
    " return all.length > 0 && all.every(e => e.dataset.state === 'drawn'); }"
)
EMBED = "document.querySelectorAll('.gw-embed')"
# The chain rule for W at the 2D example's MmBackward0, with its numbers (the engine's explanation).
MM_NUMBERS = "[[1, 4], [2, 5], [3, 6]] · [[-8.1], [-16.3]] = [[-73.3], [-97.7], [-122.1]]"


@pytest.fixture
def offline(browser, request):
    """A page of its own, offline (nothing may be fetched), failing the test on any console error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US", offline=True)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page
    context.close()
    assert not problems, f"console errors: {problems}"


def open_file(page: Page, path: Path) -> None:
    page.goto(path.as_uri())
    page.wait_for_function(DRAWN, timeout=60_000)


def records(page: Page, embed: int, pane: int) -> list[str]:
    return page.evaluate(
        f"([e, p]) => [...{EMBED}[e].querySelectorAll('.pane')[p].querySelectorAll('g.node')]"
        ".map(g => [...g.querySelectorAll('text')].map(t => t.textContent).join('|'))",
        [embed, pane],
    )


def node(page: Page, embed: int, pane: int, start: str):
    index = next(i for i, record in enumerate(records(page, embed, pane)) if record.startswith(start))
    return page.locator(".gw-embed").nth(embed).locator(".pane").nth(pane).locator("g.node").nth(index)


@pytest.mark.parametrize("way", ["magic", "record"])
def test_seed_notebook_outputs_draw_both_graphs_offline_with_the_tutorials_numbers(offline: Page, tmp_path, way):
    page_file = tmp_path / "outputs.html"
    page_file.write_text(outputs_page(executed(way)), encoding="utf-8")
    open_file(offline, page_file)
    embeds = offline.locator(".gw-embed")
    expect(embeds).to_have_count(6)
    for i, example in enumerate(EXAMPLES[:6]):
        drawn = records(offline, i, 0)
        for record in SEED[example.id]:
            assert record in drawn, (example.id, drawn)
        backward = embeds.nth(i).locator(".pane").nth(1)
        if example.id == "no-grad":
            expect(backward).to_have_attribute("data-state", "message")
        else:
            expect(backward).to_have_attribute("data-state", "drawn")
            assert any(r.startswith("AccumulateGrad") for r in records(offline, i, 1))

    # example 6: hover W, its AccumulateGrad lights up; a click inspects W
    node(offline, 5, 0, "W|").hover()
    linked = embeds.nth(5).locator(".pane").nth(1).locator("g.node.linked")
    expect(linked).to_have_count(1)
    assert linked.locator("text").first.text_content() == "AccumulateGrad (W)"
    node(offline, 5, 0, "W|").click()
    inspector = embeds.nth(5).locator(".inspector")
    expect(inspector).to_be_visible()
    expect(inspector.get_by_role("heading", level=2)).to_have_text("W")
    expect(inspector).to_contain_text("-122.1")
    expect(inspector).to_contain_text("Leaf tensor")
    inspector.get_by_role("button", name="Close").click()
    expect(inspector).to_be_hidden()

    # the engine's explanations in the inspector, with the run's numbers and PyTorch's check
    node(offline, 5, 1, "MmBackward0").click()
    expect(inspector).to_contain_text("What it computes")
    expect(inspector).to_contain_text(MM_NUMBERS)
    expect(inspector.locator(".check.ok")).to_have_count(2)
    node(offline, 0, 1, "PowBackward0").click()
    expect(embeds.nth(0).locator(".inspector")).to_contain_text("1 · 2 · 2 = 4")


def test_an_output_where_no_script_runs_shows_the_static_pictures(browser, tmp_path):
    shown = [o["data"]["text/html"] for o in outputs(executed("magic")) if "text/html" in o.get("data", {})]
    first_run = next(html for html in shown if 'class="gw-data"' in html)
    static = tmp_path / "static.html"
    static.write_text("<!doctype html><meta charset=utf-8>" + first_run, encoding="utf-8")
    context = browser.new_context(offline=True, java_script_enabled=False)
    page = context.new_page()
    page.goto(static.as_uri())
    expect(page.locator(".gw-static img")).to_have_count(2)
    page.wait_for_function("() => [...document.querySelectorAll('.gw-static img')].every(i => i.naturalWidth > 50)")
    context.close()


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_real_world_notebook_runs_and_every_output_draws(offline: Page, tmp_path, notebook: Path):
    ran = execute(nbformat.read(notebook, as_version=4))
    page_file = tmp_path / "outputs.html"
    page_file.write_text(outputs_page(ran), encoding="utf-8")
    open_file(offline, page_file)
    embeds = offline.locator(".gw-embed")
    assert embeds.count() >= 1
    for i in range(embeds.count()):
        states = embeds.nth(i).locator(".pane").evaluate_all("panes => panes.map(p => p.dataset.state)")
        assert all(state in ("drawn", "message") for state in states), (i, states)
    if notebook.stem == "real_world":
        # the cell that raised: the error and its line, over the graph built before it
        failed = embeds.nth(1)
        expect(failed.locator(".error")).to_contain_text("RuntimeError")
        expect(failed.locator(".gw-lines li.error-line")).to_have_text("y.backward()")
        lines = failed.locator(".gw-lines li").evaluate_all("items => items.map(i => i.className)")
        assert lines.index("error-line") == 4  # line 5: the second backward()
        assert {"x|", "y|"} <= {record[:2] for record in records(offline, 1, 0)}
        # `%%gradwalk --lang ko`: the document speaks Korean
        expect(embeds.nth(2).locator(".pane h2").first).to_have_text("순전파 그래프")
    # a folded group opens without a server (its view was made ahead)
    folded = offline.evaluate(
        f"() => [...{EMBED}].findIndex(e => e.querySelector('.pane g.node polygon[fill=\"lavender\"]'))"
    )
    if folded >= 0:
        pane = embeds.nth(folded).locator(".pane").first
        before = pane.locator("g.node").count()
        pane.locator("g.node").filter(has=offline.locator('polygon[fill="lavender"]')).first.click()
        offline.wait_for_function(
            f"([i, n]) => {EMBED}[i].querySelector('.pane').querySelectorAll('g.node').length > n",
            arg=[folded, before],
            timeout=30_000,
        )


def test_one_file_run_of_example_6_draws_hovers_and_inspects_from_disk(offline: Page, tmp_path):
    from app.capture import capture, dumps

    example = EXAMPLES[5]
    run = parse_run(dumps(capture(example.code, **settings().capture_limits())))
    run.id, run.code = make_run_id(example.code, {}, run.torch_version or ""), example.code
    from app.embed import standalone_html

    path = tmp_path / "run.html"
    path.write_text(standalone_html(run, settings()), encoding="utf-8")
    open_file(offline, path)
    for record in SEED["linear-2d"]:
        assert record in records(offline, 0, 0)
    # its backward nodes carry their formulas, as the page draws them (they had none, and "saved" stayed English
    # in Korean)
    assert "|∂L/∂X = grad · Wᵀ|∂L/∂W = Xᵀ · grad|" in node_record(offline, "MmBackward0")
    assert "|saved W (mat2): [[0.1], [0.2], [0.3]]" in node_record(offline, "MmBackward0")
    node(offline, 0, 1, "AccumulateGrad (W)").hover()
    expect(offline.locator(".pane").first.locator("g.node.linked")).to_have_count(1)
    node(offline, 0, 0, "b|").click()
    inspector = offline.locator(".inspector")
    expect(inspector.get_by_role("heading", level=2)).to_have_text("b")
    expect(inspector).to_contain_text("-24.4")
    inspector.get_by_role("button", name="line 13").click()
    expect(offline.locator(".gw-lines li.source-line")).to_contain_text("b = torch.tensor(0.5")
    node(offline, 0, 1, "MmBackward0").click()
    expect(inspector).to_contain_text(MM_NUMBERS)
    expect(inspector).to_contain_text("matches PyTorch")
    offline.get_by_role("button", name="한국어").click()
    expect(offline.locator(".pane h2").first).to_have_text("순전파 그래프")
    offline.wait_for_function(
        f"() => {EMBED}[0].dataset.state === 'drawn' && {EMBED}[0].textContent.includes('저장 W')"
    )
    assert "|W.grad += Σ 경로별 그래디언트|" in node_record(offline, "AccumulateGrad (W)")
    node(offline, 0, 1, "MmBackward0").click()
    expect(inspector).to_contain_text("행렬 곱")
    expect(inspector).to_contain_text("PyTorch 결과와 일치")


def node_record(page: Page, start: str) -> str:
    """The record of the first embedded run's backward node that starts with `start`."""
    return next(record for record in records(page, 0, 1) if record.startswith(start))


def embedded_run(page: Page, embed: int) -> dict:
    """The Run an embedded output carries (its `.gw-data`), as the viewer reads it."""
    return page.evaluate(f"i => JSON.parse({EMBED}[i].querySelector('script.gw-data').textContent).run", embed)


def in_order(run: dict) -> list[dict]:
    """The backward nodes in the order PyTorch ran them (pass by pass)."""
    ran = [n for n in run["backward"]["nodes"] if n.get("order") is not None]
    return sorted(ran, key=lambda n: (n.get("backward_pass") or 1, n["order"]))


def step_through(page: Page, embed: int, shot: str) -> None:
    """Steps output `embed` from before backward to its last step with its own controls: at each step the lit
    node is the one PyTorch ran then, its forward tensor is lit too, and the step's explanation (the engine's
    words, formulas and numbers) is shown beside the graphs. Keys step the output they are pressed in."""
    root = page.locator(".gw-embed").nth(embed)
    order = in_order(embedded_run(page, embed))
    assert [n["name"] for n in order][:4] == ["MeanBackward0", "PowBackward0", "SubBackward0", "AddBackward0"]
    forward, backward = root.locator(".pane").nth(0), root.locator(".pane").nth(1)
    running = backward.locator("g.node.running")
    panel = root.get_by_role("region", name="This step")
    expect(root.get_by_role("group", name="Step through backward")).to_be_visible()
    root.get_by_role("button", name="To the start, before backward").click()
    expect(running).to_have_count(0)
    expect(panel).to_contain_text(f"Before backward ({len(order)} steps)")
    for k, step in enumerate(order, 1):
        root.get_by_role("button", name="Next step").click()
        expect(running).to_have_count(1)
        assert running.get_attribute("data-node") == step["id"], k
        assert root.get_attribute("data-step-node") == step["id"] and root.get_attribute("data-step") == str(k)
        expect(root.locator(".step-count")).to_have_text(f"{k} / {len(order)}")
        expect(panel).to_contain_text(f"Step {k} of {len(order)}")
        expect(panel).to_contain_text(step["explain"]["words"]["en"][:40])
        for entry in step["explain"]["inputs"]:
            expect(panel).to_contain_text(entry["formula"]["en"])
            if entry["numbers"]:
                expect(panel).to_contain_text(entry["numbers"])
        if step["tensor"]:
            expect(forward.locator(f'g.node.running[data-node="{step["tensor"]}"]')).to_have_count(1)
        if step["name"] == "MmBackward0":
            expect(panel).to_contain_text(MM_NUMBERS)
            root.screenshot(path=SHOTS / f"{shot}_step_{k}.png")
    expect(root.get_by_role("button", name="Next step")).to_be_disabled()
    # the keys step the output that has the focus
    root.get_by_role("button", name="Previous step").focus()
    page.keyboard.press("ArrowLeft")
    assert running.get_attribute("data-node") == order[-2]["id"]
    page.keyboard.press("Home")
    expect(running).to_have_count(0)
    assert root.get_attribute("data-step") == "0"


def test_example_6_steps_through_backward_in_a_notebook_output(offline: Page, tmp_path):
    page_file = tmp_path / "outputs.html"
    page_file.write_text(outputs_page(executed("magic")), encoding="utf-8")
    offline.goto(page_file.as_uri() + "?step=3")  # a step in the address is the page's, not an output's
    offline.wait_for_function(DRAWN, timeout=60_000)
    embeds = offline.locator(".gw-embed")
    expect(embeds).to_have_count(6)
    for i in range(6):  # every output opens whole, all its gradients shown
        assert embeds.nth(i).get_attribute("data-step") == "", i
    step_through(offline, 5, "notebook")
    # the other outputs did not move: each has its own controls, step panel and keys
    for i in range(5):
        assert embeds.nth(i).get_attribute("data-step") == "", i
        expect(embeds.nth(i).locator("g.node.running")).to_have_count(0)
    first = embeds.nth(0)
    first.get_by_role("button", name="Next step").click()
    assert first.get_attribute("data-step") == "1" and embeds.nth(5).get_attribute("data-step") == "0"
    expect(first.get_by_role("region", name="This step")).to_contain_text("Step 1 of")
    assert offline.url.endswith("?step=3")  # the document's address is left alone
    # example 4 never called backward on its graph: the banner, and no steps
    detach = next(i for i, example in enumerate(EXAMPLES[:6]) if example.id == "detach")
    run = embedded_run(offline, detach)
    assert not run["backward_passes"] and run["backward"]["nodes"]
    expect(embeds.nth(detach).locator(".banner")).to_be_visible()
    expect(embeds.nth(detach).locator(".stepper")).to_be_hidden()
    expect(embeds.nth(detach).locator(".pane").nth(1).locator("g.edge path[stroke-dasharray]")).to_have_count(0)


def open_one_file_run(offline: Page, tmp_path, example) -> None:
    """Open an example's one-file run, captured here, in the offline browser, and wait until it is drawn."""
    from app.capture import capture, dumps
    from app.embed import standalone_html

    run = parse_run(dumps(capture(example.code, **settings().capture_limits())))
    run.id, run.code = make_run_id(example.code, {}, run.torch_version or ""), example.code
    path = tmp_path / "run.html"
    path.write_text(standalone_html(run, settings()), encoding="utf-8")
    offline.goto(path.as_uri())
    offline.wait_for_function(DRAWN, timeout=60_000)


def test_example_6_steps_through_backward_in_the_one_file_run(offline: Page, tmp_path):
    open_one_file_run(offline, tmp_path, EXAMPLES[5])
    step_through(offline, 0, "one_file")


def test_a_one_file_run_on_a_phone_shows_each_steps_words_under_the_node_it_lights(browser, tmp_path):
    """On a phone the one-file run put the step's words above both panes, each most of a screen high: a step brought
    the backward pane up under the step buttons, and what its node computes was a screen and a half above it, out of
    sight at every step. They are under the backward pane, as the page has them."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, offline=True, reduced_motion="reduce"
    )
    try:
        page = context.new_page()
        open_one_file_run(page, tmp_path, EXAMPLES[4])
        root = page.locator(".gw-embed")
        for k in range(1, 4):
            root.get_by_role("button", name="Next step").click()
            expect(root.get_by_role("region", name="This step")).to_contain_text(f"Step {k} of 5")
            settle(page)
            node, panel, height = page.evaluate(
                "() => [document.querySelector('.gw-backward g.node.running').getBoundingClientRect().toJSON(),"
                " document.querySelector('.gw-embed .step-panel').getBoundingClientRect().toJSON(), innerHeight]"
            )
            assert node["top"] >= 0 and node["bottom"] <= panel["top"] < height * 0.75, (k, node, panel)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


def test_the_pages_html_download_is_the_one_file_run(page: Page, browser, tmp_path):
    page.goto("/")
    run_example(page, "linear-2d")
    link = page.locator('a[data-kind="html"]')
    run_id = page.evaluate("document.body.dataset.runId")
    assert link.get_attribute("href") == f"/api/runs/{run_id}.html"
    with page.expect_download() as download:
        link.click()
    path = tmp_path / "run.html"
    download.value.save_as(path)
    context = browser.new_context(offline=True)
    opened = context.new_page()
    open_file(opened, path)
    for record in SEED["linear-2d"]:
        assert record in records(opened, 0, 0)
    context.close()


def test_a_one_file_run_and_the_page_say_the_language_they_show(browser, base_url: str, tmp_path):
    """The one-file run kept <html lang="en"> over Korean text (a screen reader speaks it with English sounds): it
    now says the language it shows and follows its toggle, as the page does."""
    run = httpx.post(f"{base_url}/api/runs", json={"code": EXAMPLES[0].code}, timeout=60).json()
    path = tmp_path / "run.html"
    path.write_bytes(httpx.get(f"{base_url}/api/runs/{run['id']}.html", timeout=60).content)
    context = browser.new_context(base_url=base_url, locale="ko-KR")
    try:
        page = context.new_page()
        open_file(page, path)  # (made in no language: the reader's)
        expect(page.locator(".pane h2").first).to_have_text("순전파 그래프")
        assert page.evaluate("document.documentElement.lang") == "ko"
        page.get_by_role("button", name="English").click()
        expect(page.locator(".pane h2").first).to_have_text("Forward graph")
        assert page.evaluate("document.documentElement.lang") == "en"
        page.goto("/")
        wait_drawn(page)
        assert page.evaluate("document.documentElement.lang") == "ko"
        page.get_by_role("button", name="English").click()
        assert page.evaluate("document.documentElement.lang") == "en"
        page.get_by_role("button", name="한국어").click()
        assert page.evaluate("document.documentElement.lang") == "ko"
    finally:
        context.close()


def test_the_one_file_run_of_a_second_order_gradient_marks_the_nodes_its_first_pass_made(offline: Page, tmp_path):
    """The one-file run drew the higher-order example's create_graph nodes purple, as the page does, with no legend
    line saying what purple means: it has the page's."""
    open_one_file_run(offline, tmp_path, next(e for e in EXAMPLES if e.id == "higher-order"))
    embed = offline.locator(".gw-embed")
    expect(embed.locator("g.node.by-backward")).to_have_count(3)
    expect(embed.locator(".legend")).to_contain_text("purple outline: made by a backward pass (create_graph=True)")
