"""`mutualwatch workforce-aggregates` and `mutualwatch audit-disclosure` on the tiny demo world:
the CSV withholds what is suppressed, and the audit fails, naming the cell, when a stored
publication gives away a withheld cell."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mutualwatch.workforce import crypto
from mutualwatch.workforce.aggregates import TABLE_SPECS, contribution, where_of
from mutualwatch.workforce.models import Publication, TermsRecord

pytestmark = pytest.mark.django_db


def command(name: str, *args: str) -> str:
    out = io.StringIO()
    call_command(name, *args, "--no-progress", stdout=out)
    return out.getvalue()


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_workforce_aggregates_publishes_a_new_release_and_writes_its_csv(
    loaded_world: Path, tmp_path: Path
):
    out = tmp_path / "tables.csv"
    said = command("workforce_aggregates", "--out", str(out))
    second = Publication.objects.get(number=2)
    assert "Workforce tables: " in said
    assert f"Publication 2: {len(second.cells):,} cells written to {out}." in said
    rows = read_csv(out)
    assert list(rows[0]) == [
        "table", "table_title", "row", "column", "respondents", "value", "suppressed",
    ]  # fmt: skip
    assert len(rows) == len(second.cells)
    withheld = [row for row in rows if row["suppressed"]]
    assert withheld
    assert all(row["respondents"] == "" and row["value"] == "" for row in withheld)
    shown = [row for row in rows if not row["suppressed"]]
    assert all(int(row["respondents"]) >= 10 for row in shown if row["respondents"] != "0")
    titles = {spec.title for spec in TABLE_SPECS}
    assert {row["table_title"] for row in rows} <= titles


def test_an_earlier_release_is_written_again_without_publishing(loaded_world: Path, tmp_path: Path):
    out = tmp_path / "first.csv"
    said = command("workforce_aggregates", "--out", str(out), "--publication", "1")
    assert Publication.objects.count() == 1
    assert "Workforce tables" not in said
    assert len(read_csv(out)) == len(Publication.objects.get().cells)
    with pytest.raises(CommandError, match=r"There is no workforce publication 7 \(published: 1\)"):
        command("workforce_aggregates", "--out", str(out), "--publication", "7")


def test_a_folder_or_a_missing_folder_is_refused_clearly(loaded_world: Path, tmp_path: Path):
    with pytest.raises(CommandError, match="is a folder: give --out a file name"):
        command("workforce_aggregates", "--out", str(tmp_path))
    missing = tmp_path / "nowhere" / "tables.csv"
    with pytest.raises(CommandError, match="does not exist: create it"):
        command("workforce_aggregates", "--out", str(missing))
    assert Publication.objects.count() == 1


def test_audit_disclosure_passes_over_every_release(loaded_world: Path, tmp_path: Path):
    publish_again = command("workforce_aggregates", "--out", str(tmp_path / "x.csv"))
    assert "Publication 2" in publish_again
    said = command("audit_disclosure")
    lines = said.splitlines()
    assert lines[0].startswith("Publication 1: ")
    assert lines[1].startswith("Publication 2: ")
    assert all(line.endswith(": passed.") for line in lines)
    assert "withheld cells checked; the narrowest can be pinned to" in lines[0]


def true_respondents(table: str, row: tuple[str, ...], column: str) -> int:
    """A withheld count cell's true value, counted from the records themselves."""
    spec = next(spec for spec in TABLE_SPECS if spec.key == table)
    assert spec.column is not None
    count = 0
    for record in TermsRecord.objects.select_related(
        "arrangement__authority", "arrangement__service_area", "arrangement__provider"
    ):
        item = contribution(
            where_of(record.arrangement),
            record.time_point,
            crypto.unseal(record.sealed_answers),
            cohort=1,
        )
        if tuple(item.attributes[name] for name in spec.rows) != row:
            continue
        value = item.attributes[spec.column]
        if value is not None and column in (value, "Total"):
            count += 1
    return count


def test_audit_disclosure_fails_naming_the_cell_a_leaky_release_gives_away(loaded_world: Path):
    first = Publication.objects.get()
    leaked = next(
        cell
        for cell in first.cells
        if cell["table"] == "pension-by-authority"
        and cell["suppressed"] == "primary"
        and cell["column"] != "Total"
        and "Total" not in cell["row"]
    )
    true_value = true_respondents(leaked["table"], tuple(leaked["row"]), leaked["column"])
    assert true_value > 0
    cells = [
        cell | {"respondents": true_value, "value": float(true_value), "suppressed": ""}
        if cell is leaked
        else cell
        for cell in first.cells
    ]
    Publication.objects.create(
        number=2,
        rules=first.rules,
        cells=cells,
        basis=first.basis | ({"number": 2} if "number" in first.basis else {}),
        respondents=first.respondents,
    )
    with pytest.raises(CommandError, match="The disclosure audit FAILED") as failed:
        command("audit_disclosure")
    assert failed.value.returncode == 1  # what `mutualwatch audit-disclosure` exits with
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("audit_disclosure", "--no-progress", stdout=out)
    title = next(spec.title for spec in TABLE_SPECS if spec.key == leaked["table"])
    failures = [line for line in out.getvalue().splitlines() if "FAILED:" in line]
    assert failures
    assert any(
        f"{title}, row {' / '.join(leaked['row'])}, column {leaked['column']}" in line
        for line in failures
    ), failures


@pytest.mark.django_db(transaction=True)
def test_a_queued_publication_is_made_and_audited_by_the_worker_which_logs_its_progress(
    loaded_world: Path, caplog: pytest.LogCaptureFixture
):
    out = io.StringIO()
    call_command("workforce_aggregates", "--background", stdout=out)
    assert "Queued the workforce publication and its audit" in out.getvalue()
    assert Publication.objects.count() == 1
    with caplog.at_level("INFO", logger="mutualwatch.workforce.tasks"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert Publication.objects.count() == 2
    said = [record.getMessage() for record in caplog.records]
    assert any(line.startswith("Protecting the workforce tables: ") for line in said)
    assert any(line.startswith("Auditing every publication: ") for line in said)
    assert any(line.startswith("Workforce tables: ") for line in said)
    assert not any("FAILED" in line for line in said)
