"""What a learner (and their teacher, in projector mode) meets walking the tutorial and the snippets written after it:
the step's node kept in view when the inspector opens, formulas set as formulas and words as words, a check's error
whole, projector-sized checks and tables, "grad None" where no gradient ever comes, the running node's orange outline
its own, and ⊙ explained."""

import re

import pytest
from playwright.sync_api import Page, expect

from .helpers import node, records, run_code, run_example, wait_drawn

FULL_HD = {"width": 1920, "height": 1080}

# The pane's nodes lit by the step: [their first text, wholly inside the pane's canvas].
RUNNING = """pane => {
  const canvas = document.querySelector(`#${pane}-pane .canvas`).getBoundingClientRect();
  return [...document.querySelectorAll(`#${pane}-pane g.node.running`)].map((g) => {
    const b = g.getBoundingClientRect();
    const inside = b.top >= canvas.top && b.bottom <= canvas.bottom && b.left >= canvas.left && b.right <= canvas.right;
    return [g.querySelector('text').textContent, inside];
  });
}"""


@pytest.mark.parametrize("context_options", [{"viewport": FULL_HD, "locale": "ko-KR"}])
def test_the_inspector_opened_mid_walk_keeps_the_steps_node_in_view(page: Page):
    """At 1920x1080 the 2D example's step 7 is AccumulateGrad (X); a learner who opened the inspector on
    AddBackward0 (y_pred) above it, to see where X's gradient came from, saw the panes narrow about their centres and
    AccumulateGrad (X) cut off at the pane's left edge, its step's words still speaking of it. Both stay in view."""
    page.goto("/")
    wait_drawn(page)
    run_example(page, "linear-2d")
    page.locator("#step-slider").fill("7")
    expect(page.locator("#step-panel h3")).to_contain_text("AccumulateGrad (X)")
    assert page.evaluate(RUNNING, "backward") == [["AccumulateGrad (X)", True]]
    node(page, "backward", "AddBackward0 (y_pred)").click()
    expect(page.locator("#inspector h2")).to_have_text("AddBackward0")
    assert page.evaluate(RUNNING, "backward") == [["AccumulateGrad (X)", True]]
    assert page.evaluate(RUNNING, "forward") == [["X", True]]


SEQUENTIAL = """import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
y = torch.tensor([[1.0], [0.0]])
loss = nn.MSELoss()(model(x), y)
loss.backward()
"""
NO_GRAD = """import torch

w = torch.tensor(3.0, requires_grad=True)
with torch.no_grad():
    y = w * 2
loss = (y - 1) * w
loss.backward()
"""
# Each code of the step panel's local derivative: [its text, on how many lines it is set].
FORMULA_LINES = """() => [...document.querySelectorAll('#step-panel .formula code')].map((code) => {
  const range = document.createRange();
  range.selectNodeContents(code);
  return [code.textContent, new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size];
})"""


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1366, "height": 768}, "locale": "ko-KR"}])
def test_the_step_panel_sets_a_formula_part_whole_and_its_words_as_words(page: Page):
    """A two-layer nn.Sequential's AddmmBackward0 has three derivatives on one line: at 1366x768 the panel broke it
    inside one, `∂L/` over `∂model.2.weightᵀ = …`; each is set whole now, the line wrapping between them. And why an
    input got no gradient, `(보내지 않음: 이 입력은 그래디언트가 필요 없습니다)`, was set in code, as if the formula
    said it: it is set as words after it."""
    page.goto("/")
    wait_drawn(page)
    run_code(page, SEQUENTIAL)
    page.locator("#step-slider").fill("2")
    expect(page.locator("#step-panel h3")).to_contain_text("AddmmBackward0")
    parts = page.evaluate(FORMULA_LINES)
    assert [text for text, _ in parts] == [
        "∂L/∂model.2.bias = Σ grad",
        "∂L/∂(model.1 → relu) = grad · model.2.weight",
        "∂L/∂model.2.weightᵀ = (model.1 → relu)ᵀ · grad",
    ]
    assert all(lines == 1 for _, lines in parts), parts
    run_code(page, NO_GRAD)
    page.locator("#step-slider").fill("1")
    chain = page.locator("#step-panel .chain li").first
    expect(chain.locator(".to")).to_have_text("→ y - 1")
    expect(chain.locator("code")).to_have_text("grad_(y - 1)")
    # (why, in the snippet's terms: y was made under no_grad)
    expect(chain.locator(".formula-words")).to_have_text(
        ": 보내지 않음(y - 1 텐서는 5번 줄의 torch.no_grad()로 그래프와 끊긴 텐서로 만들어져서"
        " 그래디언트가 필요 없습니다)"
    )
    page.locator("#lang").click()
    expect(chain.locator(".formula-words")).to_have_text(
        ": not sent (y - 1 was made from a tensor cut off from the graph on line 5 by torch.no_grad(), so it needs no"
        " gradient)"
    )


# Each check of the step panel: [its text, on how many lines its "(error …)" is set].
ERROR_LINES = """() => [...document.querySelectorAll('#step-panel .check')].map((check) => {
  const text = check.firstChild;
  const range = document.createRange();
  range.setStart(text, text.data.lastIndexOf('('));
  range.setEnd(text, text.data.length);
  return [text.data, new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size];
})"""


@pytest.mark.parametrize(
    "context_options", [{"viewport": {"width": 1366, "height": 768}, "locale": locale} for locale in ("en-US", "ko-KR")]
)
def test_a_checks_error_stays_on_one_line_with_its_number(page: Page):
    """At 1366x768 the 1D example's MulBackward0 step ended its checks with "(error" and put "0)" alone on the next
    line, under the numbers."""
    page.goto("/")
    wait_drawn(page)
    run_example(page, "linear-1d")
    page.locator("#step-slider").fill("3")
    expect(page.locator("#step-panel h3")).to_contain_text("MulBackward0")
    checks = page.evaluate(ERROR_LINES)
    assert len(checks) == 2 and all(lines == 1 for _, lines in checks), checks


# Each of these (the first found) as its text is set: its font size (CSS px).
SIZES = """() => ['#step-panel .check', '#inspector .summary table']
  .map((s) => parseFloat(getComputedStyle(document.querySelector(s)).fontSize))"""


@pytest.mark.parametrize("context_options", [{"viewport": FULL_HD, "locale": "ko-KR"}])
def test_projector_mode_enlarges_the_checks_and_the_inspectors_values_with_the_rest(page: Page):
    """In projector mode the page's type is 1.2 times as large, but a step's check, "✓ PyTorch가 계산한 값과
    같습니다", and the inspector's gradient tables were sized in rem and kept their 14.4 and 13.6 px: the numbers a
    class reads from the back of the room were the smallest on the screen."""
    page.goto("/")
    wait_drawn(page)
    run_example(page, "linear-2d")
    page.locator("#step-slider").fill("6")
    node(page, "forward", "W|").click()
    expect(page.locator("#inspector .summary table").first).to_be_visible()
    before = page.evaluate(SIZES)
    page.locator("#projector").click()
    expect(page.locator("body")).to_have_class("projector")
    after = page.evaluate(SIZES)
    assert all(large >= 1.15 * small for small, large in zip(before, after, strict=True)), (before, after)


DETACHED = """import torch

w = torch.tensor(3.0, requires_grad=True)
b = torch.tensor(1.0, requires_grad=True)
x = torch.tensor(2.0)
y = w.detach() * x + b
y.backward()
print(w.grad, b.grad)
"""


def test_a_gradient_that_never_comes_reads_none_through_the_walk_not_pending(page: Page):
    """w reaches y only through w.detach(): w.grad is None, and the page says why. Walking backward, w's node read
    "grad ?" (not known yet) at every step, the last one too, as if backward were still to reach it; it reads
    "grad None" as PyTorch leaves it, while b's gradient waits for its step."""
    page.goto("/")
    wait_drawn(page)
    run_code(page, DETACHED)
    expect(page.locator("#stdout")).to_have_text("None tensor(1.)\n")
    for step, b_grad in ((0, "grad ?"), (1, "grad ?"), (2, "grad 1")):
        page.locator("#step-slider").fill(str(step))
        expect(page.locator("body")).to_have_attribute("data-step", str(step))
        assert [r for r in records(page, "forward") if r.startswith(("w|", "b|"))] == [
            "w|() float32|data 3|grad None",
            f"b|() float32|data 1|{b_grad}",
        ]


# The outline colour of a drawn node whose first text is `name`, in a pane.
OUTLINE = """([pane, name]) => {
  const g = [...document.querySelectorAll(`#${pane}-pane g.node`)]
    .find((n) => n.querySelector('text').textContent === name);
  return getComputedStyle(g.querySelector('polygon, ellipse, path')).stroke;
}"""


@pytest.mark.parametrize("context_options", [{"viewport": FULL_HD, "locale": "ko-KR"}])
def test_a_node_hovered_mid_walk_is_not_outlined_as_the_running_one(page: Page):
    """The legend says an orange outline is the node running at this step; a node hovered mid-walk, and its tensor in
    the other graph, took the same orange outline: AccumulateGrad (W) looked as if it ran at AddBackward0's step."""
    page.goto("/")
    wait_drawn(page)
    run_example(page, "linear-2d")
    page.locator("#step-slider").fill("4")
    expect(page.locator("#step-panel h3")).to_contain_text("AddBackward0 (y_pred)")
    running = page.evaluate(OUTLINE, ["backward", "AddBackward0 (y_pred)"])
    node(page, "backward", "AccumulateGrad (W)").hover()
    expect(page.locator("#backward-pane g.node.hovered")).to_have_count(1)
    expect(page.locator("#forward-pane g.node.linked")).to_have_count(1)
    assert page.evaluate(OUTLINE, ["backward", "AccumulateGrad (W)"]) != running
    assert page.evaluate(OUTLINE, ["forward", "W"]) != running
    node(page, "backward", "AddBackward0 (y_pred)").hover()  # (the running node hovered stays the running one)
    assert page.evaluate(OUTLINE, ["backward", "AddBackward0 (y_pred)"]) == running


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1366, "height": 768}, "locale": "ko-KR"}])
def test_a_step_that_writes_an_elementwise_product_says_what_it_means(page: Page):
    """The tutorial's vector example is the first to write `grad_x = grad · 2 ⊙ x`: the page never said what ⊙ is.
    A step (and the inspector) whose formulas use it says so once, in the page's language; one without, nothing."""
    page.goto("/")
    wait_drawn(page)
    run_example(page, "vector")
    page.locator("#step-slider").fill("1")
    words = page.locator("#step-panel .words")
    expect(page.locator("#step-panel .chain")).to_contain_text("grad_x = grad · 2 ⊙ x")
    expect(words).to_have_text(re.compile(r"⊙ 기호는 같은 자리에 있는 원소끼리 곱한다는 뜻입니다\.$"))
    page.locator("#lang").click()
    expect(words).to_have_text(re.compile(r"⊙ means multiplying element by element: each entry times the entry in "))
    run_example(page, "scalar")
    page.locator("#step-slider").fill("1")
    expect(page.locator("#step-panel .chain")).to_contain_text("grad_x = grad · 2 · x")
    expect(words).not_to_contain_text("⊙")


UNASKED = """import torch

x = torch.tensor(2.0, requires_grad=True)
w = torch.tensor(3.0, requires_grad=True)
b = (x * 2) * w
b.backward(inputs=[w])
"""
# The strokes of a pane's arrows: [those of class `kind`, the others'] (computed colours, each once).
ARROWS = """([pane, kind]) => {
  const edges = [...document.querySelectorAll(`#${pane}-pane g.edge`)];
  const strokes = (list) => [...new Set(list.map((g) => getComputedStyle(g.querySelector('path')).stroke))];
  return [strokes(edges.filter((g) => g.matches(kind))), strokes(edges.filter((g) => !g.matches(kind)))];
}"""
BLACK = "rgb(0, 0, 0)"


@pytest.mark.parametrize("context_options", [{"viewport": FULL_HD, "locale": "en-US"}])
def test_projector_mode_keeps_the_colours_that_say_something(page: Page):
    """Projector mode draws every outline and arrow black, for contrast: it also blackened the blue outline of the
    node a teacher selected, the blue arrows a step sends its gradients along, the orange of the gradient its node
    received, and the grey of an arrow no gradient flowed along, which the legend names."""
    page.goto("/")
    wait_drawn(page)
    run_example(page, "linear-2d")
    page.locator("#projector").click()
    expect(page.locator("body")).to_have_class("projector")
    page.locator("#step-slider").fill("6")
    expect(page.locator("#step-panel h3")).to_contain_text("MmBackward0")
    sending, others = page.evaluate(ARROWS, ["backward", ".sending"])
    assert len(sending) == 1 and sending[0] != BLACK and BLACK in others, (sending, others)
    arrived = "() => getComputedStyle(document.querySelector('#backward-pane g.edge.arriving text')).fill"
    assert page.evaluate(arrived) != BLACK
    node(page, "forward", "W|").click()
    expect(page.locator("#inspector h2")).to_have_text("W")
    assert page.evaluate(OUTLINE, ["forward", "W"]) not in (BLACK, page.evaluate(OUTLINE, ["forward", "X @ W"]))
    run_code(page, UNASKED)  # (no gradient flowed to x * 2 and on to x: grey arrows)
    grey, others = page.evaluate(ARROWS, ["backward", ':has(> path[stroke="#999999"])'])
    assert len(grey) == 1 and grey[0] != BLACK and others == [BLACK], (grey, others)


# Each legend swatch's colour beside the fill of a drawn node of that kind (the first text of a node, in a pane).
SWATCHES = """(pairs) => pairs.map(([kind, pane, name]) => {
  const swatch = getComputedStyle(document.querySelector(`.legend .swatch.${kind}`)).backgroundColor;
  const g = [...document.querySelectorAll(`#${pane}-pane g.node`)]
    .find((n) => n.querySelector('text').textContent === name);
  return [kind, swatch, getComputedStyle(g.querySelector('polygon')).fill];
})"""


@pytest.mark.parametrize("context_options", [{"viewport": FULL_HD, "locale": "ko-KR"}])
def test_in_projector_mode_the_legend_shows_the_colours_the_graphs_use(page: Page):
    """Projector mode fills the nodes with stronger colours (light blue leaves become #8cc8ff), but the legend kept the
    desktop's, and the results' and constants' colours never applied (dot writes darkolivegreen1 as #caff70)."""
    page.goto("/")
    wait_drawn(page)
    run_example(page, "linear-2d")
    pairs = [
        ["leaf", "forward", "X"],
        ["output", "forward", "loss"],
        ["saved", "backward", "MmBackward0 (X @ W)"],
        ["constant", "forward", "y_true"],
    ]
    desk = page.evaluate(SWATCHES, pairs)
    page.locator("#projector").click()
    expect(page.locator("body")).to_have_class("projector")
    for (kind, swatch, fill), (_, _, before) in zip(page.evaluate(SWATCHES, pairs), desk, strict=True):
        assert fill != before, kind  # (the stronger colour; the output's and the constant's never applied)
        assert swatch == fill, kind
