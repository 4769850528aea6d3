"""A learner's walk through the tutorial's examples: "how to read" stays open until the learner has opened or closed
it, and the first example stays whole through its walk on a laptop."""

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
