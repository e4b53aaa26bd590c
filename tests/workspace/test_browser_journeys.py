"""The workspace journeys in a real Chromium: a member submits, a researcher publishes."""

import datetime

from django.contrib.auth.models import User

from mutualwatch.branches.models import BranchMembership, NationalRole
from mutualwatch.register import services
from mutualwatch.register.models import Event, ServiceArea
from mutualwatch.workspace.forms import SHOWN_OPTIONS
from tests.browser_support import BROWSER_MARKS, assert_accessible, browser, page, screenshot
from tests.conftest import (
    build_arrangement,
    build_authority,
    build_branch,
    build_provider,
    build_source,
)

pytestmark = BROWSER_MARKS

PASSWORD = "correct-horse-battery-staple"


def libraries() -> ServiceArea:
    """The builders' service area; a transactional test flushes the data migration's rows."""
    return ServiceArea.objects.get_or_create(code="libraries", defaults={"name": "Libraries"})[0]


def a_branch_member_and_a_service(django_user_model):
    """Exemplar Branch, covering Exemplar Borough Council, whose libraries a mutual runs; its
    member ana-member. Returns the arrangement."""
    libraries()
    council = build_authority(name="Exemplar Borough Council", gss_code="X09000042")
    branch = build_branch(name="Exemplar Branch")
    branch.authorities.add(council)
    member = django_user_model.objects.create_user("ana-member", password=PASSWORD)
    BranchMembership.objects.create(user=member, branch=branch, role="member")
    return build_arrangement(
        authority=council, provider=build_provider(name="Exemplar Leisure Mutual Ltd")
    )


def log_in(page, live_server, username, next_url="/workspace/"):
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}{next_url}")


def test_a_member_submits_an_event_and_a_researcher_publishes_it(
    live_server, browser, django_user_model, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    arrangement = a_branch_member_and_a_service(django_user_model)
    researcher = django_user_model.objects.create_user("rex-researcher", password=PASSWORD)
    NationalRole.objects.create(user=researcher, role="researcher")

    # The member: home, the event form (first refused without a source), save, edit, submit.
    context = browser.new_context(viewport={"width": 412, "height": 915})
    page = context.new_page()
    log_in(page, live_server, "ana-member")
    page.wait_for_selector("h2:has-text('Exemplar Branch')")
    assert page.get_by_role("link", name="Exemplar Borough Council").count() == 1
    assert_accessible(page)
    screenshot(page, "workspace-member-home")

    page.get_by_role("link", name="Record an event").click()
    page.wait_for_selector("h1:has-text('Record an event')")
    assert_accessible(page)
    page.get_by_label("Event type").select_option(label="Takeover")
    page.get_by_label("Date", exact=True).fill("2024-03-01")
    page.get_by_label("Arrangement", exact=True).select_option(label=str(arrangement))
    page.get_by_label("Description").fill("Bought by Big Leisure plc")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_selector("text=There is a problem")
    assert "Cite at least one source" in page.locator("#id_existing_sources_error").inner_text()
    assert_accessible(page)
    screenshot(page, "workspace-event-form-without-source")

    page.get_by_label("New source: title").fill("Companies House PSC filing")
    page.get_by_label("New source: kind").select_option(label="Register filing")
    page.get_by_label("New source: web address").fill("https://example.org/psc/42")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_selector("text=Your event was saved as a draft.")
    assert_accessible(page)

    page.get_by_role("link", name="Edit this event").click()
    page.wait_for_selector("h1:has-text('Edit')")
    assert_accessible(page)
    page.get_by_label("Description").fill("Bought by Big Leisure plc in March 2024")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_selector("text=Your changes to the event were saved.")
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_selector("text=The event is now submitted for review.")
    assert page.locator(".history").inner_text().count("by you") >= 3
    screenshot(page, "workspace-member-event-submitted")
    context.close()
    event = Event.objects.get()
    assert (event.state, event.source.state) == ("submitted", "submitted")

    # The researcher: the queue, the compare view; verify and publish the source, then the event.
    context = browser.new_context(viewport={"width": 412, "height": 915})
    page = context.new_page()
    log_in(page, live_server, "rex-researcher", "/workspace/review/")
    assert page.get_by_role("cell", name="ana-member").count() == 2
    assert_accessible(page)
    screenshot(page, "workspace-review-queue")

    page.get_by_role("link", name=str(event)).click()
    page.wait_for_selector("h1:has-text('Review:')")
    assert "Exemplar Leisure Mutual Ltd" in page.locator(".published").inner_text()
    assert_accessible(page)
    screenshot(page, "workspace-compare")
    page.get_by_role("button", name="Verify").click()
    page.wait_for_selector("text=The event is now verified.")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_selector("text=Publish these first")
    assert_accessible(page)

    page.get_by_role("link", name="Companies House PSC filing").first.click()
    page.wait_for_selector("h1:has-text('Companies House PSC filing')")
    for step, done in (("Verify", "verified"), ("Publish", "published")):
        page.get_by_role("button", name=step).click()
        page.wait_for_selector(f"text=The source is now {done}.")
    page.go_back()
    page.go_back()
    page.goto(f"{live_server.url}/workspace/review/event/{event.uid}/")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_selector("text=The event is now published.")
    screenshot(page, "workspace-event-published")
    context.close()

    # Anyone: the event is on the public authority page, with its source, and nobody's name.
    context = browser.new_context(viewport={"width": 412, "height": 915})
    page = context.new_page()
    page.goto(f"{live_server.url}/authorities/{arrangement.authority.gss_code}/")
    page.wait_for_selector("text=Bought by Big Leisure plc in March 2024")
    assert page.get_by_role("link", name="Companies House PSC filing").count() == 1
    content = page.content()
    assert "ana-member" not in content
    assert "rex-researcher" not in content
    screenshot(page, "workspace-published-event-on-authority-page")
    context.close()


def test_a_visitor_reaches_no_workspace_url_or_unpublished_record(live_server, page):
    libraries()
    council = build_authority(name="Quietshire Council", gss_code="X09000043")
    branch = build_branch(name="Quiet Branch")
    branch.authorities.add(council)
    hidden_provider = build_provider(name="Hidden Mutual Ltd", state="submitted", branch=branch)
    hidden = build_arrangement(
        authority=council, provider=hidden_provider, state="submitted", branch=branch
    )
    for path in (
        "/workspace/",
        "/workspace/events/new/",
        "/workspace/arrangements/new/",
        "/workspace/review/",
        f"/workspace/arrangement/{hidden.uid}/",
        f"/workspace/arrangement/{hidden.uid}/edit/",
        f"/workspace/review/arrangement/{hidden.uid}/",
        f"/workspace/provider/{hidden_provider.uid}/",
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None
        # Redirected to the login page, which says nothing about the record.
        assert page.url.startswith(f"{live_server.url}/accounts/login/?next="), path
        assert "Hidden Mutual" not in page.content()
    assert_accessible(page)
    screenshot(page, "workspace-visitor-sent-to-login")

    response = page.goto(f"{live_server.url}/providers/{hidden_provider.uid}/")
    assert response is not None
    assert response.status == 404
    page.goto(f"{live_server.url}/authorities/{council.gss_code}/")
    assert "Hidden Mutual" not in page.content()
    assert User.objects.count() == 0


__all__ = ["browser", "page"]


def test_a_member_finds_an_old_source_in_a_long_list_by_searching(
    live_server, page, django_user_model
):
    arrangement = a_branch_member_and_a_service(django_user_model)
    old = build_source(title="Leisure trust accounts 2019")
    for n in range(SHOWN_OPTIONS + 5):
        build_source(title=f"Cabinet paper {n}")

    log_in(page, live_server, "ana-member", "/workspace/events/new/")
    sources = page.get_by_label("Sources already in the register", exact=True)
    assert sources.locator("option", has_text="Leisure trust accounts").count() == 0
    page.get_by_label("Event type").select_option(label="Takeover")
    page.get_by_label("Description").fill("Bought by Big Leisure plc")
    page.get_by_label("Search sources already in the register").fill("leisure trust")
    page.get_by_label("Search sources already in the register").press("Enter")
    page.wait_for_selector("text=1 match “leisure trust”.")
    assert page.get_by_label("Description").input_value() == "Bought by Big Leisure plc"
    assert_accessible(page)
    screenshot(page, "workspace-source-search")
    sources.select_option(label=old.title)
    page.get_by_label("Date", exact=True).fill("2024-03-01")
    page.get_by_label("Arrangement", exact=True).select_option(label=str(arrangement))
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_selector("text=Your event was submitted for review.")
    assert Event.objects.get().source == old


# How many lines each date cell of the history takes, as the browser lays it out.
DATE_CELL_LINES = """() => [...document.querySelectorAll('.history td.day')]
  .filter(cell => cell.textContent.trim())
  .map(cell => {
    const range = document.createRange();
    range.selectNodeContents(cell);
    return new Set([...range.getClientRects()].map(rect => Math.round(rect.top))).size;
  })"""


def test_a_member_reads_the_history_in_words_and_picks_the_branchs_sources_first(
    live_server, browser, django_user_model
):
    arrangement = a_branch_member_and_a_service(django_user_model)
    member = django_user_model.objects.get(username="ana-member")
    branch = member.branch_memberships.get().branch
    survey = services.add_source(
        member, branch_id=branch.pk, title="Branch survey of library staff",
        kind="branch-report", url="https://example.org/survey",
    )  # fmt: skip
    build_source(title="Annual report of the council")
    event = services.add_event(
        member, sources=[survey], branch_id=branch.pk, event_type="re-tender",
        date="2024-01-01", arrangement=arrangement, description="Re-tendered",
    )  # fmt: skip
    services.edit(
        member,
        event,
        event_type="merger",
        date=datetime.date(2020, 12, 25),
        counterparty=build_provider(name="Big Leisure plc"),
    )

    # The narrowest phone: the history still reads in words, and no date breaks in two.
    context = browser.new_context(viewport={"width": 320, "height": 800})
    page = context.new_page()
    log_in(page, live_server, "ana-member")
    for path in (f"/workspace/event/{event.uid}/", f"/history/event/{event.uid}/"):
        page.goto(f"{live_server.url}{path}")
        history = page.locator(".history").inner_text()
        for words in ("Merger or transfer of engagements", "Big Leisure plc", "Exemplar Branch"):
            assert words in history, (path, words)
        assert "25\u00a0December\u00a02020" in history
        for raw in ("branch_id", "source_id", "counterparty_id", "uid", "re-tender", "2020-12-25"):
            assert raw not in history, (path, raw)
        lines = page.evaluate(DATE_CELL_LINES)
        assert lines, path
        assert set(lines) == {1}, (path, lines)
        assert_accessible(page)
        screenshot(page, "workspace-history" if "workspace" in path else "public-history")

    page.goto(f"{live_server.url}/workspace/events/new/")
    sources = page.get_by_label("Sources already in the register", exact=True)
    groups = sources.locator("optgroup").evaluate_all("groups => groups.map(g => g.label)")
    assert groups == ["Sources from Exemplar Branch", "Other sources"]
    first = sources.locator("option").first.inner_text()
    assert first == "Branch survey of library staff"
    assert_accessible(page)
    screenshot(page, "workspace-sources-branch-first")
    context.close()
