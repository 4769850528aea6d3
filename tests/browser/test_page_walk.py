"""A teacher's and a learner's walk through the page after the tutorial: the pictures downloaded are the graph on the
screen (its formulas, in the page's language), and a limit that stopped the code is said as a stop, with its line."""

import re
import urllib.request

from playwright.sync_api import Page, expect

from .helpers import run_example


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
