"""What a teacher preparing a class met sharing the page: in Korean a long module name's formula running over the
next input's words in a step."""

import pytest
from playwright.sync_api import Page, expect

from .helpers import run_code, wait_drawn

LAPTOP = {"width": 1366, "height": 768}


LONG_NAMES = """class Attn(nn.Module):
    def __init__(self):
        super().__init__()
        self.self_attn = nn.Linear(3, 3)
class Layer(nn.Module):
    def __init__(self):
        super().__init__()
        self.self_attn = Attn()
class Enc(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([Layer()])
model = nn.Module()
model.encoder = Enc()
x = torch.ones(2, 3)
out = model.encoder.layers[0].self_attn.self_attn(x)
out.pow(2).sum().backward()
"""

# Each piece of a step's inputs wider than its column: [px over, its text].
OVER_COLUMN = """() => [...document.querySelectorAll('#step-panel .chain > li')].flatMap((li) => {
  const column = li.getBoundingClientRect();
  return [...li.querySelectorAll('*')]
    .map((e) => [Math.round(e.getBoundingClientRect().right - column.right), e.textContent])
    .filter(([over]) => over > 1);
})"""


@pytest.mark.parametrize("context_options", [{"viewport": LAPTOP, "locale": loc} for loc in ("ko-KR", "en-US")])
def test_a_long_module_names_formula_stays_in_its_column(page: Page):
    """`model.encoder.layers.0.self_attn.self_attn.bias`: in Korean its formula, sized as one word, ran 82 px over the
    next input's column (`grad_x: 보내지 않음`) at AddmmBackward0's step; in English it wrapped."""
    page.goto("/")
    wait_drawn(page)
    run_code(page, LONG_NAMES)
    page.locator("#step-slider").fill("3")
    expect(page.locator("#step-panel h3")).to_contain_text("AddmmBackward0")
    assert page.evaluate(OVER_COLUMN) == []
