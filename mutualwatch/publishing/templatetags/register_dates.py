import datetime

from django import template

from mutualwatch.register.exchange import partial_date_text

register = template.Library()


@register.filter
def partial_date(value: datetime.date | None, precision: str) -> str:
    """A date shown only to the precision it is known: 2014, 2014-04 or 2014-04-01."""
    return partial_date_text(value, precision)
