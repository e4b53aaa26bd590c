"""The register's exchange format (docs/register-format.md): flat records in JSON or CSV.

Reading and writing files, and turning values into the format's strings and back, are pure
functions here; ``mutualwatch.register.importing`` does the database writes.
"""

import csv
import datetime
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from mutualwatch.json_depth import TooDeepError, check_depth
from mutualwatch.register.exceptions import RegisterFileError
from mutualwatch.register.models import DatePrecision
from mutualwatch.spreadsheets import SafeDictWriter, restore_cell
from mutualwatch.untrusted_text import without_bidi_controls

FORMAT_NAME = "mutualwatch-register"
FORMAT_VERSION = 1
LIST_SEPARATOR = " | "

REVIEWED = ["uid", "state", "branch"]

#: Record types in the order they must be loaded, each with its fields in column order.
RECORD_FIELDS: dict[str, list[str]] = {
    "service_area": ["code", "name", "description", "parent"],
    "authority": [
        "gss_code",
        "name",
        "registry_code",
        "kind",
        "nation",
        "region",
        "start_date",
        "end_date",
        "replaced_by",
    ],
    "branch": ["slug", "name", "region", "authorities"],
    "source": [
        *REVIEWED,
        "title",
        "publisher",
        "url",
        "kind",
        "published_on",
        "accessed_on",
        "sha256",
    ],
    "network_membership": [
        "member_name",
        "member_type",
        "tier",
        "authority",
        "joined_on",
        "joined_basis",
        "left_on",
        "source",
        "notes",
    ],
    "provider": [*REVIEWED, "name", "legal_form", "notes"],
    "provider_name": ["provider", "name", "used_until"],
    "provider_identifier": ["provider", "scheme", "identifier"],
    "provider_control": [
        "provider",
        "controller_name",
        "controller_kind",
        "controller",
        "start",
        "end",
        "source",
    ],
    "arrangement": [
        *REVIEWED,
        "authority",
        "service_area",
        "provider",
        "start",
        "end",
        "origin",
        "staff_transferred",
        "contract_references",
        "notes",
        "sources",
    ],
    "event": [
        *REVIEWED,
        "event_type",
        "date",
        "arrangement",
        "provider",
        "counterparty",
        "description",
        "sources",
    ],
}
RECORD_TYPES = list(RECORD_FIELDS)
CSV_COLUMNS = ["record_type", *dict.fromkeys(f for fs in RECORD_FIELDS.values() for f in fs)]

PARTIAL_DATE = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")

FlatRecord = dict[str, str]


def partial_date_text(value: datetime.date | None, precision: str) -> str:
    """A date known to a precision, as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def parse_partial_date(text: str) -> tuple[datetime.date, str]:
    """The first day a partial date covers, and its precision. Raises ValueError."""
    match = PARTIAL_DATE.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a date written as YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match["year"], match["month"], match["day"]
    precision = DatePrecision.DAY if day else DatePrecision.MONTH if month else DatePrecision.YEAR
    try:
        value = datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError as error:
        raise ValueError(f"{text!r} is not a real date: {error}") from None
    return value, precision


def parse_full_date(text: str) -> datetime.date:
    value, precision = parse_partial_date(text)
    if precision != DatePrecision.DAY:
        raise ValueError(f"{text!r} must be a full date, YYYY-MM-DD")
    return value


def split_list(text: str) -> list[str]:
    return [item.strip() for item in text.split(LIST_SEPARATOR.strip()) if item.strip()]


def join_list(items: Iterable[str]) -> str:
    return LIST_SEPARATOR.join(items)


def write_records(path: Path, records: Iterable[FlatRecord]) -> int:
    """Write records to ``path`` as JSON or CSV (by its suffix). Returns how many."""
    if path.suffix.lower() == ".json":
        listed = list(records)
        document = {"format": FORMAT_NAME, "format_version": FORMAT_VERSION, "records": listed}
        path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", "utf-8")
        return len(listed)
    if path.suffix.lower() == ".csv":
        count = 0
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = SafeDictWriter(handle, fieldnames=CSV_COLUMNS, lineterminator="\n")
            writer.writeheader()
            for record in records:
                writer.writerow(record)
                count += 1
        return count
    raise RegisterFileError(str(path), "file", "", "the file name must end in .json or .csv")


def read_records(path: Path) -> Iterator[tuple[str, FlatRecord]]:
    """Each record in the file with a label saying where it is (``row 5``, ``records[3]``).

    Values are checked to be strings and fields to belong to the record's type; everything
    else is checked when the record is loaded.
    """
    name = str(path)
    if path.suffix.lower() == ".json":
        yield from _read_json(path, name)
    elif path.suffix.lower() == ".csv":
        yield from _read_csv(path, name)
    else:
        raise RegisterFileError(name, "file", "", "the file name must end in .json or .csv")


class _JSONObject(dict[str, Any]):
    """A JSON object that remembers the first key it was given twice (json keeps the last)."""

    duplicate: str | None = None


def _noting_duplicates(pairs: list[tuple[str, Any]]) -> _JSONObject:
    document = _JSONObject()
    for key, value in pairs:
        if key in document and document.duplicate is None:
            document.duplicate = key
        document[key] = value
    return document


def _refuse_duplicate(name: str, label: str, document: Any) -> None:
    key = getattr(document, "duplicate", None)
    if key is not None:
        raise RegisterFileError(name, label, key, "is given twice (only one may be kept)")


def _read_json(path: Path, name: str) -> Iterator[tuple[str, FlatRecord]]:
    try:
        text = path.read_text("utf-8")
        check_depth(text)
        document = json.loads(text, object_pairs_hook=_noting_duplicates)
    except (OSError, UnicodeDecodeError) as error:
        raise RegisterFileError(name, "file", "", f"cannot be read: {error}") from None
    except TooDeepError as error:
        raise RegisterFileError(name, "file", "", str(error)) from None
    except json.JSONDecodeError as error:
        raise RegisterFileError(
            name, f"line {error.lineno}, column {error.colno}", "", f"not valid JSON: {error.msg}"
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise RegisterFileError(name, "file", "format", f"is not a {FORMAT_NAME} file")
    _refuse_duplicate(name, "file", document)
    if document.get("format_version") != FORMAT_VERSION:
        raise RegisterFileError(
            name, "file", "format_version", f"only version {FORMAT_VERSION} can be read"
        )
    records = document.get("records")
    if not isinstance(records, list):
        raise RegisterFileError(name, "file", "records", "must be a list of records")
    for index, record in enumerate(records):
        label = f"records[{index}]"
        if not isinstance(record, dict):
            raise RegisterFileError(name, label, "", "a record must be an object")
        _refuse_duplicate(name, label, record)
        for key, value in record.items():
            if not isinstance(value, str):
                raise RegisterFileError(name, label, key, "every value must be a string")
        yield label, _checked_fields(name, label, record)


def _read_csv(path: Path, name: str) -> Iterator[tuple[str, FlatRecord]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            unknown = [column for column in header if column not in CSV_COLUMNS]
            if "record_type" not in header:
                raise RegisterFileError(name, "row 1", "record_type", "the column is missing")
            if unknown:
                raise RegisterFileError(
                    name, "row 1", unknown[0], "is not a column of the register format"
                )
            for row_number, row in enumerate(reader, start=2):
                label = f"row {row_number}"
                if None in row:
                    raise RegisterFileError(name, label, "", "has more cells than the header")
                record = {
                    key: restore_cell(value)
                    for key, value in row.items()
                    if value not in ("", None)
                }
                record["record_type"] = row.get("record_type") or ""
                yield label, _checked_fields(name, label, record)
    except UnicodeDecodeError as error:
        raise RegisterFileError(name, "file", "", f"is not UTF-8 text: {error}") from None
    except csv.Error as error:
        raise RegisterFileError(name, "file", "", f"is not valid CSV: {error}") from None


def _checked_fields(name: str, label: str, record: dict[str, str]) -> FlatRecord:
    record_type = record.get("record_type", "")
    if record_type not in RECORD_FIELDS:
        raise RegisterFileError(
            name,
            label,
            "record_type",
            f"{record_type!r} is not one of {', '.join(RECORD_TYPES)}",
        )
    allowed = set(RECORD_FIELDS[record_type])
    for key, value in record.items():
        if key != "record_type" and key not in allowed:
            raise RegisterFileError(name, label, key, f"is not a field of a {record_type}")
        if "\x00" in value:
            raise RegisterFileError(name, label, key, "holds a NUL character (U+0000)")
    return {key: without_bidi_controls(value).strip() for key, value in record.items()}
