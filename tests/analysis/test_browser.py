"""The fates page in a real Chromium: charts drawn by vega-embed from our own static files
(no other host is asked for anything), and WCAG 2.2 AA by axe-core."""

import re

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
    # Each chart is drawn when its specification arrives: on a busy machine the first may be
    # done before the third has started.
    page.wait_for_function(
        "document.querySelectorAll('.vega-chart svg').length >= 3", timeout=20_000
    )
    assert all(url.startswith(live_server.url) for url in requested), requested
    assert_accessible(page)
    screenshot(page, "fates-page")


# Every piece of text a chart draws lies inside the chart's own box: none cut off at an edge
# (the reader's font may be wider than the one the chart was measured with).
TEXT_OUTSIDE_ITS_CHART = """
() => [...document.querySelectorAll("figure.chart svg")].flatMap((svg) => {
  const box = svg.getBoundingClientRect();
  return [...svg.querySelectorAll("text")]
    .filter((text) => text.textContent.trim())
    .filter((text) => {
      const r = text.getBoundingClientRect();
      return r.left < box.left - 1 || r.right > box.right + 1
        || r.top < box.top - 1 || r.bottom > box.bottom + 1;
    })
    .map((text) => text.textContent);
})
"""


@pytest.mark.parametrize("width", [1366, 390])
def test_the_fates_and_home_pages_read_at_desktop_and_phone_widths(live_server, page, width):
    a_register_with_spin_outs(count=36)
    refresh_fates()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/fates/")
    page.wait_for_selector("#chart-incidence-spin-outs .vega-chart svg", timeout=20_000)
    page.wait_for_load_state("networkidle")
    summary = page.locator("#summary p").first
    assert summary.text_content().startswith("Of 36 services spun out, ")
    first_chart = page.locator("figure.chart").first
    assert summary.bounding_box()["y"] < first_chart.bounding_box()["y"]
    # One panel per exit, side by side on a wide screen and one above another on a phone.
    titles = page.locator("#chart-incidence-spin-outs svg .role-title-text text")
    panels = [
        t for t in titles.all_text_contents() if t in ("Private control", "Back in-house", "Closed")
    ]
    assert panels == ["Private control", "Back in-house", "Closed"]
    first, second = (
        titles.filter(has_text=re.compile(f"^{name}$")).bounding_box()
        for name in ("Private control", "Back in-house")
    )
    assert (first["y"] == second["y"]) == (width == 1366)
    assert page.evaluate(TEXT_OUTSIDE_ITS_CHART) == []
    assert_accessible(page)
    screenshot(page, f"fates-page-{width}")

    page.goto(f"{live_server.url}/")
    assert page.locator("figure.chart svg").count() >= 2
    assert page.evaluate(TEXT_OUTSIDE_ITS_CHART) == []
    assert_accessible(page)
    screenshot(page, f"home-page-{width}")
