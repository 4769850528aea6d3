"""What a learner met walking the page in class (1366x768 and 1920x1080, Korean and English): the legend says what
`grad ?` means; a step's words whole in its panel on a laptop, projector mode too; Korean comments wrapped between
words; the running node orange when inspected; a custom Function's call and `x * x`'s derivatives said truly; a check's
mark with its words; the 1-D example whole at 1920x1080 before its walk; projector mode enlarging every text."""

import re

import pytest
from playwright.sync_api import Page, expect

from .helpers import SCROLLED, node, records, run_code, run_example, wait_drawn

LAPTOP = {"width": 1366, "height": 768}
FULL_HD = {"width": 1920, "height": 1080}

# The texts a walk writes `grad ?` in, in a pane, that are shown.
PENDING = """pane => [...document.querySelectorAll(`#${pane}-pane text.grad-pending`)]
  .filter((t) => getComputedStyle(t).visibility !== 'hidden').map((t) => t.textContent)"""


@pytest.mark.parametrize(
    ("context_options", "meaning"),
    [
        ({"viewport": LAPTOP, "locale": "en-US"}, "not arrived yet"),
        ({"viewport": LAPTOP, "locale": "ko-KR"}, "아직 도착하지 않은 그래디언트"),
    ],
)
def test_the_legend_says_what_grad_question_mark_means_once_a_walk_writes_it(page: Page, meaning: str):
    """Stepping the 1D example, w and x read `grad ?` until their AccumulateGrad runs: every other mark of the graphs
    is in the legend, this one was not, and a learner read it as an unknown or a failed value."""
    page.goto("/")
    wait_drawn(page)
    run_example(page, "linear-1d")
    legend = page.locator(".legend .legend-pending")
    expect(legend).to_be_hidden()  # (all steps shown: no node reads `grad ?`)
    page.locator("#step-slider").fill("2")
    expect(page.locator("body")).to_have_attribute("data-step", "2")
    assert page.evaluate(PENDING, "forward") == ["grad ?", "grad ?"]  # w and x, before steps 4 and 5
    expect(legend).to_be_visible()
    expect(legend).to_have_text(f"grad ?{meaning}")
    mark = legend.locator(".mark")
    expect(mark).to_have_text("grad ?")
    expect(mark).to_have_css("font-style", "italic")  # (as the nodes write it)
    box = legend.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 768  # on the screen, under the graphs


@pytest.mark.parametrize("projector", [False, True], ids=["page", "projector"])
@pytest.mark.parametrize("context_options", [{"viewport": LAPTOP, "locale": loc} for loc in ("en-US", "ko-KR")])
def test_on_a_laptop_each_step_of_the_first_examples_shows_its_words_whole(page: Page, projector: bool):
    """At 1366x768 a step's words scrolled inside the step panel: in projector mode at nearly every step of the
    tutorial (a leaf's AccumulateGrad by 112 px), on the page at the leaves' steps. What a step received and the node's
    local derivative share a line where they fit, a leaf's one path is said once (its formula names it), and in
    projector mode the legend goes under the code: its three lines go to the graphs and the panel."""
    page.goto("/")
    wait_drawn(page)
    if projector:
        page.locator("#projector").click()
    for example in ("scalar", "vector", "linear-1d"):
        run_example(page, example)
        count = int(page.locator("#step-slider").get_attribute("max") or 0) - 1
        page.locator("#step-slider").fill("1")  # (the walk starts: the panel takes its walk's height)
        assert count >= 2 and page.evaluate(SCROLLED, count) == [], example
        canvas = page.evaluate("() => document.querySelector('#forward-pane .canvas').clientHeight")
        assert canvas >= 300, (example, canvas)  # (the graphs keep the room the tutorial's first graph needs whole)
    legend = page.locator(".legend").bounding_box()
    assert legend is not None and legend["y"] + legend["height"] <= 768  # (its lines on the screen, not scrolled)


# The words of an editor line (its `n`th, from 1) that a wrap broke across two screen lines.
BROKEN_WORDS = """n => {
  const line = document.querySelectorAll('.CodeMirror-code > div')[n - 1].querySelector('pre');
  const chars = [];
  const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    for (let i = 0; i < text.length; i++) {
      const range = document.createRange();
      range.setStart(text, i);
      range.setEnd(text, i + 1);
      const box = range.getBoundingClientRect();
      chars.push([text.data[i], Math.round(box.top)]);
    }
  }
  const words = [];
  let word = [];
  for (const [ch, top] of [...chars, [' ', 0]]) {
    if (/\\s/.test(ch)) {
      if (word.length) words.push(word);
      word = [];
    } else word.push([ch, top]);
  }
  const tops = new Set(chars.filter(([ch]) => !/\\s/.test(ch)).map(([, top]) => top));
  const broken = words.filter((w) => new Set(w.map(([, top]) => top)).size > 1);
  return [tops.size, broken.map((w) => w.map(([ch]) => ch).join(''))];
}"""


@pytest.mark.parametrize("context_options", [{"viewport": LAPTOP, "locale": loc} for loc in ("en-US", "ko-KR")])
def test_a_korean_comment_in_the_editor_wraps_between_words(page: Page):
    """In projector mode at 1366x768 the code column is narrow: on the English page the 2D example's
    `# 2차원 입력 데이터(2개의 샘플, 3개의 특성)` wrapped as `… 3개의 특` / `성)`, and `정답` as `정` / `답` (the
    tutorial's comments are Korean in either language of the page; the Korean page wrapped them between words)."""
    page.goto("/")
    wait_drawn(page)
    page.locator("#projector").click()
    run_example(page, "linear-2d")
    for n in (3, 6):  # (the two comments that wrap there)
        lines, broken = page.evaluate(BROKEN_WORDS, n)
        assert lines >= 2 and broken == [], (n, broken)


# A drawn node's outline colour and filter, by its first text, in a pane.
OUTLINE = """([pane, name]) => {
  const g = [...document.querySelectorAll(`#${pane}-pane g.node`)]
    .find((n) => n.querySelector('text').textContent === name);
  return [getComputedStyle(g.querySelector('polygon, path')).stroke, getComputedStyle(g).filter];
}"""
LEGENDS_RUNNING = "() => getComputedStyle(document.querySelector('.legend .swatch.running')).borderTopColor"


@pytest.mark.parametrize("projector", [False, True], ids=["page", "projector"])
@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1920, "height": 1080}, "locale": "ko-KR"}])
def test_the_running_node_stays_orange_when_it_is_the_one_inspected(page: Page, projector: bool):
    """A learner opened w's inspector, then stepped to 4/5, where w's AccumulateGrad runs: both w's nodes were outlined
    blue (selected), and no node showed the legend's orange of the node running. They stay orange, and glow blue."""
    page.goto("/")
    wait_drawn(page)
    if projector:
        page.locator("#projector").click()
    run_example(page, "linear-1d")
    node(page, "forward", "w|").click()
    expect(page.locator("#inspector")).to_be_visible()
    page.locator("#step-slider").fill("4")
    expect(page.locator("#step-panel h3")).to_contain_text("AccumulateGrad (w)")
    orange = page.evaluate(LEGENDS_RUNNING)
    for pane, name in (("backward", "AccumulateGrad (w)"), ("forward", "w")):
        stroke, glow = page.evaluate(OUTLINE, [pane, name])
        assert stroke == orange and "drop-shadow" in glow, (pane, stroke, glow)
    stroke, glow = page.evaluate(OUTLINE, ["backward", "AccumulateGrad (x)"])  # (not running, not selected)
    assert stroke != orange and glow == "none"
    page.locator("#step-slider").fill("3")  # (w's node selected, not running: blue)
    expect(page.locator("#step-panel h3")).to_contain_text("MulBackward0")
    stroke, glow = page.evaluate(OUTLINE, ["forward", "w"])
    assert stroke not in (orange, "rgb(0, 0, 0)") and glow == "none"  # (the selection's blue)


SQUARE = """import torch

class Square(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return 2 * x * grad

x = torch.tensor([1.0, -2.0], requires_grad=True)
y = Square.apply(x).sum()
y.backward()
"""


@pytest.mark.parametrize(
    ("context_options", "opening"),
    [
        ({"viewport": LAPTOP, "locale": "en-US"}, "Square, your own autograd.Function: Square.apply(x). This backward"),
        ({"viewport": LAPTOP, "locale": "ko-KR"}, "직접 정의한 autograd.Function Square: Square.apply(x). 이 역전파는"),
    ],
)
def test_a_custom_functions_step_names_its_call_once(page: Page, opening: str):
    """The step of a custom autograd.Function's node opened with `Square.apply(x) = Square.apply(…)`: the result, named
    by its code, said equal to the same call with its input cut off."""
    page.goto("/")
    wait_drawn(page)
    run_code(page, SQUARE)
    page.locator("#step-slider").fill("2")
    expect(page.locator("#step-panel h3")).to_contain_text("SquareBackward")
    words = page.locator("#step-panel .words")
    expect(words).to_contain_text(opening)
    expect(words).not_to_contain_text("(…)")
    assert "[2, -4]" in page.locator("#step-panel .numbers").inner_text()  # (2 · x · grad, as torch sends it)


SQUARED_BY_HAND = """import torch
x = torch.tensor(3.0, requires_grad=True)
y = x * x
y.backward()
"""


@pytest.mark.parametrize(
    ("context_options", "inputs"),
    [
        ({"viewport": LAPTOP, "locale": "en-US"}, ("(input 0)", "(input 1)")),
        ({"viewport": LAPTOP, "locale": "ko-KR"}, ("(첫 번째 입력)", "(두 번째 입력)")),
    ],
)
def test_a_tensor_multiplied_by_itself_is_not_said_to_have_derivative_x(page: Page, inputs: tuple[str, str]):
    """`y = x * x`: MulBackward0 read `∂y/∂x = x` twice, on its node and in its step, but y = x² and ∂y/∂x = 2x = 6
    (x.grad, the two paths' sum). Each derivative says which input of the product it is for."""
    page.goto("/")
    wait_drawn(page)
    run_code(page, SQUARED_BY_HAND)
    mul = next(r for r in records(page, "backward") if r.startswith("MulBackward0"))
    first, second = (f"∂y/∂x {which} = x" for which in inputs)
    assert first in mul.split("|") and second in mul.split("|") and "∂y/∂x = x" not in mul.split("|"), mul
    assert next(r for r in records(page, "forward") if r.startswith("x|")).endswith("|grad 6")  # (torch: 2 · 3)
    page.locator("#step-slider").fill("1")
    expect(page.locator("#step-panel .formula")).to_have_text(f"{first}, {second}")


# Each check of the step panel whose mark (✓ or ✗) sits on another line than the words after it.
MARK_ALONE = """() => [...document.querySelectorAll('#step-panel .check')].filter((check) => {
  const text = check.firstChild;
  const top = (i) => { const r = document.createRange(); r.setStart(text, i); r.setEnd(text, i + 1);
    return Math.round(r.getBoundingClientRect().top); };
  return text && text.length > 2 && top(0) !== top(2);
}).map((check) => check.textContent)"""


@pytest.mark.parametrize("context_options", [{"viewport": LAPTOP, "locale": "en-US"}])
def test_a_checks_mark_stays_on_the_line_of_its_words(page: Page):
    """At 1366x768 the 2D example's step 6 ended W's numbers with `[[-73.3], [-97.7], [-122.1]] ✓`, and `matches what
    PyTorch computed` began the next line: the mark read as part of the numbers."""
    page.goto("/")
    wait_drawn(page)
    run_example(page, "linear-2d")
    page.locator("#step-slider").fill("6")
    expect(page.locator("#step-panel h3")).to_contain_text("MmBackward0")
    expect(page.locator("#step-panel .check")).to_have_count(2)
    assert page.evaluate(MARK_ALONE) == []


# Each pane's drawn nodes not wholly inside its canvas (their first text), and its smallest label (CSS px).
OUT_OF_VIEW = """pane => {
  const canvas = document.querySelector(`#${pane}-pane .canvas`).getBoundingClientRect();
  const nodes = [...document.querySelectorAll(`#${pane}-pane g.node`)];
  const out = nodes.filter((g) => { const b = g.getBoundingClientRect();
    return b.top < canvas.top || b.bottom > canvas.bottom || b.left < canvas.left || b.right > canvas.right; });
  const texts = [...document.querySelectorAll(`#${pane}-pane g.node text`)];
  const labels = texts.map((t) => t.getBoundingClientRect().height);
  return [out.map((g) => g.querySelector('text').textContent), Math.min(...labels.filter((h) => h > 0))];
}"""


@pytest.mark.parametrize("context_options", [{"viewport": FULL_HD, "locale": loc} for loc in ("en-US", "ko-KR")])
def test_on_a_full_hd_screen_the_1d_example_opens_whole_with_how_to_read_open(page: Page):
    """At 1920x1080, with "how to read the backward graph" open (a first visit, until the learner closes it), the step
    panel was taller before the walk than through it: the 1-D example's forward graph, whole from step 1, opened on
    its loss with x and w, whose gradients the example is about, out of view above."""
    page.goto("/")
    wait_drawn(page)
    expect(page.locator("#step-panel details.how")).to_have_attribute("open", "")
    run_example(page, "linear-1d")
    for step in ("", "1"):
        if step:
            page.locator("#step-slider").fill(step)
        expect(page.locator("body")).to_have_attribute("data-step", step)
        for pane in ("forward", "backward"):
            out, smallest = page.evaluate(OUT_OF_VIEW, pane)
            assert out == [] and smallest >= 12, (step, pane, out, smallest)


# The computed font size (CSS px) of the page's other texts, by selector (hidden ones too: their size when shown).
OTHER_SIZES = """() => Object.fromEntries(['body', '#backward-banner', '#status', '.speed', '.run-links', '.shortcut',
    '#stderr', '.zoom .actual'].map(s => [s, parseFloat(getComputedStyle(document.querySelector(s)).fontSize)]))"""


@pytest.mark.parametrize("context_options", [{"viewport": LAPTOP, "locale": "ko-KR"}])
def test_projector_mode_enlarges_the_banner_status_and_links_with_the_text(page: Page):
    """In projector mode the text grows 1.2 times, but "backward()를 호출하지 않았습니다…" over the detach example's
    backward graph stayed at 14.4 px (in rem), and so did the run's status, the speed, the links and the warnings."""
    page.goto("/")
    wait_drawn(page)
    run_example(page, "detach")
    expect(page.locator("#backward-banner")).to_be_visible()
    normal = page.evaluate(OTHER_SIZES)
    page.locator("#projector").click()
    expect(page.locator("body")).to_have_attribute("class", re.compile("projector"))
    projector = page.evaluate(OTHER_SIZES)
    ratio = projector["body"] / normal["body"]
    assert ratio == pytest.approx(1.2)
    assert {s: projector[s] / size for s, size in normal.items()} == pytest.approx(dict.fromkeys(normal, ratio)), (
        normal,
        projector,
    )
