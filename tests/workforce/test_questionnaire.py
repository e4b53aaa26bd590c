"""A member's questionnaire: single-use, no account, sealed answers, a receipt code that
finds them for a copy or erasure, and impossible values refused by field."""

import datetime

import orjson
import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from mutualwatch.workforce import services
from mutualwatch.workforce.models import AccessLog, QuestionnaireLink, TermsRecord
from tests.workforce.conftest import ANSWERED

pytestmark = pytest.mark.django_db


def address(token):
    return reverse("questionnaire", args=[token])


def test_the_questionnaire_asks_in_words_and_keeps_its_address_to_itself(world, client):
    response = client.get(address(world.token))
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode()
    for words in (
        "Your job now",
        "Your job before the transfer",
        "Hourly pay (£)",
        "Contracted hours a week",
        "LGPS kept, closed to new starters",
        "Statutory sick pay only",
        "Exemplar Borough Council",
    ):
        assert words in text
    for not_asked in ("Pay grade", "Headcount", 'name="name"'):
        assert not_asked not in text
    # A minimal header: no navigation to the site's logged-in areas, nor its search.
    for navigation in ('aria-label="Main"', 'href="/workspace/', "/accounts/login/", "Log out"):
        assert navigation not in text


def test_a_link_is_answered_once_then_refused(world, client):
    response = client.post(address(world.token), ANSWERED)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Keep this code" in text
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
    record = TermsRecord.objects.filter(origin="questionnaire").latest("pk")
    assert f"kept until {record.delete_after:%-d %B %Y}" in text
    for reuse in (client.get, lambda url: client.post(url, ANSWERED)):
        again = reuse(address(world.token))
        assert again.status_code == 410
        assert "already been answered" in again.content.decode()
        assert "no-store" in again["Cache-Control"]
    assert TermsRecord.objects.filter(origin="questionnaire").count() == 2


def test_an_expired_link_is_gone(world, client):
    QuestionnaireLink.objects.filter(pk=world.link.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    for response in (client.get(address(world.token)), client.post(address(world.token), ANSWERED)):
        assert response.status_code == 410
        assert "expired" in response.content.decode()
    assert TermsRecord.objects.filter(origin="questionnaire").count() == 1


def test_an_unknown_link_is_not_found(world, client):
    response = client.get(address("not-a-token-the-branch-sent"))
    assert response.status_code == 404
    assert "not one the branch sent" in response.content.decode()
    assert response["Referrer-Policy"] == "no-referrer"


def test_the_answers_are_sealed_in_the_database(world, client):
    response = client.post(address(world.token), ANSWERED | {"hourly_pay": "23.47"})
    assert response.status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT sealed_answers, receipt FROM workforce_termsrecord")
        stored = cursor.fetchall()
    receipt = response.context["receipt"]
    assert len(stored) == 3
    for sealed, kept_receipt in stored:
        assert "23.47" not in sealed
        assert "2347" not in sealed
        assert "hourly_pay" not in sealed
        assert receipt not in kept_receipt


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("hourly_pay", "-3", "Hourly pay (£): -3 is negative."),
        ("hourly_pay", "600", "Hourly pay (£): £600 an hour is over £500"),
        ("contracted_hours", "90", "Contracted hours a week: 90 hours a week is over 80."),
        ("annual_leave_days", "twenty", "Annual leave (days a year): “twenty” is not a number."),
    ],
)
def test_impossible_values_are_refused_next_to_their_field(world, client, field, value, words):
    response = client.post(address(world.token), ANSWERED | {field: value})
    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert words in form.errors[field][0]
    text = response.content.decode()
    assert f'id="id_{field}_error"' in text
    assert 'aria-invalid="true"' in text
    link = QuestionnaireLink.objects.get(pk=world.link.pk)
    assert link.answered_at is None
    assert TermsRecord.objects.filter(origin="questionnaire").count() == 1


def test_an_officers_date_before_the_service_began_is_refused(world, as_person):
    response = as_person(world.people["officer"]).post(
        reverse("workforce:record-terms", args=[world.branch.slug]),
        {
            "arrangement": world.arrangement.pk,
            "evidence": world.evidence.pk,
            "time_point": "year-3",
            "observed_on": "2010-01-01",
            "hourly_pay": "-1",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "before the arrangement began" in errors["observed_on"][0]
    assert "Hourly pay (£): -1 is negative." in errors["hourly_pay"][0]
    assert TermsRecord.objects.count() == 2


def test_the_receipt_code_exports_the_answers_then_erases_them(world, as_person):
    client = as_person(world.people["officer"])
    url = reverse("workforce:member-request", args=[world.branch.slug])
    code = world.receipt.lower()  # as a member might say it
    response = client.post(url, {"receipt": code, "intent": "export"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    copy = orjson.loads(response.content)
    assert copy["answers"] == {"hourly_pay": "12.34"}
    assert copy["answers_in_words"] == {"Hourly pay (£)": "£12.34"}
    assert copy["service"] == str(world.arrangement)

    confirm = client.post(url, {"receipt": code, "intent": "erase"})
    assert confirm.status_code == 200
    assert "Erase these answers" in confirm.content.decode()
    assert TermsRecord.objects.filter(pk=world.answered.pk).exists()
    erased = client.post(url, {"receipt": code, "intent": "confirm-erase"})
    assert erased.status_code == 302
    assert not TermsRecord.objects.filter(pk=world.answered.pk).exists()
    assert TermsRecord.objects.filter(pk=world.record.pk).exists()
    actions = list(
        AccessLog.objects.filter(record_id=world.answered.pk, record_kind="TermsRecord")
        .order_by("at", "pk")
        .values_list("action", flat=True)
    )
    assert actions == ["add", "export", "erase"]

    again = client.post(url, {"receipt": code, "intent": "export"})
    assert again.status_code == 400
    assert "No answers of this branch have the receipt code" in again.content.decode()


def test_another_branchs_officer_cannot_use_a_receipt_code(world, as_person):
    elsewhere = services.make_link(
        world.people["other officer"], world.other_branch.pk, world.elsewhere
    )
    answered = services.answer_questionnaire(elsewhere.token, time_point="before", answers={})
    client = as_person(world.people["officer"])
    url = reverse("workforce:member-request", args=[world.branch.slug])
    response = client.post(url, {"receipt": answered.receipt, "intent": "export"})
    assert response.status_code == 400
    assert TermsRecord.objects.filter(pk=answered.record.pk).exists()
