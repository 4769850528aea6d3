"""What a learner new to autograd met on a first visit and walking past the tutorial: the button to press in sight,
whatever the example's explanation and code take of the column."""

import pytest
from playwright.sync_api import Page

from .helpers import wait_drawn

# Whether a click at the middle of the Run button reaches it (not what lies over it), and it is inside the window.
RUN_REACHABLE = """() => {
    const r = document.querySelector('#run').getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return Boolean(hit && hit.closest('#run')) && r.bottom <= window.innerHeight;
}"""


@pytest.mark.parametrize(
    "context_options", [{"viewport": {"width": 1280, "height": 720}, "locale": loc} for loc in ("en-US", "ko-KR")]
)
def test_run_stays_in_sight_under_a_long_explanation_at_1280x720(page: Page):
    """At 1280x720 the legend sits under the code: the first visit's English explanation and code pushed Run under
    it (6 px of the button showed, a click met the legend). Run stays at the column's foot, for each seed example."""
    page.goto("/")
    wait_drawn(page)
    assert page.evaluate(RUN_REACHABLE)
    for example in ("vector", "linear-2d"):
        page.locator("#example").select_option(example)
        assert page.evaluate(RUN_REACHABLE), example
