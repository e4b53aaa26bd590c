"""The FOI journey in a real Chromium: an officer opens a case, drafts an FOI request from the
pension admission agreements template, marks it sent and records the response as a source."""

import datetime
import os
from pathlib import Path

from django.contrib.auth.models import User
from playwright.sync_api import expect

from mutualwatch.branches.models import BranchMembership
from mutualwatch.campaigns.models import Case
from mutualwatch.foi.models import FoiRequest
from mutualwatch.register.models import ServiceArea
from tests.browser_support import BROWSER_MARKS, assert_accessible, browser, page
from tests.conftest import build_authority, build_branch

__all__ = ["browser", "page"]
pytestmark = BROWSER_MARKS

PASSWORD = "correct-horse-battery-staple"
#: Set MUTUALWATCH_SHOTS to keep a screenshot of the request page for the docs.
SHOTS = Path("/work/shots")


def an_officer_and_a_case() -> Case:
    libraries = ServiceArea.objects.get(code="libraries")
    council = build_authority(name="Exemplar Borough Council", nation="wales")
    branch = build_branch(name="Exemplar Branch")
    branch.authorities.add(council)
    officer = User.objects.create_user("olu-officer", password=PASSWORD)
    BranchMembership.objects.create(user=officer, branch=branch, role="officer")
    return Case.objects.create(
        branch=branch,
        authority=council,
        service_area=libraries,
        title="Keep Exemplar's libraries in-house",
    )


def test_an_officer_drafts_an_foi_request_and_records_the_response(live_server, page):
    case = an_officer_and_a_case()
    start = f"/workspace/campaigns/{case.pk}/"
    page.goto(f"{live_server.url}/accounts/login/?next={start}")
    page.get_by_label("Username").fill("olu-officer")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()

    # The case page offers the draft; choose the template, filled in from the case.
    page.wait_for_selector("h1:has-text('Keep Exemplar')")
    with page.expect_navigation():
        page.get_by_role("link", name="Draft an FOI request").click()
    page.wait_for_selector("h1:has-text('Draft an FOI request')")
    assert_accessible(page)
    page.get_by_label("Pension admission agreements").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Show the draft").click()
    body = page.get_by_label("The request")
    assert "Under the Freedom of Information Act 2000" in body.input_value()
    assert "admission agreement" in body.input_value()
    assert_accessible(page)
    body.fill(body.input_value() + "\nPlease include the 2023 valuation.\n")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the draft").click()
    page.wait_for_selector("text=Status: draft")
    assert_accessible(page)

    # Mark it sent today: the page gives the statutory deadline in working days.
    with page.expect_navigation():
        page.get_by_role("button", name="Mark sent").click()
    status = page.get_by_role("status").filter(has_text="Status:")
    assert "awaiting response" in status.inner_text()
    assert "working days left" in status.inner_text()
    assert_accessible(page)

    # Record the response as a source, by its link.
    page.get_by_label("The answer").select_option(label="Answered in part")
    page.get_by_label("Link to the response").fill("https://example.org/foi/pensions-answer")
    with page.expect_navigation():
        page.get_by_role("button", name="Record the response").click()
    assert "Status: answered" in status.inner_text()
    assert "review may be asked for until" in status.inner_text()
    expect(page.get_by_role("link", name="Response from")).to_have_count(1)
    assert_accessible(page)
    if os.environ.get("MUTUALWATCH_SHOTS"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / "foi.png", full_page=True)

    # Back on the case, the request is listed with its dates.
    with page.expect_navigation():
        page.get_by_role("link", name="Back to the case").click()
    listed = page.get_by_role("link", name="Freedom of Information request: pension admission")
    expect(listed).to_have_count(1)

    request = FoiRequest.objects.get()
    assert request.sent_on == datetime.date.today()
    assert request.response_kind == "partial"
    assert "Please include the 2023 valuation." in request.body
    assert request.response_source.url == "https://example.org/foi/pensions-answer"
