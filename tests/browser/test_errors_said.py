"""What the page says around an error, in the learner's words: a snippet that stopped before its backward() ran is
not told it never called backward()."""

import pytest
from playwright.sync_api import Page, expect

from .helpers import node, run_code, wait_drawn

STOPPED_BEFORE_BACKWARD = """import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * 2
z = y @ torch.ones(2)
z.backward()
"""


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1366, "height": 768}, "locale": "en-US"}])
def test_a_snippet_stopped_by_an_error_before_backward_is_not_told_backward_was_not_called(page: Page):
    """Line 5 raises, line 6 calls backward(): the banner, the step panel and the inspector said "backward() was not
    called", and a learner looked for the backward() their code has. They now say where the code stopped."""
    page.goto("/")
    wait_drawn(page)
    run_code(page, STOPPED_BEFORE_BACKWARD)
    expect(page.locator("#error")).to_contain_text("line 5")
    banner = page.locator("#backward-banner")
    expect(banner).to_have_text(
        "The code stopped on line 5, so backward() never ran: this is the graph PyTorch recorded up to there."
    )
    panel = page.locator("#step-panel")
    expect(panel).to_contain_text("The code stopped on line 5 before backward() ran: there are no steps to show.")
    node(page, "backward", "MulBackward0").click()
    notes = page.locator("#inspector .note")
    expect(notes).to_contain_text(["The code stopped on line 5 before backward() ran, so this node never ran."])
    node(page, "forward", "x|").click()
    expect(notes).to_contain_text(["The code stopped on line 5 before backward() ran, so no gradient exists yet."])
    for text in (banner, panel, page.locator("#inspector")):
        expect(text).not_to_contain_text("not called")
        expect(text).not_to_contain_text("never called")
    page.locator("#lang").click()
    expect(banner).to_have_text(
        "코드가 5번 줄에서 멈춰서 backward()가 실행되지 않았습니다. 아래는 그때까지 PyTorch가 기록해 둔 그래프입니다."
    )
    expect(panel).to_contain_text("코드가 5번 줄에서 멈춰 backward()가 실행되지 않았기 때문에 보여 줄 단계가 없습니다.")
    no_gradient = "코드가 5번 줄에서 멈춰 backward()가 실행되지 않았기 때문에 그래디언트가 아직 없습니다."
    expect(notes).to_contain_text([no_gradient])
    # a snippet with no backward() at all, and no error, is still told so (and the toggle says it again)
    run_code(page, "x = torch.tensor(2.0, requires_grad=True)\ny = x * x\n")
    expect(banner).to_have_text(
        "backward()를 호출하지 않았습니다. 아래는 PyTorch가 기록해 둔 그래프로, "
        "호출하면 바로 실행될 준비가 되어 있습니다."
    )
    page.locator("#lang").click()
    expect(banner).to_have_text("backward() was not called: this is the graph PyTorch recorded, ready to run.")


RAISED_IN_BACKWARD = """import torch

a = torch.tensor([1.0, 2.0], requires_grad=True)
b = a.sigmoid()
b.mul_(2)
loss = b.sum()
loss.backward()
print(a.grad)
"""


def test_a_leaf_whose_backward_raised_before_it_is_told_where_backward_stopped(page: Page):
    """backward() raised in SigmoidBackward0 (b.mul_(2) changed the output sigmoid saved): a.grad is None because
    the pass stopped there. The note said only "backward from loss did not reach a", the inspector that a "was not
    used to compute what backward() was called on" (it was) and that SigmoidBackward0 "never ran" over "backward
    pass 1 stopped in this node"."""
    page.goto("/")
    wait_drawn(page)
    run_code(page, RAISED_IN_BACKWARD)
    note = page.locator("#warnings .grad-none")
    expect(note).to_have_text(
        "a.grad is None: backward from loss stopped with an error in SigmoidBackward0 (b) before it reached a."
    )
    note.get_by_role("button", name="SigmoidBackward0 (b)").click()
    inspector = page.locator("#inspector")
    expect(inspector.locator("h2")).to_have_text("SigmoidBackward0")
    expect(inspector).to_contain_text("Backward pass 1 stopped in this node with an exception.")
    expect(inspector).not_to_contain_text("Never ran")
    node(page, "forward", "a|").click()
    expect(inspector.locator(".note")).to_contain_text(
        ["No gradient reached it: backward pass 1 stopped with an error in SigmoidBackward0 (b) before it got here."]
    )
    expect(inspector).not_to_contain_text("not used to compute")
    page.locator("#lang").click()
    expect(note).to_have_text(
        "a.grad 값이 None입니다. loss 텐서에서 시작한 역전파가 SigmoidBackward0 (b)에서 오류로 멈춰서 "
        "a 텐서까지 오지 못했습니다."
    )


def test_code_in_an_errors_hint_shows_as_code_not_backquotes(page: Page):
    """The server's hints write code in backquotes ("Line 5 (`b.mul_(2)`) changed `b` in place"): the error box and
    the step where backward raised showed the backquotes as they are."""
    page.goto("/")
    wait_drawn(page)
    run_code(page, RAISED_IN_BACKWARD)
    hint = page.locator("#error .hint")
    expect(hint).to_contain_text("Line 5 (b.mul_(2)) changed b in place")
    expect(hint.locator("code")).to_have_text(["b.mul_(2)", "b"])
    assert "`" not in hint.inner_text()
    page.locator("#step-last").click()  # the step backward raised in
    said = page.locator("#step-panel .hint")
    expect(said.locator("code")).to_have_text(["b.mul_(2)", "b"])
    assert "`" not in said.inner_text()


def test_a_line_an_errors_hint_names_is_shown_in_the_code_at_a_click(page: Page):
    """The hint names the line that changed the saved tensor ("Line 5 (`b.mul_(2)`)"), which a long error message
    pushed out of the code's view at 1366x768: the words are a button that marks that line in the code."""
    page.goto("/")
    wait_drawn(page)
    run_code(page, RAISED_IN_BACKWARD)
    marked = page.locator(".CodeMirror .source-line")
    expect(marked).to_have_count(0)
    page.locator("#error .hint").get_by_role("button", name="Line 5").click()
    expect(marked).to_contain_text("b.mul_(2)")
    page.locator("#lang").click()
    page.locator("#error .hint").get_by_role("button", name="5번 줄").click()
    expect(marked).to_contain_text("b.mul_(2)")
    page.locator("#step-last").click()  # the step backward raised in says it too
    node(page, "forward", "a|").click()  # (another line marked meanwhile)
    expect(marked).to_contain_text("a = torch.tensor")
    page.locator("#step-panel .hint").get_by_role("button", name="5번 줄").click()
    expect(marked).to_contain_text("b.mul_(2)")


@pytest.mark.parametrize("formulas", [True, False])
def test_an_empty_snippet_is_told_it_is_empty(page: Page, formulas: bool):
    """Run with nothing in the editor: the panes said "No tensor operations were recorded" and "there is no tensor
    with requires_grad=True", as if code had run."""
    page.goto("/")
    wait_drawn(page)
    page.locator("#formulas").set_checked(formulas)
    page.evaluate("() => document.querySelector('.CodeMirror').CodeMirror.setValue('\\n  \\n')")
    page.evaluate("() => delete document.body.dataset.drawMs")
    page.locator("#run").click()
    page.wait_for_function("() => document.body.dataset.drawMs !== undefined", timeout=30_000)
    messages = page.locator(".pane-message")
    said = "The code is empty: paste a PyTorch snippet or choose an example, then press Run."
    expect(messages).to_have_text([said, said])
    page.locator("#lang").click()
    said = "코드가 비어 있습니다. PyTorch 코드를 붙여 넣거나 예제를 고른 뒤 실행을 누르세요."
    expect(messages).to_have_text([said, said])


def test_a_panes_message_is_said_again_in_the_language_switched_to(page: Page):
    """The tutorial's no_grad example has no backward graph, and its pane says why; with the formulas off, nothing
    drew the panes again on a switch of language, and the message stayed in the language it was first said in."""
    page.goto("/")
    wait_drawn(page)
    page.locator("#formulas").uncheck()
    page.evaluate("() => delete document.body.dataset.drawMs")
    page.locator("#example").select_option("no-grad")
    page.locator("#run").click()
    page.wait_for_function("() => document.body.dataset.drawMs !== undefined", timeout=30_000)
    message = page.locator("#backward-pane .pane-message")
    expect(message).to_contain_text("no_grad")
    expect(message).not_to_contain_text("역전파")
    page.locator("#lang").click()
    expect(message).to_contain_text("역전파 그래프가 없습니다")


def run_shown(page: Page, code: str) -> None:
    """Runs `code` and waits until the page has shown its answer (graphs, or messages in their place)."""
    page.evaluate("code => document.querySelector('.CodeMirror').CodeMirror.setValue(code)", code)
    page.evaluate("() => delete document.body.dataset.drawMs")
    page.locator("#run").click()
    page.wait_for_function("() => document.body.dataset.drawMs !== undefined", timeout=30_000)


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1366, "height": 768}, "locale": "ko-KR"}])
def test_code_python_could_not_read_shows_no_printed_output_box(page: Page):
    """A SyntaxError (or an IndentationError) means not one line ran: the page still showed "Printed output: nothing
    printed", an empty box beside the error that says the code never ran. The box is gone; code that ran and then
    raised a SyntaxError of its own (eval) shows what it printed."""
    page.goto("/")
    wait_drawn(page)
    output = page.locator("#output")
    expect(output).to_be_visible()
    for code in ("import torch\nx = torch.tensor(2.0, requires_grad=True\ny = x * 2\n", "if True:\nx = 1\n"):
        run_shown(page, code)
        expect(page.locator("#error")).to_contain_text("코드가 실행되지 않았습니다")
        expect(output).to_be_hidden()
        expect(page.locator("#forward-pane .pane-message")).to_contain_text("코드가 실행되지 않았습니다")
    run_shown(page, 'print("before")\neval("(")\n')
    expect(output).to_be_visible()
    expect(page.locator("#stdout")).to_have_text("before\n")
    expect(page.locator("#forward-pane .pane-message")).not_to_contain_text("코드가 실행되지 않았습니다")
    run_shown(page, "x = 1\n")  # (ran, printed nothing: the box says so)
    expect(output).to_be_visible()
    expect(page.locator("#stdout")).to_have_text("(print로 출력한 내용이 없습니다)")


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1366, "height": 768}, "locale": "en-US"}])
def test_a_backward_graph_left_empty_by_a_cut_says_so_not_that_nothing_was_recorded(page: Page):
    """`(x.detach() * 2).sum().backward()` raises, and its backward pane said the snippet stopped "before an operation
    was recorded": the forward graph beside it showed the ops, cut off from x. It says the ops used tensors cut off
    from the graph; ops without a derivative (a comparison) are said to be so, not "no tensor has requires_grad"."""
    page.goto("/")
    wait_drawn(page)
    message = page.locator("#backward-pane .pane-message")
    run_shown(
        page, "import torch\nx = torch.tensor([1.0, 2.0], requires_grad=True)\n(x.detach() * 2).sum().backward()\n"
    )
    expect(message).to_contain_text("used only tensors cut off from the graph")
    run_shown(page, "import torch\nx = torch.tensor([1.0, -2.0], requires_grad=True)\ny = (x > 0).sum()\n")
    expect(message).to_contain_text("have no derivative")
    page.locator("#lang").click()
    expect(message).to_contain_text("미분할 수 없는 연산")


def test_a_graph_that_is_empty_offers_no_picture_to_download(page: Page):
    """A snippet that needs no gradient (all of it under no_grad) has no backward graph: its SVG, PNG and DOT links
    were offered all the same (an empty picture). They are hidden; the forward graph's stay, and they come back with
    a backward graph."""
    page.goto("/")
    wait_drawn(page)
    run_code(page, "x = torch.tensor(2.0, requires_grad=True)\nwith torch.no_grad():\n    y = x * x\n")
    backward = page.locator("#run-links [data-graph='backward']")
    expect(backward).to_be_hidden()
    expect(page.locator("#run-links a[data-kind='forward.svg']")).to_be_visible()
    run_code(page, "x = torch.tensor(2.0, requires_grad=True)\ny = x * x\ny.backward()\n")
    expect(backward).to_be_visible()
    expect(page.locator("#run-links a[data-kind='backward.svg']")).to_be_visible()
