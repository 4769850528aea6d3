"""A teacher's and a learner's walk through the page after the tutorial: the pictures downloaded are the graph on the
screen (its formulas, in the page's language), and a limit that stopped the code is said as a stop, with its line."""

import re
import urllib.request

import pytest
from playwright.sync_api import Page, expect

from .helpers import run_example, wait_shown


def test_the_backward_pictures_downloaded_carry_the_formulas_shown_in_the_pages_language(page: Page, base_url: str):
    """The page draws each backward node with its local derivative (∂y/∂x = 2 · x) and, in Korean, "저장"; the SVG,
    PNG and DOT downloaded had neither: a teacher's slide was not the graph on the screen."""
    page.goto("/")
    page.locator("#lang").click()  # (to Korean)
    run_example(page, "scalar")
    link = page.locator("#run-links a[data-kind='backward.svg']")
    expect(link).to_have_attribute("href", f"/api/runs/{page.url.rsplit('/', 1)[1]}/backward.svg?formulas=ko")
    with urllib.request.urlopen(base_url + link.get_attribute("href"), timeout=30) as answer:
        svg = answer.read().decode()
    assert "∂y/∂x = 2 · x" in svg and "저장 x" in svg, svg[:400]
    expect(page.locator("#run-links a[data-kind='forward.svg']")).not_to_have_attribute("href", re.compile("formulas"))
    page.locator("#lang").click()  # (to English: the links follow)
    expect(page.locator("#run-links a[data-kind='backward.dot']")).to_have_attribute("href", re.compile("formulas=en"))
    page.locator("#formulas").uncheck()  # (no formulas on the nodes: none on the pictures)
    expect(page.locator("#run-links a[data-kind='backward.png']")).not_to_have_attribute("href", re.compile("formulas"))


PHONE = {
    "viewport": {"width": 390, "height": 844},
    "locale": "ko-KR",
    "is_mobile": True,
    "has_touch": True,
    "reduced_motion": "reduce",
}
# The running backward node wholly on screen under the step buttons, and the step's title and first numbers too.
NODE_AND_WORDS_ON_SCREEN = """() => {
    const bar = document.querySelector('#stepper').getBoundingClientRect();
    const g = document.querySelector('#backward-pane g.node.running');
    const panel = document.querySelector('#step-panel');
    const words = [panel.querySelector('h3'), panel.querySelector('.numbers') || panel.querySelector('.received')];
    const within = (r) => r.top >= bar.bottom - 1 && r.bottom <= innerHeight + 1;
    return Boolean(g) && within(g.getBoundingClientRect()) && words.every(w => w && within(w.getBoundingClientRect()));
}"""


@pytest.mark.parametrize("context_options", [PHONE])
def test_on_a_phone_each_step_shows_the_node_lit_and_its_numbers_on_one_screen(page: Page):
    """On a phone the step's words sat above the forward pane, and a step brought the backward pane up under the step
    buttons: the node lit was on screen, what it computes with this run's numbers a screen above it. The words now sit
    under the backward pane, and a step keeps both on screen."""
    page.goto("/")
    run_example(page, "linear-2d")
    for k in range(1, 9):
        page.locator("#step-next").tap()
        expect(page.locator("#step-panel h3")).to_contain_text(f"{k}/8단계")
        page.wait_for_function(NODE_AND_WORDS_ON_SCREEN, timeout=5_000)


def run_code(page: Page, code: str) -> None:
    page.evaluate("code => document.querySelector('.CodeMirror').CodeMirror.setValue(code)", code)
    page.evaluate("() => delete document.body.dataset.drawMs")
    page.locator("#run").click()
    wait_shown(page)


PRINTS_A_LOT = """import torch
x = torch.tensor(1.0, requires_grad=True)
for i in range(3000):
    print("step", i, "of a learner's loop, printed to see what happens")
y = x * 2
"""


def test_an_empty_graph_says_where_the_code_stopped_and_why(page: Page):
    """A snippet printing 150 KB stopped at the output limit before any op: the backward pane said it "stopped with an
    error" (it was gradwalk's limit, OutputLimit), and never which line an error stopped it on; a Korean page said the
    limit in English only."""
    page.goto("/")
    wait_shown(page)
    run_code(page, PRINTS_A_LOT)
    backward = page.locator("#backward-pane .pane-message")
    expect(backward).to_have_text(
        "No backward graph: the code stopped on line 4 (OutputLimit) before an operation was recorded for backward."
    )
    expect(page.locator("#error .hint")).to_have_count(0)  # (the English message says it all)
    page.locator("#lang").click()
    expect(backward).to_have_text(
        "역전파 그래프가 없습니다. 역전파용 연산이 기록되기 전에 코드가 4번 줄에서 멈췄습니다(OutputLimit)."
    )
    # gradwalk's own limit, said in English by the run: the Korean page says what stopped it and what to do
    hint = page.locator("#error .hint")
    expect(hint).to_contain_text(
        "허용된 양(GRADWALK_MAX_OUTPUT_BYTES)을 넘어서 gradwalk가 그 자리에서 실행을 멈췄습니다"
    )
    expect(hint).to_contain_text("반복문 안의 print를 줄이거나")
    run_code(page, "import torch\nx = [1, 2]\nprint(x)\nraise ValueError('stop here')\n")
    expect(page.locator("#forward-pane .pane-message")).to_have_text(
        "코드가 4번 줄에서 멈추기 전까지 기록된 텐서 연산이 없습니다(ValueError)."
    )


def test_a_tensor_that_is_two_inputs_of_a_node_is_told_which_input_each_gradient_goes_to(page: Page):
    """x * x: the step said "→ x grad_x = grad · x" twice, and the learner could not tell the two apart, while the
    next step adds "grad(MulBackward0 → input 0) + grad(MulBackward0 → input 1)"."""
    page.goto("/")
    wait_shown(page)
    run_code(page, "import torch\nx = torch.tensor(3.0, requires_grad=True)\ny = x * x\ny.backward()\n")
    page.locator("#step-next").click()
    to = page.locator("#step-panel .chain .to")
    expect(to).to_have_text(["→ x (input 0)", "→ x (input 1)"])
    page.locator("#lang").click()
    expect(to).to_have_text(["→ x (첫 번째 입력)", "→ x (두 번째 입력)"])
    page.locator("#backward-pane g.node").first.click()  # (the inspector's gradients sent, too)
    sent = page.locator("#inspector-body h4", has_text="→ x")
    expect(sent).to_have_text(["→ x (첫 번째 입력)", "→ x (두 번째 입력)"])
    page.locator("#inspector-close").click()
    run_example(page, "linear-1d")  # (inputs of different names: only their names)
    page.locator("#step-last").click()
    page.locator("#step-prev").click()
    page.locator("#step-prev").click()
    expect(to).to_have_text(["→ w", "→ x"])
