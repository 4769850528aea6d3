"""Stepping through backward as a learner does: the tutorial's 2D example from before its first step to its last,
each step lighting the node PyTorch ran then and showing its explanation; a permalink to a step; keys; a leaf
reached by several paths adding up; several backward passes. The runs are made by the server (POST /api/runs),
their explanations by the capture engine."""

import re

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.helpers import SEED_DIR

from .conftest import SHOTS
from .helpers import settle, wait_drawn

GRADS = """pane => [...document.querySelectorAll(`#${pane}-pane svg text`)]
    .filter(t => getComputedStyle(t).visibility !== 'hidden' && !t.classList.contains('grad-pending'))
    .map(t => t.textContent).filter(t => t === 'grad' || t.startsWith('grad '))"""
EDGE_LABELS = """() => [...document.querySelectorAll('#backward-pane g.edge')]
    .filter(g => [...g.querySelectorAll('text')].some(t => getComputedStyle(t).visibility !== 'hidden')).length"""


def post(base_url: str, code: str) -> dict:
    """The Run of `code`, as the server made and stored it."""
    answer = httpx.post(f"{base_url}/api/runs", json={"code": code}, timeout=60)
    assert answer.status_code == 201, answer.text
    return answer.json()


def in_order(run: dict) -> list[dict]:
    ran = [n for n in run["backward"]["nodes"] if n.get("order") is not None]
    return sorted(ran, key=lambda n: (n.get("backward_pass") or 1, n["order"]))


def lit(page: Page) -> str:
    running = page.locator("#backward-pane g.node.running")
    expect(running).to_have_count(1)
    return running.get_attribute("data-node")


@pytest.fixture(scope="module")
def linear_2d(base_url: str) -> dict:
    return post(base_url, (SEED_DIR / "6_linear_2d.py").read_text(encoding="utf-8"))


def test_the_2d_example_stepped_from_first_to_last_lights_backwards_order_and_explains(page: Page, linear_2d):
    order = in_order(linear_2d)
    assert [n["name"] for n in order][:4] == ["MeanBackward0", "PowBackward0", "SubBackward0", "AddBackward0"]
    page.goto(f"/runs/{linear_2d['id']}")
    wait_drawn(page)
    assert len(page.evaluate(GRADS, "forward")) == 8  # every gradient shown before stepping
    page.get_by_role("button", name="To the start, before backward").click()
    assert page.url.endswith(f"/runs/{linear_2d['id']}?step=0")
    assert page.evaluate(GRADS, "forward") == [] and page.evaluate(GRADS, "backward") == []
    assert page.evaluate(EDGE_LABELS) == 0
    expect(page.locator("#backward-pane g.node.running")).to_have_count(0)
    panel = page.get_by_role("region", name="This step")
    expect(panel).to_contain_text("Before backward (8 steps)")
    page.screenshot(path=SHOTS / "steps_2d_0.png")
    for k, node in enumerate(order, 1):
        page.get_by_role("button", name="Next step").click()
        assert lit(page) == node["id"], k
        assert page.url.endswith(f"?step={k}")
        expect(page.locator("#step-count")).to_have_text(f"{k} / {len(order)}")
        expect(panel).to_contain_text(f"Step {k} of {len(order)}")
        expect(panel).to_contain_text(node["name"])
        explain = node["explain"]
        expect(panel).to_contain_text(explain["words"]["en"][:40])
        for entry in explain["inputs"]:
            expect(panel).to_contain_text(entry["formula"]["en"])
            if entry["numbers"]:
                expect(panel).to_contain_text(entry["numbers"])
        expect(panel).to_contain_text("matches PyTorch")
        expect(page.locator("#backward-pane g.node.running")).to_have_attribute("aria-current", "step")
        if node["tensor"]:  # its forward tensor lit in the other pane
            expect(page.locator(f'#forward-pane g.node.running[data-node="{node["tensor"]}"]')).to_have_count(1)
        if k in (1, 6, 8):
            page.screenshot(path=SHOTS / f"steps_2d_{k}.png")
    shown = page.evaluate(GRADS, "forward")
    assert "grad [[-73.3], [-97.7], [-122.1]]" in shown and "grad -24.4" in shown  # W.grad and b.grad, whole
    expect(page.get_by_role("button", name="Next step")).to_be_disabled()


def test_a_permalink_with_a_step_opens_on_that_step(page: Page, linear_2d):
    order = in_order(linear_2d)
    page.goto(f"/runs/{linear_2d['id']}?step=6")
    wait_drawn(page)
    assert lit(page) == order[5]["id"] and order[5]["name"] == "MmBackward0"
    panel = page.get_by_role("region", name="This step")
    expect(panel).to_contain_text("grad_W = Xᵀ · grad")
    expect(panel).to_contain_text("[[1, 4], [2, 5], [3, 6]] · [[-8.1], [-16.3]] = [[-73.3], [-97.7], [-122.1]]")
    assert page.locator("#step-slider").input_value() == "6"
    # the gradients MmBackward0 has not sent yet, or that were not known, stay hidden: X.grad, W.grad
    hidden = page.evaluate(GRADS, "forward")
    assert not any("-73.3" in g for g in hidden) and "grad -24.4" in hidden
    # a gradient not known yet says so on the node: no empty line is left
    pending = "() => [...document.querySelectorAll('#forward-pane text.grad-pending')].map(t => t.textContent)"
    assert page.evaluate(pending) == ["grad ?"] * 2  # X.grad and W.grad
    page.keyboard.press("ArrowRight")  # the keys step too
    assert lit(page) == order[6]["id"] and page.url.endswith("?step=7")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert lit(page) == order[4]["id"] and page.url.endswith("?step=5")
    page.locator("#step-slider").fill("2")
    assert lit(page) == order[1]["id"]
    page.reload()  # the address kept the step
    wait_drawn(page)
    assert lit(page) == order[1]["id"]
    assert page.evaluate(pending) == ["grad ?"] * 5  # (loss, its square and the difference sent: known)


def test_the_keyboard_stays_on_the_step_buttons_at_either_end(page: Page, linear_2d):
    """Enter on ▶ at the step before the last: ▶ is disabled at the last, and the keyboard goes to ◀, not the page."""
    count = len(in_order(linear_2d))
    page.goto(f"/runs/{linear_2d['id']}?step={count - 1}")
    wait_drawn(page)
    page.locator("#step-next").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#step-next")).to_be_disabled()
    assert page.evaluate("document.activeElement.id") == "step-prev"
    page.keyboard.press("Enter")
    assert page.url.endswith(f"?step={count - 1}")


def test_play_runs_the_steps_at_the_chosen_speed(page: Page, linear_2d):
    page.goto(f"/runs/{linear_2d['id']}")
    wait_drawn(page)
    page.locator("#step-speed").select_option("400")
    page.get_by_role("button", name="Play").click()
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    page.wait_for_function("() => document.body.dataset.step === '8'", timeout=10_000)
    expect(page.get_by_role("button", name="Play")).to_be_visible()


def test_a_leaf_reached_by_several_paths_shows_its_gradient_adding_up(page: Page, base_url: str):
    run = post(base_url, "x = torch.tensor(3.0, requires_grad=True)\ny = x * x + x\ny.backward()\n")
    order = in_order(run)
    page.goto(f"/runs/{run['id']}?step=1")
    wait_drawn(page)
    panel = page.get_by_role("region", name="This step")
    expect(panel).to_contain_text("x.grad so far, 1 of 3 paths")
    page.get_by_role("button", name="Last step").click()
    assert lit(page) == order[-1]["id"] and order[-1]["name"] == "AccumulateGrad"
    expect(panel).to_contain_text("x.grad adds up what its 3 paths brought")  # ("adds up all 2 paths" read badly)
    expect(panel).to_contain_text("1 + 3 + 3 = 7")
    # x * x sends to x along two edges: its step shows what x.grad holds so far once
    mul = next(k for k, node in enumerate(order, 1) if node["name"] == "MulBackward0")
    page.goto(f"/runs/{run['id']}?step={mul}")
    wait_drawn(page)
    expect(panel.locator(".accumulation")).to_have_count(1)


def test_several_backward_passes_are_steps_too(page: Page, base_url: str):
    code = (
        "w = torch.tensor(2.0, requires_grad=True)\na = w * 3\na.backward()\nb = w * w\nb.backward()\nprint(w.grad)\n"
    )
    run = post(base_url, code)
    page.goto(f"/runs/{run['id']}?step=1")
    wait_drawn(page)
    panel = page.get_by_role("region", name="This step")
    expect(panel).to_contain_text("backward pass 1")
    expect(page.locator("#backward-pane g.node.running")).to_have_count(0)
    page.get_by_role("button", name="Next step").click()
    page.get_by_role("button", name="Next step").click()  # w's AccumulateGrad, in pass 1 (it runs in both)
    expect(panel).to_contain_text("AccumulateGrad (w)")
    expect(panel).to_contain_text("grad = 3")
    page.get_by_role("button", name="Next step").click()
    expect(panel).to_contain_text("backward pass 2")


def test_a_backward_that_raised_ends_on_the_node_it_stopped_in_with_the_error_and_its_hint(page: Page, base_url: str):
    code = (
        "x = torch.tensor([1.0, 2.0], requires_grad=True)\n"
        "w = torch.tensor([3.0, 4.0], requires_grad=True)\n"
        "y = (x * w).sum()\n"
        "y.backward()\n"
        "y.backward()\n"
    )
    run = post(base_url, code)
    stopped = next(n for n in run["backward"]["nodes"] if n["raised_in_pass"] == 2)
    assert stopped["name"] == "MulBackward0" and run["error"]["backward_pass"] == 2
    page.goto(f"/runs/{run['id']}?step=0")
    wait_drawn(page)
    page.get_by_role("button", name="Last step").click()
    panel = page.get_by_role("region", name="This step")
    expect(panel).to_contain_text("MulBackward0 (x * w)")
    expect(panel).to_contain_text("Backward pass 2 stopped here")
    expect(panel).to_contain_text("grad = [1, 1]")  # what SumBackward0 sent it in pass 2
    expect(panel).to_contain_text("RuntimeError: Trying to backward through the graph a second time")
    expect(panel).to_contain_text("retain_graph=True")  # the hint
    expect(panel).to_contain_text("as they were before the earlier backward pass freed them")
    assert lit(page) == stopped["id"]
    expect(page.locator("#backward-pane g.node.running.stopped")).to_have_count(1)
    page.screenshot(path=SHOTS / "steps_stopped.png")
    page.get_by_role("button", name="Previous step").click()  # SumBackward0 in pass 2: it ran, nothing stopped
    expect(page.locator("#backward-pane g.node.stopped")).to_have_count(0)
    expect(panel).not_to_contain_text("stopped here")


def test_a_step_whose_gradient_a_hook_changed_says_what_arrived_and_what_the_hook_made_of_it(page: Page, base_url):
    code = (
        "x = torch.tensor([1.0, 2.0], requires_grad=True)\n"
        "y = x * 3\n"
        "y.register_hook(lambda g: g * 10)\n"
        "z = (y ** 2).sum()\n"
        "z.backward()\n"
    )
    run = post(base_url, code)
    mul = next(n for n in in_order(run) if n["name"] == "MulBackward0")
    page.goto(f"/runs/{run['id']}?step={mul['order'] + 1}")
    wait_drawn(page)
    panel = page.get_by_role("region", name="This step")
    expect(panel).to_contain_text("MulBackward0 (y)")
    expect(panel.locator(".hooked")).to_have_text(
        "Along the arrow came [6, 12]; a hook of the snippet's (register_hook) changed it, and what this node took "
        "in and computes with is [60, 120]."
    )
    page.get_by_role("button", name="Previous step").click()  # PowBackward0: what arrived is what it took in
    expect(panel.locator(".hooked")).to_have_count(0)


# The labels of the arrows a step's node sends along (lit "sending"): each wholly in its pane, none under the map.
SENT_LABELS = """() => {
    const pane = document.querySelector('#backward-pane .canvas').getBoundingClientRect();
    const map = document.querySelector('#backward-pane canvas.overview');
    const m = map && !map.hidden ? map.getBoundingClientRect() : null;
    return [...document.querySelectorAll('#backward-pane g.edge.sending text')].map((t) => {
        const b = t.getBoundingClientRect();
        const inside = b.left >= pane.left - 1 && b.top >= pane.top - 1 && b.right <= pane.right + 1
            && b.bottom <= pane.bottom + 1;
        const under = m && !(b.right <= m.left || b.left >= m.right || b.bottom <= m.top || b.top >= m.bottom);
        return inside && !under;
    });
}"""


def test_a_step_brings_the_gradients_its_node_sends_into_view_clear_of_the_map(page: Page, linear_2d):
    """The 2D example at 1280x800: MmBackward0 sends X's and W's gradients; the map covered W's."""
    page.set_viewport_size({"width": 1280, "height": 800})
    mm = next(n for n in in_order(linear_2d) if n["name"] == "MmBackward0")
    page.goto(f"/runs/{linear_2d['id']}?step={mm['order'] + 1}")
    wait_drawn(page)
    expect(page.locator("#backward-pane g.edge.sending")).to_have_count(2)
    shown = page.evaluate(SENT_LABELS)  # (a label of two lines is two texts)
    assert len(shown) >= 2 and all(shown), shown


def test_a_training_loops_leaf_is_a_step_of_every_pass_with_that_pass_gradient(page: Page, base_url: str):
    """The leaf's one AccumulateGrad runs in each pass of the loop: each pass has its step, with its own numbers."""
    code = (
        "w = torch.tensor(2.0, requires_grad=True)\nopt = torch.optim.SGD([w], lr=0.1)\nfor step in range(2):\n"
        "    opt.zero_grad()\n    loss = w * w\n    loss.backward()\n    opt.step()\n"
    )
    run = post(base_url, code)
    accumulate = next(n for n in run["backward"]["nodes"] if n["name"] == "AccumulateGrad")
    page.goto(f"/runs/{run['id']}?step=3")  # pass 1, MulBackward0, then the leaf
    wait_drawn(page)
    panel = page.get_by_role("region", name="This step")
    assert lit(page) == accumulate["id"]
    expect(panel).to_contain_text("AccumulateGrad (w)")
    expect(panel).to_contain_text("grad = 2 + 2 = 4")  # 2 · w, w = 2, along both arrows of w * w
    expect(panel.locator(".numbers code")).to_have_text("2 + 2 = 4")
    page.get_by_role("button", name="Last step").click()
    assert page.url.endswith("?step=6") and lit(page) == accumulate["id"]
    expect(panel).to_contain_text("grad = 1.6 + 1.6 = 3.2")  # w = 2 - 0.1 · 4 = 1.6
    expect(panel.locator(".numbers code")).to_have_text("1.6 + 1.6 = 3.2")
    # the inspector follows the step's pass: it showed the last pass's gradients whatever the step
    page.locator(f'#backward-pane g.node[data-node="{accumulate["id"]}"]').click()
    inspector = page.locator("#inspector")
    expect(inspector).to_contain_text("(pass 2); it ran in 2 passes, and the gradients shown here are pass 2's")
    expect(inspector.locator(".summary .scalar").first).to_have_text("3.2")
    expect(inspector.locator("dd").filter(has_text="line")).to_have_text("line 7")  # (w as pass 2 used it: step())
    page.get_by_role("slider").fill("3")
    expect(inspector).to_contain_text("(pass 1); it ran in 2 passes, and the gradients shown here are pass 1's")
    expect(inspector.locator(".summary .scalar").first).to_have_text("4")
    expect(inspector.locator(".numbers code")).to_have_text("2 + 2 = 4")
    expect(inspector.locator("dd").filter(has_text="line")).to_have_text("line 1")  # (where the code made w)
    page.get_by_role("slider").fill("2")  # (pass 1's MulBackward0: the leaf's turn is next)
    expect(inspector).to_contain_text("Not run yet at this step: backward reaches this node at step 3")
    expect(inspector.locator(".summary")).to_have_count(0)
    expect(inspector.locator(".numbers, .check")).to_have_count(0)  # (its numbers are those of a run to come)
    page.locator(f'#forward-pane g.node[data-node="{accumulate["tensor"]}"]').click()  # w: its .grad not known yet
    expect(inspector).to_contain_text("Not known yet at this step")
    page.get_by_role("slider").fill("6")  # (the last step: pass 2 brought w, as the code left it, its .grad)
    expect(inspector).not_to_contain_text("Not known yet at this step")
    page.get_by_role("slider").fill("2")
    page.locator(f'#backward-pane g.node[data-node="{accumulate["id"]}"]').click()
    page.get_by_role("slider").fill("0")  # (before backward: no pass, the last run's as without a step)
    expect(inspector).to_contain_text("(pass 2); it ran in earlier passes too, 1 before this one (the gradients shown")


def test_a_graph_run_again_shows_each_pass_values_on_its_nodes_and_arrows(page: Page, base_url: str):
    """`retain_graph=True`, x.grad zeroed, and once more: in each pass the arrow is drawn and the picture's labels are
    that pass's (the picture itself holds the last pass's), as the step panel says; the address keeps the step."""
    code = (
        "x = torch.tensor(2.0, requires_grad=True)\ny = x ** 3\ny.backward(retain_graph=True)\n"
        "y.backward(torch.tensor(2.0), retain_graph=True)\nx.grad.zero_()\ny.backward()\n"
    )
    run = post(base_url, code)
    edge_label = "() => [...document.querySelectorAll('#backward-pane g.edge text')].map(t => t.textContent)"
    node_grads = """() => [...document.querySelectorAll('#backward-pane g.node text')]
        .filter(t => t.textContent.startsWith('grad') && getComputedStyle(t).visibility !== 'hidden')
        .map(t => t.textContent)"""
    page.goto(f"/runs/{run['id']}?step=99")
    wait_drawn(page)
    assert page.url.endswith("?step=9")  # (past the last step: the last, in the address too)
    for step, arrow, grads in [
        (2, "12", ["grad 1", "grad ?"]),  # (x's node: backward has not reached it yet)
        (3, "12", ["grad 1", "grad 12"]),
        (5, "24", ["grad 2", "grad 12"]),
        (6, "24", ["grad 2", "grad 24"]),
    ]:
        page.get_by_role("slider").fill(str(step))
        expect(page.locator("#backward-pane g.edge").first).to_be_visible()
        assert page.evaluate(edge_label) == [arrow], step
        assert page.evaluate(node_grads) == grads, step
    page.get_by_role("button", name="Last step").click()
    assert page.evaluate(edge_label) == ["12"] and page.evaluate(node_grads) == ["grad 1", "grad 12"]


def test_an_early_pass_past_the_explained_bound_says_so_and_shows_what_flowed(page: Page, base_url: str):
    """60 passes of two nodes: the leaf's run in pass 1 is past GRADWALK_EXPLAIN_MAX_NODES (100, the last passes'
    first): its step says why it has no explanation, with the gradient it received then."""
    code = (
        "w = torch.tensor(2.0, requires_grad=True)\nfor step in range(60):\n    w.grad = None\n    loss = w * 3\n"
        "    loss.backward()\n    with torch.no_grad():\n        w -= 0.1\n"
    )
    run = post(base_url, code)
    assert run["status"] == "ok", run["error"]
    page.goto(f"/runs/{run['id']}?step=3")  # pass 1: its pass step, MulBackward0, the leaf
    wait_drawn(page)
    panel = page.get_by_role("region", name="This step")
    expect(panel).to_contain_text("AccumulateGrad (w)")
    expect(panel).to_contain_text("grad = 3")
    expect(panel).to_contain_text("explanations go to the last backward pass's nodes first")
    # (the words that end "What it sent along each arrow in this pass:" come before what it sent, not after it)
    order = "p => [...p.querySelectorAll('.explanation > .words, .explanation > .chain')].map(e => e.tagName)"
    assert panel.evaluate(order) == ["P", "UL"]
    page.get_by_role("button", name="Last step").click()
    expect(panel.locator(".numbers code")).to_have_text("3")
    expect(panel).not_to_contain_text("has no explanation")


def test_a_gradient_not_sent_to_a_cut_tensor_says_where_it_was_cut(page: Page, base_url: str):
    """`h = (x * w).detach()`: the step that sends nothing to h says why (the cut, its line), once, as the reason it was
    sent none (it said "(this input needs no gradient) (because h was cut off …)", two brackets), and x, which no
    gradient reached, says so in the inspector."""
    code = (
        "x = torch.tensor(2.0, requires_grad=True)\nw = torch.tensor(3.0, requires_grad=True)\n"
        "h = (x * w).detach()\nout = h * w\nout.backward()\n"
    )
    run = post(base_url, code)
    page.goto(f"/runs/{run['id']}?step=1")
    wait_drawn(page)
    panel = page.get_by_role("region", name="This step")
    expect(panel).to_contain_text(
        "grad_h: not sent (h was cut off from the graph on line 3 by .detach(), so it needs no gradient)"
    )
    assert panel.inner_text().count("needs no gradient") == 1  # (it said so twice: "(h needs no gradient: it was…")
    page.locator("#lang").click()
    expect(page.locator("#step-panel")).to_contain_text(
        "grad_h: 보내지 않음(h 텐서는 3번 줄의 .detach()로 그래프와 끊겨서 그래디언트가 필요 없습니다)"
    )
    assert page.locator("#step-panel").inner_text().count("필요 없습니다") == 1
    page.locator("#lang").click()
    x = next(n for n in run["forward"]["nodes"] if n.get("var") == "x")
    page.locator(f'#forward-pane g.node[data-node="{x["id"]}"]').click()
    expect(page.locator("#inspector")).to_contain_text("cut off from the graph on line 3 (.detach())")


def test_backward_never_called_has_a_banner_no_steps_and_no_dashed_backward_edge(page: Page):
    page.goto("/")
    page.locator("#example").select_option("detach")
    page.locator("#run").click()
    wait_drawn(page)
    banner = page.get_by_role("note")
    expect(banner).to_be_visible()
    expect(banner).to_have_text("backward() was not called: this is the graph PyTorch recorded, ready to run.")
    expect(page.locator("#stepper")).to_be_hidden()
    dashed = page.evaluate(
        """() => [...document.querySelectorAll('#backward-pane g.edge path, #backward-pane g.edge polygon')]
            .filter(p => (p.getAttribute('stroke-dasharray') || 'none') !== 'none').length"""
    )
    assert dashed == 0
    assert page.locator("#backward-pane g.edge").count() >= 1
    page.locator("#lang").click()
    expect(banner).to_contain_text("backward()를 호출하지 않았습니다")


BACKWARD_TEXTS = "() => [...document.querySelectorAll('#backward-pane svg text')].map(t => t.textContent)"


def test_backward_nodes_carry_their_formula_and_the_legend_switch_takes_it_off(page: Page, linear_2d):
    page.goto(f"/runs/{linear_2d['id']}")
    wait_drawn(page)
    assert {"∂L/∂X = grad · Wᵀ", "∂L/∂W = Xᵀ · grad", "X.grad += Σ grad over paths"} <= set(
        page.evaluate(BACKWARD_TEXTS)
    )
    switch = page.get_by_label("formula on each backward node")
    expect(switch).to_be_checked()
    switch.uncheck()
    expect(page.locator("#backward-pane svg text", has_text="∂L/∂W")).to_have_count(0)
    expect(page.locator("#backward-pane svg text", has_text="MmBackward0 (X @ W)")).to_have_count(1)
    page.reload()  # the choice is remembered
    wait_drawn(page)
    expect(page.get_by_label("formula on each backward node")).not_to_be_checked()
    assert not any("∂L/∂W" in text for text in page.evaluate(BACKWARD_TEXTS))
    page.get_by_label("formula on each backward node").check()
    expect(page.locator("#backward-pane svg text", has_text="∂L/∂W = Xᵀ · grad")).to_have_count(1)
    page.get_by_role("button", name="한국어").click()  # the formulas follow the language
    expect(page.locator("#backward-pane svg text", has_text="X.grad += Σ 경로별 그래디언트")).to_have_count(1)
    page.get_by_role("button", name="English").click()


def test_the_inspector_of_mm_backward_explains_w_grad_with_its_numbers_and_check(page: Page, linear_2d):
    page.goto(f"/runs/{linear_2d['id']}")
    wait_drawn(page)
    mm = next(n for n in linear_2d["backward"]["nodes"] if n["name"] == "MmBackward0")
    page.locator(f'#backward-pane g.node[data-node="{mm["id"]}"]').click()
    inspector = page.locator("#inspector")
    expect(inspector).to_be_visible()
    expect(inspector).to_contain_text("grad_W = Xᵀ · grad")
    expect(inspector).to_contain_text("[[1, 4], [2, 5], [3, 6]] · [[-8.1], [-16.3]] = [[-73.3], [-97.7], [-122.1]]")
    expect(inspector.locator(".check.ok")).to_have_count(2)
    sent_to = inspector.locator(".explanation .chain .to").all_text_contents()
    assert sent_to == ["→ X", "→ W"]
    # the gradients it sent, each under the name of where it went (two tables, X's 2×3 and W's 3×1, said nothing)
    sent = inspector.locator("h3", has_text="gradients sent").locator("xpath=following-sibling::*")
    assert sent.locator("xpath=self::h4").all_text_contents()[:2] == ["→ X", "→ W"]
    assert "-0.81" in sent.nth(1).inner_text() and "-73.3" in sent.nth(3).inner_text()
    page.screenshot(path=SHOTS / "inspector_mm_backward.png")


# Where a node is in its pane, from its top (0) to its bottom (1): [its top, its bottom].
IN_VIEW = """([pane, title]) => {
    const canvas = document.querySelector(`#${pane}-pane .canvas`).getBoundingClientRect();
    const g = [...document.querySelectorAll(`#${pane}-pane g.node`)]
        .find(g => g.querySelector('text')?.textContent === title);
    const b = g.getBoundingClientRect();
    return [(b.top - canvas.top) / canvas.height, (b.bottom - canvas.top) / canvas.height];
}"""


def test_a_forward_graph_too_tall_for_its_pane_opens_on_its_loss_with_what_made_it_above(page: Page, base_url):
    """At 1280 by 800 the 1D example's forward graph opened with its loss in the middle of the pane and the room kept
    for the overview map under it: the ops that made the loss were out of sight. (In the room the step panel leaves,
    the loss and the op that made it: the tensor above them is shown whole or not at all, never its values without
    its name.)"""
    code = (SEED_DIR / "5_linear_1d.py").read_text()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"/runs/{post(base_url, code)['id']}?step=0")
    wait_drawn(page)
    loss, made = page.evaluate(IN_VIEW, ["forward", "loss"]), page.evaluate(IN_VIEW, ["forward", "pow"])
    assert 0.6 < loss[1] <= 1 and 0 <= made[0] < made[1] < loss[0], (loss, made)
    assert page.evaluate(CUT_AT_THE_TOP) == []


RUNNING_OUTLINE = """() => {
    const shape = document.querySelector('#backward-pane g.node.running > polygon');
    const style = getComputedStyle(shape);
    return [style.stroke, parseFloat(style.strokeWidth)];
}"""


def test_projector_mode_keeps_the_steps_node_marked_and_in_view(page: Page, linear_2d):
    """In projector mode every outline turned black and thin, the running node's too (the legend still said red),
    and the graphs opened again at the root, the step's node out of sight."""
    page.goto(f"/runs/{linear_2d['id']}?step=6")
    wait_drawn(page)
    page.get_by_role("button", name="Projector").click()
    expect(page.locator("body")).to_have_class(re.compile("projector"))
    stroke, width = page.evaluate(RUNNING_OUTLINE)
    accent = page.evaluate("getComputedStyle(document.body).getPropertyValue('--accent').trim()")
    assert accent == "#b42300" and stroke == "rgb(180, 35, 0)" and width >= 5
    assert [inside for pane, inside, _ in page.evaluate(LIT_IN_VIEW) if pane == "backward"] == [True]


# Where each lit node is in its pane: [pane, wholly inside its canvas, clear of the overview map].
LIT_IN_VIEW = """() => ['forward', 'backward'].flatMap(pane => {
    const canvas = document.querySelector(`#${pane}-pane .canvas`).getBoundingClientRect();
    const map = document.querySelector(`#${pane}-pane canvas.overview`);
    const m = map && !map.hidden ? map.getBoundingClientRect() : null;
    return [...document.querySelectorAll(`#${pane}-pane g.node.running`)].map(g => {
        const b = g.getBoundingClientRect();
        const inside = b.left >= canvas.left - 1 && b.right <= canvas.right + 1
            && b.top >= canvas.top - 1 && b.bottom <= canvas.bottom + 1;
        const under = m !== null && !(b.right <= m.left || b.left >= m.right || b.bottom <= m.top || b.top >= m.bottom);
        return [pane, inside, !under];
    });
})"""
PANE_HEIGHTS = "() => ['forward', 'backward'].map(v => document.querySelector(`#${v}-pane`).offsetHeight)"


@pytest.mark.parametrize("locale", ["ko-KR", "en-US"])
@pytest.mark.parametrize("example", ["1_scalar", "6_linear_2d"])
def test_each_step_shows_its_lit_nodes_whole_and_the_graphs_stay_put(browser, base_url: str, example, locale):
    """On a 1366x768 laptop each step's explanation has its own length: the panes above it kept shrinking as the
    panel grew (427, 305 then 295 px at the opening, step 0 and step 3); now they keep one size from the walk's start
    to the last step (the opening, before it, gives them more: test_room.py), and the nodes a step lights (in both
    graphs) are wholly in view, clear of the overview map (the scalar example's y was cut in half at step 1)."""
    run = post(base_url, (SEED_DIR / f"{example}.py").read_text(encoding="utf-8"))
    context = browser.new_context(base_url=base_url, viewport={"width": 1366, "height": 768}, locale=locale)
    try:
        page = context.new_page()
        page.goto(f"/runs/{run['id']}")
        wait_drawn(page)
        opening = page.evaluate(PANE_HEIGHTS)
        page.locator("#step-first").click()
        heights = page.evaluate(PANE_HEIGHTS)
        assert all(walk < at_opening for walk, at_opening in zip(heights, opening, strict=True)), (opening, heights)
        for _ in range(len(in_order(run))):
            page.locator("#step-next").click()
            settle(page)  # (what a ResizeObserver would still do)
            assert page.evaluate(PANE_HEIGHTS) == heights, page.locator("#step-count").text_content()
            for pane, inside, clear in page.evaluate(LIT_IN_VIEW):
                assert inside and clear, (page.locator("#step-count").text_content(), pane, inside, clear)
        page.screenshot(path=SHOTS / f"steps-{example}-{locale}.png")
    finally:
        context.close()


# The backward pane at the step shown, each box as [left, top, right, bottom]: its canvas, what the overview map
# covers, the running node, the labels of the arrows it sends along, and the nodes `targets` (ids) those
# arrows go to, whole and by their name (their first row).
FRAMING = """targets => {
    const pane = document.querySelector('#backward-pane');
    const box = e => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
    const node = id => pane.querySelector(`g.node[data-node="${id}"]`);
    return {
        canvas: box(pane.querySelector('.canvas')),
        covered: [...pane.querySelectorAll('canvas.overview')].filter(e => !e.hidden).map(box),
        node: box(pane.querySelector('g.node.running')),
        labels: [...pane.querySelectorAll('g.edge.sending text')].map(box),
        arriving: [...pane.querySelectorAll('g.edge.arriving text')].map(box),
        targets: targets.map(id => box(node(id))),
        names: targets.map(id => box(node(id).querySelector('text'))),
    };
}"""
MARGIN = 8 + 2  # CSS px panzoom keeps between what it brings into view and the pane's edges, and a little more
GAP = 6  # CSS px it keeps between a node and the overview map (static/js/overview.js)


def in_view(boxes: list[list[float]], canvas: list[float], covered: list[list[float]]) -> bool:
    """Whether every box is wholly inside the canvas and clear of what the overview map covers."""
    inside = all(
        b[0] >= canvas[0] - 1 and b[1] >= canvas[1] - 1 and b[2] <= canvas[2] + 1 and b[3] <= canvas[3] + 1
        for b in boxes
    )
    return inside and all(b[2] <= m[0] or b[0] >= m[2] or b[3] <= m[1] or b[1] >= m[3] for b in boxes for m in covered)


def fit(boxes: list[list[float]], canvas: list[float], covered: list[list[float]]) -> bool:
    """Whether boxes shown together fit in the canvas above the overview map's corner, or beside it."""
    w, h = max(b[2] for b in boxes) - min(b[0] for b in boxes), max(b[3] for b in boxes) - min(b[1] for b in boxes)
    width, height = canvas[2] - canvas[0], canvas[3] - canvas[1]
    corner_w = canvas[2] - min(m[0] for m in covered) + GAP if covered else 0
    corner_h = canvas[3] - min(m[1] for m in covered) + GAP if covered else 0
    above = w <= width - 2 * MARGIN and h <= height - corner_h - 2 * MARGIN
    return above or (w <= width - corner_w - 2 * MARGIN and h <= height - 2 * MARGIN)


MLP_STEP = """model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
inputs = torch.randn(5, 4)
targets = torch.tensor([0, 2, 1, 1, 0])
loss = F.cross_entropy(model(inputs), targets)
loss.backward()
"""


@pytest.mark.parametrize("example", ["linear_2d", "mlp"])
def test_each_step_frames_its_node_with_where_its_gradients_go(browser, base_url: str, linear_2d, example: str):
    """At 1366x768 the panes are about 295 px tall: a step brought its node and the labels of its arrows into view,
    and the nodes its gradients go to (AccumulateGrad (X) and (W) at MmBackward0's step) stayed cut off. Now each
    step shows its node, the labels and the nodes they go to where they fit together, else at least their names;
    with them the label of the arrow that brought the node its gradient (the MLP's ReluBackward0 had it cut off at
    the pane's right edge: the labels the step sends were brought into view, not the one it received)."""
    run = linear_2d if example == "linear_2d" else post(base_url, MLP_STEP)
    order = in_order(run)
    edges = run["backward"]["edges"]
    context = browser.new_context(base_url=base_url, viewport={"width": 1366, "height": 768}, locale="ko-KR")
    try:
        page = context.new_page()
        page.goto(f"/runs/{run['id']}?step=0")
        wait_drawn(page)
        framed = named = 0
        for k, node in enumerate(order, 1):
            page.locator("#step-next").click()
            assert lit(page) == node["id"]
            targets = [e["target"] for e in edges if e["source"] == node["id"]]
            f = page.evaluate(FRAMING, targets)
            came = [f["node"], *f["arriving"]]
            whole, names = [*came, *f["labels"], *f["targets"]], [*came, *f["labels"], *f["names"]]
            if targets and fit(whole, f["canvas"], f["covered"]):
                assert in_view(whole, f["canvas"], f["covered"]), (k, node["name"], f)
                framed += 1
            elif targets and fit(names, f["canvas"], f["covered"]):
                assert in_view(names, f["canvas"], f["covered"]), (k, node["name"], f)
                named += 1
            elif fit(came, f["canvas"], f["covered"]):
                assert in_view(came, f["canvas"], f["covered"]), (k, node["name"], f)
            assert in_view([f["node"]], f["canvas"], f["covered"]), (k, node["name"], f)
            page.screenshot(path=SHOTS / f"steps-framed-{example}-{k}.png")
        assert framed + named >= 2, (framed, named)  # (the 2D example has steps whose targets fit)
    finally:
        context.close()


# Each node the top edge of a pane's canvas cuts (its name, on its first row, hidden under the pane's header):
# [pane, the node's first text].
CUT_AT_THE_TOP = """() => ['forward', 'backward'].flatMap(pane => {
    const canvas = document.querySelector(`#${pane}-pane .canvas`).getBoundingClientRect();
    return [...document.querySelectorAll(`#${pane}-pane g.node`)].filter(g => {
        const b = g.getBoundingClientRect();
        return b.top < canvas.top - 0.5 && b.bottom > canvas.top && b.right > canvas.left && b.left < canvas.right;
    }).map(g => [pane, g.querySelector('text').textContent]);
})"""


@pytest.mark.parametrize("example", ["1_scalar", "6_linear_2d"])
def test_no_node_opens_with_its_name_under_the_pane_header(browser, base_url: str, example: str):
    """At 1366x768 the scalar example opened with x's record cut by the top of the forward pane: its values showed,
    its name was under the pane's header."""
    context = browser.new_context(base_url=base_url, viewport={"width": 1366, "height": 768}, locale="ko-KR")
    try:
        page = context.new_page()
        if example == "1_scalar":  # (the first visit opens on it)
            page.goto("/")
        else:
            page.goto(f"/runs/{post(base_url, (SEED_DIR / f'{example}.py').read_text(encoding='utf-8'))['id']}")
        wait_drawn(page)
        assert page.evaluate(CUT_AT_THE_TOP) == []
    finally:
        context.close()


def test_all_steps_has_a_place_of_its_own_on_the_slider(page: Page, linear_2d):
    """The opening "all steps" put the slider where step 8 of 8 puts it: it now sits past the last step, ◀ and ←
    come back to the last step, and the slider taken there shows all steps again."""
    count = len(in_order(linear_2d))
    page.goto(f"/runs/{linear_2d['id']}")
    wait_drawn(page)
    slider = page.locator("#step-slider")
    expect(page.locator("#step-count")).to_have_text("all steps")
    assert slider.input_value() == str(count + 1) == slider.get_attribute("max")
    page.get_by_role("button", name="Previous step").click()
    expect(page.locator("#step-count")).to_have_text(f"{count} / {count}")
    assert slider.input_value() == str(count) and page.url.endswith(f"?step={count}")
    slider.fill(str(count + 1))
    expect(page.locator("#step-count")).to_have_text("all steps")
    assert page.evaluate("document.body.dataset.step") == "" and not page.url.endswith(f"?step={count}")
    page.keyboard.press("ArrowLeft")  # (on the slider: a step back from all steps is the last step)
    expect(page.locator("#step-count")).to_have_text(f"{count} / {count}")
    slider.fill(str(count + 1))
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("ArrowRight")  # (the page's keys: from all steps, → starts at step 1)
    expect(page.locator("#step-count")).to_have_text(f"1 / {count}")
    page.keyboard.press("End")
    assert slider.input_value() == str(count)


@pytest.mark.parametrize(
    "context_options",
    [
        {
            "viewport": {"width": 1440, "height": 900},
            "locale": "en-US",
            "permissions": ["clipboard-read", "clipboard-write"],
        }
    ],
)
def test_the_link_copied_opens_on_the_step_shown(page: Page, linear_2d):
    """The address bar said ?step=6; the permalink field and Copy link gave the run without its step."""
    page.goto(f"/runs/{linear_2d['id']}?step=6")
    wait_drawn(page)
    permalink = page.locator("#permalink")
    assert permalink.input_value() == page.url and page.url.endswith("?step=6")
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator("#copied")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == page.url
    page.keyboard.press("ArrowRight")
    assert permalink.input_value() == page.url and page.url.endswith("?step=7")
    page.locator("#step-slider").fill(str(len(in_order(linear_2d)) + 1))  # all steps: the run's own link
    assert permalink.input_value() == page.url and page.url.endswith(f"/runs/{linear_2d['id']}")


# Each drawn edge label of the backward pane: [its text, whether it has a light halo drawn under its letters].
EDGE_HALOS = """() => [...document.querySelectorAll('#backward-pane g.edge text')].map(t => {
    const style = getComputedStyle(t);
    const halo = style.paintOrder.startsWith('stroke') && style.stroke === 'rgb(255, 255, 255)'
        && parseFloat(style.strokeWidth) >= 2;
    return [t.textContent, halo];
})"""


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 390, "height": 844}, "locale": "en-US"}])
def test_the_gradient_on_a_lit_edge_stays_readable_over_its_thick_line(page: Page, linear_2d):
    """On a phone the scalar example's arriving gradient "4" sat on its orange 3.5 px line, orange and bold too:
    every edge label now has a white halo under its letters, lit or not."""
    page.goto(f"/runs/{linear_2d['id']}?step=2")
    wait_drawn(page)
    expect(page.locator("#backward-pane g.edge.arriving")).not_to_have_count(0)
    halos = page.evaluate(EDGE_HALOS)
    assert halos and all(halo for _, halo in halos), halos


# Whether the running backward node is wholly in the window, below the step buttons, and the buttons are on screen.
RUNNING_ON_SCREEN = """() => {
    const g = document.querySelector('#backward-pane g.node.running');
    const bar = document.querySelector('#stepper').getBoundingClientRect();
    if (!g) return false;
    const b = g.getBoundingClientRect();
    return b.top >= bar.bottom - 1 && b.bottom <= innerHeight + 1 && bar.top >= -1 && bar.bottom <= innerHeight;
}"""


def test_stepping_on_a_phone_brings_the_running_node_on_screen_once(browser, base_url: str):
    """A phone (390x844): the panes one above the other, each 62vh; the running node sat below the screen while the
    person stepped at the top of the page, and nothing moved. Now the first step brings the backward pane up under
    the step buttons, which stay on screen; the steps after it move the pane's view, not the page."""
    run = post(base_url, MLP_STEP)
    order = in_order(run)
    context = browser.new_context(
        base_url=base_url, viewport={"width": 390, "height": 844}, locale="ko-KR", reduced_motion="reduce"
    )
    try:
        page = context.new_page()
        page.goto(f"/runs/{run['id']}?step=0")
        wait_drawn(page)
        page.locator("#stepper").scroll_into_view_if_needed()
        scrolled = []
        for k, node in enumerate(order, 1):
            page.locator("#step-next").click()
            assert lit(page) == node["id"]
            page.wait_for_function(RUNNING_ON_SCREEN, timeout=5_000)
            scrolled.append(page.evaluate("scrollY"))
            page.screenshot(path=SHOTS / f"steps-phone-{k}.png")
        assert len(set(scrolled)) == 1, scrolled  # (the page moved once: each step after, the pane's view moved)
    finally:
        context.close()


# Whether the first line of the step's chain rule is wholly inside the step panel as it opens (not scrolled).
CHAIN_IN_PANEL = """() => {
    const panel = document.querySelector('#step-panel');
    const line = panel.querySelector('.chain li code');
    const p = panel.getBoundingClientRect(), b = line.getBoundingClientRect();
    return panel.scrollTop === 0 && b.top >= p.top && b.bottom <= p.bottom;
}"""


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 768}, {"width": 390, "height": 844}])
def test_a_large_received_gradient_is_cut_short_and_the_chain_rule_stays_in_the_panel(browser, base_url, viewport):
    """The MLP's ReluBackward0 receives a 5x8 gradient: written whole it took the step panel's height at 1366x768 and
    pushed the chain rule, with the run's numbers, out of view. It is cut short with a button that shows it whole."""
    run = post(base_url, MLP_STEP)
    relu = next(n for n in in_order(run) if n["name"] == "ReluBackward0")
    context = browser.new_context(base_url=base_url, viewport=viewport, locale="ko-KR")
    try:
        page = context.new_page()
        page.goto(f"/runs/{run['id']}?step={relu['order'] + 1}")
        wait_drawn(page)
        received = page.locator("#step-panel .received code")
        expect(received).to_contain_text("…")
        assert page.evaluate(CHAIN_IN_PANEL)
        page.screenshot(path=SHOTS / f"steps-long-received-{viewport['width']}.png")
        more = page.locator("#step-panel .received button")
        more.click()
        expect(more).to_have_attribute("aria-expanded", "true")
        expect(received).not_to_contain_text("…")
        assert received.text_content().count(",") == 5 * 8 - 1  # (every number of the 5x8 gradient)
        more.click()
        expect(received).to_contain_text("…")
    finally:
        context.close()
