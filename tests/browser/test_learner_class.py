"""What a learner met walking the page in class (1366x768 and 1920x1080, Korean and English): the legend says what
`grad ?` on a node means while stepping."""

import pytest
from playwright.sync_api import Page, expect

from .helpers import run_example, wait_drawn

LAPTOP = {"width": 1366, "height": 768}

# The texts a walk writes `grad ?` in, in a pane, that are shown.
PENDING = """pane => [...document.querySelectorAll(`#${pane}-pane text.grad-pending`)]
  .filter((t) => getComputedStyle(t).visibility !== 'hidden').map((t) => t.textContent)"""


@pytest.mark.parametrize(
    ("context_options", "meaning"),
    [
        ({"viewport": LAPTOP, "locale": "en-US"}, "not arrived yet"),
        ({"viewport": LAPTOP, "locale": "ko-KR"}, "아직 도착하지 않은 그래디언트"),
    ],
)
def test_the_legend_says_what_grad_question_mark_means_once_a_walk_writes_it(page: Page, meaning: str):
    """Stepping the 1D example, w and x read `grad ?` until their AccumulateGrad runs: every other mark of the graphs
    is in the legend, this one was not, and a learner read it as an unknown or a failed value."""
    page.goto("/")
    wait_drawn(page)
    run_example(page, "linear-1d")
    legend = page.locator(".legend .legend-pending")
    expect(legend).to_be_hidden()  # (all steps shown: no node reads `grad ?`)
    page.locator("#step-slider").fill("2")
    expect(page.locator("body")).to_have_attribute("data-step", "2")
    assert page.evaluate(PENDING, "forward") == ["grad ?", "grad ?"]  # w and x, before steps 4 and 5
    expect(legend).to_be_visible()
    expect(legend).to_have_text(f"grad ?{meaning}")
    mark = legend.locator(".mark")
    expect(mark).to_have_text("grad ?")
    expect(mark).to_have_css("font-style", "italic")  # (as the nodes write it)
    box = legend.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 768  # on the screen, under the graphs


# Each step of the example's walk whose words do not all show in the step panel: [step, px scrolled out of sight].
SCROLLED = """async (count) => {
  const slider = document.querySelector('#step-slider');
  const out = [];
  for (let k = 1; k <= count; k++) {
    slider.value = String(k);
    slider.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    const panel = document.querySelector('#step-panel');
    if (panel.scrollHeight > panel.clientHeight + 1) out.push([k, panel.scrollHeight - panel.clientHeight]);
  }
  return out;
}"""


@pytest.mark.parametrize("projector", [False, True], ids=["page", "projector"])
@pytest.mark.parametrize("context_options", [{"viewport": LAPTOP, "locale": loc} for loc in ("en-US", "ko-KR")])
def test_on_a_laptop_each_step_of_the_first_examples_shows_its_words_whole(page: Page, projector: bool):
    """At 1366x768 a step's words scrolled inside the step panel: in projector mode at nearly every step of the
    tutorial (a leaf's AccumulateGrad by 112 px), on the page at the leaves' steps. What a step received and the node's
    local derivative share a line where they fit, a leaf's one path is said once (its formula names it), and in
    projector mode the legend goes under the code: its three lines go to the graphs and the panel."""
    page.goto("/")
    wait_drawn(page)
    if projector:
        page.locator("#projector").click()
    for example in ("scalar", "vector", "linear-1d"):
        run_example(page, example)
        count = int(page.locator("#step-slider").get_attribute("max") or 0) - 1
        page.locator("#step-slider").fill("1")  # (the walk starts: the panel takes its walk's height)
        assert count >= 2 and page.evaluate(SCROLLED, count) == [], example
        canvas = page.evaluate("() => document.querySelector('#forward-pane .canvas').clientHeight")
        assert canvas >= 300, (example, canvas)  # (the graphs keep the room the tutorial's first graph needs whole)
    legend = page.locator(".legend").bounding_box()
    assert legend is not None and legend["y"] + legend["height"] <= 768  # (its lines on the screen, not scrolled)
