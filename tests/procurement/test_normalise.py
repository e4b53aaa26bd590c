"""Compiled release to normalised rows: pure, no database (the models only for their
columns' lengths)."""

import re
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from mutualwatch.procurement import normalise as normalise_module
from mutualwatch.procurement.models import (
    Amendment,
    Award,
    AwardSupplier,
    Classification,
    Contract,
    Lot,
    NoticeSuggestion,
    Party,
    Tender,
)
from mutualwatch.procurement.normalise import (
    ROLE,
    ROW_FIELDS,
    normalise,
    notices,
    parse_amount,
    parse_datetime,
)

COMPILED: dict[str, Any] = {
    "ocid": "ocds-b5fd17-1",
    "id": "ocds-b5fd17-1-2024-03-01T00:00:00Z",
    "date": "2024-03-01T00:00:00Z",
    "tag": ["compiled"],
    "initiationType": "tender",
    "parties": [
        {
            "id": "GB-LAC-E09000003",
            "name": "London Borough of Barnet",
            "roles": ["buyer", "procuringEntity"],
            "identifier": {"scheme": "GB-LAC", "id": "E09000003", "legalName": "LB Barnet"},
            "address": {
                "streetAddress": "2 Bristol Avenue",
                "locality": "London",
                "postalCode": "NW9 4EW",
                "countryName": "United Kingdom",
            },
        },
        {
            "id": "GB-COH-01234567",
            "name": "Care Mutual Ltd",
            "roles": ["supplier", "tenderer"],
            "identifier": {"scheme": "GB-COH", "id": "01234567"},
            "additionalIdentifiers": [{"scheme": "GB-MPR", "id": "12345R"}],
        },
    ],
    "buyer": {"id": "GB-LAC-E09000003", "name": "London Borough of Barnet"},
    "tender": {
        "id": "T1",
        "title": "Adult social care",
        "status": "complete",
        "procurementMethod": "open",
        "procurementMethodDetails": "Open procedure",
        "mainProcurementCategory": "services",
        "value": {"amount": 1000000.005, "currency": "GBP"},
        "tenderPeriod": {"startDate": "2024-01-01T09:00:00+00:00", "endDate": "2024-02-01"},
        "numberOfTenderers": 3,
        "lots": [{"id": "L1", "title": "North", "value": {"amount": 400000, "currency": "GBP"}}],
        "items": [
            {
                "id": "I1",
                "classification": {"scheme": "CPV", "id": "85311000", "description": "Social work"},
                "additionalClassifications": [{"scheme": "CPV", "id": "85312000"}],
            }
        ],
        "amendments": [{"id": "A1", "date": "2024-01-10T00:00:00Z", "rationale": "Typo"}],
        "documents": [
            {
                "id": "001-2024",
                "noticeType": "UK4",
                "documentType": "tenderNotice",
                "datePublished": "2024-01-01T09:00:00Z",
                "url": "https://www.find-tender.service.gov.uk/Notice/001-2024",
            },
        ],
    },
    "awards": [
        {
            "id": "AW1",
            "status": "active",
            "date": "2024-03-01T00:00:00Z",
            "value": {"amount": 950000, "currency": "GBP"},
            "suppliers": [{"id": "GB-COH-01234567", "name": "Care Mutual Ltd"}],
            "contractPeriod": {"startDate": "2024-04-01T00:00:00Z"},
            "documents": [{"id": "002-2024", "noticeType": "UK6"}, {"id": "x", "noticeType": "X"}],
        }
    ],
    "contracts": [
        {
            "id": "C1",
            "awardID": "AW1",
            "status": "active",
            "dateSigned": "2024-03-20T00:00:00Z",
            "value": {"amount": "950000", "currency": "GBP"},
            "amendments": [{"id": "CA1", "description": "Extended a year"}],
            "documents": [{"id": "003-2025", "noticeType": "uk10"}],
        }
    ],
}


def test_a_full_compiled_release() -> None:
    rows = normalise(COMPILED)
    assert rows.process == {
        "title": "Adult social care",
        "buyer_name": "London Borough of Barnet",
        "buyer_identifier": "GB-LAC-E09000003",
        "procurement_method": "open",
    }
    assert rows.buyer_party_id == "GB-LAC-E09000003"
    assert rows.buyer_identifiers == [("GB-LAC", "E09000003")]
    tender = rows.tender
    assert tender is not None
    assert tender["value_amount"] == Decimal("1000000.00")
    assert tender["period_start"] == datetime(2024, 1, 1, 9, tzinfo=UTC)
    assert tender["period_end"] == datetime(2024, 2, 1, tzinfo=UTC)
    assert tender["number_of_tenderers"] == 3
    assert [lot["lot_id"] for lot in rows.lots] == ["L1"]
    buyer, supplier = rows.parties
    assert buyer.roles == {"buyer", "procuringEntity"}
    assert buyer.fields["postal_code"] == "NW9 4EW"
    assert supplier.identifiers == [("GB-COH", "01234567", True), ("GB-MPR", "12345R", False)]
    (award,) = rows.awards
    assert award["suppliers"] == [("GB-COH-01234567", "Care Mutual Ltd")]
    assert award["contract_period_end"] is None
    (contract,) = rows.contracts
    assert contract["value_amount"] == Decimal("950000.00")
    assert {(a["stage"], a["amendment_id"]) for a in rows.amendments} == {
        ("tender", "A1"),
        ("contract", "CA1"),
    }
    assert [(c["code"], c["is_primary"]) for c in rows.classifications] == [
        ("85311000", True),
        ("85312000", False),
    ]


def test_procurement_act_notices_suggest_register_events() -> None:
    found = {(n["notice_type"], n["event_type"]) for n in notices(COMPILED)}
    assert found == {("UK4", "re-tender"), ("UK6", "contract-award"), ("UK10", "extension")}
    uk4 = next(n for n in notices(COMPILED) if n["notice_type"] == "UK4")
    assert uk4["url"].startswith("https://www.find-tender")


def test_ocds_1_0_organisations_become_parties() -> None:
    compiled = {
        "ocid": "X",
        "buyer": {"name": "Met Office", "identifier": {"scheme": "", "id": ""}},
        "tender": {"tenderers": [{"name": "Acme"}]},
        "awards": [
            {
                "id": "1",
                "suppliers": [
                    {"name": "Acme"},
                    {"name": "Beta", "identifier": {"scheme": "GB-COH", "id": "123"}},
                ],
            }
        ],
    }
    rows = normalise(compiled)
    names = {party.fields["name"]: party for party in rows.parties}
    assert set(names) == {"Met Office", "Acme", "Beta"}
    assert names["Met Office"].roles == {"buyer"}
    assert len(rows.parties) == 3
    assert names["Acme"].roles == {"tenderer", "supplier"}
    assert names["Beta"].identifiers == [("GB-COH", "123", True)]
    assert rows.process["buyer_name"] == "Met Office"
    assert rows.process["buyer_identifier"] == ""


def test_dates_and_amounts_that_cannot_be_read_are_none() -> None:
    assert parse_datetime("not a date") is None
    assert parse_datetime(None) is None
    assert parse_datetime("2024-05-01") == datetime(2024, 5, 1, tzinfo=UTC)
    assert parse_amount("abc") is None
    assert parse_amount(True) is None
    assert parse_amount(float("nan")) is None
    assert parse_amount(1e30) is None
    assert parse_amount("12.345") == Decimal("12.34")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "name",
                    "tender",
                    "awards",
                    "contracts",
                    "parties",
                    "buyer",
                    "value",
                    "amount",
                    "items",
                    "suppliers",
                    "documents",
                    "noticeType",
                    "roles",
                    "identifier",
                    "classification",
                    "amendments",
                    "lots",
                ]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=30,
)


@given(json_values)
def test_normalise_never_crashes_on_any_shape(value: Any) -> None:
    rows = normalise(value if isinstance(value, dict) else {"tender": value})
    for party in rows.parties:
        assert len(party.party_id) <= 300
    assert_ready_for_the_database(rows)


def rows_by_kind(rows: Any) -> dict[str, list[dict[str, Any]]]:
    return {
        "tender": [rows.tender] if rows.tender is not None else [],
        "lot": rows.lots,
        "award": rows.awards,
        "contract": rows.contracts,
        "amendment": rows.amendments,
        "classification": rows.classifications,
        "notice": rows.notices,
        "party": [party.fields for party in rows.parties],
    }


COLUMN_OF_KIND = {
    "tender": Tender,
    "lot": Lot,
    "award": Award,
    "contract": Contract,
    "amendment": Amendment,
    "classification": Classification,
    "notice": NoticeSuggestion,
    "party": Party,
}


def assert_ready_for_the_database(rows: Any) -> None:
    """Every row has ROW_FIELDS' keys in their order (the writer sends the values so), and no
    text longer than its column (the writer sends it uncut)."""
    for kind, found in rows_by_kind(rows).items():
        model = COLUMN_OF_KIND[kind]
        for row in found:
            assert tuple(row) == ROW_FIELDS[kind]
            for name, value in row.items():
                if name == "suppliers":
                    limit = AwardSupplier._meta.get_field("name").max_length
                    assert all(len(supplier) <= limit for _, supplier in value)
                    continue
                limit = getattr(model._meta.get_field(name), "max_length", None)
                if limit and isinstance(value, str):
                    assert len(value) <= limit, (kind, name)
    for party in rows.parties:
        assert all(len(role) <= ROLE for role in party.roles)


def test_a_full_release_gives_rows_in_the_writers_order() -> None:
    rows = normalise(COMPILED)
    assert all(rows_by_kind(rows).values())  # every kind is present in the example
    assert_ready_for_the_database(rows)


def test_long_text_is_cut_to_its_column() -> None:
    long = "x" * 2000
    compiled = {
        "tender": {
            "id": long,
            "status": long,
            "documents": [{"id": "n", "noticeType": "UK4", "url": "https://" + long}],
        },
        "awards": [
            {
                "id": long,
                "status": long,
                "suppliers": [{"name": long}],
                "items": [{"id": long, "classification": {"id": "1"}}],
            }
        ],
        "contracts": [{"id": long, "awardID": long, "status": long, "amendments": [{"id": long}]}],
        "parties": [{"id": long, "name": long, "roles": [long]}],
    }
    compiled["tender"]["lots"] = [{"id": long, "status": long}]
    rows = normalise(compiled)
    assert_ready_for_the_database(rows)
    # Cut, not dropped: every row is there, its long text at its column's full length.
    found = rows_by_kind(rows)
    assert {kind: len(found[kind]) for kind in found} == {
        "tender": 1,
        "lot": 1,
        "award": 1,
        "contract": 1,
        "amendment": 1,
        "classification": 1,
        "notice": 1,
        "party": 2,  # the published party, and the supplier named only by name
    }
    for kind, column in [
        ("tender", "tender_id"),
        ("tender", "status"),
        ("lot", "lot_id"),
        ("award", "award_id"),
        ("contract", "contract_id"),
        ("contract", "award_id"),
        ("amendment", "amendment_id"),
        ("amendment", "parent_id"),
        ("classification", "item_id"),
        ("notice", "url"),
        ("party", "name"),
    ]:
        limit = COLUMN_OF_KIND[kind]._meta.get_field(column).max_length
        assert len(found[kind][0][column]) == limit, (kind, column)
    assert rows.parties[0].party_id == long[: Party._meta.get_field("party_id").max_length]
    assert rows.parties[0].roles == {"x" * ROLE}
    limit = AwardSupplier._meta.get_field("name").max_length
    assert rows.awards[0]["suppliers"] == [(rows.parties[1].party_id, long[:limit])]


def test_no_column_length_is_written_into_normalise() -> None:
    """The lengths text is cut to are read from the models (a migration that widens a column
    widens what is kept), never written as numbers beside them."""
    source = Path(normalise_module.__file__).read_text()
    assert not re.findall(r"\[:\s*\d+\s*\]", source)
