"""What a learner meets after the tutorial's walk: the inspector opened mid-walk on another node keeps the step's node
in view beside it, and the step panel sets formulas as formulas and words as words."""

import pytest
from playwright.sync_api import Page, expect

from .helpers import node, run_example, wait_drawn

FULL_HD = {"width": 1920, "height": 1080}

# The pane's nodes lit by the step: [their first text, wholly inside the pane's canvas].
RUNNING = """pane => {
  const canvas = document.querySelector(`#${pane}-pane .canvas`).getBoundingClientRect();
  return [...document.querySelectorAll(`#${pane}-pane g.node.running`)].map((g) => {
    const b = g.getBoundingClientRect();
    const inside = b.top >= canvas.top && b.bottom <= canvas.bottom && b.left >= canvas.left && b.right <= canvas.right;
    return [g.querySelector('text').textContent, inside];
  });
}"""


@pytest.mark.parametrize("context_options", [{"viewport": FULL_HD, "locale": "ko-KR"}])
def test_the_inspector_opened_mid_walk_keeps_the_steps_node_in_view(page: Page):
    """At 1920x1080 the 2D example's step 7 is AccumulateGrad (X); a learner who opened the inspector on
    AddBackward0 (y_pred) above it, to see where X's gradient came from, saw the panes narrow about their centres and
    AccumulateGrad (X) cut off at the pane's left edge, its step's words still speaking of it. Both stay in view."""
    page.goto("/")
    wait_drawn(page)
    run_example(page, "linear-2d")
    page.locator("#step-slider").fill("7")
    expect(page.locator("#step-panel h3")).to_contain_text("AccumulateGrad (X)")
    assert page.evaluate(RUNNING, "backward") == [["AccumulateGrad (X)", True]]
    node(page, "backward", "AddBackward0 (y_pred)").click()
    expect(page.locator("#inspector h2")).to_have_text("AddBackward0")
    assert page.evaluate(RUNNING, "backward") == [["AccumulateGrad (X)", True]]
    assert page.evaluate(RUNNING, "forward") == [["X", True]]
