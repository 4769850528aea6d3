"""A gradient a hook of the snippet's changed (`h.register_hook(lambda g: g * 10)`) is said where the learner looks for
why a tensor's gradient is what it is: the inspector listed only the senders' formulas, "✓ matches PyTorch", with
numbers a tenth of the gradient above them. A real capture; plain torch gives the same gradients."""

import pytest
import torch
from playwright.sync_api import Page, expect

from .helpers import node, run_code

HOOKED = """x = torch.tensor([1.0, 2.0], requires_grad=True)
x.register_hook(lambda g: g * 3)
h = x * 2
h.retain_grad()
h.register_hook(lambda g: g * 10)
y = (h * x).sum()
y.backward()
print(h.grad, x.grad)
"""


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1366, "height": 768}, "locale": "en-US"}])
def test_the_inspector_says_what_a_hook_made_of_the_gradient_that_arrived(page: Page):
    namespace = {"torch": torch}
    exec(HOOKED, namespace)
    assert namespace["h"].grad.tolist() == [10.0, 20.0]  # (x · 10)
    assert namespace["x"].grad.tolist() == [66.0, 132.0]  # ((h + 2 · h.grad) · 3: two paths, then the hook)
    page.goto("/")
    run_code(page, HOOKED)
    node(page, "forward", "h|").click()
    expect(page.locator("#inspector-body .sources-hooked")).to_have_text(
        "What arrived was [1, 2]; a hook of the snippet's (register_hook) changed it to [10, 20], the gradient shown, "
        "which backward went on with."
    )
    node(page, "forward", "x|").click()  # (two paths: their sum is what arrived)
    expect(page.locator("#inspector-body .sources-hooked")).to_have_text(
        "What arrived was [22, 44]; a hook of the snippet's (register_hook) changed it to [66, 132], the gradient "
        "shown, which backward went on with."
    )
    page.locator("#lang").click()
    expect(page.locator("#inspector-body .sources-hooked")).to_have_text(
        "화살표로 도착한 그래디언트는 [22, 44]입니다. 코드에서 건 훅(register_hook)이 이 값을 바꿔서, 여기 보이는 "
        "그래디언트이자 역전파가 이어서 쓰는 값은 [66, 132]입니다."
    )
    node(page, "forward", "y|").click()  # (no hook: nothing said)
    expect(page.locator("#inspector-title")).to_have_text("y")
    expect(page.locator("#inspector-body .sources-hooked")).to_have_count(0)
