"""The procurement app's bulk writes in SQL: processes inserted or updated whole, derived rows
(tenders, lots, parties, awards...) deleted and inserted by the thousand, COPY on PostgreSQL.

Written apart from the ORM because compiling writes tens of rows per ocid, and building a
model instance and ORM expressions for each one cost more than the merge itself; ``services``
decides what to write, this module only writes it.
"""

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, models, transaction

from mutualwatch.procurement.compile import (
    json_text,
)
from mutualwatch.procurement.models import (
    Amendment,
    Award,
    AwardSupplier,
    Classification,
    Contract,
    Lot,
    NoticeSuggestion,
    Party,
    PartyIdentifier,
    ProcurementProcess,
    Tender,
)
from mutualwatch.procurement.normalise import ROW_FIELDS, DerivedRows

PROCESS_FIELDS = (
    "needs_compile",
    "compiled",
    "ocds_version",
    "release_count",
    "latest_release_date",
    "merge_warnings",
    "compiled_at",
    "publisher",
    "title",
    "buyer_name",
    "buyer_identifier",
    "authority",
    "procurement_method",
)

# Derived rows are written with plain executemany rather than bulk_create/bulk_update:
# compiling writes tens of rows per ocid, and building a model instance and ORM expressions
# for each one cost more than the merge itself.


def quoted(name: str | None) -> str:
    assert name is not None  # every concrete field has a column
    return connection.ops.quote_name(name)


def update_processes(processes: list[dict[str, Any]]) -> None:
    """UPDATE each process from its row (JSON columns already as JSON text)."""
    if not processes:
        return
    meta = ProcurementProcess._meta
    fields = [meta.get_field(name) for name in PROCESS_FIELDS]
    assignments = ", ".join(f"{quoted(f.column)} = %s" for f in fields)  # type: ignore[union-attr]
    # Table and column names come from our own models; values are always parameters.
    sql = f"UPDATE {quoted(meta.db_table)} SET {assignments} WHERE {quoted('ocid')} = %s"  # noqa: S608
    params = [[row[name] for name in PROCESS_FIELDS] + [row["ocid"]] for row in processes]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.executemany(sql, params)
            return
        # One set-based UPDATE from a COPY: a statement per row cost the server more than
        # the rest of the write.
        table, stage = quoted(meta.db_table), quoted(f"stage_{meta.db_table}")
        columns = [f.column for f in fields] + ["ocid"]  # type: ignore[union-attr]
        listed = ", ".join(quoted(c) for c in columns)
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {stage} "  # noqa: S608
            f"AS SELECT {listed} FROM {table} WITH NO DATA"
        )
        _copy(cursor, f"COPY {stage} ({listed}) FROM STDIN", params)
        cursor.execute(
            f"UPDATE {table} SET {', '.join(f'{quoted(c)} = s.{quoted(c)}' for c in columns[:-1])} "  # noqa: S608
            f"FROM {stage} s WHERE {table}.{quoted('ocid')} = s.{quoted('ocid')}"
        )
        cursor.execute(f"TRUNCATE {stage}")


def insert(
    model: type[models.Model],
    rows: list[dict[str, Any]],
    *,
    ignore_conflicts: bool = False,
    conflicts_unlikely: bool = False,
    as_is: Iterable[str] = (),
) -> None:
    """INSERT rows (dicts keyed by field name, all with the same keys), text cut to each
    column's length and values converted for the driver (but the fields named in ``as_is``,
    which already hold what the driver takes). See _insert_values."""
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in rows[0]]
    limits = _limits(model)
    # Text, numbers, booleans and foreign keys go to the driver as they are; only dates,
    # decimals and JSON need the field's conversion (the per-value call is the cost here).
    plain = (
        models.CharField,
        models.TextField,
        models.IntegerField,
        models.BooleanField,
        models.ForeignKey,
    )
    steps = [
        (
            f.name,
            limits.get(f.name),
            None if isinstance(f, plain) or f.name in as_is else _converter(f),  # type: ignore[arg-type]
        )
        for f in fields
    ]
    params = []
    for row in rows:
        values = []
        for name, limit, convert in steps:
            value = row[name]
            if limit is not None and isinstance(value, str):
                value = value[:limit]
            values.append(value if convert is None or value is None else convert(value, connection))
        params.append(values)
    _insert_values(
        model,
        list(rows[0]),
        params,
        ignore_conflicts=ignore_conflicts,
        conflicts_unlikely=conflicts_unlikely,
    )


def _insert_values(
    model: type[models.Model],
    names: list[str],
    params: Sequence[Sequence[Any]],
    *,
    ignore_conflicts: bool = False,
    conflicts_unlikely: bool = False,
) -> None:
    """INSERT rows of values as the driver takes them, in the order of the fields ``names``:
    one COPY on PostgreSQL, one executemany otherwise. Rows whose key is already stored are
    skipped with ``ignore_conflicts``; on PostgreSQL that copies them into a temporary table
    first, unless ``conflicts_unlikely``: then they are copied straight in, and only if that
    meets a stored key is the batch copied again the longer way.

    executemany rather than multi-row VALUES: on SQLite it runs in C, and psycopg pipelines it;
    but on PostgreSQL COPY is several times faster than either, for the thousands of derived
    rows a compile batch writes.
    """
    if not params:
        return
    fields = [model._meta.get_field(name) for name in names]
    columns = ", ".join(quoted(f.column) for f in fields)  # type: ignore[union-attr]
    placeholders = ", ".join(["%s"] * len(fields))
    table = quoted(model._meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
    if ignore_conflicts:
        sql += " ON CONFLICT DO NOTHING"
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.executemany(sql, params)
        elif not ignore_conflicts:
            # COPY: one stream instead of a statement per row (psycopg's client-side cursor
            # would quote every row into its own INSERT).
            _copy(cursor, f"COPY {table} ({columns}) FROM STDIN", params)
        elif conflicts_unlikely and _copied_unless_conflicting(cursor, table, columns, params):
            return
        else:
            # COPY cannot skip conflicts: copy into a temporary table of the same columns
            # (no constraints), then one INSERT ... SELECT ... ON CONFLICT DO NOTHING.
            stage = quoted(f"stage_{model._meta.db_table}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS {stage} "  # noqa: S608
                f"AS SELECT {columns} FROM {table} WITH NO DATA"
            )
            _copy(cursor, f"COPY {stage} ({columns}) FROM STDIN", params)
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {stage} "  # noqa: S608
                "ON CONFLICT DO NOTHING"
            )
            cursor.execute(f"TRUNCATE {stage}")


def _copied_unless_conflicting(
    cursor: Any, table: str, columns: str, params: Sequence[Sequence[Any]]
) -> bool:
    """COPY the rows straight into the table, or, if one of them is already there, nothing
    (False). The stored JSON is most of what an ingest writes, and copying it through a
    temporary table wrote it twice."""
    import psycopg  # only on PostgreSQL

    try:
        with transaction.atomic():  # a savepoint: a conflict undoes this COPY alone
            _copy(cursor, f"COPY {table} ({columns}) FROM STDIN", params)
    # psycopg's own error: COPY goes through the driver's cursor, which Django does not wrap
    except psycopg.IntegrityError:
        return False
    return True


def _copy(cursor: Any, statement: str, rows: Sequence[Sequence[Any]]) -> None:
    with cursor.cursor.copy(statement) as copy:
        for values in rows:
            copy.write_row(values)


def _json_param(value: Any, _connection: Any) -> str:
    return json_text(value)


def _converter(field: models.Field) -> Callable[[Any, Any], Any]:
    """How a value of this field goes to the driver (None: as it is)."""
    if isinstance(field, models.JSONField):
        return _json_param
    return field.get_db_prep_save


def mark_for_compile(ocids: list[str]) -> None:
    """Insert these ocids' processes, or set needs_compile on those that exist (one
    executemany; the other columns of a new process take their defaults)."""
    if not ocids:
        return
    meta = ProcurementProcess._meta
    template = ProcurementProcess(needs_compile=True)
    fields = [f for f in meta.concrete_fields if f.name != "ocid"]
    defaults = [
        None  # SQL NULL, not JSON null: "never compiled" (see _previously_compiled)
        if getattr(template, f.attname) is None
        else json_text(getattr(template, f.attname))
        if isinstance(f, models.JSONField)
        else f.get_db_prep_save(getattr(template, f.attname), connection)
        for f in fields
    ]
    columns = ", ".join(quoted(f.column) for f in [meta.pk, *fields])
    placeholders = ", ".join(["%s"] * (len(fields) + 1))
    needs = quoted(meta.get_field("needs_compile").column)
    sql = (
        f"INSERT INTO {quoted(meta.db_table)} ({columns}) VALUES ({placeholders}) "  # noqa: S608
        f"ON CONFLICT ({quoted(meta.pk.column)}) DO UPDATE SET {needs} = EXCLUDED.{needs}"
    )
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.executemany(sql, [[ocid, *defaults] for ocid in ocids])
            return
        # One statement over an array of ocids: a statement per ocid cost the server more.
        casts = ", ".join(f"%s::{f.db_type(connection)}" for f in fields)
        cursor.execute(
            f"INSERT INTO {quoted(meta.db_table)} ({columns}) "  # noqa: S608
            f"SELECT ocid, {casts} FROM unnest(%s::text[]) AS ocid "
            f"ON CONFLICT ({quoted(meta.pk.column)}) DO UPDATE SET {needs} = EXCLUDED.{needs}",
            [*defaults, ocids],
        )


def delete_derived(ocids: list[str]) -> None:
    """Remove the normalised rows of these ocids (not their notice suggestions: those carry
    reviewers' decisions). Names come from our models; the ocids are parameters."""
    if not ocids:
        return
    marks = ", ".join(["%s"] * len(ocids))
    party, award = quoted(Party._meta.db_table), quoted(Award._meta.db_table)
    statements = [
        f"DELETE FROM {quoted(AwardSupplier._meta.db_table)} WHERE award_id IN "  # noqa: S608
        f"(SELECT id FROM {award} WHERE process_id IN ({marks}))",
        f"DELETE FROM {quoted(PartyIdentifier._meta.db_table)} WHERE party_id IN "  # noqa: S608
        f"(SELECT id FROM {party} WHERE process_id IN ({marks}))",
    ] + [
        f"DELETE FROM {quoted(model._meta.db_table)} WHERE process_id IN ({marks})"  # noqa: S608
        for model in (Award, Party, Tender, Lot, Contract, Amendment, Classification)
    ]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement, ocids)


_LIMITS: dict[type[models.Model], dict[str, int]] = {}


def _limits(model: type[models.Model]) -> dict[str, int]:
    """Column lengths: published data has no length limits, columns do, so text is cut."""
    if model not in _LIMITS:
        _LIMITS[model] = {
            f.name: f.max_length
            for f in model._meta.get_fields()
            if isinstance(f, models.CharField) and f.max_length
        }
    return _LIMITS[model]


def insert_derived(normalised: dict[str, DerivedRows], authorities: dict[str, int | None]) -> None:
    """Write the normalised rows of these processes: their tuples with the ocid, and the keys
    of parties and awards, reserved here, in place of their positions."""
    rows: dict[type[models.Model], list[tuple[Any, ...]]] = {model: [] for model in DERIVED_FIELDS}
    party_ids = _reserve_ids(Party, sum(len(n.parties) for n in normalised.values()))
    award_ids = _reserve_ids(Award, sum(len(n.awards) for n in normalised.values()))
    tenders, lots, contracts = rows[Tender], rows[Lot], rows[Contract]
    amendments, classifications = rows[Amendment], rows[Classification]
    notices, parties, awards = rows[NoticeSuggestion], rows[Party], rows[Award]
    identifiers, suppliers = rows[PartyIdentifier], rows[AwardSupplier]
    next_party = next_award = 0
    for ocid, process in normalised.items():
        if process.tender is not None:
            tenders.append((ocid, *process.tender))
        lots += [(ocid, *row) for row in process.lots]
        contracts += [(ocid, *row) for row in process.contracts]
        amendments += [(ocid, *row) for row in process.amendments]
        classifications += [(ocid, *row) for row in process.classifications]
        notices += [(ocid, "pending", *row) for row in process.notices]
        buyer = authorities.get(ocid)
        pks = party_ids[next_party : next_party + len(process.parties)]
        next_party += len(process.parties)
        for position, (pk, party) in enumerate(zip(pks, process.parties, strict=True)):
            authority = buyer if position == process.buyer_position else None
            parties.append((pk, ocid, position, party[0], authority, *party[1:]))
        identifiers += [(pks[at], *rest) for at, *rest in process.identifiers]
        award_pks = award_ids[next_award : next_award + len(process.awards)]
        next_award += len(process.awards)
        awards += [
            (pk, ocid, position, *award)
            for position, (pk, award) in enumerate(zip(award_pks, process.awards, strict=True))
        ]
        suppliers += [
            (award_pks[award_at], None if party_at is None else pks[party_at], name)
            for award_at, party_at, name in process.suppliers
        ]
    for model, table_rows in rows.items():
        names = DERIVED_FIELDS[model]
        _insert_values(
            model,
            names,
            _for_driver(model, names, table_rows),
            ignore_conflicts=model is NoticeSuggestion,
        )


# The fields of insert_derived's tuples, in their order: those set here, then the keys of
# normalise's dicts (normalise.ROW_FIELDS, checked by its tests). Tables in the order they are
# written: rows that refer to others come after them.
DERIVED_FIELDS: dict[type[models.Model], list[str]] = {
    Tender: ["process", *ROW_FIELDS["tender"]],
    Lot: ["process", *ROW_FIELDS["lot"]],
    Contract: ["process", *ROW_FIELDS["contract"]],
    Amendment: ["process", *ROW_FIELDS["amendment"]],
    Classification: ["process", *ROW_FIELDS["classification"]],
    NoticeSuggestion: ["process", "status", *ROW_FIELDS["notice"]],
    Party: ["id", "process", "position", "party_id", "authority", *ROW_FIELDS["party"], "roles"],
    Award: ["id", "process", "position", *ROW_FIELDS["award"][:-1]],  # less its suppliers
    PartyIdentifier: ["party", "scheme", "identifier", "is_primary"],
    AwardSupplier: ["award", "party", "name"],
}


def _for_driver(
    model: type[models.Model], names: list[str], rows: list[tuple[Any, ...]]
) -> list[tuple[Any, ...]]:
    """The rows with their date-times as the backend takes them: SQLite stores them as text
    (naive, in the connection's time zone, as Django writes them); psycopg takes them as
    they are."""
    positions = [
        n
        for n, name in enumerate(names)
        if isinstance(model._meta.get_field(name), models.DateTimeField)
    ]
    if not positions or connection.vendor == "postgresql":
        return rows
    zone = connection.timezone
    converted = []
    for row in rows:
        values = list(row)
        for n in positions:
            value = values[n]
            if value is not None:
                values[n] = str(value.astimezone(zone).replace(tzinfo=None))
        converted.append(tuple(values))
    return converted


def _reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """Primary keys for rows about to be inserted, so the rows that refer to them need not
    read them back. SQLite: this transaction holds the only write lock, so the keys above the
    largest are free. PostgreSQL: taken from the column's sequence, as an insert would."""
    if not count:
        return []
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT MAX({quoted(column)}) FROM {quoted(table)}")  # noqa: S608
        largest = cursor.fetchone()[0] or 0
        return list(range(largest + 1, largest + 1 + count))
