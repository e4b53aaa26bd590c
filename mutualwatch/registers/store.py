"""The register store: the one home of DuckDB in mutualwatch.

Bulk register data (millions of companies, their changes between snapshots, control statements)
lives in one DuckDB file, ``settings.REGISTERS_STORE``; the Django database holds only what
pages need (the bodies suppliers are linked to, see ``registers.models``). Every ingest runs in
one DuckDB transaction, recorded in ``register_files`` by the SHA-256 of its bytes: a file
already there is skipped, and a killed ingest leaves nothing behind.
"""

import datetime
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
from django.conf import settings

Connection = duckdb.DuckDBPyConnection

SCHEMA = """
CREATE SEQUENCE IF NOT EXISTS register_file_ids;
CREATE TABLE IF NOT EXISTS register_files (
    id INTEGER PRIMARY KEY DEFAULT nextval('register_file_ids'),
    kind VARCHAR NOT NULL,          -- companies, psc, societies
    layout VARCHAR NOT NULL,        -- basic-company-data, bods, ch-psc, co-operatives-uk, fca
    name VARCHAR NOT NULL,          -- the file's name as given
    sha256 VARCHAR NOT NULL,
    snapshot_on DATE NOT NULL,
    rows_read BIGINT NOT NULL,
    rows_kept BIGINT NOT NULL,
    rows_bad BIGINT NOT NULL,
    ingested_at TIMESTAMP NOT NULL,
    UNIQUE (kind, sha256)
);
CREATE TABLE IF NOT EXISTS bad_rows (
    file_id INTEGER NOT NULL,
    line BIGINT,
    reason VARCHAR NOT NULL,
    excerpt VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS companies (
    number VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    category VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    incorporated_on DATE,
    dissolved_on DATE,
    address_line1 VARCHAR NOT NULL,
    address_line2 VARCHAR NOT NULL,
    post_town VARCHAR NOT NULL,
    postcode VARCHAR NOT NULL,
    sic VARCHAR[] NOT NULL,
    previous_names STRUCT(name VARCHAR, changed_on DATE)[] NOT NULL,
    first_seen_on DATE NOT NULL,
    last_seen_on DATE NOT NULL,
    removed_on DATE,                -- first snapshot it was missing from (live files only)
    file_id INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS societies (
    number VARCHAR PRIMARY KEY,     -- FCA number with its suffix: 525R
    name VARCHAR NOT NULL,
    registered_as VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    registered_on DATE,
    dissolved_on DATE,
    address VARCHAR NOT NULL,
    postcode VARCHAR NOT NULL,
    file_id INTEGER NOT NULL
);
-- What the Co-operatives UK file says of a body registered elsewhere: its legal form and
-- ownership, which tell a co-operative or mutual controller from a private one.
CREATE TABLE IF NOT EXISTS cooperative_forms (
    register VARCHAR NOT NULL,
    number VARCHAR NOT NULL,
    legal_form VARCHAR NOT NULL,
    ownership VARCHAR NOT NULL,
    trading_name VARCHAR NOT NULL,
    file_id INTEGER NOT NULL,
    PRIMARY KEY (register, number)
);
CREATE TABLE IF NOT EXISTS changes (
    file_id INTEGER NOT NULL,
    register VARCHAR NOT NULL,
    number VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,          -- status, name, removed, incorporated
    before VARCHAR NOT NULL,
    after VARCHAR NOT NULL,
    effective_on DATE NOT NULL,
    date_known BOOLEAN NOT NULL     -- false: only "between the two snapshots" is known
);
-- Companies as ownership statements describe them (name, registered address): what is known of
-- a controller or subject that is missing from the Companies House snapshot.
CREATE TABLE IF NOT EXISTS entities (
    register VARCHAR NOT NULL,
    number VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    address VARCHAR NOT NULL,
    postcode VARCHAR NOT NULL,
    founded_on DATE,
    dissolved_on DATE,
    file_id INTEGER NOT NULL,
    PRIMARY KEY (register, number)
);
-- Who controls a company. Individuals are kept only as the fact of one (controller_kind
-- 'individual', no name): the control analysis needs nothing more.
CREATE TABLE IF NOT EXISTS controls (
    subject_number VARCHAR NOT NULL,
    statement_id VARCHAR NOT NULL,
    controller_kind VARCHAR NOT NULL,   -- company, other-entity, individual, none-registrable
    controller_name VARCHAR,            -- NULL for individuals
    controller_register VARCHAR,
    controller_number VARCHAR,
    interests VARCHAR NOT NULL,
    start_on DATE,
    end_on DATE,
    file_id INTEGER NOT NULL,
    PRIMARY KEY (subject_number, statement_id)
);
"""


def first(result: Connection) -> Any:
    """The first row of a result, or None; reads the result to its end, as DuckDB wants
    before the connection runs anything else."""
    rows = result.fetchall()
    return rows[0] if rows else None


def store_path() -> Path:
    return Path(settings.REGISTERS_STORE)


@contextmanager
def connect(read_only: bool = False) -> Iterator[Connection]:
    """A connection to the store, its schema created on first use."""
    path = store_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    if read_only and not path.exists():
        read_only = False
    connection = duckdb.connect(str(path), read_only=read_only)
    # DuckDB's own bar would print into a command's output; the commands draw their own
    # from query_progress (run_with_progress).
    connection.execute("SET enable_progress_bar_print = false")
    connection.execute("SET memory_limit = ?", [settings.REGISTERS_MEMORY_LIMIT])
    try:
        if not read_only:
            connection.execute(SCHEMA)
            spill = path.parent / "registers.tmp"
            connection.execute(f"SET temp_directory = '{spill}'")
        yield connection
    finally:
        connection.close()


@contextmanager
def transaction(connection: Connection) -> Iterator[Connection]:
    connection.execute("BEGIN TRANSACTION")
    try:
        yield connection
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def known_file(connection: Connection, kind: str, sha256: str) -> dict[str, Any] | None:
    row = first(
        connection.execute(
            "SELECT id, name, snapshot_on, rows_read, rows_kept, rows_bad FROM register_files "
            "WHERE kind = ? AND sha256 = ?",
            [kind, sha256],
        )
    )
    if row is None:
        return None
    keys = ("id", "name", "snapshot_on", "rows_read", "rows_kept", "rows_bad")
    return dict(zip(keys, row, strict=True))


def record_file(
    connection: Connection,
    *,
    kind: str,
    layout: str,
    name: str,
    sha256: str,
    snapshot_on: datetime.date,
) -> int:
    """Add the file to the ledger (counts filled in by `finish_file`); returns its id."""
    row = first(
        connection.execute(
            "INSERT INTO register_files (kind, layout, name, sha256, snapshot_on, rows_read, "
            "rows_kept, rows_bad, ingested_at) VALUES (?, ?, ?, ?, ?, 0, 0, 0, now()) RETURNING id",
            [kind, layout, name, sha256, snapshot_on],
        )
    )
    assert row is not None
    return int(row[0])


def finish_file(connection: Connection, file_id: int, read: int, kept: int, bad: int) -> None:
    connection.execute(
        "UPDATE register_files SET rows_read = ?, rows_kept = ?, rows_bad = ? WHERE id = ?",
        [read, kept, bad, file_id],
    )


def latest_snapshot(connection: Connection, kind: str) -> datetime.date | None:
    row = first(
        connection.execute("SELECT max(snapshot_on) FROM register_files WHERE kind = ?", [kind])
    )
    return row[0] if row else None


def run_with_progress(
    connection: Connection, sql: str, parameters: list[Any], progress: Callable[[float], None]
) -> None:
    """Run one long statement, reporting DuckDB's own estimate of how far it has got (0-100)."""
    done = threading.Event()
    failure: list[BaseException] = []

    def work() -> None:
        try:
            connection.execute(sql, parameters)
        except BaseException as error:  # noqa: BLE001 (re-raised in the caller's thread)
            failure.append(error)
        finally:
            done.set()

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    while not done.wait(0.2):
        share = connection.query_progress()
        if share >= 0:
            progress(share)
    worker.join()
    if failure:
        raise failure[0]
    progress(100.0)


def bad_rows(connection: Connection, limit: int | None = None) -> list[dict[str, Any]]:
    sql = (
        "SELECT f.name, f.kind, f.snapshot_on, b.line, b.reason, b.excerpt FROM bad_rows b "
        "JOIN register_files f ON f.id = b.file_id ORDER BY f.id, b.line"
    )
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    keys = ("file", "kind", "snapshot_on", "line", "reason", "excerpt")
    return [dict(zip(keys, row, strict=True)) for row in connection.execute(sql).fetchall()]
