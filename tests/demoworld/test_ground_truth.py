"""The ground truth agrees with everything the world published."""

import csv
from collections import defaultdict
from pathlib import Path

import orjson
import pytest

from mutualwatch.demoworld.cooperatives import COOPERATIVES_FILE
from tests.demoworld.conftest import (
    ocds_packages,
    read_companies_house,
    read_json_lines,
    read_register,
)


@pytest.fixture(scope="module")
def truth(tiny_world: Path) -> dict[str, list[dict]]:
    folder = tiny_world / "ground_truth"
    return {path.stem: list(read_json_lines(path)) for path in folder.glob("*.jsonl")}


def test_every_published_supplier_is_a_mention_in_the_ground_truth(tiny_world: Path, truth):
    mentions = {(m["release_id"], m["party_id"]): m for m in truth["supplier_mentions"]}
    seen = set()
    for name, package in ocds_packages(tiny_world):
        if ":" in name:
            continue
        for release in package["releases"]:
            for party in release["parties"]:
                if "buyer" in party["roles"]:
                    continue
                mention = mentions[(release["id"], party["id"])]
                assert mention["published_name"] == party["name"]
                assert mention["ocid"] == release["ocid"]
                seen.add((release["id"], party["id"]))
    assert seen == set(mentions)


def test_every_mentioned_company_exists_in_its_register(tiny_world: Path, truth):
    companies_house = read_companies_house(tiny_world)
    world = {company["company"]: company for company in truth["companies"]}
    for mention in truth["supplier_mentions"]:
        register, number = mention["company"].split(":")
        if register == "ch":
            assert number in companies_house, mention
        else:
            assert mention["company"] in world, mention
        if mention["provider"]:
            assert world[mention["company"]]["provider"] == mention["provider"]


def test_published_identifiers_are_the_true_company(truth):
    with_identifier = [m for m in truth["supplier_mentions"] if m["published_identifier"]]
    assert with_identifier
    for mention in with_identifier:
        register, number = mention["company"].split(":")
        scheme = "GB-COH" if register == "ch" else "GB-MPR"
        assert mention["published_identifier"] == f"{scheme}-{number}"


def test_every_world_company_on_companies_house_is_in_the_file_under_its_name(
    tiny_world: Path, truth
):
    companies_house = read_companies_house(tiny_world)
    on_ch = [c for c in truth["companies"] if c["register"] == "ch"]
    assert len(on_ch) > 50
    for company in on_ch:
        row = companies_house[company["number"]]
        assert row["CompanyName"] == company["name"].upper()
        assert row["CompanyStatus"] == company["status"]


def test_decoys_look_like_a_world_company_but_are_another(truth):
    companies = {company["company"]: company for company in truth["companies"]}
    decoys = [c for c in truth["companies"] if c["decoy_of"]]
    assert decoys
    for decoy in decoys:
        original = companies[decoy["decoy_of"]]
        assert decoy["number"] != original["number"]
        stem = original["name"].removesuffix(" Limited").removesuffix(" CIC")
        assert stem in decoy["name"]
        assert not decoy["provider"]


def test_the_register_records_exactly_the_histories_that_left_the_council(tiny_world: Path, truth):
    records = read_register(tiny_world)
    arrangements = {r["uid"]: r for r in records if r["record_type"] == "arrangement"}
    expected = {}
    for history in truth["histories"]:
        for spell in history["spells"]:
            if history["in_register"]:
                expected[spell["arrangement"]] = (history, spell)
            else:
                assert spell["origin"] == "always-in-house"
                assert spell["arrangement"] not in arrangements
    assert set(arrangements) == set(expected)
    for uid, (history, spell) in expected.items():
        arrangement = arrangements[uid]
        assert arrangement["authority"] == history["authority"]
        assert arrangement["service_area"] == history["service_area"]
        assert arrangement["provider"] == spell["provider"]
        assert arrangement["start"] == spell["start"]
        assert arrangement["end"] == spell["end"]
        assert arrangement["origin"] == spell["origin"]
        assert arrangement["contract_references"] == spell["ocid"]


def test_register_events_agree_with_provider_fates(tiny_world: Path, truth):
    records = read_register(tiny_world)
    events_by_provider = defaultdict(list)
    for record in records:
        if record["record_type"] == "event":
            events_by_provider[record["provider"]].append(record)
    fate_events = {
        "taken-over": "takeover",
        "insolvent": "insolvency",
        "dissolved": "dissolution",
        "insourced": "insourcing",
        "re-tendered": "re-tender",
    }
    spun_out = [p for p in truth["providers"] if p["formed_on"]]
    assert spun_out
    for provider in spun_out:
        events = events_by_provider[provider["uid"]]
        assert [e["date"] for e in events if e["event_type"] == "spin-out"] == [
            provider["formed_on"]
        ]
        exits = [e for e in events if e["event_type"] in fate_events.values()]
        if provider["fate"] == "ongoing":
            assert exits == []
        else:
            first = min(exits, key=lambda e: e["date"])
            assert first["event_type"] == fate_events[provider["fate"]]
            assert first["date"] == provider["fate_on"]


def test_every_register_reference_resolves_and_every_record_is_published(tiny_world: Path):
    records = read_register(tiny_world)
    keys = defaultdict(set)
    for record in records:
        for field in ("uid", "gss_code", "code"):
            if field in record:
                keys[record["record_type"]].add(record[field])
    for record in records:
        if "state" in record:
            assert record["state"] == "published"
        kind = record["record_type"]
        if kind in ("arrangement", "event"):
            sources = record["sources"].split(" | ")
            assert sources
            assert set(sources) <= keys["source"]
        if kind == "arrangement":
            assert record["authority"] in keys["authority"]
            assert record["service_area"] in keys["service_area"]
            assert record["provider"] in keys["provider"]
        if kind == "event":
            assert record["arrangement"] in keys["arrangement"]
            for field in ("provider", "counterparty"):
                assert record[field] == "" or record[field] in keys["provider"]
        if kind == "provider_control":
            assert record["source"] in keys["source"]
            assert record["controller"] == "" or record["controller"] in keys["provider"]
        if kind == "source":
            assert record["url"].startswith("https://")
            assert ".example." in record["url"]


def test_spend_suppliers_are_true_companies(tiny_world: Path, truth):
    vendors = {(v["authority"], v["supplier_id"]): v for v in truth["spend_suppliers"]}
    rows = 0
    for path in sorted((tiny_world / "spend").glob("*.csv")):
        authority = path.name.split("-", 1)[0]
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                vendor = vendors[(authority, row["Supplier ID"])]
                assert row["Supplier Name"] == vendor["supplier_name"]
                assert float(row["Amount"]) >= 500
                rows += 1
    assert rows > 100


def test_bods_statements_follow_each_company_s_control(tiny_world: Path, truth):
    providers = {p["uid"]: p for p in truth["providers"]}
    companies = [c for c in truth["companies"] if c["register"] == "ch" and c["provider"]]
    for company in companies:
        provider = providers[company["provider"]]
        path = tiny_world / "bods" / f"GB-COH_{company['number']}_bods.json"
        statements = orjson.loads(path.read_bytes())
        subject = statements[0]
        assert subject["identifiers"][0]["id"] == company["number"]
        ownership = [s for s in statements if s["statementType"] == "ownershipOrControlStatement"]
        ids = {s["statementID"] for s in statements}
        for statement in ownership:
            party = statement["interestedParty"]
            referenced = party.get("describedByEntityStatement") or party.get(
                "describedByPersonStatement"
            )
            assert referenced is None or referenced in ids
        if provider["legal_form"] != "private-company":
            assert len(ownership) == len(provider["controls"])
            open_ended = [s for s in ownership if "endDate" not in s["interests"][0]]
            assert len(open_ended) == 1


def test_the_cooperatives_register_lists_every_society_provider(tiny_world: Path, truth):
    with (tiny_world / COOPERATIVES_FILE).open(encoding="utf-8", newline="") as handle:
        rows = {row["Registered Number"]: row for row in csv.DictReader(handle)}
    societies = [c for c in truth["companies"] if c["register"] == "fca"]
    assert societies
    for society in societies:
        row = rows[society["number"]]
        assert row["Registered Name"] == society["name"]
        assert row["Registrar"] == "FCA"
        assert row["Registered Status"] == ("Live" if society["status"] == "Active" else "Dead")
