"""``{{ value|day }}``: a date as the site writes it, "5 December 2026", with non-breaking
spaces (``mutualwatch.dates.day``)."""

import datetime

from django import template

from mutualwatch import dates

register = template.Library()


@register.filter(is_safe=True, expects_localtime=True)
def day(value: datetime.date | None) -> str:
    return dates.day(value)
