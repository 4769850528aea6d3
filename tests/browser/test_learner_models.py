"""What a learner meets walking the layers of real models: a dropout that did nothing in eval mode, an LSTM cell's
gates."""

import pytest
from playwright.sync_api import Page, expect

from .helpers import node, run_code, wait_drawn

LAPTOP_KO = {"viewport": {"width": 1366, "height": 768}, "locale": "ko-KR"}

DROPOUT_EVAL = """torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 2), nn.Dropout(p=0.5))
model.eval()
x = torch.tensor([[1.0, 2.0, 3.0]])
out = model(x)
loss = out.sum()
loss.backward()
"""


@pytest.mark.parametrize("context_options", [LAPTOP_KO])
def test_a_dropout_in_eval_mode_says_it_changed_nothing(page: Page):
    """A model's nn.Dropout after model.eval() was nowhere on the page: `out` came straight from the linear layer and
    nothing said the dropout ran, or why it did nothing. Its op is drawn as a dropout times 1, its inspector saying why
    a dropout in eval mode gives its input back and makes no backward node; the linear layer's AddmmBackward0 step
    lights the linear layer's result and `out`, the same tensor, not the dropout op."""
    page.goto("/")
    wait_drawn(page)
    run_code(page, DROPOUT_EVAL)
    node(page, "forward", "dropout (×1)").click()
    expect(page.locator("#inspector h2")).to_have_text("dropout")
    expect(page.locator("#inspector")).to_contain_text("평가 모드(model.eval(), training=False)")
    expect(page.locator("#inspector")).to_contain_text("역전파 노드를 만들지 않았고")
    page.locator("#step-slider").fill("2")
    expect(page.locator("#step-panel h3")).to_contain_text("AddmmBackward0")
    lit = page.eval_on_selector_all(
        "#forward-pane g.node.running", "gs => gs.map(g => g.querySelector('text').textContent)"
    )
    assert lit == ["model.0 → linear", "out"], lit  # (one tensor: the dropout gave it back; not the dropout op)


CLIPPED = """w = torch.tensor([3.0, 4.0], requires_grad=True)
for step in range(2):
    w.grad = None
    loss = (w * 10).sum()
    loss.backward()
    torch.nn.utils.clip_grad_norm_([w], max_norm=1.0)
print(w.grad)
"""


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1920, "height": 1080}, "locale": "en-US"}])
def test_a_gradient_clipped_after_backward_is_said_so_and_not_taken_for_an_accumulated_one(page: Page):
    """clip_grad_norm_ after each backward(): w's node showed the clipped .grad, [0.70711, 0.70711], its AccumulateGrad
    what backward added, [10, 10], and the inspector said an earlier call's gradient was still in .grad and the last
    call added to it (the two differed). It says .grad was emptied before the last call, and that clip_grad_norm_ on
    line 6 changed what backward put there."""
    page.goto("/")
    wait_drawn(page)
    run_code(page, CLIPPED)
    node(page, "forward", "w|").click()
    inspector = page.locator("#inspector")
    expect(inspector).to_contain_text(
        "w.grad changed after backward: backward put [10, 10] there, and clip_grad_norm_ on line 6 changed it to "
        "[0.70711, 0.70711]"
    )
    expect(inspector).to_contain_text(".grad held none of it when the last call came")
    expect(inspector).not_to_contain_text(".grad still held it")


# Where the first letter of the editor's line holding `needle` is drawn, and where its row starts: [its top, the row's].
FIRST_LETTER = """(needle) => {
  const pre = [...document.querySelectorAll('.CodeMirror-line')].find((p) => p.textContent.includes(needle));
  const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
  let node = walker.nextNode();
  while (node && node.textContent.search(/\\S/) < 0) node = walker.nextNode();
  const at = node.textContent.search(/\\S/);
  const range = document.createRange();
  range.setStart(node, at);
  range.setEnd(node, at + 1);
  return [Math.round(range.getBoundingClientRect().top), Math.round(pre.getBoundingClientRect().top)];
}"""


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1920, "height": 1080}, "locale": "ko-KR"}])
def test_an_indented_call_longer_than_the_editors_row_starts_on_its_own_line_number(page: Page):
    """`    torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=0.5)` in a training loop, at 1920x1080: the call
    was longer than what the row left after the indentation, so it moved whole to the next row, and line 10's own row
    stood empty beside its number. It starts on its own row, wrapping where the row ends."""
    page.goto("/")
    wait_drawn(page)
    run_code(page, CLIPPED.replace("[w], max_norm=1.0", "model_parameters_of_a_long_name_here, max_norm=1.0"))
    top, row = page.evaluate(FIRST_LETTER, "clip_grad_norm_")
    assert abs(top - row) < 8, (top, row)
