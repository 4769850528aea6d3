"""A learner's walk-through on snippets the page was not made for (models, loops, long chains, Korean names, a
graph backward never ran through): at the default view every label is 12 CSS px or more and none is an internal
id; both panes share one scale; nothing is wider than the window; stepping lights the backward nodes in the order
PyTorch ran them with their explanations; a backward graph that never ran has the banner and no dashes."""

import re

import httpx
import pytest
from playwright.sync_api import expect

from .conftest import SHOTS
from .helpers import records, wait_drawn
from .test_readable import NO_OVERFLOW, SCALES, assert_readable

SNIPPETS = {
    "mlp": (
        "model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))\n"
        "x = torch.linspace(-1, 1, 20).view(5, 4)\n"
        "loss = F.mse_loss(model(x), torch.zeros(5, 1))\n"
        "loss.backward()\n"
    ),
    "long_chain": (
        "x = torch.tensor(0.5, requires_grad=True)\n"
        "y = x\n"
        "for _ in range(40):\n"
        "    y = torch.sin(y) * 1.5 + 0.1\n"
        "y.backward()\n"
    ),
    "korean_names": (
        "가중치 = torch.tensor([1.0, 2.0], requires_grad=True)\n"
        "입력 = torch.tensor([3.0, 4.0])\n"
        "출력 = (가중치 * 입력 + torch.exp(가중치)).sum()\n"
        "출력.backward()\n"
    ),
    "training_loop": (
        "w = torch.tensor(1.0, requires_grad=True)\n"
        "for _ in range(3):\n"
        "    loss = (w * 2 - 1) ** 2\n"
        "    loss.backward()\n"
        "    with torch.no_grad():\n"
        "        w -= 0.1 * w.grad\n"
        "    w.grad.zero_()\n"
    ),
    "never_backward": (
        "w = torch.ones(3, requires_grad=True)\nwith torch.no_grad():\n    frozen = w * 2\nz = (w * 3 + frozen).sum()\n"
    ),
}
DASHED_BACKWARD = """() => [...document.querySelectorAll('#backward-pane g.edge path, #backward-pane g.edge polygon')]
    .filter(p => (p.getAttribute('stroke-dasharray') || 'none') !== 'none').length"""


STEPS_WALKED = 8


def steps_of(order: list[dict]) -> list[dict | None]:
    """The page's steps: the nodes in the order backward ran them, each pass opened by a step (None) when several."""
    several = len({n.get("backward_pass") or 1 for n in order}) > 1
    steps: list[dict | None] = []
    current = None
    for node in order:
        if several and node.get("backward_pass") != current:
            current = node.get("backward_pass")
            steps.append(None)
        steps.append(node)
    return steps


def in_order(run: dict) -> list[dict]:
    """Each run of each node (a training loop's leaf runs in every pass), in the order backward made them."""
    ran = [
        {**node, "backward_pass": r.get("backward_pass") or 1, "order": r["order"]}
        for node in run["backward"]["nodes"]
        if node.get("order") is not None
        for r in [*(node.get("earlier_runs") or ()), node]
    ]
    return sorted(ran, key=lambda n: (n["backward_pass"], n["order"]))


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 720}, {"width": 390, "height": 844}], ids=["1280x720", "390x844"]
)
@pytest.mark.parametrize("name", list(SNIPPETS))
def test_an_unseen_snippet_reads_and_steps_as_the_tutorial_does(browser, base_url: str, name: str, viewport: dict):
    answer = httpx.post(f"{base_url}/api/runs", json={"code": SNIPPETS[name]}, timeout=60)
    assert answer.status_code == 201, answer.text
    run = answer.json()
    assert run["status"] == "ok", run["error"]
    phone = viewport["width"] < 500
    options = {"has_touch": True, "is_mobile": True} if phone else {}
    context = browser.new_context(base_url=base_url, viewport=viewport, locale="ko-KR" if phone else "en-US", **options)
    try:
        page = context.new_page()
        page.goto(f"/runs/{run['id']}")
        wait_drawn(page)
        assert_readable(page)
        scales = page.evaluate(SCALES)
        assert scales[0] == pytest.approx(scales[1], rel=1e-6)
        for record in records(page, "forward") + records(page, "backward"):
            for text in record.split("|"):
                assert not re.fullmatch(r"t\d+", text.strip()), record
        assert page.evaluate(NO_OVERFLOW)
        order = in_order(run)
        if not order:  # backward never ran: the banner, the graph drawn solid
            expect(page.locator("#backward-banner")).to_be_visible()
            expect(page.locator("#stepper")).to_be_hidden()
            assert page.evaluate(DASHED_BACKWARD) == 0
        else:
            expect(page.locator("#backward-banner")).to_be_hidden()
            page.locator("#step-slider").fill("0")
            panel = page.locator("#step-panel")
            language = "ko" if phone else "en"
            for k, node in enumerate(steps_of(order)[:STEPS_WALKED], 1):
                (page.locator("#step-next").tap if phone else page.locator("#step-next").click)()
                running = page.locator("#backward-pane g.node.running")
                if node is None:  # a backward pass begins: a step of its own
                    expect(running).to_have_count(0)
                    continue
                expect(running).to_have_count(1)
                assert running.get_attribute("data-node") == node["id"], (k, node["name"])
                expect(panel).to_contain_text(node["name"])
                expect(panel).to_contain_text(node["explain"]["inputs"][0]["formula"][language])
            assert_readable(page)  # stepping keeps the scale
            assert page.evaluate(NO_OVERFLOW)
        page.screenshot(path=SHOTS / f"walkthrough_{name}_{viewport['width']}x{viewport['height']}.png")
    finally:
        context.close()
