"""Why a leaf's .grad is None when the code chose which gradients to compute: `backward(inputs=[...])` left it out,
or only `torch.autograd.grad` ran, which returns its gradients and fills no `.grad`. Each run is a real capture, and
plain torch says the same None."""

import pytest
import torch
from playwright.sync_api import Page, expect

from .helpers import run_code, wait_drawn

INPUTS_GIVEN = """x = torch.tensor([1.0, 2.0], requires_grad=True)
w = torch.tensor([3.0, 4.0], requires_grad=True)
loss = (x * w).sum()
loss.backward(inputs=[w])
print(x.grad, w.grad)
"""

ONLY_GRAD = """x = torch.tensor(3.0, requires_grad=True)
y = x ** 2
(dx,) = torch.autograd.grad(y, x)
print(dx, x.grad)
"""


def plain(code: str) -> dict:
    namespace = {"torch": torch}
    exec(code, namespace)
    return namespace


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1366, "height": 768}, "locale": "en-US"}])
def test_a_leaf_left_out_of_backwards_inputs_is_told_so(page: Page):
    assert plain(INPUTS_GIVEN)["x"].grad is None  # (the oracle: torch leaves it None)
    page.goto("/")
    wait_drawn(page)
    run_code(page, INPUTS_GIVEN)
    notes = page.locator("#warnings .grad-none")
    expect(notes).to_have_text(
        "x.grad is None: backward from loss was given inputs=, the tensors to compute gradients for, and x is not "
        "one of them. Backward computes no gradient for a tensor left out of inputs."
    )
    notes.get_by_role("button", name="x").click()
    expect(page.locator("#inspector h2")).to_have_text("x")
    page.locator("#lang").click()
    expect(notes).to_have_text(
        "x.grad 값이 None입니다. loss 텐서에서 시작한 역전파에 inputs= 인자로 그래디언트를 구할 텐서를 정해 "
        "주었는데, x 텐서는 그 안에 없습니다. 역전파는 inputs에 없는 텐서의 그래디언트는 계산하지 않습니다."
    )


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1366, "height": 768}, "locale": "ko-KR"}])
def test_a_leaf_whose_gradient_autograd_grad_returned_is_told_its_grad_stays_none(page: Page):
    ran = plain(ONLY_GRAD)
    assert ran["x"].grad is None and ran["dx"].item() == 6.0
    page.goto("/")
    wait_drawn(page)
    run_code(page, ONLY_GRAD)
    notes = page.locator("#warnings .grad-none")
    expect(notes).to_have_count(1)
    expect(notes).to_contain_text("torch.autograd.grad는 계산한 그래디언트를 돌려줄 뿐 .grad에 저장하지 않기")
    page.locator("#lang").click()
    expect(notes).to_have_text(
        "x.grad is None: torch.autograd.grad returns the gradients it computes and does not store them in .grad, "
        "so x.grad stays None. Use the tensors it returns, or call backward() to fill .grad."
    )
