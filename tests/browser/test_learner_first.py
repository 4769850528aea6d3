"""What a learner new to autograd met on a first visit and walking past the tutorial: the button to press in sight,
whatever the example's explanation and code take of the column; a loop's backward passes stepped through."""

import re

import pytest
import torch
from playwright.sync_api import Page

from .helpers import run_code, wait_drawn

# Whether a click at the middle of the Run button reaches it (not what lies over it), and it is inside the window.
RUN_REACHABLE = """() => {
    const r = document.querySelector('#run').getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return Boolean(hit && hit.closest('#run')) && r.bottom <= window.innerHeight;
}"""


@pytest.mark.parametrize(
    "context_options", [{"viewport": {"width": 1280, "height": 720}, "locale": loc} for loc in ("en-US", "ko-KR")]
)
def test_run_stays_in_sight_under_a_long_explanation_at_1280x720(page: Page):
    """At 1280x720 the legend sits under the code: the first visit's English explanation and code pushed Run under
    it (6 px of the button showed, a click met the legend). Run stays at the column's foot, for each seed example."""
    page.goto("/")
    wait_drawn(page)
    assert page.evaluate(RUN_REACHABLE)
    for example in ("vector", "linear-2d"):
        page.locator("#example").select_option(example)
        assert page.evaluate(RUN_REACHABLE), example


LOOP = """w = torch.tensor(1.0, requires_grad=True)
x = torch.tensor(2.0)
target = torch.tensor(6.0)
for step in range(5):
    loss = (w * x - target) ** 2
    loss.backward()
    with torch.no_grad():
        w -= 0.05 * w.grad
    w.grad.zero_()
"""
# The gradient rows of each drawn copy of the backward nodes whose name starts with `name`, as shown.
GRAD_ROWS = """name => [...document.querySelectorAll('#backward-pane g.node')]
    .filter(g => g.querySelector('text').textContent.startsWith(name))
    .map(g => [...g.querySelectorAll('text')].filter(t => !t.classList.contains('grad-hidden'))
        .map(t => t.textContent).filter(s => s.startsWith('grad')).join('|'))"""


def loop_grads() -> list[float]:
    """What w.grad holds right after each backward() of LOOP, from plain torch."""
    w, x, target, grads = torch.tensor(1.0, requires_grad=True), torch.tensor(2.0), torch.tensor(6.0), []
    for _ in range(5):
        ((w * x - target) ** 2).backward()
        assert w.grad is not None
        grads.append(float(w.grad))
        with torch.no_grad():
            w -= 0.05 * w.grad
        w.grad.zero_()
    return grads


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1366, "height": 768}, "locale": "en-US"}])
def test_each_copy_of_a_leafs_accumulategrad_shows_the_gradient_of_the_pass_stepped_through(page: Page):
    """A loop calling backward() each step: w's AccumulateGrad is drawn once per pass (past SHARED_USES, app/render.py),
    and at a step of an earlier pass
    every copy's gradient row was blank (their rows were taken for one label's lines, and hidden). Each copy shows the
    pass's gradient, PyTorch's, and the step says which pass of how many."""
    page.goto("/")
    wait_drawn(page)
    run_code(page, LOOP)
    grads = loop_grads()
    last = int(page.locator("#step-slider").get_attribute("max") or 0)
    seen = 0
    for k in range(1, last):  # (the first two passes: earlier ones than the last, whose gradients the picture has)
        if seen == 2:
            break
        page.locator("#step-slider").fill(str(k))
        head = page.locator("#step-panel h3").text_content() or ""
        if "AccumulateGrad (w)" not in head:
            continue
        found = re.search(r"pass (\d) of 5, #", head)
        assert found, head
        rows = page.evaluate(GRAD_ROWS, "AccumulateGrad (w)")
        assert len(rows) > 1 and all(row == f"grad {grads[int(found.group(1)) - 1]:g}" for row in rows), (head, rows)
        seen += 1
    assert seen == 2
