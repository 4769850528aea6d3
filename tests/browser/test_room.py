"""Room on a short screen: the graphs of the tutorial's first example open whole on a laptop, and the step panel keeps
one height through a walk."""

import re

import pytest
from playwright.sync_api import Page, expect

from .helpers import run_example, wait_drawn

LAPTOP = {"width": 1366, "height": 768}

# Each pane's drawn nodes: how many, and those not wholly inside the pane's canvas (their first text).
OUT_OF_VIEW = """pane => {
  const canvas = document.querySelector(`#${pane}-pane .canvas`).getBoundingClientRect();
  const nodes = [...document.querySelectorAll(`#${pane}-pane g.node`)];
  const out = nodes.filter((g) => {
    const b = g.getBoundingClientRect();
    return b.top < canvas.top || b.bottom > canvas.bottom || b.left < canvas.left || b.right > canvas.right;
  });
  return [nodes.length, out.map((g) => g.querySelector('text').textContent)];
}"""
# The labels' size on the screen (CSS px): the smallest.
SMALLEST_LABEL = """pane => Math.min(...[...document.querySelectorAll(`#${pane}-pane g.node text`)]
  .map((t) => t.getBoundingClientRect().height).filter((h) => h > 0))"""
HEIGHTS = """() => ['#step-panel', '#forward-pane .canvas', '#backward-pane .canvas']
  .map((s) => Math.round(document.querySelector(s).getBoundingClientRect().height))"""


def assert_whole(page: Page) -> None:
    for pane in ("forward", "backward"):
        count, out = page.evaluate(OUT_OF_VIEW, pane)
        assert count >= 2 and not out, (pane, out)
        assert page.evaluate(SMALLEST_LABEL, pane) >= 12, pane  # (whole at a readable size, not shrunk to fit)


@pytest.mark.parametrize("context_options", [{"viewport": LAPTOP, "locale": locale} for locale in ("ko-KR", "en-US")])
def test_on_a_laptop_the_first_example_opens_whole_and_the_walk_keeps_one_layout(page: Page):
    """At 1366x768 the step panel took its walk's height (30vh) before any step, the graphs had 295 px, and the
    tutorial's first example opened without its x. Until the walk starts the panel is as tall as its few lines: both
    graphs open whole, their labels readable; from the first step to the last, and back to the whole run, the panel
    and the graphs keep one height (the walk's, taken once at its start)."""
    page.goto("/")
    wait_drawn(page)
    expect(page.locator("#example")).to_have_value("scalar")  # (a first visit: "how to read" open in the panel)
    assert_whole(page)
    run_example(page, "scalar")  # (again, as a learner who chose it)
    assert_whole(page)
    page.locator("#step-next").click()
    expect(page.locator("body")).to_have_attribute("data-step", "1")
    walk = page.evaluate(HEIGHTS)
    seen = [walk]
    page.locator("#step-next").click()
    seen.append(page.evaluate(HEIGHTS))
    page.locator("#step-first").click()
    seen.append(page.evaluate(HEIGHTS))
    page.locator("#step-last").click()
    seen.append(page.evaluate(HEIGHTS))
    page.locator("#step-slider").focus()
    page.keyboard.press("End")  # (the slider's last place: the whole run again)
    expect(page.locator("body")).to_have_attribute("data-step", "")
    seen.append(page.evaluate(HEIGHTS))
    page.evaluate("() => delete document.body.dataset.drawMs")
    page.locator("#formulas").uncheck()  # (drawn again, the walk's layout kept)
    page.wait_for_function("() => document.body.dataset.drawMs !== undefined")
    seen.append(page.evaluate(HEIGHTS))
    assert all(heights == walk for heights in seen), seen


# The step panel's words: [how tall they are, how tall the panel shows them] (CSS px).
WORDS = """() => { const panel = document.querySelector('#step-panel');
  return [panel.scrollHeight, panel.clientHeight]; }"""


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1920, "height": 1080}, "locale": "ko-KR"}])
@pytest.mark.parametrize("example", ["linear-1d", "linear-2d"])
def test_on_a_full_hd_screen_the_walks_panel_is_as_tall_as_its_tallest_step(page: Page, example: str):
    """The step panel kept 30% of the screen through a walk, however short the steps' words: at 1920x1080 the
    tutorial's steps left 100 px of it empty, taken from the graphs. It is as tall as its tallest step: no step's
    words scroll, one fills it, and the panel and the graphs keep one height from the first step to the last."""
    page.goto("/")
    wait_drawn(page)
    run_example(page, example)
    last = int(page.locator("#step-slider").get_attribute("max") or 0) - 1  # (its last place: the whole run)
    assert last >= 5
    heights, filled = [], []
    for step in range(1, last + 1):
        page.locator("#step-slider").fill(str(step))
        expect(page.locator("body")).to_have_attribute("data-step", str(step))
        heights.append(page.evaluate(HEIGHTS))
        words, shown = page.evaluate(WORDS)
        assert words <= shown, (step, words, shown)  # (no step scrolls)
        filled.append(shown - words)
    assert all(h == heights[0] for h in heights), heights
    assert min(filled) <= 2, filled  # (and the tallest fills it)
    assert heights[0][0] < 0.3 * 1080 - 50, heights[0]  # (short steps: shorter than the 30% it was)


# Each pane's title: [its text, wider than its box (cut off), its text's box within the head and clear of the zoom
# buttons].
TITLES = """() => [...document.querySelectorAll('.pane-head')].map((head) => {
  const title = head.querySelector('h2');
  const range = document.createRange();
  range.selectNodeContents(title);
  const text = range.getBoundingClientRect();
  const box = head.getBoundingClientRect();
  const zoom = head.querySelector('.zoom').getBoundingClientRect();
  const inside = text.left >= box.left && text.right <= box.right && text.top >= box.top && text.bottom <= box.bottom;
  const clear = text.right <= zoom.left || text.bottom <= zoom.top || text.top >= zoom.bottom;
  return [title.textContent, title.scrollWidth > title.clientWidth, inside && clear];
})"""


AT_150 = {"viewport": {"width": 1280, "height": 720}, "device_scale_factor": 1.5}  # (1920x1080 at 150%)


@pytest.mark.parametrize("context_options", [{**AT_150, "locale": locale} for locale in ("en-US", "ko-KR")])
def test_the_pane_titles_stay_whole_in_projector_mode_at_150_percent_with_the_inspector_open(page: Page):
    """A 1920x1080 screen at 150% is 1280x720: in projector mode with the inspector open each pane is 288 px wide,
    and the titles were cut to "Forward gr…" and "Backward …". They go on two lines, whole, beside the buttons."""
    page.goto("/")
    wait_drawn(page)
    page.locator("#projector").click()
    run_example(page, "linear-1d")
    page.locator("#forward-pane g.node").first.click()
    expect(page.locator("#inspector")).to_be_visible()
    for title, cut, placed in page.evaluate(TITLES):
        assert not cut and placed, (title, cut, placed)
    page.locator("#lang").click()  # (the other language's titles too; the click outside closed the inspector)
    page.locator("#forward-pane g.node").first.click()
    expect(page.locator("#inspector")).to_be_visible()
    for title, cut, placed in page.evaluate(TITLES):
        assert not cut and placed, (title, cut, placed)


@pytest.mark.parametrize("context_options", [{"viewport": LAPTOP, "locale": locale} for locale in ("ko-KR", "en-US")])
def test_on_a_laptop_the_detach_example_shows_the_cut_and_its_result_whole(page: Page):
    """The tutorial's detach example never calls backward(): its step panel has no steps, yet it opened "How to read the
    backward graph" (#n, arrows' gradients, formulas: none of which such a graph has), and at 1366x768 its forward graph
    ended under the panel, y_detached, what the cut made, out of view. The panel is its two lines; both graphs open
    whole at a readable size."""
    page.goto("/")
    wait_drawn(page)
    run_example(page, "detach")
    expect(page.locator("#step-panel details.how")).not_to_have_attribute("open", "")
    assert_whole(page)


@pytest.mark.parametrize("context_options", [{"viewport": LAPTOP, "locale": locale} for locale in ("ko-KR", "en-US")])
def test_in_projector_mode_on_a_laptop_the_first_example_opens_whole_and_stays_whole_through_its_walk(page: Page):
    """At 1366x768 in projector mode the graphs had 233 px through a walk and opened at the projector's label size on
    the output: the tutorial's first forward graph showed pow and y, its x out of view above. A graph that fits whole
    at a readable size opens whole, and a walk leaves the graphs room for it."""
    page.goto("/")
    wait_drawn(page)
    page.locator("#projector").click()
    expect(page.locator("body")).to_have_class(re.compile("projector"))
    run_example(page, "scalar")
    assert_whole(page)
    page.locator("#step-next").click()
    expect(page.locator("body")).to_have_attribute("data-step", "1")
    assert_whole(page)
    page.locator("#step-next").click()
    expect(page.locator("body")).to_have_attribute("data-step", "2")
    assert_whole(page)


TRAINING = """import torch
x = torch.tensor([[1.0], [2.0], [3.0]])
y = torch.tensor([[2.0], [4.0], [6.0]])
w = torch.tensor([[0.5]], requires_grad=True)
opt = torch.optim.SGD([w], lr=0.1)
for epoch in range(3):
    opt.zero_grad()
    loss = ((x @ w - y) ** 2).mean()
    loss.backward()
    opt.step()
"""
# A node's box against its pane's canvas (CSS px): [its first text, wholly inside].
WHOLE_NODE = """([pane, id]) => {
  const canvas = document.querySelector(`#${pane}-pane .canvas`).getBoundingClientRect();
  const g = document.querySelector(`#${pane}-pane g.node[data-node="${id}"]`);
  const b = g.getBoundingClientRect();
  const inside = b.top >= canvas.top && b.bottom <= canvas.bottom && b.left >= canvas.left && b.right <= canvas.right;
  return [g.querySelector('text').textContent, inside];
}"""


@pytest.mark.parametrize("context_options", [{"viewport": LAPTOP, "locale": "en-US"}])
def test_a_backward_pass_step_shows_the_node_the_pass_starts_with(page: Page):
    """A training loop's first step is its first backward pass, which lights no node: the step panel took its walk's
    height, the panes shrank about their centres, and the top edge cut MeanBackward0 (loss)'s name off. A pass's step
    shows the node the pass starts with, and its tensor, whole; so does the step before backward."""
    page.goto("/")
    wait_drawn(page)
    page.evaluate("code => document.querySelector('.CodeMirror').CodeMirror.setValue(code)", TRAINING)
    page.evaluate("() => delete document.body.dataset.drawMs")
    page.locator("#run").click()
    wait_drawn(page)
    run = page.evaluate("() => fetch(`/api/runs/${document.body.dataset.runId}`).then((r) => r.json())")
    roots = {n["backward_pass"]: n for n in run["backward"]["nodes"] if n["name"] == "MeanBackward0"}
    for step, backward_pass in ((1, 1), (7, 2), (0, 1)):  # (each pass: its own step, then its five nodes)
        page.locator("#step-slider").fill(str(step))
        expect(page.locator("body")).to_have_attribute("data-step", str(step))
        if step:
            expect(page.locator("#step-panel h3")).to_contain_text(f"backward pass {backward_pass}")
        root = roots[backward_pass]
        assert page.evaluate(WHOLE_NODE, ["backward", root["id"]]) == ["MeanBackward0 (loss)", True], step
        assert page.evaluate(WHOLE_NODE, ["forward", root["tensor"]]) == ["loss", True], step
