"""A learner's walk through the tutorial's examples: a tensor's gradient says why it is what it is, "how to read" stays
open until the learner has opened or closed it, the first example stays whole through its walk on a laptop, and each
step shows the tensor its gradient goes to."""

import pytest
from playwright.sync_api import Page, expect

from .helpers import node, run_code, run_example, wait_drawn
from .test_room import LAPTOP, OUT_OF_VIEW

DIAMOND = """x = torch.tensor(2.0, requires_grad=True)
y = x * x + x
y.backward()
"""


def test_a_leafs_inspector_says_why_its_gradient_is_what_it_is_with_this_runs_numbers(page: Page):
    """The inspector of x said `gradient 4` and nothing of where the 4 came from: the learner had to find the node
    that sent it. It now shows the chain rule of each sender with this run's numbers, a link to the sender."""
    page.goto("/")
    run_example(page, "scalar")
    node(page, "forward", "x|").click()
    inspector = page.locator("#inspector-body")
    expect(inspector).to_contain_text("Why this gradient")
    expect(inspector.locator(".sources li")).to_have_count(1)
    expect(inspector.locator(".sources li")).to_contain_text("PowBackward0 (y)")
    expect(inspector.locator(".sources li")).to_contain_text("grad_x = grad · 2 · x")
    expect(inspector.locator(".sources .numbers")).to_contain_text("1 · 2 · 2 = 4")
    inspector.locator(".sources .from button").click()  # (to the node that sent it)
    expect(page.locator("#inspector-title")).to_have_text("PowBackward0")


def test_a_gradient_from_several_paths_is_added_up_in_words_of_the_language_shown(page: Page):
    page.goto("/")
    run_code(page, DIAMOND)
    node(page, "forward", "x|").click()
    inspector = page.locator("#inspector-body")
    expect(inspector.locator(".sources li")).to_have_count(3)
    expect(inspector).to_contain_text("3 paths bring it a gradient: PyTorch adds them up. 2 + 2 + 1 = 5")
    page.locator("#lang").click()
    expect(inspector).to_contain_text("그래디언트가 이 값인 이유")
    expect(inspector).to_contain_text("그래디언트가 경로 3개로 도착하므로 PyTorch가 모두 더합니다. 2 + 2 + 1 = 5")


def test_a_gradient_not_yet_brought_by_the_step_shown_is_not_explained_yet(page: Page):
    page.goto("/")
    run_example(page, "scalar")
    page.locator("#step-next").click()  # (PowBackward0 runs: x's gradient is on its way, AccumulateGrad not yet run)
    node(page, "forward", "x|").click()
    expect(page.locator("#inspector-body")).to_contain_text("Not known yet at this step")
    expect(page.locator("#inspector-body .sources")).to_have_count(0)


def test_how_to_read_stays_open_until_the_learner_opens_or_closes_it(page: Page):
    """Opened by the page on a first visit, "how to read the backward graph" was remembered as read at once: the
    learner's first run of an example showed it closed."""
    page.goto("/")
    wait_drawn(page)
    how = page.locator("#step-panel details.how")
    expect(how).to_have_attribute("open", "")
    run_example(page, "linear-1d")
    expect(how).to_have_attribute("open", "")  # (a second run: still unread)
    page.reload()
    wait_drawn(page)
    expect(how).to_have_attribute("open", "")
    how.locator("summary").click()  # read and closed by the learner: closed from now on
    expect(how).not_to_have_attribute("open", "")
    run_example(page, "scalar")
    expect(how).not_to_have_attribute("open", "")


@pytest.mark.parametrize("context_options", [{"viewport": LAPTOP, "locale": locale} for locale in ("ko-KR", "en-US")])
def test_on_a_laptop_the_first_examples_graphs_stay_whole_through_its_walk(page: Page):
    """At 1366x768 the walk's panel leaves each graph 295 px: x -> pow -> y was 300 px tall at a readable size, and
    its first step showed y without x, where the gradient it explains goes."""
    page.goto("/")
    run_example(page, "scalar")
    for step in ("1", "2"):
        page.locator("#step-next").click()
        expect(page.locator("body")).to_have_attribute("data-step", step)
        for pane in ("forward", "backward"):
            count, out = page.evaluate(OUT_OF_VIEW, pane)
            assert count >= 2 and not out, (step, pane, out)


CHAIN = """x = torch.tensor(1.0, requires_grad=True)
a = x * 2
b = a * 3
c = b * 4
d = c * 5
e = d * 6
e.backward()
"""
# The names of a pane's nodes wholly inside its canvas.
IN_VIEW = """pane => {
  const canvas = document.querySelector(`#${pane}-pane .canvas`).getBoundingClientRect();
  return [...document.querySelectorAll(`#${pane}-pane g.node`)].filter((g) => {
    const b = g.getBoundingClientRect();
    return b.top >= canvas.top && b.bottom <= canvas.bottom && b.left >= canvas.left && b.right <= canvas.right;
  }).map((g) => g.querySelector('text').textContent);
}"""


@pytest.mark.parametrize("context_options", [{"viewport": LAPTOP, "locale": "en-US"}])
def test_each_step_brings_into_view_the_tensor_its_gradient_is_for(page: Page):
    """A step says `→ b grad_b = grad · 3` with b's numbers: the forward graph showed the node running (c) and left b,
    which the gradient is for, out of view in a graph taller than its pane."""
    page.goto("/")
    run_code(page, CHAIN)
    for step, receiving in enumerate(["d", "c", "b", "a", "x"], start=1):
        page.locator("#step-next").click()
        expect(page.locator("body")).to_have_attribute("data-step", str(step))
        assert receiving in page.evaluate(IN_VIEW, "forward"), (step, receiving)


PHONE = {"width": 390, "height": 844}
CANVAS_HEIGHT = "() => document.querySelector('#forward-pane .canvas').getBoundingClientRect().height"
# How far the inspector's sheet covers a node (px; 0 or less: the node is wholly above it) and the node's top.
UNDER_SHEET = """g => {
  const node = g.getBoundingClientRect();
  return [node.bottom - document.querySelector('#inspector').getBoundingClientRect().top, node.top];
}"""


@pytest.mark.parametrize(
    "context_options", [{"viewport": PHONE, "locale": "ko-KR", "is_mobile": True, "has_touch": True}]
)
def test_on_a_phone_the_node_tapped_stays_in_view_above_the_inspectors_sheet(page: Page):
    """The inspector opens as a sheet over the bottom half of a phone's screen, and covered the node just tapped (the
    tutorial's x, its gradient the sheet speaks of): the page scrolls the node above it, the last graph's too."""
    page.goto("/")
    run_example(page, "scalar")
    for pane, start in (("forward", "x|"), ("backward", "AccumulateGrad (x)"), ("forward", "y|")):
        g = node(page, pane, start)
        g.click()
        expect(page.locator("#inspector")).to_be_visible()
        covered, top = g.evaluate(UNDER_SHEET)
        assert covered <= 0 and top >= 0, (pane, start, covered, top)


@pytest.mark.parametrize("context_options", [{"viewport": LAPTOP, "locale": "ko-KR"}])
def test_a_node_clicked_brings_its_counterpart_in_the_other_graph_into_view(page: Page):
    """Clicking W lit its AccumulateGrad in the backward graph out of sight (the 2D example at 1366x768 with the
    inspector open): the counterpart comes into view, and a backward node's tensor likewise."""
    page.goto("/")
    run_example(page, "linear-2d")
    for pane, start, other, counterpart in (
        ("forward", "W|", "backward", "AccumulateGrad (W)"),
        ("backward", "AccumulateGrad (b)", "forward", "b"),
        ("forward", "X|", "backward", "AccumulateGrad (X)"),
        ("backward", "MeanBackward0", "forward", "loss"),
    ):
        node(page, pane, start).click()
        expect(page.locator(f"#{other}-pane g.node.selected").first).to_be_attached()
        assert counterpart in page.evaluate(IN_VIEW, other), (start, counterpart)


@pytest.mark.parametrize(
    "context_options", [{"viewport": PHONE, "locale": "ko-KR", "is_mobile": True, "has_touch": True}]
)
def test_on_a_phone_why_a_gradient_is_what_it_is_keeps_each_formula_whole(page: Page):
    """In the phone's inspector the sender's name and its formula shared a line, and `grad_x = grad · x` broke after
    `grad`: the sender has a line of its own, and each formula, its numbers and the sum wrap whole."""
    page.goto("/")
    run_code(page, DIAMOND)
    node(page, "forward", "x|").click()
    codes = page.locator("#inspector-body :is(.sources, .sources-sum) code")
    expect(codes.first).to_be_visible()
    lines = codes.evaluate_all("codes => codes.map((c) => [c.textContent, c.getClientRects().length])")
    assert len(lines) == 7 and all(count == 1 for _, count in lines), lines


@pytest.mark.parametrize("context_options", [{"viewport": LAPTOP, "locale": locale} for locale in ("ko-KR", "en-US")])
def test_on_a_laptop_the_inspector_opened_during_a_walk_costs_the_graphs_width_not_height(page: Page):
    """At 1366x768 the inspector, opened during a walk, narrowed the graphs' column: the legend under them took a third
    line in Korean, the panes lost its height, and the tutorial's first graph lost y's values (the 2D example's step 1,
    the tensor its gradient goes to). The legend spans the graphs and the inspector: the panes keep their height."""
    page.goto("/")
    run_example(page, "scalar")
    page.locator("#step-next").click()
    height = page.evaluate(CANVAS_HEIGHT)
    node(page, "forward", "x|").click()
    expect(page.locator("#inspector")).to_be_visible()
    assert page.evaluate(CANVAS_HEIGHT) == height
    for step in ("1", "2"):
        if step == "2":
            page.locator("#step-next").click()
        expect(page.locator("body")).to_have_attribute("data-step", step)
        for pane in ("forward", "backward"):
            count, out = page.evaluate(OUT_OF_VIEW, pane)
            assert count >= 2 and not out, (step, pane, out)
    run_example(page, "linear-2d")
    node(page, "forward", "W|").click()
    page.locator("#step-next").click()  # (MeanBackward0: its gradient goes to (y_pred - y_true) ** 2)
    expect(page.locator("body")).to_have_attribute("data-step", "1")
    expect(page.locator("#inspector")).to_be_visible()
    shown = page.evaluate(IN_VIEW, "forward")
    assert "loss" in shown and "(y_pred - y_true) ** 2" in shown, shown


FILLED = """buf = torch.empty(4)
buf.fill_(2.0)
w = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
y = (w * buf).sum()
y.backward()
"""


@pytest.mark.parametrize("context_options", [{"viewport": LAPTOP, "locale": "ko-KR"}])
def test_a_tensor_not_filled_yet_shows_no_value_in_the_inspector(page: Page):
    """The inspector of torch.empty(4)'s tensor, before fill_, said `값 4 float32` over its note: a learner read the
    value 4. Its shape and dtype are in the table above; the value says there is none to show, and why."""
    page.goto("/")
    run_code(page, FILLED)
    node(page, "forward", "buf|").click()
    value = page.locator("#inspector-body .summary")
    expect(value.first).to_contain_text("보여 줄 값이 없습니다")
    expect(value.first).to_contain_text("아직 값을 채우지 않았습니다")
    expect(value.first).not_to_contain_text("4 float32")
    page.locator("#lang").click()
    expect(value.first).to_contain_text("No values shown")
