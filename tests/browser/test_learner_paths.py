"""What a learner met walking a tensor used twice (`h * h`): the gradients its two arrows brought, each written out in
the step before, reached h's node as one gradient with no sum, on the page or in the inspector."""

import pytest
from playwright.sync_api import Page, expect

from .helpers import node, run_code

TWICE = """x = torch.tensor([1.0, 2.0], requires_grad=True)
h = x * 3
z = (h * h).sum() + (x * x).sum()
z.backward()
"""


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1366, "height": 768}, "locale": "ko-KR"}])
def test_a_gradient_two_arrows_brought_is_written_as_their_sum(page: Page):
    """Step 5 sends h [3, 6] along each of two arrows; step 6 (h's MulBackward0) said "Received grad = [6, 12]" alone,
    and h's inspector "2 paths bring it a gradient: PyTorch adds them up" with no sum (one was written for single
    numbers only). Both now write `[3, 6] + [3, 6] = [6, 12]` (torch: h.grad with retain_grad is [6, 12])."""
    page.goto("/")
    run_code(page, TWICE)
    page.locator("#step-slider").fill("6")
    expect(page.locator("#step-panel .step-node")).to_have_text("MulBackward0 (h)")
    expect(page.locator("#step-panel .received code")).to_have_text("grad = [3, 6] + [3, 6] = [6, 12]")
    expect(page.locator("#step-panel .received .arrived-sum")).to_have_text(
        "(화살표 2개로 도착한 그래디언트를 더한 값)"
    )
    page.locator("#step-slider").fill("5")  # one arrow: no sum
    expect(page.locator("#step-panel .received code")).to_have_text("grad = [1, 1]")
    expect(page.locator("#step-panel .arrived-sum")).to_have_count(0)
    node(page, "forward", "h|").click()
    expect(page.locator("#inspector-body .sources-sum code")).to_have_text("[3, 6] + [3, 6] = [6, 12]")
