"""An engineer who finds the cut (`.detach()` in forward, drawn dashed) reads in its inspector which parameters it left
without a gradient: it said only "Tracking stopped here", and the notes that name them sit under the printed output.
Each pass's cut of a loop says so, and a frozen layer's `requires_grad_(False)` says it froze them. A real capture;
plain torch leaves the same .grad None."""

import pytest
import torch
from playwright.sync_api import Page, expect

from .helpers import node, run_code

CUT = """torch.manual_seed(0)
fc1 = nn.Linear(2, 3)
fc2 = nn.Linear(3, 1)
frozen = nn.Linear(2, 2)
for p in frozen.parameters():
    p.requires_grad_(False)
x = torch.randn(4, 2)
for step in range(2):
    h = fc1(frozen(x)).relu().detach()
    loss = fc2(h).pow(2).mean()
    loss.backward()
print(fc1.weight.grad, fc1.bias.grad, frozen.weight.grad)
"""


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1366, "height": 768}, "locale": "en-US"}])
def test_a_cut_says_which_gradients_it_cost(page: Page):
    namespace = {"torch": torch, "nn": torch.nn}
    exec(CUT, namespace)
    assert namespace["fc1"].weight.grad is None and namespace["frozen"].weight.grad is None
    assert namespace["fc2"].weight.grad is not None
    page.goto("/")
    run_code(page, CUT)
    lost = "Because of this cut, no gradient reaches fc1.weight, fc1.bias, so .grad stays None."
    cuts = page.locator("#forward-pane g.node").filter(has_text="detach")
    expect(cuts).to_have_count(2)  # (one a pass)
    for k in range(2):
        cuts.nth(k).click()
        expect(page.locator("#inspector-body")).to_contain_text(lost)
    node(page, "forward", "requires_grad_").click()
    expect(page.locator("#inspector-body")).to_contain_text(
        "This line froze frozen.weight, frozen.bias: backward computes no gradient for them, so .grad stays None."
    )
    page.locator("#lang").click()
    expect(page.locator("#inspector-body")).to_contain_text(
        "이 줄에서 frozen.weight, frozen.bias 텐서를 고정했습니다. 역전파는 이 텐서들의 그래디언트를 구하지 않으므로 "
        ".grad 값이 None입니다."
    )
    node(page, "forward", "relu").click()  # (no cut: nothing said of lost gradients)
    expect(page.locator("#inspector-body")).not_to_contain_text("그래디언트가 도착하지 않아서")
