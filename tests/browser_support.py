"""A real Chromium for page tests: fixtures, screenshots and the axe-core accessibility check.

Import the fixtures into a test module with ``from tests.browser_support import browser, page``
and mark the module ``pytestmark = BROWSER_MARKS``.
"""

import json
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread
from playwright.sync_api import Browser, Page, sync_playwright

from mutualwatch.register.models import ServiceArea
from mutualwatch.register.vocabulary import SERVICE_AREAS

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: WCAG 2.2 AA and everything below it.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

BROWSER_MARKS = [
    pytest.mark.browser,
    # serialized_rollback: a flush would otherwise take the migrations' vocabulary with it.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (scripts/setup)"
    ),
]


class OneRequestAtATimeServer(ThreadedWSGIServer):
    """The live server's request threads all share the test's one in-memory SQLite connection,
    and a page that fetches several URLs at once (the fates page's charts) would otherwise use
    it from several threads together. Connections stay threaded; answering takes turns."""

    _answering = threading.Lock()

    def set_app(self, application):  # type: ignore[no-untyped-def]
        answering = self._answering

        def one_at_a_time(environ, start_response):  # type: ignore[no-untyped-def]
            with answering:
                return application(environ, start_response)

        super().set_app(one_at_a_time)


LiveServerThread.server_class = OneRequestAtATimeServer


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
def service_vocabulary(transactional_db: None) -> None:
    """Transactional tests elsewhere flush the database, taking with them the service areas
    the migrations load; put them back for tests that need them."""
    for code, name, description in SERVICE_AREAS:
        ServiceArea.objects.get_or_create(
            code=code, defaults={"name": name, "description": description}
        )


@pytest.fixture
def page(browser: Browser, service_vocabulary: None) -> Iterator[Page]:
    """A phone-sized page: if it reads on a phone it reads anywhere."""
    context = browser.new_context(viewport={"width": 412, "height": 915})
    opened = context.new_page()
    refused: list[str] = []
    opened.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield opened
    context.close()
    # Every journey is also a check that the pages keep to their own CSP.
    assert not refused, f"the Content-Security-Policy refused: {refused}"


def screenshot(page: Page, name: str) -> Path:
    """Save the whole page as a test artefact in test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    return path


def assert_accessible(page: Page) -> None:
    """Fail with every WCAG 2.2 AA violation axe-core finds on the page as it stands."""
    assert AXE.exists(), "axe-core is missing: run scripts/setup --browser (npm ci)"
    # Evaluated by the browser's debugger, which the page's CSP does not govern: a script tag
    # with axe's text inline would be refused by it.
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    violations = [
        {
            "rule": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "where": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
    ]
    assert not violations, f"{page.url}:\n{json.dumps(violations, indent=1)}"
