"""Cheap builders of contributors and tables for the disclosure tests."""

from mutualwatch.workforce.disclosure import Contribution, TableSpec

PENSION_BY_AREA = TableSpec(
    "pension-by-area", "Pension scheme, by service area", ("service_area",), "pension", None
)
HEADCOUNT_BY_AREA = TableSpec(
    "headcount-by-area", "Staff headcount, by service area", ("service_area",), None, "headcount"
)


def member(cohort=1, pay_ratio=None, headcount=None, hours=None, **attributes):
    return Contribution(
        attributes=attributes,
        magnitudes={"pay_ratio": pay_ratio, "headcount": headcount, "hours": hours},
        cohort=cohort,
    )


def members(count, cohort=1, **attributes):
    return [member(cohort=cohort, **attributes) for _ in range(count)]


def grid(counts, cohort=1):
    """Members of each service area and pension scheme: {("Libraries", "LGPS"): 12, ...}."""
    return [
        contribution
        for (area, pension), count in counts.items()
        for contribution in members(count, cohort, service_area=area, pension=pension)
    ]


def cell(cells, row, column, table=PENSION_BY_AREA.key):
    (found,) = [c for c in cells if c.table == table and c.row == row and c.column == column]
    return found
