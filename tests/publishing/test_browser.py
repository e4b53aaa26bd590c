"""Journeys through the public site in a real Chromium, driven by Playwright."""

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.conftest import build_arrangement, build_authority, build_provider, build_source

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (scripts/setup)"
    ),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    home = tempfile.mkdtemp(prefix="mutualwatch-chromium-")
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the tests
    # themselves are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_FLAGS, env={"HOME": home}
        )
        yield launched
        launched.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    shutil.rmtree(home, ignore_errors=True)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 412, "height": 915})
    opened = context.new_page()
    yield opened
    context.close()


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)


def test_a_visitor_finds_a_council_its_provider_and_the_source(live_server, page):
    council = build_authority(name="Exemplar Borough Council", gss_code="X09000042")
    build_authority(name="Elsewhere District Council")
    provider = build_provider(name="Exemplar Leisure Mutual Ltd")
    source = build_source(title="Cabinet decision to spin out leisure")
    build_arrangement(authority=council, provider=provider, source=source)

    page.goto(f"{live_server.url}/authorities/")
    page.get_by_label("Search by name or GSS code").fill("exemplar")
    page.get_by_role("button", name="Search").click()
    page.wait_for_selector("text=Exemplar Borough Council")
    assert page.locator("text=Elsewhere District Council").count() == 0

    page.get_by_role("link", name="Exemplar Borough Council").click()
    page.wait_for_selector("h1:has-text('Exemplar Borough Council')")
    screenshot(page, "visitor-authority-page")

    page.get_by_role("link", name="Exemplar Leisure Mutual Ltd").click()
    page.wait_for_selector("h1:has-text('Exemplar Leisure Mutual Ltd')")
    page.go_back()
    page.get_by_role("link", name="Cabinet decision to spin out leisure").click()
    page.wait_for_selector("h1:has-text('Cabinet decision to spin out leisure')")
    assert page.get_by_role("link", name=source.url).count() == 1
    screenshot(page, "visitor-source-page")


def test_an_unpublished_record_is_not_found_in_the_browser(live_server, page):
    hidden = build_provider(name="Hidden Mutual", state="submitted")
    response = page.goto(f"{live_server.url}/providers/{hidden.uid}/")
    assert response is not None
    assert response.status == 404
    assert "Hidden Mutual" not in page.content()
