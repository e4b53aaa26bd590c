"""Every reading of a record is logged (who, what, which, and a break-glass reason); listing a
branch's records opens none of them; records past their retention are gone before any page
is shown."""

import datetime

import pytest
from django.urls import reverse

from mutualwatch.workforce.exceptions import KeyMissing
from mutualwatch.workforce.models import AccessLog, Evidence, TermsRecord
from tests.workforce.conftest import GRANT_REASON

pytestmark = pytest.mark.django_db


def record_url(world, record):
    return reverse("workforce:record", args=[world.branch.slug, record.pk])


def test_an_officer_reading_a_record_is_logged_and_sees_its_answers_in_words(world, as_person):
    officer = world.people["officer"]
    response = as_person(officer).get(record_url(world, world.record))
    assert response.status_code == 200
    text = response.content.decode()
    for words in ("Hourly pay (£)", "£11.20", "Replaced by a defined-contribution scheme"):
        assert words in text
    assert ">dc<" not in text
    assert "in the branch&#x27;s safe" in text  # the evidence's description, opened
    read = AccessLog.objects.get(action="read", record_kind="TermsRecord")
    assert (read.user, read.username, read.record_id, read.branch_id, read.reason) == (
        officer,
        officer.username,
        world.record.pk,
        world.branch.pk,
        "",
    )
    assert AccessLog.objects.filter(
        action="read", record_kind="Evidence", record_id=world.evidence.pk, user=officer
    ).exists()


def test_each_reading_is_a_line_of_its_own(world, as_person):
    client = as_person(world.people["officer"])
    for _ in range(3):
        client.get(record_url(world, world.answered))
    assert AccessLog.objects.filter(action="read", record_id=world.answered.pk).count() == 3


def test_a_break_glass_reading_carries_its_reason_and_the_officers_see_it(world, as_person):
    administrator = world.people["administrator with grant"]
    response = as_person(administrator).get(record_url(world, world.answered))
    assert response.status_code == 200
    assert "£12.34" in response.content.decode()
    read = AccessLog.objects.get(action="read", record_id=world.answered.pk)
    assert read.user == administrator
    assert read.reason == f"Break-glass: {GRANT_REASON}"

    log_page = reverse("workforce:access-log", args=[world.branch.slug])
    text = as_person(world.people["officer"]).get(log_page).content.decode()
    assert administrator.username in text
    assert GRANT_REASON.replace("'", "&#x27;") in text
    assert "Break-glass access granted" in text
    assert "Read a record" in text


def test_an_administrators_branch_page_is_read_only(world, as_person):
    response = as_person(world.people["administrator with grant"]).get(
        reverse("workforce:branch", args=[world.branch.slug])
    )
    text = response.content.decode()
    assert "Break-glass access, read only" in text
    for action in ("add-evidence", "record-terms", "make-link", "member-request"):
        assert reverse(f"workforce:{action}", args=[world.branch.slug]) not in text


def test_listing_opens_no_record(world, as_person, settings):
    """With the key changed, no record opens: the list still shows, a record does not."""
    settings.WORKFORCE_KEY = "A" * 43 + "="
    client = as_person(world.people["officer"])
    response = client.get(reverse("workforce:branch", args=[world.branch.slug]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Exemplar Leisure Mutual Ltd" in text
    assert "One year after transfer" in text
    assert "A member&#x27;s questionnaire" in text
    assert not AccessLog.objects.filter(action="read").exists()
    with pytest.raises(KeyMissing):
        client.get(record_url(world, world.record))


def test_the_list_shows_links_without_their_tokens(world, as_person):
    response = as_person(world.people["officer"]).get(
        reverse("workforce:branch", args=[world.branch.slug])
    )
    text = response.content.decode()
    assert "Answered" in text
    assert "Not yet" in text
    assert world.token not in text
    assert world.link.token not in text


def test_records_past_retention_are_deleted_before_a_page_shows(world, as_person):
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    TermsRecord.objects.filter(pk=world.record.pk).update(delete_after=yesterday)
    Evidence.objects.filter(pk=world.evidence.pk).update(delete_after=yesterday)
    response = as_person(world.people["officer"]).get(
        reverse("workforce:branch", args=[world.branch.slug])
    )
    assert response.status_code == 200
    assert list(TermsRecord.objects.all()) == [world.answered]
    assert not Evidence.objects.exists()
    assert AccessLog.objects.filter(action="retention", branch=world.branch).count() == 2


def test_answers_read_in_words():
    from mutualwatch.workforce.wording import answers_in_words

    answers = {
        "zero_hours": False,
        "contracted_hours": "30.0",
        "hourly_pay": "12.50",
        "employer_pension_contribution": "19.5",
        "headcount": 1250,
        "sick_pay": "statutory",
        "pay_grade": "Scale 4",
    }
    assert answers_in_words(answers) == [
        ("Pay grade", "Scale 4"),
        ("Hourly pay (£)", "£12.50"),
        ("Employer pension contribution (%)", "19.5%"),
        ("Contracted hours a week", "30 hours"),
        ("Sick pay", "Statutory sick pay only"),
        ("Headcount", "1,250"),
        ("Zero-hours contracts in use", "No"),
    ]
