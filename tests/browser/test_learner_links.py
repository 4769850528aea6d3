"""What a learner met stepping through a training loop: a step whose node's own tensor is not drawn (a linear layer's
TBackward0: its weightᵀ is made inside F.linear) left the forward graph wherever it was, away from the weight the step's
gradient is for."""

import pytest
from playwright.sync_api import Page, expect

from .helpers import run_code

LOOP = """torch.manual_seed(0)
X = torch.randn(4, 3)
y = torch.tensor([0, 1, 1, 0])
model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for step in range(2):
    optimizer.zero_grad()
    loss = F.cross_entropy(model(X), y)
    loss.backward()
    optimizer.step()
"""

# Walks to the first step whose node is `title` in a pass's heading `pass`; its number, or null.
STEP_OF = """([title, pass]) => {
  const slider = document.querySelector('#step-slider');
  for (let k = 1; k < Number(slider.max); k++) {
    slider.value = String(k);
    slider.dispatchEvent(new Event('input', { bubbles: true }));
    const panel = document.querySelector('#step-panel');
    const order = panel.querySelector('.step-order')?.textContent || '';
    if (panel.querySelector('.step-node')?.textContent === title && order.includes(pass)) return k;
  }
  return null;
}"""

# The records (their fields joined by "|") of the forward graph's nodes wholly in view.
IN_VIEW = """() => {
  const canvas = document.querySelector('#forward-pane .canvas').getBoundingClientRect();
  return [...document.querySelectorAll('#forward-pane g.node')].filter((g) => {
    const b = g.getBoundingClientRect();
    return b.top >= canvas.top && b.bottom <= canvas.bottom && b.left >= canvas.left && b.right <= canvas.right;
  }).map((g) => [...g.querySelectorAll('text')].map((t) => t.textContent).join('|'));
}"""


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1366, "height": 768}, "locale": "ko-KR"}])
def test_a_step_whose_tensor_is_not_drawn_brings_the_weight_its_gradient_is_for_into_view(page: Page):
    """Pass 2's TBackward0 (model.2.weightᵀ) sends model.2.weight its gradient: the forward graph stayed on
    model.0.weight, where pass 1's last step had left it. It shows model.2.weight as pass 2 used it (its gradient not
    arrived yet at this step: `grad ?`)."""
    page.goto("/")
    run_code(page, LOOP)
    step = page.evaluate(STEP_OF, ["TBackward0 (model.2.weightᵀ)", "2회차"])
    assert step is not None
    page.locator("#step-slider").fill(str(step))
    expect(page.locator("body")).to_have_attribute("data-step", str(step))
    shown = page.evaluate(IN_VIEW)
    assert any(record.startswith("model.2.weight|") and "|grad ?" in record for record in shown), shown


INSIDE = """z = torch.tensor([[2.0, 1.0, 0.1]], requires_grad=True)
loss = F.cross_entropy(z, torch.tensor([0]))
loss.backward()
"""

# The forward graph's ops lit as the op the step's node was made inside: [their text, wholly in view].
INSIDE_LIT = """() => {
  const canvas = document.querySelector('#forward-pane .canvas').getBoundingClientRect();
  return [...document.querySelectorAll('#forward-pane g.node.running.inside')].map((g) => {
    const b = g.getBoundingClientRect();
    const shown = b.top >= canvas.top && b.bottom <= canvas.bottom && b.left >= canvas.left && b.right <= canvas.right;
    return [g.querySelector('text').textContent, shown, getComputedStyle(g.querySelector('ellipse')).strokeWidth];
  });
}"""


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1366, "height": 768}, "locale": "ko-KR"}])
def test_a_step_on_a_node_made_inside_an_op_lights_that_op_and_says_so(page: Page):
    """F.cross_entropy's LogSoftmaxBackward0 (an RNN cell's additions, F.linear's TBackward0, reshape's copy) has no
    tensor in the forward graph: its step lit nothing there, and hovering it linked to nothing, so the learner could not
    tell which line of the code it belonged to. The op it was made inside is lit, and the step names it and its line."""
    page.goto("/")
    run_code(page, INSIDE)
    page.locator("#step-slider").fill("1")
    expect(page.locator("#step-panel h3")).to_contain_text("NllLossBackward0 (loss)")
    assert page.evaluate(INSIDE_LIT) == []  # (a node with a tensor of its own lights that tensor)
    page.locator("#step-slider").fill("2")
    expect(page.locator("#step-panel h3")).to_contain_text("LogSoftmaxBackward0")
    assert page.evaluate(INSIDE_LIT) == [["cross_entropy", True, "4px"]]
    expect(page.locator("#step-panel .inside")).to_have_text(
        "이 노드는 torch가 2번 줄의 cross_entropy 안에서 만든 것입니다(순전파 그래프에 표시). "
        "순전파 그래프에는 이 노드의 텐서가 따로 없습니다."
    )
    page.locator("#backward-pane g.node", has_text="LogSoftmaxBackward0").hover()
    expect(page.locator("#forward-pane g.node.linked", has_text="cross_entropy")).to_have_count(1)
