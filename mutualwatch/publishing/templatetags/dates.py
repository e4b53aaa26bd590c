"""``{{ value|day }}``: a date as the site writes it, "5 December 2026", with non-breaking
spaces (``mutualwatch.dates.day``)."""

import datetime

from django import template

from mutualwatch import dates

register = template.Library()


@register.filter(is_safe=True, expects_localtime=True)
def day(value: datetime.date | str | None) -> str:
    """A date, or a published ISO timestamp read to its day."""
    if isinstance(value, str):
        try:
            return dates.day(datetime.date.fromisoformat(value[:10]))
        except ValueError:
            return value
    return dates.day(value)


@register.filter(is_safe=True)
def partial_day(value: datetime.date | None, precision: str) -> str:
    """``{{ date|partial_day:precision }}``: "1 April 2014", "April 2014" or "2014"."""
    return dates.partial_day(value, precision)
