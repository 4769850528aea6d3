"""Readable at first sight, on a laptop, a projector and a phone: no label under 12 CSS px when a seed example
opens, both panes at one scale, names from the code (never `t5`), the tutorial's small tensors whole; the first
visit shows the first example run with its output open; a SyntaxError says the code never ran; and the same walk
on a 390x844 phone in Korean, with a tap, a pinch and nothing wider than the screen."""

import re

import httpx
import pytest
from playwright.sync_api import CDPSession, Page, expect

from tests.helpers import SEED_DIR, SEED_FILES

from .conftest import SHOTS
from .helpers import node, records, run_example, wait_drawn, wait_shown

# Each drawn label's height on the screen and its font size times the picture's scale (CSS px), per pane.
LABEL_SIZES = """pane => [...document.querySelectorAll(`#${pane}-pane svg text`)].map(t => {
    const svg = t.ownerSVGElement;
    const scale = svg.getScreenCTM().a;
    return [t.textContent, t.getBoundingClientRect().height, Number(t.getAttribute('font-size')) * scale];
})"""
SCALES = "() => ['forward', 'backward'].map(v => document.querySelector(`#${v}-pane svg`)?.getScreenCTM().a)"
NO_OVERFLOW = "() => document.documentElement.scrollWidth <= window.innerWidth"
LAPTOPS = [{"width": 1440, "height": 900}, {"width": 1280, "height": 720}]


def post(base_url: str, code: str) -> dict:
    return httpx.post(f"{base_url}/api/runs", json={"code": code}, timeout=60).json()


def assert_readable(page: Page) -> None:
    for pane in ("forward", "backward"):
        for text, height, size in page.evaluate(LABEL_SIZES, pane):
            assert height >= 12 and size >= 12, (pane, text, height, size)


# Each drawn text that passes the box of its node, by how many px of the picture: [node text, px].
PAST_ITS_BOX = """() => [...document.querySelectorAll('#forward-pane g.node, #backward-pane g.node')].flatMap(node => {
    const shape = node.querySelector('polygon, ellipse, path');
    if (!shape) return [];
    const box = shape.getBBox();
    return [...node.querySelectorAll('text')].map(t => {
        const b = t.getBBox();
        return [t.textContent, Math.max(box.x - b.x, b.x + b.width - box.x - box.width)];
    }).filter(([, past]) => past > 0.5);
})"""
KOREAN_NAMES = """가중치 = torch.tensor([[0.5, -1.0], [2.0, 0.25]], requires_grad=True)
입력 = torch.tensor([1.0, 2.0])
손실 = F.mse_loss(torch.tanh(가중치 @ 입력), torch.zeros(2))
손실.backward()
"""


@pytest.mark.parametrize("locale", ["en-US", "ko-KR"])
def test_every_label_stays_inside_its_box_in_either_language(browser, base_url: str, locale: str):
    """Graphviz in the page measures text by its own table of the font's widths: every line, formulas and Korean
    names included, must still fit the box it sized."""
    codes = [path.read_text(encoding="utf-8") for path in SEED_FILES] + [KOREAN_NAMES]
    context = browser.new_context(base_url=base_url, viewport={"width": 1440, "height": 900}, locale=locale)
    try:
        page = context.new_page()
        for code in codes:
            page.goto(f"/runs/{post(base_url, code)['id']}")
            wait_drawn(page)
            expect(page.locator("#formulas")).to_be_checked()  # (the formulas' lines are the longest)
            assert page.evaluate(PAST_ITS_BOX) == [], code
    finally:
        context.close()


@pytest.mark.parametrize("viewport", LAPTOPS, ids=["1440x900", "1280x720"])
@pytest.mark.parametrize("path", SEED_FILES, ids=[p.stem for p in SEED_FILES])
def test_every_seed_example_opens_with_labels_of_12_px_or_more_at_one_scale(
    browser, base_url: str, path, viewport: dict
):
    run = post(base_url, path.read_text(encoding="utf-8"))
    context = browser.new_context(base_url=base_url, viewport=viewport, locale="en-US")
    try:
        page = context.new_page()
        page.goto(f"/runs/{run['id']}")
        wait_drawn(page)
        assert_readable(page)
        scales = [s for s in page.evaluate(SCALES) if s]
        assert max(scales) - min(scales) < 1e-6, scales  # both panes at one scale
        labels = records(page, "forward") + records(page, "backward")
        for record in labels:
            for text in record.split("|"):
                assert not re.fullmatch(r"t\d+", text.strip()), record
        assert page.evaluate(NO_OVERFLOW)
        page.screenshot(path=SHOTS / f"readable_{path.stem}_{viewport['width']}x{viewport['height']}.png")
    finally:
        context.close()


def test_the_2d_example_shows_w_grad_and_x_grad_whole_and_names_from_the_code(page: Page, base_url: str):
    page.goto("/")
    run_example(page, "linear-2d")
    forward = records(page, "forward")
    assert "W|(3, 1) float32|data [[0.1], [0.2], [0.3]]|grad [[-73.3], [-97.7], [-122.1]]" in forward
    x = next(r for r in forward if r.startswith("X|"))
    assert x == "X|(2, 3) float32|data [[1, 2, 3], [4, 5, 6]]|grad|[[-0.81, -1.62, -2.43],|\u00a0[-1.63, -3.26, -4.89]]"
    assert not [r for r in forward + records(page, "backward") if "…" in r.replace("(…)", "")]
    for label in ("X @ W", "y_pred - y_true", "(y_pred - y_true) ** 2"):
        assert any(r.startswith(f"{label}|") for r in forward), label
    node(page, "forward", "X @ W|").click()  # the inspector calls it the same
    expect(page.locator("#inspector-title")).to_have_text("X @ W")
    node(page, "backward", "AccumulateGrad (W)").click()
    expect(page.locator("#inspector")).to_contain_text("[[-73.3], [-97.7], [-122.1]]")
    run_id = page.evaluate("document.body.dataset.runId")
    svg = httpx.get(f"{base_url}/api/runs/{run_id}/forward.svg", timeout=60).text
    assert "4.89]]" in svg and "122.1]]" in svg and "X @ W" in svg  # the server's pictures too


def test_the_first_visit_shows_the_first_example_run_with_its_output_open(page: Page):
    page.goto("/")
    wait_drawn(page)
    assert "x|() float32|data 2|grad 4" in records(page, "forward")
    output = page.locator("#output")
    expect(output).to_have_attribute("open", "")
    expect(page.locator("#stdout")).to_contain_text("x에 대한 그래디언트: 4.0")
    assert page.url.endswith("/")


def test_one_to_one_fit_and_zoom_keep_both_panes_at_one_scale_and_projector_mode_enlarges(page: Page):
    page.goto("/")
    run_example(page, "linear-2d")
    first = page.evaluate(SCALES)
    page.locator("#forward-pane").get_by_role("button", name="Zoom in").click()
    zoomed = page.evaluate(SCALES)
    assert zoomed[0] > first[0] and abs(zoomed[0] - zoomed[1]) < 1e-6
    page.locator("#backward-pane").get_by_role("button", name="Fit the whole graph").click()
    fitted = page.evaluate(SCALES)
    assert abs(fitted[0] - fitted[1]) < 1e-6
    page.locator("#backward-pane").get_by_role("button", name="Actual size 1:1").click()
    assert page.evaluate(SCALES) == pytest.approx(first)
    page.get_by_role("button", name="Projector").click()
    expect(page.locator("body")).to_have_class(re.compile("projector"))
    for pane in ("forward", "backward"):
        assert min(size for _, _, size in page.evaluate(LABEL_SIZES, pane)) >= 17.9
    page.screenshot(path=SHOTS / "projector_2d.png")


# The computed font size (CSS px) of the body's text and of each heading and the legend, by its selector.
TYPE_SIZES = """() => Object.fromEntries(['body', '.brand', '.pane-head h2', '#about h2', '#step-panel h3',
    '.legend li span', '#inspector h2', '#inspector h3', '#inspector h4', '#inspector .kind']
    .map(s => [s, parseFloat(getComputedStyle(document.querySelector(s)).fontSize)]))"""


def test_projector_mode_enlarges_the_headings_and_the_legend_with_the_text(page: Page, base_url: str):
    """In projector mode the body's text went from 16 to 19.2 px, but the pane titles stayed 15.2 px, the step's and
    the example's titles 16 px and the legend 12.8 px: each now grows as much as the text."""
    run = post(base_url, (SEED_DIR / "6_linear_2d.py").read_text(encoding="utf-8"))
    page.goto(f"/runs/{run['id']}?step=6")
    wait_drawn(page)
    expect(page.locator("#about h2")).to_be_visible()  # (the example's explanation: its code is the example's)
    page.locator("#backward-pane g.node.running").click()  # (the inspector's headings: a backward node has every one)
    expect(page.locator("#inspector h4").first).to_be_visible()
    normal = page.evaluate(TYPE_SIZES)
    page.get_by_role("button", name="Projector").click()
    expect(page.locator("body")).to_have_class(re.compile("projector"))
    projector = page.evaluate(TYPE_SIZES)
    ratio = projector["body"] / normal["body"]
    assert ratio == pytest.approx(1.2)
    assert {s: projector[s] / size for s, size in normal.items()} == pytest.approx(dict.fromkeys(normal, ratio)), (
        normal,
        projector,
    )


def test_a_syntax_error_says_the_code_never_ran_and_marks_its_column(page: Page):
    page.goto("/")
    wait_drawn(page)
    page.evaluate(
        "document.querySelector('.CodeMirror').CodeMirror.setValue("
        "'x = torch.tensor(2.0, requires_grad=True)\\ny = x ** 2 +\\ny.backward()\\n')"
    )
    page.locator("#run").click()
    wait_shown(page)
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("SyntaxError")
    expect(alert).to_contain_text("line 2, column 13")
    expect(alert).to_contain_text("The code never ran")
    expect(alert).not_to_contain_text("no_grad")
    for pane in ("Forward graph", "Backward graph"):
        expect(page.get_by_role("region", name=pane)).to_contain_text("The code never ran")
    expect(page.locator(".CodeMirror .error-column")).to_have_count(1)  # one spot: column 13, past the "+"
    expect(page.locator(".CodeMirror .error-column.end")).to_have_count(1)


def test_a_non_scalar_backward_hint_names_the_snippets_tensor(page: Page):
    page.goto("/")
    wait_drawn(page)
    page.evaluate(
        "document.querySelector('.CodeMirror').CodeMirror.setValue("
        "'scores = torch.ones(3, requires_grad=True) * 2\\nscores.backward()\\n')"
    )
    page.locator("#run").click()
    wait_drawn(page)
    expect(page.get_by_role("alert")).to_contain_text("scores.backward(torch.ones_like(scores))")


PINCH = """async ({x, y}) => {
  // two fingers moving apart, as the browser reports a real pinch (pointer events)
  const canvas = document.querySelector('#forward-pane .canvas');
  const send = (type, id, px) => canvas.dispatchEvent(new PointerEvent(type, {
      pointerId: id, pointerType: 'touch', clientX: px, clientY: y, bubbles: true, isPrimary: id === 1}));
  send('pointerdown', 1, x - 20); send('pointerdown', 2, x + 20);
  for (let i = 1; i <= 10; i++) { send('pointermove', 1, x - 20 - 8 * i); send('pointermove', 2, x + 20 + 8 * i); }
  send('pointerup', 1, x - 100); send('pointerup', 2, x + 100);
}"""


@pytest.mark.parametrize(
    "context_options",
    [{"viewport": {"width": 390, "height": 844}, "locale": "ko-KR", "has_touch": True, "is_mobile": True}],
)
def test_a_phone_in_korean_runs_steps_taps_and_pinches_within_its_width(page: Page):
    page.goto("/")
    wait_drawn(page)
    expect(page.get_by_role("button", name="실행", exact=True)).to_be_visible()
    assert page.evaluate(NO_OVERFLOW)
    page.locator("#example").select_option("linear-2d")
    page.get_by_role("button", name="실행", exact=True).tap()
    page.wait_for_function("() => document.querySelectorAll('#forward-pane g.node').length > 10")
    wait_drawn(page)
    forward = page.get_by_role("region", name="순전파 그래프")
    box = forward.bounding_box()
    assert box["y"] < 844 * 0.5 and box["y"] + box["height"] > 0  # after Run the graphs are in view
    assert_readable(page)
    assert page.evaluate(NO_OVERFLOW)
    page.screenshot(path=SHOTS / "phone_ko_after_run.png")
    scrolled = page.evaluate("window.scrollY")
    tapped = page.locator("#forward-pane g.node.running, #forward-pane g.node").first
    tapped.tap()
    inspector = page.locator("#inspector")
    expect(inspector).to_be_visible()
    # the tap opened a sheet over the graph, and the page scrolled no further than the node tapped above it
    assert scrolled <= page.evaluate("window.scrollY") <= scrolled + 844 * 0.55
    assert tapped.bounding_box()["y"] + tapped.bounding_box()["height"] <= inspector.bounding_box()["y"]
    sheet = inspector.bounding_box()
    assert sheet["y"] + sheet["height"] <= 844 and sheet["y"] > 844 * 0.3
    page.screenshot(path=SHOTS / "phone_ko_inspector.png")
    page.get_by_role("button", name="닫기").tap()
    before = page.evaluate(SCALES)[0]
    canvas = page.locator("#forward-pane .canvas").bounding_box()
    page.evaluate(PINCH, {"x": canvas["x"] + canvas["width"] / 2, "y": canvas["y"] + canvas["height"] / 2})
    after = page.evaluate(SCALES)
    assert after[0] > before * 1.5 and abs(after[0] - after[1]) < 1e-6  # pinch zooms (both panes)
    page.get_by_role("button", name="다음 단계").tap()
    expect(page.locator("#backward-pane g.node.running")).to_have_count(1)
    expect(page.get_by_role("region", name="이번 단계")).to_contain_text("1/8단계")
    assert page.evaluate(NO_OVERFLOW)
    page.screenshot(path=SHOTS / "phone_ko_step.png")
    page.locator("#lang").tap()  # the English menu fits too
    expect(page.get_by_role("button", name="Run", exact=True)).to_be_visible()
    assert page.evaluate(NO_OVERFLOW)


PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "ko-KR", "has_touch": True, "is_mobile": True}


def swipe(
    session: CDPSession, fingers: list[tuple[float, float]], step: tuple[float, float], spread: float = 0
) -> None:
    """A real touch, as the browser gets one from a screen (it scrolls the page or not, as the page lets it): fingers
    down at `fingers`, each moved by `step` ten times, the second (if any) away from the first by `spread` a move."""
    touches = [{"x": x, "y": y, "id": i} for i, (x, y) in enumerate(fingers)]
    session.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": touches})
    for k in range(1, 11):
        moved = [
            {**t, "x": t["x"] + k * (step[0] + spread * (1 if t["id"] else -1)), "y": t["y"] + k * step[1]}
            for t in touches
        ]
        session.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": moved})
    session.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def settled(page: Page, expression: str):
    """What `expression` gives once the page stops moving (a swipe's fling scrolls on after the finger left)."""
    now = page.evaluate(expression)
    for _ in range(50):
        page.wait_for_timeout(100)
        now, before = page.evaluate(expression), now
        if now == before:
            return now
    raise AssertionError(f"still moving: {now}")


@pytest.mark.parametrize("context_options", [PHONE])
def test_on_a_phone_one_finger_scrolls_the_page_past_a_graph_and_two_move_the_graph(page: Page):
    """A graph pane is nearly a screen: one finger on it scrolls the page (it panned the graph, and the page could
    not be scrolled past), saying once that two fingers move the graph; two fingers pan and pinch it."""
    page.goto("/")
    wait_drawn(page)
    page.locator("#example").select_option("linear-2d")
    page.get_by_role("button", name="실행", exact=True).tap()
    page.wait_for_function("() => document.querySelectorAll('#forward-pane g.node').length > 10")
    wait_drawn(page)
    view = (
        "() => [scrollY, ...['scrollLeft', 'scrollTop'].map(k => document.querySelector('#forward-pane .canvas')[k])]"
    )
    before = page.evaluate(view)
    scale = page.evaluate(SCALES)[0]
    session = page.context.new_cdp_session(page)
    canvas = page.locator("#forward-pane .canvas").bounding_box()
    x, y = canvas["x"] + canvas["width"] / 2, canvas["y"] + canvas["height"] * 0.7
    swipe(session, [(x, y)], (0, -25))  # one finger, up the screen
    expect(page.locator("#forward-pane .touch-hint")).to_have_text("두 손가락으로 그래프를 움직이세요")
    after = settled(page, view)
    assert after[0] > before[0] + 100 and after[1:] == before[1:], (before, after)  # the page moved, the graph not
    assert page.evaluate(SCALES)[0] == scale
    page.screenshot(path=SHOTS / "phone_ko_one_finger.png")
    canvas = page.locator("#forward-pane .canvas").bounding_box()
    # (in the middle of what is on screen of it: the page scrolled the pane's top under the step buttons)
    bar = page.locator("#stepper").bounding_box()
    top = max(canvas["y"], bar["y"] + bar["height"])
    x, y = canvas["x"] + canvas["width"] / 2, (top + min(canvas["y"] + canvas["height"], 844)) / 2
    swipe(session, [(x - 20, y), (x + 20, y)], (0, -4), spread=8)  # two fingers apart, a little up
    assert settled(page, "() => scrollY") == after[0]  # the page stays where it is
    assert page.evaluate(SCALES)[0] > scale * 1.5  # the graph zooms
    expect(page.locator(".touch-hint")).to_have_count(0)  # (said for a moment)
    swipe(session, [(x, y + 100)], (0, -25))
    page.wait_for_timeout(200)
    expect(page.locator(".touch-hint")).to_have_count(0)  # (and once)


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1280, "height": 720}, "locale": "ko-KR"}])
def test_pane_titles_stay_whole_at_1280(page: Page):
    page.goto("/")
    wait_drawn(page)

    def titles_whole() -> None:
        for title in page.locator(".pane-head h2").all():
            box = title.bounding_box()
            assert box["height"] < 30, title.text_content()  # one line
            assert title.evaluate("h => h.scrollWidth <= h.clientWidth"), title.text_content()

    titles_whole()
    page.locator("#backward-pane g.node").first.click()  # the inspector opens beside the graphs
    expect(page.locator("#inspector")).to_be_visible()
    titles_whole()
    for pane in ("#forward-pane", "#backward-pane"):  # each graph keeps a readable width
        assert page.locator(pane).bounding_box()["width"] >= 1280 * 0.22, pane
