"""How a date reads on the site: "5 December 2026", never 2026-12-05 and never broken across
two lines (its spaces are non-breaking). The one home of that style: templates use it as
``{% load dates %}{{ value|day }}`` (``publishing/templatetags/dates.py``), Python calls ``day``.
"""

import datetime

from django.utils import timezone

NBSP = "\u00a0"
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


def day(value: datetime.date | None) -> str:
    """The day, e.g. "5 December 2026"; a moment is read as the day it was where the site is
    (``TIME_ZONE``); nothing for no date."""
    if not isinstance(value, datetime.date):
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    # Written out, not through dateformat: a council's page prints hundreds of dates.
    return f"{value.day}{NBSP}{MONTHS[value.month - 1]}{NBSP}{value.year}"


def partial_day(value: datetime.date | None, precision: str) -> str:
    """A register date to the precision it is known: "1 April 2014", "April 2014" or "2014"."""
    if value is None:
        return ""
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return f"{MONTHS[value.month - 1]}{NBSP}{value.year}"
    return day(value)
