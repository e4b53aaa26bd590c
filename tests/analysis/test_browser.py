"""The fates page in a real Chromium: charts drawn by vega-embed from our own static files
(no other host is asked for anything), and WCAG 2.2 AA by axe-core."""

import pytest

from mutualwatch.analysis.services import refresh_fates
from tests.analysis.test_register_to_page import a_register_with_spin_outs
from tests.browser_support import BROWSER_MARKS, assert_accessible, browser, page, screenshot

pytestmark = [*BROWSER_MARKS, pytest.mark.urls("tests.analysis.urls")]
__all__ = ["browser", "page"]


def test_the_fates_page_draws_its_charts_locally_and_is_accessible(live_server, page):
    a_register_with_spin_outs()
    refresh_fates()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    response = page.goto(f"{live_server.url}/fates/")
    assert response is not None
    assert response.status == 200
    page.wait_for_selector("#chart-incidence-spin-outs .vega-chart svg", timeout=20_000)
    assert page.locator(".vega-chart svg").count() >= 3
    assert all(url.startswith(live_server.url) for url in requested), requested
    assert_accessible(page)
    screenshot(page, "fates-page")
