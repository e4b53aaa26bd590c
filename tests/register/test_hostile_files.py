"""Register files that would lose records or turn into formulas: refused or made safe."""

import csv
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from mutualwatch.register.exceptions import RegisterFileError
from mutualwatch.register.exchange import write_records
from mutualwatch.register.exporting import export_records
from mutualwatch.register.importing import import_register
from mutualwatch.register.models import Provider
from mutualwatch.spreadsheets import FORMULA_STARTS, neutralise_cell, restore_cell
from tests.conftest import build_arrangement, build_provider

pytestmark = pytest.mark.django_db

HOSTILE_NAMES = [
    '=HYPERLINK("https://example.org/x","Click")',
    "+44 Care Ltd",
    "-5 Ltd",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "'quoted from the start",
    "''=twice",
    "Plain Mutual Ltd",
]


def cells_of(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [cell for row in csv.reader(handle) for cell in row]


@given(st.text())
def test_neutralising_a_cell_is_undone_exactly(text):
    safe = neutralise_cell(text)
    assert not safe.startswith(FORMULA_STARTS)
    assert restore_cell(safe) == text


def test_export_register_csv_holds_no_live_formula_and_reads_back_unchanged(tmp_path):
    for name in HOSTILE_NAMES:
        build_arrangement(provider=build_provider(name=name))
    path = tmp_path / "register.csv"
    call_command("export_register", str(path))

    assert not [cell for cell in cells_of(path) if cell.startswith(FORMULA_STARTS)]
    Provider.objects.filter(name__in=HOSTILE_NAMES).update(name="Renamed")
    import_register(path)
    # An import trims the space around every value, as it always has.
    expected = sorted(name.strip() for name in HOSTILE_NAMES)
    names = Provider.objects.exclude(name="Renamed").values_list("name", flat=True)
    assert sorted(names) == expected


def test_public_csv_downloads_hold_no_live_formula(client):
    arrangement = build_arrangement(provider=build_provider(name='=HYPERLINK("x")'))
    for url in [
        "/providers/?format=csv",
        f"/authorities/{arrangement.authority.gss_code}/?format=csv",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "'=HYPERLINK" in body, url
        rows = list(csv.reader(body.splitlines()))
        assert not [c for row in rows for c in row if c.startswith(FORMULA_STARTS)], url


def test_a_uid_given_twice_is_refused_naming_both_records(tmp_path):
    build_arrangement()
    records = list(export_records())
    position = next(i for i, r in enumerate(records) if r["record_type"] == "provider")
    twin = records[position] | {"name": "Another name"}
    records.insert(position + 1, twin)
    path = tmp_path / "twice.json"
    write_records(path, records)

    with pytest.raises(RegisterFileError) as caught:
        import_register(path)

    assert (caught.value.record, caught.value.field) == (f"records[{position + 1}]", "uid")
    assert f"the same provider as records[{position}]" in caught.value.reason
    assert not Provider.objects.filter(name="Another name").exists()


def test_a_json_key_given_twice_is_refused_naming_the_record(tmp_path):
    build_arrangement()
    records = list(export_records())
    path = tmp_path / "keys.json"
    write_records(path, records)
    position = next(i for i, r in enumerate(records) if r["record_type"] == "provider")
    document = path.read_text()
    name_line = f' "name": {json.dumps(records[position]["name"])},'
    assert document.count(name_line) == 1
    path.write_text(document.replace(name_line, name_line + '\n  "name": "Kept silently",'))

    with pytest.raises(RegisterFileError) as caught:
        import_register(path)

    assert (caught.value.record, caught.value.field) == (f"records[{position}]", "name")
    assert "given twice" in caught.value.reason


def test_a_second_records_list_is_refused(tmp_path):
    path = tmp_path / "two-lists.json"
    path.write_text(
        '{"format": "mutualwatch-register", "format_version": 1, "records": [], "records": []}'
    )
    with pytest.raises(
        RegisterFileError, match=r"two-lists.json, file, field 'records': is given twice"
    ):
        import_register(path)


@pytest.mark.parametrize("suffix", [".json", ".csv"])
def test_a_nul_character_is_refused_naming_the_record_and_field(tmp_path, suffix):
    build_arrangement()
    records = list(export_records())
    position = next(i for i, r in enumerate(records) if r["record_type"] == "provider")
    records[position]["notes"] = "before\x00after"
    path = tmp_path / f"nul{suffix}"
    write_records(path, records)

    with pytest.raises(RegisterFileError) as caught:
        import_register(path)

    label = f"records[{position}]" if suffix == ".json" else f"row {position + 2}"
    assert (caught.value.record, caught.value.field) == (label, "notes")
    assert "NUL" in caught.value.reason
    assert not Provider.objects.filter(notes__contains="after").exists()
