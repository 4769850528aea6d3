"""Browser tests: Playwright for Python driving Debian's Chromium against a real `gradwalk serve`.

Every test gets a fresh browser context and page; the page's console errors fail the test, and a screenshot of
the page as the test left it is saved under test-output/screenshots/.
"""

import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.helpers import free_port, serve, stop

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
UIDS = 62000  # the workers of this module's server run as uids of their own


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test here drives Chromium: `make test-fast` leaves them out (`-m "not browser"`)."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def ui_data(tmp_path_factory) -> Path:
    """The data directory of the browser tests' server (tests may store runs there directly)."""
    return tmp_path_factory.mktemp("ui-data")


@pytest.fixture(scope="session")
def base_url(ui_data):
    port = free_port()
    server = serve(ui_data, port, uid=UIDS, workers=2)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(server)


@pytest.fixture(scope="session")
def browser():
    if shutil.which(CHROMIUM) is None:
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def context_options():
    return {"viewport": {"width": 1440, "height": 900}, "locale": "en-US"}


@pytest.fixture
def page(browser, base_url, context_options, request):
    context = browser.new_context(base_url=base_url, **context_options)
    page = context.new_page()
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / (re.sub(r"[^\w.-]+", "_", request.node.name) + ".png"), full_page=True)
    context.close()
    assert not problems, f"console errors: {problems}"
