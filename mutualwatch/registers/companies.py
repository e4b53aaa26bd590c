"""Companies House BasicCompanyData snapshots into the register store.

A snapshot is the live register on one day. Comparing it with the one before finds what the
register itself says happened: a status change (Active to Liquidation, Administration or
Dissolved), a change of name, a company gone from the live file (dissolved companies leave
it), and new incorporations. Each change cites the snapshot it was first seen in.
"""

import datetime
import functools
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from mutualwatch.registers import store
from mutualwatch.registers.exceptions import SnapshotOrderError, WrongFileError
from mutualwatch.registers.files import (
    check_bad_share,
    expanded,
    first_line,
    sha256_of,
    snapshot_date,
)

# BasicCompanyData's header, cell by cell, spaces stripped (the file has leading spaces).
HEADER = [
    "CompanyName", "CompanyNumber", "RegAddress.CareOf", "RegAddress.POBox",
    "RegAddress.AddressLine1", "RegAddress.AddressLine2", "RegAddress.PostTown",
    "RegAddress.County", "RegAddress.Country", "RegAddress.PostCode", "CompanyCategory",
    "CompanyStatus", "CountryOfOrigin", "DissolutionDate", "IncorporationDate",
    "Accounts.AccountRefDay", "Accounts.AccountRefMonth", "Accounts.NextDueDate",
    "Accounts.LastMadeUpDate", "Accounts.AccountCategory", "Returns.NextDueDate",
    "Returns.LastMadeUpDate", "Mortgages.NumMortCharges", "Mortgages.NumMortOutstanding",
    "Mortgages.NumMortPartSatisfied", "Mortgages.NumMortSatisfied", "SICCode.SicText_1",
    "SICCode.SicText_2", "SICCode.SicText_3", "SICCode.SicText_4",
    "LimitedPartnerships.NumGenPartners", "LimitedPartnerships.NumLimPartners", "URI",
    *[
        cell
        for n in range(1, 11)
        for cell in (f"PreviousName_{n}.CONDATE", f"PreviousName_{n}.CompanyName")
    ],
    "ConfStmtNextDueDate", "ConfStmtLastMadeUpDate",
]  # fmt: skip
KIND = "companies"
LAYOUT = "basic-company-data"


def cell(name: str) -> str:
    return f"c{HEADER.index(name)}"


def text(name: str) -> str:
    """A cell as text: empty, never NULL, without surrounding spaces."""
    return f"trim(coalesce({cell(name)}, ''))"


def date_sql(name: str) -> str:
    return f"try_strptime(nullif({text(name)}, ''), '%d/%m/%Y')::DATE"


DATE_CELLS = ("IncorporationDate", "DissolutionDate")
WHOLE_NUMBER_CELLS = ("Mortgages.NumMortCharges", "Mortgages.NumMortOutstanding")
# Leading zeros restored where a spreadsheet has eaten them: 8209948 is 08209948.
NUMBER_SQL = (
    "CASE WHEN regexp_full_match(trim(coalesce(c1, '')), '[0-9]{1,8}') "
    "THEN lpad(trim(c1), 8, '0') ELSE upper(trim(coalesce(c1, ''))) END"
)


def problem_sql() -> str:
    """Why a row is bad, or NULL: the first rule it breaks."""
    rules = [
        (
            f"NOT regexp_full_match({NUMBER_SQL}, '[A-Z0-9]{{8}}')",
            f"'CompanyNumber ' || {text('CompanyNumber')} || ' is not eight letters and digits'",
        ),
        (f"{text('CompanyName')} = ''", "'CompanyName is empty'"),
    ]
    for name in DATE_CELLS:
        rules.append(
            (
                f"{text(name)} <> '' AND {date_sql(name)} IS NULL",
                f"'{name} ' || {text(name)} || ' is not a date (DD/MM/YYYY)'",
            )
        )
        rules.append(
            (
                f"{date_sql(name)} > $snapshot OR {date_sql(name)} < DATE '1800-01-01'",
                f"'{name} ' || {text(name)} || ' is impossible for a snapshot of ' || $snapshot",
            )
        )
    rules.append(
        (
            f"{date_sql('DissolutionDate')} < {date_sql('IncorporationDate')}",
            "'DissolutionDate is before IncorporationDate'",
        )
    )
    for name in WHOLE_NUMBER_CELLS:
        rules.append(
            (
                f"NOT regexp_full_match({text(name)}, '[0-9]*')",
                f"'{name} ' || {text(name)} || ' is not a whole number'",
            )
        )
    whens = "\n".join(f"WHEN {test} THEN {reason}" for test, reason in rules)
    return f"CASE {whens} ELSE NULL END"


def previous_names_sql() -> str:
    pairs = ", ".join(
        f"{{'name': {text(f'PreviousName_{n}.CompanyName')}, "
        f"'changed_on': {date_sql(f'PreviousName_{n}.CONDATE')}}}"
        for n in range(1, 11)
    )
    return f"list_filter([{pairs}], lambda p: p.name <> '')"


def sic_sql() -> str:
    cells = ", ".join(f"{text(f'SICCode.SicText_{n}')}" for n in range(1, 5))
    return f"list_filter([{cells}], lambda s: s <> '' AND s <> 'None Supplied')"


@dataclass
class SnapshotSummary:
    files: list[str]
    snapshot_on: datetime.date
    already_present: bool = False
    rows_read: int = 0
    rows_kept: int = 0
    rows_bad: int = 0
    changes: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def check_header(path: Path, label: str) -> None:
    cells = [part.strip().strip('"') for part in first_line(path).split(",")]
    if cells != HEADER:
        raise WrongFileError(
            f"{label}: not a BasicCompanyData file (its header has {len(cells)} cells, "
            f"starting {', '.join(cells[:3])!s}; expected {len(HEADER)}, starting "
            f"{', '.join(HEADER[:3])})"
        )


def ingest_companies(
    paths: list[Path],
    as_of: datetime.date | None = None,
    progress: Callable[[str, float], None] = lambda _step, _share: None,
) -> SnapshotSummary:
    """Ingest one snapshot (one file, or every part of a multi-part release) in one
    transaction; a snapshot already ingested changes nothing."""
    started = datetime.datetime.now()
    snapshot_on = snapshot_date(paths, as_of)
    names = [path.name for path in paths]
    summary = SnapshotSummary(files=names, snapshot_on=snapshot_on)
    label = ", ".join(names)
    digest = sha256_of(paths)
    with store.connect() as connection:
        if store.known_file(connection, KIND, digest) is not None:
            summary.already_present = True
            return summary
        latest = store.latest_snapshot(connection, KIND)
        if latest is not None and snapshot_on <= latest:
            raise SnapshotOrderError(
                f"{label}: a snapshot of {snapshot_on} comes after one of {latest} already "
                "ingested; snapshots are compared in date order, so ingest them oldest first"
            )
        with tempfile.TemporaryDirectory(dir=store.store_path().parent) as folder:
            csvs = expanded(paths, Path(folder), ".csv")
            for path in csvs:
                check_header(path, label if len(csvs) == 1 else f"{label} ({path.name})")
            with store.transaction(connection):
                file_id = store.record_file(
                    connection,
                    kind=KIND,
                    layout=LAYOUT,
                    name=label,
                    sha256=digest,
                    snapshot_on=snapshot_on,
                )
                load(connection, csvs, progress)
                set_aside_bad_rows(connection, file_id, csvs, snapshot_on, summary)
                check_bad_share(label, summary.rows_read, summary.rows_bad)
                progress("comparing with the last snapshot", 0)
                if latest is not None:
                    summary.changes = record_changes(connection, file_id, snapshot_on)
                replace_companies(connection, file_id, snapshot_on)
                progress("comparing with the last snapshot", 100)
                store.finish_file(
                    connection, file_id, summary.rows_read, summary.rows_kept, summary.rows_bad
                )
    summary.seconds = (datetime.datetime.now() - started).total_seconds()
    return summary


def load(
    connection: store.Connection, csvs: list[Path], progress: Callable[[str, float], None]
) -> None:
    columns = "{" + ", ".join(f"'c{n}': 'VARCHAR'" for n in range(len(HEADER))) + "}"
    cells = ", ".join(f"c{n} VARCHAR" for n in range(len(HEADER)))
    connection.execute(f"CREATE OR REPLACE TEMP TABLE raw (part INTEGER, {cells})")
    connection.execute("DROP TABLE IF EXISTS reject_errors; DROP TABLE IF EXISTS reject_scans")
    for part, path in enumerate(csvs):
        step = f"reading part {part + 1} of {len(csvs)}" if len(csvs) > 1 else "reading"
        # Rows keep the file's order in the table (DuckDB preserves insertion order), so a
        # row's rowid gives its record number, and from that its line.
        store.run_with_progress(
            connection,
            f"INSERT INTO raw SELECT {part}, * FROM read_csv(?, columns = {columns}, "
            "header = false, skip = 1, quote = '\"', escape = '\"', store_rejects = true, "
            "rejects_table = 'reject_errors', rejects_scan = 'reject_scans', "
            "auto_detect = false, delim = ',', strict_mode = true, "
            "max_line_size = 10000000)",
            [str(path)],
            functools.partial(progress, step),
        )


def set_aside_bad_rows(
    connection: store.Connection,
    file_id: int,
    csvs: list[Path],
    snapshot_on: datetime.date,
    summary: SnapshotSummary,
) -> None:
    """Parse the raw rows, setting aside those that break a rule, with their line and why."""
    connection.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE parsed AS
        SELECT part, rowid - min(rowid) OVER (PARTITION BY part) + 1 AS record,
               {NUMBER_SQL} AS number, {problem_sql()} AS problem,
               {text("CompanyName")} AS name, {text("CompanyCategory")} AS category,
               {text("CompanyStatus")} AS status,
               {date_sql("IncorporationDate")} AS incorporated_on,
               {date_sql("DissolutionDate")} AS dissolved_on,
               {text("RegAddress.AddressLine1")} AS address_line1,
               {text("RegAddress.AddressLine2")} AS address_line2,
               {text("RegAddress.PostTown")} AS post_town,
               upper({text("RegAddress.PostCode")}) AS postcode,
               {sic_sql()} AS sic, {previous_names_sql()} AS previous_names,
               concat_ws(',', c0, c1, c10, c11, c13, c14) AS excerpt
        FROM raw
        """,
        {"snapshot": snapshot_on},
    )
    # A number twice in one snapshot: the later rows are set aside.
    connection.execute(
        """
        UPDATE parsed SET problem = 'CompanyNumber ' || number || ' appears more than once'
        WHERE problem IS NULL AND (part, record) IN (
            SELECT part, record FROM (
                SELECT part, record, row_number() OVER (PARTITION BY number ORDER BY part, record)
                    AS nth FROM parsed WHERE problem IS NULL) WHERE nth > 1)
        """
    )
    part_of = {str(path): part for part, path in enumerate(csvs)}
    prefix = [
        f"part {part + 1} ({path.name}): " if len(csvs) > 1 else ""
        for part, path in enumerate(csvs)
    ]
    rejects = connection.execute(
        "SELECT DISTINCT s.file_path, e.line, e.error_type, e.error_message, "
        "coalesce(e.csv_line, '') FROM reject_errors e JOIN reject_scans s "
        "USING (scan_id, file_id) ORDER BY 1, 2"
    ).fetchall()
    reject_lines: dict[int, list[int]] = {}
    rows = []
    for file_path, line, error_type, message, csv_line in rejects:
        part = part_of.get(file_path, 0)
        if reject_lines.setdefault(part, []) and reject_lines[part][-1] == int(line):
            continue
        reject_lines[part].append(int(line))
        reason = f"{prefix[part]}{error_type.replace('_', ' ').lower()}: {first_line_of(message)}"
        rows.append((file_id, int(line), reason, csv_line[:300]))
    unreadable = len(rows)
    value_problems = connection.execute(
        "SELECT part, record, problem, excerpt FROM parsed WHERE problem IS NOT NULL "
        "ORDER BY part, record"
    ).fetchall()
    for part, record, problem, excerpt in value_problems:
        rows.append(
            (
                file_id,
                line_of(int(record), reject_lines.get(part, [])),
                f"{prefix[part]}{problem}",
                excerpt[:300],
            )
        )
    if rows:
        connection.executemany("INSERT INTO bad_rows VALUES (?, ?, ?, ?)", rows)
    counted = store.first(connection.execute("SELECT count(*) FROM parsed"))
    parsed = int(counted[0]) if counted else 0
    summary.rows_read = parsed + unreadable
    summary.rows_bad = unreadable + len(value_problems)
    summary.rows_kept = parsed - len(value_problems)


def line_of(record: int, reject_lines: list[int]) -> int:
    """The file line of the record-th readable row: one line per record after the header,
    stepping over the unreadable lines before it."""
    line = record + 1
    for rejected in reject_lines:
        if rejected <= line:
            line += 1
    return line


def first_line_of(message: str) -> str:
    return message.strip().splitlines()[0][:200] if message.strip() else ""


def record_changes(
    connection: store.Connection, file_id: int, snapshot_on: datetime.date
) -> dict[str, int]:
    """What changed since the last snapshot, each dated as exactly as the register allows."""
    good = "(SELECT * FROM parsed WHERE problem IS NULL)"
    statements = {
        "status": f"""
            SELECT n.number, 'status', o.status, n.status,
                   CASE WHEN n.dissolved_on IS NOT NULL THEN n.dissolved_on ELSE $day END,
                   n.dissolved_on IS NOT NULL
            FROM {good} n JOIN companies o USING (number)
            WHERE o.status <> n.status AND o.removed_on IS NULL""",
        "name": f"""
            SELECT n.number, 'name', o.name, n.name,
                   coalesce(n.previous_names[1].changed_on, $day),
                   n.previous_names[1].changed_on IS NOT NULL
            FROM {good} n JOIN companies o USING (number) WHERE o.name <> n.name""",
        "removed": f"""
            SELECT o.number, 'removed', o.status, 'Removed from the live register', $day, false
            FROM companies o WHERE o.removed_on IS NULL
              AND o.number NOT IN (SELECT number FROM {good})""",
        "incorporated": f"""
            SELECT n.number, 'incorporated', '', n.status, coalesce(n.incorporated_on, $day),
                   n.incorporated_on IS NOT NULL
            FROM {good} n WHERE n.number NOT IN (SELECT number FROM companies)""",
    }
    counts = {}
    for kind, select in statements.items():
        connection.execute(
            "INSERT INTO changes SELECT $file, 'companies-house', * FROM (" + select + ")",
            {"file": file_id, "day": snapshot_on},
        )
        row = store.first(
            connection.execute(
                "SELECT count(*) FROM changes WHERE file_id = ? AND kind = ?", [file_id, kind]
            )
        )
        counts[kind] = int(row[0]) if row else 0
    return counts


def replace_companies(
    connection: store.Connection,
    file_id: int,
    snapshot_on: datetime.date,
) -> None:
    """The snapshot becomes the register; companies gone from it stay, marked removed."""
    connection.execute(
        """
        CREATE OR REPLACE TEMP TABLE kept AS
        SELECT n.number, n.name, n.category, n.status, n.incorporated_on, n.dissolved_on,
               n.address_line1, n.address_line2, n.post_town, n.postcode, n.sic,
               n.previous_names, coalesce(o.first_seen_on, $day) AS first_seen_on,
               $day AS last_seen_on, NULL::DATE AS removed_on, $file AS file_id
        FROM (SELECT * FROM parsed WHERE problem IS NULL) n
        LEFT JOIN companies o USING (number)
        UNION ALL
        SELECT o.number, o.name, o.category, o.status, o.incorporated_on, o.dissolved_on,
               o.address_line1, o.address_line2, o.post_town, o.postcode, o.sic,
               o.previous_names, o.first_seen_on, o.last_seen_on,
               coalesce(o.removed_on, $day), o.file_id
        FROM companies o
        WHERE o.number NOT IN (SELECT number FROM parsed WHERE problem IS NULL)
        """,
        {"day": snapshot_on, "file": file_id},
    )
    connection.execute("DELETE FROM companies")
    connection.execute("INSERT INTO companies SELECT * FROM kept")
    connection.execute("DROP TABLE kept; DROP TABLE parsed; DROP TABLE raw")
