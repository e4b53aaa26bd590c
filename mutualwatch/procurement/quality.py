"""Data quality per source (publisher): what researchers should know before trusting a figure.

For each publisher: how many suppliers carry no identifier; how many awards, contracts and
tenders lack a value or dates; which codelist values fall outside the standard's codelists;
and how many ocids look like one process split across several (same buyer, same title).
"""

from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q

from mutualwatch.procurement.models import (
    Award,
    Contract,
    Party,
    PartyIdentifier,
    ProcurementProcess,
    QuarantinedRelease,
    Release,
    Tender,
    with_role,
)
from mutualwatch.procurement.queries import compiled_releases
from mutualwatch.procurement.standard import load_standard
from mutualwatch.spreadsheets import SafeDictWriter


@dataclass
class SourceQuality:
    publisher: str
    releases: int = 0
    quarantined: int = 0
    processes: int = 0
    suppliers: int = 0
    suppliers_without_identifier: int = 0
    awards: int = 0
    awards_without_value: int = 0
    awards_without_date: int = 0
    contracts: int = 0
    contracts_without_value: int = 0
    contracts_without_dates: int = 0
    tenders: int = 0
    tenders_without_value: int = 0
    codelist_values_outside_standard: int = 0
    ocids_in_split_processes: int = 0

    def share(self, part: str, whole: str) -> float | None:
        total = getattr(self, whole)
        return getattr(self, part) / total if total else None

    @property
    def shares(self) -> dict[str, float | None]:
        return {
            "share_suppliers_without_identifier": self.share(
                "suppliers_without_identifier", "suppliers"
            ),
            "share_awards_without_value": self.share("awards_without_value", "awards"),
            "share_awards_without_date": self.share("awards_without_date", "awards"),
            "share_contracts_without_value": self.share("contracts_without_value", "contracts"),
            "share_contracts_without_dates": self.share("contracts_without_dates", "contracts"),
            "share_tenders_without_value": self.share("tenders_without_value", "tenders"),
            "share_ocids_in_split_processes": self.share("ocids_in_split_processes", "processes"),
        }


@dataclass(frozen=True)
class CodelistProblem:
    publisher: str
    field: str
    codelist: str
    value: str
    count: int


def _counts(queryset: Any, group: str, **conditions: Q) -> dict[str, dict[str, Any]]:
    rows = queryset.values(group).annotate(
        total=Count("pk"), **{name: Count("pk", filter=q) for name, q in conditions.items()}
    )
    return {row[group]: row for row in rows}


def quality_by_source() -> tuple[list[SourceQuality], list[CodelistProblem]]:
    sources: dict[str, SourceQuality] = {}

    def source(name: str) -> SourceQuality:
        return sources.setdefault(name, SourceQuality(publisher=name))

    for name, n in Release.objects.values_list("publisher").annotate(n=Count("pk")):
        source(name).releases = n
    for name, n in QuarantinedRelease.objects.values_list("publisher").annotate(n=Count("pk")):
        source(name).quarantined = n
    for name, n in ProcurementProcess.objects.values_list("publisher").annotate(n=Count("pk")):
        source(name).processes = n

    has_identifier = Exists(PartyIdentifier.objects.filter(party=OuterRef("pk")))
    suppliers = Party.objects.filter(with_role("supplier")).annotate(identified=has_identifier)
    for publisher, row in _counts(
        suppliers, "process__publisher", missing=Q(identified=False)
    ).items():
        quality = source(publisher)
        quality.suppliers, quality.suppliers_without_identifier = row["total"], row["missing"]
    for publisher, row in _counts(
        Award.objects.all(),
        "process__publisher",
        no_value=Q(value_amount=None),
        no_date=Q(date=None),
    ).items():
        quality = source(publisher)
        quality.awards = row["total"]
        quality.awards_without_value, quality.awards_without_date = row["no_value"], row["no_date"]
    for publisher, row in _counts(
        Contract.objects.all(),
        "process__publisher",
        no_value=Q(value_amount=None),
        no_dates=Q(period_start=None, period_end=None, date_signed=None),
    ).items():
        quality = source(publisher)
        quality.contracts = row["total"]
        quality.contracts_without_value = row["no_value"]
        quality.contracts_without_dates = row["no_dates"]
    for publisher, row in _counts(
        Tender.objects.all(), "process__publisher", no_value=Q(value_amount=None)
    ).items():
        quality = source(publisher)
        quality.tenders, quality.tenders_without_value = row["total"], row["no_value"]

    split = (
        ProcurementProcess.objects.exclude(title="")
        .exclude(buyer_name="")
        .values("publisher", "buyer_name", "title")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    for split_row in split:
        source(split_row["publisher"]).ocids_in_split_processes += split_row["n"]

    problems = list(codelist_problems())
    for problem in problems:
        source(problem.publisher).codelist_values_outside_standard += problem.count
    return [sources[name] for name in sorted(sources)], problems


def codelist_problems() -> Iterator[CodelistProblem]:
    """Values of codelist fields (in compiled releases) that are not in the codelist."""
    standard = load_standard()
    found: Counter[tuple[str, str, str, str]] = Counter()
    for _ocid, publisher, compiled in compiled_releases():
        for path, codelist, value in codelist_values(compiled, standard.codelist_fields):
            codes = standard.codelists.get(codelist)
            if codes is not None and value not in codes:
                found[(publisher, "/".join(path), codelist, value)] += 1
    for (publisher, field, codelist, value), count in sorted(found.items()):
        yield CodelistProblem(publisher, field, codelist, value, count)


def codelist_values(
    data: Any, fields_to_codelists: dict[tuple[str, ...], str]
) -> Iterator[tuple[tuple[str, ...], str, str]]:
    """Every (field path, codelist, value) in a release, for the fields that use codelists."""
    prefixes: set[tuple[str, ...]] = set()
    for path in fields_to_codelists:
        for length in range(1, len(path)):
            prefixes.add(path[:length])

    def walk(node: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], str, str]]:
        if isinstance(node, list):
            for item in node:
                yield from walk(item, path)
            return
        if path in fields_to_codelists:
            if isinstance(node, str):
                yield path, fields_to_codelists[path], node
            return
        if isinstance(node, dict) and (not path or path in prefixes):
            for key, child in node.items():
                yield from walk(child, (*path, key))

    yield from walk(data, ())


def write_quality_csv(rows: list[SourceQuality], path: Path) -> None:
    names = [f.name for f in fields(SourceQuality)] + list(SourceQuality("").shares)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = SafeDictWriter(handle, fieldnames=names)
        writer.writeheader()
        for row in rows:
            shares = {k: "" if v is None else f"{v:.4f}" for k, v in row.shares.items()}
            writer.writerow(asdict(row) | shares)


def write_codelist_csv(problems: list[CodelistProblem], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = SafeDictWriter(handle, fieldnames=[f.name for f in fields(CodelistProblem)])
        writer.writeheader()
        for problem in problems:
            writer.writerow(asdict(problem))
