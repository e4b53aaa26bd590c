"""The published workforce tables: which tables, and what each record contributes to them.

Every attribute's value is the label people read (the council's name, the service area's
name, the provider kind's label, the period, the pension's label), never a code: the
protected cells are published as they are.

One record is one contributor. A count table counts the records that give its column's
answer; a magnitude table publishes the mean of its measure over the records that give it.
Officers' observations carry the grade's pay against the council's rate and the headcount;
members' answers carry their own pension, hours and recognition; blank answers contribute
nothing to the tables that need them.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from mutualwatch.register.labels import legal_form_label, service_area_label
from mutualwatch.workforce.disclosure import Cell, Contribution, TableSpec
from mutualwatch.workforce.instrument import (
    YES_NO,
    Pension,
    Period,
    Recognition,
    period_of,
)

PERIOD = "period"
PROVIDER_KIND = "provider_kind"
SERVICE_AREA = "service_area"
AUTHORITY = "authority"
ARRANGEMENT = "arrangement"
PENSION = "pension"
RECOGNITION = "recognition"
TWO_TIER = "two_tier"
PAY_RATIO = "pay_ratio"
HOURS = "hours"
HEADCOUNT = "headcount"


def _spec(
    key: str,
    title: str,
    rows: tuple[str, ...],
    *,
    column: str | None = None,
    measure: str | None = None,
) -> TableSpec:
    return TableSpec(key=key, title=title, rows=rows, column=column, measure=measure)


TABLE_SPECS: tuple[TableSpec, ...] = (
    _spec("pension-national", "Pension, before and after transfer", (PERIOD,), column=PENSION),
    _spec(
        "pension-by-provider-kind",
        "Pension by kind of provider, before and after transfer",
        (PROVIDER_KIND, PERIOD),
        column=PENSION,
    ),
    _spec(
        "pension-by-service-area",
        "Pension by service, before and after transfer",
        (SERVICE_AREA, PERIOD),
        column=PENSION,
    ),
    _spec(
        "pension-by-authority",
        "Pension by council, before and after transfer",
        (AUTHORITY, PERIOD),
        column=PENSION,
    ),
    _spec(
        "pension-by-arrangement",
        "Pension by service and provider, before and after transfer",
        (ARRANGEMENT, PERIOD),
        column=PENSION,
    ),
    _spec(
        "recognition-by-provider-kind",
        "Union recognition by kind of provider, before and after transfer",
        (PROVIDER_KIND, PERIOD),
        column=RECOGNITION,
    ),
    _spec(
        "two-tier-by-provider-kind",
        "New starters on different terms, by kind of provider",
        (PROVIDER_KIND, PERIOD),
        column=TWO_TIER,
    ),
    _spec(
        "pay-by-provider-kind",
        "Hourly pay as a percentage of the council's rate for the grade, by kind of provider",
        (PROVIDER_KIND, PERIOD),
        measure=PAY_RATIO,
    ),
    _spec(
        "hours-by-provider-kind",
        "Contracted hours a week, by kind of provider",
        (PROVIDER_KIND, PERIOD),
        measure=HOURS,
    ),
    _spec(
        "headcount-by-service-area",
        "Headcount by service, before and after transfer",
        (SERVICE_AREA, PERIOD),
        measure=HEADCOUNT,
    ),
)

PENSION_LABELS = dict(Pension.choices)
RECOGNITION_LABELS = dict(Recognition.choices)
PERIOD_LABELS = dict(Period.choices)


@dataclass(frozen=True)
class Where:
    """The register's side of a record, as labels: whose service it is and who delivers it."""

    authority: str
    service_area: str
    provider_kind: str
    arrangement: str


def where_of(arrangement: Any) -> Where:
    """The labels of a register ``Arrangement`` (with its authority, service area and provider
    selected)."""
    return Where(
        authority=arrangement.authority.name,
        service_area=service_area_label(arrangement.service_area.code),
        provider_kind=legal_form_label(arrangement.provider.legal_form),
        # The same provider can hold the same service twice (won back at a re-tender): the
        # start year tells the two apart.
        arrangement=f"{arrangement} (from {arrangement.start_date.year})",
    )


def pay_ratio(answers: Mapping[str, Any]) -> float | None:
    """Hourly pay as a percentage of the council's hourly rate for the same grade: only where
    both are given and the council's rate is not zero."""
    pay, council = answers.get("hourly_pay"), answers.get("council_hourly_pay")
    if pay in (None, "") or council in (None, ""):
        return None
    council_rate = Decimal(str(council))
    if council_rate == 0:
        return None
    return float(Decimal(str(pay)) / council_rate * 100)


def _number(value: Any) -> float | None:
    return None if value in (None, "") else float(Decimal(str(value)))


def _label(labels: Mapping[str, str], value: Any) -> str | None:
    return None if value in (None, "") else labels.get(str(value), str(value))


def contribution(
    where: Where, time_point: str, answers: Mapping[str, Any], cohort: int
) -> Contribution:
    """What one record (its answers opened) contributes to the tables."""
    two_tier = answers.get("two_tier")
    return Contribution(
        attributes={
            PERIOD: PERIOD_LABELS[period_of(time_point)],
            PROVIDER_KIND: where.provider_kind,
            SERVICE_AREA: where.service_area,
            AUTHORITY: where.authority,
            ARRANGEMENT: where.arrangement,
            PENSION: _label(PENSION_LABELS, answers.get("pension")),
            RECOGNITION: _label(RECOGNITION_LABELS, answers.get("recognition")),
            TWO_TIER: None if two_tier is None else YES_NO[bool(two_tier)],
        },
        magnitudes={
            PAY_RATIO: pay_ratio(answers),
            HOURS: _number(answers.get("contracted_hours")),
            HEADCOUNT: _number(answers.get("headcount")),
        },
        cohort=cohort,
    )


def spec_document(spec: TableSpec) -> dict[str, Any]:
    return {
        "key": spec.key,
        "title": spec.title,
        "rows": list(spec.rows),
        "column": spec.column,
        "measure": spec.measure,
    }


def spec_from_document(document: Mapping[str, Any]) -> TableSpec:
    return _spec(
        document["key"],
        document["title"],
        tuple(document["rows"]),
        column=document["column"],
        measure=document["measure"],
    )


def cell_document(cell: Cell) -> dict[str, Any]:
    """A protected cell as ``Publication.cells`` keeps it (JSON)."""
    return {
        "table": cell.table,
        "row": list(cell.row),
        "column": cell.column,
        "respondents": cell.respondents,
        "value": cell.value,
        "suppressed": cell.suppressed,
    }


def cell_from_document(document: Mapping[str, Any]) -> Cell:
    return Cell(
        table=document["table"],
        row=tuple(document["row"]),
        column=document["column"],
        respondents=document["respondents"],
        value=document["value"],
        suppressed=document["suppressed"],
    )
