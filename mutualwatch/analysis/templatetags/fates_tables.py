"""The fates page's long tables, as HTML built in Python.

The national analysis prints some three hundred rows of curve figures and a hazard ratio for
each of forty covariates. Django's template engine resolved, filtered and escaped each value
through several layers, and ``floatformat`` went through ``Decimal``: most of the page's time.
These filters write the same markup with one escape per value.
"""

import math
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from html import escape
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from mutualwatch.analysis.wording import whole_percent_bounds
from mutualwatch.html_rows import value_row

register = template.Library()


def fixed(value: object, places: int) -> str:
    """``value`` to ``places`` decimals as ``floatformat:places`` prints it: from the shortest
    decimal that reads back as the float, halves rounded up, no sign on a zero. Empty for
    anything but a number (a figure the model could not estimate is stored as null)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return ""
    if not math.isfinite(value):
        return str(value)
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return f"{rounded + 0:.{places}f}"  # + 0 turns -0.00 into 0.00


@register.filter
def share_interval(figure: Mapping[str, Any]) -> str:
    """A share's 95% interval in whole percentages, rounded outwards as the plain-words summary
    rounds it, so the table and the sentences agree: "18% to 27%"."""
    if figure.get("lower") is None or figure.get("upper") is None:
        return "?"
    lower, upper = whole_percent_bounds(figure["lower"], figure["upper"])
    return f"{lower}% to {upper}%"


CURVE_COLUMNS = ("group", "years", "estimate", "interval", "at_risk")


@register.filter
def curve_rows(rows: Iterable[Mapping[str, Any]]) -> SafeString:
    """The rows of the table under a curve's chart (``figures.table_row_text``)."""
    html = "".join(value_row(row[column] for column in CURVE_COLUMNS) for row in rows)
    return mark_safe(html)  # noqa: S308 (value_row escapes each value)


def _cox_row(term: Mapping[str, Any]) -> str:
    doubtful = " (assumption doubtful)" if term.get("proportional_hazards_doubtful") else ""
    return (
        f'<tr><th scope="row">{escape(str(term["covariate"]))}</th>'
        f"<td>{fixed(term['hazard_ratio'], 2)}</td>"
        f"<td>{fixed(term['lower'], 2)} to {fixed(term['upper'], 2)}</td>"
        f"<td>{fixed(term['p'], 3)}</td><td>{fixed(term['ph_p'], 3)}{doubtful}</td></tr>"
    )


@register.filter
def cox_rows(terms: Iterable[Mapping[str, Any]]) -> SafeString:
    """The rows of the Cox model's table of hazard ratios."""
    return mark_safe("".join(_cox_row(term) for term in terms))  # noqa: S308 (escaped above)
