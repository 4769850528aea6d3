"""What a learner reads in a walk's words: where the gradient backward starts from comes from (the tutorial's first
two examples are about exactly that)."""

import pytest
import torch
from playwright.sync_api import Page, expect

from .helpers import node, records, run_code, run_example, settle, wait_drawn

LAPTOP = {"width": 1366, "height": 768}

GRAD_CALL = """x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 3
(g,) = torch.autograd.grad(y, x, grad_outputs=torch.tensor([1.0, 0.5]))
print(g)
"""

GRAD_ONE = """x = torch.tensor(2.0, requires_grad=True)
y = x ** 3
(g,) = torch.autograd.grad(y, x)
"""


@pytest.mark.parametrize(
    ("context_options", "said"),
    [
        (
            {"viewport": LAPTOP, "locale": "en-US"},
            {
                "scalar": "(backward() on a single number starts from ∂y/∂y = 1)",
                "vector": "(y has 3 entries, so backward() starts from the gradient the code gave it)",
                "linear-1d": "(backward() on a single number starts from ∂loss/∂loss = 1)",
                "grad": "(y has 2 entries, so torch.autograd.grad() starts from the grad_outputs the code gave it)",
                "grad-one": "(torch.autograd.grad() of a single number starts from ∂y/∂y = 1)",
            },
        ),
        (
            {"viewport": LAPTOP, "locale": "ko-KR"},
            {
                "scalar": "(값이 하나인 텐서에서 backward()를 호출하면 ∂y/∂y = 1에서 시작합니다)",
                "vector": "(y의 원소가 3개라서, backward()에 넘겨준 gradient에서 시작합니다)",
                "linear-1d": "(값이 하나인 텐서에서 backward()를 호출하면 ∂loss/∂loss = 1에서 시작합니다)",
                "grad": "(y의 원소가 2개라서, torch.autograd.grad()에 넘겨준 grad_outputs에서 시작합니다)",
                "grad-one": "(값이 하나인 텐서로 torch.autograd.grad()를 호출하면 ∂y/∂y = 1에서 시작합니다)",
            },
        ),
    ],
    ids=["en", "ko"],
)
def test_the_first_step_says_where_the_gradient_backward_starts_from_comes_from(page: Page, said: dict[str, str]):
    """The tutorial's first example asks why y.backward() gives x.grad = 4, its second why a vector's backward() needs a
    gradient: the first step said only "Backward starts here with grad = 1" (or `[1, 1, 1]`). It says that backward()
    on a single number starts from ∂y/∂y = 1, and that a tensor of several entries starts from the gradient the code
    gave the call (backward()'s, or torch.autograd.grad()'s grad_outputs), the values PyTorch starts from."""
    page.goto("/")
    wait_drawn(page)
    starts = {
        "scalar": [1.0],
        "vector": [1.0, 1.0, 1.0],  # (the tutorial's `gradient`)
        "linear-1d": [1.0],
        "grad-one": [1.0],  # (torch.autograd.grad(y, x) said "backward() on a single number starts from ∂y/∂y = 1")
        "grad": [1.0, 0.5],  # (last: its printed output is checked below)
    }
    for example, start in starts.items():
        if example.startswith("grad"):
            run_code(page, GRAD_CALL if example == "grad" else GRAD_ONE)
        else:
            run_example(page, example)
        page.locator("#step-slider").fill("1")
        received = page.locator("#step-panel .received")
        expect(received).to_contain_text(said[example])
        shown = received.locator("code").text_content() or ""
        assert (
            shown == f"grad = {start[0]:g}"
            if len(start) == 1
            else shown == f"grad = [{', '.join(f'{v:g}' for v in start)}]"
        )
    # (the values PyTorch starts from: torch.autograd.grad of y = 3x with these grad_outputs gives 3 · them)
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    (g,) = torch.autograd.grad(x * 3, x, grad_outputs=torch.tensor(starts["grad"]))
    expect(page.locator("#stdout")).to_contain_text(str(g))


LOOP = """torch.manual_seed(0)
model = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
y = torch.tensor([[0.0], [1.0], [1.0], [0.0]])
for step in range(3):
    opt.zero_grad()
    pred = model(X)
    loss = F.mse_loss(pred, y)
    loss.backward()
    opt.step()
"""

# The running node's box and the backward pane's canvas (CSS px), the smallest label of the node (CSS px) and both
# panes' scales.
RUNNING = """() => {
  const g = document.querySelector('#backward-pane g.node.running');
  const canvas = document.querySelector('#backward-pane .canvas').getBoundingClientRect();
  const box = g.getBoundingClientRect();
  const sizes = [...g.querySelectorAll('text')].map((t) => t.getBoundingClientRect().height);
  const scales = [...document.querySelectorAll('.pane svg')].map((svg) => svg.getScreenCTM().a);
  return {box: [box.left, box.top, box.right, box.bottom], canvas: [canvas.left, canvas.top, canvas.right,
    canvas.bottom], label: Math.min(...sizes), scales};
}"""


@pytest.mark.parametrize("context_options", [{"viewport": LAPTOP, "locale": "ko-KR"}])
def test_in_projector_mode_a_steps_wide_node_comes_whole_into_its_pane(page: Page):
    """A training loop's last Linear (AddmmBackward0: three formulas, its saved values) in projector mode at 1366x768:
    the step lit it wider than its pane, its formulas cut off at both edges, to be read by zooming out. Both panes come
    down to the scale that shows it whole, no smaller than the page's own labels."""
    page.goto("/")
    wait_drawn(page)
    page.locator("#projector").click()
    run_code(page, LOOP)
    page.locator("#step-slider").fill("3")
    expect(page.locator("#step-panel h3")).to_contain_text("AddmmBackward0")
    settle(page, 300)  # (the panes done moving to the step)
    seen = page.evaluate(RUNNING)
    box, canvas = seen["box"], seen["canvas"]
    assert box[0] >= canvas[0] - 1 and box[2] <= canvas[2] + 1, seen  # whole across
    assert box[1] >= canvas[1] - 1 and box[3] <= canvas[3] + 1, seen  # and up and down
    assert seen["label"] >= 12, seen
    assert max(seen["scales"]) - min(seen["scales"]) < 1e-6, seen


MLP = """torch.manual_seed(0)
X = torch.randn(8, 3)
y = torch.randn(8, 1)
model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for step in range(3):
    opt.zero_grad()
    pred = model(X)
    loss = F.mse_loss(pred, y)
    loss.backward()
    opt.step()
"""


@pytest.mark.parametrize("context_options", [{"viewport": LAPTOP, "locale": "en-US"}])
def test_a_steps_node_wider_than_the_room_beside_the_map_is_not_cut_at_its_start(page: Page):
    """A training loop's last Linear (AddmmBackward0) at 1366x768, taller than its pane and wider than the room left
    of the overview map, but not than the pane: it was centred in that room, so 31 px of its left side, where each of
    its formulas and saved values starts, lay outside the pane. It comes whole across, the map over a corner of it."""
    page.goto("/")
    wait_drawn(page)
    run_code(page, MLP)
    page.locator("#step-slider").fill("3")
    expect(page.locator("#step-panel h3")).to_contain_text("AddmmBackward0 (pred)")
    settle(page, 300)  # (the panes done moving to the step)
    seen = page.evaluate(RUNNING)
    box, canvas = seen["box"], seen["canvas"]
    assert box[2] - box[0] <= canvas[2] - canvas[0], seen  # (the case: it fits the pane's width)
    assert box[0] >= canvas[0] - 1 and box[2] <= canvas[2] + 1, seen  # whole across
    assert box[1] >= canvas[1] - 1, seen  # its name in view


# The running node's box (its outline) and how far any of its texts reach past it, left and right (CSS px).
OVERFLOW = """() => {
  const g = document.querySelector('#backward-pane g.node.running');
  const box = g.querySelector('polygon, path').getBoundingClientRect();
  const texts = [...g.querySelectorAll('text')].map((t) => t.getBoundingClientRect());
  return {left: Math.max(0, ...texts.map((t) => box.left - t.left)),
    right: Math.max(0, ...texts.map((t) => t.right - box.right)),
    grads: [...g.querySelectorAll('text')].map((t) => t.textContent).filter((t) => t.startsWith('grad'))};
}"""


@pytest.mark.parametrize("context_options", [{"viewport": LAPTOP, "locale": "en-US"}])
def test_an_earlier_passs_gradient_stays_inside_its_node(page: Page):
    """Pass 1 of a training loop: the first weight's AccumulateGrad is drawn with the last pass's gradient, cut to its
    node's width; the step wrote pass 1's gradient over it whole, 330 px past both sides of the node. It is cut as the
    server cuts a label's line, and stays inside."""
    page.goto("/")
    wait_drawn(page)
    run_code(page, MLP)
    page.locator("#step-slider").fill("11")
    expect(page.locator("#step-panel h3")).to_contain_text("pass 1 of 3, #10 AccumulateGrad (model.0.weight)")
    settle(page, 300)  # (the panes done moving to the step)
    seen = page.evaluate(OVERFLOW)
    torch.manual_seed(0)
    X, y = torch.randn(8, 3), torch.randn(8, 1)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1))
    torch.nn.functional.mse_loss(model(X), y).backward()
    first = f"{model[0].weight.grad[0, 0].item():.5g}"  # (pass 1's, not the last pass's)
    assert seen["grads"] and seen["grads"][0].startswith(f"grad [[{first}, "), seen
    assert seen["left"] <= 1 and seen["right"] <= 1, seen


ACCUMULATE = """x = torch.tensor(2.0, requires_grad=True)
for i in range(3):
    y = x ** 2
    y.backward()
    print(x.grad)
"""


@pytest.mark.parametrize("context_options", [{"viewport": LAPTOP, "locale": "ko-KR"}])
def test_a_leaf_that_accumulates_shows_its_grad_as_each_pass_leaves_it(page: Page):
    """The tutorial's lesson that .grad accumulates: x.grad printed 4, 8, 12. Stepping through the three passes, x in
    the forward graph said "grad ?" until the last pass, while the step said 4 + 4 = 8; it now reads what the code
    printed at each pass's end."""
    page.goto("/")
    wait_drawn(page)
    run_code(page, ACCUMULATE)
    x = torch.tensor(2.0, requires_grad=True)
    printed = []
    for _ in range(3):
        (x**2).backward()
        printed.append(f"grad {x.grad.item():g}")
    steps = page.locator("#step-slider")
    seen, inspected = [], []
    after = "b => b.querySelector('h3:nth-of-type(2)').nextElementSibling.textContent.trim()"  # (value, then grad)
    for k in range(1, int(steps.get_attribute("max")) + 1):
        steps.fill(str(k))
        heading = page.locator("#step-panel h3").inner_text()
        if "AccumulateGrad" in heading:
            seen.append(node(page, "forward", "x|").locator("text").last.text_content())
            node(page, "forward", "x|").click()  # (the inspector says the same)
            expect(page.locator("#inspector")).to_be_visible()
            inspected.append("grad " + page.locator("#inspector-body").evaluate(after))
            page.keyboard.press("Escape")
    assert seen == printed, seen
    assert inspected == printed, inspected


STEPPED = """torch.manual_seed(0)
lin = nn.Linear(2, 1)
X, y = torch.randn(4, 2), torch.randn(4, 1)
opt = torch.optim.SGD(lin.parameters(), lr=0.5)
for step in range(3):
    opt.zero_grad()
    F.mse_loss(lin(X), y).backward()
    opt.step()
"""


@pytest.mark.parametrize("context_options", [{"viewport": LAPTOP, "locale": "ko-KR"}])
def test_a_parameter_an_optimizer_stepped_says_so_and_which_pass_its_gradient_is_from(page: Page):
    """A training loop's lin.weight after the first opt.step() said "no_grad 블록 안에서 만든 텐서라서 그래프가 기록되지
    않았습니다", as if the code had made a new tensor, and its gradient table named no pass: it is pass 2's, as torch
    computes it for the second step."""
    torch.manual_seed(0)
    lin = torch.nn.Linear(2, 1)
    X, y = torch.randn(4, 2), torch.randn(4, 1)
    opt = torch.optim.SGD(lin.parameters(), lr=0.5)
    grads = []
    for _ in range(3):
        opt.zero_grad()
        torch.nn.functional.mse_loss(lin(X), y).backward()
        grads.append(lin.weight.grad.tolist()[0])
        opt.step()
    page.goto("/")
    wait_drawn(page)
    run_code(page, STEPPED)
    drawn = page.locator("#forward-pane g.node")
    versions = [drawn.nth(i) for i, r in enumerate(records(page, "forward")) if r.startswith("lin.weight|")]
    assert len(versions) == 4  # (as made, and after each of the three steps)
    versions[1].click()  # (the version the second pass used)
    body = page.locator("#inspector-body")
    expect(body).to_contain_text("8번 줄의 SGD.step() 호출이 이 리프 텐서의 값을 제자리에서 바꿨습니다")
    expect(body).not_to_contain_text("no_grad 블록 안에서 만든 텐서")
    expect(body).to_contain_text("여기 보이는 그래디언트는 2회차 역전파의 값입니다.")
    shown = [float(c) for c in body.locator(".gradient td, table").last.locator("td").all_inner_texts()[1:3]]
    assert shown == pytest.approx(grads[1], rel=1e-4), (shown, grads)
    versions[0].click()
    expect(body).to_contain_text("여기 보이는 그래디언트는 1회차 역전파의 값입니다.")
