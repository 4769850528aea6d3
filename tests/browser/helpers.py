"""What the browser tests share: what the seed examples' nodes say, and how to read and drive the page."""

from playwright.sync_api import Page, expect

# What the tutorial prints, as the node records show it: "name|(shape) dtype|data …|grad …".
SEED = {
    "scalar": ["x|() float32|data 2|grad 4", "y|() float32|data 4|grad 1"],
    "vector": ["x|(3) float32|data [1, 2, 3]|grad [2, 4, 6]"],
    "no-grad": ["y|() float32|data 9"],
    "detach": ["y|() float32|data 9|grad None", "y_detached|() float32|data 9"],
    "linear-1d": [
        "x|() float32|data 1|grad -4",
        "w|() float32|data 2|grad -2",
        "y_pred|() float32|data 2|grad -2",
        "loss|() float32|data 1|grad 1",
    ],
    "linear-2d": [
        "y_pred|(2, 1) float32|data [[1.9], [3.7]]|grad [[-8.1], [-16.3]]",
        "loss|() float32|data 165.65|grad 1",
        "W|(3, 1) float32|data [[0.1], [0.2], [0.3]]|grad [[-73.3], [-97.7], [-122.1]]",
        "b|() float32|data 0.5|grad -24.4",
    ],
}


def records(page: Page, pane: str) -> list[str]:
    """Each drawn node of a pane as its record fields joined by "|"."""
    return page.eval_on_selector_all(
        f"#{pane}-pane g.node",
        "nodes => nodes.map(g => [...g.querySelectorAll('text')].map(t => t.textContent).join('|'))",
    )


def node(page: Page, pane: str, start: str):
    """The drawn node whose record starts with `start`."""
    index = next(i for i, record in enumerate(records(page, pane)) if record.startswith(start))
    return page.locator(f"#{pane}-pane g.node").nth(index)


def run_example(page: Page, example: str) -> None:
    page.locator("#example").select_option(example)
    page.locator("#run").click()
    wait_drawn(page)


def wait_shown(page: Page) -> None:
    """Until the page has shown what it was asked for: a run's graphs or a message in their place."""
    page.wait_for_function("() => document.body.dataset.drawMs !== undefined", timeout=30_000)


def wait_drawn(page: Page) -> None:
    """Until the page has drawn a run's graphs (in any language)."""
    wait_shown(page)
    expect(page.locator("#forward-pane")).to_have_attribute("data-state", "drawn")


SETTLE = """(ms) => new Promise((done) => {
  const start = performance.now();
  let frames = 0;
  const next = () => (++frames >= 2 && performance.now() - start >= ms ? done() : requestAnimationFrame(next));
  requestAnimationFrame(next);
})"""


def settle(page: Page, ms: float = 100) -> None:
    """Until the page has drawn two frames from now, and `ms` have passed: what it does as a pane changes size (its
    ResizeObserver) is done by then, however long a busy machine takes to draw the frames (a fixed wait alone may
    end before the first)."""
    page.evaluate(SETTLE, ms)


def run_code(page: Page, code: str) -> None:
    """Put `code` in the editor, run it, and wait until its graphs are drawn."""
    page.evaluate("code => document.querySelector('.CodeMirror').CodeMirror.setValue(code)", code)
    page.evaluate("() => delete document.body.dataset.drawMs")
    page.locator("#run").click()
    wait_drawn(page)


# Each step of the walk whose words do not all show in the step panel: [step, px scrolled out of sight].
SCROLLED = """async (count) => {
  const slider = document.querySelector('#step-slider');
  const out = [];
  for (let k = 1; k <= count; k++) {
    slider.value = String(k);
    slider.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    const panel = document.querySelector('#step-panel');
    if (panel.scrollHeight > panel.clientHeight + 1) out.push([k, panel.scrollHeight - panel.clientHeight]);
  }
  return out;
}"""
