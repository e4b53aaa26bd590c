"""Journeys through the public site in a real Chromium, driven by Playwright."""

import datetime

import pytest
from playwright.sync_api import expect

from mutualwatch.register.models import NetworkMembership
from tests.browser_support import BROWSER_MARKS, assert_accessible, browser, page, screenshot
from tests.conftest import (
    build_arrangement,
    build_authority,
    build_event,
    build_provider,
    build_source,
)
from tests.publishing.search_world import import_councils, ingest_notices
from tests.shared_data import OCDS_STANDARD, require

pytestmark = BROWSER_MARKS


def test_a_visitor_finds_a_council_its_provider_and_the_source(live_server, page):
    council = build_authority(name="Exemplar Borough Council", gss_code="X09000042")
    build_authority(name="Elsewhere District Council")
    provider = build_provider(name="Exemplar Leisure Mutual Ltd")
    source = build_source(title="Cabinet decision to spin out leisure")
    build_arrangement(authority=council, provider=provider, source=source)

    page.goto(f"{live_server.url}/authorities/")
    page.get_by_label("Name or GSS code").fill("exemplar")
    page.locator("form.filters").get_by_role("button", name="Search").click()
    # The list is filtered in place (htmx) or by a new page: wait for it, either way.
    expect(page.locator("text=Elsewhere District Council")).to_have_count(0)
    expect(page.get_by_role("link", name="Exemplar Borough Council")).to_have_count(1)
    # A swap still in flight could replace the link under the click (seen in CI).
    page.wait_for_load_state("networkidle")

    page.get_by_role("link", name="Exemplar Borough Council").click()
    page.wait_for_selector("h1:has-text('Exemplar Borough Council')")
    assert_accessible(page)
    screenshot(page, "visitor-authority-page")

    page.get_by_role("link", name="Exemplar Leisure Mutual Ltd").click()
    page.wait_for_selector("h1:has-text('Exemplar Leisure Mutual Ltd')")
    page.go_back()
    page.get_by_role("link", name="Cabinet decision to spin out leisure").click()
    page.wait_for_selector("h1:has-text('Cabinet decision to spin out leisure')")
    assert page.get_by_role("link", name=source.url).count() == 1
    assert_accessible(page)
    screenshot(page, "visitor-source-page")


def test_an_unpublished_record_is_not_found_in_the_browser(live_server, page):
    hidden = build_provider(name="Hidden Mutual", state="submitted")
    response = page.goto(f"{live_server.url}/providers/{hidden.uid}/")
    assert response is not None
    assert response.status == 404
    assert "Hidden Mutual" not in page.content()


@pytest.mark.parametrize("width", [1366, 390])
def test_every_public_page_type_meets_wcag_2_2_aa(live_server, page, width):
    """On a laptop and on a phone: a phone's page never scrolls sideways as a whole (a wide
    table scrolls inside itself, with a shadow at the edge that has more)."""
    page.set_viewport_size({"width": width, "height": 900})
    council = build_authority(name="Accessible Borough Council", gss_code="X09000077")
    NetworkMembership.objects.create(authority=council, joined_on=datetime.date(2012, 7, 1))
    provider = build_provider(name="Accessible Care Mutual")
    source = build_source(title="Cabinet minutes")
    arrangement = build_arrangement(authority=council, provider=provider, source=source)
    build_event(arrangement=arrangement, event_type="re-tender")
    page_types = {
        "overview": "/",
        "councils": "/authorities/",
        "council": f"/authorities/{council.gss_code}/",
        "providers": "/providers/",
        "provider": f"/providers/{provider.uid}/",
        "services": "/services/",
        "service": "/services/libraries/",
        "network": "/network/",
        "search": "/search/?q=accessible",
        "methods": "/methods/",
        "source": f"/sources/{source.uid}/",
        "login": "/accounts/login/",
    }
    for name, path in page_types.items():
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None
        assert response.status == 200, path
        assert_accessible(page)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow} px at {width} px"
        screenshot(page, f"public-{name}-{width}")


def test_the_header_search_finds_a_council_first_by_its_short_name(
    live_server, page, tmp_path, settings
):
    settings.OCDS_STANDARD_DIR = require(OCDS_STANDARD)
    councils = import_councils(tmp_path)
    build_provider(name="Sunderland Community Care Mutual")
    ingest_notices(tmp_path)

    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/")
        page.get_by_role("searchbox", name="Search").fill("Sunderland")
        page.get_by_role("searchbox", name="Search").press("Enter")
        results = page.locator("#search-results")
        expect(results.get_by_role("heading", level=2).first).to_have_text("Councils (1)")
        first = results.get_by_role("link").first
        expect(first).to_have_text("Sunderland City Council")
        assert first.get_attribute("href") == f"/authorities/{councils['SND'].gss_code}/"
        expect(results.get_by_role("heading", name="Contracts (50+)")).to_be_visible()
        assert_accessible(page)
        screenshot(page, f"search-grouped-{width}")

    # Typing on the search page itself swaps the results in place (htmx).
    page.get_by_label("Councils, providers, services and contracts").fill("Shepway")
    expect(page.locator("#search-results").get_by_role("link").first).to_have_text(
        "Folkestone and Hythe District Council"
    )
    assert_accessible(page)


def test_the_accessibility_check_catches_a_real_violation(page):
    page.set_content('<html lang="en"><body><main><img src="x.png"></main></body></html>')
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)


__all__ = ["browser", "page"]
