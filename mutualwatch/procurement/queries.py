"""Reads over the procurement tables, for commands, pages and other apps."""

import datetime
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import orjson
from django.db.models import Count, Max, Q, QuerySet

from mutualwatch.compiled_queries import CompiledQuery
from mutualwatch.procurement.models import (
    Award,
    AwardSupplier,
    Classification,
    Contract,
    PartyIdentifier,
    ProcurementProcess,
    QuarantinedRelease,
    RejectedFile,
    Release,
)


@dataclass(frozen=True)
class UnlinkedBuyer:
    name: str
    identifier: str
    processes: int


def unlinked_buyers() -> list[UnlinkedBuyer]:
    """Buyers not linked to a register authority, most processes first."""
    rows = (
        ProcurementProcess.objects.filter(authority__isnull=True, compiled__isnull=False)
        .exclude(buyer_name="", buyer_identifier="")
        .values("buyer_name", "buyer_identifier")
        .annotate(processes=Count("ocid"))
        .order_by("-processes", "buyer_name", "buyer_identifier")
    )
    return [
        UnlinkedBuyer(row["buyer_name"], row["buyer_identifier"], row["processes"]) for row in rows
    ]


def quarantined_releases(file_contains: str = "", ocid: str = "") -> QuerySet[QuarantinedRelease]:
    releases = QuarantinedRelease.objects.all()
    if file_contains:
        releases = releases.filter(source_file__contains=file_contains)
    if ocid:
        releases = releases.filter(ocid=ocid)
    return releases.order_by("source_file", "source_position")


def rejected_files(file_contains: str = "") -> QuerySet[RejectedFile]:
    return RejectedFile.objects.filter(path__contains=file_contains).order_by("path")


PROCESSES_LISTED = 50
_latest_processes = CompiledQuery(
    lambda authority_id: (
        ProcurementProcess.objects.filter(authority_id=authority_id)
        .order_by("-latest_release_date")
        .values("ocid", "title", "procurement_method", "latest_release_date")[:PROCESSES_LISTED]
    ),
    authority_id=int,
)


def latest_processes_of(authority_id: int) -> list[dict[str, Any]]:
    """The authority's latest procurement processes (``PROCESSES_LISTED`` at most), as its page
    lists them: without their compiled releases, which are most of each row."""
    return _latest_processes(authority_id=authority_id)


def compiled_releases(publisher: str | None = None) -> Iterator[tuple[str, str, Any]]:
    """(ocid, publisher, compiled release) for every compiled process, streamed."""
    processes = ProcurementProcess.objects.filter(compiled__isnull=False)
    if publisher is not None:
        processes = processes.filter(publisher=publisher)
    rows = processes.order_by("ocid").values_list("ocid", "publisher", "compiled")
    yield from rows.iterator(chunk_size=500)


def awards_to_suppliers_identified_as(
    identifiers: Sequence[tuple[str, str]],
) -> QuerySet[Award]:
    """Awards whose supplier carries any of these (scheme, identifier) pairs, newest first."""
    if not identifiers:
        return Award.objects.none()
    wanted = Q(pk__in=[])
    for scheme, identifier in identifiers:
        wanted |= Q(
            suppliers__party__identifiers__scheme=scheme,
            suppliers__party__identifiers__identifier=identifier,
        )
    matching = Award.objects.filter(wanted).values("pk")
    return (
        Award.objects.filter(pk__in=matching)
        .select_related("process__authority")
        # Not each process's compiled release: read and decoded for every award listed, it
        # was most of a provider page with fifty contracts (27 ms, of which 8 in the query).
        .defer("process__compiled", "process__merge_warnings")
        .order_by("-date", "process_id", "position")
    )


def process_with_details(ocid: str) -> ProcurementProcess | None:
    return (
        ProcurementProcess.objects.filter(ocid=ocid, compiled__isnull=False)
        .select_related("authority", "tender")
        .prefetch_related("awards__suppliers__party__identifiers", "contracts")
        .first()
    )


def release_documents(batch: int = 2000) -> Iterator[tuple[str, str, str, Any]]:
    """(ocid, release_id, date, release) for every stored release, as published, in a
    streamed read."""
    rows = Release.objects.order_by().values_list("ocid", "release_id", "date", "canonical_json")
    for ocid, release_id, date, document in rows.iterator(chunk_size=batch):
        yield ocid, release_id, date, orjson.loads(document)


def service_awards_of(ocids: Sequence[str]) -> list[dict[str, Any]]:
    """The processes among ``ocids`` a council bought services in (a CPV code in divisions 50
    to 98, the services), one row per process: ocid, title, authority, first service code,
    and the latest release's date."""
    rows: dict[str, dict[str, Any]] = {}
    classifications = (
        Classification.objects.filter(
            process_id__in=ocids, process__authority__isnull=False, scheme__iexact="CPV"
        )
        .order_by("process_id", "-is_primary", "code")
        .values(
            "process_id", "code", "description", "process__title", "process__authority_id",
            "process__latest_release_date",
        )
    )  # fmt: skip
    for row in classifications:
        division = row["code"][:2]
        if row["process_id"] in rows or not division.isdigit() or not 50 <= int(division) <= 98:
            continue
        rows[row["process_id"]] = {
            "ocid": row["process_id"],
            "title": row["process__title"],
            "authority_id": row["process__authority_id"],
            "code": row["code"],
            "description": row["description"],
            "date": (row["process__latest_release_date"] or "")[:10],
        }
    return list(rows.values())


@dataclass(frozen=True)
class AwardedContract:
    """One award a council made to one supplier, as its page and pack list them."""

    ocid: str
    title: str
    supplier: str
    #: The supplier's (scheme, identifier) pairs, as published.
    identifiers: frozenset[tuple[str, str]]
    awarded_on: datetime.date | None
    value_amount: Decimal | None
    value_currency: str
    #: The award's contract period end, else the latest end of its contracts (amendments
    #: extend them).
    ends_on: datetime.date | None


def awards_of_authority(authority_id: int) -> list[AwardedContract]:
    """Every award of the council's procurements, once per supplier, newest first."""
    suppliers = AwardSupplier.objects.filter(award__process__authority_id=authority_id)
    rows = list(
        suppliers.order_by("-award__date", "award__process_id", "award__position", "pk")
        .values(
            "party_id", "name", "award__award_id", "award__process_id", "award__title",
            "award__process__title", "award__date", "award__value_amount",
            "award__value_currency", "award__contract_period_end",
        )
    )  # fmt: skip
    identifiers: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for party, scheme, identifier in PartyIdentifier.objects.filter(
        party__in=suppliers.values("party_id")
    ).values_list("party_id", "scheme", "identifier"):
        identifiers[party].add((scheme, identifier))
    contract_ends = {
        (ocid, award_id): end
        for ocid, award_id, end in Contract.objects.filter(process__authority_id=authority_id)
        .values("process_id", "award_id")
        .annotate(end=Max("period_end"))
        .values_list("process_id", "award_id", "end")
    }
    found = []
    for row in rows:
        ocid = row["award__process_id"]
        end = row["award__contract_period_end"] or contract_ends.get((ocid, row["award__award_id"]))
        awarded = row["award__date"]
        found.append(
            AwardedContract(
                ocid=ocid,
                title=row["award__title"] or row["award__process__title"],
                supplier=row["name"],
                identifiers=frozenset(identifiers.get(row["party_id"], ())),
                awarded_on=awarded.date() if awarded else None,
                value_amount=row["award__value_amount"],
                value_currency=row["award__value_currency"],
                ends_on=end.date() if end else None,
            )
        )
    return found
