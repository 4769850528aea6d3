"""The overview map never keeps a learner from a node: it folds away where it would lie over a node in view (its
button, among the pane's zoom buttons, shows it anyway); shown so on a 1366x768 laptop with the inspector open, it
sits over the pane's bottom right corner, and every backward node can still be panned clear of it and clicked; a node
reached with the keyboard, or lit by a step, comes out from under it by itself."""

import httpx
import pytest
from playwright.sync_api import Page, expect

from .helpers import run_example, settle, wait_drawn

# The drawn nodes of a pane that the map covers (in part): their index among the pane's nodes.
UNDER_MAP = """pane => {
    const map = document.querySelector(`#${pane}-pane canvas.overview`);
    if (!map || map.hidden) return [];
    const m = map.getBoundingClientRect();
    return [...document.querySelectorAll(`#${pane}-pane g.node`)].flatMap((g, i) => {
        const b = g.getBoundingClientRect();
        const apart = b.right <= m.left || b.left >= m.right || b.bottom <= m.top || b.top >= m.bottom;
        return apart ? [] : [i];
    });
}"""
# Whether a click at the middle of a node's visible part reaches the node (not the map, nor another node).
REACHABLE = """([pane, i]) => {
    const g = document.querySelectorAll(`#${pane}-pane g.node`)[i];
    const canvas = document.querySelector(`#${pane}-pane .canvas`).getBoundingClientRect();
    const b = g.getBoundingClientRect();
    const left = Math.max(b.left, canvas.left), right = Math.min(b.right, canvas.right);
    const top = Math.max(b.top, canvas.top), bottom = Math.min(b.bottom, canvas.bottom);
    const hit = document.elementFromPoint((left + right) / 2, (top + bottom) / 2);
    return Boolean(hit && hit.closest('g.node') === g);
}"""

# Whether a node is wholly inside its pane's canvas.
WHOLLY_IN_VIEW = """([pane, i]) => {
    const c = document.querySelector(`#${pane}-pane .canvas`).getBoundingClientRect();
    const b = document.querySelectorAll(`#${pane}-pane g.node`)[i].getBoundingClientRect();
    return b.left >= c.left - 1 && b.top >= c.top - 1 && b.right <= c.right + 1 && b.bottom <= c.bottom + 1;
}"""
# What a click meets at points of a grid over `box`, outside `skip` (both as Playwright gives them): "overview",
# "graph" (the picture) or "other".
HITS_IN = """([box, skip]) => {
    const found = [];
    for (let i = 1; i < 6; i++) for (let j = 1; j < 6; j++) {
        const x = box.x + box.width * i / 6, y = box.y + box.height * j / 6;
        if (x >= skip.x && x <= skip.x + skip.width && y >= skip.y && y <= skip.y + skip.height) continue;
        const hit = document.elementFromPoint(x, y);
        found.push(hit.closest('canvas.overview') ? 'overview' : hit.closest('#backward-pane svg') ? 'graph' : 'other');
    }
    return found;
}"""
RUNNING = "() => [...document.querySelectorAll('#backward-pane g.node')].findIndex(g => g.matches('.running'))"


def drag(page: Page, pane: str, dx: float, dy: float) -> None:
    """Drags the graph of a pane by (dx, dy) CSS px, from the middle of its canvas, as a person does."""
    box = page.locator(f"#{pane}-pane .canvas").bounding_box()
    assert box
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 3
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx / 2, y + dy / 2, steps=4)
    page.mouse.move(x + dx, y + dy, steps=4)
    page.mouse.up()


# Sixteen leaves side by side at the bottom of the backward graph, wider and taller than the pane: the last one sits
# in the graph's bottom right corner.
LEAVES = """w = [torch.tensor(float(k), requires_grad=True) for k in range(16)]
loss = sum(w[k] * w[k + 1] for k in range(0, 16, 2))
loss.backward()
"""


def open_with_inspector(page: Page, base_url: str, example: str) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    if example == "leaves":
        run = httpx.post(f"{base_url}/api/runs", json={"code": LEAVES}, timeout=60).json()
        page.goto(f"/runs/{run['id']}")
        wait_drawn(page)
    else:
        page.goto("/")
        run_example(page, example)
    page.locator("#backward-pane g.node").first.click()
    expect(page.locator("#inspector")).to_be_visible()
    settle(page, 300)  # (the panes at their new size)
    # the graph does not fit: the map's button; the map is asked for, where it would lie over a node too
    toggle = page.locator("#backward-pane .overview-toggle")
    expect(toggle).to_be_visible()
    if toggle.get_attribute("aria-expanded") == "false":
        toggle.click()
    expect(page.locator("#backward-pane canvas.overview")).to_be_visible()


@pytest.mark.parametrize("example", ["mlp", "leaves"])
def test_every_backward_node_can_be_dragged_out_from_under_the_map_at_1366(page: Page, base_url: str, example: str):
    """Each backward node in turn dragged under the map (as far as the graph goes), then dragged up or left off
    it: it comes clear of the map and a click on it opens it, the last leaves at the graph's bottom right too."""
    open_with_inspector(page, base_url, example)
    nodes = page.locator("#backward-pane g.node")
    tried = 0
    for i in range(nodes.count()):
        m = page.locator("#backward-pane canvas.overview").bounding_box()
        b = nodes.nth(i).bounding_box()
        assert m and b
        drag(
            page,
            "backward",
            m["x"] + m["width"] / 2 - b["x"] - b["width"] / 2,
            m["y"] + m["height"] / 2 - b["y"] - b["height"] / 2,
        )
        if i not in page.evaluate(UNDER_MAP, "backward"):
            continue  # (the graph ends before this node reaches the map)
        tried += 1
        b = nodes.nth(i).bounding_box()
        assert b
        drag(page, "backward", 0, -(b["y"] + b["height"] - m["y"] + 12))  # up, above the map
        if i in page.evaluate(UNDER_MAP, "backward"):
            b = nodes.nth(i).bounding_box()
            assert b
            drag(page, "backward", -(b["x"] + b["width"] - m["x"] + 12), 0)  # or left of it
        assert i not in page.evaluate(UNDER_MAP, "backward"), f"node {i} stays under the map"
        assert page.evaluate(REACHABLE, ["backward", i]), f"node {i} is not clickable"
        name = nodes.nth(i).locator("text").first.text_content() or ""
        nodes.nth(i).click()
        expect(page.locator("#inspector h2")).to_have_text(name.split(" (")[0])
    assert tried > 0  # (the map did cover nodes on the way)


@pytest.mark.parametrize("example", ["linear-2d", "mlp"])
def test_a_node_reached_with_tab_or_a_step_comes_out_from_under_the_map(page: Page, base_url: str, example: str):
    """Tab onto each backward node in turn: each one, when it gets the focus, is wholly in view and clear of the
    map, so its focus ring shows and Enter opens what the learner sees."""
    open_with_inspector(page, base_url, example)
    page.locator("#backward-pane .canvas").focus()
    for _ in range(page.locator("#backward-pane g.node").count()):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => [...document.querySelectorAll('#backward-pane g.node')].indexOf(document.activeElement)"
        )
        assert focused >= 0
        assert focused not in page.evaluate(UNDER_MAP, "backward"), f"node {focused} has the focus under the map"
        assert page.evaluate(REACHABLE, ["backward", focused]), f"node {focused} is not clickable"
    # stepping through backward lights each node in turn, and shows it clear of the map
    page.locator("#step-first").click()
    for _ in range(page.locator("#backward-pane g.node").count()):
        page.locator("#step-next").click()
        current = page.evaluate(RUNNING)
        if current >= 0:
            assert current not in page.evaluate(UNDER_MAP, "backward"), f"step lights node {current} under the map"


@pytest.mark.parametrize("locale", ["ko-KR", "en-US"])
def test_the_node_opened_in_the_inspector_stays_in_view_when_the_panes_make_room(browser, base_url: str, locale):
    """Enter on a focused node (or a click) opens the inspector and the panes narrow for it: the node that was
    opened stays wholly in view, clear of the map (linear-1d at 1366x768: AccumulateGrad(x) went under it)."""
    context = browser.new_context(base_url=base_url, viewport={"width": 1366, "height": 768}, locale=locale)
    try:
        page = context.new_page()
        page.goto("/")
        run_example(page, "linear-1d")
        count = page.locator("#backward-pane g.node").count()
        for i in range(count):
            page.locator("#backward-pane .canvas").focus()
            for _ in range(i + 1):
                page.keyboard.press("Tab")
            page.keyboard.press("Enter")
            expect(page.locator("#inspector")).to_be_visible()
            settle(page, 200)  # (what a ResizeObserver would still do)
            assert i not in page.evaluate(UNDER_MAP, "backward"), f"node {i} went under the map"
            assert page.evaluate(WHOLLY_IN_VIEW, ["backward", i]), f"node {i} went out of view"
            page.keyboard.press("Escape")
            expect(page.locator("#inspector")).to_be_hidden()
    finally:
        context.close()


@pytest.mark.parametrize("locale", ["ko-KR", "en-US"])
def test_the_map_folds_away_with_its_button_and_the_corner_it_covered_shows_the_graph(browser, base_url, locale):
    """The map's button (among the zoom buttons) folds it away (a learner who wants the whole corner of the graph) and
    back; folded, the nodes it covered are clickable where they are, and the button says what it will do, in either
    language."""
    context = browser.new_context(base_url=base_url, viewport={"width": 1366, "height": 768}, locale=locale)
    try:
        page = context.new_page()
        open_with_inspector(page, base_url, "mlp")
        toggle = page.locator("#backward-pane .overview-toggle")
        expect(toggle).to_be_visible()
        expect(toggle).to_have_attribute("aria-expanded", "true")
        hide = "전체 지도 숨기기" if locale == "ko-KR" else "Hide the overview map"
        show = "전체 지도 보이기" if locale == "ko-KR" else "Show the overview map"
        expect(toggle).to_have_accessible_name(hide)
        covered = page.locator("#backward-pane canvas.overview").bounding_box()
        assert covered
        toggle.click()
        expect(page.locator("#backward-pane canvas.overview")).to_be_hidden()
        expect(toggle).to_have_attribute("aria-expanded", "false")
        expect(toggle).to_have_accessible_name(show)
        # where the map was, a click now reaches the graph
        hits = page.evaluate(HITS_IN, [covered, toggle.bounding_box()])
        assert hits and "overview" not in hits and "graph" in hits, hits
        toggle.click()
        expect(page.locator("#backward-pane canvas.overview")).to_be_visible()
        expect(toggle).to_have_attribute("aria-expanded", "true")
    finally:
        context.close()


MLP = """torch.manual_seed(0)
model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
x = torch.tensor([[1.0, 2.0]])
target = torch.tensor([[1.0]])
loss = F.mse_loss(model(x), target)
loss.backward()
"""


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1366, "height": 768}, "locale": "ko-KR"}])
def test_the_map_over_a_nodes_text_is_faint_and_whole_under_the_pointer(page: Page, base_url: str):
    """A small MLP at 1366x768: the backward graph's map lay over AddmmBackward0's saved values, hiding their ends.
    Its graph is more than twice its pane down, so it keeps its map to move around (a big graph's); over a node the
    map is faint and the text reads through it; the pointer on it makes it whole, and a map over no node (the forward
    graph's, beside mse_loss) is whole. Folded away with its button, it stays so."""
    run = httpx.post(f"{base_url}/api/runs", json={"code": MLP}, timeout=60).json()
    page.goto(f"/runs/{run['id']}")
    wait_drawn(page)
    backward = page.locator("#backward-pane canvas.overview")
    toggle = page.locator("#backward-pane .overview-toggle")
    expect(backward).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(toggle).to_have_accessible_name("전체 지도 숨기기")
    assert page.evaluate(UNDER_MAP, "backward"), "the map covers no node: nothing to read through it"
    expect(backward).to_have_css("opacity", "0.3")
    backward.hover()
    expect(backward).to_have_css("opacity", "1")
    forward = page.locator("#forward-pane canvas.overview")
    expect(forward).to_be_visible()
    assert not page.evaluate(UNDER_MAP, "forward")
    expect(forward).to_have_css("opacity", "1")
    toggle.click()
    expect(backward).to_be_hidden()
    expect(toggle).to_have_accessible_name("전체 지도 보이기")
    page.locator("#step-next").click()  # (a step moves the view: the map stays folded away)
    settle(page)
    expect(backward).to_be_hidden()


# Whether each pane's graph fits its canvas at the scale shown, and whether its map shows.
MAPPED = """() => ['forward', 'backward'].map(pane => {
    const canvas = document.querySelector(`#${pane}-pane .canvas`);
    const graph = canvas.querySelector('svg g.graph').getBBox();
    const scale = Number(canvas.querySelector('svg').dataset.scale);
    const fits = graph.width * scale <= canvas.clientWidth + 0.5 && graph.height * scale <= canvas.clientHeight + 0.5;
    return [pane, fits, !document.querySelector(`#${pane}-pane canvas.overview`).hidden];
})"""


# Whether each backward node whose name starts with `name` is whole across its pane's canvas (null: they are wider
# together than it, with its margins).
ACROSS = """name => {
    const c = document.querySelector('#backward-pane .canvas').getBoundingClientRect();
    const boxes = [...document.querySelectorAll('#backward-pane g.node')]
        .filter(g => g.querySelector('text').textContent.startsWith(name)).map(g => g.getBoundingClientRect());
    const wide = Math.max(...boxes.map(b => b.right)) - Math.min(...boxes.map(b => b.left));
    return wide > c.width - 16 ? null : boxes.map(b => b.left >= c.left - 1 && b.right <= c.right + 1);
}"""


@pytest.mark.parametrize(("size", "locale"), [((1366, 768), "ko-KR"), ((390, 844), "en-US"), ((1920, 1080), "ko-KR")])
def test_the_map_lies_over_no_node_at_any_step(browser, base_url: str, size, locale):
    """The 1D example at 1366x768: at steps 3-5 the backward pane's map lay faintly over the right half of
    AccumulateGrad (x) (at 390x844 too). Through the walk it shows only where the graph does not fit its pane, and
    never over a node: where it would, it folds away, its button saying it shows it."""
    context = browser.new_context(base_url=base_url, viewport={"width": size[0], "height": size[1]}, locale=locale)
    try:
        page = context.new_page()
        page.goto("/")
        run_example(page, "linear-1d")
        page.locator("#step-first").click()
        folded = 0
        for _ in range(5):  # (its five backward nodes)
            page.locator("#step-next").click()
            settle(page)
            for pane, fits, mapped in page.evaluate(MAPPED):
                step = page.locator("#step-count").text_content()
                assert not (fits and mapped), (step, pane, "a map of a graph that fits")
                assert not page.evaluate(UNDER_MAP, pane), (step, pane)
                toggle = page.locator(f"#{pane}-pane .overview-toggle")
                if fits:
                    expect(toggle).to_be_hidden()
                else:
                    expect(toggle).to_be_visible()
                if not fits and not mapped:
                    folded += 1
                    expect(toggle).to_have_attribute("aria-expanded", "false")
            # the nodes MulBackward0 sends to, shown by their names, whole across (AccumulateGrad (w) lost its left
            # side, "w.grad += Σ 경로별 그래디언트" without its w: the names' text was brought into view, not their row)
            if "MulBackward0" in (page.locator("#step-panel h3").text_content() or ""):
                across = page.evaluate(ACROSS, "AccumulateGrad")
                assert across == [True, True] or (across is None and size[0] < 640), across  # (a phone: too narrow)
        assert folded or size == (1920, 1080)  # (there the graphs fit: no map)
    finally:
        context.close()


DEEP_MLP = """model = nn.Sequential(*[nn.Linear(2, 2) for _ in range(12)])
model(torch.ones(1, 2)).sum().backward()
"""


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1366, "height": 768}, "locale": "en-US"}])
def test_a_big_graph_opens_with_its_map_to_move_around(page: Page, base_url: str):
    """A graph many times its pane opens on its output with the map (issue 21), faint over the nodes it lies on: it
    folded away by itself as soon as it lay over any node, so a big graph opened with no map to move around."""
    run = httpx.post(f"{base_url}/api/runs", json={"code": DEEP_MLP}, timeout=60).json()
    page.goto(f"/runs/{run['id']}")
    wait_drawn(page)
    backward = page.locator("#backward-pane canvas.overview")
    expect(backward).to_be_visible()
    expect(page.locator("#backward-pane .overview-toggle")).to_have_attribute("aria-expanded", "true")
    if page.evaluate(UNDER_MAP, "backward"):
        expect(backward).to_have_css("opacity", "0.3")
