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
