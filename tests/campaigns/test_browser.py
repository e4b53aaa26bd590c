"""The campaign journey in a real Chromium: an officer opens a case, adds a milestone and an
action and shares it with the network; a member of another network branch finds it in their
index; a member of a branch outside the network is told there is no such case."""

import datetime

from playwright.sync_api import expect

from mutualwatch.branches.models import BranchMembership
from mutualwatch.register.models import NetworkMembership
from tests.browser_support import BROWSER_MARKS, assert_accessible, browser, page, screenshot
from tests.conftest import build_authority, build_branch

__all__ = ["browser", "page"]
pytestmark = BROWSER_MARKS

PASSWORD = "correct-horse-battery-staple"


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/?next=/workspace/campaigns/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    page.wait_for_selector("h1:has-text('Campaign cases')")


def log_out(page):
    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()


def test_an_officer_shares_a_case_that_only_network_branches_see(
    live_server, page, django_user_model
):
    home_council = build_authority(name="Exemplar Borough Council", gss_code="X09000071")
    home = build_branch(name="Exemplar Branch", slug="exemplar")
    home.authorities.add(home_council)
    NetworkMembership.objects.create(
        member_name=home_council.name,
        authority=home_council,
        member_type="council",
        joined_on=datetime.date(2019, 1, 1),
    )
    partner = build_branch(name="Partner Branch", joined_network_on=datetime.date(2021, 1, 1))
    partner.authorities.add(build_authority(name="Partnerton Council"))
    outside = build_branch(name="Faraway Branch")
    outside.authorities.add(build_authority(name="Faraway Council"))
    for username, branch, role in (
        ("olu-officer", home, "officer"),
        ("pat-partner", partner, "member"),
        ("fay-faraway", outside, "member"),
    ):
        user = django_user_model.objects.create_user(username, password=PASSWORD)
        BranchMembership.objects.create(user=user, branch=branch, role=role)

    log_in(page, live_server, "olu-officer")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Open a new case").click()
    page.get_by_label("Council").select_option(label="Exemplar Borough Council")
    page.get_by_label("Service area").select_option(label="Libraries")
    page.get_by_label("Title").fill("Keep Exemplar's libraries public")
    page.get_by_label("Summary").fill("The cabinet is looking at a library mutual.")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Open the case").click()
    page.wait_for_selector("text=The case was opened.")
    case_url = page.url

    page.locator("#id_milestone-date").fill("2026-12-15")
    page.locator("#id_milestone-stage").select_option(label="Options appraisal")
    page.locator("#id_milestone-description").fill("Options appraisal goes to cabinet")
    with page.expect_navigation():
        page.get_by_role("button", name="Add the milestone").click()
    page.wait_for_selector("text=The milestone was added.")

    page.get_by_label("What is to be done").fill("Brief the ward councillors")
    page.locator("#id_action-assigned_to").select_option(label="olu-officer")
    with page.expect_navigation():
        page.get_by_role("button", name="Add the action").click()
    page.wait_for_selector("text=The action was added.")

    with page.expect_navigation():
        page.get_by_role("button", name="Share with the branch network").click()
    page.wait_for_selector("text=The case is now shared with the branch network.")
    assert "Options appraisal goes to cabinet" in page.content()
    assert "Brief the ward councillors" in page.content()
    assert_accessible(page)
    screenshot(page, "campaign-case-shared")
    log_out(page)

    log_in(page, live_server, "pat-partner")
    row = page.get_by_role("row", name="Keep Exemplar's libraries public")
    assert "Shared with the network by Exemplar Branch" in row.inner_text()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Keep Exemplar's libraries public").click()
    page.wait_for_selector('h1:has-text("Keep Exemplar\'s libraries public")')
    expect(page.get_by_role("button", name="Add the milestone")).to_have_count(0)
    assert_accessible(page)
    log_out(page)

    log_in(page, live_server, "fay-faraway")
    assert "Keep Exemplar's libraries public" not in page.content()
    response = page.goto(case_url)
    assert response.status == 404
