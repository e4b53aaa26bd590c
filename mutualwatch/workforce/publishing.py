"""Publishing the protected workforce tables, and auditing everything published.

A publication reads every record through the system's own path (no person reads a record;
the publication itself is logged), after deleting what is past its retention. Its tables are
protected against every earlier publication: a cell that would let someone subtract an earlier
table from this one and find a small group is suppressed too. Each record remembers the first
publication that counted it, which is what the audit needs to see what differences reveal.
"""

import csv
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from mutualwatch.workforce import access, crypto
from mutualwatch.workforce.aggregates import (
    TABLE_SPECS,
    cell_document,
    cell_from_document,
    contribution,
    spec_document,
    spec_from_document,
    where_of,
)
from mutualwatch.workforce.audit import Finding, audit
from mutualwatch.workforce.disclosure import (
    Basis,
    Contribution,
    Protected,
    Released,
    Rules,
    csv_rows,
    protect,
)
from mutualwatch.workforce.exceptions import PublicationRefused
from mutualwatch.workforce.models import AccessAction, Publication, TermsRecord
from mutualwatch.workforce.services import delete_expired

#: Steps done and steps in all, as the disclosure engine and the audit report them.
Progress = Callable[[int, int], None]


def rules_from_settings() -> Rules:
    return Rules(
        min_respondents=settings.WORKFORCE_MIN_RESPONDENTS,
        dominance=settings.WORKFORCE_DOMINANCE,
    )


def rules_document(rules: Rules) -> dict[str, Any]:
    """The rules as ``Publication.rules`` keeps them, with the tables' specifications."""
    document = asdict(rules)
    document["dominance_measures"] = sorted(rules.dominance_measures)
    document["specs"] = [spec_document(spec) for spec in TABLE_SPECS]
    return document


def released(publication: Publication) -> Released:
    """A stored publication as the disclosure engine and the audit read it."""
    return Released(
        number=publication.number,
        specs=tuple(spec_from_document(spec) for spec in publication.rules["specs"]),
        cells=[cell_from_document(cell) for cell in publication.cells],
        basis=Basis.from_document(publication.basis),
    )


def every_release() -> list[Released]:
    return [released(publication) for publication in Publication.objects.order_by("number")]


def _contributions(number: int) -> Iterator[tuple[int, bool, Contribution]]:
    """Every record's contribution: (record id, newly counted?, contribution)."""
    records = TermsRecord.objects.select_related(
        "arrangement__authority", "arrangement__service_area", "arrangement__provider"
    ).order_by("pk")
    wheres: dict[int, Any] = {}
    for record in records.iterator(chunk_size=2000):
        if record.arrangement_id not in wheres:
            wheres[record.arrangement_id] = where_of(record.arrangement)
        answers = crypto.unseal(record.sealed_answers)
        cohort = record.first_published or number
        yield (
            record.pk,
            record.first_published is None,
            contribution(wheres[record.arrangement_id], record.time_point, answers, cohort),
        )


def publish(progress: Progress | None = None) -> Publication:
    """A new publication of every table, protected against all earlier ones.

    Protecting takes minutes nationally, so it runs outside any transaction (on SQLite one
    would hold the database's write lock throughout); only storing the result is atomic. A
    record added meanwhile is counted by the next publication; two publications made at once
    cannot share a number (it is unique), so the second fails and stores nothing."""
    delete_expired()
    earlier = every_release()
    number = (Publication.objects.aggregate(last=Max("number"))["last"] or 0) + 1
    contributions: list[Contribution] = []
    newly_counted: list[int] = []
    for pk, new, item in _contributions(number):
        contributions.append(item)
        if new:
            newly_counted.append(pk)
    rules = rules_from_settings()
    try:
        protected = protect(
            contributions, TABLE_SPECS, rules, earlier, number=number, progress=progress
        )
    except (RuntimeError, ValueError) as error:
        # The engine's refusals: no suppression protects every cell, or its linear programs
        # found no answer. Nothing is stored.
        raise PublicationRefused(f"Workforce publication {number} was not made: {error}") from error
    return _store(number, rules, protected, len(contributions), newly_counted)


@transaction.atomic
def _store(
    number: int, rules: Rules, protected: Protected, respondents: int, newly_counted: list[int]
) -> Publication:
    publication = Publication.objects.create(
        number=number,
        rules=rules_document(rules),
        cells=[cell_document(cell) for cell in protected.cells],
        basis=protected.basis.as_document(),
        respondents=respondents,
    )
    for start in range(0, len(newly_counted), 5000):
        TermsRecord.objects.filter(pk__in=newly_counted[start : start + 5000]).update(
            first_published=number
        )
    access.log(
        None,
        AccessAction.PUBLISH,
        record=publication,
        count=respondents,
        reason=f"Workforce publication {number}",
    )
    return publication


def run_audit(progress: Progress | None = None) -> list[Finding]:
    """Every published release audited together: for each suppressed cell, the narrowest
    interval its true value can be pinned to from everything published, against its
    protection."""
    return audit(every_release(), rules_from_settings(), progress=progress)


def summary_line(publication: Publication) -> str:
    """What a publication published, in one plain line."""
    suppressed = sum(1 for cell in publication.cells if cell["suppressed"])
    return (
        f"Workforce tables: {len(publication.cells):,} cells published from "
        f"{publication.respondents:,} records, {suppressed:,} suppressed to protect members."
    )


CSV_COLUMNS = ("table", "table_title", "row", "column", "respondents", "value", "suppressed")


def write_csv(publication: Publication, out: Path) -> int:
    """A publication's tables as CSV, one cell a line (``respondents`` and ``value`` empty where
    withheld); returns the number of cells written."""
    release = released(publication)
    written = 0
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for row in csv_rows(release.cells, release.specs):
            writer.writerow(row)
            written += 1
    return written


def audit_report(findings: Sequence[Finding]) -> tuple[list[str], int]:
    """The audit's result in plain lines, per publication: how many withheld cells were checked,
    the narrowest interval found against its protection, and each failure by table, row and
    column. Returns the lines and the number of failures."""
    titles = {spec.key: spec.title for spec in TABLE_SPECS}
    numbers = sorted(
        set(Publication.objects.values_list("number", flat=True))
        | {finding.number for finding in findings}
    )
    lines: list[str] = []
    failed = 0
    for number in numbers:
        own = [finding for finding in findings if finding.number == number]
        if not own:
            lines.append(f"Publication {number}: no withheld cells to check: passed.")
            continue
        cells = {(finding.table, finding.row, finding.column) for finding in own}
        # The narrowest is the one closest to its protection: a cell withheld only to protect
        # another needs no width of its own (protection 0).
        protected = [finding for finding in own if finding.protection > 0] or own
        narrowest = min(protected, key=lambda f: f.upper - f.lower - f.protection)
        failures = [finding for finding in own if not finding.passed]
        failed += len(failures)
        lines.append(
            f"Publication {number}: {len(cells):,} withheld cells checked; the narrowest can be "
            f"pinned to {narrowest.upper - narrowest.lower:,.2f} wide (its protection "
            f"{narrowest.protection:,.2f}): {'FAILED' if failures else 'passed'}."
        )
        for finding in failures:
            table = titles.get(finding.table, finding.table)
            quantity = "" if finding.measure == "respondents" else f" ({finding.measure})"
            lines.append(
                f"  FAILED: {table}, row {' / '.join(finding.row)}, column {finding.column}"
                f"{quantity}: "
                f"narrowed to [{finding.lower:,.2f}, {finding.upper:,.2f}], narrower than its "
                f"protection {finding.protection:,.2f}."
            )
    return lines, failed
