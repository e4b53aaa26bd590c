"""The network membership file (docs/network-membership.md): one CSV row per spell of
membership of the Co-operative Councils Network, each citing the page that shows it.

Reading and checking the file are pure functions here: they return the rows' values or every
error in the file, each naming the file, line and field. ``register.services`` writes them.

Rules a row must keep:

- ``member_type`` is ``council``, ``opposition-group`` or ``organisation``; a council or an
  opposition group names its council by a GSS code that is in the register.
- ``tier`` is ``full``, ``associate`` or ``affiliate``, or blank where the source gives none
  (stored as "tier not stated").
- Dates are ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, stored as the first day they cover with
  their precision. Where ``joined_on`` is blank, the spell starts on ``listed_on``, the first
  date a source lists the member, and says so (joined basis "first listed").
- Every row gives a ``source_url`` and ``source_title``; rows citing one URL describe it alike.
"""

import csv
import datetime
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from mutualwatch.register.exceptions import RegisterError
from mutualwatch.register.exchange import parse_partial_date
from mutualwatch.register.models import DatePrecision, JoinedBasis, NetworkMemberType, NetworkTier
from mutualwatch.spreadsheets import restore_cell
from mutualwatch.untrusted_text import without_bidi_controls

COLUMNS = [
    "member_name",
    "member_type",
    "tier",
    "gss_code",
    "joined_on",
    "left_on",
    "listed_on",
    "source_title",
    "source_url",
    "source_publisher",
    "source_published_on",
    "notes",
]
#: The members that name a council in the register.
OF_A_COUNCIL = {NetworkMemberType.COUNCIL, NetworkMemberType.OPPOSITION_GROUP}
TIERS_STATED = [NetworkTier.FULL, NetworkTier.ASSOCIATE, NetworkTier.AFFILIATE]
MAX_LENGTHS = {"member_name": 300, "source_title": 500, "source_publisher": 300, "source_url": 1000}


class NetworkFileInvalid(RegisterError):
    """Raised when a network membership file cannot be imported: lists every error in it."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass(frozen=True)
class CitedPage:
    """The web page a row cites. ``published_on`` only when the row gives the day."""

    url: str
    title: str
    publisher: str
    published_on: datetime.date | None


@dataclass(frozen=True)
class MemberRow:
    """One spell of membership as the file states it."""

    line: int
    member_name: str
    member_type: str
    tier: str
    gss_code: str
    joined_on: datetime.date
    joined_precision: str
    joined_basis: str
    left_on: datetime.date | None
    left_precision: str
    source: CitedPage
    notes: str

    @property
    def key(self) -> tuple[str, str, datetime.date]:
        return (self.member_name, self.member_type, self.joined_on)


class _Row:
    """One CSV row's cells, collecting errors rather than stopping at the first."""

    def __init__(self, path: str, line: int, cells: dict[str, str], errors: list[str]) -> None:
        self.path, self.line, self.cells, self.errors = path, line, cells, errors

    def fail(self, column: str, reason: str) -> None:
        self.errors.append(f"{self.path}, line {self.line}, field {column!r}: {reason}")

    def text(self, column: str, required: bool = False) -> str:
        value = self.cells.get(column, "")
        if required and not value:
            self.fail(column, "is required")
        limit = MAX_LENGTHS.get(column)
        if limit and len(value) > limit:
            self.fail(column, f"is longer than {limit} characters")
        return value

    def choice(self, column: str, choices: Collection[str], blank: str = "") -> str:
        value = self.text(column)
        if not value and blank:
            return blank
        if value not in choices:
            self.fail(column, f"{value!r} is not one of {', '.join(choices)}")
        return value

    def date(self, column: str) -> tuple[datetime.date | None, str]:
        value = self.text(column)
        if not value:
            return None, DatePrecision.DAY
        try:
            return parse_partial_date(value)
        except ValueError as error:
            self.fail(column, str(error))
            return None, DatePrecision.DAY


def read_network_file(path: Path, known_gss_codes: Collection[str]) -> list[MemberRow]:
    """The file's rows, checked against the rules above and the register's GSS codes.

    Raises ``NetworkFileInvalid`` listing every error if any row breaks a rule.
    """
    name = str(path)
    if not path.is_file():
        raise NetworkFileInvalid([f"{name}: no such file"])
    errors: list[str] = []
    rows: list[MemberRow] = []
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = list(reader.fieldnames or [])
            if header != COLUMNS:
                missing = [c for c in COLUMNS if c not in header]
                unknown = [c for c in header if c not in COLUMNS]
                reason = (
                    f"missing {', '.join(missing)}"
                    if missing
                    else f"unknown {', '.join(unknown)}"
                    if unknown
                    else "in the wrong order"
                )
                raise NetworkFileInvalid(
                    [f"{name}, line 1: the columns must be {','.join(COLUMNS)} ({reason})"]
                )
            for cells in reader:
                line = reader.line_num
                if None in cells:
                    errors.append(f"{name}, line {line}: has more cells than the header")
                    continue
                clean = {
                    key: without_bidi_controls(restore_cell(value or "")).strip()
                    for key, value in cells.items()
                }
                if not any(clean.values()):
                    continue
                row = _member_row(_Row(name, line, clean, errors), known_gss_codes)
                if row is not None:
                    rows.append(row)
    except UnicodeDecodeError as error:
        raise NetworkFileInvalid([f"{name}: is not UTF-8 text: {error}"]) from None
    except csv.Error as error:
        raise NetworkFileInvalid([f"{name}: is not valid CSV: {error}"]) from None
    errors += _disagreements(name, rows)
    if errors:
        raise NetworkFileInvalid(errors)
    return rows


def _member_row(row: _Row, known_gss_codes: Collection[str]) -> MemberRow | None:
    errors_before = len(row.errors)
    member_name = row.text("member_name", required=True)
    member_type = row.choice("member_type", NetworkMemberType.values)
    tier = row.choice("tier", TIERS_STATED, blank=NetworkTier.UNSTATED)
    gss_code = row.text("gss_code")
    if member_type in OF_A_COUNCIL:
        if not gss_code:
            row.fail("gss_code", f"is required for a member of type {member_type!r}")
        elif gss_code not in known_gss_codes:
            row.fail("gss_code", f"no council with GSS code {gss_code!r} in the register")
    joined_on, joined_precision = row.date("joined_on")
    listed_on, listed_precision = row.date("listed_on")
    left_on, left_precision = row.date("left_on")
    basis = JoinedBasis.JOINED
    if joined_on is None and not row.cells.get("joined_on"):
        if listed_on is None and not row.cells.get("listed_on"):
            row.fail("joined_on", "is required when listed_on is blank")
        joined_on, joined_precision, basis = listed_on, listed_precision, JoinedBasis.FIRST_LISTED
    if joined_on and left_on and left_on < joined_on:
        row.fail("left_on", f"{left_on.isoformat()} is before the spell starts")
    url = row.text("source_url", required=True)
    if url and not url.startswith(("https://", "http://")):
        row.fail("source_url", f"{url!r} is not a web address (http:// or https://)")
    title = row.text("source_title", required=True)
    publisher = row.text("source_publisher")
    published_on, published_precision = row.date("source_published_on")
    if len(row.errors) > errors_before or joined_on is None:
        return None
    return MemberRow(
        line=row.line,
        member_name=member_name,
        member_type=member_type,
        tier=tier,
        gss_code=gss_code if member_type in OF_A_COUNCIL else "",
        joined_on=joined_on,
        joined_precision=joined_precision,
        joined_basis=basis,
        left_on=left_on,
        left_precision=left_precision,
        source=CitedPage(
            url, title, publisher, published_on if published_precision == "day" else None
        ),
        notes=row.text("notes"),
    )


def _disagreements(name: str, rows: list[MemberRow]) -> list[str]:
    """Two rows for one spell, or two descriptions of one source: the file must choose."""
    errors = []
    spells: dict[tuple[str, str, datetime.date], int] = {}
    pages: dict[str, MemberRow] = {}
    for row in rows:
        first = spells.setdefault(row.key, row.line)
        if first != row.line:
            errors.append(
                f"{name}, line {row.line}, field 'member_name': the same spell as line {first}"
                " (same member, type and start)"
            )
        cited = pages.setdefault(row.source.url, row)
        if cited.source != row.source:
            errors.append(
                f"{name}, line {row.line}, field 'source_url': describes the page differently"
                f" from line {cited.line} (title, publisher and published date must agree)"
            )
    return errors
