"""The page as a person uses it: choose a seed example, run it, read the values on the nodes, inspect, reload
the permalink, switch to Korean; errors marked on their line; keyboard and tablet widths."""

import re
from itertools import pairwise
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from app.examples import EXAMPLES
from tests.helpers import SEED_DIR

from .helpers import SEED, node, records, run_example, settle, wait_drawn

# The node each example's inspector is opened on, and a note the inspector must say about it.
INSPECT = {
    "scalar": ("x", "Leaf tensor"),
    "vector": (
        "y",
        "Non-leaf tensor: PyTorch keeps no .grad here (its .grad is None unless .retain_grad() was called before "
        "backward); gradwalk captured the gradient for you.",
    ),
    "no-grad": ("y", "Created under no_grad: no graph was recorded."),
    "detach": ("y_detached", "Detached"),
    "linear-1d": ("y_pred", "Non-leaf tensor"),
    "linear-2d": ("W", "Leaf tensor"),
}
CODE = {e.id: e.code for e in EXAMPLES}


def editor_code(page: Page) -> str:
    return page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")


@pytest.mark.parametrize("example", list(SEED))
def test_seed_example_shows_its_values_inspects_reloads_and_speaks_korean(page: Page, example: str):
    page.goto("/")
    run_example(page, example)
    assert editor_code(page) == CODE[example]
    drawn = records(page, "forward")
    for record in SEED[example]:
        assert record in drawn
    backward = page.get_by_role("region", name="Backward graph")
    if example == "no-grad":  # nothing was recorded for backward: the pane says so
        expect(backward).to_have_attribute("data-state", "message")
        expect(backward).to_contain_text("No backward graph")
    else:
        expect(backward).to_have_attribute("data-state", "drawn")
        assert any(r.startswith("AccumulateGrad") for r in records(page, "backward"))

    var, note = INSPECT[example]
    node(page, "forward", f"{var}|").click()
    inspector = page.locator("#inspector")
    expect(inspector).to_be_visible()
    expect(inspector.get_by_role("heading", level=2)).to_have_text(var)
    expect(inspector).to_contain_text(note)

    permalink = page.locator("#permalink").input_value()
    run_id = page.evaluate("document.body.dataset.runId")
    assert re.search(rf"/runs/{run_id}\?node=\w+$", permalink) and page.url == permalink  # (the node inspected too)
    page.goto(permalink)
    wait_drawn(page)
    expect(inspector.get_by_role("heading", level=2)).to_have_text(var)
    assert editor_code(page) == CODE[example]
    assert records(page, "forward") == drawn

    page.get_by_role("button", name="한국어").click()
    expect(page.get_by_role("button", name="실행", exact=True)).to_be_visible()
    expect(page.get_by_role("region", name="순전파 그래프")).to_be_visible()
    expect(page.locator("#about h2")).to_have_text(next(e.title for e in EXAMPLES if e.id == example))
    page.reload()  # the choice is remembered
    wait_drawn(page)
    expect(page.get_by_role("button", name="실행", exact=True)).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "ko"


SLOW_NETWORK = """(() => {
  // graphs' DOT 0.8 s late, new runs 2.5 s late: the first example is drawn while the run asked for is on its way
  const fetchNow = window.fetch.bind(window);
  const later = (ms) => new Promise((done) => setTimeout(done, ms));
  window.fetch = async (url, options = {}) => {
    const answer = await fetchNow(url, options);
    await later(options.method === "POST" ? 2500 : String(url).includes(".dot") ? 800 : 0);
    return answer;
  };
})()"""


def test_a_run_asked_for_while_the_first_example_is_still_drawn_is_the_one_shown(page: Page):
    """The first visit draws the first example; Run pressed meanwhile: the page ends on the run asked for, never
    on the example whose drawing ended in between."""
    page.goto("/")  # (the first example's run stored)
    wait_drawn(page)
    page.add_init_script(SLOW_NETWORK)
    page.goto("/")
    run_example(page, "linear-1d")
    for record in SEED["linear-1d"]:
        assert record in records(page, "forward")


def test_a_snippet_that_raises_marks_its_line_and_keeps_the_partial_graphs(page: Page):
    page.goto("/")
    page.evaluate(
        "document.querySelector('.CodeMirror').CodeMirror.setValue("
        "'x = torch.ones(2, requires_grad=True)\\ny = x * 3\\nz = y @ torch.ones(3)\\nz.backward()\\n')"
    )
    page.get_by_role("button", name="Run", exact=True).click()
    wait_drawn(page)
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("RuntimeError")
    expect(alert).to_contain_text("line 3")
    marked = page.locator(".CodeMirror-code .error-line .CodeMirror-linenumber")
    expect(marked).to_have_text("3")
    assert "y|(2) float32|data [3, 3]|grad None" in records(page, "forward")


def test_hovering_a_tensor_lights_its_backward_node_and_back(page: Page):
    page.goto("/")
    run_example(page, "linear-1d")
    node(page, "forward", "w|").hover()
    linked = page.locator("#backward-pane g.node.linked")
    expect(linked).to_have_count(1)
    expect(linked).to_contain_text("AccumulateGrad (w)")
    node(page, "backward", "PowBackward0").hover()
    expect(page.locator("#forward-pane g.node.linked")).to_have_count(2)  # its tensor and the op that made it
    node(page, "backward", "AccumulateGrad (w)").click()
    inspector = page.locator("#inspector")
    expect(inspector.get_by_role("heading", level=2)).to_have_text("AccumulateGrad")
    expect(inspector).to_contain_text("adds the gradient it receives into the leaf's .grad")
    expect(inspector).to_contain_text("-2")
    inspector.get_by_role("button", name="w", exact=True).click()  # on to the leaf it fills
    expect(inspector.get_by_role("heading", level=2)).to_have_text("w")


# A drawn node as "pane:its first text": the nodes lit as hovered, and the one at a point of the page.
HOVERED = """() => [...document.querySelectorAll('g.node.hovered')]
  .map(g => g.closest('section').id + ':' + g.querySelector('text').textContent)"""
AT = """([x, y]) => {
  const g = document.elementFromPoint(x, y)?.closest('g.node');
  return g ? g.closest('section').id + ':' + g.querySelector('text').textContent : null;
}"""


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1366, "height": 768}, "locale": "ko-KR"}])
def test_the_page_moving_under_a_still_pointer_lights_no_node(page: Page):
    """A click opens the inspector, the panes give it room and the graphs move under the pointer, which has not moved:
    the node now under it lit up as if hovered (and its counterparts in the other graph). Only a move lights it."""
    page.goto("/")
    wait_drawn(page)
    run_example(page, "linear-2d")
    moved_onto = None
    for pane in ("forward", "backward"):
        nodes = page.locator(f"#{pane}-pane g.node")
        canvas = page.locator(f"#{pane}-pane .canvas").bounding_box()
        for i in range(nodes.count()):
            box = nodes.nth(i).bounding_box()
            x, y = box["x"] + box["width"] / 2, box["y"] + min(10, box["height"] / 2)
            left, top = canvas["x"], canvas["y"]
            if not (left < x < left + canvas["width"] and top < y < top + canvas["height"]):
                continue
            clicked = page.evaluate(AT, [x, y])
            page.mouse.move(x, y)
            page.mouse.click(x, y)
            expect(page.locator("#inspector")).to_be_visible()
            settle(page)  # (when the browser says what is under the pointer now)
            under = page.evaluate(AT, [x, y])
            if under is not None and under != clicked:
                moved_onto = (x, y, under)
                break
            page.keyboard.press("Escape")
            expect(page.locator("#inspector")).to_be_hidden()
            page.mouse.move(1, 1)
        if moved_onto:
            break
    assert moved_onto, "no click moved another node under the pointer"
    x, y, under = moved_onto
    assert under not in page.evaluate(HOVERED), page.evaluate(HOVERED)
    page.mouse.move(x + 2, y + 1)  # a move lights it
    assert under in page.evaluate(HOVERED), (under, page.evaluate(HOVERED))


def test_editing_the_code_drops_the_example_explanation(page: Page):
    page.goto("/")
    expect(page.locator("#about")).to_be_visible()
    page.locator(".CodeMirror textarea").focus()
    page.keyboard.type("# mine\n")
    expect(page.locator("#about")).to_be_hidden()
    assert page.locator("#example").input_value() == ""


def test_an_example_chosen_runs_and_graphs_of_code_since_changed_say_so(page: Page):
    """Choosing an example left the last run's graphs, output and status under the new code, as if they were its:
    a learner read the `x ** 2` graph as the one of `w * x`. The chosen example runs; edited code fades the graphs
    of the code before, with a note, until it runs."""
    page.goto("/")
    wait_drawn(page)
    first = page.evaluate("document.body.dataset.runId")
    page.locator("#example").select_option("linear-1d")
    expect(page.locator("#stale")).to_be_hidden()  # (about to run: no note that the code changed)
    page.wait_for_function(f"() => document.body.dataset.runId && document.body.dataset.runId !== '{first}'")
    wait_drawn(page)
    expect(page.locator("#stdout")).to_contain_text("-2.0")  # (w.grad, printed by the 1D example)
    note = page.locator("#stale")
    expect(note).to_be_hidden()
    page.locator(".CodeMirror textarea").focus()
    page.keyboard.type("# mine\n")
    expect(note).to_be_visible()
    expect(note).to_contain_text("The code changed")
    assert page.evaluate("getComputedStyle(document.querySelector('#forward-pane svg')).opacity") == "0.45"
    page.keyboard.press("Control+z")  # (the code of the graphs again, and of the example)
    expect(note).to_be_hidden()
    assert page.locator("#example").input_value() == "linear-1d"
    page.keyboard.type("# mine\n")
    page.keyboard.press("Control+Enter")
    wait_drawn(page)
    expect(note).to_be_hidden()


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1024, "height": 768}, "locale": "en-US"}])
def test_ctrl_enter_in_one_column_brings_the_keyboard_to_the_steps_with_the_graphs(page: Page):
    """At 1024 px the page scrolls to the graphs after a run, but the editor, out of sight, kept the keyboard: → moved
    its cursor and scrolled the page back up instead of stepping."""
    page.goto("/")
    wait_drawn(page)
    page.locator("#example").select_option("linear-1d")
    page.locator(".CodeMirror textarea").focus()
    page.keyboard.press("Control+Enter")
    wait_drawn(page)
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'step-next'")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#step-count")).not_to_have_text("all steps")


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1024, "height": 768}, "locale": "ko-KR"}])
def test_a_link_to_a_step_on_a_projector_opens_on_the_step_not_the_code(page: Page, base_url: str):
    """At 1024x768 (a classroom projector) the page is one column: a link to step 6 opened on the example's text and
    code, the graphs and the step 1250 px below."""
    code = (SEED_DIR / "6_linear_2d.py").read_text(encoding="utf-8")
    run = httpx.post(f"{base_url}/api/runs", json={"code": code}, timeout=60).json()
    page.goto(f"/runs/{run['id']}?step=6")
    wait_drawn(page)
    top = page.evaluate("document.querySelector('.graphs').getBoundingClientRect().top")
    assert -10 < top < 100, top
    page.goto(f"/runs/{run['id']}")  # (no step asked: the code first, as the page is read)
    wait_drawn(page)
    assert page.evaluate("window.scrollY") == 0


def test_the_examples_menu_keeps_the_keyboard_while_its_arrows_choose(page: Page):
    """↓ on the menu chose an example and moved the keyboard into the editor: the next ↓ moved its cursor, and a Tab
    typed a tab into the code."""
    page.goto("/")
    menu = page.locator("#example")
    menu.focus()
    first = menu.input_value()
    page.keyboard.press("ArrowDown")
    chosen = menu.input_value()
    assert chosen != first and editor_code(page) == CODE[chosen]
    assert page.evaluate("document.activeElement.id") == "example"
    page.keyboard.press("Control+Enter")  # (runs from anywhere)
    wait_drawn(page)
    assert editor_code(page) == CODE[chosen]


def test_on_a_phone_the_step_explanation_is_under_the_backward_pane(page: Page):
    """Under the step buttons it was a screen above the node a step lit (test_page_walk.py walks the steps)."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    run_example(page, "scalar")
    page.locator("#step-next").click()
    panel = page.locator("#step-panel").bounding_box()
    forward, backward = (page.locator(f"#{view}-pane").bounding_box() for view in ("forward", "backward"))
    assert forward["y"] < backward["y"] < panel["y"], (forward, backward, panel)  # (the buttons stick at the top)


def test_escape_then_tab_leaves_the_editor_without_changing_the_code(page: Page):
    """Tab alone indents in the editor; Esc then Tab moved nowhere and indented the line (keyboard users were
    trapped in it)."""
    page.goto("/")
    wait_drawn(page)
    page.locator(".CodeMirror textarea").focus()
    code = page.evaluate("() => document.querySelector('.CodeMirror').CodeMirror.getValue()")
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "run"
    assert page.evaluate("() => document.querySelector('.CodeMirror').CodeMirror.getValue()") == code
    page.locator(".CodeMirror textarea").focus()
    page.keyboard.press("Escape")
    page.keyboard.press("Shift+Tab")
    assert not page.evaluate("() => document.querySelector('.CodeMirror').contains(document.activeElement)")
    assert page.evaluate("() => document.querySelector('.CodeMirror').CodeMirror.getValue()") == code


def test_the_keyboard_runs_reaches_a_node_and_opens_the_inspector(page: Page):
    page.goto("/")
    page.locator(".CodeMirror textarea").focus()
    page.keyboard.press("Control+Enter")
    wait_drawn(page)
    first = page.locator("#forward-pane g.node").first
    first.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#inspector")).to_be_visible()
    # the keyboard stays on the node; a screen reader is told what opened, and the focused node glows (no dashes,
    # which the legend gives to a cut)
    expect(page.locator("#inspector-said")).to_have_text("The inspector shows x. Tab goes into it, Escape closes it.")
    assert page.evaluate("document.activeElement.getAttribute('data-node')") is not None
    assert "drop-shadow" in first.evaluate("g => getComputedStyle(g).filter")
    page.keyboard.press("Escape")
    expect(page.locator("#inspector")).to_be_hidden()
    canvas = page.locator("#forward-pane .canvas")
    canvas.focus()
    before = page.locator("#forward-pane svg").get_attribute("viewBox")
    page.keyboard.press("+")
    assert page.locator("#forward-pane svg").get_attribute("viewBox") != before


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 820, "height": 1180}, "locale": "ko-KR"}])
def test_a_tablet_in_korean_gets_korean_and_both_panes_side_by_side(page: Page):
    page.goto("/")
    expect(page.get_by_role("button", name="실행", exact=True)).to_be_visible()
    run_example(page, "linear-2d")
    forward, backward = page.evaluate(
        "['#forward-pane', '#backward-pane'].map(s => document.querySelector(s).getBoundingClientRect().toJSON())"
    )
    assert forward["y"] == backward["y"] and forward["x"] + forward["width"] <= backward["x"]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


UNROLLED_RNN = """cell = nn.RNNCell(4, 8)
h = torch.zeros(1, 8)
xs = torch.randn(300, 1, 4)
for t in range(300):
    h = cell(xs[t], h)
loss = h.pow(2).sum()
loss.backward()
"""


def test_a_big_graph_opens_folded_and_a_click_opens_the_fold(page: Page):
    page.goto("/")
    page.evaluate("code => document.querySelector('.CodeMirror').CodeMirror.setValue(code)", UNROLLED_RNN)
    page.locator("#run").click()
    wait_drawn(page)
    expect(page.locator("#status")).to_contain_text("1 folded group (lavender)")
    # backward starts at its first step only: the node after the fold got its gradient along arrows inside the fold
    slider = page.locator("#step-slider")
    starts, after = [], []
    for k in range(1, int(slider.get_attribute("max")) + 1):
        slider.fill(str(k))
        said = page.locator("#step-panel").inner_text()
        starts += [k] if "Backward starts here" in said else []
        after += [said.split("It came out of the folded group ")[1].split(":")[0]] if "folded group “" in said else []
    assert starts == [1]
    # the step after the fold says the fold's nodes ran before it, unseen
    [drawn] = [r.rsplit("|", 1)[1] for r in records(page, "backward") if "×298" in r]
    assert after and after == [f"“getitem → rnn_tanh_cell ×298” ({drawn})"] * len(after), (after, drawn)
    folded = records(page, "forward")
    [group] = [r for r in folded if "×298" in r]
    assert group.startswith("getitem → rnn_tanh_cell ×298")
    assert any(r.startswith("loss|() float32|data") for r in folded)  # the end of the graph stays whole
    expect(page.locator("#backward-pane g.node", has_text="×298")).to_have_count(1)
    page.locator("#forward-pane g.node", has_text="×298").click()  # ten more steps, the rest still one group
    page.wait_for_function(f"() => document.querySelectorAll('#forward-pane g.node').length > {len(folded)}")
    wait_drawn(page)
    opened = records(page, "forward")
    assert not any("×298" in r for r in opened)
    assert [r for r in opened if "×288" in r] and len(opened) > len(folded) + 10 * 3
    expect(page.locator("#backward-pane g.node", has_text="×288")).to_have_count(1)
    page.locator("#forward-pane g.node", has_text="×288").click()  # and ten more
    page.wait_for_function(f"() => document.querySelectorAll('#forward-pane g.node').length > {len(opened)}")
    wait_drawn(page)
    assert [r for r in records(page, "forward") if "×278" in r]
    # the count under a group's name is said in the page's language
    [count] = [r.rsplit("|", 1)[1] for r in records(page, "forward") if "×278" in r]
    n = int(count.removesuffix(" nodes"))  # (its ops and tensors: four a step, but the first step's input)
    assert n == 278 * 4 - 1, count
    page.locator("#lang").click()
    expect(page.locator("#forward-pane g.node", has_text="×278")).to_contain_text(f"노드 {n}개")


DEEP_MLP = """layers = []
for _ in range(200):
    layers += [nn.Linear(8, 8), nn.ReLU()]
model = nn.Sequential(*layers)
model(torch.randn(4, 8)).pow(2).mean().backward()
"""


def test_a_folded_group_opened_with_enter_keeps_the_keyboard_on_what_it_held(page: Page):
    """The group's node goes with the picture it was in: the keyboard goes on from the first node it held (it fell to
    the page's body, and Tab started again from the top)."""
    page.goto("/")
    wait_drawn(page)
    page.evaluate("code => document.querySelector('.CodeMirror').CodeMirror.setValue(code)", DEEP_MLP)
    page.locator("#run").click()
    wait_drawn(page)
    group = page.locator("#forward-pane g.node", has_text="linear → relu ×")
    expect(group).to_have_count(1)
    folded = len(records(page, "forward"))
    group.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.querySelectorAll('#forward-pane g.node').length > {folded}")
    wait_drawn(page)
    page.wait_for_function("() => document.activeElement.matches('#forward-pane g.node')")
    name = page.evaluate("() => document.activeElement.querySelector('text').textContent")
    assert name == "model.2.weight", name  # the first node the group held (its first block, model.0, stays whole)
    canvas = page.locator("#forward-pane .canvas").bounding_box()
    box = page.locator("#forward-pane g.node:focus").bounding_box()
    assert canvas["y"] <= box["y"] and box["y"] + box["height"] <= canvas["y"] + canvas["height"]  # in view
    page.keyboard.press("Tab")  # and Tab goes on from there, through the graph
    assert page.evaluate("() => document.activeElement.matches('#forward-pane g.node')")


AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.mark.parametrize("language", ["en", "ko"])
def test_axe_finds_no_serious_accessibility_problem(page: Page, language: str):
    page.add_init_script(path=str(AXE))  # not a <script> tag: the page's policy runs no inline script
    page.goto("/")
    if language == "ko":
        page.locator("#lang").click()
    run_example(page, "linear-2d")
    node(page, "forward", "W|").click()  # the inspector open too
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}x: {sorted({str(n['target']) for n in v['nodes']})})"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, serious


# Where the focused node is in its picture (graph units, whatever the view): [middle y, left x].
FOCUSED_PLACE = """() => {
    const g = document.activeElement.closest && document.activeElement.closest('g.node');
    if (!g) return null;
    const b = g.getBBox();
    return [b.y + b.height / 2, b.x];
}"""


@pytest.mark.parametrize("example", ["linear-1d", "linear-2d"])
def test_tab_goes_through_a_graphs_nodes_in_reading_order(page: Page, example: str):
    """Tab from a pane goes through its nodes row by row from the top, left to right in a row, as the picture
    reads (and as a screen reader reads them): not in Graphviz's own order, which jumped up and down."""
    page.goto("/")
    run_example(page, example)
    for pane in ("forward", "backward"):
        page.locator(f"#{pane}-pane .canvas").focus()
        places = []
        for _ in range(page.locator(f"#{pane}-pane g.node").count()):
            page.keyboard.press("Tab")
            places.append(page.evaluate(FOCUSED_PLACE))
        assert None not in places, places
        for (y0, x0), (y1, x1) in pairwise(places):
            assert y1 > y0 + 1 or (abs(y1 - y0) <= 1 and x1 > x0), (pane, places)


def test_a_screen_reader_hears_the_backward_graph_as_its_nodes_not_bare_numbers(page: Page):
    """The accessibility tree of the backward graph read the arrows' gradients as one line of numbers with nothing to
    say what they were ("-2 -4 -2 -2", before the first node): it holds the graph's nodes, each a button named with
    its gradient, and nothing else."""
    page.goto("/")
    run_example(page, "linear-1d")
    tree = page.locator("#backward-pane svg").aria_snapshot()
    lines = [line.strip() for line in tree.splitlines()[1:]]  # (under the picture's own group)
    assert lines and all(re.match(r"- '?button \"", line) for line in lines), tree
    assert any("AccumulateGrad (x)" in line and "grad -4" in line for line in lines), tree


def test_switching_the_language_or_the_formulas_keeps_the_inspector_open_on_its_node_at_the_step(page: Page):
    """Mid-walk, the inspector open on W: switching to Korean (or the formulas off) drew the backward graph again and
    closed the inspector, and the graphs went back to where backward starts. The inspector stays on W, in the new
    language, at the same step, W lit in both graphs and in view."""
    page.goto("/")
    run_example(page, "linear-2d")
    page.get_by_role("slider").fill("3")
    node(page, "forward", "W|").click()
    inspector = page.locator("#inspector")
    expect(inspector).to_contain_text("Leaf tensor")
    page.evaluate("() => delete document.body.dataset.drawMs")
    page.locator("#lang").click()
    page.wait_for_function("() => document.body.dataset.drawMs !== undefined")
    expect(inspector).to_be_visible()
    expect(inspector.locator("#inspector-title")).to_have_text("W")
    expect(inspector).to_contain_text("리프 텐서입니다")
    expect(page.locator("body")).to_have_attribute("data-step", "3")
    expect(page.locator("#forward-pane g.node.selected")).to_have_count(1)
    expect(page.locator("#backward-pane g.node.selected")).to_have_count(1)
    canvas = page.locator("#forward-pane .canvas").bounding_box()
    box = page.locator("#forward-pane g.node.selected").bounding_box()
    assert canvas["y"] <= box["y"] and box["y"] + box["height"] <= canvas["y"] + canvas["height"], (canvas, box)
    page.evaluate("() => delete document.body.dataset.drawMs")
    page.locator("#formulas").uncheck()
    page.wait_for_function("() => document.body.dataset.drawMs !== undefined")
    expect(inspector.locator("#inspector-title")).to_have_text("W")


def test_a_graphs_focusable_area_tells_a_screen_reader_what_its_keys_do(page: Page):
    """Tab stops on each graph's area (its arrow keys move the view), which had no role and no name: a screen reader
    said nothing of what it was, or read out every label in it. It is a group named with its keys, in both languages."""
    page.goto("/")
    run_example(page, "scalar")
    canvas = page.locator("#backward-pane .canvas")
    expect(canvas).to_have_attribute("role", "group")
    expect(canvas).to_have_attribute("aria-label", re.compile("arrow keys move it"))
    page.locator("#lang").click()
    expect(canvas).to_have_attribute("aria-label", re.compile("화살표 키로 움직이고"))


IN_INSPECTOR = "() => document.querySelector('#inspector').contains(document.activeElement)"


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1366, "height": 768}, "locale": "ko-KR"}])
def test_tab_from_the_node_inspected_goes_into_the_inspector_and_on_out_of_it(page: Page):
    """The inspector is last in the page's order: its links came after every node of both graphs and the legend (the
    2D example: some twenty Tab presses). Tab on the node it is open on goes into it; Shift+Tab from its first stop
    comes back to the node; Tab goes on past its last stop (the keyboard is not kept in it). Only the first Tab after
    it opened: tabbing over the graph's nodes later goes node to node, past the one inspected."""
    page.goto("/")
    run_example(page, "linear-2d")
    w = node(page, "forward", "W|")
    w.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#inspector")).to_be_visible()
    page.keyboard.press("Tab")
    assert page.evaluate(IN_INSPECTOR)
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("() => document.activeElement.closest('#forward-pane g.node.selected') !== null")
    page.keyboard.press("Tab")
    stops = page.evaluate(
        "() => [...document.querySelectorAll('#inspector a[href], #inspector button, #inspector summary')]"
        ".filter(e => e.getClientRects().length).length"
    )
    assert stops >= 2, stops  # (the close button and the links to the other graph)
    for _ in range(stops - 1):
        page.keyboard.press("Tab")
        assert page.evaluate(IN_INSPECTOR)
    page.keyboard.press("Tab")
    assert not page.evaluate(IN_INSPECTOR)
    w.focus()
    page.keyboard.press("Tab")
    assert not page.evaluate(IN_INSPECTOR)
