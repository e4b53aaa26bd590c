"""Recognising councils as buyers, on the real Contracts Finder samples."""

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from mutualwatch.councils import queries, services
from mutualwatch.councils.exceptions import AuthorityFileError
from mutualwatch.councils.importers import normalise_authority_name
from mutualwatch.councils.models import AuthorityName, BuyerChoice, UnresolvedBuyer
from mutualwatch.councils.resolution import resolve_authority
from mutualwatch.register.models import Authority

from .builders import authority

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(register_csv, names_csv):
    services.import_authorities(register_csv)
    services.import_authority_names(names_csv)


def releases_in(document):
    """Every release in a file: a package's releases, a record's releases and compiled
    release, or a bare release.
    """
    if isinstance(document, list):
        for item in document:
            yield from releases_in(item)
        return
    if not isinstance(document, dict):
        return
    for release in document.get("releases") or []:
        if isinstance(release, dict):
            yield release
    for record in document.get("records") or []:
        yield from releases_in(record)
    if isinstance(document.get("compiledRelease"), dict):
        yield document["compiledRelease"]
    if "ocid" in document and "buyer" in document:
        yield document


def real_buyer_names(folder: Path) -> set[str]:
    names = set()
    for path in sorted(folder.rglob("*.json")):
        for release in releases_in(json.loads(path.read_text(encoding="utf-8"))):
            buyer = release.get("buyer") or {}
            if buyer.get("name"):
                names.add(buyer["name"])
            for party in release.get("parties") or []:
                if "buyer" in (party.get("roles") or []) and party.get("name"):
                    names.add(party["name"])
    return names


def register_keys(register_csv: Path, names_csv: Path) -> dict[str, set[str]]:
    """Each normalised name the register or the lookup gives, with the codes it names."""
    keys: dict[str, set[str]] = {}
    with register_csv.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            keys.setdefault(normalise_authority_name(row["official-name"]), set()).add(
                row["local-authority-code"]
            )
    with names_csv.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            keys.setdefault(normalise_authority_name(row["la-name"]), set()).add(
                row["local-authority-code"]
            )
    return keys


def test_real_buyers_named_by_the_register_all_resolve(
    register, register_csv, names_csv, real_ocds, capsys
):
    buyers = real_buyer_names(real_ocds)
    keys = register_keys(register_csv, names_csv)
    resolved = {name: services.resolve_buyer(name).on(None) for name in sorted(buyers)}
    councils = {name for name, found in resolved.items() if found is not None}
    named_by_register = {n for n in buyers if len(keys.get(normalise_authority_name(n), ())) == 1}
    shared_names = {n for n in buyers if len(keys.get(normalise_authority_name(n), ())) > 1}
    unresolved_named = sorted(named_by_register - councils)
    others = buyers - councils
    with capsys.disabled():
        print(
            f"\nreal Contracts Finder buyers: {len(buyers)} distinct names, "
            f"{len(councils)} resolve to a council, {len(others)} other bodies "
            f"(not in the register); {len(named_by_register)} named by the register, "
            f"{len(unresolved_named)} of them unresolved; {len(shared_names)} shared by a "
            f"council and its successor"
        )
    assert not unresolved_named, f"named by the register but unresolved: {unresolved_named}"
    for name in named_by_register:
        expected = keys[normalise_authority_name(name)]
        assert resolved[name].registry_code in expected, name
    assert 150 <= len(buyers) <= 250
    assert 60 <= len(councils) <= 110
    assert 80 <= len(others) <= 150
    # A name two councils share is not a to-do: the notice's date settles it in an ingest.
    to_do = {normalise_authority_name(n) for n in others - shared_names}
    assert UnresolvedBuyer.objects.count() == len(to_do)
    assert resolved["Telford &amp; Wrekin Council"].registry_code == "TFW"
    assert resolved["Doncaster MBC"].registry_code == "DNC"
    assert resolved["Down District Council"].registry_code == "NIR-R"
    assert resolved["Crown Commercial Service"] is None


def test_exact_names_and_gss_codes_resolve(register):
    assert resolve_authority("wiltshire council").registry_code == "WIL"
    assert resolve_authority("WILTSHIRE.").registry_code == "WIL"
    assert resolve_authority("Anything at all", "GB-GSS-E06000054").registry_code == "WIL"
    assert resolve_authority("Anything at all", "E06000054").registry_code == "WIL"
    assert resolve_authority("  ") is None
    assert resolve_authority("Crown Commercial Service") is None


def test_a_name_shared_with_a_successor_needs_the_spelling_or_a_date(register):
    assert resolve_authority("Somerset County Council").registry_code == "SOM"
    assert resolve_authority("Somerset Council").registry_code == "SMT"
    assert resolve_authority("The Somerset Borough Council") is None
    assert resolve_authority("The Somerset Borough Council", on=date(2018, 5, 1)).registry_code == (
        "SOM"
    )
    assert resolve_authority("The Somerset Borough Council", on=date(2024, 5, 1)).registry_code == (
        "SMT"
    )


def test_names_can_be_loaded_before_their_authorities(names_csv, register_csv):
    services.import_authority_names(names_csv)
    assert resolve_authority("Croydon") is None
    services.import_authorities(register_csv)
    assert resolve_authority("Croydon").registry_code == "CRY"
    again = services.import_authority_names(names_csv)
    assert (again.created, again.unchanged) == (0, 1750 - again.updated)


def test_a_spelling_given_to_two_councils_is_refused(register, tmp_path):
    path = tmp_path / "names.csv"
    path.write_text("la-name,local-authority-code\nCroydon,CRY\nCROYDON,SWK\n", encoding="utf-8")
    before = AuthorityName.objects.count()
    with pytest.raises(AuthorityFileError) as caught:
        services.import_authority_names(path)
    assert (caught.value.row, caught.value.field) == (3, "local-authority-code")
    assert AuthorityName.objects.count() == before


def test_unresolved_buyers_are_listed_with_candidates_and_a_choice_is_remembered(register, capsys):
    hillingdon_academy = (
        "The London Borough of Hillingdon on behalf of The Park Federation Academy Trust"
    )
    assert services.resolve_buyer(hillingdon_academy).on(None) is None
    assert services.resolve_buyer(hillingdon_academy.upper()).on(None) is None
    assert services.resolve_buyer("Newcastle Upon Tyne Councill").on(None) is None
    buyer = UnresolvedBuyer.objects.get(name=hillingdon_academy)
    assert buyer.times_seen == 2
    rows = {row.buyer.name: row.candidates for row in queries.unresolved_buyers()}
    assert rows[hillingdon_academy][0].registry_code == "HIL"
    assert "NET" in [a.registry_code for a in rows["Newcastle Upon Tyne Councill"]]

    call_command("unresolved_buyers")
    out = capsys.readouterr().out
    assert hillingdon_academy in out
    assert "London Borough of Hillingdon" in out

    researcher = get_user_model().objects.create_user("researcher")
    hillingdon = Authority.objects.get(registry_code="HIL")
    services.remember_choice(hillingdon_academy, hillingdon, researcher)
    assert resolve_authority(hillingdon_academy) == hillingdon
    assert not UnresolvedBuyer.objects.filter(name=hillingdon_academy).exists()
    assert BuyerChoice.objects.get().chosen_by == researcher


def test_a_remembered_choice_wins_over_every_rule(register):
    wiltshire = Authority.objects.get(registry_code="WIL")
    swindon = Authority.objects.get(registry_code="SWD")
    services.remember_choice("Wiltshire Council", swindon, None)
    assert resolve_authority("WILTSHIRE COUNCIL", "E06000054") == swindon
    services.remember_choice("Wiltshire", None, None)
    assert resolve_authority("Wiltshire Council") is None
    assert services.resolve_buyer("Wiltshire Council").on(None) is None
    assert not UnresolvedBuyer.objects.exists(), "a decided name is not a to-do"
    services.remember_choice("wiltshire", wiltshire, None)
    assert resolve_authority("Wiltshire Council") == wiltshire
    assert BuyerChoice.history.count() == 3


def test_an_empty_list_says_so(capsys):
    authority("E06000054", "Wiltshire Council")
    call_command("unresolved_buyers")
    assert "No unresolved buyers." in capsys.readouterr().out
