"""A visitor compares positions on one question, in a real Chromium."""

import os
from pathlib import Path

from playwright.sync_api import expect

from mutualwatch.demoworld.guidance import load_guidance
from mutualwatch.guidance.models import Position
from tests.browser_support import BROWSER_MARKS, assert_accessible, browser, page, screenshot

pytestmark = BROWSER_MARKS
__all__ = ["browser", "page"]


def test_a_visitor_compares_positions_on_one_question(live_server, page):
    load_guidance(lambda line: None)
    page.goto(f"{live_server.url}/positions/")
    expect(page.get_by_role("heading", name="Positions side by side")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Question").select_option(label="Is there an asset lock?")
    with page.expect_navigation():
        page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Is there an asset lock?")
    quoted = Position.objects.filter(question="asset-lock").select_related("actor", "version")
    for position in quoted:
        section = page.locator("section", has=page.get_by_role("heading", name=position.actor.name))
        expect(section.locator("blockquote")).to_contain_text(" ".join(position.quote.split()))
    gap = page.locator("section", has=page.get_by_role("heading", name="Mutuals Pathfinder"))
    expect(gap).to_contain_text("No position found in the library.")
    assert_accessible(page)
    if os.environ.get("MUTUALWATCH_SHOTS"):
        Path("/work/shots").mkdir(parents=True, exist_ok=True)
        page.screenshot(path="/work/shots/positions.png", full_page=True)
    screenshot(page, "positions-asset-lock")

    party = quoted.get(actor__code="party")
    section = page.locator("section", has=page.get_by_role("heading", name=party.actor.name))
    with page.expect_navigation():
        section.get_by_role("link", name=f"{party.version.document.title}, version 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(party.version.document.title)
    expect(page.locator(".document-text")).to_contain_text("Every public service mutual should")
    assert_accessible(page)


def test_the_library_a_diff_and_matched_guidance_meet_wcag_2_2_aa(live_server, page):
    load_guidance(lambda line: None)
    motion = Position.objects.get(actor__code="union-conference", question="takeover")
    document = motion.version.document
    page.goto(f"{live_server.url}/guidance/")
    page.get_by_label("Words in the library").fill("re-tender")
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("link", name=document.title)).to_have_count(1)
    assert_accessible(page)
    page.goto(f"{live_server.url}/guidance/{document.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Changes in version 2").click()
    expect(page.locator(".diff-text ins").first).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/guidance/matched/?stage=decision&service_area=leisure")
    expect(page.get_by_role("link", name="Guidance: making the case")).to_have_count(1)
    assert_accessible(page)
