"""Persons with significant control into the register store: who controls each company.

Two layouts: Beneficial Ownership Data Standard 0.2 statements (the OpenOwnership register's
JSON, one array per company) and Companies House's PSC snapshot (JSON Lines, one PSC per line).
Corporate controllers are kept with their names and numbers; an individual is kept only as the
fact of one (no name, no date of birth): the analysis asks who controls a company, and a
person's details would be personal data with no use here.
"""

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from mutualwatch.json_depth import TooDeepError, check_depth
from mutualwatch.registers import store
from mutualwatch.registers.exceptions import WrongFileError
from mutualwatch.registers.files import BAD_ROW_LIMIT, sha256_of
from mutualwatch.registers.identifiers import company_number

KIND = "psc"
# A BODS document is read whole (its statements refer to each other); the OpenOwnership
# register publishes one per company, a few kilobytes each.
MAX_BODS_BYTES = 256 * 1024**2
# No PSC line is near this long; a longer one is set aside without being held in memory.
MAX_LINE_BYTES = 10 * 1024**2
BODS = "bods"
CH_PSC = "ch-psc"
POSTCODE = re.compile(r"[A-Z]{1,2}[0-9][0-9A-Z]? ?[0-9][A-Z]{2}")
# Companies House PSC kinds whose controller is an organisation, not a person.
CORPORATE_KINDS = (
    "corporate-entity-person-with-significant-control",
    "legal-person-person-with-significant-control",
    "corporate-entity-beneficial-owner",
    "legal-person-beneficial-owner",
)
INDIVIDUAL_KINDS = (
    "individual-person-with-significant-control",
    "individual-beneficial-owner",
    "super-secure-person-with-significant-control",
    "super-secure-beneficial-owner",
)


@dataclass
class OwnershipSummary:
    file: str
    layout: str
    already_present: bool = False
    statements: int = 0
    controls: int = 0
    rows_bad: int = 0


@dataclass(frozen=True)
class Control:
    subject_number: str
    statement_id: str
    controller_kind: str  # company, other-entity, individual, none-registrable
    controller_name: str | None
    controller_register: str | None
    controller_number: str | None
    interests: str
    start_on: datetime.date | None
    end_on: datetime.date | None


def iso_day(value: Any) -> datetime.date | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        return None


def entity_number(statement: dict[str, Any]) -> str:
    for identifier in statement.get("identifiers") or []:
        if isinstance(identifier, dict) and identifier.get("scheme") == "GB-COH":
            number = company_number(str(identifier.get("id") or ""))
            if number:
                return number
    return ""


def bods_controls(statements: list[Any]) -> tuple[list[Control], list[dict[str, Any]], int]:
    """Controls and described companies from one BODS document; and how many statements were
    malformed (set aside)."""
    entities = {
        s["statementID"]: s
        for s in statements
        if isinstance(s, dict)
        and s.get("statementType") == "entityStatement"
        and isinstance(s.get("statementID"), str)
    }
    controls, bad = [], 0
    for statement in statements:
        if not isinstance(statement, dict) or not isinstance(statement.get("statementType"), str):
            bad += 1
            continue
        if statement["statementType"] != "ownershipOrControlStatement":
            continue
        subject = entities.get((statement.get("subject") or {}).get("describedByEntityStatement"))
        subject_number = entity_number(subject) if subject else ""
        if not subject_number:
            bad += 1
            continue
        party = statement.get("interestedParty") or {}
        interests = [i for i in statement.get("interests") or [] if isinstance(i, dict)]
        starts = [iso_day(i.get("startDate")) for i in interests]
        ends = [iso_day(i.get("endDate")) for i in interests]
        start = min((d for d in starts if d), default=iso_day(statement.get("statementDate")))
        end = max((d for d in ends if d), default=None) if all(ends) and ends else None
        details = ", ".join(
            sorted({str(i.get("details") or i.get("type") or "") for i in interests} - {""})
        )
        if "describedByEntityStatement" in party:
            controller = entities.get(party["describedByEntityStatement"]) or {}
            number = entity_number(controller)
            controls.append(Control(
                subject_number, str(statement.get("statementID")),
                "company" if number else "other-entity", str(controller.get("name") or ""),
                "companies-house" if number else None, number or None, details, start, end,
            ))  # fmt: skip
        elif "unspecified" in party:
            # No one with significant control: a mutual owned by its members, or a company
            # whose controller is unknown. The reason says which.
            reason = party["unspecified"] if isinstance(party["unspecified"], dict) else {}
            controls.append(Control(
                subject_number, str(statement.get("statementID")), "none-registrable",
                str(reason.get("description") or reason.get("reason") or "")[:300] or None,
                None, None, details, start, end,
            ))  # fmt: skip
        elif "describedByPersonStatement" in party:
            controls.append(Control(
                subject_number, str(statement.get("statementID")), "individual", None, None,
                None, details, start, end,
            ))  # fmt: skip
    described = []
    for entity in entities.values():
        number = entity_number(entity)
        if not number:
            continue
        address = next(
            (str(a.get("address") or "") for a in entity.get("addresses") or []
             if isinstance(a, dict)), "",
        )  # fmt: skip
        found = POSTCODE.search(address.upper())
        described.append({
            "number": number, "name": str(entity.get("name") or ""), "address": address,
            "postcode": found.group(0) if found else "",
            "founded_on": iso_day(entity.get("foundingDate")),
            "dissolved_on": iso_day(entity.get("dissolutionDate")),
        })  # fmt: skip
    return controls, described, bad


def psc_control(line: dict[str, Any]) -> Control | None:
    """One line of Companies House's PSC snapshot, or None for lines that are not a PSC
    (statements that there is none, the totals line)."""
    data = line.get("data")
    if isinstance(data, dict) and str(data.get("kind", "")).startswith("totals#"):
        return None
    number = company_number(str(line.get("company_number") or ""))
    if not number or not isinstance(data, dict):
        raise ValueError("no company_number or no data")
    kind = data.get("kind")
    statement_id = str((data.get("links") or {}).get("self") or data.get("etag") or "")
    natures = ", ".join(str(n) for n in data.get("natures_of_control") or [])
    start, end = iso_day(data.get("notified_on")), iso_day(data.get("ceased_on"))
    if kind in INDIVIDUAL_KINDS:
        return Control(number, statement_id, "individual", None, None, None, natures, start, end)
    if kind in CORPORATE_KINDS:
        identification = data.get("identification") or {}
        registered_in = str(identification.get("place_registered") or "").upper()
        controller = company_number(str(identification.get("registration_number") or ""))
        uk = not registered_in or any(
            word in registered_in for word in ("COMPANIES HOUSE", "ENGLAND", "UNITED KINGDOM")
        )
        if controller and uk:
            return Control(number, statement_id, "company", str(data.get("name") or ""),
                           "companies-house", controller, natures, start, end)  # fmt: skip
        return Control(number, statement_id, "other-entity", str(data.get("name") or ""),
                       None, None, natures, start, end)  # fmt: skip
    return None


def read_bods(path: Path) -> tuple[list[Control], list[dict[str, Any]], list[tuple[int, str]]]:
    if path.stat().st_size > MAX_BODS_BYTES:
        raise WrongFileError(
            f"{path}: {path.stat().st_size:,} bytes is more than a BODS document read whole "
            f"may hold ({MAX_BODS_BYTES:,}); split it into one file per company"
        )
    raw = path.read_bytes().removeprefix(b"\xef\xbb\xbf")
    try:
        check_depth(raw)
        document = orjson.loads(raw)
    except TooDeepError as error:
        raise WrongFileError(f"{path}: {error}") from error
    except orjson.JSONDecodeError as error:
        raise WrongFileError(f"{path}: not JSON ({error}); truncated?") from error
    if not isinstance(document, list):
        raise WrongFileError(f"{path}: a BODS file is a JSON array of statements")
    controls, described, bad = bods_controls(document)
    problems = [(0, "a statement without a type, or about no company")] * bad
    if document and bad / len(document) > BAD_ROW_LIMIT * 50:
        raise WrongFileError(f"{path}: {bad} of {len(document)} statements unusable")
    return controls, described, problems


def lines_of(path: Path) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) for each line, or None for a line longer than MAX_LINE_BYTES,
    which is skipped over without being held."""
    with path.open("rb") as handle:
        number = 0
        while True:
            raw = handle.readline(MAX_LINE_BYTES + 1)
            if not raw:
                return
            number += 1
            if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                while (rest := handle.readline(1 << 20)) and not rest.endswith(b"\n"):
                    pass
                yield number, None
                continue
            yield number, raw.removeprefix(b"\xef\xbb\xbf") if number == 1 else raw


def read_psc_lines(path: Path) -> Iterator[tuple[int, Control | None, str]]:
    for number, raw in lines_of(path):
        if raw is None:
            yield number, None, f"a line longer than {MAX_LINE_BYTES:,} bytes"
            continue
        if not raw.strip():
            continue
        try:
            check_depth(raw)
            line = orjson.loads(raw)
            if not isinstance(line, dict):
                raise ValueError("not an object")
            yield number, psc_control(line), ""
        except (orjson.JSONDecodeError, ValueError, TooDeepError) as error:
            yield number, None, f"not a PSC line ({error})"


def layout_of(path: Path) -> str:
    with path.open("rb") as handle:
        start = handle.read(4096).lstrip(b"\xef\xbb\xbf").lstrip()
    if start.startswith(b"["):
        return BODS
    if start.startswith(b"{"):
        return CH_PSC
    raise WrongFileError(f"{path}: neither BODS (a JSON array) nor Companies House PSC JSON Lines")


def ingest_ownership(path: Path, as_of: datetime.date | None = None) -> OwnershipSummary:
    """Ingest one file of control statements; the same file again changes nothing."""
    digest = sha256_of([path])
    layout = layout_of(path)
    summary = OwnershipSummary(path.name, layout)
    with store.connect() as connection:
        if store.known_file(connection, KIND, digest) is not None:
            summary.already_present = True
            return summary
        bad: list[tuple[int, str]] = []
        described: list[dict[str, Any]] = []
        if layout == BODS:
            controls, described, bad = read_bods(path)
            summary.statements = len(controls) + len(bad)
        else:
            controls = []
            for line, control, problem in read_psc_lines(path):
                summary.statements += 1
                if problem:
                    bad.append((line, problem))
                elif control is not None:
                    controls.append(control)
            if summary.statements and len(bad) / summary.statements > BAD_ROW_LIMIT:
                raise WrongFileError(
                    f"{path}: {len(bad):,} of {summary.statements:,} lines are bad (more than "
                    f"{BAD_ROW_LIMIT:.0%}): refused as the wrong file; nothing was stored"
                )
        summary.controls, summary.rows_bad = len(controls), len(bad)
        with store.transaction(connection):
            file_id = store.record_file(
                connection, kind=KIND, layout=layout, name=path.name, sha256=digest,
                snapshot_on=as_of or datetime.date.today(),
            )  # fmt: skip
            if bad:
                connection.executemany(
                    "INSERT INTO bad_rows VALUES (?, ?, ?, '')",
                    [(file_id, line or None, problem) for line, problem in bad],
                )
            if controls:
                connection.executemany(
                    "INSERT OR REPLACE INTO controls VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(*vars(control).values(), file_id) for control in controls],
                )
            if described:
                connection.executemany(
                    "INSERT OR REPLACE INTO entities VALUES ('companies-house', ?, ?, ?, ?, ?, "
                    "?, ?)",
                    [(*entity.values(), file_id) for entity in described],
                )
            store.finish_file(
                connection, file_id, summary.statements, summary.controls, summary.rows_bad
            )
    return summary
