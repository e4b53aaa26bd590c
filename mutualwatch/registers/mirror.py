"""Copies of linked bodies, and of their controllers, from the register store into the Django
database, where pages read them."""

from typing import Any

import orjson
import pyarrow as pa
from django.db import transaction

from mutualwatch.registers.models import CorporateControl, RegisteredBody
from mutualwatch.registers.store import Connection

BODY_SQL = """
SELECT 'companies-house', c.number, c.name, c.status, c.category, c.incorporated_on,
       c.dissolved_on, c.removed_on,
       concat_ws(', ', nullif(c.address_line1, ''), nullif(c.address_line2, ''),
                 nullif(c.post_town, '')),
       c.postcode, to_json(c.previous_names)::VARCHAR, f.name, f.snapshot_on
FROM companies c JOIN register_files f ON f.id = c.file_id
WHERE ('companies-house', c.number) IN (SELECT register, number FROM wanted)
UNION ALL
SELECT e.register, e.number, e.name, '', '', e.founded_on, e.dissolved_on, NULL, e.address,
       e.postcode, '[]', f.name, f.snapshot_on
FROM entities e JOIN register_files f ON f.id = e.file_id
WHERE (e.register, e.number) IN (SELECT register, number FROM wanted)
  AND e.number NOT IN (SELECT number FROM companies)
UNION ALL
SELECT 'societies', s.number, s.name, s.status, s.registered_as, s.registered_on,
       s.dissolved_on, NULL, s.address, s.postcode, '[]', f.name, f.snapshot_on
FROM societies s JOIN register_files f ON f.id = s.file_id
WHERE ('societies', s.number) IN (SELECT register, number FROM wanted)
"""
CONTROL_SQL = """
SELECT c.subject_number, c.statement_id, c.controller_kind, coalesce(c.controller_name, ''),
       coalesce(c.controller_number, ''), c.interests, c.start_on, c.end_on, f.name
FROM controls c JOIN register_files f ON f.id = c.file_id
WHERE c.subject_number IN (SELECT number FROM wanted WHERE register = 'companies-house')
"""
BODY_FIELDS = (
    "register", "number", "name", "status", "category", "incorporated_on", "dissolved_on",
    "removed_on", "address", "postcode", "previous_names", "snapshot", "snapshot_on",
)  # fmt: skip


# The registers' text, cut to the columns' lengths (a BODS address has no limit of its own).
TEXT_LIMITS: dict[str, int] = {
    field.name: field.max_length
    for field in RegisteredBody._meta.concrete_fields
    if field.max_length and field.name in BODY_FIELDS
}


def copy_bodies(connection: Connection, wanted: set[tuple[str, str]]) -> int:
    """Copy the wanted bodies and their controls, with the companies controlling them; returns
    how many bodies were copied."""
    if not wanted:
        return 0
    registers, numbers = zip(*sorted(wanted), strict=True)
    connection.register("wanted", pa.table({"register": registers, "number": numbers}))
    controllers = connection.execute(
        "SELECT DISTINCT 'companies-house', controller_number FROM controls WHERE "
        "controller_number IS NOT NULL AND subject_number IN (SELECT number FROM wanted)"
    ).fetchall()
    everything = sorted(wanted | {(r, n) for r, n in controllers})
    connection.unregister("wanted")
    registers, numbers = zip(*everything, strict=True)
    connection.register("wanted", pa.table({"register": registers, "number": numbers}))
    bodies = connection.execute(BODY_SQL).fetchall()
    controls = connection.execute(CONTROL_SQL).fetchall()
    connection.unregister("wanted")
    write(bodies, controls)
    return len(bodies)


def write(bodies: list[tuple[Any, ...]], controls: list[tuple[Any, ...]]) -> None:
    with transaction.atomic():
        rows = []
        for row in bodies:
            values = dict(zip(BODY_FIELDS, row, strict=True))
            values["previous_names"] = orjson.loads(values["previous_names"] or "[]")
            for name, limit in TEXT_LIMITS.items():
                values[name] = (values[name] or "")[:limit]
            rows.append(RegisteredBody(**values))
        RegisteredBody.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["register", "number"],
            update_fields=[f for f in BODY_FIELDS if f not in ("register", "number")],
            batch_size=1000,
        )
        ids = dict(
            RegisteredBody.objects.filter(register="companies-house").values_list("number", "pk")
        )
        CorporateControl.objects.bulk_create(
            [
                CorporateControl(
                    body_id=ids[subject], statement_id=statement[:300], controller_kind=kind,
                    controller_name=name[:300], controller_number=number[:20],
                    interests=interests, start_on=start, end_on=end, source_file=source[:300],
                )
                for subject, statement, kind, name, number, interests, start, end, source
                in controls
                if subject in ids
            ],
            update_conflicts=True,
            unique_fields=["body", "statement_id"],
            update_fields=["controller_kind", "controller_name", "controller_number",
                           "interests", "start_on", "end_on", "source_file"],
            batch_size=1000,
        )  # fmt: skip
