"""What a learner who uses the keyboard meets: Run pressed with Enter keeps their place in the page."""

import pytest
from playwright.sync_api import Page, expect

from .helpers import wait_drawn

ACTIVE = "() => document.activeElement && (document.activeElement.id || document.activeElement.tagName)"


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1366, "height": 768}, "locale": "ko-KR"}])
def test_run_pressed_with_enter_keeps_the_keyboard(page: Page):
    """Run is disabled while its snippet runs, and a disabled button gives the keyboard to the page's body: after Run
    pressed with Enter the learner's place was nowhere, and the next Tab started again at the page's top (the brand
    link), before the examples and the editor. The keyboard comes back to Run, and Tab goes on to what follows it."""
    page.goto("/")
    wait_drawn(page)
    page.locator("#example").select_option("linear-2d")
    page.evaluate("() => delete document.body.dataset.drawMs")
    page.locator("#run").focus()
    page.keyboard.press("Enter")
    wait_drawn(page)
    expect(page.locator("#run")).to_be_enabled()
    expect(page.locator("#run")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate(ACTIVE) == "permalink"
