"""What a record contributes to the published tables: labels people read, never codes, and
the measures each table averages."""

import pytest

from mutualwatch.register.labels import LEGAL_FORM_LABELS, SERVICE_AREA_NAMES
from mutualwatch.workforce.aggregates import (
    TABLE_SPECS,
    Where,
    cell_document,
    cell_from_document,
    contribution,
    pay_ratio,
    spec_document,
    spec_from_document,
    where_of,
)
from mutualwatch.workforce.disclosure import Cell
from mutualwatch.workforce.instrument import Pension, Period, Recognition
from tests.conftest import build_arrangement, build_authority, build_provider

WHERE = Where(
    authority="Aldrystow Council",
    service_area="Libraries",
    provider_kind="Public service mutual",
    arrangement="Libraries for Aldrystow Council by Aldrystow Libraries Ltd",
)


def test_the_tables_are_the_published_ones_with_plain_titles():
    assert [spec.key for spec in TABLE_SPECS] == [
        "pension-national",
        "pension-by-provider-kind",
        "pension-by-service-area",
        "pension-by-authority",
        "pension-by-arrangement",
        "recognition-by-provider-kind",
        "two-tier-by-provider-kind",
        "pay-by-provider-kind",
        "hours-by-provider-kind",
        "headcount-by-service-area",
    ]
    by_key = {spec.key: spec for spec in TABLE_SPECS}
    assert by_key["pension-by-arrangement"].rows == ("arrangement", "period")
    assert by_key["pay-by-provider-kind"].measure == "pay_ratio"
    assert by_key["headcount-by-service-area"].measure == "headcount"
    for spec in TABLE_SPECS:
        assert "-" not in spec.title, spec.title
        assert "_" not in spec.title, spec.title
        assert spec_from_document(spec_document(spec)) == spec


def test_a_members_answers_contribute_labels_and_measures():
    answers = {
        "pension": "lgps-closed",
        "recognition": "no-facility-time",
        "two_tier": True,
        "contracted_hours": "22.5",
        "hourly_pay": "12.40",
    }
    item = contribution(WHERE, "dated", answers, cohort=3)
    assert item.cohort == 3
    assert item.attributes == {
        "period": "After transfer",
        "provider_kind": "Public service mutual",
        "service_area": "Libraries",
        "authority": "Aldrystow Council",
        "arrangement": "Libraries for Aldrystow Council by Aldrystow Libraries Ltd",
        "pension": Pension.LGPS_CLOSED.label,
        "recognition": Recognition.NO_FACILITY_TIME.label,
        "two_tier": "Yes",
    }
    # A member's own pay says nothing of the council's rate for the grade: no pay ratio.
    assert item.magnitudes == {"pay_ratio": None, "hours": 22.5, "headcount": None}


@pytest.mark.parametrize("time_point", ["before", "at"])
def test_before_and_at_transfer_are_the_baseline_period(time_point):
    item = contribution(WHERE, time_point, {}, cohort=1)
    assert item.attributes["period"] == Period.BEFORE.label == "Before or at transfer"
    assert item.attributes["pension"] is None
    assert item.attributes["two_tier"] is None


def test_an_officers_observation_gives_the_pay_ratio_and_headcount():
    answers = {"hourly_pay": "11.70", "council_hourly_pay": "13.00", "headcount": 42}
    item = contribution(WHERE, "year-3", answers, cohort=1)
    assert item.magnitudes["pay_ratio"] == pytest.approx(90.0)
    assert item.magnitudes["headcount"] == 42.0
    assert item.attributes["two_tier"] is None


def test_no_pay_ratio_without_the_councils_rate_or_against_a_zero_rate():
    assert pay_ratio({"hourly_pay": "11.70"}) is None
    assert pay_ratio({"hourly_pay": "11.70", "council_hourly_pay": "0.00"}) is None
    assert pay_ratio({"hourly_pay": "13", "council_hourly_pay": "10"}) == pytest.approx(130.0)


@pytest.mark.django_db
def test_the_register_side_is_labels_people_read():
    arrangement = build_arrangement(
        authority=build_authority(name="Aldrystow Council"),
        provider=build_provider(name="Aldrystow Libraries Ltd", legal_form="cic"),
    )
    where = where_of(arrangement)
    assert where.authority == "Aldrystow Council"
    assert where.service_area == SERVICE_AREA_NAMES["libraries"]
    assert where.provider_kind == LEGAL_FORM_LABELS["cic"] == "Community interest company"
    assert where.arrangement == (
        "Libraries for Aldrystow Council by Aldrystow Libraries Ltd (from 2014)"
    )


def test_a_cell_survives_its_json_round_trip():
    cell = Cell("pension-national", ("After transfer",), "Total", 12, 12.0, "")
    assert cell_from_document(cell_document(cell)) == cell
    withheld = Cell(
        "pension-national", ("After transfer",), "No pension scheme", None, None, "primary"
    )
    assert cell_from_document(cell_document(withheld)) == withheld
