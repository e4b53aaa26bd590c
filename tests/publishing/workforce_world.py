"""Publications of the protected workforce tables, built directly as their rows: the public
side reads nothing else. Cells are written as (row, column, respondents) for count tables and
(row, respondents, mean) for tables of means; a cell given as a suppression reason ("primary",
"secondary", "dominance") instead of its figures is published withheld, with nulls."""

from collections.abc import Iterable
from typing import Any

from mutualwatch.workforce.models import Publication

BEFORE = "Before or at transfer"
AFTER = "After transfer"
LGPS = "LGPS kept, open to new starters"
LGPS_CLOSED = "LGPS kept, closed to new starters"
DC = "Replaced by a defined-contribution scheme"
NO_PENSION = "No pension scheme"
PENSIONS = (LGPS, LGPS_CLOSED, DC, NO_PENSION)
MUTUAL = "Public service mutual"
PRIVATE = "Private company"
CHARITY = "Charity"
RECOGNISED = "Union recognised, with facility time"
NOT_RECOGNISED = "Union not recognised"


def _spec(key: str, title: str, rows: list[str], column=None, measure=None) -> dict:
    return {"key": key, "title": title, "rows": rows, "column": column, "measure": measure}


BY_KIND = ["provider_kind", "period"]
SPECS = [
    _spec("pension-national", "Pensions, all transferred staff", ["period"], "pension"),
    _spec("pension-by-provider-kind", "Pensions by kind of provider", BY_KIND, "pension"),
    _spec("pension-by-service-area", "Pensions by service", ["service_area", "period"], "pension"),
    _spec("pension-by-authority", "Pensions by council", ["authority", "period"], "pension"),
    _spec("pension-by-arrangement", "Pensions by arrangement", ["arrangement", "period"],
          "pension"),
    _spec("recognition-by-provider-kind", "Union recognition by kind of provider", BY_KIND,
          "recognition"),
    _spec("two-tier-by-provider-kind", "Two-tier workforce by kind of provider", BY_KIND,
          "two_tier"),
    _spec("pay-by-provider-kind", "Pay against the council's rate, by kind of provider", BY_KIND,
          measure="pay_ratio"),
    _spec("hours-by-provider-kind", "Contracted hours by kind of provider", BY_KIND,
          measure="hours"),
    _spec("headcount-by-service-area", "Headcount by service", ["service_area", "period"],
          measure="headcount"),
]  # fmt: skip


def count_cells(table: str, rows: dict[tuple[str, ...], Iterable[Any]], columns: Iterable[str]):
    """A count table's cells: for each row, one figure (or suppression reason) per column,
    then the row's total."""
    columns = [*columns, "Total"]
    cells = []
    for row, figures in rows.items():
        for column, figure in zip(columns, figures, strict=True):
            cells.append(_cell(table, row, column, figure, None))
    return cells


def mean_cells(table: str, measure: str, rows: dict[tuple[str, ...], Any]):
    return [
        _cell(table, row, measure, *(figure if isinstance(figure, tuple) else (figure, None)))
        for row, figure in rows.items()
    ]


def _cell(table: str, row: tuple[str, ...], column: str, figure: Any, value: Any) -> dict:
    if isinstance(figure, str):
        return {"table": table, "row": list(row), "column": column, "respondents": None,
                "value": None, "suppressed": figure}  # fmt: skip
    return {"table": table, "row": list(row), "column": column, "respondents": figure,
            "value": value, "suppressed": ""}  # fmt: skip


def standard_cells(council: str = "Exemplar Borough Council") -> list[dict]:
    """A release of every table, with cells withheld for each reason. The council's LGPS
    figure after transfer is 12 (40%); a charity's totals are too small to publish."""
    return [
        *count_cells("pension-national", {
            (BEFORE,): [120, 14, "primary", "secondary", 140],
            (AFTER,): [60, 30, 40, 12, 142],
        }, PENSIONS),
        *count_cells("pension-by-provider-kind", {
            (MUTUAL, BEFORE): [70, 10, "primary", "secondary", 84],
            (MUTUAL, AFTER): [40, 20, "secondary", "primary", 80],
            (PRIVATE, BEFORE): [50, "primary", "secondary", "primary", 56],
            (PRIVATE, AFTER): [12, "primary", 25, "secondary", 58],
            (CHARITY, BEFORE): ["primary"] * 5,
            (CHARITY, AFTER): ["primary", "secondary", "primary", "primary", "primary"],
        }, PENSIONS),
        *count_cells("pension-by-authority", {
            (council, BEFORE): [30, "primary", "secondary", "primary", 36],
            (council, AFTER): [12, 11, "primary", "secondary", 30],
            ("Quietshire Council", BEFORE): ["primary"] * 5,
        }, PENSIONS),
        *count_cells("pension-by-service-area", {
            ("Libraries", BEFORE): [40, "primary", "secondary", "primary", 47],
        }, PENSIONS),
        *count_cells("pension-by-arrangement", {
            ("Libraries at Exemplar Borough Council", AFTER): ["primary"] * 5,
        }, PENSIONS),
        *count_cells("recognition-by-provider-kind", {
            (MUTUAL, BEFORE): [70, "primary", "secondary", 80],
            (MUTUAL, AFTER): [35, 20, 25, 80],
        }, (RECOGNISED, "Union recognised, no facility time", NOT_RECOGNISED)),
        *count_cells("two-tier-by-provider-kind", {
            (MUTUAL, BEFORE): ["primary", 75, 80],
            (MUTUAL, AFTER): [33, 47, 80],
        }, ("Yes", "No")),
        *mean_cells("pay-by-provider-kind", "pay_ratio", {
            (MUTUAL, BEFORE): (60, 100.2),
            (MUTUAL, AFTER): (55, 94.37),
            (PRIVATE, BEFORE): (40, 99.8),
            (PRIVATE, AFTER): "dominance",
            (CHARITY, BEFORE): "primary",
        }),
        *mean_cells("hours-by-provider-kind", "hours", {
            (MUTUAL, BEFORE): (60, 36.5),
            (MUTUAL, AFTER): (55, 33.25),
        }),
        *mean_cells("headcount-by-service-area", "headcount", {
            ("Libraries", BEFORE): (12, 41.0),
            ("Libraries", AFTER): "secondary",
        }),
    ]  # fmt: skip


def build_publication(
    number: int = 1,
    cells: list[dict] | None = None,
    specs: list[dict] | None = None,
    respondents: int = 1234,
    min_respondents: int = 10,
) -> Publication:
    return Publication.objects.create(
        number=number,
        respondents=respondents,
        rules={"min_respondents": min_respondents, "dominance": 0.9, "specs": specs or SPECS},
        cells=standard_cells() if cells is None else cells,
        # What the public side must never read: figures found nowhere else.
        basis={"secret": "BASIS-7717", "counts": [7717]},
    )
