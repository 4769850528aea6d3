"""What a learner met on short screens (1280x720, and 1366x768 in projector mode): the 2D example's steps whole in the
step panel, the top bar on one line, and a training loop's long steps saying that more of them lies below."""

import pytest
from playwright.sync_api import Page, expect

from .helpers import SCROLLED, run_code, run_example, wait_drawn

SMALL = {"width": 1280, "height": 720}
LAPTOP = {"width": 1366, "height": 768}

MLP = """torch.manual_seed(0)
model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
x = torch.tensor([[0.0, 1.0], [1.0, 0.0]])
y = torch.tensor([[1.0], [0.0]])
for epoch in range(3):
    opt.zero_grad()
    loss = F.mse_loss(model(x), y)
    loss.backward()
    opt.step()
    print(epoch, loss.item())
"""

PANEL = (
    "() => { const p = document.querySelector('#step-panel'); return [p.scrollTop, p.scrollHeight, p.clientHeight]; }"
)


@pytest.mark.parametrize(
    ("context_options", "projector"),
    [
        ({"viewport": SMALL, "locale": "en-US"}, False),
        ({"viewport": SMALL, "locale": "ko-KR"}, True),
        ({"viewport": LAPTOP, "locale": "en-US"}, True),
    ],
    ids=["1280-page", "1280-projector-ko", "1366-projector"],
)
def test_on_a_short_screen_each_step_of_the_2d_example_shows_its_words_whole(page: Page, projector: bool):
    """The tutorial's 2D example scrolled in its step panel at 1280x720 (MmBackward0 by 54 px, 132 px in projector
    mode) and in projector mode at 1366x768 (83 px): W's gradient, the example's point, came with its words cut off.
    The panel holds its tallest step while the graphs keep their room (the legend goes under the code at 720 px), and
    the graphs' canvas keeps 240 px."""
    page.goto("/")
    wait_drawn(page)
    if projector:
        page.locator("#projector").click()
    run_example(page, "linear-2d")
    count = int(page.locator("#step-slider").get_attribute("max") or 0) - 1
    page.locator("#step-slider").fill("1")
    assert count == 8 and page.evaluate(SCROLLED, count) == []
    canvas = page.evaluate("() => document.querySelector('#forward-pane .canvas').clientHeight")
    assert canvas >= 240, canvas
    legend = page.locator(".legend").bounding_box()
    assert legend is not None and legend["y"] + legend["height"] <= page.viewport_size["height"]


@pytest.mark.parametrize("context_options", [{"viewport": SMALL, "locale": "ko-KR"}])
def test_in_projector_mode_at_1280_the_top_bar_keeps_one_line(page: Page):
    """In Korean projector mode at 1280x720 the tagline, whole on its line, put the language button on a second line
    of the top bar: 55 px the graphs and the step panel went without. The tagline wraps in the room it has."""
    page.goto("/")
    wait_drawn(page)
    page.locator("#projector").click()
    brand, lang = (page.locator(s).bounding_box() for s in (".brand", "#lang"))
    assert brand is not None and lang is not None
    assert abs((lang["y"] + lang["height"] / 2) - (brand["y"] + brand["height"] / 2)) < 8, (brand, lang)
    assert page.locator(".top").bounding_box()["height"] < 80


@pytest.mark.parametrize(
    ("context_options", "more"),
    [
        ({"viewport": LAPTOP, "locale": "en-US"}, "More below ↓"),
        ({"viewport": LAPTOP, "locale": "ko-KR"}, "아래로 이어집니다 ↓"),
    ],
)
def test_a_long_step_says_more_lies_below_and_the_next_step_opens_at_its_top(page: Page, more: str):
    """A small MLP's training loop at 1366x768: the step of its last Linear (a bias and two matrix products) is twice
    its panel's height, and only a faint shadow said that its third input and its words were below. A button at the
    panel's foot says so and scrolls there, and is gone at the end; a step scrolled to its end opened the next long
    step at its middle, without its title."""
    page.goto("/")
    wait_drawn(page)
    run_code(page, MLP)
    page.locator("#step-slider").fill("3")
    expect(page.locator("#step-panel h3")).to_contain_text("AddmmBackward0")
    button = page.locator("#step-panel .more")
    expect(button).to_be_visible()
    expect(button).to_have_text(more)
    words = page.locator("#step-panel .explanation > .words")
    for _ in range(6):
        if not button.is_visible():
            break
        button.click()
        page.wait_for_timeout(600)
    expect(button).to_be_hidden()
    top, height, client = page.evaluate(PANEL)
    assert top + client >= height - 1  # (at the end)
    box, panel = words.bounding_box(), page.locator("#step-panel").bounding_box()
    assert box is not None and panel is not None and box["y"] + box["height"] <= panel["y"] + panel["height"]
    page.locator("#step-slider").fill("8")  # (the first Linear's step: long too)
    expect(page.locator("#step-panel h3")).to_contain_text("AddmmBackward0")
    top, height, client = page.evaluate(PANEL)
    assert top == 0 and height > client
    expect(button).to_be_visible()


# What lies under the "More below" button, along a line through its middle across the panel: each point's element is
# the button's strip (or in it), or else the element drawn there.
UNDER_MORE = """() => {
  const panel = document.querySelector('#step-panel');
  const strip = panel.querySelector('.more-below');
  const button = strip.querySelector('.more').getBoundingClientRect();
  const box = panel.getBoundingClientRect();
  const y = button.top + button.height / 2;
  const out = [];
  for (let x = box.left + panel.clientLeft + 2; x < box.left + panel.clientLeft + panel.clientWidth - 2; x += 8) {
    const at = document.elementFromPoint(x, y);
    if (!strip.contains(at)) out.push([Math.round(x), at.tagName + '.' + at.className]);
  }
  return out;
}"""


@pytest.mark.parametrize("context_options", [{"viewport": LAPTOP, "locale": loc} for loc in ("en-US", "ko-KR")])
def test_more_below_covers_no_words_of_the_step(page: Page):
    """The "More below" button sat over the end of the panel's last line: a training loop's Linear step had its
    numbers under it, and the intro its how-to-read words. It is on a strip of the panel's width at its foot, the text
    going under it as under the panel's edge, there only while the step is longer than the panel; at the end the
    step's last line ends above it."""
    page.goto("/")
    wait_drawn(page)
    run_code(page, MLP)
    page.locator("#step-slider").fill("3")
    expect(page.locator("#step-panel h3")).to_contain_text("AddmmBackward0")
    button, strip = page.locator("#step-panel .more"), page.locator("#step-panel .more-below")
    expect(button).to_be_visible()
    assert page.evaluate(UNDER_MORE) == []
    page.evaluate("() => { const p = document.querySelector('#step-panel'); p.scrollTop = p.scrollHeight; }")
    expect(button).to_be_hidden()
    words, ends = page.locator("#step-panel .explanation > .words").bounding_box(), strip.bounding_box()
    assert words is not None and ends is not None and words["y"] + words["height"] <= ends["y"] + 1
    page.locator("#step-slider").fill("4")  # (a bias's AccumulateGrad: it fits, and keeps all its room)
    expect(page.locator("#step-panel h3")).to_contain_text("AccumulateGrad")
    expect(strip).to_be_hidden()
    _, height, client = page.evaluate(PANEL)
    assert height <= client


@pytest.mark.parametrize("context_options", [{"viewport": LAPTOP, "locale": "ko-KR"}])
def test_the_keyboard_reads_on_in_a_step_longer_than_its_panel(page: Page):
    """A learner walking a training loop with the keys (→) at 1366x768 met its Linear step twice the panel's height:
    ↓ and Page Down did nothing (the page has no scroll of its own), and the rest of the step was reached only by Tab
    through every node of both graphs to More below. ↓ and Page Down read on, ↑ and Page Up go back; on the graph's
    canvas the arrows still move the graph."""
    page.goto("/")
    wait_drawn(page)
    run_code(page, MLP)
    page.locator("#step-first").click()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    expect(page.locator("#step-panel h3")).to_contain_text("AddmmBackward0")
    assert page.evaluate(PANEL)[0] == 0
    page.keyboard.press("PageDown")
    page.wait_for_function("() => document.querySelector('#step-panel').scrollTop > 100")
    paged = page.evaluate(PANEL)[0]
    page.keyboard.press("ArrowDown")
    page.wait_for_function(f"() => document.querySelector('#step-panel').scrollTop > {paged + 10}")
    page.wait_for_timeout(600)  # (the scroll is smooth: each key's from where the last one ended)
    page.keyboard.press("PageUp")
    page.wait_for_function(f"() => document.querySelector('#step-panel').scrollTop < {paged}")
    page.wait_for_timeout(600)
    page.keyboard.press("ArrowUp")
    page.keyboard.press("PageUp")
    page.wait_for_function("() => document.querySelector('#step-panel').scrollTop === 0")
    expect(page.locator("#step-panel h3")).to_contain_text("AddmmBackward0")  # (still the same step)
    canvas = page.locator("#backward-pane .canvas")
    canvas.focus()
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(500)
    assert page.evaluate(PANEL)[0] == 0


LINEAR = """torch.manual_seed(1)
lin = nn.Linear(8, 3)
xb = torch.randn(5, 8)
loss = lin(xb).pow(2).mean()
loss.backward()
"""


@pytest.mark.parametrize("context_options", [{"viewport": LAPTOP, "locale": "en-US"}])
def test_a_steps_long_matrices_show_their_first_entries_and_all_on_demand(page: Page):
    """A Linear layer on a batch: its step wrote xbᵀ · grad as 8x5 and 5x3 matrices and their 8x3 product, 400
    characters of digits, a wall that scrolled the panel by hundreds of px. Each long matrix shows its first row's first
    entries then `…`; "show all" shows the numbers the run has, whole, and "show less" shortens them again."""
    page.goto("/")
    wait_drawn(page)
    run_code(page, LINEAR)
    page.locator("#step-slider").fill("3")
    expect(page.locator("#step-panel h3")).to_contain_text("AddmmBackward0")
    run = page.request.get(f"/api/runs/{page.evaluate('() => document.body.dataset.runId')}").json()
    addmm = next(n for n in run["backward"]["nodes"] if n["name"] == "AddmmBackward0")
    whole = [i["numbers"] for i in addmm["explain"]["inputs"] if i["numbers"] and len(i["numbers"]) > 160]
    assert whole, addmm["explain"]["inputs"]
    shown = page.locator("#step-panel .numbers .long-value")
    expect(shown).to_have_count(len(whole))
    for k, numbers in enumerate(whole):
        code, button = shown.nth(k).locator("code"), shown.nth(k).locator("button")
        short = code.text_content()
        assert (
            "…" in short
            and len(short) < 120
            and short.split(" ")[0] == numbers.split(" ")[0][: len(short.split(" ")[0])]
        )
        assert short.count(" · ") == numbers.count(" · ") and short.count(" = ") == numbers.count(" = ")
        button.click()
        expect(code).to_have_text(numbers)
        expect(button).to_have_text("show less")
        button.click()
        expect(code).to_have_text(short)


# The width of each math sign in the step's words, as a share of the words' font size.
SIGN_WIDTHS = """() => {
  const words = document.querySelector('#step-panel .explanation > .words');
  const size = parseFloat(getComputedStyle(words).fontSize);
  const out = {};
  for (const sign of ['∂', '×', '≤', '√', '⊙']) {
    const probe = document.createElement('span');
    probe.textContent = sign;
    words.append(probe);
    out[sign] = probe.getBoundingClientRect().width / size;
    probe.remove();
  }
  return out;
}"""


@pytest.mark.parametrize("context_options", [{"viewport": LAPTOP, "locale": loc} for loc in ("en-US", "ko-KR")])
def test_a_steps_words_draw_their_math_signs_as_wide_as_a_letter(page: Page):
    """The 2D example's MmBackward0 ends its words with `grad = ∂L/∂(X @ W)`, and the page read `∂ L/ ∂ (X @ W)`: with
    no Noto Sans installed (Debian's Chromium has Noto Sans CJK), the CJK font drew ∂ a full em wide, and the other
    signs the explanations write (x ≤ 0, √x, grad ⊙ x) too."""
    page.goto("/")
    wait_drawn(page)
    run_example(page, "linear-2d")
    page.locator("#step-slider").fill("6")
    expect(page.locator("#step-panel .explanation > .words")).to_contain_text("∂L/∂(X @ W)")
    widths = page.evaluate(SIGN_WIDTHS)
    assert widths["∂"] < 0.7 and all(width < 0.9 for width in widths.values()), widths


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1920, "height": 1080}, "locale": "en-US"}])
def test_a_window_made_smaller_mid_walk_measures_its_step_panel_again(page: Page):
    """The step panel's height is measured for the window's size when a run is shown: a window then made smaller, from
    1920x1080 to 1366x768, kept the walk's height measured at 1920 px, and the 2D example's steps scrolled."""
    page.goto("/")
    wait_drawn(page)
    page.locator("#projector").click()
    run_example(page, "linear-2d")
    page.locator("#step-slider").fill("1")
    page.set_viewport_size(LAPTOP)
    scrolled = page.evaluate(SCROLLED, 8)
    for _ in range(40):  # (measured again RESIZE_SETTLE_MS after the last resize: later on a busy machine)
        if not scrolled:
            break
        page.wait_for_timeout(250)
        scrolled = page.evaluate(SCROLLED, 8)
    assert scrolled == []


TWICE = """x = torch.tensor(2.0, requires_grad=True)
y = x ** 3
y.backward()
y.backward()
print(x.grad)
"""


@pytest.mark.parametrize("context_options", [{"viewport": LAPTOP, "locale": loc} for loc in ("en-US", "ko-KR")])
def test_a_second_backwards_stopped_step_says_pytorchs_first_sentence_and_fits(page: Page):
    """A second y.backward() stops in PowBackward0: its step wrote PyTorch's four sentences whole, then what the label
    shows and the hint that says the same in plain words, and scrolled 90 px at 1366x768. The step says the message's
    first sentence, "show all" gives it whole (the error's box by the code has it whole too), and the step fits."""
    page.goto("/")
    wait_drawn(page)
    run_code(page, TWICE)
    run = page.request.get(f"/api/runs/{page.evaluate('() => document.body.dataset.runId')}").json()
    message = f"{run['error']['type']}: {run['error']['message']}"
    count = int(page.locator("#step-slider").get_attribute("max") or 0) - 1
    page.locator("#step-slider").fill("1")
    assert count == 5 and page.evaluate(SCROLLED, count) == []
    error = page.locator("#step-panel .stopped-error")
    expect(error).to_contain_text("RuntimeError: Trying to backward through the graph a second time")
    shown = error.locator(".long-value > span")
    first = shown.text_content() or ""
    assert message.startswith(first) and first.endswith(".") and len(first) < len(message) / 2, first
    error.locator("button").click()
    expect(shown).to_have_text(message)
    expect(page.locator("#step-panel .hint")).to_contain_text("retain_graph=True")


@pytest.mark.parametrize("projector", [False, True], ids=["page", "projector"])
@pytest.mark.parametrize("context_options", [{"viewport": SMALL, "locale": loc} for loc in ("en-US", "ko-KR")])
def test_at_1280_the_step_controls_keep_one_line_with_the_inspector_open(page: Page, projector: bool):
    """A node clicked mid-walk at 1280x720 opens the inspector beside the graphs: the step controls took a second line
    (the speed under the buttons) and the graphs lost its 43 px. The slider gives up its width first."""
    page.goto("/")
    wait_drawn(page)
    if projector:
        page.locator("#projector").click()
    run_example(page, "linear-2d")
    page.locator("#step-slider").fill("3")
    expect(page.locator("body")).to_have_attribute("data-step", "3")
    page.locator("#forward-pane g.node").first.click()
    expect(page.locator("#inspector")).to_be_visible()
    middles = page.evaluate(
        "() => ['#step-first', '#step-slider', '#step-play', '#step-speed']"
        ".map(s => { const r = document.querySelector(s).getBoundingClientRect(); return r.top + r.height / 2; })"
    )
    assert max(middles) - min(middles) < 12, middles
    assert page.locator("#step-slider").bounding_box()["width"] >= 60
