"""Workforce records as stored: the instrument's limits, sealing at rest and key rotation,
retention, a member's erasure and subject-access copy, and the settings that guard them."""

import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from mutualwatch.workforce import crypto, services
from mutualwatch.workforce.exceptions import KeyMissing, NotAllowed, TermsRefused
from mutualwatch.workforce.instrument import TimePoint, check_terms
from mutualwatch.workforce.models import AccessAction, AccessLog, Evidence, TermsRecord
from tests.conftest import build_arrangement, build_branch
from tests.test_cli_and_settings import run

START = datetime.date(2014, 4, 1)


def check(answers: dict[str, Any], **context: Any) -> dict[str, Any]:
    values = {"time_point": TimePoint.YEAR_1, "observed_on": None, "arrangement_start": START}
    return check_terms(answers, **(values | context))


@pytest.mark.parametrize(
    ("answers", "field", "words"),
    [
        ({"hourly_pay": "-1"}, "hourly_pay", "Hourly pay (£): -1 is negative"),
        ({"hourly_pay": "500.01"}, "hourly_pay", "is over £500"),
        ({"contracted_hours": "80.5"}, "contracted_hours", "80.5 hours a week is over 80"),
        ({"annual_leave_days": "61"}, "annual_leave_days", "over 60"),
        ({"headcount": "12.5"}, "headcount", "not a whole number"),
        ({"pension": "gold-plated"}, "pension", "not one of the choices"),
        ({"employer_pension_contribution": "101"}, "employer_pension_contribution", "over 100%"),
        ({"hourly_pay": "lots"}, "hourly_pay", "is not a number"),
        ({"hourly_pay": "NaN"}, "hourly_pay", "is not a number"),
        ({"salary": "10"}, "salary", "not a term the instrument records"),
    ],
)
def test_an_impossible_answer_is_refused_naming_its_field(answers, field, words):
    with pytest.raises(TermsRefused) as refused:
        check(answers)
    assert list(refused.value.problems) == [field]
    assert words in refused.value.problems[field]


def test_an_observation_after_transfer_cannot_predate_the_arrangement():
    with pytest.raises(TermsRefused) as refused:
        check({}, time_point=TimePoint.DATED, observed_on=datetime.date(2014, 3, 31))
    assert (
        "is before the arrangement began (01 April 2014)" in refused.value.problems["observed_on"]
    )
    # Before transfer, the date is naturally earlier.
    assert check({}, time_point=TimePoint.BEFORE, observed_on=datetime.date(2013, 1, 1)) == {}
    with pytest.raises(TermsRefused, match="needs its date"):
        check({}, time_point=TimePoint.DATED)


@given(
    pay=st.decimals(min_value=0, max_value=500, places=2),
    hours=st.decimals(min_value=0, max_value=80, places=1),
    leave=st.integers(min_value=0, max_value=60),
    two_tier=st.booleans(),
)
def test_every_possible_answer_is_kept_as_given(pay, hours, leave, two_tier):
    clean = check(
        {
            "hourly_pay": f"£{pay}",
            "contracted_hours": str(hours),
            "annual_leave_days": leave,
            "two_tier": "yes" if two_tier else "no",
        }
    )
    assert Decimal(clean["hourly_pay"]) == pay
    assert Decimal(clean["contracted_hours"]) == hours
    assert clean["annual_leave_days"] == leave
    assert clean["two_tier"] is two_tier


@pytest.fixture
def officer_setup(person):
    branch = build_branch()
    arrangement = build_arrangement()
    branch.authorities.add(arrangement.authority)
    officer = person("branch officer", branch)
    evidence = services.add_evidence(
        officer, branch.pk, kind="payslip", description="Payslip of A. Member", dated=None
    )
    return branch, arrangement, officer, evidence


def observe(setup: Any, **answers: Any) -> TermsRecord:
    branch, arrangement, officer, evidence = setup
    return services.record_observation(
        officer,
        branch.pk,
        arrangement,
        time_point=TimePoint.YEAR_3,
        observed_on=None,
        answers=answers,
        evidence=evidence,
    )


def raw_column(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return str(cursor.fetchone()[0])


@pytest.mark.django_db
def test_what_a_record_says_is_sealed_in_the_database(officer_setup):
    record = observe(officer_setup, hourly_pay="12.34", pay_grade="Scale 4")
    stored = raw_column("workforce_termsrecord", "sealed_answers", record.pk)
    assert "12.34" not in stored
    assert "Scale 4" not in stored
    assert crypto.unseal(stored) == {"hourly_pay": "12.34", "pay_grade": "Scale 4"}
    evidence = officer_setup[3]
    assert "A. Member" not in raw_column("workforce_evidence", "sealed_description", evidence.pk)


@pytest.mark.django_db
def test_a_rotated_key_still_opens_old_records_and_resealing_retires_it(officer_setup, settings):
    old_key, new_key = crypto.new_key(), crypto.new_key()
    settings.WORKFORCE_KEY = old_key
    Evidence.objects.update(sealed_description=crypto.seal("Letter of 1 May"))
    record = observe(officer_setup, hourly_pay="11.00")
    settings.WORKFORCE_KEY, settings.WORKFORCE_OLD_KEYS = new_key, [old_key]
    assert crypto.unseal(TermsRecord.objects.get().sealed_answers) == {"hourly_pay": "11.00"}
    call_command("workforce_rotate_key", stdout=(out := io.StringIO()))
    assert "Resealed 2 workforce records and pieces of evidence." in out.getvalue()
    settings.WORKFORCE_OLD_KEYS = []
    assert crypto.unseal(TermsRecord.objects.get(pk=record.pk).sealed_answers)["hourly_pay"] == (
        "11.00"
    )
    settings.WORKFORCE_KEY = old_key
    with pytest.raises(KeyMissing, match="does not open"):
        crypto.unseal(TermsRecord.objects.get(pk=record.pk).sealed_answers)


@pytest.mark.django_db
def test_an_observation_must_cite_the_branchs_own_evidence_for_a_council_it_follows(
    officer_setup, person
):
    branch, arrangement, officer, _ = officer_setup
    other = build_branch()
    foreign = services.add_evidence(
        person("branch officer", other), other.pk, kind="letter", description="x", dated=None
    )
    with pytest.raises(NotAllowed, match="own evidence"):
        observe((branch, arrangement, officer, foreign), hourly_pay="10")
    elsewhere = build_arrangement()
    with pytest.raises(NotAllowed, match="does not follow"):
        observe((branch, elsewhere, officer, officer_setup[3]), hourly_pay="10")
    assert not TermsRecord.objects.exists()


@pytest.mark.django_db
def test_records_past_retention_are_deleted_and_the_deletion_logged(officer_setup, settings):
    kept = observe(officer_setup, hourly_pay="10")
    expired = observe(officer_setup, hourly_pay="9")
    TermsRecord.objects.filter(pk=expired.pk).update(delete_after=datetime.date(2020, 1, 1))
    Evidence.objects.update(delete_after=datetime.date(2020, 1, 1))
    call_command("workforce_retention", stdout=(out := io.StringIO()))
    assert "Deleted 2 workforce records and pieces of evidence kept longer than 2,190 days." in (
        out.getvalue()
    )
    assert list(TermsRecord.objects.values_list("pk", flat=True)) == [kept.pk]
    assert TermsRecord.objects.get().evidence is None
    logged = AccessLog.objects.filter(action=AccessAction.RETENTION)
    assert sorted(logged.values_list("count", flat=True)) == [1, 1]
    assert all(row.user is None for row in logged)


@pytest.mark.django_db
def test_a_member_gets_a_copy_of_their_answers_and_their_erasure_by_receipt_code(
    officer_setup, person
):
    branch, arrangement, officer, _ = officer_setup
    link = services.make_link(officer, branch.pk, arrangement)
    answered = services.answer_questionnaire(
        link.token, time_point=TimePoint.DATED, answers={"hourly_pay": "10.50", "pension": "dc"}
    )
    copy = services.export_member_answers(officer, branch.pk, answered.receipt.lower())
    assert copy["answers"] == {"hourly_pay": "10.50", "pension": "dc"}
    assert copy["time_point"] == "On a stated date"
    with pytest.raises(NotAllowed):
        services.export_member_answers(person("branch member", branch), branch.pk, answered.receipt)
    services.erase_member_answers(officer, branch.pk, answered.receipt)
    assert not TermsRecord.objects.exists()
    with pytest.raises(NotAllowed, match="No answers of this branch have the receipt code"):
        services.erase_member_answers(officer, branch.pk, answered.receipt)
    actions = list(AccessLog.objects.order_by("at", "pk").values_list("action", flat=True))
    assert actions[-2:] == [AccessAction.EXPORT, AccessAction.ERASE]


def test_production_refuses_to_start_without_the_workforce_key():
    result = run(
        "check",
        MUTUALWATCH_ENV="production",
        DJANGO_SECRET_KEY="k" * 50,
        MUTUALWATCH_WORKFORCE_KEY="",
    )
    assert result.returncode != 0
    assert "MUTUALWATCH_WORKFORCE_KEY is not set" in result.stderr


def test_the_fewest_respondents_a_cell_may_show_is_never_below_five():
    result = run("check", MUTUALWATCH_WORKFORCE_MIN_RESPONDENTS="4")
    assert result.returncode != 0
    assert "never below 5" in result.stderr


def test_a_malformed_key_is_named(settings):
    settings.WORKFORCE_KEY = "short"
    with pytest.raises(KeyMissing, match="not a valid key"):
        crypto.seal({"hourly_pay": "10"})
