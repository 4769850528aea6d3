"""An engineer's model of many layers, trained over a few steps, is too big to read at the scale it opens at: the box
over the forward graph finds a tensor by the name the snippet gave it (`model.fc2.weight`) and opens it in the
inspector, newest first, Enter again going to its earlier versions. A real capture; plain torch prints the same."""

import pytest
import torch
from playwright.sync_api import Page, expect

from .helpers import run_code

TRAINING = """torch.manual_seed(0)
model = nn.Sequential()
model.add_module("fc1", nn.Linear(3, 4))
model.add_module("fc2", nn.Linear(4, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
x = torch.randn(5, 3)
for step in range(2):
    opt.zero_grad()
    loss = model(x).pow(2).mean()
    loss.backward()
    opt.step()
print(round(loss.item(), 4))
"""


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1366, "height": 768}, "locale": "en-US"}])
def test_a_tensor_is_found_by_its_name_and_its_versions_in_turn(page: Page):
    """No way to reach model.fc2.weight but panning a graph of two training steps in search of its label."""
    namespace = {"torch": torch, "nn": torch.nn}
    exec(TRAINING, namespace)
    page.goto("/")
    run_code(page, TRAINING)
    expect(page.locator("#stdout")).to_have_text(str(round(namespace["loss"].item(), 4)))
    expect(page.locator("#find-names option[value='model.fc2.weight']")).to_have_count(1)
    find = page.locator("#find")
    find.fill("model.fc2.weight")
    find.press("Enter")
    expect(page.locator("#inspector-title")).to_have_text("model.fc2.weight")
    expect(page.locator("#find-said")).to_have_text("1 of 3")  # (as made, after the first step, after the second)
    expect(page.locator("#forward-pane g.node.selected")).to_be_in_viewport()
    expect(find).to_be_focused()
    first = page.url
    find.press("Enter")
    expect(page.locator("#find-said")).to_have_text("2 of 3")
    assert page.url != first  # (another version: another node)
    expect(page.locator("#inspector-title")).to_have_text("model.fc2.weight")
    find.fill("fc9")
    find.press("Enter")
    expect(page.locator("#find-said")).to_have_text("no tensor named fc9")


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1366, "height": 768}, "locale": "ko-KR"}])
def test_the_find_box_speaks_korean(page: Page):
    page.goto("/")
    run_code(page, TRAINING)
    find = page.locator("#find")
    expect(find).to_have_attribute("placeholder", "텐서 찾기")
    find.fill("model.fc2.bias")
    find.press("Enter")
    expect(page.locator("#inspector-title")).to_have_text("model.fc2.bias")
    expect(page.locator("#find-said")).to_have_text("1/3")
