"""The collection journey in a real Chromium: an officer adds evidence, records terms and makes
a questionnaire link; a member with no account answers through it and gets a receipt code;
the officer's list shows the answers arrived."""

from mutualwatch.branches.models import BranchMembership, NationalRole
from mutualwatch.register.models import ServiceArea
from mutualwatch.workforce import services
from mutualwatch.workforce.models import TermsRecord
from tests.browser_support import BROWSER_MARKS, assert_accessible, browser, page, screenshot
from tests.conftest import build_arrangement, build_authority, build_branch, build_provider

pytestmark = BROWSER_MARKS

PASSWORD = "correct-horse-battery-staple"
PHONE = {"width": 412, "height": 915}


def an_officer_and_a_service(django_user_model):
    """Exemplar Branch follows Exemplar Borough Council, whose libraries a mutual runs; its
    officer olu-officer."""
    ServiceArea.objects.get_or_create(code="libraries", defaults={"name": "Libraries"})
    council = build_authority(name="Exemplar Borough Council", gss_code="X09000044")
    branch = build_branch(name="Exemplar Branch", slug="exemplar")
    branch.authorities.add(council)
    officer = django_user_model.objects.create_user("olu-officer", password=PASSWORD)
    BranchMembership.objects.create(user=officer, branch=branch, role="officer")
    return build_arrangement(
        authority=council, provider=build_provider(name="Exemplar Leisure Mutual Ltd")
    )


def test_an_officer_collects_terms_and_a_member_answers_without_an_account(
    live_server, browser, django_user_model
):
    arrangement = an_officer_and_a_service(django_user_model)
    service = str(arrangement)

    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/workspace/")
    page.get_by_label("Username").fill("olu-officer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/workspace/")
    page.get_by_role("link", name="Workforce terms", exact=True).click()
    page.get_by_role("link", name="Exemplar Branch").click()
    page.wait_for_selector("h1:has-text('Workforce terms of Exemplar Branch')")
    assert_accessible(page)

    page.get_by_role("link", name="Add evidence").click()
    page.get_by_label("Kind of document").select_option(label="Payslip")
    page.get_by_label("Dated").fill("2016-05-01")
    page.get_by_label("Description").fill("A library assistant's payslip, May 2016")
    page.get_by_role("button", name="Add evidence").click()
    page.wait_for_selector("text=The evidence was added.")

    page.get_by_role("link", name="Record terms").click()
    page.wait_for_selector("h1:has-text('Record terms')")
    page.get_by_label("Service").select_option(label=service)
    page.get_by_label("Time point").select_option(label="One year after transfer")
    page.get_by_label("Observed on").fill("2010-05-01")
    page.get_by_label("Evidence it rests on").select_option(index=1)
    page.get_by_label("Hourly pay (£)", exact=True).fill("11.20")
    page.get_by_label("Pension", exact=True).select_option(
        label="Replaced by a defined-contribution scheme"
    )
    page.get_by_role("button", name="Record these terms").click()
    # A date before the service began is refused next to its field.
    page.wait_for_selector("text=There is a problem")
    assert "before the arrangement began" in page.locator("#id_observed_on_error").inner_text()
    assert_accessible(page)
    screenshot(page, "workforce-record-terms-refused")
    page.get_by_label("Observed on").fill("2016-05-01")
    page.get_by_role("button", name="Record these terms").click()
    page.wait_for_selector(f"text=The terms of {service} were recorded.")

    page.get_by_role("link", name="Make a questionnaire link").click()
    page.get_by_label("Service").select_option(label=service)
    page.get_by_role("button", name="Make the link").click()
    link = page.get_by_label("The link").input_value()
    assert link.startswith(f"{live_server.url}/questionnaire/")
    assert_accessible(page)
    screenshot(page, "workforce-link-made")

    # The member: a fresh browser, no account.
    member = browser.new_context(viewport=PHONE)
    form = member.new_page()
    response = form.goto(link)
    assert response is not None
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "no-store" in response.headers["cache-control"]
    form.wait_for_selector("h1:has-text('Your terms and conditions')")
    assert form.get_by_role("link", name="Log in").count() == 0
    assert_accessible(form)
    screenshot(form, "workforce-questionnaire")
    form.get_by_label("Your job now").check()
    form.get_by_label("Hourly pay (£)").fill("-4")
    form.get_by_role("button", name="Send my answers").click()
    form.wait_for_selector("text=There is a problem")
    assert "negative" in form.locator("#id_hourly_pay_error").inner_text()
    assert_accessible(form)
    form.get_by_label("Hourly pay (£)").fill("12.34")
    form.get_by_label("Contracted hours a week").fill("30")
    form.get_by_role("group", name="Pension").get_by_label(
        "LGPS kept, closed to new starters"
    ).check()
    form.get_by_role("button", name="Send my answers").click()
    form.wait_for_selector("text=Keep this code")
    receipt = form.locator("#receipt-code").inner_text()
    assert len(receipt) == 20
    assert_accessible(form)
    screenshot(form, "workforce-questionnaire-receipt")
    form.goto(link)
    assert "already been answered" in form.content()
    member.close()

    # The officer's list shows the member's answers arrived, without what they said.
    # count() does not wait: the next page must have arrived first.
    with page.expect_navigation():
        page.get_by_role("link", name="Exemplar Branch: records").click()
    records = page.get_by_role("region", name="Workforce records of Exemplar Branch")
    assert records.get_by_text("A member's questionnaire").count() == 1
    assert records.get_by_text("Entered by a branch officer").count() == 1
    assert "12.34" not in page.content()
    links = page.get_by_role("region", name="Questionnaire links of Exemplar Branch")
    assert links.locator("td[data-label='Answered']").inner_text().startswith("Answered ")
    screenshot(page, "workforce-branch-records")
    assert TermsRecord.objects.filter(origin="questionnaire").count() == 1

    # Opening the member's answers shows them in words, and the reading is in the access log.
    records.get_by_role("row").filter(has_text="A member's questionnaire").get_by_role(
        "link"
    ).click()
    page.wait_for_selector("text=Your reading of this record is in the branch's access log.")
    terms = page.locator("dl.facts").inner_text()
    for words in ("Hourly pay (£)", "£12.34", "LGPS kept, closed to new starters", "30 hours"):
        assert words in terms
    assert_accessible(page)
    screenshot(page, "workforce-record")
    with page.expect_navigation():
        page.get_by_role("link", name="Access log").click()
    assert page.get_by_role("cell", name="Read a record").count() == 1
    assert page.get_by_role("cell", name="olu-officer").count() >= 1
    assert_accessible(page)
    context.close()


def test_an_administrator_reads_a_branchs_records_only_after_breaking_the_glass(
    live_server, browser, django_user_model
):
    arrangement = an_officer_and_a_service(django_user_model)
    officer = django_user_model.objects.get(username="olu-officer")
    evidence = services.add_evidence(
        officer, arrangement.authority.branches.get().pk, kind="letter", description="A letter",
        dated=None,
    )  # fmt: skip
    record = services.record_observation(
        officer, evidence.branch_id, arrangement, time_point="before", observed_on=None,
        answers={"hourly_pay": "10.50"}, evidence=evidence,
    )  # fmt: skip
    admin = django_user_model.objects.create_user("ada-admin", password=PASSWORD)
    NationalRole.objects.create(user=admin, role="administrator")

    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/workspace/")
    page.get_by_label("Username").fill("ada-admin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/workspace/")
    response = page.goto(f"{live_server.url}/workspace/workforce/exemplar/records/{record.pk}/")
    assert response is not None
    assert response.status == 403
    assert "10.50" not in page.content()

    page.goto(f"{live_server.url}/workspace/")
    page.get_by_role("link", name="Workforce terms", exact=True).click()
    page.wait_for_selector("h1:has-text('Break-glass access')")
    assert_accessible(page)
    page.get_by_label("Branch").select_option(label="Exemplar Branch")
    page.get_by_label("Why you need to read its workforce records").fill(
        "Investigating a member's complaint about how their answers were used."
    )
    page.get_by_role("button", name="Break the glass").click()
    page.wait_for_selector("text=Break-glass access, read only")
    assert page.get_by_role("link", name="Record terms").count() == 0
    assert_accessible(page)
    screenshot(page, "workforce-break-glass-branch")
    with page.expect_navigation():
        page.get_by_role("link", name=str(arrangement)).click()
    assert "£10.50" in page.locator("dl.facts").inner_text()
    with page.expect_navigation():
        page.get_by_role("link", name="Access log").click()
    assert page.get_by_role("cell", name="Break-glass access granted").count() == 1
    reasons = page.locator("td[data-label='Reason']").all_inner_texts()
    assert "Break-glass: Investigating a member's complaint" in " ".join(reasons)
    context.close()


__all__ = ["browser", "page"]
