"""The network space in a real Chromium: a member of a network branch logs in, opens the
space, finds a case another network branch shared, and reads a meeting's notes."""

import datetime
import os
from pathlib import Path

from playwright.sync_api import expect

from mutualwatch.branches.models import BranchMembership
from mutualwatch.network.models import Meeting
from tests.browser_support import BROWSER_MARKS, assert_accessible, browser, page, screenshot
from tests.conftest import build_arrangement
from tests.network.worlds import case_of, network_world

pytestmark = BROWSER_MARKS

PASSWORD = "correct-horse-battery-staple"

__all__ = ["browser", "page"]


def test_a_network_member_reads_a_shared_case_and_a_meetings_notes(
    live_server, page, django_user_model
):
    world = network_world()
    build_arrangement(authority=world.council_b)
    member = django_user_model.objects.create_user("ada-member", password=PASSWORD)
    BranchMembership.objects.create(user=member, branch=world.a, role="member")
    shared = case_of(world.b, world.council_b, shared=True, title="Save Brackenfield libraries")
    case_of(world.b, world.council_b, shared=False, title="Private branch business")
    meeting = Meeting.objects.create(
        branch=world.b,
        title="Regional meeting on options appraisals",
        held_on=datetime.date(2025, 11, 5),
        agenda="1. Reports from branches",
        notes="Agreed to pool FOI requests for the business cases.",
    )
    meeting.attending.set([world.a, world.b])

    page.goto(f"{live_server.url}/accounts/login/?next=/workspace/")
    page.get_by_label("Username").fill("ada-member")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    with page.expect_navigation():
        page.get_by_role("link", name="The branch network's space").click()
    page.wait_for_selector("h1:has-text('Branch network')")
    assert_accessible(page)
    if os.environ.get("MUTUALWATCH_SHOTS"):
        Path("/work/shots").mkdir(parents=True, exist_ok=True)
        page.screenshot(path="/work/shots/network.png", full_page=True)
    screenshot(page, "network-space")

    cases = page.get_by_role("region", name="Shared cases")
    row = cases.get_by_role("row").filter(has_text=shared.title)
    assert row.get_by_role("link", name=shared.title).get_attribute("href") == (
        f"/workspace/campaigns/{shared.pk}/"
    )
    assert "B Branch" in row.inner_text()
    assert "Consultation" in row.inner_text()
    assert "Private branch business" not in page.content()
    members = page.get_by_role("region", name="Branches in the network").inner_text()
    assert "employer is a member council: Ashdown Borough Council" in members
    assert "joined on 10 January 2022" in members
    assert "Left Branch" not in members

    with page.expect_navigation():
        page.get_by_role("link", name=meeting.title).click()
    page.wait_for_selector(f"h1:has-text('{meeting.title}')")
    assert "Agreed to pool FOI requests for the business cases." in page.content()
    attending = page.locator("h2:has-text('Branches attending') + ul").inner_text()
    assert "A Branch" in attending
    assert "B Branch" in attending
    # A member reads; only the convening branch's officers change the record.
    expect(page.get_by_role("link", name="Change the agenda, notes or attendance")).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "network-meeting")
