"""The world's register, as flat records in the register exchange format
(docs/register-format.md): what `mutualwatch import-register` reads.

Only services that ever left the council are recorded, as a real register would; every record
is published, and every arrangement and event cites at least one source with a URL.
"""

import datetime
from collections.abc import Iterator
from pathlib import Path

import orjson

from mutualwatch.demoworld.histories import Provider, Source, Spell, World
from mutualwatch.demoworld.memberships import network_memberships
from mutualwatch.demoworld.parameters import HISTORY_START
from mutualwatch.demoworld.randomness import draw_uuid, stream
from mutualwatch.register.vocabulary import SERVICE_AREAS

Record = dict[str, str]

REGISTER_FILE = "register.json"
PUBLISHED = "published"
# Each record type's fields, in the order of docs/register-format.md.
FIELDS: dict[str, tuple[str, ...]] = {
    "service_area": ("code", "name", "description", "parent"),
    "authority": (
        "gss_code", "name", "registry_code", "kind", "nation", "region", "start_date",
        "end_date", "replaced_by",
    ),
    "network_membership": (
        "member_name", "member_type", "tier", "authority", "joined_on", "joined_basis",
        "left_on", "source", "notes",
    ),
    "source": (
        "uid", "state", "branch", "title", "publisher", "url", "kind", "published_on",
        "accessed_on", "sha256",
    ),
    "provider": ("uid", "state", "branch", "name", "legal_form", "notes"),
    "provider_identifier": ("provider", "scheme", "identifier"),
    "provider_control": (
        "provider", "controller_name", "controller_kind", "controller", "start", "end", "source",
    ),
    "arrangement": (
        "uid", "state", "branch", "authority", "service_area", "provider", "start", "end",
        "origin", "staff_transferred", "contract_references", "notes", "sources",
    ),
    "event": (
        "uid", "state", "branch", "event_type", "date", "arrangement", "provider",
        "counterparty", "description", "sources",
    ),
}  # fmt: skip
LIST_SEPARATOR = " | "


def record(record_type: str, **values: str) -> Record:
    """A flat record: every field present, every value a string, unknown fields refused."""
    unknown = set(values) - set(FIELDS[record_type])
    if unknown:
        msg = f"{record_type} has no fields {sorted(unknown)}"
        raise ValueError(msg)
    return {"record_type": record_type} | {
        name: values.get(name, "") for name in FIELDS[record_type]
    }


def day(value: datetime.date | None) -> str:
    return "" if value is None else value.isoformat()


def notice_source(world: World, spell: Spell) -> Source:
    """The procurement notice of an arrangement published in OCDS, as a citable source."""
    rng = stream(world.parameters.seed, "notice-source", spell.ocid)
    return Source(
        uid=draw_uuid(rng),
        title=f"Contract notice {spell.ocid}",
        publisher="Fictional Contracts Finder",
        url=f"https://contracts.example.org/notices/{spell.ocid}",
        kind="procurement-notice",
        published_on=spell.start,
    )


def source_record(source: Source) -> Record:
    return record(
        "source",
        uid=source.uid,
        state=PUBLISHED,
        title=source.title,
        publisher=source.publisher,
        url=source.url,
        kind=source.kind,
        published_on=day(source.published_on),
        accessed_on=day(datetime.date(2026, 1, 1)),
    )


def provider_records(provider: Provider) -> Iterator[Record]:
    notes = (
        "" if provider.fate == "ongoing" else f"Fate: {provider.fate} on {day(provider.fate_on)}."
    )
    yield record(
        "provider",
        uid=provider.uid,
        state=PUBLISHED,
        name=provider.name,
        legal_form=provider.legal_form,
        notes=notes,
    )
    if provider.company is not None:
        scheme = "GB-COH" if provider.company.register == "ch" else "GB-MPR"
        yield record(
            "provider_identifier",
            provider=provider.uid,
            scheme=scheme,
            identifier=provider.company.number,
        )
    for control in provider.controls:
        yield record(
            "provider_control",
            provider=provider.uid,
            controller_name=control.controller_name,
            controller_kind=control.controller_kind,
            controller=control.controller_uid,
            start=day(control.start),
            end=day(control.end),
            source=control.source_uid,
        )


def register_records(world: World) -> Iterator[Record]:
    """Every record of the world's register, reference data first."""
    for code, name, description in SERVICE_AREAS:
        yield record("service_area", code=code, name=name, description=description)
    for authority in world.authorities:
        yield record(
            "authority",
            gss_code=authority.gss_code,
            name=authority.name,
            kind=authority.kind,
            nation="fictional",
            region=authority.region,
            start_date=day(HISTORY_START),
        )
    memberships = list(network_memberships(world))
    for values, report in memberships:
        yield record("network_membership", **values, source=report.uid)
    spells = [
        spell for history in world.histories if history.ever_external for spell in history.spells
    ]
    recorded = {spell.uid for spell in spells}
    events = [event for event in world.events if event.arrangement_uid in recorded]
    cited: set[str] = {spell.provider_uid for spell in spells}
    for event in events:
        cited.update(uid for uid in (event.provider_uid, event.counterparty_uid) if uid)
    providers = {provider.uid: provider for provider in world.providers()}
    for provider in providers.values():
        cited.update(
            c.controller_uid
            for c in provider.controls
            if c.controller_uid and provider.uid in cited
        )
    sources: dict[str, Source] = {}
    for spell in spells:
        sources.setdefault(spell.source.uid, spell.source)
        if spell.ocid:
            notice = notice_source(world, spell)
            sources.setdefault(notice.uid, notice)
    for event in events:
        sources.setdefault(event.source.uid, event.source)
    for _, report in memberships:
        sources.setdefault(report.uid, report)
    for source in sources.values():
        yield source_record(source)
    for provider in providers.values():
        if provider.uid in cited:
            yield from provider_records(provider)
    for spell in spells:
        citations = [spell.source.uid]
        if spell.ocid:
            citations.append(notice_source(world, spell).uid)
        yield record(
            "arrangement",
            uid=spell.uid,
            state=PUBLISHED,
            authority=spell.authority,
            service_area=spell.service_area,
            provider=spell.provider_uid,
            start=day(spell.start),
            end=day(spell.end),
            origin=spell.origin,
            staff_transferred=""
            if spell.staff_transferred is None
            else str(spell.staff_transferred),
            contract_references=spell.ocid,
            sources=LIST_SEPARATOR.join(citations),
        )
    for event in events:
        yield record(
            "event",
            uid=event.uid,
            state=PUBLISHED,
            event_type=event.event_type,
            date=day(event.date),
            arrangement=event.arrangement_uid,
            provider=event.provider_uid,
            counterparty=event.counterparty_uid,
            description=event.description,
            sources=event.source.uid,
        )


def write_register(world: World, out: Path) -> int:
    """Write register.json one record per line, without building the document in memory.
    Returns the number of records."""
    count = 0
    with (out / REGISTER_FILE).open("wb") as handle:
        handle.write(b'{"format": "mutualwatch-register", "format_version": 1, "records": [\n')
        for item in register_records(world):
            if count:
                handle.write(b",\n")
            handle.write(orjson.dumps(item))
            count += 1
        handle.write(b"\n]}\n")
    return count
