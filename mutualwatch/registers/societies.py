"""Co-operative and mutual society registers into the register store.

Two layouts: the Co-operatives UK open-data organisations file (co-operatives registered with
the FCA, Companies House and others, with their legal form and ownership), and the FCA Mutuals
Public Register's society list (SocietyList.csv; its header really spells "Registation").
Societies registered with the FCA become rows of ``societies``; what Co-operatives UK says of a
body registered at Companies House (that it is a co-operative, owned by its workers, ...) goes
to ``cooperative_forms``, which the control analysis reads to tell a mutual from a firm.
"""

import csv
import datetime
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mutualwatch.registers import store
from mutualwatch.registers.exceptions import SnapshotOrderError, WrongFileError
from mutualwatch.registers.files import (
    check_bad_share,
    expanded,
    first_line,
    sha256_of,
    snapshot_date,
)
from mutualwatch.registers.identifiers import company_number, society_number

KIND = "societies"
CO_OPERATIVES_UK = "co-operatives-uk"
FCA = "fca"
LAYOUTS = {
    CO_OPERATIVES_UK: ["CUK Organisation ID", "Registered Number", "Registrar", "Registered Name"],
    FCA: ["Society Number", "Society Suffix", "Full Registation Number", "Society Name"],
}
# Bytes that are not UTF-8 arrive as lone surrogates (errors="surrogateescape").
UNDECODABLE = re.compile("[\udc80-\udcff]")
POSTCODE_TAIL = r"[A-Z]{1,2}[0-9][0-9A-Z]? ?[0-9][A-Z]{2}$"


@dataclass
class SocietiesSummary:
    file: str
    layout: str
    snapshot_on: datetime.date
    already_present: bool = False
    rows_read: int = 0
    rows_kept: int = 0
    rows_bad: int = 0
    changes: dict[str, int] = field(default_factory=dict)


class BadRow(Exception):
    pass


def layout_of(path: Path, label: str) -> str:
    header = next(csv.reader([first_line(path)]))
    for layout, starts in LAYOUTS.items():
        if [cell.strip() for cell in header[: len(starts)]] == starts:
            return layout
    raise WrongFileError(
        f"{label}: neither the Co-operatives UK organisations layout nor the FCA society list "
        f"(its header starts {', '.join(header[:3])})"
    )


def day(value: str, column: str, snapshot_on: datetime.date) -> datetime.date | None:
    """Both layouts write D/M/YYYY, with or without leading zeros."""
    value = value.strip()
    if not value:
        return None
    try:
        parsed = datetime.datetime.strptime(value.split(" ")[0], "%d/%m/%Y").date()
    except ValueError as error:
        raise BadRow(f"{column} {value!r} is not a date (D/M/YYYY)") from error
    if parsed > snapshot_on or parsed.year < 1750:
        raise BadRow(f"{column} {value!r} is impossible for a snapshot of {snapshot_on}")
    return parsed


def postcode_of(address: str) -> str:
    match = re.search(POSTCODE_TAIL, address.strip().upper())
    return match.group(0) if match else ""


def rows_of(path: Path) -> Iterator[tuple[int, list[str] | None, str]]:
    """(line, cells, problem) for each row after the header (a quoted cell may span lines: the
    line is where the row starts); cells is None when the row cannot be read."""
    with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
        reader = csv.reader(handle)
        try:
            next(reader, None)
            line = reader.line_num + 1
            for cells in reader:
                if any(UNDECODABLE.search(value) for value in cells):
                    yield line, None, "not UTF-8 text"
                else:
                    yield line, cells, ""
                line = reader.line_num + 1
        except csv.Error as error:
            yield line, None, f"not a CSV row ({error}); the rest of the file is unreadable"


def parse_co_operatives_uk(
    cells: list[str], header: list[str], snapshot_on: datetime.date
) -> dict[str, Any]:
    row = dict(zip(header, cells, strict=True))
    registrar = row["Registrar"].strip()
    raw_number = row["Registered Number"].strip()
    if registrar == "FCA":
        register, number = "societies", society_number(raw_number)
    elif registrar == "Companies House":
        register, number = "companies-house", company_number(raw_number)
    else:
        register, number = "", ""
    if raw_number and registrar in ("FCA", "Companies House") and not number:
        raise BadRow(f"Registered Number {raw_number!r} is not a {registrar} number")
    status = row["Registered Status"].strip()
    return {
        "register": register,
        "number": number,
        "name": row["Registered Name"].strip(),
        "trading_name": row["Trading Name"].strip(),
        "legal_form": row["Legal Form"].strip(),
        "ownership": row["Ownership Classification"].strip(),
        "status": {"Live": "Registered", "Dead": "Dissolved"}.get(status, status),
        "registered_on": day(row["Incorporation Date"], "Incorporation Date", snapshot_on),
        "dissolved_on": day(row["Dissolved Date"], "Dissolved Date", snapshot_on),
        "address": ", ".join(
            part.strip()
            for part in (row["Registered Street"], row["Registered City"])
            if part.strip()
        ),
        "postcode": row["Registered Postcode"].strip().upper(),
    }


def parse_fca(cells: list[str], header: list[str], snapshot_on: datetime.date) -> dict[str, Any]:
    row = dict(zip(header, cells, strict=True))
    raw_number = row["Full Registation Number"].strip()
    number = society_number(raw_number)
    if not number:
        raise BadRow(f"Full Registation Number {raw_number!r} is not a society number")
    address = row["Society Address"].strip()
    return {
        "register": "societies",
        "number": number,
        "name": row["Society Name"].strip(),
        "trading_name": "",
        "legal_form": row.get("Registered As", "").strip(),
        "ownership": "",
        "status": row["Society Status"].strip(),
        "registered_on": day(row["Registration Date"], "Registration Date", snapshot_on),
        "dissolved_on": day(row["Deregistration Date"], "Deregistration Date", snapshot_on),
        "address": address,
        "postcode": postcode_of(address),
    }


PARSERS: dict[str, Callable[[list[str], list[str], datetime.date], dict[str, Any]]] = {
    CO_OPERATIVES_UK: parse_co_operatives_uk,
    FCA: parse_fca,
}


def ingest_societies(
    path: Path,
    as_of: datetime.date | None = None,
    progress: Callable[[int], None] = lambda _rows: None,
) -> SocietiesSummary:
    """Ingest one society file in one transaction; the same file again changes nothing."""
    snapshot_on = snapshot_date([path], as_of)
    digest = sha256_of([path])
    with store.connect() as connection:
        if (known := store.known_file(connection, KIND, digest)) is not None:
            return SocietiesSummary(
                path.name, "", snapshot_on, already_present=True, rows_read=known["rows_read"]
            )
        latest = store.latest_snapshot(connection, KIND)
        if latest is not None and snapshot_on < latest:
            raise SnapshotOrderError(
                f"{path}: a snapshot of {snapshot_on} comes after one of {latest}; "
                "ingest society files oldest first"
            )
        with tempfile.TemporaryDirectory(dir=store.store_path().parent) as folder:
            (csv_path,) = expanded([path], Path(folder), ".csv")
            layout = layout_of(csv_path, str(path))
            summary = SocietiesSummary(path.name, layout, snapshot_on)
            header = [cell.strip() for cell in next(csv.reader([first_line(csv_path)]))]
            parse = PARSERS[layout]
            good: list[dict[str, Any]] = []
            bad: list[tuple[int, str, str]] = []
            for line, cells, problem in rows_of(csv_path):
                summary.rows_read += 1
                if cells is not None and len(cells) != len(header):
                    problem = f"{len(cells)} cells where the header has {len(header)}"
                if not problem and cells is not None:
                    try:
                        good.append(parse(cells, header, snapshot_on))
                    except BadRow as error:
                        problem = str(error)
                if problem:
                    bad.append((line, problem, ",".join(cells or [])[:300]))
                if summary.rows_read % 10_000 == 0:
                    progress(10_000)
            progress(summary.rows_read % 10_000)
        summary.rows_bad = len(bad)
        summary.rows_kept = len(good)
        check_bad_share(str(path), summary.rows_read, summary.rows_bad)
        with store.transaction(connection):
            file_id = store.record_file(
                connection,
                kind=KIND,
                layout=layout,
                name=path.name,
                sha256=digest,
                snapshot_on=snapshot_on,
            )
            if bad:
                connection.executemany(
                    "INSERT INTO bad_rows VALUES (?, ?, ?, ?)",
                    [(file_id, line, problem, excerpt) for line, problem, excerpt in bad],
                )
            summary.changes = write_societies(connection, file_id, snapshot_on, good)
            store.finish_file(
                connection, file_id, summary.rows_read, summary.rows_kept, summary.rows_bad
            )
    return summary


def write_societies(
    connection: store.Connection,
    file_id: int,
    snapshot_on: datetime.date,
    rows: list[dict[str, Any]],
) -> dict[str, int]:
    societies = {row["number"]: row for row in rows if row["register"] == "societies"}
    forms = {
        (row["register"], row["number"]): row
        for row in rows
        if row["register"] and row["number"] and (row["legal_form"] or row["ownership"])
    }
    connection.execute(
        "CREATE OR REPLACE TEMP TABLE incoming (number VARCHAR, name VARCHAR, "
        "registered_as VARCHAR, status VARCHAR, registered_on DATE, dissolved_on DATE, "
        "address VARCHAR, postcode VARCHAR)"
    )
    connection.executemany(
        "INSERT INTO incoming VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                row["number"], row["name"], row["legal_form"], row["status"],
                row["registered_on"], row["dissolved_on"], row["address"], row["postcode"],
            )
            for row in societies.values()
        ],
    )  # fmt: skip
    connection.execute(
        """
        INSERT INTO changes
        SELECT $file, 'societies', n.number, 'status', o.status, n.status,
               coalesce(n.dissolved_on, $day), n.dissolved_on IS NOT NULL
        FROM incoming n JOIN societies o USING (number) WHERE o.status <> n.status
        UNION ALL
        SELECT $file, 'societies', n.number, 'name', o.name, n.name, $day, false
        FROM incoming n JOIN societies o USING (number) WHERE o.name <> n.name
        """,
        {"file": file_id, "day": snapshot_on},
    )
    connection.execute("INSERT OR REPLACE INTO societies SELECT *, ? FROM incoming", [file_id])
    if forms:
        connection.executemany(
            "INSERT OR REPLACE INTO cooperative_forms VALUES (?, ?, ?, ?, ?, ?)",
            [
                (register, number, row["legal_form"], row["ownership"], row["trading_name"],
                 file_id)
                for (register, number), row in forms.items()
            ],
        )  # fmt: skip
    counted = connection.execute(
        "SELECT kind, count(*) FROM changes WHERE file_id = ? GROUP BY kind", [file_id]
    ).fetchall()
    return {kind: int(count) for kind, count in counted}
