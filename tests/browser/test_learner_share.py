"""What a teacher preparing a class met sharing the page: a node inspected that a reload or the link copied lost, a
printed page whose graphs were blank frames and whose step's words were cut at the panel's foot (the one-file run's
too), and in Korean a long module name's formula running over the next input's words in a step."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .helpers import node, run_code, run_example, wait_drawn

LAPTOP = {"width": 1366, "height": 768}

# What printing leaves hidden or cut: [each node outside its pane or its picture], px of the step's words out of sight,
# [each control still shown].
PRINTED = """(root) => {
  const out = [];
  for (const canvas of document.querySelectorAll(root + ' .canvas')) {
    const svg = canvas.querySelector('svg');
    if (!svg) continue;
    const pane = canvas.getBoundingClientRect();
    const picture = svg.getBoundingClientRect();
    for (const g of svg.querySelectorAll('g.node')) {
      const r = g.getBoundingClientRect();
      const inside = (box) =>
        r.left >= box.left - 1 && r.right <= box.right + 1 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
      if (!inside(pane) || !inside(picture)) out.push(g.textContent.trim().split('\\n')[0]);
    }
  }
  const panel = document.querySelector(root + ' .step-panel');
  const shown = [...document.querySelectorAll(root + ' :is(.stepper, .zoom, .overview, #run, .more-below)')]
    .filter((e) => e.getClientRects().length).map((e) => e.className || e.id);
  return [out, panel.scrollHeight - panel.clientHeight, shown];
}"""


@pytest.mark.parametrize("context_options", [{"viewport": LAPTOP, "locale": "ko-KR"}])
def test_printed_the_page_shows_both_graphs_whole_and_the_steps_words(page: Page):
    """A teacher printed the 2D example at step 6 (MmBackward0, W's gradient) for a handout: both panes came out as
    blank frames with their zoom buttons and maps, and the step's words stopped at the panel's foot."""
    page.goto("/")
    run_example(page, "linear-2d")
    page.locator("#step-slider").fill("6")
    assert page.evaluate(PRINTED, "body")[0]  # (on screen the panes show a part of each graph)
    page.emulate_media(media="print")
    assert page.evaluate(PRINTED, "body") == [[], 0, []]
    expect(page.locator("#step-panel")).to_contain_text("[[-73.3], [-97.7], [-122.1]]")


def test_printed_the_one_file_run_shows_both_graphs_whole_and_its_code(page: Page, browser, tmp_path: Path):
    page.goto("/")
    run_example(page, "linear-2d")
    run_id = page.evaluate("document.body.dataset.runId")
    path = tmp_path / "run.html"
    path.write_bytes(page.request.get(f"/api/runs/{run_id}.html").body())
    context = browser.new_context(viewport=LAPTOP, locale="ko-KR", offline=True)
    try:
        opened = context.new_page()
        opened.goto(path.as_uri())
        opened.wait_for_function("() => document.querySelector('.gw-embed').dataset.state === 'drawn'", timeout=60_000)
        opened.emulate_media(media="print")
        assert opened.evaluate(PRINTED, ".gw-embed") == [[], 0, []]
        lines = opened.locator(".gw-lines")  # the code, whole (it stopped at line 15 of 31)
        assert lines.evaluate("e => e.scrollHeight - e.clientHeight") == 0
    finally:
        context.close()


@pytest.mark.parametrize("context_options", [{"viewport": LAPTOP, "locale": "ko-KR"}])
def test_the_node_inspected_survives_a_reload_and_goes_with_the_link(page: Page, browser, base_url):
    """The step was in the address, the node inspected not: a reload closed the inspector on W, and the link a teacher
    copied for "W as it gets its gradient" (step 8) opened without it."""
    page.goto("/")
    run_example(page, "linear-2d")
    page.locator("#step-slider").fill("8")
    node(page, "forward", "W|").click()
    expect(page.locator("#inspector h2")).to_have_text("W")
    assert "?step=8&node=" in page.url and page.locator("#permalink").input_value() == page.url
    page.reload()
    wait_drawn(page)
    expect(page.locator("#inspector h2")).to_have_text("W")
    assert page.evaluate("document.body.dataset.step") == "8"
    link = page.url
    page.keyboard.press("Escape")  # closed: the address drops the node
    expect(page.locator("#inspector")).to_be_hidden()
    assert page.url.endswith("?step=8")
    context = browser.new_context(base_url=base_url, viewport={"width": 390, "height": 844}, locale="en-US")
    try:
        fresh = context.new_page()
        fresh.goto(link)
        wait_drawn(fresh)
        expect(fresh.locator("#inspector h2")).to_have_text("W")
        expect(fresh.locator("#inspector")).to_contain_text("[[1, 4], [2, 5], [3, 6]] · [[-8.1], [-16.3]]")
    finally:
        context.close()


LONG_NAMES = """class Attn(nn.Module):
    def __init__(self):
        super().__init__()
        self.self_attn = nn.Linear(3, 3)
class Layer(nn.Module):
    def __init__(self):
        super().__init__()
        self.self_attn = Attn()
class Enc(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([Layer()])
model = nn.Module()
model.encoder = Enc()
x = torch.ones(2, 3)
out = model.encoder.layers[0].self_attn.self_attn(x)
out.pow(2).sum().backward()
"""

# Each piece of a step's inputs wider than its column: [px over, its text].
OVER_COLUMN = """() => [...document.querySelectorAll('#step-panel .chain > li')].flatMap((li) => {
  const column = li.getBoundingClientRect();
  return [...li.querySelectorAll('*')]
    .map((e) => [Math.round(e.getBoundingClientRect().right - column.right), e.textContent])
    .filter(([over]) => over > 1);
})"""


@pytest.mark.parametrize("context_options", [{"viewport": LAPTOP, "locale": loc} for loc in ("ko-KR", "en-US")])
def test_a_long_module_names_formula_stays_in_its_column(page: Page):
    """`model.encoder.layers.0.self_attn.self_attn.bias`: in Korean its formula, sized as one word, ran 82 px over the
    next input's column (`grad_x: 보내지 않음`) at AddmmBackward0's step; in English it wrapped."""
    page.goto("/")
    wait_drawn(page)
    run_code(page, LONG_NAMES)
    page.locator("#step-slider").fill("3")
    expect(page.locator("#step-panel h3")).to_contain_text("AddmmBackward0")
    assert page.evaluate(OVER_COLUMN) == []


@pytest.mark.parametrize(
    ("context_options", "said"),
    [
        (
            {"viewport": LAPTOP, "locale": "ko-KR"},
            "역전파가 여기서 시작합니다. 처음 받는 그래디언트 grad = 1 (값이 하나인",
        ),
        ({"viewport": LAPTOP, "locale": "en-US"}, "Backward starts here with grad = 1 (backward() on a single number"),
    ],
)
def test_the_loss_inspected_says_why_its_gradient_is_1(page: Page, said: str):
    """Every tensor of the 1D example said why its gradient is what it is, but the loss: `grad 1`, and no why. It says
    what the walk's first step says: backward() on a single number starts from ∂loss/∂loss = 1."""
    page.goto("/")
    run_example(page, "linear-1d")
    node(page, "forward", "loss|").click()
    sources = page.locator("#inspector .start-why")
    expect(sources).to_contain_text(said)
    expect(sources).to_contain_text("∂loss/∂loss = 1")
