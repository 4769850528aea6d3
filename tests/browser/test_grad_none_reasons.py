"""Why a leaf's .grad is None when the code chose which gradients to compute: `backward(inputs=[...])` left it out,
only `torch.autograd.grad` ran, which returns its gradients and fills no `.grad`, or a layer was frozen. Each run is
a real capture, and plain torch says the same None."""

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


COPY_AND_INTEGER = """x = torch.tensor([1.0, 2.0], requires_grad=True)
w = x.to(torch.float64)
n = torch.tensor([3, 4])
loss = (w * n).sum()
loss.backward()
print(w.grad, n.grad, x.grad)
"""


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1366, "height": 768}, "locale": "ko-KR"}])
def test_a_copy_of_a_leaf_and_an_integer_tensor_are_told_why_their_grad_is_none(page: Page):
    """`w = x.to(torch.float64)`: w.grad is None, and the note said only that an operation made w, not that its
    gradient went on into x.grad; `n = torch.tensor([3, 4])` was told to call n.requires_grad_(), which raises on an
    int64 tensor."""
    with pytest.warns(UserWarning, match="not a leaf Tensor"):  # (as the page shows it: what torch warns)
        ran = plain(COPY_AND_INTEGER)
        assert ran["w"].grad is None and ran["n"].grad is None and ran["x"].grad.tolist() == [3.0, 4.0]
    page.goto("/")
    wait_drawn(page)
    run_code(page, COPY_AND_INTEGER)
    warnings = page.locator("#warnings")
    expect(warnings.locator(".hint").first).to_contain_text(
        "여기서 w 텐서는 x 텐서를 .to() 호출로 복사한 텐서입니다. "
        "복사본은 리프 텐서가 아니므로, w 텐서에 도착한 그래디언트는 x.grad에 쌓입니다."
    )
    expect(warnings.locator(".grad-none")).to_have_text(
        "n.grad 값이 None입니다. n 텐서의 자료형은 int64입니다. "
        "requires_grad=True는 실수(또는 복소수) 텐서에만 설정할 수 있습니다. "
        "미분은 값이 아주 조금씩 변할 수 있어야 하기 때문입니다. "
        "그래서 PyTorch는 이 텐서를 상수로 다룹니다(n.requires_grad_()를 호출하면 오류가 납니다). "
        "그래디언트가 필요하면 연산에 쓰기 전에 실수 텐서로 만드세요. "
        "1 대신 1.0으로 쓰거나, dtype=torch.float32를 넘기거나, "
        "n = n.float().requires_grad_()로 쓰면 됩니다."
    )
    page.locator("#lang").click()
    expect(warnings.locator(".grad-none")).to_contain_text("n is a tensor of dtype int64, and only floating-point")
    expect(warnings.locator(".hint").first).to_contain_text("Here w is a copy that .to() made of x")


FROZEN = """torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 1))
for p in model[2].parameters():
    p.requires_grad_(False)
x = torch.randn(2, 3)
loss = model(x).pow(2).mean()
loss.backward()
"""


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1366, "height": 768}, "locale": "ko-KR"}])
def test_a_frozen_layers_weight_is_told_backward_goes_on_past_it(page: Page):
    """Three layers, the middle one frozen (`p.requires_grad_(False)`): its weight's .grad is None, and the note said
    "backward stops at the cut, so no gradient comes back" as for a .detach(): yet the first layer gets its gradient
    through the frozen one, as plain torch shows. The note says backward computes none for the frozen weight alone."""
    ran = plain("import torch.nn as nn\nimport torch.nn.functional as F\n" + FROZEN)
    assert ran["model"][2].weight.grad is None and ran["model"][0].weight.grad is not None
    page.goto("/")
    wait_drawn(page)
    run_code(page, FROZEN)
    notes = page.locator("#warnings .grad-none")
    expect(notes).to_have_count(2)
    expect(notes.first).to_have_attribute("data-kind", "frozen")
    expect(notes.first).to_contain_text("4번 줄의 requires_grad=False로 model.2.weight 텐서의 그래디언트 계산을 껐기")
    expect(notes.first).to_contain_text(".detach()처럼 그래프를 끊는 것은 아니어서")
    expect(notes.first).not_to_contain_text("멈추므로")
    page.locator("#lang").click()
    expect(notes.first).to_contain_text(
        "model.2.weight.grad is None: requires_grad=False on line 4 switched off its gradient (froze it)"
    )
