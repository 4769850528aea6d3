"""One DOT writer: every label of every seed example reads the same in the page's picture (the server's DOT laid
out by Viz.js in Chromium) and in the server's own SVG (Graphviz `dot`); an edge's label keeps clear of its arrow."""

import xml.etree.ElementTree as ElementTree

import httpx
import pytest
import torch
from playwright.sync_api import Page

from tests.helpers import SEED_FILES

from .helpers import node, records, run_code, run_example, wait_drawn

SVG = "{http://www.w3.org/2000/svg}"
PAGE_LABELS = """pane => [...document.querySelectorAll(`#${pane}-pane g.node, #${pane}-pane g.edge`)]
    .map(g => [g.getAttribute('class'), [...g.querySelectorAll('text')].map(t => t.textContent).join('|')])"""


def server_labels(svg: bytes) -> list[list[str]]:
    """Each node's and edge's class and texts, as PAGE_LABELS reads them in the page."""
    labels = []
    for group in ElementTree.fromstring(svg).iter(f"{SVG}g"):
        if group.get("class") in ("node", "edge"):
            texts = "|".join(t.text or "" for t in group.iter(f"{SVG}text"))
            labels.append([group.get("class"), texts])
    return labels


@pytest.mark.parametrize("path", SEED_FILES, ids=[p.stem for p in SEED_FILES])
def test_the_page_and_the_server_draw_the_same_labels(page: Page, base_url: str, path):
    run = httpx.post(f"{base_url}/api/runs", json={"code": path.read_text(encoding="utf-8")}, timeout=60).json()
    page.goto(f"/runs/{run['id']}")
    wait_drawn(page)
    for view in ("forward", "backward"):
        if not run[view]["nodes"]:
            continue
        # (the page writes each backward node's formula in its language by default: the server draws the same)
        served = httpx.get(f"{base_url}/api/runs/{run['id']}/{view}.svg", params={"formulas": "en"}, timeout=60)
        drawn = page.evaluate(PAGE_LABELS, view)
        served_labels = server_labels(served.content)
        # (the same nodes and edges; the page puts its nodes over its edges, in reading order, for Tab)
        assert drawn and sorted(drawn) == sorted(served_labels), view


# Each backward edge label: [its text, how near (CSS px) it comes to its own arrow: the line's points and the head's].
NEAREST_LINE = """() => [...document.querySelectorAll('#backward-pane g.edge')].flatMap(g => {
  const texts = [...g.querySelectorAll('text')].filter(t => t.textContent.trim());
  if (!texts.length) return [];
  const path = g.querySelector('path');
  const matrix = path.getScreenCTM();
  const points = [];
  for (let i = 0; i <= 60; i++) points.push(path.getPointAtLength(path.getTotalLength() * i / 60));
  for (const polygon of g.querySelectorAll('polygon')) points.push(...polygon.points);
  const screen = points.map(p => new DOMPoint(p.x, p.y).matrixTransform(matrix));
  return texts.map(t => {
    const r = t.getBoundingClientRect();
    const near = Math.min(...screen.map(p => Math.hypot(Math.max(r.left - p.x, 0, p.x - r.right),
                                                       Math.max(r.top - p.y, 0, p.y - r.bottom))));
    return [t.textContent, near];
  });
})"""


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1366, "height": 768}, "locale": "en-US"}])
def test_an_edges_gradient_keeps_clear_of_its_arrow(page: Page):
    """Graphviz puts an edge label's left edge on its line: the tutorial's `4` touched its arrow, and the halo under
    its letters cut the line. Every label's box (its font's whole line, a little more than its letters) keeps 2 CSS px
    or more from its own line and arrowhead, at the scale the graphs open at (labels of 12.5 px or more)."""
    page.goto("/")
    # (linear-2d's `[[-8.1], [-16.3]]` went only halfway, 0.1 px from its line: dot left it less room between its arrow
    # and the one to b than the label and two gaps take. app/render.py's NODESEP_IN leaves it room.)
    for example in ("scalar", "vector", "linear-1d", "linear-2d", "broadcasting", "higher-order"):
        run_example(page, example)
        labels = page.evaluate(NEAREST_LINE)
        assert labels and all(near >= 2 for _, near in labels), (example, labels)


def test_the_inspector_writes_an_int64_past_2_53_as_torch_holds_it(page: Page):
    """The inspector read the run's JSON with JSON.parse, which rounds a whole number past 2^53 to a double:
    9007199254740993 showed as 9007199254740992 while the node's label, written by the server, was right."""
    big = [9007199254740993, -9007199254740995, 7]
    code = f"big = torch.tensor({big})\nx = torch.ones(3, requires_grad=True)\ny = (x * 2).sum()\n"
    page.goto("/")
    wait_drawn(page)
    run_code(page, code)
    node(page, "forward", "big").click()
    cells = page.locator("#inspector .summary table td:not(:first-child)").all_text_contents()
    assert cells == [str(v) for v in big] == [str(v) for v in torch.tensor(big).tolist()]
    label = records(page, "forward")
    assert any(str(big[0]) in record for record in label), label
