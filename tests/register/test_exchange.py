"""Export and import of the whole register (docs/register-format.md)."""

import csv
import datetime
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mutualwatch.branches.models import Branch
from mutualwatch.register.exceptions import RegisterFileError
from mutualwatch.register.exchange import (
    parse_partial_date,
    partial_date_text,
    write_records,
)
from mutualwatch.register.exporting import export_records
from mutualwatch.register.importing import import_register
from mutualwatch.register.models import (
    Arrangement,
    Authority,
    Event,
    NetworkMembership,
    Provider,
    ProviderControl,
    ProviderIdentifier,
    ProviderName,
    ServiceArea,
    Source,
)
from tests.conftest import (
    build_arrangement,
    build_authority,
    build_branch,
    build_event,
    build_provider,
    build_source,
)

PARTIAL_DATE_SHAPE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
REPO = Path(__file__).resolve().parents[2]
ALL_MODELS = [
    Event,
    Arrangement,
    ProviderControl,
    ProviderIdentifier,
    ProviderName,
    Provider,
    NetworkMembership,
    Source,
    Branch,
]


@given(st.dates(min_value=datetime.date(1000, 1, 1)), st.sampled_from(["day", "month", "year"]))
def test_a_partial_date_reads_back_as_written(value, precision):
    text = partial_date_text(value, precision)
    start, read_precision = parse_partial_date(text)
    assert read_precision == precision
    assert partial_date_text(start, read_precision) == text
    assert start <= value


@given(st.text(max_size=12).filter(lambda text: not PARTIAL_DATE_SHAPE.match(text.strip())))
def test_anything_else_is_refused_with_a_reason(text):
    with pytest.raises(ValueError, match="date"):
        parse_partial_date(text)


def build_register() -> None:
    """A small register touching every record type and every kind of link."""
    old, new = build_authority(name="Oldshire"), build_authority(name="Newshire")
    old.replaced_by = new
    old.end_date = datetime.date(2019, 3, 31)
    old.save()
    listing = build_source(title="The network's members", kind="web-page")
    NetworkMembership.objects.create(
        member_name="Newshire Council",
        authority=new,
        tier="associate",
        joined_on=datetime.date(2013, 5, 1),
        joined_precision="month",
        source=listing,
        notes="Listed in the annual report.",
    )
    NetworkMembership.objects.create(
        member_name="Oldshire Co-operative Group",
        member_type="opposition-group",
        authority=old,
        tier="unstated",
        joined_on=datetime.date(2011, 1, 1),
        joined_precision="year",
        joined_basis="first-listed",
        left_on=datetime.date(2018, 1, 1),
        left_precision="year",
        source=listing,
    )
    NetworkMembership.objects.create(
        member_name="Co-operative Development Agency",
        member_type="organisation",
        tier="affiliate",
        joined_on=datetime.date(2020, 6, 2),
    )
    ServiceArea.objects.create(
        code="adult-day-services",
        name="Adult day services",
        parent=ServiceArea.objects.get(code="adult-social-care"),
    )
    branch = build_branch(region="North West")
    branch.authorities.add(old, new)
    mutual = build_provider(name="Care Mutual Ltd", branch=branch)
    buyer = build_provider(name="Big Care plc", legal_form="private-company")
    ProviderName.objects.create(provider=mutual, name="Oldshire Care Services")
    ProviderIdentifier.objects.create(provider=mutual, scheme="GB-COH", identifier="09876543")
    control_source = build_source(title="PSC filing", kind="register-filing")
    ProviderControl.objects.create(
        provider=mutual,
        controller_name="Big Care plc",
        controller_kind="private",
        controller=buyer,
        start_date=datetime.date(2019, 6, 1),
        start_precision="month",
        source=control_source,
    )
    arrangement = build_arrangement(
        authority=old,
        service_area=ServiceArea.objects.get(code="adult-day-services"),
        provider=mutual,
        start_date=datetime.date(2014, 1, 1),
        start_precision="year",
        staff_transferred=120,
        contract_references=["CF-2014-0001", "OJEU 2014/S 001-000001"],
        branch=branch,
    )
    arrangement.additional_sources.add(
        build_source(kind="press"), build_source(kind="foi-response")
    )
    build_event(
        arrangement=arrangement,
        event_type="takeover",
        counterparty=buyer,
        date=datetime.date(2019, 6, 1),
        date_precision="month",
    )
    build_event(provider=mutual, event_type="change-of-control", state="submitted", branch=branch)


def empty_the_register() -> None:
    Authority.objects.update(replaced_by=None)
    for model in ALL_MODELS:
        model.objects.all().delete()
    Authority.objects.all().delete()
    ServiceArea.objects.filter(parent__isnull=False).delete()


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", [".json", ".csv"])
def test_export_then_import_into_an_empty_register_gives_the_same_register(tmp_path, suffix):
    build_register()
    first, second = tmp_path / f"first{suffix}", tmp_path / f"second{suffix}"
    write_records(first, export_records())
    counts = {model: model.objects.count() for model in [*ALL_MODELS, Authority, ServiceArea]}

    empty_the_register()
    assert not Arrangement.objects.exists()
    import_register(first)
    write_records(second, export_records())

    assert second.read_bytes() == first.read_bytes()
    assert {model: model.objects.count() for model in counts} == counts


@pytest.mark.django_db
def test_importing_the_same_file_twice_changes_nothing_the_second_time(tmp_path):
    build_register()
    path = tmp_path / "register.json"
    write_records(path, export_records())
    empty_the_register()
    first = import_register(path)
    history_rows = {m: m.history.count() for m in [Arrangement, Event, Provider, Source, Branch]}

    second = import_register(path)

    assert first.changed > 0
    assert second.changed == 0
    assert {m: m.history.count() for m in history_rows} == history_rows


@pytest.mark.django_db
def test_a_file_with_one_bad_row_imports_nothing_and_says_which_row_and_why(tmp_path):
    build_register()
    good = tmp_path / "good.csv"
    write_records(good, export_records())
    empty_the_register()
    with good.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    arrangement_row = next(i for i, row in enumerate(rows) if row["record_type"] == "arrangement")
    rows[arrangement_row]["origin"] = "privatisation"
    bad = tmp_path / "bad.csv"
    with bad.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    with pytest.raises(RegisterFileError) as caught:
        import_register(bad)

    error = caught.value
    assert error.path == str(bad)
    assert error.record == f"row {arrangement_row + 2}"
    assert error.field == "origin"
    assert "'privatisation' is not one of" in error.reason
    assert not Authority.objects.exists()
    assert not Provider.objects.exists()
    assert not Source.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        ({"start": "2014-13"}, "start", "not a real date"),
        ({"authority": "X99999999"}, "authority", "no authority with gss_code"),
        ({"sources": ""}, "sources", "is required"),
        ({"provider": "not-a-uuid"}, "provider", "no provider with uid"),
        ({"staff_transferred": "many"}, "staff_transferred", "not a whole number"),
        ({"colour": "red"}, "colour", "is not a field of a arrangement"),
    ],
)
def test_a_bad_json_record_is_named_with_its_field_and_reason(tmp_path, change, field, reason):
    build_register()
    records = list(export_records())
    position = next(i for i, r in enumerate(records) if r["record_type"] == "arrangement")
    records[position] |= change
    path = tmp_path / "bad.json"
    write_records(path, records)
    before = Arrangement.objects.count()
    with pytest.raises(RegisterFileError) as caught:
        import_register(path)
    assert (caught.value.record, caught.value.field) == (f"records[{position}]", field)
    assert reason in caught.value.reason
    assert Arrangement.objects.count() == before


@pytest.mark.django_db
def test_malformed_json_is_refused_with_its_line(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format": "mutualwatch-register",\n "records": [,]}')
    with pytest.raises(RegisterFileError, match=r"broken.json, line 2, column \d+: not valid JSON"):
        import_register(path)


@pytest.mark.django_db
def test_published_only_export_leaves_out_drafts_and_branches(tmp_path):
    build_register()
    records = list(export_records(published_only=True))
    assert {r["record_type"] for r in records}.isdisjoint({"branch"})
    assert all(r.get("state", "published") == "published" for r in records)
    assert any(r["record_type"] == "arrangement" for r in records)
    assert len([r for r in records if r["record_type"] == "event"]) == 1


@pytest.mark.django_db
def test_the_commands_round_trip_into_a_fresh_database(tmp_path):
    """The CLI, end to end: export, then migrate a brand-new SQLite file and import into it."""
    build_register()
    exported, again = tmp_path / "register.csv", tmp_path / "again.csv"
    write_records(exported, export_records())
    env = os.environ | {"DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}"}

    def mutualwatch(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "mutualwatch", *args],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    assert mutualwatch("migrate", "-v0").returncode == 0
    imported = mutualwatch("import-register", str(exported))
    assert imported.returncode == 0, imported.stderr
    assert "arrangement: 1 read, 1 new" in imported.stdout
    assert mutualwatch("export-register", str(again)).returncode == 0
    assert again.read_bytes() == exported.read_bytes()

    broken = tmp_path / "broken.csv"
    broken.write_text("record_type,code,name\nservice_area,,Nameless\n")
    refused = mutualwatch("import-register", str(broken))
    assert refused.returncode == 1
    assert f"Nothing was imported. {broken}, row 2, field 'code': is required" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_json_export_is_a_self_describing_document(tmp_path):
    path = tmp_path / "one.json"
    write_records(path, [{"record_type": "service_area", "code": "x", "name": "X"}])
    document = json.loads(path.read_text())
    assert document["format"] == "mutualwatch-register"
    assert document["format_version"] == 1


@pytest.mark.django_db
def test_imported_records_are_searchable_at_once(client, tmp_path):
    """New rows are written in bulk, without post_save: the search index follows anyway."""
    build_register()
    path = tmp_path / "register.json"
    write_records(path, export_records())
    empty_the_register()
    assert "Care Mutual Ltd" not in client.get("/search/?q=care+mutual").content.decode()
    import_register(path)
    assert "Care Mutual Ltd" in client.get("/search/?q=care+mutual").content.decode()
    assert "Newshire" in client.get("/search/?q=newshire").content.decode()


@pytest.mark.django_db
def test_memberships_keep_their_type_tier_dates_and_source_through_a_round_trip(tmp_path):
    build_register()
    path = tmp_path / "register.csv"
    fields = [
        "member_name", "member_type", "tier", "authority__gss_code", "joined_on",
        "joined_precision", "joined_basis", "left_on", "left_precision", "source__uid", "notes",
    ]  # fmt: skip
    before = sorted(NetworkMembership.objects.values_list(*fields))
    write_records(path, export_records())
    empty_the_register()
    import_register(path)

    assert sorted(NetworkMembership.objects.values_list(*fields)) == before
    group = NetworkMembership.objects.get(member_type="opposition-group")
    assert (group.tier, group.joined_basis, group.left_precision) == (
        "unstated",
        "first-listed",
        "year",
    )


@pytest.mark.django_db
def test_a_membership_written_before_members_had_types_is_its_council_tier_not_stated(tmp_path):
    council = build_authority(name="Oldformat Council")
    path = tmp_path / "old.json"
    path.write_text(
        json.dumps(
            {
                "format": "mutualwatch-register",
                "format_version": 1,
                "records": [
                    {
                        "record_type": "network_membership",
                        "authority": council.gss_code,
                        "joined_on": "2012-07-01",
                    }
                ],
            }
        )
    )
    import_register(path)

    membership = NetworkMembership.objects.get()
    assert (membership.member_name, membership.member_type, membership.tier) == (
        "Oldformat Council",
        "council",
        "unstated",
    )
    assert (membership.joined_on, membership.joined_precision) == (
        datetime.date(2012, 7, 1),
        "day",
    )
