"""What a learner meets on their own walk after the tutorial: the warning PyTorch prints when they read the .grad of
a non-leaf tensor (explained, in their language), a leaf's grad_fn as PyTorch has it (None), and explanations that
never call "unchecked" what there was nothing to check (an input that needs no gradient, a node that never ran)."""

import pytest
from playwright.sync_api import Page, expect

from .helpers import node, records, run_code, run_example, wait_drawn

NON_LEAF_GRAD = """import torch

x = torch.tensor(2.0, requires_grad=True)
y = x * 3
z = y ** 2
z.backward()
print(x.grad)
print(y.grad)
"""
KOREAN = "() => /[\\uac00-\\ud7a3]/.test(document.querySelector('#output').innerText)"


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1280, "height": 800}, "locale": "ko-KR"}])
def test_reading_the_grad_of_a_non_leaf_shows_pythons_warning_explained_in_either_language(page: Page):
    page.goto("/")
    wait_drawn(page)
    run_code(page, NON_LEAF_GRAD)
    output = page.locator("#output")
    expect(output.locator("#stdout")).to_have_text("tensor(36.)\nNone\n")
    warnings = output.locator("#warnings")
    expect(warnings).to_be_visible()
    expect(warnings).to_contain_text("경고")
    expect(warnings.locator("pre")).to_contain_text("UserWarning: The .grad attribute of a Tensor that is not a leaf")
    hint = warnings.locator(".hint")
    expect(hint).to_contain_text("y 텐서는 연산으로 만들어진 텐서(리프 텐서가 아님)")
    expect(hint).to_contain_text("y.retain_grad()")
    page.locator("#lang").click()
    expect(warnings).to_contain_text("Warnings")
    expect(hint).to_contain_text("y was made by an operation, so it is not a leaf tensor")
    assert not page.evaluate(KOREAN)
    hint.get_by_role("button", name="Show y in the graph").click()  # (where the gradient that reached it is shown)
    expect(page.locator("#inspector h2")).to_have_text("y")
    run_code(page, "x = torch.ones(2, requires_grad=True)\n(x * 2).sum().backward()\n")
    expect(warnings).to_be_hidden()


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1280, "height": 800}, "locale": "ko-KR"}])
def test_nothing_printed_is_said_again_in_the_language_switched_to(page: Page):
    """Also with the formulas off (with them on, a switch redraws the whole run)."""
    page.goto("/")
    wait_drawn(page)
    page.locator("#formulas").uncheck()
    run_code(page, "x = torch.ones(2, requires_grad=True)\n(x * 2).sum().backward()\n")
    expect(page.locator("#stdout")).to_have_text("(print로 출력한 내용이 없습니다)")
    page.locator("#lang").click()
    expect(page.locator("#stdout")).to_have_text("(nothing printed)")


def test_a_leafs_grad_fn_is_none_and_its_accumulate_grad_is_its_backward_node(page: Page):
    """x = torch.tensor(2.0, requires_grad=True): x.grad_fn is None in PyTorch, and the inspector says so."""
    page.goto("/")
    run_example(page, "scalar")
    node(page, "forward", "x|").click()
    facts = page.locator("#inspector .facts")
    expect(facts.locator("dt")).to_contain_text(["grad_fn", "backward node"])
    grad_fn = facts.locator("dt", has_text="grad_fn").locator("xpath=following-sibling::dd[1]")
    expect(grad_fn).to_have_text("None")
    facts.get_by_role("button", name="AccumulateGrad").click()
    expect(page.locator("#inspector h2")).to_have_text("AccumulateGrad")
    node(page, "forward", "y|").click()  # a non-leaf's grad_fn is its backward node, as before
    expect(facts.locator("dt", has_text="grad_fn").locator("xpath=following-sibling::dd[1]")).to_have_text(
        "PowBackward0"
    )


def test_what_was_not_sent_or_never_ran_is_not_called_unchecked(page: Page):
    page.goto("/")
    run_example(page, "linear-2d")
    node(page, "backward", "SubBackward0").click()
    chain = page.locator("#inspector .chain li")
    expect(chain).to_have_count(2)
    expect(chain.nth(0).locator(".check.ok")).to_have_count(1)
    expect(chain.nth(1)).to_contain_text("grad_y_true = -grad (not sent: this input needs no gradient)")
    expect(chain.nth(1).locator(".check")).to_have_count(0)
    run_example(page, "detach")  # backward() is never called: nothing ran, nothing arrived
    for name in ("PowBackward0", "AccumulateGrad"):
        node(page, "backward", name).click()
        inspector = page.locator("#inspector")
        expect(inspector.locator(".note")).to_contain_text(
            ["backward() was never called, so this node has not run yet."]
        )
        expect(inspector.locator(".check")).to_have_count(0)
    words = inspector.locator(".explanation .words")
    expect(words).to_contain_text("In this run no gradient reached it, so nothing was added.")
    expect(words).not_to_contain_text("0 paths")


CUSTOM_RELU = """class MyReLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx, inp):
        ctx.save_for_backward(inp)
        return inp.clamp(min=0)

    @staticmethod
    def backward(ctx, grad_output):
        inp, = ctx.saved_tensors
        return grad_output * (inp > 0).float()


x = torch.tensor([-1.0, 2.0], requires_grad=True)
MyReLU.apply(x).sum().backward()
"""


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1366, "height": 768}, "locale": "ko-KR"}])
def test_a_custom_functions_backward_is_said_to_be_unchecked_because_it_is_the_snippets_own_code(page: Page):
    """Not because "a value it needs was not recorded": every value was; there is no formula to check it against."""
    page.goto("/")
    wait_drawn(page)
    run_code(page, CUSTOM_RELU)
    node(page, "backward", "MyReLUBackward").click()
    check = page.locator("#inspector .chain .check")
    expect(check).to_have_text("직접 작성한 역전파라서 비교할 PyTorch 공식이 없어 검사하지 않았습니다")
    page.locator("#lang").click()
    expect(check).to_have_text("not checked: your own backward, with no PyTorch formula to check it against")


CHECKPOINTED = """from torch.utils.checkpoint import checkpoint
x = torch.tensor([0.5, 2.0], requires_grad=True)
h = checkpoint(lambda t: t.sin() * 2, x, use_reentrant=True)
h.sum().backward()
"""


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1366, "height": 768}, "locale": "ko-KR"}])
def test_pytorchs_own_functions_backward_is_not_called_the_snippets(page: Page):
    """torch.utils.checkpoint's CheckpointFunction is PyTorch's code, not the snippet's: its check says so."""
    page.goto("/")
    wait_drawn(page)
    run_code(page, CHECKPOINTED)
    node(page, "backward", "CheckpointFunctionBackward").click()
    check = page.locator("#inspector .chain .check").first
    expect(check).to_have_text("PyTorch 안의 파이썬 코드로 된 역전파라서 비교할 공식이 없어 검사하지 않았습니다")
    page.locator("#lang").click()
    expect(check).to_have_text("not checked: PyTorch's own Python backward, not one formula to check it against")


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1366, "height": 768}, "locale": "en-US"}])
def test_a_custom_functions_backward_node_points_at_its_apply_line_and_names_its_forward_line(page: Page):
    """Its "in the code" is the snippet's `MyReLU.apply(x)` line (14), which made the node; the line of forward()
    that computed the value (5) is named beside it, and each marks its line in the editor."""
    page.goto("/")
    wait_drawn(page)
    run_code(page, CUSTOM_RELU)
    node(page, "backward", "MyReLUBackward").click()
    facts = page.locator("#inspector .facts")
    in_code = facts.locator("dt", has_text="in the code").locator("xpath=following-sibling::dd[1]")
    expect(in_code).to_have_text("line 14")
    in_forward = facts.locator("dt", has_text="computed in forward()").locator("xpath=following-sibling::dd[1]")
    expect(in_forward).to_have_text("line 5")
    in_code.locator("button").click()
    expect(page.locator(".CodeMirror .source-line")).to_contain_text("MyReLU.apply(x)")
    in_forward.locator("button").click()
    expect(page.locator(".CodeMirror .source-line")).to_contain_text("inp.clamp(min=0)")
    expect(node(page, "forward", "MyReLU.apply(x)")).to_be_visible()  # (its tensor is called by that call too)


PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "ko-KR", "has_touch": True, "is_mobile": True}
NON_SCALAR = """import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * 2
y.backward()
print(x.grad)
"""


@pytest.mark.parametrize("context_options", [PHONE])
def test_on_a_phone_a_failed_backward_keeps_its_error_and_hint_in_view_and_no_step_says_not_called(page: Page):
    """backward() on a vector raises: after Run the phone shows the error with its hint (not the graphs below it),
    and the step panel does not claim backward() was never called."""
    page.goto("/")
    wait_drawn(page)
    page.evaluate("code => document.querySelector('.CodeMirror').CodeMirror.setValue(code)", NON_SCALAR)
    page.evaluate("() => delete document.body.dataset.drawMs")
    page.get_by_role("button", name="실행", exact=True).tap()
    wait_drawn(page)
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("y.backward(torch.ones_like(y))")
    expect(alert).to_be_in_viewport(ratio=1)
    panel = page.locator("#step-panel")
    expect(panel).to_contain_text("backward()를 호출했지만 노드가 하나도 실행되기 전에 오류로 멈춰서")
    expect(panel).not_to_contain_text("backward()를 호출하지 않아서")
    page.locator("#lang").tap()
    expect(panel).to_contain_text("backward() was called but stopped with an error before any node ran")


ZEROED = """x = torch.tensor(3.0, requires_grad=True)
y = x ** 2
y.backward()
x.grad.zero_()
z = x * 5
z.backward()
"""


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1366, "height": 768}, "locale": "en-US"}])
def test_a_second_backward_call_says_what_the_leafs_grad_held_before_so_its_value_adds_up(page: Page):
    """Two arrows (6 and 5) reach x's AccumulateGrad and x shows 5 after zero_(), or 11 without it: the explanation
    says which, with the sum, in either language."""
    page.goto("/")
    wait_drawn(page)
    run_code(page, ZEROED)
    node(page, "backward", "AccumulateGrad (x)|").click()
    words = page.locator("#inspector .explanation .words")
    expect(words).to_contain_text(
        "x.grad had been zeroed before this backward call (the 2nd), by x.grad.zero_() or optimizer.zero_grad(), "
        "so it now holds 0 + 5 = 5."
    )
    run_code(page, ZEROED.replace("x.grad.zero_()\n", ""))
    assert node(page, "forward", "x|").locator("text").last.text_content() == "grad 11"
    node(page, "backward", "AccumulateGrad (x)|").click()
    expect(words).to_contain_text(
        "x.grad already held 6 when this backward call (the 2nd) reached it: it was not emptied, so it now holds "
        "6 + 5 = 11."
    )
    page.locator("#lang").click()
    node(page, "backward", "AccumulateGrad (x)|").click()
    expect(words).to_contain_text("그 사이 비우지 않았으므로, 이제 6 + 5 = 11입니다.")


ADDED_UP = """import torch
x = torch.tensor([1., 2.], requires_grad=True)
(x * 2).sum().backward()
for i in range(2):
    loss = (x ** 2).sum()
    loss.backward()
print(x.grad)
"""


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1366, "height": 768}, "locale": "en-US"}])
def test_a_leafs_gradient_from_several_backward_calls_adds_up_in_its_own_inspector(page: Page):
    """x.grad is [6, 10] after three backward() calls, but "Why this gradient" showed only the last call's [2, 4] and
    sent the learner to another node for the rest. It shows the sum that made [6, 10]; after zero_grad() it says .grad
    held nothing of the earlier calls, so the last call's gradient is the whole of it."""
    page.goto("/")
    wait_drawn(page)
    run_code(page, ADDED_UP)
    node(page, "forward", "x|").click()
    inspector = page.locator("#inspector")
    expect(inspector).to_contain_text("grad_x = grad · 2 ⊙ x")
    expect(inspector).to_contain_text(".grad still held it")
    expect(inspector.locator(".sources .numbers").last).to_contain_text("[4, 6] + [2, 4] = [6, 10]")
    # (each loop pass made a PowBackward0 that saved x: "PowBackward0 · self" twice, told apart by their pass)
    expect(inspector).to_contain_text("PowBackward0 · self, #2 (pass 2)")
    expect(inspector).to_contain_text("PowBackward0 · self, #2 (pass 3)")
    emptied = ADDED_UP.replace("    loss = (x", "    x.grad = None\n    loss = (x")
    run_code(page, emptied)
    node(page, "forward", "x|").click()
    expect(inspector).to_contain_text(".grad held none of it when the last call came")
    expect(inspector.locator(".sources .numbers")).to_have_count(1)  # (the last call's sender alone)
    page.locator("#lang").click()
    node(page, "forward", "x|").click()
    expect(inspector).to_contain_text("남은 값이 없었습니다")


SGD_STEP = """w = torch.tensor([1.0, 2.0], requires_grad=True)
opt = torch.optim.SGD([w], lr=0.1)
loss = (w * w).sum()
loss.backward()
opt.step()
"""


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1366, "height": 768}, "locale": "ko-KR"}])
def test_a_weight_before_optimizer_step_is_not_said_to_have_received_no_gradient(page: Page):
    """opt.step() changes w in place after backward: the node of w that the forward used shows the .grad the step
    read (PyTorch keeps one per tensor: its final value is on w's newest node), and the inspector says so instead of
    "no gradient reached it"."""
    page.goto("/")
    wait_drawn(page)
    run_code(page, SGD_STEP)
    nodes = [r for r in records(page, "forward") if r.startswith("w|")]
    assert nodes == ["w|(2) float32|data [1, 2]|grad [2, 4]", "w|(2) float32|data [0.8, 1.6]|grad [2, 4]"]
    node(page, "forward", "w|").click()
    inspector_notes = page.locator("#inspector .note")
    expect(inspector_notes).to_contain_text(["이 리프 텐서의 이전 버전입니다. 이후 코드가"])
    expect(page.locator("#inspector")).to_contain_text("이 버전을 쓴 역전파 직후")
    expect(page.locator("#inspector")).not_to_contain_text("그래디언트가 도착하지 않았습니다")
    page.locator("#lang").click()
    expect(inspector_notes).to_contain_text(["An earlier version of this leaf"])


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1366, "height": 768}, "locale": "en-US"}])
def test_a_layers_weight_is_not_said_to_be_changed_in_place_until_the_code_changes_it(page: Page):
    """nn.Linear initialises its weight in place (version 1) before the code sees it: that first node says nothing
    of it; the node after opt.step() is the one said to be changed in place."""
    page.goto("/")
    wait_drawn(page)
    run_code(
        page,
        "model = nn.Linear(2, 1)\nopt = torch.optim.SGD(model.parameters(), lr=0.1)\n"
        "model(torch.ones(1, 2)).sum().backward()\nopt.step()\n",
    )
    weights = [i for i, record in enumerate(records(page, "forward")) if record.startswith("model.weight|")]
    assert len(weights) == 2, records(page, "forward")
    inspector = page.locator("#inspector")
    page.locator("#forward-pane g.node").nth(weights[0]).click()
    expect(inspector.locator(".note").first).to_be_visible()
    expect(inspector).not_to_contain_text("Changed in place")
    page.locator("#forward-pane g.node").nth(weights[1]).click()
    expect(inspector.locator(".note")).to_contain_text(["Changed in place: this is version 2 of the tensor."])


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1366, "height": 768}, "locale": "en-US"}])
def test_stepping_through_two_backward_calls_adds_up_only_what_one_call_brought(page: Page):
    """With x.grad.zero_() between the calls, x ends with 5: no step adds the first call's 6 to it, and the first
    call is not said to run "again"."""
    page.goto("/")
    wait_drawn(page)
    run_code(page, ZEROED)
    panel = page.locator("#step-panel")
    page.locator("#step-first").click()
    page.locator("#step-next").click()
    expect(panel).to_contain_text("The first backward() call (pass 1)")
    expect(panel).not_to_contain_text("runs again")
    page.locator("#step-last").click()
    expect(panel).to_contain_text("AccumulateGrad (x)")
    expect(panel).to_contain_text("so it now holds 0 + 5 = 5.")
    expect(panel).not_to_contain_text("6 + 5")
    page.locator("#step-first").click()
    for _ in range(2):
        page.locator("#step-next").click()
    expect(panel).to_contain_text("PowBackward0 (y)")
    expect(panel).not_to_contain_text("of 2 paths")
    page.locator("#lang").click()
    expect(panel).to_contain_text("2/6단계")  # (the page in Korean, at the step it was at, before the next clicks)
    page.locator("#step-first").click()
    page.locator("#step-next").click()
    expect(panel).to_contain_text("처음으로 backward()를 호출했습니다(1회차 역전파).")


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1366, "height": 768}, "locale": "ko-KR"}])
def test_using_the_none_grad_of_a_non_leaf_says_in_the_error_why_it_is_none(page: Page):
    """`print(h.grad * 2)` raises TypeError 'NoneType' and 'int': the error itself (not only the warning below it)
    says why h.grad is None and what to do, in either language."""
    page.goto("/")
    wait_drawn(page)
    run_code(
        page, "x = torch.tensor([1.0, 2.0], requires_grad=True)\nh = x * 2\nh.sum().backward()\nprint(h.grad * 2)\n"
    )
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("TypeError")
    expect(alert).to_contain_text("h.grad가 None이라서 텐서처럼 쓸 수 없습니다.")
    expect(alert).to_contain_text("h.retain_grad()")
    expect(alert).to_be_in_viewport(ratio=1)
    page.locator("#lang").click()
    expect(alert).to_contain_text("h.grad is None here, and None cannot be used like a tensor.")


# Text of the inspector that runs past its right edge (cut off, or only seen by scrolling sideways).
PAST_THE_INSPECTOR = """() => {
    const box = document.querySelector('#inspector').getBoundingClientRect();
    return [...document.querySelectorAll('#inspector p, #inspector li, #inspector h2, #inspector h3, #inspector dd')]
        .filter(e => e.getBoundingClientRect().right > box.right - 1 || e.scrollWidth > e.clientWidth + 1)
        .map(e => e.textContent.slice(0, 60));
}"""


@pytest.mark.parametrize("locale", ["en-US", "ko-KR"])
def test_the_inspector_of_a_matrix_product_at_1366_cuts_no_line_off(browser, base_url: str, locale: str):
    """ "✓ matches what PyTorch computed (error 9.8944e-08)" ran past the inspector's edge on a 1366 px laptop (it
    never wrapped): every line of the inspector now fits its width."""
    context = browser.new_context(base_url=base_url, viewport={"width": 1366, "height": 768}, locale=locale)
    try:
        page = context.new_page()
        page.goto("/")
        run_example(page, "linear-2d")
        node(page, "backward", "MmBackward0").click()
        expect(page.locator("#inspector .check").first).to_be_visible()
        assert page.evaluate(PAST_THE_INSPECTOR) == []
    finally:
        context.close()


# For each line of the editor that wraps: [line, left of its first character after the indentation, left of the
# start of each of its later rows] (px; what CodeMirror lays out).
WRAPPED_ROWS = """() => {
    const cm = document.querySelector('.CodeMirror').CodeMirror;
    const found = [];
    for (let n = 0; n < cm.lineCount(); n++) {
        const text = cm.getLine(n);
        const first = text.search(/\\S/);
        if (first < 0) continue;
        const start = cm.charCoords({line: n, ch: first}, 'window');
        const rows = [];
        let top = start.top;
        for (let ch = first + 1; ch < text.length; ch++) {
            const at = cm.charCoords({line: n, ch}, 'window');
            if (at.top > top + 2) { rows.push(at.left); top = at.top; }
        }
        if (rows.length) found.push([n + 1, start.left, rows]);
    }
    return [cm.defaultCharWidth(), found];
}"""


def test_a_wrapped_line_of_code_keeps_its_indentation_in_a_narrow_editor(page: Page):
    """With the inspector open on a 1366 px laptop the code column is narrow and long lines wrap: the rest of a
    method body's line continues under its own text (a hanging indent), not at the left edge, where it read as
    code outside the block."""
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto("/")
    wait_drawn(page)
    run_code(page, CUSTOM_RELU)
    node(page, "backward", "MyReLUBackward").click()
    expect(page.locator("#inspector")).to_be_visible()
    char, wrapped = page.evaluate(WRAPPED_ROWS)
    margin = min(left for _, left, _ in wrapped)  # (where a line of the top level starts)
    indented = [(line, left, rows) for line, left, rows in wrapped if left > margin + 2 * char]  # (in a block)
    assert indented, wrapped
    for line, left, rows in indented:  # (a row may start a space before the text: the wrap of its indentation)
        assert all(row >= left - char - 1 for row in rows), (line, left, rows)


def test_the_tutorials_tab_indented_example_is_drawn_indented_in_the_editor(page: Page):
    """The seed's examples are indented with tabs: each tab was an inline block that took the hanging indent's
    negative text-indent and shrank to nothing, so `y = x ** 2` under `with torch.no_grad():` sat at the left edge."""
    page.goto("/")
    wait_drawn(page)
    page.locator("#example").select_option("no-grad")
    widths = page.evaluate("() => [...document.querySelectorAll('.CodeMirror .cm-tab')].map(e => e.offsetWidth)")
    char = page.evaluate("() => document.querySelector('.CodeMirror').CodeMirror.defaultCharWidth()")
    assert widths and all(width >= 3 * char for width in widths), (widths, char)


def test_a_root_that_other_roots_also_feed_says_what_the_call_gave_it_itself(page: Page):
    """backward([y, y * 2]) starts at y and at y * 2, which sends y 2 more: y's node received 3, and the step says 1
    of it came from the call itself, so the sum on the page adds up."""
    page.goto("/")
    wait_drawn(page)
    run_code(page, "x = torch.tensor(2.0, requires_grad=True)\ny = x * 3\ntorch.autograd.backward([y, y * 2])\n")
    panel = page.locator("#step-panel")
    page.locator("#step-first").click()
    for _ in range(2):
        page.locator("#step-next").click()
    expect(panel).to_contain_text("MulBackward0 (y)")
    expect(panel).to_contain_text("grad = 3")
    expect(panel).to_contain_text("the call itself gave it grad = 1. What it received is this plus")
    page.locator("#lang").click()
    expect(panel).to_contain_text("호출하면서 직접 넘겨준 그래디언트는 grad = 1입니다. 받은 그래디언트는")


def test_a_long_loop_says_which_of_its_passes_the_graphs_show(page: Page):
    """150 steps of gradient descent: the status says the graphs hold the loop's first 100 passes, its last, and the
    code after it, and the run is no limit (all of it ran, all it printed is there)."""
    page.goto("/")
    wait_drawn(page)
    code = (
        "w = torch.tensor(1.0, requires_grad=True)\nfor step in range(150):\n    loss = (w * 2 - 1) ** 2\n"
        "    loss.backward()\n    with torch.no_grad():\n        w -= 0.01 * w.grad\n        w.grad.zero_()\n"
        "final = w * 1\nprint(round(final.item(), 4))\n"
    )
    run_code(page, code)
    status = page.locator("#status")
    expect(status).to_contain_text("the graphs show 101 of the 150 backward passes")
    expect(page.locator("#stdout")).to_contain_text("0.5")
    page.locator("#lang").click()
    expect(status).to_contain_text("역전파 150번 중 101번")


DETACH_NONE = """torch.manual_seed(0)
w = torch.tensor([0.5, -1.0], requires_grad=True)
x = torch.tensor([1.0, 2.0])
h = (w * x).detach()          # oops: cuts w out of the graph
b = torch.tensor(0.1, requires_grad=True)
with torch.no_grad():
    scale = b * 2             # oops: computed without grad
y = (h.sum() + scale) ** 2
z = y + b
z.backward()
print("w.grad", w.grad)
print("b.grad", b.grad)
"""


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1280, "height": 800}, "locale": "en-US"}])
def test_a_leaf_left_without_grad_is_told_where_its_graph_was_cut_and_the_note_shows_the_cut(page: Page):
    """w.grad prints None and PyTorch says nothing: the Warnings say why, in the snippet's names, with the cut's kind
    and line; its link selects the cut (off-screen when the graph opens on z) and the editor marks its line. The
    detached graph's root, which backward never ran, is not drawn green as where backward starts."""
    page.goto("/")
    wait_drawn(page)
    run_code(page, DETACH_NONE)
    notes = page.locator("#warnings .grad-none")
    expect(notes).to_have_count(1)  # (b reaches z as `y + b`: it has its .grad, whatever no_grad cut off)
    expect(notes).to_have_text(
        "w.grad is None: w reaches z only through a cut — .detach() on line 4. Backward stops at the cut, so no "
        "gradient comes back to w."
    )
    expect(page.locator("#warnings")).to_be_visible()
    expect(page.locator("#stderr")).to_be_hidden()  # (Python printed no warning)
    # gradwalk's notes alone are not titled as a warning Python printed
    title = page.locator("#warnings .warnings-title")
    expect(title).to_have_text("Why a .grad is None")
    expect(page.locator(".CodeMirror .cut-line pre")).to_have_text(
        "h = (w * x).detach()          # oops: cuts w out of the graph"
    )
    fill = "g => g.querySelector('polygon').getAttribute('fill')"
    assert node(page, "backward", "MulBackward0 (w * x)").evaluate(fill) != "#caff70"  # never ran (darkolivegreen1)
    assert node(page, "backward", "AddBackward0 (z)").evaluate(fill) == "#caff70"  # where backward started
    notes.get_by_role("button", name=".detach() on line 4").click()
    expect(page.locator("#inspector h2")).to_have_text("detach")
    cut = page.locator("#forward-pane g.node.selected")
    expect(cut).to_have_count(1)
    canvas = page.locator("#forward-pane .canvas").bounding_box()
    box = cut.bounding_box()
    assert canvas["y"] <= box["y"] and box["y"] + box["height"] <= canvas["y"] + canvas["height"]  # in view
    # backward ran, but not through the detached graph: its nodes keep saying no pass reached them
    node(page, "backward", "MulBackward0 (w * x)").click()
    expect(page.locator("#inspector .note")).to_contain_text(["Never ran: no backward pass reached this node"])
    page.locator("#lang").click()
    expect(notes).to_have_text(
        "w.grad 값이 None입니다. w 텐서는 4번 줄의 .detach()에서 그래프와 끊긴 경로로만 z 텐서에 이어져 있습니다. "
        "역전파는 끊긴 곳에서 멈추므로 w 텐서까지 그래디언트가 돌아오지 않습니다."
    )
    expect(page.locator(".CodeMirror .cut-line")).to_have_count(1)  # (still marked, once)
    expect(title).to_have_text(".grad가 None인 이유")
    # a warning Python printed is titled as one again, in the language shown
    run_code(page, NON_LEAF_GRAD)
    expect(title).to_have_text("경고")


NO_GRAD_NONE = """w = torch.tensor(2.0, requires_grad=True)
b = torch.tensor(1.0, requires_grad=True)
with torch.no_grad():
    y = w * 3
z = (y + b) ** 2
z.backward()
print(w.grad)
"""


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1280, "height": 800}, "locale": "ko-KR"}])
def test_a_cut_by_no_grad_is_said_on_the_line_it_cut_inside_the_block(page: Page):
    """The note said "4번 줄의 torch.no_grad()", but `with torch.no_grad():` is on line 3: line 4 is the product
    computed inside it. It says the line inside the block."""
    page.goto("/")
    wait_drawn(page)
    run_code(page, NO_GRAD_NONE)
    notes = page.locator("#warnings .grad-none")
    expect(notes).to_have_count(1)
    expect(notes).to_contain_text("w 텐서는 torch.no_grad() 블록 안의 4번 줄에서 그래프와 끊긴 경로로만 z 텐서에")
    page.locator("#lang").click()
    expect(notes).to_contain_text("w reaches z only through a cut — line 4, under torch.no_grad().")


UNUSED_AND_NEVER_RUN = """w = torch.tensor(1.0, requires_grad=True)
v = torch.tensor(2.0, requires_grad=True)
other = v * 3
a = torch.tensor(3.0, requires_grad=True)
loss = a * 2
loss.backward()
"""


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1280, "height": 800}, "locale": "ko-KR"}])
def test_a_leaf_never_used_and_one_on_a_graph_backward_never_ran_each_say_so(page: Page):
    page.goto("/")
    wait_drawn(page)
    run_code(page, UNUSED_AND_NEVER_RUN)
    notes = page.locator("#warnings .grad-none")
    expect(notes).to_have_text(
        [
            "w.grad 값이 None입니다. w 텐서는 어떤 연산에도 쓰이지 않아서 역전파가 이 텐서까지 오지 않습니다.",
            "v.grad 값이 None입니다. v 텐서는 other 텐서를 계산하는 데만 쓰였는데 역전파는 loss 텐서에서 "
            "시작했습니다. 그래서 v 텐서까지 가는 경로로는 역전파가 한 번도 실행되지 않았습니다.",
        ]
    )
    expect(page.locator(".CodeMirror .cut-line")).to_have_count(0)  # (no cut to mark)
    notes.nth(1).get_by_role("button", name="other").click()
    expect(page.locator("#inspector h2")).to_have_text("other")
    page.locator("#lang").click()
    expect(notes.nth(0)).to_have_text("w.grad is None: w is not used in any operation, so backward never reaches it.")


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1366, "height": 768}, "locale": "ko-KR"}])
def test_a_gradient_autograd_grad_returned_is_drawn_and_told_apart_from_one_added_to_grad(page: Page):
    """The higher-order example: two arrows of 12 went into x's AccumulateGrad, both solid, and x.grad was 12, not 24.
    The one autograd.grad() took back to the code is dashed, and the legend says what a dashed arrow is (only where
    the run has such a call)."""
    page.goto("/")
    wait_drawn(page)
    legend = page.locator(".legend-returned")
    expect(legend).to_be_hidden()
    run_example(page, "higher-order")
    expect(legend).to_be_visible()
    expect(legend).to_contain_text("autograd.grad()가 코드에 돌려준 값")
    dashes = page.eval_on_selector_all(
        "#backward-pane g.edge path", "paths => paths.map(p => p.getAttribute('stroke-dasharray') || '')"
    )
    assert sum(bool(d) for d in dashes) == 1 and len(dashes) == 4, dashes
    run_example(page, "linear-1d")
    expect(legend).to_be_hidden()


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1366, "height": 768}, "locale": "en-US"}])
def test_a_gradient_made_with_create_graph_says_where_its_graph_is(page: Page):
    """The higher-order example's dy_dx stands alone in the forward graph, no arrow into it, and its inspector said
    nothing of where it came from. It says a backward pass with create_graph=True made it, and where its graph is;
    a tensor an op made (y) says nothing of the kind."""
    page.goto("/")
    wait_drawn(page)
    run_example(page, "higher-order")
    node(page, "forward", "dy_dx|").click()
    inspector = page.locator("#inspector")
    expect(inspector).to_contain_text("No operation of the forward graph made it")
    expect(inspector).to_contain_text("in the backward graph from MulBackward0 (dy_dx) down")
    node(page, "forward", "y|").click()
    expect(inspector).not_to_contain_text("No operation of the forward graph made it")


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1366, "height": 768}, "locale": "ko-KR"}])
def test_the_nodes_a_create_graph_pass_made_are_marked_apart_and_say_so(page: Page):
    """The higher-order example's backward graph drew pass 1's PowBackward0 (y) #1 and pass 2's MulBackward0 (dy_dx)
    #1 alike, and the nodes autograd.grad(create_graph=True) made (dy_dx = 3 · x²) said only that torch made them
    "inside an op or while a backward pass ran". Those three have a purple outline the legend names, and their step
    and inspector say a backward pass made them and that backward through them differentiates a gradient again."""
    page.goto("/")
    wait_drawn(page)
    legend = page.locator(".legend-by-backward")
    expect(legend).to_be_hidden()
    run_example(page, "higher-order")
    expect(legend).to_be_visible()
    marked = page.eval_on_selector_all(
        "#backward-pane g.node.by-backward", "gs => gs.map(g => g.querySelector('text').textContent)"
    )
    assert sorted(marked) == ["MulBackward0 (dy_dx)", "MulBackward1 (x² · 3)", "PowBackward0 (x²)"], marked
    color = node(page, "backward", "MulBackward1").evaluate("g => getComputedStyle(g.querySelector('polygon')).stroke")
    assert color == "rgb(124, 58, 237)"
    said = "이 노드는 순전파 코드가 아니라 역전파가 만든 노드입니다. create_graph=True로 실행한 역전파가 dy_dx 텐서를"
    page.locator("#step-slider").fill("5")  # (pass 2, #2: MulBackward1)
    expect(page.locator("#step-panel")).to_contain_text("MulBackward1")
    expect(page.locator("#step-panel")).to_contain_text(said)
    node(page, "backward", "PowBackward0 (y)|").click()
    expect(page.locator("#inspector-body")).not_to_contain_text(said)
    node(page, "backward", "PowBackward0 (x²)|").click()
    expect(page.locator("#inspector-body")).to_contain_text(said)
    run_example(page, "linear-1d")
    expect(legend).to_be_hidden()
    expect(page.locator("#backward-pane g.node.by-backward")).to_have_count(0)


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1366, "height": 768}, "locale": "ko-KR"}])
def test_a_backward_nodes_order_names_no_pass_where_backward_ran_once(page: Page):
    """The tutorial's examples call backward() once; a backward node's inspector said "#3 (1회차 역전파)", as if there
    were a second pass to look for, where its step says "#3". It says "#3"; a run of two passes names the pass."""
    page.goto("/")
    wait_drawn(page)
    run_example(page, "linear-1d")
    node(page, "backward", "MulBackward0 (y_pred)|").click()
    expect(page.locator("#inspector .facts")).to_contain_text("#3")
    expect(page.locator("#inspector .facts")).not_to_contain_text("회차")
    run_code(page, ADDED_UP)
    node(page, "backward", "AccumulateGrad (x)|").click()
    expect(page.locator("#inspector .facts")).to_contain_text("(3회차 역전파)")


LATE_AND_VALUES_OUT = """import numpy as np
w = torch.randn(3)
b = torch.zeros(1, requires_grad=True)
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = (w * 2).sum() + b + torch.from_numpy(np.sin(x.detach().numpy())).sum()
w.requires_grad_()
y.backward()
"""


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1280, "height": 800}, "locale": "en-US"}])
def test_a_leaf_used_before_requires_grad_and_one_whose_values_numpy_took_out_say_so(page: Page):
    """Both were said to be unused ("w is not used in any operation", "x is not used to compute y"), which the code
    contradicts: each note names the line that explains it, and its link shows what it speaks of."""
    page.goto("/")
    wait_drawn(page)
    run_code(page, LATE_AND_VALUES_OUT)
    notes = page.locator("#warnings .grad-none")
    expect(notes).to_have_count(2)
    late, out = page.locator(".grad-none[data-kind='late']"), page.locator(".grad-none[data-kind='values_out']")
    expect(late).to_contain_text("w.grad is None: mul on line 5 used w before line 6 set its requires_grad")
    expect(out).to_contain_text("x.grad is None: x.detach().numpy() on line 5 took the values of x out")
    late.get_by_role("button", name="mul on line 5").click()
    expect(page.locator("#inspector h2")).to_contain_text("mul")
    page.locator("#lang").click()
    expect(late).to_contain_text("5번 줄의 mul 연산이 w 텐서를 쓴 뒤에야 6번 줄에서 requires_grad를 설정했습니다")
