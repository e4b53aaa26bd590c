"""Normalised tables, buyer linking, notice suggestions, data quality and the read commands."""

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from mutualwatch.councils.services import record_official_name
from mutualwatch.procurement.bulk_writes import insert
from mutualwatch.procurement.models import (
    Award,
    AwardSupplier,
    Classification,
    NoticeSuggestion,
    Party,
    PartyIdentifier,
    ProcurementProcess,
    Release,
    SuggestionStatus,
    Tender,
)
from mutualwatch.procurement.quality import quality_by_source
from mutualwatch.procurement.queries import unlinked_buyers
from mutualwatch.procurement.services import ingest_paths
from tests.conftest import build_authority

from .conftest import package, release, write_json
from .test_normalise import COMPILED

pytestmark = pytest.mark.django_db


def as_release(compiled: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """The normalise tests' compiled release as a valid release (they also try loose values)."""
    data = json.loads(json.dumps(compiled))
    data["contracts"][0]["value"]["amount"] = 950000
    data["tender"]["tenderPeriod"]["endDate"] = "2024-02-01T00:00:00Z"
    return data | {"tag": ["award"], "id": "r1"} | changes


def test_a_release_fills_every_table(ocds_standard: Path, tmp_path: Path) -> None:
    ingest_paths([write_json(tmp_path / "p.json", package(as_release(COMPILED)))])
    process = ProcurementProcess.objects.get()
    assert process.title == "Adult social care"
    assert Tender.objects.get().procurement_method == "open"
    assert process.lots.count() == 1
    award = Award.objects.get()
    supplier = AwardSupplier.objects.get()
    assert supplier.award == award
    assert supplier.party is not None
    assert supplier.party.name == "Care Mutual Ltd"
    assert supplier.party.role_list == ["supplier", "tenderer"]
    assert set(PartyIdentifier.objects.values_list("scheme", "identifier")) == {
        ("GB-LAC", "E09000003"),
        ("GB-COH", "01234567"),
        ("GB-MPR", "12345R"),
    }
    assert process.contracts.get().award_id == "AW1"
    assert process.amendments.count() == 2
    assert set(Classification.objects.values_list("scheme", "code")) == {
        ("CPV", "85311000"),
        ("CPV", "85312000"),
    }
    assert set(NoticeSuggestion.objects.values_list("notice_type", "event_type")) == {
        ("UK4", "re-tender"),
        ("UK6", "contract-award"),
        ("UK10", "extension"),
    }


def test_recompiling_keeps_reviewers_decisions_on_suggestions(
    ocds_standard: Path, tmp_path: Path
) -> None:
    ingest_paths([write_json(tmp_path / "a.json", package(as_release(COMPILED)))])
    NoticeSuggestion.objects.filter(notice_type="UK4").update(status=SuggestionStatus.DISMISSED)
    later = as_release(COMPILED, id="r2", date="2024-04-01T00:00:00Z")
    summary = ingest_paths([write_json(tmp_path / "b.json", package(later))])
    assert summary.ocids_compiled == 1
    assert NoticeSuggestion.objects.get(notice_type="UK4").status == SuggestionStatus.DISMISSED
    assert NoticeSuggestion.objects.count() == 3
    assert Party.objects.count() == 2  # rebuilt, not duplicated


def test_buyer_linked_by_gss_code_in_its_identifier(ocds_standard: Path, tmp_path: Path) -> None:
    barnet = build_authority(gss_code="E09000003", name="Barnet")
    ingest_paths([write_json(tmp_path / "p.json", package(as_release(COMPILED)))])
    process = ProcurementProcess.objects.get()
    assert process.authority == barnet
    assert Party.objects.get(party_id="GB-LAC-E09000003").authority == barnet
    assert Party.objects.get(party_id="GB-COH-01234567").authority is None


def test_buyer_linked_by_exact_name_and_unlinked_buyers_listed(
    ocds_standard: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    oxford = build_authority(name="Oxford City Council")
    record_official_name(oxford, oxford.name)
    linked = release("A", buyer={"name": "Oxford City Council"})
    unlinked = [release(o, buyer={"name": "Nowhere Trust"}) for o in ("B", "C")]
    other = release("D", buyer={"name": "Met Office", "identifier": {"scheme": "X", "id": "9"}})
    ingest_paths([write_json(tmp_path / "p.json", package(linked, *unlinked, other))])
    assert ProcurementProcess.objects.get(ocid="A").authority == oxford
    assert [(b.name, b.processes) for b in unlinked_buyers()] == [
        ("Nowhere Trust", 2),
        ("Met Office", 1),
    ]
    out_csv = tmp_path / "unlinked.csv"
    call_command("ocds_unlinked_buyers", "--csv", str(out_csv))
    out = capsys.readouterr().out
    assert "Unlinked buyers: 2" in out
    assert "Met Office [X-9]" in out
    with out_csv.open() as handle:
        assert next(iter(csv.DictReader(handle))) == {
            "buyer_name": "Nowhere Trust",
            "buyer_identifier": "",
            "processes": "2",
        }
    with pytest.raises(CommandError, match="cannot write"):
        call_command("ocds_unlinked_buyers", "--csv", str(tmp_path / "no" / "dir.csv"))


def supplier(name: str, identifier: str | None = None) -> dict[str, Any]:
    org: dict[str, Any] = {"id": name, "name": name, "roles": ["supplier"]}
    if identifier:
        org["identifier"] = {"scheme": "GB-COH", "id": identifier}
    return org


def test_data_quality_per_source(
    ocds_standard: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = release(
        "A",
        parties=[supplier("S1", "111"), supplier("S2")],
        buyer={"name": "Council X"},
        tender={
            "id": "t",
            "title": "Libraries",
            "documents": [{"id": "d", "documentType": "memo"}],
        },
        awards=[
            {
                "id": "1",
                "value": {"amount": 5, "currency": "GBP"},
                "date": "2024-01-01T00:00:00Z",
                "suppliers": [{"id": "S1", "name": "S1"}],
            },
            {"id": "2", "suppliers": [{"id": "S2", "name": "S2"}]},
        ],
    )
    # The same process under a second ocid (same buyer and title): a split process.
    second = release("B", buyer={"name": "Council X"}, tender={"id": "t2", "title": "Libraries"})
    other = release("C", tender={"id": "t", "value": {"amount": 1, "currency": "GBP"}})
    ingest_paths([write_json(tmp_path / "a.json", package(first, second))])
    ingest_paths(
        [write_json(tmp_path / "b.json", package(other, publisher={"name": "Second Source"}))]
    )
    rows, problems = quality_by_source()
    by_name = {row.publisher: row for row in rows}
    example = by_name["Example Publisher"]
    assert (example.releases, example.processes) == (2, 2)
    assert (example.suppliers, example.suppliers_without_identifier) == (2, 1)
    assert example.shares["share_suppliers_without_identifier"] == 0.5
    assert (example.awards, example.awards_without_value, example.awards_without_date) == (2, 1, 1)
    assert (example.tenders, example.tenders_without_value) == (2, 2)
    assert example.ocids_in_split_processes == 2
    assert example.codelist_values_outside_standard == 1
    assert [(p.field, p.value, p.codelist) for p in problems] == [
        ("tender/documents/documentType", "memo", "documentType.csv")
    ]
    second_source = by_name["Second Source"]
    assert (second_source.tenders_without_value, second_source.suppliers) == (0, 0)
    assert second_source.shares["share_suppliers_without_identifier"] is None

    table, codelists = tmp_path / "quality.csv", tmp_path / "codelists.csv"
    call_command("ocds_quality", "--csv", str(table), "--codelists-csv", str(codelists))
    out = capsys.readouterr().out
    assert "suppliers without identifier: 1 of 2 (50%)" in out
    assert "'memo' not in documentType.csv" in out
    with table.open() as handle:
        exported = {row["publisher"]: row for row in csv.DictReader(handle)}
    assert exported["Example Publisher"]["share_suppliers_without_identifier"] == "0.5000"
    with codelists.open() as handle:
        assert next(csv.DictReader(handle))["value"] == "memo"


def test_lib_cove_codelist_fixture_reports_the_open_codelist_value(
    ocds_standard: Path, cove_fixtures: Path, tmp_path: Path
) -> None:
    data = json.loads(
        (cove_fixtures / "common_checks/get_additional_codelist_values_replaced.json").read_text()
    )
    data["releases"][0]["initiationType"] = "tender"  # "ppp" is refused by the schema itself
    ingest_paths([write_json(tmp_path / "codes.json", data)])
    _, problems = quality_by_source()
    assert [(p.field, p.value) for p in problems] == [("tender/documents/documentType", "foo")]


def test_fetch_standard_arguments_and_errors(tmp_path: Path, ocds_standard: Path) -> None:
    with pytest.raises(CommandError, match="not an OCDS version tag"):
        call_command("fetch_standard", "--ocds-version", "1.1", "--to", str(tmp_path / "s"))
    with pytest.raises(CommandError, match=r"could not be downloaded.*Nothing was changed"):
        call_command(
            "fetch_standard",
            "--to",
            str(tmp_path / "s"),
            "--base-url",
            (tmp_path / "missing").as_uri(),
        )
    assert not (tmp_path / "s").exists()
    with pytest.raises(CommandError, match="only http"):
        call_command("fetch_standard", "--to", str(tmp_path / "s"), "--base-url", "ftp://x/")
    # A local mirror (file URL) exercises the whole path without the network.
    call_command(
        "fetch_standard", "--to", str(tmp_path / "s"), "--base-url", ocds_standard.as_uri() + "/"
    )
    assert (tmp_path / "s" / "release-schema.json").read_bytes() == (
        ocds_standard / "release-schema.json"
    ).read_bytes()
    assert len(list((tmp_path / "s" / "codelists").glob("*.csv"))) == 19


def test_admin_pages_load_for_every_model(
    admin_client: Any, ocds_standard: Path, tmp_path: Path
) -> None:
    ingest_paths([write_json(tmp_path / "p.json", package(as_release(COMPILED), {"id": "bad"}))])
    bad = tmp_path / "bad.json"
    bad.write_text("[")
    ingest_paths([bad])
    from django.apps import apps

    for model in apps.get_app_config("procurement").get_models():
        url = f"/admin/procurement/{model._meta.model_name}/"
        response = admin_client.get(url, {"q": "a"})
        assert response.status_code == 200, url
        obj = model.objects.first()
        assert obj is not None, model
        response = admin_client.get(f"{url}{obj.pk}/change/")
        assert response.status_code == 200, url


def test_a_release_stored_meanwhile_is_skipped_not_an_error(ocds_standard: Path) -> None:
    """The ingest copies new releases straight in on PostgreSQL, expecting none to be stored
    already; one stored meanwhile (by another ingest) falls back to skipping it."""

    def row(key: str) -> dict[str, Any]:
        return {
            "content_hash": key,
            "ocid": "A",
            "release_id": key,
            "date": "2024-01-01T00:00:00Z",
            "tags": ["tender"],
            "ocds_version": "1.1",
            "publisher": "",
            "source_file": "f.json",
            "source_position": "releases[0]",
            "canonical_json": "{}",
        }

    insert(Release, [row("a" * 64)], ignore_conflicts=True, conflicts_unlikely=True)
    with transaction.atomic():
        insert(
            Release,
            [row("a" * 64), row("b" * 64)],
            ignore_conflicts=True,
            conflicts_unlikely=True,
        )
    assert sorted(Release.objects.values_list("content_hash", flat=True)) == ["a" * 64, "b" * 64]
