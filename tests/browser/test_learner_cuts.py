"""Where a learner's graph was cut without detach or no_grad: a value taken out by `.item()` or `.numpy()` and brought
back as a number or a new tensor, and `torch.tensor(t)`. Each is said where it happened, in the inspector and in the
step that sends no gradient there. A real capture; plain torch gives the same x.grad."""

import pytest
import torch
from playwright.sync_api import Page, expect

from .helpers import node, run_code

ROUND_TRIPS = """x = torch.tensor([1.0, 2.0], requires_grad=True)
m = (x * 3).mean()
k = m.item()
a = torch.tensor(x.detach().numpy() * 2)
loss = (x * k).sum() + (a * x).sum()
loss.backward()
print(x.grad)
"""


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1366, "height": 768}, "locale": "en-US"}])
def test_values_taken_out_of_the_graph_are_said_where_they_left_it(page: Page):
    """m's inspector said "it was not used to compute what backward() was called on" (k = m.item() was), a's said only
    that it needs no grad, its step "this input needs no gradient", and k's 4.5 was "a number the code wrote"."""
    namespace = {"torch": torch}
    exec(ROUND_TRIPS, namespace)
    assert namespace["x"].grad.tolist() == [6.5, 8.5]  # (4.5 + [2, 4]: nothing comes back through m or a)
    page.goto("/")
    run_code(page, ROUND_TRIPS)
    expect(page.locator("#stdout")).to_have_text("tensor([6.5000, 8.5000])")
    node(page, "forward", "m|").click()
    expect(page.locator("#inspector-body")).to_contain_text(
        "No gradient reached it: m.item() on line 3 took its values out of the graph (as a Python number, a list or a "
        "NumPy array), and what the code computed from them is not connected to it"
    )
    node(page, "forward", "a|").click()
    expect(page.locator("#inspector-body")).to_contain_text(
        "Made on line 4 from values that x.detach().numpy() took out of a graph: it does not require grad"
    )
    page.locator("#inspector-close").click()
    said = ""
    for k in range(1, 7):  # (every node's step: where each sends what)
        page.locator("#step-slider").fill(str(k))
        said += page.locator("#step-panel").inner_text()
    assert "grad_a: not sent (a was made on line 4 from values that x.detach().numpy() took out of a graph" in said
    assert "4.5: a constant (a Python number, not a tensor: no graph leads back from it" in said


DRAWN_ROUND_TRIP = """w = torch.tensor([1.0, 2.0], requires_grad=True)
s = (w * 3).sum()
v = s.item()
z = torch.tensor(v) * w
z.sum().backward()
print(w.grad)
"""


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1366, "height": 768}, "locale": "ko-KR"}])
def test_a_tensor_made_of_what_item_took_out_is_drawn_cut_from_where_it_came(page: Page):
    """torch.tensor(v) stood alone in the forward graph, as if the code had written its 9: the `.item()` that took it
    out of s is an op between them, dashed as every cut, and its inspector says what happened, in Korean."""
    namespace = {"torch": torch}
    exec(DRAWN_ROUND_TRIP, namespace)
    assert namespace["w"].grad.tolist() == [9.0, 9.0]  # (z = 9 · w: nothing comes back through s)
    page.goto("/")
    run_code(page, DRAWN_ROUND_TRIP)
    item = node(page, "forward", "item")
    assert item.locator("ellipse, path, polygon").first.get_attribute("stroke-dasharray")
    dashes = page.eval_on_selector_all(
        "#forward-pane g.edge path", "paths => paths.map(p => p.getAttribute('stroke-dasharray') || '')"
    )
    assert sum(1 for dash in dashes if dash) == 2  # (s → item → torch.tensor(v): the snippet's only cut)
    item.click()
    expect(page.locator("#inspector-body")).to_contain_text(
        "3번 줄의 s.item() 호출이 여기서 값을 그래프 밖으로 꺼냈고(파이썬 수, 리스트, NumPy 배열), 코드가 그 값으로"
    )
    node(page, "forward", "torch.tensor(v)|").click()
    expect(page.locator("#inspector-body")).to_contain_text(
        "4번 줄에서 s.item() 호출로 그래프 밖으로 꺼낸 값으로 만든 텐서라서 requires_grad가 False입니다"
    )
