"""Ingest end to end: real UK samples, lib-cove-ocds fixtures, quarantine, rejection,
incremental compiling and idempotency."""

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Exists, OuterRef
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mutualwatch.procurement.compile import compile_releases
from mutualwatch.procurement.models import (
    Award,
    AwardSupplier,
    PartyIdentifier,
    ProcurementProcess,
    QuarantinedRelease,
    RejectedFile,
    Release,
)
from mutualwatch.procurement.services import ingest_paths

from .conftest import package, release, write_json
from .dump import canonical_dump

pytestmark = pytest.mark.django_db


def plain_releases(path: Path) -> list[dict[str, Any]]:
    """The releases in a file, found with nothing but the json module."""
    data = json.loads(path.read_text())
    if isinstance(data, list):
        return data
    if "records" in data:
        return [r for record in data["records"] for r in record["releases"] if "ocid" in r]
    if "releases" in data:
        return [r for r in data["releases"] if "ocid" in r]
    return [data]


def digest(data: Any) -> str:
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def test_every_real_uk_sample_ingests_with_counts_checked_independently(
    ocds_standard: Path, real_ocds: Path
) -> None:
    files = sorted(real_ocds.rglob("*.json"))
    releases = [r for path in files for r in plain_releases(path)]
    distinct = {digest(r): r for r in releases}
    ocids = {r["ocid"] for r in distinct.values()}

    summary = ingest_paths([real_ocds])

    assert summary.files == len(files) == 332
    assert summary.files_rejected == 0
    assert summary.releases_read == len(releases)
    assert summary.new + summary.quarantined <= len(distinct)
    assert summary.new + summary.already_present + summary.quarantined == len(releases)
    assert Release.objects.count() + QuarantinedRelease.objects.count() == len(distinct)
    assert set(Release.objects.values_list("content_hash", flat=True)) <= set(distinct)
    valid_ocids = set(Release.objects.values_list("ocid", flat=True))
    assert valid_ocids <= ocids
    assert ProcurementProcess.objects.count() == len(valid_ocids) == summary.ocids_compiled
    assert not ProcurementProcess.objects.filter(needs_compile=True).exists()
    stored: dict[str, set[str]] = {}
    for ocid, key in Release.objects.values_list("ocid", "content_hash"):
        stored.setdefault(ocid, set()).add(key)
    versions = dict(ProcurementProcess.objects.values_list("ocid", "ocds_version"))
    declared_1_1 = set(Release.objects.filter(ocds_version="1.1").values_list("ocid", flat=True))
    for process in ProcurementProcess.objects.all():
        expected = sorted(
            (distinct[key] for key in stored[process.ocid]),
            key=lambda r: (r["date"], r["id"], digest(r)),
        )
        assert process.release_count == len(expected)
        version = "1.1" if process.ocid in declared_1_1 else "1.0"
        assert versions[process.ocid] == version
        assert process.compiled == json.loads(
            json.dumps(compile_releases(expected, version).release)
        )

    before = canonical_dump()
    again = ingest_paths([real_ocds])
    assert (again.new, again.quarantined + again.already_present) == (0, len(releases))
    assert again.ocids_compiled == 0
    assert canonical_dump() == before


def test_contracts_finder_2017_packages_are_ocds_1_0_and_bluetail_is_1_1(
    ocds_standard: Path, real_ocds: Path
) -> None:
    ingest_paths([real_ocds / "uk-contracts-finder" / "2017-01-release-packages"])
    ingest_paths([real_ocds / "uk-contracts-finder-bluetail-2020-raw"])
    versions = set(Release.objects.values_list("source_file", "ocds_version"))
    assert {v for f, v in versions if "2017-01" in f} == {"1.0"}
    assert {v for f, v in versions if "bluetail" in f} == {"1.1"}
    assert Release.objects.filter(publisher="IN-TEND LIMITED").exists()


def test_the_same_release_twice_is_stored_once(ocds_standard: Path, cove_fixtures: Path) -> None:
    # dupe_ids_1: four releases, each one twice over, for one ocid.
    summary = ingest_paths([cove_fixtures / "common_checks" / "dupe_ids_1.json"])
    assert (summary.releases_read, summary.new, summary.already_present) == (4, 2, 2)
    assert ProcurementProcess.objects.count() == 1


@pytest.mark.parametrize(
    "name",
    [
        "common_checks/basic_1.json",
        "api/basic_1.json",
        "api/basic_record_package.json",
        "common_checks/releases_no_validation_errors.json",
        "common_checks/records_no_validation_errors.json",
        "additional_checks/basic_releases.json",
        "additional_checks/full_record.json",
    ],
)
def test_lib_cove_valid_fixtures_have_no_errors(
    ocds_standard: Path, cove_fixtures: Path, name: str
) -> None:
    summary = ingest_paths([cove_fixtures / name])
    assert summary.quarantined == 0
    assert summary.new + summary.linked_releases_skipped >= 1
    assert summary.files_rejected == 0


def test_lib_cove_invalid_record_releases_are_quarantined_with_each_reason(
    ocds_standard: Path, cove_fixtures: Path, tmp_path: Path
) -> None:
    data = json.loads((cove_fixtures / "common_checks/records_invalid_releases.json").read_text())
    # The whole file: three records whose `releases` is not an array make it not OCDS.
    whole = ingest_paths([cove_fixtures / "common_checks/records_invalid_releases.json"])
    assert whole.files_rejected == 1
    assert "records[6] has no array of releases" in whole.rejections[0]
    assert not QuarantinedRelease.objects.exists()
    # Without them, every release is checked.
    data["records"] = data["records"][:6]
    summary = ingest_paths([write_json(tmp_path / "records.json", data)])
    assert summary.linked_releases_skipped == 2
    # {}, {"id": 2-1}, {"id": 4-1}, {}, {"id": 5-1}: the two {} are one release.
    assert summary.quarantined == 5
    assert QuarantinedRelease.objects.count() == 4
    empty = QuarantinedRelease.objects.get(release_id="", ocid="")
    missing = {e["message"] for e in empty.errors}
    for field in ("ocid", "id", "date", "tag", "initiationType"):
        assert f'"{field}" is a required property' in missing
    assert {e["path"] for e in empty.errors} == {"/"}
    with_id = QuarantinedRelease.objects.get(release_id="EXAMPLE-2-1")
    assert '"id" is a required property' not in {e["message"] for e in with_id.errors}


def test_wrong_types_and_closed_codelists_are_reported_with_paths(
    ocds_standard: Path, cove_fixtures: Path, tmp_path: Path
) -> None:
    bad = release("A", "1", tender={"id": "t", "value": {"amount": "lots"}}, initiationType="ppp")
    ingest_paths([write_json(tmp_path / "bad.json", package(bad))])
    (quarantined,) = QuarantinedRelease.objects.all()
    paths = {e["path"]: e["message"] for e in quarantined.errors}
    assert '"lots" is not of types' in paths["/tender/value/amount"]
    assert '"ppp" is not one of' in paths["/initiationType"]
    assert json.loads(quarantined.canonical_json) == bad
    assert quarantined.source_position == "releases[0]"
    cove = ingest_paths(
        [cove_fixtures / "common_checks/get_additional_codelist_values_replaced.json"]
    )
    assert cove.quarantined == 1  # initiationType "ppp" is outside the closed codelist


# Read here, or (two workers, from the first byte) in a second process that sends batches.
READERS = [{"workers": 1}, {"workers": 2, "parallel_from": 0}]


@pytest.mark.parametrize("reading", READERS, ids=["read-here", "read-in-another-process"])
def test_malformed_document_is_rejected_whole_and_json_lines_keep_the_lines_before(
    ocds_standard: Path, tmp_path: Path, reading: dict[str, int]
) -> None:
    document = tmp_path / "broken.json"
    text = json.dumps(package(release("A", "1"), release("B", "2")), indent=1)
    document.write_text(text[:-30])
    lines = tmp_path / "lines.jsonl"
    lines.write_text(
        f"{json.dumps(release('C', '3'))}\n{{broken\n{json.dumps(release('D', '4'))}\n"
    )

    summary = ingest_paths([document, lines], **reading)

    assert summary.files_rejected == 2
    assert (summary.releases_read, summary.new, summary.ocids_compiled) == (1, 1, 1)
    assert set(Release.objects.values_list("ocid", flat=True)) == {"C"}
    rejected = {r.path: r for r in RejectedFile.objects.all()}
    assert rejected[str(document)].byte_offset is not None
    assert not rejected[str(document)].kept_before_error
    assert rejected[str(lines)].line == 2
    assert rejected[str(lines)].kept_before_error
    # Fixed and run again: the rejection is cleared.
    document.write_text(text)
    ingest_paths([document], **reading)
    assert not RejectedFile.objects.filter(path=str(document)).exists()
    assert set(Release.objects.values_list("ocid", flat=True)) == {"A", "B", "C"}


def test_new_releases_recompile_only_their_ocid(ocds_standard: Path, tmp_path: Path) -> None:
    first = release("A", "1", date="2024-01-01T00:00:00Z", tender={"id": "t", "title": "Old"})
    other = release("B", "1")
    ingest_paths([write_json(tmp_path / "one.json", package(first, other))])
    b_before = ProcurementProcess.objects.get(ocid="B").compiled
    second = release(
        "A",
        "2",
        date="2024-02-01T00:00:00Z",
        tag=["tenderAmendment"],
        tender={"id": "t", "title": "New"},
    )
    summary = ingest_paths([write_json(tmp_path / "two.json", package(second))])
    assert summary.ocids_compiled == 1
    a = ProcurementProcess.objects.get(ocid="A")
    assert a.compiled["tender"]["title"] == "New"
    assert a.compiled == compile_releases([first, second], "1.1").release
    assert a.release_count == 2
    assert ProcurementProcess.objects.get(ocid="B").compiled == b_before


def unconstrained_references() -> list[tuple[type, str, type]]:
    """Each reference of the procurement models with no foreign-key constraint in the
    database (see procurement.models): the ingest and Django's cascades alone keep them whole.
    Read from the models, so a table that drops its constraint later is checked too."""
    return [
        (model, field.name, field.related_model)
        for model in apps.get_app_config("procurement").get_models()
        for field in model._meta.get_fields()
        if (field.many_to_one or field.one_to_one)
        and field.concrete
        and not getattr(field, "db_constraint", True)
    ]


def dangling_references() -> dict[str, int]:
    found = {}
    for model, field, target in unconstrained_references():
        column = f"{field}_id"
        rows = model.objects.exclude(**{f"{column}__isnull": True}).exclude(
            Exists(target.objects.filter(pk=OuterRef(column)))
        )
        found[f"{model.__name__}.{field}"] = rows.count()
    return found


def test_derived_rows_never_refer_to_rows_that_are_gone(
    ocds_standard: Path, real_ocds: Path, tmp_path: Path
) -> None:
    sample = real_ocds / "uk-contracts-finder-bluetail-2020-raw"
    ingest_paths([sample])
    awarded_ocids = sorted(set(Award.objects.values_list("process_id", flat=True)))[:5]
    assert len(awarded_ocids) == 5
    # Later releases for five of them: each recompiled, its rows deleted and written again.
    later = [
        release(
            ocid,
            "later",
            date="2030-01-01T00:00:00Z",
            parties=[{"id": "new-supplier", "name": "New Ltd", "roles": ["supplier"]}],
            awards=[{"id": "new-award", "suppliers": [{"id": "new-supplier", "name": "New Ltd"}]}],
        )
        for ocid in awarded_ocids
    ]
    ingest_paths([write_json(tmp_path / "later.json", package(*later))])
    assert Award.objects.filter(award_id="new-award").count() == 5
    ProcurementProcess.objects.filter(ocid__in=awarded_ocids[:2]).delete()
    assert AwardSupplier.objects.count() > 0
    assert PartyIdentifier.objects.count() > 0
    assert len(dangling_references()) == 10
    assert set(dangling_references().values()) == {0}


def test_an_earlier_release_arriving_late_is_merged_in_date_order(
    ocds_standard: Path, tmp_path: Path
) -> None:
    late = release("A", "2", date="2024-02-01T00:00:00Z", tender={"id": "t", "title": "Later"})
    early = release("A", "1", date="2024-01-01T00:00:00Z", tender={"id": "t", "title": "Earlier"})
    ingest_paths([write_json(tmp_path / "late.json", package(late))])
    ingest_paths([write_json(tmp_path / "early.json", package(early))])
    assert ProcurementProcess.objects.get(ocid="A").compiled["tender"]["title"] == "Later"


def test_invalid_release_in_a_package_does_not_stop_the_valid_ones(
    ocds_standard: Path, tmp_path: Path
) -> None:
    path = write_json(
        tmp_path / "mixed.json", package(release("A", "1"), {"id": "x"}, release("B"))
    )
    summary = ingest_paths([path])
    assert (summary.new, summary.quarantined) == (2, 1)


def test_ingest_command_prints_summary_and_fails_cleanly(
    ocds_standard: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write_json(tmp_path / "good.json", package(release("A", "1")))
    call_command("ingest_ocds", str(good), "--no-progress")
    out = capsys.readouterr().out
    for label in (
        "Files:",
        "Releases read:",
        "new:",
        "already present:",
        "quarantined:",
        "Ocids compiled:",
        "Time:",
        "s storing",
        "s compiling",
    ):
        assert label in out
    bad = tmp_path / "bad.json"
    bad.write_text("{oops")
    with pytest.raises(CommandError, match=r"bad.json at line 1, byte 1: malformed JSON"):
        call_command("ingest_ocds", str(bad), "--no-progress")
    with pytest.raises(CommandError, match="no such file"):
        call_command("ingest_ocds", str(tmp_path / "absent.json"), "--no-progress")


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--batch-size", "0", "--batch-size must be at least 1"),
        ("--workers", "0", "--workers must be at least 1"),
        ("--parallel-from", "-1", "--parallel-from cannot be negative"),
    ],
)
def test_bad_ingest_options_are_refused_before_anything_is_read(
    ocds_standard: Path, tmp_path: Path, option: str, value: str, message: str
) -> None:
    path = write_json(tmp_path / "good.json", package(release()))
    with pytest.raises(CommandError, match=message):
        call_command("ingest_ocds", str(path), "--no-progress", option, value)
    assert not Release.objects.exists()


def test_missing_standard_is_a_clear_command_error(settings: Any, tmp_path: Path) -> None:
    settings.OCDS_STANDARD_DIR = tmp_path / "nowhere"
    path = write_json(tmp_path / "good.json", package(release()))
    with pytest.raises(CommandError, match="fetch-standard"):
        call_command("ingest_ocds", str(path), "--no-progress")
    assert not Release.objects.exists()


def test_ocds_errors_lists_every_reason(
    ocds_standard: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ingest_paths([write_json(tmp_path / "p.json", package({"ocid": "Z", "id": "9"}))])
    bad = tmp_path / "bad.json"
    bad.write_text('{"releases": [tru')
    ingest_paths([bad])
    call_command("ocds_errors")
    out = capsys.readouterr().out
    assert "Rejected files: 1" in out
    assert "bad.json" in out
    assert "Quarantined releases: 1" in out
    assert '/: "date" is a required property' in out
    assert "ocid Z id 9" in out


DAMAGEABLE = json.dumps(
    package(release("H", "1"), release("H", "2", date="2024-02-01T00:00:00Z"), release("I", "3")),
    indent=1,
).encode()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_damaged_files_never_crash_nor_half_write(
    ocds_standard: Path, tmp_path: Path, data: st.DataObject
) -> None:
    for model in (Release, QuarantinedRelease, RejectedFile, ProcurementProcess):
        model.objects.all().delete()
    at = data.draw(st.integers(0, len(DAMAGEABLE) - 1))
    damage = data.draw(st.sampled_from(["cut", "byte", "insert"]))
    if damage == "cut":
        content = DAMAGEABLE[:at]
    elif damage == "byte":
        content = DAMAGEABLE[:at] + bytes([data.draw(st.integers(0, 255))]) + DAMAGEABLE[at + 1 :]
    else:
        content = DAMAGEABLE[:at] + data.draw(st.binary(min_size=1, max_size=6)) + DAMAGEABLE[at:]
    path = tmp_path / "damaged.json"
    path.write_bytes(content)

    summary = ingest_paths([path])

    stored = Release.objects.count() + QuarantinedRelease.objects.count()
    if summary.files_rejected:
        assert stored == 0  # a JSON document is all or nothing
        (rejected,) = RejectedFile.objects.all()
        assert rejected.path == str(path)
    else:
        assert summary.releases_read == summary.new + summary.already_present + summary.quarantined
        assert stored >= 1
    assert not ProcurementProcess.objects.filter(needs_compile=True).exists()
