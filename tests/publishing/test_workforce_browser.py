"""The staff page, its method page and a council's staff rows in a real Chromium: WCAG 2.2 AA
by axe-core on a laptop and on a phone, and no page scrolling sideways as a whole."""

import pytest

from tests.browser_support import BROWSER_MARKS, assert_accessible, browser, page, screenshot
from tests.conftest import build_arrangement, build_authority
from tests.publishing.workforce_world import build_publication

pytestmark = BROWSER_MARKS


@pytest.mark.parametrize("width", [1366, 390])
def test_the_staff_pages_meet_wcag_2_2_aa(live_server, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    council = build_authority(name="Exemplar Borough Council", gss_code="X09000099")
    build_arrangement(authority=council)
    paths = {"before-any-release": "/workforce/"}
    for name, path in paths.items():
        _check(page, f"{live_server.url}{path}", f"workforce-{name}-{width}")
    build_publication()
    paths = {
        "page": "/workforce/",
        "method": "/workforce/method/",
        "council": f"/authorities/{council.gss_code}/",
    }
    for name, path in paths.items():
        _check(page, f"{live_server.url}{path}", f"workforce-{name}-{width}")
    page.goto(f"{live_server.url}/workforce/")
    assert page.locator("figure.workforce-chart > svg").count() == 6
    # The tables folded away open, and stay accessible open.
    for summary in page.locator("details.data-table summary").all():
        summary.click()
    assert_accessible(page)


def _check(page, url: str, name: str) -> None:
    response = page.goto(url)
    assert response is not None
    assert response.status == 200, url
    assert_accessible(page)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{url} scrolls sideways by {overflow} px"
    screenshot(page, name)


__all__ = ["browser", "page"]
