"""A learner's walk through the tutorial's examples: "how to read" stays open until the learner has opened or closed
it."""

from playwright.sync_api import Page, expect

from .helpers import run_example, wait_drawn


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
