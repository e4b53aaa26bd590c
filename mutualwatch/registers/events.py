"""What the registers say happened to a body: the facts behind suggested register events.

From the register store, for given companies and societies: changes of control (a corporate
controller appears, or control passes between companies), takeovers (control by a company that
is not a mutual, co-operative, council or charity), insolvency (liquidation, administration),
dissolution, and changes of name. Each fact names the register file it comes from and says
whether its date is the day itself or only the snapshot it was first seen in.

Whether a controller is a council is the councils app's question: the caller passes
``council_named``, which returns the council's name or "".
"""

import datetime
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import orjson

from mutualwatch.registers.store import Connection

INSOLVENT_STATUSES = (
    "Liquidation", "In Administration", "Administration", "Administrative Receiver",
    "Receivership", "Receiver Action", "Voluntary Arrangement", "Insolvency Proceedings",
)  # fmt: skip
DISSOLVED_STATUSES = ("Dissolved", "Cancelled", "Deregistered", "Removed from the live register")
# Company categories that are not private firms: a controller of one of these kinds is no
# takeover by the market.
NOT_FOR_PROFIT_CATEGORIES = (
    "community interest company", "guarantee", "charitable", "registered society",
    "industrial and provident", "royal charter",
)  # fmt: skip
# Where each layout is published: the URL a register Source cites.
PUBLISHED_AT = {
    "basic-company-data": "https://download.companieshouse.gov.uk/en_output.html",
    "ch-psc": "https://download.companieshouse.gov.uk/en_pscdata.html",
    "bods": "https://register.openownership.org/",
    "co-operatives-uk": "https://www.uk.coop/resources/open-data",
    "fca": "https://mutuals.fca.org.uk/",
}
PUBLISHERS = {
    "companies": "Companies House",
    "psc": "Persons with significant control register",
    "societies": "Society register",
}


@dataclass(frozen=True)
class RegisterFact:
    register: str
    number: str
    event_type: str  # register EventType values
    date: datetime.date
    date_known: bool  # False: first seen in the snapshot of ``date``
    description: str
    counterparty_name: str
    counterparty_register: str
    counterparty_number: str
    source_file: str
    source_kind: str  # companies, psc, societies
    source_sha256: str
    snapshot_on: datetime.date
    source_layout: str

    @property
    def key(self) -> str:
        text = "|".join(
            [self.register, self.number, self.event_type, self.date.isoformat(),
             self.counterparty_name, self.counterparty_number]
        )  # fmt: skip
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    @property
    def source_url(self) -> str:
        return PUBLISHED_AT.get(self.source_layout, "")

    @property
    def source_title(self) -> str:
        return f"{PUBLISHERS[self.source_kind]}: {self.source_file} (as of {self.snapshot_on})"


def not_a_firm(connection: Connection, register: str, number: str) -> bool:
    """A mutual, co-operative, community interest company or charity, as far as the registers
    say: a society, a body Co-operatives UK lists, or a not-for-profit company category."""
    if register == "societies":
        return True
    listed = connection.execute(
        "SELECT count(*) FROM cooperative_forms WHERE register = ? AND number = ?",
        [register, number],
    ).fetchall()
    if listed and listed[0][0]:
        return True
    category = connection.execute(
        "SELECT lower(category) FROM companies WHERE number = ?", [number]
    ).fetchall()
    return bool(category) and any(word in category[0][0] for word in NOT_FOR_PROFIT_CATEGORIES)


def control_facts(
    connection: Connection, numbers: list[str], council_named: Callable[[str], str]
) -> Iterable[RegisterFact]:
    rows = connection.execute(
        """
        SELECT c.subject_number, c.controller_kind, coalesce(c.controller_name, ''),
               coalesce(c.controller_number, ''), c.start_on, f.name, f.sha256, f.snapshot_on,
               f.layout
        FROM controls c JOIN register_files f ON f.id = c.file_id
        WHERE c.subject_number IN (SELECT unnest(?)) AND c.start_on IS NOT NULL
        ORDER BY c.subject_number, c.start_on
        """,
        [numbers],
    ).fetchall()
    for subject, kind, name, controller, start, file, sha, snapshot, layout in rows:
        register = "companies-house" if controller else ""
        if kind == "individual":
            event, text = (
                "change-of-control",
                ("A person gained significant control (individuals are not named here)."),
            )
        elif kind == "none-registrable":
            continue
        elif council := council_named(name):
            event = "change-of-control"
            text = f"Controlled by {council}: a local-authority trading company."
        elif controller and not not_a_firm(connection, register, controller):
            event = "takeover"
            text = (
                f"Control passed to {name} ({controller}), a company that is not a mutual, "
                "co-operative, council or charity."
            )
        else:
            event = "change-of-control"
            text = f"Control passed to {name}" + (f" ({controller})." if controller else ".")
        yield RegisterFact(
            "companies-house", subject, event, start, True, text,
            "" if kind == "individual" else name, register, controller, file, "psc", sha,
            snapshot, layout,
        )  # fmt: skip


def company_facts(connection: Connection, numbers: list[str]) -> Iterable[RegisterFact]:
    changes = connection.execute(
        """
        SELECT c.number, c.kind, c.before, c.after, c.effective_on, c.date_known, f.name,
               f.sha256, f.snapshot_on, f.kind, f.layout
        FROM changes c JOIN register_files f ON f.id = c.file_id
        WHERE c.number IN (SELECT unnest(?)) ORDER BY c.number, c.effective_on
        """,
        [numbers],
    ).fetchall()
    seen: set[tuple[str, str]] = set()
    for number, kind, before, after, day, known, file, sha, snapshot, file_kind, layout in changes:
        register = "societies" if file_kind == "societies" else "companies-house"
        if kind == "name":
            yield RegisterFact(register, number, "change-of-name", day, known,
                               f"Renamed from {before} to {after}.", "", "", "", file,
                               file_kind, sha, snapshot, layout)  # fmt: skip
        elif kind in ("status", "removed") and after in INSOLVENT_STATUSES:
            seen.add((number, "insolvency"))
            yield RegisterFact(register, number, "insolvency", day, known,
                               f"Status changed from {before} to {after}.", "", "", "", file,
                               file_kind, sha, snapshot, layout)  # fmt: skip
        elif kind in ("status", "removed") and after in DISSOLVED_STATUSES:
            seen.add((number, "dissolution"))
            yield RegisterFact(register, number, "dissolution", day, known,
                               f"{after} (was {before}).", "", "", "", file, file_kind, sha,
                               snapshot, layout)  # fmt: skip
    # What the latest snapshot shows, where no change was seen (the first snapshot).
    current = connection.execute(
        """
        SELECT c.number, c.status, c.dissolved_on, c.removed_on, to_json(c.previous_names),
               f.name, f.sha256, f.snapshot_on, f.layout
        FROM companies c JOIN register_files f ON f.id = c.file_id
        WHERE c.number IN (SELECT unnest(?))
        """,
        [numbers],
    ).fetchall()
    for number, status, dissolved, removed, previous, file, sha, snapshot, layout in current:
        if status in INSOLVENT_STATUSES and (number, "insolvency") not in seen:
            yield RegisterFact("companies-house", number, "insolvency", snapshot, False,
                               f"In {status} by the snapshot of {snapshot}.", "", "", "", file,
                               "companies", sha, snapshot, layout)  # fmt: skip
        if (dissolved or removed) and (number, "dissolution") not in seen:
            day = dissolved or removed
            yield RegisterFact("companies-house", number, "dissolution", day,
                               dissolved is not None, f"{status or 'Dissolved'}.", "", "", "",
                               file, "companies", sha, snapshot, layout)  # fmt: skip
        yield from name_facts(number, orjson.loads(previous or "[]"), file, sha, snapshot, layout)


def name_facts(
    number: str,
    previous: list[dict[str, str]],
    file: str,
    sha: str,
    snapshot: datetime.date,
    layout: str,
) -> Iterable[RegisterFact]:
    """Changes of name from a company's previous names, which Companies House lists newest
    first, each with the day it stopped being used."""
    later = ""
    for entry in previous:
        if entry.get("changed_on"):
            renamed = f"Renamed from {entry['name']}" + (f" to {later}." if later else ".")
            yield RegisterFact(
                "companies-house", number, "change-of-name",
                datetime.date.fromisoformat(entry["changed_on"]), True, renamed, "", "", "",
                file, "companies", sha, snapshot, layout,
            )  # fmt: skip
        later = entry.get("name", "")


def society_facts(connection: Connection, numbers: list[str]) -> Iterable[RegisterFact]:
    rows = connection.execute(
        """
        SELECT s.number, s.status, s.dissolved_on, f.name, f.sha256, f.snapshot_on, f.layout
        FROM societies s JOIN register_files f ON f.id = s.file_id
        WHERE s.number IN (SELECT unnest(?)) AND s.dissolved_on IS NOT NULL
        """,
        [numbers],
    ).fetchall()
    for number, status, dissolved, file, sha, snapshot, layout in rows:
        yield RegisterFact("societies", number, "dissolution", dissolved, True,
                           f"{status or 'Dissolved'}.", "", "", "", file, "societies", sha,
                           snapshot, layout)  # fmt: skip


def facts_for(
    connection: Connection,
    bodies: Iterable[tuple[str, str]],
    council_named: Callable[[str], str],
) -> list[RegisterFact]:
    """Every fact the registers hold about these (register, number) bodies."""
    companies = sorted({number for register, number in bodies if register == "companies-house"})
    societies = sorted({number for register, number in bodies if register == "societies"})
    facts = [
        *control_facts(connection, companies, council_named),
        *company_facts(connection, companies),
        *society_facts(connection, societies),
    ]
    unique = {fact.key: fact for fact in facts}
    return sorted(unique.values(), key=lambda f: (f.register, f.number, f.date, f.event_type))
