"""A learner's walk through the tutorial's examples: "how to read" stays open until the learner has opened or closed
it, the first example stays whole through its walk on a laptop, and each step shows the tensor its gradient goes to."""

import pytest
from playwright.sync_api import Page, expect

from .helpers import run_example, wait_drawn
from .test_room import LAPTOP, OUT_OF_VIEW


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


def run_code(page: Page, code: str) -> None:
    page.evaluate("code => document.querySelector('.CodeMirror').CodeMirror.setValue(code)", code)
    page.evaluate("() => delete document.body.dataset.drawMs")
    page.locator("#run").click()
    wait_drawn(page)


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
