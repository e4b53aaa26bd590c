import datetime
import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mutualwatch.registers import store
from mutualwatch.registers.companies import HEADER, ingest_companies
from mutualwatch.registers.exceptions import (
    SnapshotOrderError,
    UnsafeArchiveError,
    WrongFileError,
)
from tests.demoworld.conftest import tiny_world  # noqa: F401
from tests.shared_data import COMPANIES_HOUSE, require

SAMPLE = COMPANIES_HOUSE / "BasicCompanyData-sample-2021.csv"
DAY = datetime.date(2021, 5, 1)


def header_line() -> str:
    return require(SAMPLE).read_text(encoding="utf-8").splitlines()[0]


def row(number: str, name: str, status: str = "Active", dissolved: str = "", **cells: str) -> str:
    values = [""] * len(HEADER)
    values[0], values[1], values[11] = name, number, status
    values[13], values[14] = dissolved, cells.get("incorporated", "01/02/2010")
    values[9] = cells.get("postcode", "AB1 2CD")
    values[22] = cells.get("charges", "0")
    return ",".join(f'"{value}"' for value in values)


def write(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join([header_line(), *rows]) + "\n", encoding="utf-8")
    return path


def companies(connection) -> dict[str, tuple]:
    result = connection.execute("SELECT number, name, status, removed_on FROM companies")
    return {r[0]: r[1:] for r in result.fetchall()}


def test_the_real_sample_is_ingested_whole_with_its_header_as_published():
    summary = ingest_companies([require(SAMPLE)], DAY)
    assert (summary.rows_read, summary.rows_kept, summary.rows_bad) == (31, 31, 0)
    with store.connect() as connection:
        stored = companies(connection)
        assert stored["SC606050"][0] == "!NSPIRED INVESTMENTS LTD"
        assert len(stored) == 31


def test_the_same_snapshot_again_changes_nothing():
    first = ingest_companies([require(SAMPLE)], DAY)
    again = ingest_companies([SAMPLE], DAY)
    assert not first.already_present
    assert again.already_present
    with store.connect() as connection:
        files = store.first(connection.execute("SELECT count(*) FROM register_files"))
        assert files[0] == 1
        assert len(companies(connection)) == 31


def test_comparing_snapshots_finds_status_and_name_changes_removals_and_new_companies(tmp_path):
    write(tmp_path / "BasicCompanyData-2024-01-01.csv", [
        row("00000001", "ALPHA CARE LIMITED"),
        row("00000002", "BETA LEISURE LIMITED"),
        row("00000003", "GAMMA LIMITED"),
    ])  # fmt: skip
    write(tmp_path / "BasicCompanyData-2024-02-01.csv", [
        row("00000001", "ALPHA CARE LIMITED", "Liquidation"),
        row("00000002", "BETA LEISURE TRUST LIMITED"),
        row("00000004", "DELTA LIMITED", incorporated="10/01/2024"),
    ])  # fmt: skip
    ingest_companies([tmp_path / "BasicCompanyData-2024-01-01.csv"])
    summary = ingest_companies([tmp_path / "BasicCompanyData-2024-02-01.csv"])
    assert summary.changes == {"status": 1, "name": 1, "removed": 1, "incorporated": 1}
    with store.connect() as connection:
        changes = connection.execute(
            "SELECT number, kind, before, after, effective_on FROM changes ORDER BY number"
        ).fetchall()
        stored = companies(connection)
    assert changes == [
        ("00000001", "status", "Active", "Liquidation", datetime.date(2024, 2, 1)),
        ("00000002", "name", "BETA LEISURE LIMITED", "BETA LEISURE TRUST LIMITED",
         datetime.date(2024, 2, 1)),
        ("00000003", "removed", "Active", "Removed from the live register",
         datetime.date(2024, 2, 1)),
        ("00000004", "incorporated", "", "Active", datetime.date(2024, 1, 10)),
    ]  # fmt: skip
    assert stored["00000003"][2] == datetime.date(2024, 2, 1), "kept, marked removed"


def test_an_older_snapshot_after_a_newer_one_is_refused(tmp_path):
    write(tmp_path / "BasicCompanyData-2024-02-01.csv", [row("00000001", "A LIMITED")])
    write(tmp_path / "BasicCompanyData-2024-01-01.csv", [row("00000001", "B LIMITED")])
    ingest_companies([tmp_path / "BasicCompanyData-2024-02-01.csv"])
    with pytest.raises(SnapshotOrderError, match="oldest first"):
        ingest_companies([tmp_path / "BasicCompanyData-2024-01-01.csv"])


def test_bad_rows_are_set_aside_with_line_and_reason(tmp_path):
    good = [row(f"{n:08d}", f"COMPANY {n} LIMITED") for n in range(1, 400)]
    bad = [
        row("00000500", "BAD DATE LIMITED", incorporated="31/02/2010"),
        '"TOO FEW CELLS LIMITED","00000501"',
        row("00000502", "BAD NUMBER LIMITED", charges="two"),
    ]
    path = write(tmp_path / "BasicCompanyData-2024-03-01.csv", [*good[:100], *bad, *good[100:]])
    summary = ingest_companies([path])
    assert (summary.rows_read, summary.rows_bad, summary.rows_kept) == (402, 3, 399)
    with store.connect() as connection:
        listed = {(r["line"], r["reason"].split(" ")[0]) for r in store.bad_rows(connection)}
    assert listed == {
        (102, "IncorporationDate"),
        (103, "missing"),
        (104, "Mortgages.NumMortCharges"),
    }
    output = io.StringIO()
    call_command("register_bad_rows", stdout=output)
    assert (
        "BasicCompanyData-2024-03-01.csv line 102: IncorporationDate 31/02/2010 is not a date"
        in (output.getvalue())
    )


def test_a_file_with_more_than_one_percent_bad_rows_is_refused_and_nothing_is_stored(tmp_path):
    rows = [row(f"{n:08d}", f"COMPANY {n} LIMITED") for n in range(1, 50)]
    rows.append(row("00000099", "BAD LIMITED", incorporated="99/99/9999"))
    path = write(tmp_path / "BasicCompanyData-2024-03-01.csv", rows)
    with pytest.raises(WrongFileError, match=r"1 of 50 rows are bad .* refused"):
        ingest_companies([path])
    with store.connect() as connection:
        assert companies(connection) == {}
        assert store.first(connection.execute("SELECT count(*) FROM register_files"))[0] == 0


def test_a_file_that_is_not_basic_company_data_is_refused_by_its_header(tmp_path):
    path = tmp_path / "BasicCompanyData-2024-03-01.csv"
    path.write_text("name,number\nA,1\n", encoding="utf-8")
    with pytest.raises(WrongFileError, match="not a BasicCompanyData file"):
        ingest_companies([path])


def test_a_byte_order_mark_and_bad_utf8_are_handled(tmp_path):
    rows = [row(f"{n:08d}", f"COMPANY {n} LIMITED") for n in range(1, 200)]
    path = tmp_path / "BasicCompanyData-2024-03-01.csv"
    body = (
        "\n".join([header_line(), *rows[:50]]).encode()
        + b'\n"BAD \xff NAME","00000999"'
        + ("\n" + "\n".join(rows[50:]) + "\n").encode()
    )
    path.write_bytes(b"\xef\xbb\xbf" + body)
    summary = ingest_companies([path])
    assert summary.rows_bad == 1
    assert summary.rows_kept == 199
    with store.connect() as connection:
        (bad,) = store.bad_rows(connection)
    assert bad["line"] == 52


def test_the_multi_part_zip_is_one_snapshot(tmp_path):
    parts = []
    for part in (1, 2):
        path = tmp_path / f"BasicCompanyData-2024-04-01-part{part}_2.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            rows = [row(f"{part}{n:07d}", f"PART {part} COMPANY {n} LIMITED") for n in range(5)]
            archive.writestr(path.with_suffix(".csv").name, "\n".join([header_line(), *rows]))
        parts.append(path)
    summary = ingest_companies(parts)
    assert summary.rows_kept == 10
    assert summary.snapshot_on == datetime.date(2024, 4, 1)


def test_zip_slip_zip_bomb_and_truncated_zips_are_refused_and_nothing_stored(tmp_path, settings):
    ingest_companies([require(SAMPLE)], DAY)
    slip = tmp_path / "BasicCompanyData-2024-05-01.zip"
    with zipfile.ZipFile(slip, "w") as archive:
        archive.writestr("../../evil.csv", header_line() + "\n")
    with pytest.raises(UnsafeArchiveError, match="zip slip"):
        ingest_companies([slip])
    bomb = tmp_path / "BasicCompanyData-2024-06-01.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.csv", header_line() + "\n" + " " * 20_000_000)
    with pytest.raises(UnsafeArchiveError, match="zip bomb"):
        ingest_companies([bomb])
    truncated = tmp_path / "BasicCompanyData-2024-07-01.zip"
    with zipfile.ZipFile(truncated, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("part.csv", (header_line() + "\n") * 2000)
    truncated.write_bytes(truncated.read_bytes()[:-200])
    with pytest.raises((UnsafeArchiveError, WrongFileError)):
        ingest_companies([truncated])
    assert not (tmp_path / "evil.csv").exists()
    with store.connect() as connection:
        assert len(companies(connection)) == 31


def test_an_over_long_line_is_set_aside_not_fatal(tmp_path):
    rows = [row(f"{n:08d}", f"COMPANY {n} LIMITED") for n in range(1, 200)]
    long_row = row("00000999", "X" * 11_000_000)
    path = write(tmp_path / "BasicCompanyData-2024-03-01.csv", [*rows[:10], long_row, *rows[10:]])
    summary = ingest_companies([path])
    assert summary.rows_kept == 199
    assert summary.rows_bad == 1


def test_the_command_needs_a_date_and_says_so(tmp_path):
    with pytest.raises(CommandError, match="--as-of"):
        call_command("ingest_companies", str(require(SAMPLE)), "--no-progress")
    output = io.StringIO()
    call_command("ingest_companies", str(SAMPLE), "--as-of", "2021-05-01", stdout=output)
    assert "Rows read:     31" in output.getvalue()


def test_the_demo_worlds_companies_file_has_no_bad_row(tiny_world):  # noqa: F811
    path = tiny_world / "companies-house" / "BasicCompanyData-demo.csv"
    summary = ingest_companies([path], datetime.date(2025, 12, 31))
    assert (summary.rows_read, summary.rows_bad) == (2000, 0)
