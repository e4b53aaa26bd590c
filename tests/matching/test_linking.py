"""Linking suppliers to registers, on the tiny demo world (with its ground truth) and on the
real Contracts Finder samples (against the real register samples)."""

import csv
import io
import shutil
from pathlib import Path

import orjson
import pytest
from django.core.management import call_command

from mutualwatch.matching.discovery import discover_candidates
from mutualwatch.matching.evaluation import score
from mutualwatch.matching.models import (
    CandidateBody,
    Decision,
    EventSuggestion,
    Link,
    SuggestionStatus,
)
from mutualwatch.matching.services import EXPORT_COLUMNS, link_suppliers, mention_links
from mutualwatch.procurement.services import ingest_paths
from mutualwatch.register.importing import import_register
from mutualwatch.register.models import ProviderIdentifier
from mutualwatch.registers import store
from mutualwatch.registers.companies import ingest_companies
from mutualwatch.registers.models import CorporateControl, RegisteredBody
from mutualwatch.registers.ownership import ingest_ownership
from mutualwatch.registers.societies import ingest_societies
from tests.demoworld.conftest import read_json_lines, tiny_world  # noqa: F401
from tests.shared_data import BLUETAIL, COMPANIES_HOUSE, OCDS_STANDARD, REGISTERS, require

REGISTERS_OF = {"ch": "companies-house", "fca": "societies"}
CENSUS = "2025-12-31"


@pytest.fixture
def standard(settings):
    settings.OCDS_STANDARD_DIR = require(OCDS_STANDARD)


@pytest.fixture
def linked_world(tiny_world, standard, db):  # noqa: F811
    import datetime

    day = datetime.date.fromisoformat(CENSUS)
    import_register(tiny_world / "register.json")
    ingest_paths([str(tiny_world / "ocds")], workers=1)
    ingest_companies([tiny_world / "companies-house" / "BasicCompanyData-demo.csv"], day)
    ingest_societies(tiny_world / "co-operatives-uk" / "open_data_organisations-demo.csv", day)
    for path in sorted((tiny_world / "bods").glob("*.json")):
        ingest_ownership(path, day)
    summary = link_suppliers()
    return tiny_world, summary


def world_truth(world: Path) -> dict[tuple[str, str, str], tuple[str, str]]:
    truth = {}
    for mention in read_json_lines(world / "ground_truth" / "supplier_mentions.jsonl"):
        register, number = mention["company"].split(":")
        key = (mention["ocid"], mention["release_id"], mention["party_id"])
        truth[key] = (REGISTERS_OF[register], number)
    return truth


@pytest.mark.django_db(transaction=True)
def test_linking_recovers_the_demo_worlds_suppliers(linked_world):
    world, _summary = linked_world
    truth = world_truth(world)
    result = score(truth, mention_links())
    print(
        f"\ndemo world: {len(truth)} supplier mentions; precision {result.precision:.3f}, "
        f"recall {result.recall:.3f} ({result.true_links} right, {result.wrong_links} wrong, "
        f"{result.missed} missed)"
    )
    assert result.precision >= 0.97
    assert result.recall >= 0.95


@pytest.mark.django_db(transaction=True)
def test_decoys_never_take_a_link(linked_world):
    world, _summary = linked_world
    decoys = {
        company["number"]
        for company in read_json_lines(world / "ground_truth" / "companies.jsonl")
        if company["decoy_of"]
    }
    assert decoys
    taken = Link.objects.filter(
        number__in=decoys, decision__in=[Decision.AUTOMATIC, Decision.IDENTIFIER]
    )
    assert list(taken.values_list("published_name", "number")) == []


@pytest.mark.django_db(transaction=True)
def test_judgements_win_on_every_later_run(linked_world, django_user_model):
    researcher = django_user_model.objects.create_user("researcher")
    automatic = Link.objects.filter(decision=Decision.AUTOMATIC).first()
    reviewable = (
        Link.objects.exclude(decision=Decision.AUTOMATIC)
        .exclude(decision=Decision.IDENTIFIER)
        .first()
    )
    assert automatic is not None
    assert reviewable is not None
    Link.objects.filter(pk=automatic.pk).update(
        decision=Decision.REJECTED, judged_by=researcher, reason="a namesake"
    )
    Link.objects.filter(pk=reviewable.pk).update(
        decision=Decision.CONFIRMED, register="companies-house", number="X0000001",
        judged_by=researcher, reason="the annual report says so",
    )  # fmt: skip
    link_suppliers()
    automatic.refresh_from_db()
    reviewable.refresh_from_db()
    assert (automatic.decision, automatic.reason) == (Decision.REJECTED, "a namesake")
    assert (reviewable.decision, reviewable.number) == (Decision.CONFIRMED, "X0000001")


@pytest.mark.django_db(transaction=True)
def test_the_export_has_exactly_its_columns_and_a_row_per_supplier_party(linked_world, tmp_path):
    path = tmp_path / "links.csv"
    call_command("export_supplier_links", str(path), stdout=io.StringIO())
    with path.open(newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == EXPORT_COLUMNS
    assert rows[0] == [
        "ocid", "release_id", "party_id", "party_name", "register", "identifier",
        "match_probability", "decision",
    ]  # fmt: skip
    body = rows[1:]
    assert len({tuple(r[:3]) for r in body}) == len(body), "one row per party of each release"
    decisions = {r[7] for r in body}
    assert decisions <= {d.value for d in Decision}
    assert {r[4] for r in body if r[7] == "identifier"} <= {"companies-house", "societies"}


@pytest.mark.django_db(transaction=True)
def test_linked_bodies_and_their_controllers_are_copied_for_the_pages(linked_world):
    world, _summary = linked_world
    controlled = [
        provider
        for provider in read_json_lines(world / "ground_truth" / "providers.jsonl")
        if provider["controls"] and provider["company"].startswith("ch:")
    ]
    assert controlled
    checked = 0
    for provider in controlled:
        number = provider["company"].split(":")[1]
        body = RegisteredBody.objects.filter(register="companies-house", number=number).first()
        published = (world / "bods" / f"GB-COH_{number}_bods.json").exists()
        if body is None or not published:
            continue  # never linked, or the world published no control statements for it
        stored = {c.start_on.isoformat() for c in CorporateControl.objects.filter(body=body)}
        assert stored >= {c["start"] for c in provider["controls"]}, provider["name"]
        checked += 1
    assert checked


def stripped_bluetail(folder: Path) -> dict[tuple[str, str, str], tuple[str, str]]:
    """The bluetail packages with every supplier's Companies House number removed; returns
    the numbers removed, by (ocid, release id, party id)."""
    truth = {}
    for path in sorted(require(BLUETAIL).glob("*.json")):
        package = orjson.loads(path.read_bytes())
        for release in package.get("releases", []):
            for party in release.get("parties", []):
                identifier = party.get("identifier") or {}
                if "supplier" in party.get("roles", []) and identifier.get("scheme") == "GB-COH":
                    key = (release["ocid"], release["id"], party["id"])
                    truth[key] = ("companies-house", str(identifier["id"]).zfill(8))
                    party["identifier"] = {"scheme": "", "id": ""}
                    party.pop("additionalIdentifiers", None)
        (folder / path.name).write_bytes(orjson.dumps(package))
    return truth


@pytest.mark.django_db(transaction=True)
def test_the_real_samples_link_without_their_numbers(standard, tmp_path):
    import datetime

    folder = tmp_path / "bluetail"
    folder.mkdir()
    truth = stripped_bluetail(folder)
    assert len(truth) == 99
    ingest_paths([str(folder)], workers=1)
    sample = require(COMPANIES_HOUSE / "BasicCompanyData-sample-2021.csv")
    ingest_companies([sample], datetime.date(2021, 5, 1))
    for path in sorted(require(REGISTERS / "openownership-bods-psc-bluetail").glob("*.json")):
        ingest_ownership(path)
    link_suppliers()
    linked = mention_links()
    with store.connect(read_only=True) as connection:
        held = {
            ("companies-house", number)
            for (number,) in connection.execute(
                "SELECT number FROM companies UNION SELECT number FROM entities"
            ).fetchall()
        }
    overall = score(truth, linked)
    findable = score({k: v for k, v in truth.items() if v in held}, linked)
    for label, result in (("all", overall), ("in the register built", findable)):
        print(
            f"\nreal samples, {label}: {result.true_links + result.missed} supplier parties; "
            f"precision {result.precision:.3f}, recall {result.recall:.3f} "
            f"({result.true_links} right, {result.wrong_links} wrong, {result.missed} missed)"
        )
    assert overall.precision >= 0.95
    assert findable.recall >= 0.90
    shutil.rmtree(folder)


@pytest.mark.django_db(transaction=True)
def test_changes_of_control_in_the_world_are_suggested_with_their_true_dates(linked_world):
    world, _summary = linked_world
    checked = 0
    for provider in read_json_lines(world / "ground_truth" / "providers.jsonl"):
        number = provider["company"].removeprefix("ch:")
        if not (world / "bods" / f"GB-COH_{number}_bods.json").exists():
            continue
        if not Link.objects.filter(provider__uid=provider["uid"], number=number).exists():
            continue
        suggested = {
            (s.event_type, s.date.isoformat())
            for s in EventSuggestion.objects.filter(provider__uid=provider["uid"])
        }
        for control in provider["controls"]:
            if control["controller_kind"] == "private":
                assert ("takeover", control["start"]) in suggested, provider["name"]
                checked += 1
            elif control["controller_kind"] == "council":
                assert ("change-of-control", control["start"]) in suggested, provider["name"]
                checked += 1
    assert checked
    fates = {p["uid"]: p for p in read_json_lines(world / "ground_truth" / "providers.jsonl")}
    dissolved = EventSuggestion.objects.filter(event_type="dissolution", date_known=True)
    for suggestion in dissolved:
        truth = fates.get(str(suggestion.provider.uid))
        if truth and truth["fate"] == "dissolved":
            assert suggestion.date.isoformat() == truth["fate_on"]


@pytest.mark.django_db(transaction=True)
def test_a_second_run_adds_no_suggestion_and_keeps_decisions(linked_world):
    before = EventSuggestion.objects.count()
    first = EventSuggestion.objects.first()
    EventSuggestion.objects.filter(pk=first.pk).update(status=SuggestionStatus.DISMISSED)
    summary = link_suppliers()
    assert summary.suggestions == 0
    assert EventSuggestion.objects.count() == before
    first.refresh_from_db()
    assert first.status == SuggestionStatus.DISMISSED


@pytest.mark.django_db(transaction=True)
def test_the_provider_page_shows_its_registered_body_and_controllers(linked_world, client):
    link = (
        Link.objects.filter(provider__isnull=False, decision=Decision.IDENTIFIER)
        .exclude(provider__legal_form="in-house")
        .first()
    )
    provider = link.provider
    provider.state = "published"
    provider.save()
    text = client.get(f"/providers/{provider.uid}/").content.decode()
    body = RegisteredBody.objects.get(register=link.register, number=link.number)
    assert "In the register" in text
    assert body.number in text
    assert body.snapshot in text


@pytest.mark.django_db(transaction=True)
def test_a_cic_or_co_operative_missing_from_the_register_is_found_as_a_candidate(linked_world):
    mutual = next(
        link
        for link in Link.objects.filter(provider__isnull=False, decision__in=["identifier"])
        .select_related("provider")
        .filter(provider__legal_form__in=["cic", "cooperative"])
        # named as a supplier in some notice
        if Link.objects.filter(provider=None, register=link.register, number=link.number).exists()
    )
    assert discover_candidates() == 0 or not CandidateBody.objects.filter(number=mutual.number)
    # As if nobody had recorded it: no provider link, no identifier.
    ProviderIdentifier.objects.filter(provider=mutual.provider).delete()
    Link.objects.filter(provider=mutual.provider).delete()
    discover_candidates()
    found = CandidateBody.objects.filter(register=mutual.register, number=mutual.number)
    if not any(True for _ in found):
        pytest.fail(f"{mutual.published_name} ({mutual.number}) was not found as a candidate")
    candidate = found.first()
    assert candidate.evidence
    assert all(50 <= int(e["cpv"][:2]) <= 98 for e in candidate.evidence)
    assert candidate.authority_id is not None
