"""What a learner met on a 1366x768 laptop walking the 2D example and the snippets written after it: every step's words
whole in the step panel, a matrix's rows whole in a step's numbers, and step 0 of a `backward(inputs=[w])` call saying
that only the listed tensors get gradients."""

import pytest
from playwright.sync_api import Page, expect

from .helpers import SCROLLED, run_code, run_example, wait_drawn

LAPTOP = {"width": 1366, "height": 768}


@pytest.mark.parametrize("context_options", [{"viewport": LAPTOP, "locale": loc} for loc in ("en-US", "ko-KR")])
def test_on_a_laptop_each_step_of_the_2d_example_shows_its_words_whole(page: Page):
    """At 1366x768 four steps of the tutorial's 2D example scrolled inside the step panel, MmBackward0's (W's gradient,
    the example's point) by 61 px: its words, under the numbers, were cut off. The graphs keep most of their room."""
    page.goto("/")
    wait_drawn(page)
    run_example(page, "linear-2d")
    count = int(page.locator("#step-slider").get_attribute("max") or 0) - 1
    page.locator("#step-slider").fill("1")
    assert count == 8 and page.evaluate(SCROLLED, count) == []
    canvas = page.evaluate("() => document.querySelector('#forward-pane .canvas').clientHeight")
    assert canvas >= 270, canvas


@pytest.mark.parametrize("context_options", [{"viewport": LAPTOP, "locale": loc} for loc in ("en-US", "ko-KR")])
def test_on_a_laptop_a_leaf_multiplied_by_itself_shows_its_sum_whole(page: Page):
    """`y = x * x`: x's AccumulateGrad adds the two paths' 3 + 3, and at 1366x768 that sum, the step's last line,
    scrolled 26 px out of the panel. Its graphs are small: the panel takes what the walk needs."""
    page.goto("/")
    wait_drawn(page)
    run_code(page, "x = torch.tensor(3.0, requires_grad=True)\ny = x * x\ny.backward()\nprint(x.grad)\n")
    expect(page.locator("#stdout")).to_have_text("tensor(6.)")
    page.locator("#step-slider").fill("1")
    assert page.evaluate(SCROLLED, 2) == []
    expect(page.locator("#step-panel .accumulation")).to_contain_text("3 + 3 = 6")


# Each row of a matrix (innermost brackets) in the step panel's numbers that a line break cut: its text.
ROWS_CUT = """() => [...document.querySelectorAll('#step-panel .numbers code')].flatMap((code) => {
  const text = code.textContent;
  const texts = [];
  const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) texts.push(node);
  const at = (offset) => {  // the text node and offset of the code's `offset`th character
    for (const node of texts) { if (offset < node.length) return [node, offset]; offset -= node.length; }
    return null;
  };
  const cut = [];
  for (const row of text.matchAll(/\\[[^[\\]]*\\]/g)) {
    const tops = new Set();
    for (let i = row.index; i < row.index + row[0].length; i++) {
      const [node, offset] = at(i);
      const range = document.createRange();
      range.setStart(node, offset);
      range.setEnd(node, offset + 1);
      const box = range.getBoundingClientRect();
      if (box.width > 0) tops.add(Math.round(box.top));
    }
    if (tops.size > 1) cut.push(row[0]);
  }
  return cut;
})"""


@pytest.mark.parametrize("context_options", [{"viewport": LAPTOP, "locale": loc} for loc in ("en-US", "ko-KR")])
def test_a_matrixs_rows_stay_whole_in_a_steps_numbers(page: Page):
    """At 1366x768 the 2D example's step 6 wrote X's gradient as `[[-0.81, -1.62, -2.43], [-1.63, -3.26,` then
    `-4.89]]` on the next line: the last entry read as a row of its own. Lines break between rows."""
    page.goto("/")
    wait_drawn(page)
    run_example(page, "linear-2d")
    page.locator("#step-slider").fill("6")
    expect(page.locator("#step-panel h3")).to_contain_text("MmBackward0")
    numbers = page.locator("#step-panel .numbers code")
    expect(numbers).to_have_count(2)
    expect(numbers.first).to_have_text(
        "[[-8.1], [-16.3]] · [[0.1, 0.2, 0.3]] = [[-0.81, -1.62, -2.43], [-1.63, -3.26, -4.89]]"
    )
    lines = page.evaluate("() => document.querySelector('#step-panel .numbers code').getClientRects().length")
    assert lines > 1  # (the column is narrow: the numbers do wrap, between rows)
    assert page.evaluate(ROWS_CUT) == []


# Each check in the step panel as [its text, the lines it is set on].
CHECK_LINES = """() => [...document.querySelectorAll('#step-panel .check')].map((check) => {
  const range = document.createRange();
  range.selectNodeContents(check);
  return [check.textContent, new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size];
})"""

MATMUL = """A = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
B = torch.tensor([[0.5, -1.0], [2.0, 0.0]], requires_grad=True)
C = A @ B
s = C.sum()
s.backward()
print(A.grad)
"""


@pytest.mark.parametrize("context_options", [{"viewport": LAPTOP, "locale": "ko-KR"}])
def test_a_check_that_does_not_fit_beside_its_numbers_goes_whole_under_them(page: Page):
    """`C = A @ B` with 2x2 matrices: A's check began after its numbers, `✓ PyTorch 결과와 일치`, and
    `(오차 0)` sat alone on the next line, read as a note of its own."""
    page.goto("/")
    wait_drawn(page)
    run_code(page, MATMUL)
    expect(page.locator("#stdout")).to_contain_text("[[-0.5000,  2.0000],")  # (torch's A.grad: grad · Bᵀ)
    page.locator("#step-slider").fill("2")
    expect(page.locator("#step-panel h3")).to_contain_text("MmBackward0")
    checks = page.evaluate(CHECK_LINES)
    assert len(checks) == 2 and all(lines == 1 for _, lines in checks), checks


INPUTS_GIVEN = """w = torch.tensor(2.0, requires_grad=True)
b = torch.tensor(1.0, requires_grad=True)
loss = (w * 3 + b) ** 2
loss.backward(inputs=[w])
print(w.grad, b.grad)
"""


@pytest.mark.parametrize(
    ("context_options", "said"),
    [
        ({"viewport": LAPTOP, "locale": "en-US"}, "The backward() call was given inputs=: only the tensors listed"),
        ({"viewport": LAPTOP, "locale": "ko-KR"}, "backward()를 호출할 때 inputs= 인자를 주었으므로"),
    ],
)
def test_step_0_of_one_backward_call_given_inputs_says_only_those_get_gradients(page: Page, said: str):
    """`loss.backward(inputs=[w])` leaves b.grad None: a walk of several passes said why at each pass's step, but a
    single call has no such step, and step 0 said only where backward starts."""
    page.goto("/")
    wait_drawn(page)
    run_code(page, INPUTS_GIVEN)
    expect(page.locator("#stdout")).to_contain_text("tensor(42.) None")  # (as plain torch prints it)
    page.locator("#step-slider").fill("0")
    panel = page.locator("#step-panel")
    expect(panel.locator("h3")).to_contain_text("4")
    expect(panel).to_contain_text(said)
    page.locator("#step-slider").fill("1")
    expect(panel).not_to_contain_text(said)


# Each piece of code in the example's explanation that a line break cut: [its text, the lines it is set on].
ABOUT_CODE_CUT = """() => [...document.querySelectorAll('.about code')].map((code) => {
  const range = document.createRange();
  range.selectNodeContents(code);
  return [code.textContent, new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size];
}).filter(([, lines]) => lines > 1)"""


@pytest.mark.parametrize(
    "context_options",
    [
        {"viewport": size, "locale": loc}
        for size in (LAPTOP, {"width": 390, "height": 844})
        for loc in ("en-US", "ko-KR")
    ],
)
def test_the_examples_explanation_keeps_each_formula_whole(page: Page):
    """The 1D example's explanation wrote its loss as `(y_pred - y_true) ^` and `2` on the next line, at every width,
    in both languages."""
    page.goto("/")
    wait_drawn(page)
    for example in ("scalar", "vector", "no-grad", "detach", "linear-1d", "linear-2d"):
        page.locator("#example").select_option(example)
        expect(page.locator(".about code").first).to_be_visible()
        assert page.evaluate(ABOUT_CODE_CUT) == [], example


TWICE = """x = torch.tensor(2.0, requires_grad=True)
y = x ** 3
y.backward()
y.backward()
print(x.grad)
"""

# The lines the error's `(line N)` at its end is set on.
WHERE_LINES = """() => {
  const text = document.createTreeWalker(document.querySelector('#error'), NodeFilter.SHOW_TEXT).nextNode();
  const range = document.createRange();
  range.setStart(text, text.data.lastIndexOf('('));
  range.setEnd(text, text.data.length);
  return [range.toString(), new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size];
}"""


@pytest.mark.parametrize("context_options", [{"viewport": LAPTOP, "locale": "ko-KR"}])
def test_the_line_an_error_names_stays_whole_after_its_message(page: Page):
    """A second `y.backward()`: PyTorch's long message ended `... calling backward. (4번` and `줄)` began the next
    line, under it."""
    page.goto("/")
    wait_drawn(page)
    page.evaluate("code => document.querySelector('.CodeMirror').CodeMirror.setValue(code)", TWICE)
    page.locator("#run").click()
    expect(page.locator("#error")).to_contain_text("Trying to backward through the graph a second time")
    where, lines = page.evaluate(WHERE_LINES)
    assert " ".join(where.split()) == "(4번 줄)" and lines == 1, (where, lines)


@pytest.mark.parametrize("context_options", [{"viewport": LAPTOP, "locale": "ko-KR"}])
def test_a_long_pytorch_message_leaves_room_for_the_hint_on_a_laptop(page: Page):
    """A second `y.backward()` on a 1366x768 laptop: PyTorch's message took eight lines of the error box, in English,
    and the hint in Korean after it, the part that says what to do, ended below the screen. The message shows its
    first sentence with "모두 보기", which shows it whole; the hint is in sight."""
    page.goto("/")
    wait_drawn(page)
    page.evaluate("code => document.querySelector('.CodeMirror').CodeMirror.setValue(code)", TWICE)
    page.locator("#run").click()
    message = page.locator("#error .message")
    expect(message).to_contain_text("Trying to backward through the graph a second time")
    expect(message).not_to_contain_text("Specify retain_graph=True")
    hint = page.locator("#error .hint")
    expect(hint).to_contain_text("retain_graph=True를 넘기세요")
    assert hint.evaluate("e => e.getBoundingClientRect().bottom") <= LAPTOP["height"]
    message.get_by_role("button", name="모두 보기").click()
    expect(message).to_contain_text("Specify retain_graph=True if you need to backward through the graph a second time")
