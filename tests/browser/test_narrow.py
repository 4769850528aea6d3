"""One column (a phone, a narrow notebook): the page's and the one-file run's graphs, the step panel and the legend
each take the column's whole width, one under the other, none over another."""

from itertools import pairwise
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from app.examples import EXAMPLES
from app.graph import make_run_id, parse_run
from app.recording import settings

from .helpers import run_example

PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "ko-KR", "is_mobile": True, "has_touch": True}

# Each shown child of the graphs' grid: its box, and the grid's width.
BOXES = """grid => ({width: grid.getBoundingClientRect().width,
  boxes: [...grid.children].filter(c => !c.hidden).map(c => {
    const r = c.getBoundingClientRect();
    return {name: c.id || c.className, top: r.top, bottom: r.bottom, width: r.width};
  })})"""


def assert_one_column(found: dict, shown: int) -> None:
    boxes = found["boxes"]
    assert len(boxes) == shown, boxes
    for box in boxes:
        assert box["width"] == pytest.approx(found["width"], abs=1), box  # (not pushed into a 0 px column)
    ordered = sorted(boxes, key=lambda box: box["top"])
    for above, below in pairwise(ordered):
        assert above["bottom"] <= below["top"] + 0.5, (above, below)  # none over another


@pytest.mark.parametrize("context_options", [PHONE])
def test_a_phone_shows_the_step_panel_of_a_run_without_backward_above_the_graphs(page: Page):
    """The tutorial's detach example records a backward graph but never calls backward(): no step buttons, and the
    panel says there are no steps. The phone layout spanned the forward pane over the panel's row: the pane covered
    the panel, and the grid made a second column for it, leaving the first 0 px wide (the legend 800 px tall in it)."""
    page.goto("/")
    run_example(page, "detach")
    expect(page.locator("#stepper")).to_be_hidden()
    panel = page.locator("#step-panel")
    expect(panel).to_contain_text("보여 줄 단계가 없습니다")
    assert_one_column(page.eval_on_selector(".graphs", BOXES), 3)  # panel, two panes
    assert_legend_under(page)
    run_example(page, "linear-1d")  # with steps: the buttons, the panes, then the panel
    assert_one_column(page.eval_on_selector(".graphs", BOXES), 4)
    assert_legend_under(page)
    run_example(page, "no-grad")  # no backward graph: no panel
    assert_one_column(page.eval_on_selector(".graphs", BOXES), 2)
    assert_legend_under(page)


def assert_legend_under(page: Page) -> None:
    """The page's legend (beside the graphs' grid, under the graphs and the inspector on a wide screen): in one column
    right under the graphs, as wide."""
    graphs, legend = page.evaluate(
        "() => ['.graphs', '.legend'].map(s => document.querySelector(s).getBoundingClientRect().toJSON())"
    )
    assert legend["width"] == pytest.approx(graphs["width"], abs=1), (graphs, legend)
    assert graphs["bottom"] <= legend["top"] <= graphs["bottom"] + 16, (graphs, legend)


@pytest.mark.parametrize("example", [EXAMPLES[3], EXAMPLES[4]], ids=["detach", "linear-1d"])
def test_the_one_file_run_on_a_phone_keeps_one_column(browser, tmp_path: Path, example):
    """The one-file run's narrow layout (static/embed.css) met the page's phone rule placing the step panel: the
    step buttons were squeezed into a 21 px column and the panel lay under the forward pane."""
    from app.capture import capture, dumps
    from app.embed import standalone_html

    run = parse_run(dumps(capture(example.code, **settings().capture_limits())))
    run.id, run.code = make_run_id(example.code, {}, run.torch_version or ""), example.code
    path = tmp_path / "run.html"
    path.write_text(standalone_html(run, settings()), encoding="utf-8")
    context = browser.new_context(offline=True, **PHONE)
    try:
        page = context.new_page()
        page.goto(path.as_uri())
        page.wait_for_function("() => document.querySelector('.gw-embed').dataset.state === 'drawn'", timeout=60_000)
        stepped = example is EXAMPLES[4]
        assert_one_column(page.eval_on_selector(".gw-embed .graphs", BOXES), 5 if stepped else 4)
    finally:
        context.close()
